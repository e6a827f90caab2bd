"""What instability means for children: the workforce beside DfE's children's figures.

Three files, each optional, sit beside the workforce release in the data directory:

- ``la_cla_swcount.csv``: children looked after at 31 March and how many had 3 or more
  social workers during the year to 31 March ("social worker stability");
- ``b1_children_in_need_*.csv``: children in need at 31 March and episodes started
  (referrals accepted), years to 31 March;
- ``ons_mid-year_population_estimates_*.csv``: children aged 0 to 17 at 30 June.

Each is read into one internal table (:class:`ContextTable`): one row per period and area,
its components as numbers and, where DfE printed a symbol, the symbol. Columns are found by
their names and contents, not their positions; a file that breaks the shape is refused with
every problem named in one pass.

The files' periods differ from the workforce census (30 September): every figure carries
its period in words, and a figure for census year Y comes from the latest period ending
in the six months up to 30 September Y (:func:`choose_period`; a report for year Y shows
nothing after it), or is reported as not available. Councils are matched by LA number;
where the workforce release reports two councils jointly ("940 / 941"), their parts'
counts are added and the rate recomputed.

Examples
--------
>>> parse_time_period("202324"), parse_time_period("2024")
(2024, 2024)
>>> choose_period([date(2023, 3, 31), date(2024, 3, 31), date(2025, 3, 31)], 2023)
datetime.date(2023, 3, 31)
>>> period_words("cla", date(2024, 3, 31))
'year to 31 March 2024'
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from workforce_lib.constants import (
    ENGLAND_CODE,
    LEVEL_COUNCIL,
    LEVEL_NATIONAL,
    LEVEL_REGIONAL,
    REGIONS,
    ROUNDS_TO_ZERO,
    SYMBOLS,
)
from workforce_lib.errors import DataNotFoundError, DataValidationError, Problem, WorkforceError
from workforce_lib.measures import (
    CONTEXT_MEASURES,
    MEASURES,
    Measure,
    component_sums,
    round_half_up,
)
from workforce_lib.published import areas as areas_mod
from workforce_lib.published import symbols
from workforce_lib.published.loading import (
    parse_time_period,
    read_csv_as_text,
    resolve_data_dir,
    source_path,
)
from workforce_lib.published.release import Release
from workforce_lib.published.sources import load_manifest

#: A context period may end this many calendar months before or after 30 September of
#: the census year. Issue #12 asks for six months either side, but the project's rule that a
#: report for year Y shows nothing after Y (tests/e2e/test_reports.py) wins: a period ending
#: after 30 September Y (31 March Y+1) is not used, so MONTHS_AFTER is 0.
MONTHS_BEFORE = 6
MONTHS_AFTER = 0

#: Largest context file read (the published ones are under 1 MB).
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class FileSpec:
    """One context file: how it is found and what it holds."""

    kind: str  # "cla" | "cin" | "population"
    source: str  # its entry in data/sources.yaml: name pattern, file, publisher, address
    what: str  # a phrase for sentences
    period_month: int  # a period ends on the last day of this month
    components: tuple[str, ...]

    @property
    def file_name(self) -> str:
        """The file's name as published (data/sources.yaml)."""
        return load_manifest().sources[self.source].file


FILES: dict[str, FileSpec] = {
    s.kind: s
    for s in (
        FileSpec(
            "cla",
            "cla_social_workers",
            "social worker stability",
            3,
            ("cla_total", "cla_3plus"),
        ),
        FileSpec(
            "cin",
            "children_in_need",
            "children in need",
            3,
            ("cin_at_31_march", "cin_started"),
        ),
        FileSpec(
            "population",
            "population",
            "child population",
            6,
            ("children_0_17",),
        ),
    )
}

#: Where each context measure's components come from: the context file and, for a
#: component of the workforce release, ``"workforce"``.
SOURCES: dict[str, str] = {
    "cla_3plus_social_workers_pct": "cla",
    "children_in_need_per_case_holder_fte": "cin",
    "cin_started_per_case_holder_fte": "cin",
    "social_workers_per_10k_children": "population",
}
WORKFORCE_COMPONENTS = ("case_holders_fte", "inpost_fte")
JOINT = areas_mod.JOINT_SEPARATOR

LEVELS = {LEVEL_NATIONAL: "england", LEVEL_REGIONAL: "region", LEVEL_COUNCIL: "council"}
_MONTHS = {3: "March", 6: "June", 9: "September"}


# ---------------------------------------------------------------- periods
def period_end(kind: str, year: int) -> date:
    """Last day of a file's period ending in ``year`` (31 March, or 30 June for ONS)."""
    month = FILES[kind].period_month
    return (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).date()


def period_words(kind: str, end: date) -> str:
    """A period in words: ``year to 31 March 2024``; ``mid-2024 (30 June 2024)`` for ONS."""
    day = f"{end.day} {_MONTHS.get(end.month, end.strftime('%B'))} {end.year}"
    if kind == "cla":
        return f"year to {day}"
    if kind == "cin":
        return f"at {day}"
    return f"mid-{end.year} ({day})"


def census_day(year: int) -> date:
    """30 September of a census year."""
    return date(int(year), 9, 30)


