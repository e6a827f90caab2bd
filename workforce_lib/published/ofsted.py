"""Ofsted's ILACS judgements per council, from "LA inspection outcomes as at 31 March YYYY"
files (.ods, read through python-calamine) of any year.

Ofsted's layout drifts from year to year (the 2024 file's sheet is
``Inspections_31_March_2024``, 2025's ``Inspections_as_at_31_March``), so each sheet is
recognised by its content: a header row, in any of its first rows, naming the council, the
inspection date and the overall effectiveness. The council's code and the publication date
are read where the sheet has them. The 2024 file's main sheet has neither: its councils are
found by name (through the release's names and ``data/reference/area_aliases.csv``; a name
found nowhere is a finding listing every such name), and its judgements are dated by their
inspection, which the report says. Every such sheet of every file is read (latest
judgements, in-year inspections, inspection history).

A report for census year Y shows the judgement in force on 30 September Y: of the
judgements certainly published by then, the latest inspected. A judgement without a
publication date is certainly published only by its file's own date (31 March of the year in
its name), so a file as at 31 March 2024 without publication dates serves reports for 2024
and later only; for earlier years the report says that the judgement was left out and why.
"""

from __future__ import annotations

import datetime
import os
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from workforce_lib.errors import UnknownAreaError
from workforce_lib.published import areas as areas_mod
from workforce_lib.published import loading
from workforce_lib.published.release import Release

KIND = "ofsted"  # the entry in data/sources.yaml

#: The columns read, and the header texts Ofsted has used for each (compared lower-case
#: with spaces collapsed, a byte-order mark and surrounding spaces removed).
COLUMNS: dict[str, tuple[str, ...]] = {
    "ons_code": ("local authority area code", "la code", "local authority code", "area code"),
    "la_name": ("local authority name", "local authority", "la name"),
    "inspection_date": ("inspection date", "inspection end date", "date of inspection"),
    "publication_date": ("publication date", "date published", "report publication date"),
    "overall": ("overall effectiveness", "overall effectiveness judgement"),
}
#: The columns a sheet must have to be read; the others are read where present.
REQUIRED = ("la_name", "inspection_date", "overall")
#: The header row is looked for in the first rows of a sheet only.
HEADER_SEARCH_ROWS = 30
#: An .ods file larger than this is refused unread (the real ones are well under 1 MB).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest expanded size and compression ratio of the zip an .ods is (the 2025 file:
#: 1.2 MB expanded, no member over 21 times its compressed size).
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200


@dataclass
class OfstedData:
    """Judgements read from the folder's Ofsted files, and what could not be read."""

    judgements: pd.DataFrame  # ons_code, la_name, dates, overall, sheet, row, file, as_at
    findings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\ufeff", "")).strip().lower()


def as_at_date(path: Path) -> pd.Timestamp | None:
    """31 March of the year in the file's name (``..._as_at_31_March_2025.ods``).

    >>> as_at_date(Path("LA_Inspection_Outcomes_as_at_March_2024.ods")).date()
    datetime.date(2024, 3, 31)
    """
    years = re.findall(r"(?<!\d)(20\d\d)(?!\d)", path.name)
    return pd.Timestamp(int(years[-1]), 3, 31) if years else None


def find_header(raw: pd.DataFrame) -> tuple[int, dict[str, int]] | None:
    """The header row of a sheet and the position of each column it has, or None when no
    row of the first ``HEADER_SEARCH_ROWS`` names every ``REQUIRED`` column.

    >>> raw = pd.DataFrame([["title", None, None, None, None],
    ...     ["LA code", "Local authority", "Inspection date", "Publication date",
    ...      "Overall effectiveness"]])
    >>> find_header(raw)
    (1, {'ons_code': 0, 'la_name': 1, 'inspection_date': 2, 'publication_date': 3, 'overall': 4})
    >>> find_header(pd.DataFrame([["Web link", "\ufeffLocal authority name ", "Ofsted region",
    ...     "Inspection date", "Overall effectiveness"]]))
    (0, {'la_name': 1, 'inspection_date': 3, 'overall': 4})
    """
    for i in range(min(HEADER_SEARCH_ROWS, len(raw))):
        cells = [_norm(v) for v in raw.iloc[i]]
        where = {}
        for name, texts in COLUMNS.items():
            hit = next((j for j, c in enumerate(cells) if c in texts), None)
            if hit is not None:
                where[name] = hit
        if all(c in where for c in REQUIRED):
            return i, where
    return None


