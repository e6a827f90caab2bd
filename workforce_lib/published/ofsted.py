"""Ofsted's ILACS judgements per council, from "LA inspection outcomes as at 31 March YYYY"
files (.ods, via odfpy) of any year.

Ofsted's layout drifts from year to year (the 2024 file's sheet is
``Inspections_31_March_2024``, 2025's ``Inspections_as_at_31_March``), so each sheet is
recognised by its content: a header row naming the council's code, its name, the inspection
and publication dates and the overall effectiveness. Every such sheet of every file is read
(latest judgements, in-year inspections, inspection history), and a report for census year
Y shows the judgement in force on 30 September Y: the latest one published by then.
"""

from __future__ import annotations

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

#: The columns a judgement needs, and the header texts Ofsted has used for each
#: (compared lower-case with spaces collapsed).
COLUMNS: dict[str, tuple[str, ...]] = {
    "ons_code": ("local authority area code", "la code", "local authority code", "area code"),
    "la_name": ("local authority name", "local authority", "la name"),
    "inspection_date": ("inspection date", "inspection end date", "date of inspection"),
    "publication_date": ("publication date", "date published", "report publication date"),
    "overall": ("overall effectiveness", "overall effectiveness judgement"),
}
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

    judgements: pd.DataFrame  # ons_code, la_name, dates, overall, file, as_at
    findings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


def as_at_date(path: Path) -> pd.Timestamp | None:
    """31 March of the year in the file's name (``..._as_at_31_March_2025.ods``).

    >>> as_at_date(Path("LA_Inspection_Outcomes_as_at_March_2024.ods")).date()
    datetime.date(2024, 3, 31)
    """
    years = re.findall(r"(?<!\d)(20\d\d)(?!\d)", path.name)
    return pd.Timestamp(int(years[-1]), 3, 31) if years else None


def find_header(raw: pd.DataFrame) -> tuple[int, dict[str, int]] | None:
    """The header row of a sheet and the position of each needed column, or None.

    >>> raw = pd.DataFrame([["title", None, None, None, None],
    ...     ["LA code", "Local authority", "Inspection date", "Publication date",
    ...      "Overall effectiveness"]])
    >>> find_header(raw)
    (1, {'ons_code': 0, 'la_name': 1, 'inspection_date': 2, 'publication_date': 3, 'overall': 4})
    """
    for i in range(min(HEADER_SEARCH_ROWS, len(raw))):
        cells = [_norm(v) for v in raw.iloc[i]]
        where = {}
        for name, texts in COLUMNS.items():
            hit = next((j for j, c in enumerate(cells) if c in texts), None)
            if hit is not None:
                where[name] = hit
        if len(where) == len(COLUMNS):
            return i, where
    return None


def _best_partial(raw: pd.DataFrame) -> list[str]:
    """Which needed columns the most promising row of a sheet lacks."""
    best: list[str] = list(COLUMNS)
    for i in range(min(HEADER_SEARCH_ROWS, len(raw))):
        cells = {_norm(v) for v in raw.iloc[i]}
        lacking = [n for n, texts in COLUMNS.items() if not cells & set(texts)]
        if len(lacking) < len(best):
            best = lacking
    return best


def _sheet_rows(raw: pd.DataFrame, header: int, where: dict[str, int]) -> pd.DataFrame:
    body = raw.iloc[header + 1 :]
    df = pd.DataFrame({name: body.iloc[:, j].to_numpy() for name, j in where.items()})
    df = df[df.ons_code.notna() & df.overall.notna()]
    df = df.assign(
        ons_code=df.ons_code.astype(str).str.strip(),
        la_name=df.la_name.astype(str).str.strip(),
        overall=df.overall.astype(str).str.strip(),
    )
    df = df[df.ons_code.str.match(r"^E\d{8}$") & (df.overall != "")]
    for c in ("inspection_date", "publication_date"):
        df[c] = pd.to_datetime(df[c], errors="coerce")
    return df


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
            sheets = pd.read_excel(path, engine="odf", sheet_name=None, header=None)
    except Exception as err:  # odfpy/zipfile/XML errors: the file is not a readable .ods
        return pd.DataFrame(), f"not a readable .ods spreadsheet ({type(err).__name__})"
    frames, lacking = [], {}
    for name, raw in sheets.items():
        found = find_header(raw)
        if found is None:
            lacking[name] = _best_partial(raw)
            continue
        frames.append(_sheet_rows(raw, *found).assign(sheet=name))
    if not frames:
        closest = min(lacking.items(), key=lambda kv: len(kv[1])) if lacking else ("", [])
        names = ", ".join(COLUMNS[c][0] for c in closest[1])
        return pd.DataFrame(), (
            f"no sheet has a header row with {', '.join(t[0] for t in COLUMNS.values())}"
            + (f" (closest: sheet {closest[0]}, missing {names})" if closest[0] else "")
        )
    df = pd.concat(frames, ignore_index=True)
    df = df.drop_duplicates(["ons_code", "inspection_date", "publication_date", "overall"])
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


def judgements_for(release: Release, area_id: str, table: pd.DataFrame) -> pd.DataFrame:
    """Rows of the Ofsted table for a council (two councils' for a jointly reported area)."""
    if table.empty:
        return table
    keep = []
    for i, code in enumerate(table.ons_code):
        try:
            if areas_mod.find_council(release, code) == area_id:
                keep.append(i)
        except UnknownAreaError:
            continue
    return table.iloc[keep]


def in_force(rows: pd.DataFrame, on: pd.Timestamp) -> pd.DataFrame:
    """Per council, the judgement published most recently on or before ``on``.

    When several files hold it, the newest file is named.

    >>> rows = pd.DataFrame({"ons_code": ["E1", "E1", "E1"], "la_name": ["A"] * 3,
    ...     "publication_date": pd.to_datetime(["2019-01-01", "2023-05-01", "2025-01-01"]),
    ...     "overall": ["Good", "Inadequate", "Outstanding"], "as_at": pd.to_datetime(
    ...     ["2024-03-31"] * 3)})
    >>> in_force(rows, pd.Timestamp("2024-09-30")).overall.tolist()
    ['Inadequate']
    """
    if rows.empty:
        return rows
    ok = rows[rows.publication_date.notna() & (rows.publication_date <= on)]
    ok = ok.sort_values(["publication_date", "as_at"])
    return ok.groupby("ons_code", sort=False).tail(1).sort_values("la_name")


def ofsted_table(
    release: Release, area_id: str, year: int, data_dir: str | os.PathLike | None = None
) -> pd.DataFrame:
    """The council report's Ofsted table for census year ``year``: the judgement in force on
    30 September of that year, the file it comes from and that file's date; and a row for
    each file that could not be read, or a note when there is no file or no judgement.
    """
    data = read_ofsted(data_dir)
    census_day = pd.Timestamp(year, 9, 30)
    rows = in_force(judgements_for(release, area_id, data.judgements), census_day)
    out = pd.DataFrame(
        {
            "Council": rows.get("la_name", pd.Series(dtype=object)),
            "Inspected": rows.get("inspection_date", pd.Series(dtype=object)).map(_day),
            "Published": rows.get("publication_date", pd.Series(dtype=object)).map(_day),
            "Overall effectiveness": rows.get("overall", pd.Series(dtype=object)),
            "From file": [
                f"{f} (as at {_day(d)})"
                for f, d in zip(rows.get("file", []), rows.get("as_at", []))
            ],
        }
    )
    notes = list(data.findings)
    if out.empty and not data.judgements.empty:
        later = judgements_for(release, area_id, data.judgements)
        first = _day(later.publication_date.min()) if not later.empty else ""
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