def choose_period(ends: list[date], year: int) -> date | None:
    """The latest period end from :data:`MONTHS_BEFORE` months before 30 September
    ``year`` to :data:`MONTHS_AFTER` months after it (calendar months from the end of
    September: 31 March of ``year`` to 30 September of ``year``, both included).

    >>> choose_period([date(2024, 3, 31)], 2025) is None
    True
    >>> choose_period([date(2024, 3, 31), date(2025, 3, 31)], 2024)
    datetime.date(2024, 3, 31)
    >>> choose_period([date(2024, 6, 30), date(2025, 6, 30)], 2024)
    datetime.date(2024, 6, 30)
    """
    day = pd.Timestamp(census_day(year))
    low = (day - pd.offsets.MonthEnd(MONTHS_BEFORE)).date()
    high = (day + pd.offsets.MonthEnd(MONTHS_AFTER)).date() if MONTHS_AFTER else day.date()
    inside = [e for e in ends if low <= e <= high]
    return max(inside) if inside else None


def nearest_census_year(kind: str, end: date) -> int:
    """The census year whose 30 September is nearest a file's period (0 days if inside it).

    A year to 31 March 2024 holds 30 September 2023, so its nearest census is 2023.

    >>> nearest_census_year("cla", date(2024, 3, 31))
    2023
    >>> nearest_census_year("population", date(2024, 6, 30))
    2024
    """
    start = end if kind != "cla" else (pd.Timestamp(end) - pd.DateOffset(years=1)).date()

    def distance(y: int) -> int:
        d = census_day(y)
        if start < d <= end:
            return 0
        return min(abs((d - start).days), abs((d - end).days))

    return min(range(end.year - 1, end.year + 1), key=lambda y: (distance(y), -y))


# ---------------------------------------------------------------- reading
@dataclass(frozen=True, eq=False)
class ContextTable:
    """One context file, read: ``rows`` has ``year`` (period end year), ``period_end``,
    ``level`` (england/region/council), ``code`` (LA number for a council, ONS code
    otherwise), ``name``, ``region_code``, ``line`` (in the file), each component as a float
    (NaN where a symbol stands) and ``<component>__status`` (the symbol, or "")."""

    kind: str
    source: Path
    rows: pd.DataFrame  # cla also: DfE's rounded ``cla_3plus_pct`` (if the file has it)

    @property
    def spec(self) -> FileSpec:
        return FILES[self.kind]

    def ends(self) -> list[date]:
        return sorted(set(self.rows.period_end))

    def at(self, end: date) -> pd.DataFrame:
        return self.rows[self.rows.period_end == end]


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.replace("\ufeff", "").casefold())


#: Identifying columns, found by name (any case, punctuation or byte-order mark).
_ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "time_period": ("timeperiod", "year"),
    "geographic_level": ("geographiclevel", "level"),
    "la_code": ("oldlacode", "lacode", "lanumber", "lanum"),
    "region_code": ("regioncode",),
    "country_code": ("countrycode",),
    "new_la_code": ("newlacode",),
    "la_name": ("laname", "localauthority"),
    "region_name": ("regionname",),
}


def _find(columns: list[str], keys: tuple[str, ...]) -> str | None:
    by_key = {_key(c): c for c in columns}
    return next((by_key[k] for k in keys if k in by_key), None)


def _find_by_pattern(columns: list[str], pattern: str) -> str | None:
    hits = [c for c in columns if re.search(pattern, _key(c))]
    return hits[0] if len(hits) == 1 else None


def _find_by_content(raw: pd.DataFrame, pattern: str) -> str | None:
    """The one column whose cells include text matching ``pattern`` (case-insensitive)."""
    rx = re.compile(pattern, re.I)
    hits = [c for c in raw.columns if raw[c].map(lambda v: bool(rx.search(v))).any()]
    return hits[0] if len(hits) == 1 else None


def _read_raw(path: Path) -> pd.DataFrame:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DataValidationError(
            path.name,
            [Problem(path.name, None, None, size, f"file larger than {MAX_BYTES} bytes")],
        )
    try:
        raw = read_csv_as_text(path)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise DataValidationError(
            path.name, [Problem(path.name, None, None, None, f"not a readable CSV: {first}")]
        ) from err
    raw.columns = [str(c).replace("\ufeff", "").strip() for c in raw.columns]
    return raw


def _number(text: str) -> tuple[float, str] | None:
    """A cell as (value, symbol): ``"1,234"`` -> (1234.0, ""), ``"x"`` -> (nan, "x"); None
    for anything else."""
    t = str(text).strip()
    if t.casefold() in SYMBOLS:
        return float("nan"), t.casefold()
    try:
        v = float(t.replace(",", ""))
    except ValueError:
        return None
    return (v, "") if np.isfinite(v) and v >= 0 else None