def _best_partial(raw: pd.DataFrame) -> list[str]:
    """Which needed columns the most promising row of a sheet lacks."""
    best: list[str] = list(REQUIRED)
    for i in range(min(HEADER_SEARCH_ROWS, len(raw))):
        cells = {_norm(v) for v in raw.iloc[i]}
        lacking = [n for n in REQUIRED if not cells & set(COLUMNS[n])]
        if len(lacking) < len(best):
            best = lacking
    return best


def _text(col: pd.Series) -> pd.Series:
    """Cells as stripped text, empty ones as None."""
    out = col.map(lambda v: None if pd.isna(v) else _norm_space(v))
    return out.where(out != "", None)


def _norm_space(v: object) -> str:
    return re.sub(r"\s+", " ", str(v).replace("\ufeff", "")).strip()


def raw_dates(cells: pd.Series) -> pd.Series:
    """Dates from cells that are dates, ISO text (``2024-07-12``) or day-first text
    (``12/07/2024``, ``12 July 2024``); anything else is NaT.

    >>> raw_dates(pd.Series(["2022-01-10", "10/07/2023", "12 July 2024", "soon", 45000.0],
    ...     dtype=object)).dt.strftime("%Y-%m-%d").tolist()
    ['2022-01-10', '2023-07-10', '2024-07-12', nan, nan]
    """

    def one(v: object) -> pd.Timestamp:
        if isinstance(v, (datetime.date, pd.Timestamp)):
            return pd.Timestamp(v)
        if not isinstance(v, str):
            return pd.NaT
        iso = re.match(r"^(\d{4}-\d{2}-\d{2})([ T][\d:.]+)?$", v)
        try:
            if iso:
                return pd.Timestamp(iso.group(1))
            if re.match(r"^\d{1,2}[/. -]", v):
                return pd.to_datetime(v, dayfirst=True)
        except (ValueError, OverflowError):
            pass
        return pd.NaT

    return pd.to_datetime(cells.map(one))


def _sheet_rows(
    raw: pd.DataFrame, header: int, where: dict[str, int]
) -> tuple[pd.DataFrame, list[str]]:
    """The judgements below a sheet's header row (``row``: the spreadsheet's row number),
    and the rows holding a judgement whose dates cannot be read."""
    body = raw.iloc[header + 1 :]
    df = pd.DataFrame({name: _text(body.iloc[:, j]).to_numpy() for name, j in where.items()})
    for c in COLUMNS:
        if c not in df:
            df[c] = None
    df["row"] = range(header + 2, header + 2 + len(df))
    df = df[df.overall.notna() & (df.la_name.notna() | df.ons_code.notna())]
    # a sheet with codes: rows without one are footnotes and totals, not councils
    if "ons_code" in where:
        df = df[df.ons_code.fillna("").str.match(r"^E\d{8}$")]
    bad = []
    for c in ("inspection_date", "publication_date"):
        given = df[c].notna()
        df[c] = raw_dates(df[c])
        bad += [f"row {r} {c.replace('_', ' ')}" for r in df.row[given & df[c].isna()]]
    return df, bad


@lru_cache(maxsize=8)
def _read_file(path: Path, digest: str) -> tuple[pd.DataFrame, str | None]:
    """Every judgement in one file, or the reason it cannot be read."""
    if path.stat().st_size > MAX_FILE_BYTES:
        return pd.DataFrame(), f"larger than {MAX_FILE_BYTES // 2**20} MB; not read"
    bomb = loading.zip_problem(path, MAX_EXPANDED_BYTES, MAX_RATIO)
    if bomb:
        return pd.DataFrame(), f"an .ods is a zip, and this one {bomb}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sheets = pd.read_excel(path, engine="calamine", sheet_name=None, header=None)
    except Exception as err:  # calamine/zip/XML errors: the file is not a readable .ods
        return pd.DataFrame(), f"not a readable .ods spreadsheet ({type(err).__name__})"
    frames, lacking, bad = [], {}, []
    for name, raw in sheets.items():
        found = find_header(raw)
        if found is None:
            lacking[name] = _best_partial(raw)
            continue
        rows, unreadable = _sheet_rows(raw, *found)
        frames.append(rows.assign(sheet=name))
        bad += [f"sheet {name} {u}" for u in unreadable]
    if bad:
        return pd.DataFrame(), "dates that cannot be read: " + "; ".join(bad)
    if not frames:
        closest = min(lacking.items(), key=lambda kv: len(kv[1])) if lacking else ("", [])
        names = ", ".join(COLUMNS[c][0] for c in closest[1])
        return pd.DataFrame(), (
            f"no sheet has a header row with {', '.join(COLUMNS[c][0] for c in REQUIRED)}"
            + (f" (closest: sheet {closest[0]}, missing {names})" if closest[0] else "")
        )
    df = pd.concat(frames, ignore_index=True)
    df = df.drop_duplicates(
        ["ons_code", "la_name", "inspection_date", "publication_date", "overall"]
    )
    return df.reset_index(drop=True), None


def read_ofsted(data_dir: str | os.PathLike | None = None) -> OfstedData:
    """Every judgement in every Ofsted file of the data folder, with the file and its date.

    A file that cannot be read is a finding naming the file and what is missing; the
    others are still read. No file at all is a finding saying which file and how to get it.
    """
    paths = loading.source_paths(KIND, data_dir)
    if not paths:
        return OfstedData(pd.DataFrame(), [loading.missing_note(KIND, data_dir)])
    frames, findings = [], []
    for p in paths:
        df, problem = _read_file(p, loading.sha256(p))
        if problem:
            findings.append(f"{p.name} could not be used: {problem}.")
            continue
        frames.append(df.assign(file=p.name, as_at=as_at_date(p)))
    judgements = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return OfstedData(judgements, findings, [p.name for p in paths])


def _component_code(release: Release, area_id: str, name: str, code: str | None) -> str | None:
    """The release's latest ONS code of the council with code ``code`` or called ``name``
    within the release's area ``area_id`` (one of the two in a jointly reported area), or
    None when neither picks one. Ofsted may give a council's older code (Barnsley's
    E08000016, E08000038 since 2025)."""
    a = release.areas[(release.areas.level == "council") & (release.areas.area_id == area_id)]
    if a.empty:
        return None
    last = a.sort_values("year").iloc[-1]
    codes = str(last.ons_code).split(areas_mod.JOINT_SEPARATOR)
    if len(codes) == 1:
        return codes[0]
    if code in codes:
        return code
    names = [areas_mod.normalise(n) for n in str(last.area_name).split(areas_mod.JOINT_SEPARATOR)]
    q = areas_mod.normalise(name)
    hits = [c for c, n in zip(codes, names) if n == q] or [
        c for c, n in zip(codes, names) if set(q.split()) <= set(n.split())
    ]
    return hits[0] if len(hits) == 1 else None