def _frame(
    raw: pd.DataFrame, path: Path, kind: str, values: dict[str, str], problems: list[Problem]
) -> pd.DataFrame:
    """The internal table from a raw file: identifiers parsed, ``values`` (component ->
    column) turned into numbers and symbols; every bad cell added to ``problems``."""
    cols = {role: _find(list(raw.columns), keys) for role, keys in _ID_COLUMNS.items()}
    if cols["time_period"] is None:
        cols["time_period"] = _find_by_content(raw, r"^(19|20)\d\d(\d\d)?$")
    if cols["geographic_level"] is None:
        cols["geographic_level"] = _find_by_content(raw, r"^local authority$")
    for role in ("time_period", "geographic_level", "la_code"):
        if cols[role] is None:
            problems.append(Problem(path.name, 1, role, None, "column not found"))
    if problems:
        return pd.DataFrame()
    out = pd.DataFrame(index=raw.index)
    out["line"] = raw.index + 2
    out["year"] = raw[cols["time_period"]].map(parse_time_period)
    out["level"] = raw[cols["geographic_level"]].str.strip().map(LEVELS)
    la = raw[cols["la_code"]].str.strip()
    region = raw[cols["region_code"]].str.strip() if cols["region_code"] else ""
    country = raw[cols["country_code"]].str.strip() if cols["country_code"] else ENGLAND_CODE
    out["region_code"] = region
    out["code"] = np.where(
        out.level == "council", la, np.where(out.level == "region", region, country)
    )
    out.loc[out.level == "england", "code"] = ENGLAND_CODE
    name_col = cols["la_name"]
    out["name"] = raw[name_col].str.strip() if name_col else out["code"]
    if cols["region_name"]:
        regional = out.level == "region"
        out.loc[regional, "name"] = raw.loc[regional, cols["region_name"]].str.strip()
    for i in out.index[out.year.isna()]:
        problems.append(
            Problem(
                path.name,
                i + 2,
                cols["time_period"],
                raw.at[i, cols["time_period"]],
                "not a year (2024) or financial year (202324)",
            )
        )
    for i in out.index[out.level.isna()]:
        problems.append(
            Problem(
                path.name,
                i + 2,
                cols["geographic_level"],
                raw.at[i, cols["geographic_level"]],
                "unknown geographic level",
            )
        )
    bad_la = (out.level == "council") & ~la.str.fullmatch(r"\d{3}( / \d{3})*")
    for i in out.index[bad_la]:
        problems.append(Problem(path.name, i + 2, cols["la_code"], la[i], "not an LA number"))
    for comp, col in values.items():
        parsed = raw[col].map(_number)
        for i in parsed.index[parsed.isna()]:
            problems.append(
                Problem(path.name, i + 2, col, raw.at[i, col], "not a number or DfE symbol")
            )
        ok = parsed.dropna()
        out[comp] = ok.map(lambda p: p[0]).reindex(out.index).astype(float)
        out[f"{comp}__status"] = ok.map(lambda p: p[1]).reindex(out.index).fillna("")
    out = out.dropna(subset=["year", "level"]).copy()
    out["year"] = out["year"].astype(int)
    out["period_end"] = [period_end(kind, y) for y in out.year]
    dup = out.duplicated(["year", "level", "code"], keep=False)
    for i in out.index[dup]:
        problems.append(
            Problem(
                path.name,
                i + 2,
                None,
                f"{out.at[i, 'year']} {out.at[i, 'code']}",
                "a second row for the same period and area",
            )
        )
    return out.reset_index(drop=True)


def _value_column(raw, path, pattern, label, problems) -> str | None:
    col = _find_by_pattern(list(raw.columns), pattern)
    if col is None:
        problems.append(Problem(path.name, 1, label, None, "column not found"))
    return col


def read_cla_stability(path: str | os.PathLike) -> ContextTable:
    """``la_cla_swcount.csv``: children looked after at 31 March and those with 3 or more
    social workers in the year, one row per area (DfE publishes two rows per area).

    The rows are told apart by their text ("Total children", "3 or more social workers
    ..."), in whichever column holds it; counts come from the ``number`` column, DfE's
    rounded percentage from ``percentage``.
    """
    path = Path(path)
    raw = _read_raw(path)
    problems: list[Problem] = []
    group_col = _find_by_content(raw, r"^total children$")
    if group_col is None:
        problems.append(Problem(path.name, 1, None, None, "no column holds 'Total children'"))
        raise DataValidationError(path.name, problems)
    number = _value_column(raw, path, r"^(number|count|children)$", "number", problems)
    pct = _find_by_pattern(list(raw.columns), r"^(percentage|percent|pct)$")
    if problems:
        raise DataValidationError(path.name, problems)
    label = raw[group_col].str.strip().str.casefold()
    is_total = label.eq("total children")
    is_3plus = label.str.contains(r"\b3 or more social workers", regex=True)
    for i in raw.index[~(is_total | is_3plus)]:
        problems.append(
            Problem(path.name, i + 2, group_col, raw.at[i, group_col], "unknown row type")
        )
    total = _frame(raw[is_total], path, "cla", {"cla_total": number}, problems)
    three = _frame(
        raw[is_3plus],
        path,
        "cla",
        {"cla_3plus": number, **({"cla_3plus_pct": pct} if pct else {})},
        problems,
    )
    if problems:
        raise DataValidationError(path.name, problems)
    keys = ["year", "level", "code"]
    rows = total.merge(
        three.drop(columns=["line", "name", "region_code", "period_end"]),
        on=keys,
        how="outer",
        indicator=True,
    )
    for _, r in rows[rows._merge != "both"].iterrows():
        problems.append(
            Problem(
                path.name,
                None,
                group_col,
                f"{r.year} {r.code}",
                "an area with only one of 'Total children' and '3 or more social workers'",
            )
        )
    if problems:
        raise DataValidationError(path.name, problems)
    return ContextTable("cla", path, rows.drop(columns="_merge"))


def read_children_in_need(path: str | os.PathLike) -> ContextTable:
    """``b1_children_in_need_*.csv``: children in need at 31 March (``At31_episodes``: a
    child has at most one open episode) and episodes started in the year (referrals
    accepted), per area, years to 31 March."""
    path = Path(path)
    raw = _read_raw(path)
    problems: list[Problem] = []
    at31 = _value_column(raw, path, r"^at31(episodes|child|children)?$", "At31_episodes", problems)
    started = _value_column(raw, path, r"^started(episodes)?$", "Started_episodes", problems)
    if problems:
        raise DataValidationError(path.name, problems)
    rows = _frame(raw, path, "cin", {"cin_at_31_march": at31, "cin_started": started}, problems)
    if problems:
        raise DataValidationError(path.name, problems)
    return ContextTable("cin", path, rows)


def read_population(path: str | os.PathLike) -> ContextTable:
    """ONS mid-year estimates of children aged 0 to 17 per area, as DfE republishes them.

    Rows of another age group, if a file holds any, are left out (the age column is found
    by its "0 to 17" text)."""
    path = Path(path)
    raw = _read_raw(path)
    problems: list[Problem] = []
    value = _value_column(raw, path, r"population|estimate", "population_estimate", problems)
    age = _find_by_content(raw, r"\b0 to 17\b|\b0-17\b")
    if age is None:
        problems.append(Problem(path.name, 1, None, None, "no column holds the age 0 to 17"))
    if problems:
        raise DataValidationError(path.name, problems)
    keep = raw[age].str.contains(r"\b0 to 17\b|\b0-17\b", regex=True)
    rows = _frame(raw[keep], path, "population", {"children_0_17": value}, problems)
    if problems:
        raise DataValidationError(path.name, problems)
    return ContextTable("population", path, rows)


READERS = {"cla": read_cla_stability, "cin": read_children_in_need, "population": read_population}


@lru_cache(maxsize=16)
def _read_cached(kind: str, path: Path, mtime_ns: int, size: int) -> ContextTable:
    return READERS[kind](path)


@dataclass(frozen=True, eq=False)
class ContextData:
    """The context files found in a data directory; ``problems`` says, for each one not
    read, why (missing, or refused) and how to get it."""

    folder: Path
    tables: dict[str, ContextTable]
    problems: dict[str, str]
    memo: dict = field(default_factory=dict, repr=False)  # region and England figures