def resolve(release: Release, table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The judgements with each row's council: ``area_id``, and ``council``, the release's
    latest ONS code for that council (the same whichever code or name a file gives), and
    a finding per file listing every council code or name the release does not know (those
    rows are not used).

    A judgement without a publication date takes the one another file gives for the same
    council's same inspection, when one does.
    """
    if table.empty:
        return table, []
    found: dict[str, str | None] = {}
    area_ids, councils = [], []
    unknown: dict[str, dict[str, None]] = {}
    for code, name, file, sheet, row in zip(
        table.ons_code, table.la_name, table.file, table.sheet, table.row
    ):
        query = code if isinstance(code, str) else name
        if query not in found:
            try:
                found[query] = areas_mod.find_council(release, query)
            except UnknownAreaError:
                found[query] = None
        area_id = found[query]
        council = None
        if area_id is not None:
            council = _component_code(
                release, area_id, name or "", code if isinstance(code, str) else None
            )
        if council is None:
            unknown.setdefault(file, {})[f"{query!r} (sheet {sheet}, row {row})"] = None
            area_id = None
        area_ids.append(area_id)
        councils.append(council)
    out = table.assign(area_id=area_ids, council=councils)
    out = out[out.area_id.notna()]
    dated = out[out.publication_date.notna()].drop_duplicates(["council", "inspection_date"])
    known = dict(zip(zip(dated.council, dated.inspection_date), dated.publication_date))
    fill = [known.get(k, pd.NaT) for k in zip(out.council, out.inspection_date)]
    out = out.assign(publication_date=out.publication_date.fillna(pd.Series(fill, out.index)))
    findings = [
        f"{file}: {len(names)} council code(s) or name(s) match no council of the release, so "
        f"their judgements are not used: {', '.join(names)}. A council named differently can "
        "be added to data/reference/area_aliases.csv with its LA number."
        for file, names in unknown.items()
    ]
    return out.reset_index(drop=True), findings


#: :func:`resolve`'s answers by release and Ofsted files (paths and checksums): every
#: council report of a run resolves the same judgements against the same release.
_RESOLVED: dict[tuple, tuple[pd.DataFrame, list[str]]] = {}


def _resolved(
    release: Release, data: OfstedData, data_dir: str | os.PathLike | None
) -> tuple[pd.DataFrame, list[str]]:
    """:func:`resolve` of ``data`` (read from ``data_dir``), kept for the next report; a
    copy, which the caller may change."""
    files = tuple((str(p), loading.sha256(p)) for p in loading.source_paths(KIND, data_dir))
    key = (release, files, tuple(data.files))
    if key not in _RESOLVED:
        if len(_RESOLVED) >= 8:
            _RESOLVED.clear()
        _RESOLVED[key] = resolve(release, data.judgements)
    table, unknown = _RESOLVED[key]
    return table.copy(), list(unknown)


def judgements_for(release: Release, area_id: str, table: pd.DataFrame) -> pd.DataFrame:
    """Rows of the Ofsted table for a council (two councils' for a jointly reported area)."""
    if table.empty:
        return table
    rows, _ = resolve(release, table)
    return rows[rows.area_id == area_id]


def published_by(rows: pd.DataFrame) -> pd.Series:
    """The day by which each judgement was certainly published: its publication date, or
    for a file without one, the file's own date (its judgements are those published by then).
    """
    return rows.publication_date.fillna(rows.as_at)


def in_force(rows: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Per council (``council`` where :func:`resolve` has set it, else ``ons_code``), of the
    judgements certainly published on or before ``on``, the latest inspected (by
    publication date where the inspection date is missing).

    When several files hold it, the newest file is named.

    >>> rows = pd.DataFrame({"ons_code": ["E1", "E1", "E1", "E1"], "la_name": ["A"] * 4,
    ...     "inspection_date": pd.to_datetime(["2018-11-01", "2023-03-01", "2024-06-01",
    ...     "2024-06-01"]),
    ...     "publication_date": pd.to_datetime(["2019-01-01", "2023-05-01", "2025-01-01", None]),
    ...     "overall": ["Good", "Inadequate", "Outstanding", "Outstanding"],
    ...     "as_at": pd.to_datetime(["2024-03-31"] * 3 + ["2025-03-31"])})
    >>> in_force(rows, pd.Timestamp("2024-09-30")).overall.tolist()
    ['Inadequate']
    >>> in_force(rows.iloc[[0, 3]], pd.Timestamp("2024-09-30")).overall.tolist()
    ['Good']
    >>> in_force(rows.iloc[[0, 3]], pd.Timestamp("2025-09-30")).overall.tolist()
    ['Outstanding']
    """
    if rows.empty:
        return rows
    by = published_by(rows)
    ok = rows[by.notna() & (by <= on)]
    ok = ok.assign(_when=ok.inspection_date.fillna(ok.publication_date))
    ok = ok.sort_values(["_when", "publication_date", "as_at"], na_position="first")
    key = "council" if "council" in ok else "ons_code"
    return ok.groupby(key, sort=False).tail(1).drop(columns="_when").sort_values("la_name")


def ofsted_table(
    release: Release, area_id: str, year: int, data_dir: str | os.PathLike | None = None
) -> pd.DataFrame:
    """The council report's Ofsted table for census year ``year``: the judgement in force on
    30 September of that year, the file it comes from and that file's date; and a row for
    each file that could not be read, for council names no council matches, for a judgement
    dated by its inspection because its file gives no publication date, for a judgement
    left out because it may have been published after 30 September, or a note when there is
    no file or no judgement.
    """
    data = read_ofsted(data_dir)
    census_day = pd.Timestamp(year, 9, 30)
    table, unknown = _resolved(release, data, data_dir)
    mine = table[table.area_id == area_id] if not table.empty else table
    rows = in_force(mine, census_day)
    undated = rows.publication_date.isna() if not rows.empty else pd.Series(dtype=bool)
    published = [
        f"not given (published by {_day(a)})" if u else _day(p)
        for p, a, u in zip(rows.get("publication_date", []), rows.get("as_at", []), undated)
    ]
    out = pd.DataFrame(
        {
            "Council": rows.get("la_name", pd.Series(dtype=object)),
            "Inspected": rows.get("inspection_date", pd.Series(dtype=object)).map(_day),
            "Published": published,
            "Overall effectiveness": rows.get("overall", pd.Series(dtype=object)),
            "From file": [
                f"{f} (as at {_day(d)})"
                for f, d in zip(rows.get("file", []), rows.get("as_at", []))
            ],
        }
    )
    notes = list(data.findings) + unknown
    for r in rows[undated].itertuples() if not rows.empty else []:
        notes.append(
            f"{r.file} gives no publication dates: {r.la_name}'s judgement is dated by its "
            f"inspection ({_day(r.inspection_date)}) and counted as published by "
            f"{_day(r.as_at)}, the file's date."
        )
    if not mine.empty:
        shown = dict(zip(rows.council, rows.inspection_date))
        by = published_by(mine)
        held = mine[
            mine.publication_date.isna()
            & (mine.inspection_date <= census_day)
            & ~(by <= census_day)
        ]
        for r in held.itertuples():
            if r.council in shown and not (r.inspection_date > shown[r.council]):
                continue
            notes.append(
                f"{r.file} gives no publication dates, and {r.la_name}'s inspection of "
                f"{_day(r.inspection_date)} is certainly published only by "
                + (f"{_day(r.as_at)}, the file's date" if pd.notna(r.as_at) else "an unknown day")
                + f", after 30 September {year}: that judgement is not shown."
            )
    if out.empty and not data.judgements.empty:
        first = _day(published_by(mine).min()) if not mine.empty else ""
        notes.append(
            f"No judgement published by 30 September {year} is in {', '.join(data.files)}"
            + (f"; the files hold only later ones (first published {first})." if first else ".")
        )
    if notes:
        note_rows = pd.DataFrame({"Council": ["Note"] * len(notes), "Overall effectiveness": notes})
        out = pd.concat([out.astype(object), note_rows], ignore_index=True).fillna("")
    return out.reset_index(drop=True)


def _day(d) -> str:
    return "" if d is None or pd.isna(d) else f"{pd.Timestamp(d):%d %B %Y}".lstrip("0")