def load_context(data_dir: str | os.PathLike | None = None) -> ContextData:
    """Read every context file in the data directory; a missing or invalid one is noted,
    never fatal."""
    folder = resolve_data_dir(data_dir)
    tables: dict[str, ContextTable] = {}
    problems: dict[str, str] = {}
    for kind, spec in FILES.items():
        try:
            path = source_path(spec.source, folder)
        except DataNotFoundError:
            problems[kind] = missing_sentence(kind, folder)
            continue
        try:
            st = path.stat()
            tables[kind] = _read_cached(kind, path, st.st_mtime_ns, st.st_size)
        except (WorkforceError, OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
            problems[kind] = (
                f"The {spec.what} figures are not shown: {path.name} could not be read "
                f"({str(err).splitlines()[0]}); run `workforce data fetch` to get it afresh."
            )
    # the same tables and problems as last time: the same ContextData, whose memo of region
    # and England figures then serves report after report
    key = (folder, tuple((k, id(t)) for k, t in tables.items()), tuple(problems.items()))
    last = _LAST_CONTEXT.get(key)
    if last is not None:
        return last
    data = ContextData(folder, tables, problems)
    _LAST_CONTEXT.clear()
    _LAST_CONTEXT[key] = data
    return data


#: The ContextData :func:`load_context` made last, by folder, tables and problems.
_LAST_CONTEXT: dict[tuple, ContextData] = {}


def missing_sentence(kind: str, folder: Path | str) -> str:
    """``The ... figures are not shown: no file matching la_cla_swcount.csv in FOLDER. Run
    `workforce data fetch` to get it ...``: the pattern from data/sources.yaml, not the
    file's title, whose dates may be later than the report's year."""
    src = load_manifest().sources[FILES[kind].source]
    return (
        f"The {FILES[kind].what} figures are not shown: no file matching {src.pattern} in "
        f"{folder}. Run `workforce data fetch` to get it, or copy it into that folder."
    )


# ---------------------------------------------------------------- figures
@dataclass
class ContextFigure:
    """One context measure for an area: its value, period in words, the region's and
    England's values for the same period, and why a value is missing (a DfE symbol with
    its reason, or a sentence)."""

    value: float | None
    period: str | None
    region: float | None = None
    england: float | None = None
    status: str | None = None
    source: str | None = None  # the context file's name
    period_end: str | None = None  # ISO date the context file's period ends
    region_status: str | None = None
    england_status: str | None = None

    def to_json(self) -> dict:
        """``value``, ``period``, ``region``, ``england``, ``status``; then the file read and
        how the region's and England's figures were made where that needs saying."""
        return asdict(self)


def _parts_frame(
    release: Release, ids: list[str], year: int, table: ContextTable, end: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Components of workforce councils (rows, by area_id) for one period: context parts
    summed by LA number (a joint "940 / 941" row adds 940 and 941), workforce components
    from the release. Returns values and statuses: the DfE symbol of the first part that
    has one (its number is then not used), ``"no row"`` where a part has no row, else ""."""
    ctx = table.at(end)
    ctx = ctx[ctx.level == "council"]
    comps = list(table.spec.components)
    codes = set(ctx.code)
    # the file's own joint row ("314 / 318") if it has one, else each part's row
    link = pd.DataFrame(
        [(a, p) for a in ids for p in ([a] if a in codes else areas_mod.components(a))],
        columns=["area_id", "code"],
    )
    j = link.merge(ctx, on="code", how="left", indicator=True)
    by = j.area_id
    no_row = (j._merge == "left_only").groupby(by, sort=False).any()
    joint_in_file = {p for c in codes if JOINT in c for p in areas_mod.components(c)}
    only_joint = j.code.isin(joint_in_file).groupby(by, sort=False).any() & no_row
    values, status = {}, {}
    for c in comps:
        sym = j[f"{c}__status"].fillna("").where(lambda x: x != "low", "")
        first = sym.groupby(by, sort=False).agg(lambda x: next((v for v in x if v), ""))
        status[c] = first.where(~no_row, "no row").where(~only_joint, "joint")
        # a part that rounds to zero ("low") adds nothing
        total = j[c].fillna(0.0).groupby(by, sort=False).sum()
        values[c] = total.where(status[c].eq(""))
    a = release.areas
    idx = a.index[(a.level == "council") & (a.year == year) & a.area_id.isin(ids)]
    keys = a.loc[idx, "area_id"].to_numpy()
    wf = list(WORKFORCE_COMPONENTS)
    wv = release.values.loc[idx, wf].set_axis(keys)
    ws = release.status.loc[idx, wf].set_axis(keys)
    v = pd.DataFrame(values).join(wv).reindex(ids)
    s = pd.DataFrame(status).join(ws).reindex(ids)
    s[wf] = s[wf].fillna("no row")
    return v, s


def _parts(
    release: Release, data: ContextData, ids: list[str], year: int, table: ContextTable, end: date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`_parts_frame` of ``ids``, taken from every council's of the year, worked out
    once per data set (each council's row depends on its own parts only; every council and
    region report of a year asks for some of them): copies, reindexed to ``ids``."""
    key = ("parts", table.kind, end, year, release)  # the release itself: an id may be reused
    if key not in data.memo:
        data.memo[key] = _parts_frame(release, area_ids(release, year), year, table, end)
    values, status = data.memo[key]
    return values.reindex(ids), status.reindex(ids)


def _figure_from_parts(
    m: Measure, values: pd.DataFrame, status: pd.DataFrame
) -> tuple[float | None, float | None, list[str]]:
    """(rounded value, unrounded value, ids left out) from summed components, DfE's rule:
    a row is left out of both sides when a component is not published."""
    if values.empty:
        return None, None, []
    sums, keep = component_sums(values, status, m)
    if not keep.any():
        return None, None, list(values.index)
    raw = m.compute(sums, 0)
    if raw is None or np.isnan(raw):
        return None, None, list(values.index[~keep])
    return float(round_half_up(raw, m.decimals)), float(raw), list(values.index[~keep])


def _published_cla(table: ContextTable, end: date, code: str) -> tuple[float | None, str]:
    """DfE's own rounded percentage for a region or England row (or the council's)."""
    rows = table.rows
    hit = rows.index[(rows.period_end == end) & (rows.code == code)]
    if not len(hit) or "cla_3plus_pct" not in rows:
        return None, "no row"
    pct, st = rows.at[hit[0], "cla_3plus_pct"], rows.at[hit[0], "cla_3plus_pct__status"]
    if st == "low":
        return 0.0, ""
    return (None, st or "no row") if pd.isna(pct) else (float(pct), "")


def _status_text(m: Measure, status: pd.Series, table: ContextTable, end: date) -> str:
    """Why one area has no value: the DfE symbol and its reason, naming the input."""
    for c in m.components:
        s = status.get(c, "")
        if s and s != "low":
            where = (
                f"{table.source.name}, {period_words(table.kind, end)}"
                if c in table.spec.components
                else f"workforce census at 30 September, {MEASURES[c].label}"
            )
            if s == "no row":
                return f"no row in {where}"
            if s == "joint":
                return f"reported only jointly with another council in {where}"
            return f"{symbols.reason(s)} ({where})"
    return "not available (a denominator of zero)"


def area_ids(release: Release, year: int, region: str | None = None) -> list[str]:
    """Workforce councils with a row in ``year`` (in ``region`` if given)."""
    f = release.areas
    f = f[(f.level == "council") & (f.year == year)]
    if region:
        f = f[f.region_name == region]
    return f.area_id.tolist()


def _region_code(name: str | None) -> str | None:
    return next((c for c, n in REGIONS.items() if n == name), None)


def council_context(
    release: Release, area_id: str, year: int, data: ContextData | None = None
) -> dict[str, ContextFigure]:
    """Every context measure for a council (an ``area_id`` of the release) and census year.

    The council's own figure is DfE's where the file publishes it (the looked-after share
    for one council), otherwise recomputed from its parts' summed components. The region
    and England figures are DfE's published rows where the file has them (the looked-after
    share), otherwise recomputed from every council's summed components, councils whose
    components are not published being left out of both sides.
    """
    data = data if data is not None else load_context(release.source.parent)
    region = release.areas.loc[release.row(area_id, year), "region_name"]
    out: dict[str, ContextFigure] = {}
    for name, m in CONTEXT_MEASURES.items():
        kind = SOURCES[name]
        table = data.tables.get(kind)
        if table is None:
            out[name] = ContextFigure(None, None, status=data.problems[kind])
            continue
        end = choose_period(table.ends(), year)
        if end is None:
            out[name] = ContextFigure(
                None,
                None,
                status=f"{table.source.name} has no figures for a period ending in the six "
                f"months to 30 September {year}",
                source=table.source.name,
            )
            continue
        words = _measure_period(name, end, year)
        v, s = _parts(release, data, [area_id], year, table, end)
        value, _, _ = _figure_from_parts(m, v, s)
        status = _status_text(m, s.loc[area_id], table, end) if value is None else None
        if kind == "cla" and len(areas_mod.components(area_id)) == 1 and value is not None:
            value, st = _published_cla(table, end, area_id)
            status = None if value is not None else symbols.reason(st)
        fig = ContextFigure(
            value, words, status=status, source=table.source.name, period_end=end.isoformat()
        )
        for where, scope in (("region", region), ("england", None)):
            val, note = _area_figure(release, data, name, end, year, scope)
            setattr(fig, where, val)
            setattr(fig, f"{where}_status", note)
        out[name] = fig
    return out


def _area_figure(
    release: Release, data: ContextData, name: str, end: date, year: int, region: str | None
) -> tuple[float | None, str | None]:
    """A region's (or, with ``region`` None, England's) figure and a note saying how it
    was made: DfE's published row where the file has one for the measure, else recomputed
    from every council's summed components. Kept per data set: every council report of a
    region asks for the same."""
    key = (name, end, year, region, release)  # the release itself: an id may be reused
    if key in data.memo:
        return data.memo[key]
    m, kind = CONTEXT_MEASURES[name], SOURCES[name]
    table = data.tables[kind]
    code = _region_code(region) if region else ENGLAND_CODE
    published = _published_cla(table, end, code or "")[0] if kind == "cla" else None
    if published is not None:
        out: tuple[float | None, str | None] = (published, None)
    else:
        ids = area_ids(release, year, region)
        rv, rs = _parts(release, data, ids, year, table, end)
        val, _, excluded = _figure_from_parts(m, rv, rs)
        note = None
        if excluded:
            names = [areas_mod.council_name(release, a) for a in excluded]
            note = (
                f"recomputed from {len(ids) - len(excluded)} of {len(ids)} councils; "
                f"left out (not published or no row): {', '.join(names)}"
            )
        out = (val, note)
    data.memo[key] = out
    return out


def _measure_period(name: str, end: date, year: int) -> str:
    """The period of a measure in words, naming the census date of its workforce part."""
    kind = SOURCES[name]
    if kind == "cla":
        return period_words(kind, end)
    if name == "cin_started_per_case_holder_fte":
        return (
            f"episodes started in the {period_words('cla', end)}; case-holding social "
            f"workers at 30 September {year}"
        )
    if kind == "cin":
        return (
            f"children in need {period_words(kind, end)}; case-holding social workers "
            f"at 30 September {year}"
        )
    return (
        f"social workers at 30 September {year}; children aged 0 to 17 at {period_words(kind, end)}"
    )


# ---------------------------------------------------------------- words and tables
def _fmt(m: Measure, v: float | None) -> str:
    return m.format(v)


def context_frame(figures: dict[str, ContextFigure]) -> pd.DataFrame:
    """The context figures as a table: measure, period, council, region, England, note
    (why a value is missing, and how a region's or England's figure was recomputed)."""
    rows = []
    for name, f in figures.items():
        m = CONTEXT_MEASURES[name]
        rows.append(
            {
                "Measure": m.label,
                "Period": f.period or "none available",
                "Council": _fmt(m, f.value) if f.value is not None else "n/a",
                "Region": _fmt(m, f.region) if f.region is not None else "n/a",
                "England": _fmt(m, f.england) if f.england is not None else "n/a",
                "Note": "; ".join(x for x in (f.status, f.region_status, f.england_status) if x),
            }
        )
    return pd.DataFrame(rows)


def _against(m: Measure, f: ContextFigure, region: str | None) -> str:
    parts = []
    if f.region is not None and region:
        parts.append(f"{_fmt(m, f.region)} in {region}")
    if f.england is not None:
        parts.append(f"{_fmt(m, f.england)} in England")
    return f", against {' and '.join(parts)}" if parts else ""


def region_phrase(region: str | None) -> str | None:
    """A region as a sentence names it: ``the North East``, ``London``.

    >>> region_phrase("East of England"), region_phrase("Yorkshire and The Humber")
    ('the East of England', 'Yorkshire and The Humber')
    """
    if region and region.split()[0] in ("North", "South", "East", "West"):
        return f"the {region}"
    return region


def _day(iso: str | None) -> str:
    """``2025-03-31`` -> ``31 March 2025``."""
    d = date.fromisoformat(iso) if iso else None
    return f"{d.day} {d:%B} {d.year}" if d else "an unknown date"


def context_sentences(
    council: str,
    region: str | None,
    figures: dict[str, ContextFigure],
    caseload: float | None,
    year: int,
) -> list[str]:
    """Plain sentences for "What it means for children": each figure with its period, set
    against its region and England, and what it does not show.

    >>> f = ContextFigure(64.0, "year to 31 March 2024", 25.0, 27.0)
    >>> s = context_sentences("Middlesbrough", "North East",
    ...                       {"cla_3plus_social_workers_pct": f}, None, 2024)
    >>> print(s[0])  # doctest: +NORMALIZE_WHITESPACE
    In the year to 31 March 2024, 64% of the children Middlesbrough looked after at 31 March
    had 3 or more social workers during the year, against 25% in the North East and 27% in
    England.
    """
    out: list[str] = []
    reg = region_phrase(region)
    for name, f in figures.items():
        m = CONTEXT_MEASURES[name]
        if f.value is None:
            if f.period is None:
                out.append(f"{m.label}: {f.status}.")
            else:
                out.append(f"{m.label} ({f.period}) is not available for {council}: {f.status}.")
            continue
        v = _fmt(m, f.value)
        if name == "cla_3plus_social_workers_pct":
            out.append(
                f"In the {f.period}, {v} of the children {council} looked after at 31 March "
                f"had 3 or more social workers during the year{_against(m, f, reg)}."
            )
        elif name == "children_in_need_per_case_holder_fte":
            at = _day(f.period_end)
            s = (
                f"At {at} {council} had {v} children in need for each case-holding social "
                f"worker (FTE) it had at 30 September {year}{_against(m, f, reg)}."
            )
            if caseload is not None:
                s += (
                    f" Its published average caseload at 30 September {year} was "
                    f"{caseload:.1f} cases per case-holding FTE: cases held and children in "
                    "need are counted differently and on different dates, so each is a check "
                    "on the other, not the same measure."
                )
            out.append(s)
        elif name == "cin_started_per_case_holder_fte":
            out.append(
                f"In the year to {_day(f.period_end)}, "
                f"{v} episodes of need started at {council} (each begins with a referral "
                "accepted by children's social care) for each case-holding social worker "
                f"(FTE) it had at 30 September {year}{_against(m, f, reg)}."
            )
        else:
            out.append(
                f"{council} had {v} social workers in post (FTE) at 30 September {year} per "
                f"10,000 children aged 0 to 17 (ONS mid-year estimate, {_day(f.period_end)})"
                f"{_against(m, f, reg)}."
            )
    if any(f.value is not None for f in figures.values()):
        out.append(
            "These figures describe children's experience and demand beside the workforce; "
            "they do not show that one causes the other, and their periods differ from the "
            "workforce census (30 September)."
        )
    return out


def council_sentences(summary) -> list[str]:
    """:func:`context_sentences` for a council's
    :class:`~workforce_lib.published.comparison.AreaSummary`
    (its name, region, context figures and published caseload)."""
    caseload = summary.measures["caseload_fte"].value if summary.measures else None
    return context_sentences(summary.area, summary.region, summary.context, caseload, summary.year)


def council_table(summary) -> pd.DataFrame:
    """:func:`context_frame` for a council's summary."""
    return context_frame(summary.context)


def text_lines(summary) -> list[str]:
    """The context figures of a council's summary as lines of text (``workforce summary``
    without ``--json``): each measure's council, region and England values with its period
    and source file, then why any value is missing (a DfE symbol with its meaning, or a
    sentence) and how a region's or England's figure was made.

    >>> why = "x: not available (la_cla_swcount.csv, year to 31 March 2024)"
    >>> g = ContextFigure(None, "year to 31 March 2024", 25.0, 27.0, why, "la_cla_swcount.csv")
    >>> class S:
    ...     area, region, year = "Barnet", "London", 2024
    ...     context = {"cla_3plus_social_workers_pct": g}
    >>> lines = text_lines(S())
    >>> lines[3].split("  ")[0], lines[3].split()[-9:-6]
    ('Looked-after children with 3 or more social workers in the year', ['x', '25%', '27%'])
    >>> print(lines[5])
      Barnet, Looked-after children with 3 or more social workers in the year: x: not \
available (la_cla_swcount.csv, year to 31 March 2024)
    """
    figures = summary.context
    if not figures:
        return []
    head = ["Measure", summary.area, summary.region or "Region", "England", "Period", "Source"]
    rows, notes = [], []
    for name, f in figures.items():
        m = CONTEXT_MEASURES[name]

        def cell(v: float | None, status: str | None) -> str:
            if v is not None:
                return _fmt(m, v)
            sym = (status or "").split(":")[0]
            return sym if sym in SYMBOLS else "n/a"

        rows.append(
            [
                m.label,
                cell(f.value, f.status),
                cell(f.region, f.region_status),
                cell(f.england, f.england_status),
                f.period or "none available",
                f.source or "none",
            ]
        )
        for who, v, st in (
            (summary.area, f.value, f.status),
            (summary.region or "Region", f.region, f.region_status),
            ("England", f.england, f.england_status),
        ):
            if v is None:
                notes.append(f"  {who}, {m.label}: {st or 'no figure'}")
            elif st:
                notes.append(f"  {who}, {m.label}: {st}")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]

    def line(r: list[str]) -> str:
        return "  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip()

    out = [
        "What it means for children (DfE children's statistics and ONS estimates; their "
        "periods differ from the census date, 30 September):",
        line(head),
        line(["-" * w for w in widths]),
        *map(line, rows),
    ]
    if notes:
        out += ["Why a figure is missing (a DfE symbol and its meaning), or how it was made:"]
        out += notes
    used = sorted({(SOURCES[n], f.source) for n, f in figures.items() if f.source})
    if used:
        out.append("Sources:")
        for kind, file in used:
            src = load_manifest().sources[FILES[kind].source]
            out.append(f"  {file}: {src.publisher}; {src.licence}.")
    out.append(
        f"A period is used for census year {summary.year} only if it ends in the six months "
        f"up to 30 September {summary.year}; none later."
    )
    return out


def definitions() -> list[str]:
    """Each context measure's definition and source, one sentence each.

    >>> definitions()[0].split(":")[0]
    'Looked-after children with 3 or more social workers in the year'
    """
    out = []
    for name, m in CONTEXT_MEASURES.items():
        src = load_manifest().sources[FILES[SOURCES[name]].source]
        workforce = "" if SOURCES[name] == "cla" else "; social workers: the workforce release"
        out.append(
            f"{m.label}: {m.definition} Source: {src.publisher} ({src.file}){workforce}; "
            f"{src.licence}."
        )
    return out


# ---------------------------------------------------------------- England: every council
#: Workforce measures the England report sets against social worker stability.
STABILITY_AGAINST: tuple[str, ...] = ("agency_rate_fte", "turnover_rate_fte", "vacancy_rate_fte")


#: The status of a council's rate that covers part of the year (``data/reference/
#: part_years.csv``): left out of the scatter and the correlation, said in the table.
PART_YEAR_STATUS = "covers part of the year: not compared"


@dataclass
class StabilityComparison:
    """Every council's looked-after share with 3+ social workers beside workforce rates."""

    period: str | None  # the stability figure's period in words
    workforce_year: int | None  # the census year matched to it
    frame: pd.DataFrame  # area_id, council, region, share (unrounded %), and each measure
    correlations: dict[str, tuple[float | None, int]] = field(default_factory=dict)
    note: str | None = None  # why there is nothing to show
    year: int | None = None  # the report's census year


def spearman(x: pd.Series, y: pd.Series) -> tuple[float | None, int]:
    """Spearman's rank correlation of two series over pairs with both values, and n.

    Ranks ties by their average, then Pearson's correlation of the ranks.

    >>> spearman(pd.Series([1, 2, 3, 4]), pd.Series([10, 20, 30, 35]))
    (1.0, 4)
    >>> spearman(pd.Series([1, 2, 3, 4]), pd.Series([4, 3, None, 1]))
    (-1.0, 3)
    >>> spearman(pd.Series([1, 2]), pd.Series([2, 1]))
    (None, 2)
    """
    both = pd.DataFrame({"x": x, "y": y}).dropna()
    n = len(both)
    if n < 3:
        return None, n
    r = both.x.rank().corr(both.y.rank())
    return (None if pd.isna(r) else float(r)), n


def stability_comparison(
    release: Release, year: int, data: ContextData | None = None
) -> StabilityComparison:
    """For an England report of census year ``year``: every council's share of looked-after
    children with 3+ social workers beside its agency, turnover and vacancy rates at the
    census nearest the stability period (a year to 31 March holds the 30 September before
    it). The period is the latest ending by 30 September ``year`` (nothing after the
    report's year).

    Shares are unrounded, from the published counts (the published percentages are these
    rounded to whole numbers); joint workforce rows add their parts.
    """
    data = data if data is not None else load_context(release.source.parent)
    table = data.tables.get("cla")
    if table is None:
        return StabilityComparison(None, None, pd.DataFrame(), note=data.problems["cla"])
    usable = [e for e in table.ends() if e <= census_day(year)]
    if not usable:
        return StabilityComparison(
            None,
            None,
            pd.DataFrame(),
            note=f"{table.source.name} has no social worker stability figures for a period "
            f"ending by 30 September {year}.",
        )
    end = usable[-1]
    wyear = nearest_census_year("cla", end)
    if wyear not in release.years:
        return StabilityComparison(
            period_words("cla", end),
            None,
            pd.DataFrame(),
            note=f"The workforce census nearest the {period_words('cla', end)} (30 September "
            f"{wyear}) is not in {release.source.name}.",
        )
    ids = area_ids(release, wyear)
    v, s = _parts_frame(release, ids, wyear, table, end)
    m = CONTEXT_MEASURES["cla_3plus_social_workers_pct"]
    share = []
    for a in ids:
        ok = all(s.at[a, c] in ("", "low") for c in m.components)
        share.append(m.compute(v.loc[a].to_dict(), 0) if ok else np.nan)
    a = release.areas
    idx = a.index[(a.level == "council") & (a.year == wyear)]
    rates = release.values.loc[idx, list(STABILITY_AGAINST)].set_axis(a.loc[idx, "area_id"])
    status = release.status.loc[idx, list(STABILITY_AGAINST)].set_axis(a.loc[idx, "area_id"])
    rates = rates.mask(status.eq(ROUNDS_TO_ZERO), 0.0).loc[ids]  # "low" rounds to zero
    status = status.loc[ids].copy()
    from workforce_lib.published.comparison import is_part_year  # comparison imports this module

    for k in STABILITY_AGAINST:  # a part-year figure is shown, never compared
        part = [is_part_year(a, wyear, k) for a in ids]
        rates.loc[part, k] = np.nan
        status.loc[part, k] = PART_YEAR_STATUS
    f = release.frame("council", wyear).set_index("area_id").loc[ids]
    frame = pd.DataFrame(
        {
            "area_id": ids,
            "council": f.area_name.to_numpy(),
            "region": f.region_name.to_numpy(),
            "share_3plus": np.asarray(share, dtype=float),
            **{k: rates[k].to_numpy(dtype=float) for k in STABILITY_AGAINST},
            **{f"{k}__status": status[k].to_numpy() for k in STABILITY_AGAINST},
        }
    )
    corr = {k: spearman(frame.share_3plus, frame[k]) for k in STABILITY_AGAINST}
    return StabilityComparison(period_words("cla", end), wyear, frame, corr, year=year)


def stability_sentences(comp: StabilityComparison) -> list[str]:
    """What the England scatter shows, stated as description: one year, not causal."""
    if comp.note:
        return [comp.note]
    out = [
        f"Each point is a council: the share of its looked-after children who had 3 or more "
        f"social workers in the {comp.period}, against its workforce rates at the census of "
        f"30 September {comp.workforce_year}, the census date nearest that period (it falls "
        "inside it)."
    ]
    if comp.year is not None and comp.year != comp.workforce_year:
        out[0] += (
            f" It is the latest stability period in the data; the rest of this report is for "
            f"30 September {comp.year}."
        )
    for k, (rho, n) in comp.correlations.items():
        label = MEASURES[k].label.lower()
        if rho is None:
            out.append(f"{MEASURES[k].label}: too few councils with both figures ({n}).")
            continue
        out.append(
            f"Spearman's rank correlation with the {label}: {rho:+.2f} across {n} councils "
            "with both figures published."
        )
    out.append(
        "These correlations describe one year's pattern across councils; they do not show "
        "that workforce instability causes, or is caused by, changes of social worker for "
        "children, and other differences between councils may explain them."
    )
    return out
