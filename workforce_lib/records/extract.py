"""A council's own HR extract: its documented format, reading (CSV or XLSX) and validation.

One table, one row per worker (permanent or agency) and one row per vacant post, told
apart by ``record_type``. The columns, their types and allowed values are declared once,
in :data:`COLUMNS`; ``data/README.md`` documents them and the template file is written
from them. Validation uses pandera, lazily: every problem in the file is reported in one
pass, each with file, row, column and value, and no row is ever dropped.

Examples
--------
>>> sorted(ROLES)[:2]
['asye', 'practice_supervisor']
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from workforce_lib.csv_output import write_csv
from workforce_lib.errors import DataNotFoundError, DataValidationError, Problem, WorkforceError

WORKER = "worker"
VACANCY = "vacancy"
PERMANENT = "permanent"
AGENCY = "agency"
YES, NO = "yes", "no"

#: Roles a row may hold; all are children and family social workers in DfE's census.
ROLES: dict[str, str] = {
    "asye": "Newly qualified (ASYE)",
    "social_worker": "Social worker",
    "senior_practitioner": "Senior practitioner",
    "practice_supervisor": "Practice supervisor / consultant social worker",
    "team_manager": "Team manager",
    "service_manager": "Service or senior manager",
}

#: Reasons for leaving (required when ``leaving_date`` is filled).
LEAVING_REASONS: dict[str, str] = {
    "resignation": "Resigned",
    "retirement": "Retired",
    "dismissal": "Dismissed",
    "redundancy": "Redundancy",
    "end_of_contract": "End of fixed-term contract",
    "end_of_assignment": "End of agency assignment",
    "career_break": "Career break",
    "other": "Other",
}

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
#: Dates outside these years are refused as out of range (``9999-12-31``, a common "no
#: end date" in HR systems, is not read as open-ended: leave ``leaving_date`` blank).
FIRST_YEAR, LAST_YEAR = 1900, 2200
#: Largest values accepted (a typo, or an overflow, beyond them is an error).
MAX_SICKNESS_DAYS = 366
MAX_CASES = 1000
#: Text that a program wrote for a missing value: an error, never read as blank.
MISSING_AS_TEXT = ("nan", "none", "nat", "null", "na", "n/a", "#n/a")


@dataclass(frozen=True)
class Column:
    """One column of the extract, as documented in ``data/README.md``."""

    name: str
    type: str
    applies_to: str  # "all", "worker" or "vacancy"
    required: bool
    allowed: str
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("record_type", "text", "all", True, "worker, vacancy", "What the row is."),
    Column(
        "extract_date",
        "date",
        "all",
        True,
        "one date, the same on every row, not in the future",
        "The date the extract was taken. Vacancies, cases held and sickness days are "
        "as at (or for the 12 months to) this date.",
    ),
    Column(
        "worker_id",
        "text",
        "worker",
        True,
        "unique; pseudonymised (never a name or payroll number)",
        "A stable pseudonymised id for the worker.",
    ),
    Column("team", "text", "all", True, "any name", "Team the worker or post belongs to."),
    Column("role", "text", "all", True, ", ".join(ROLES), "Role of the worker or post."),
    Column("fte", "number", "all", True, "more than 0, at most 1", "Full-time equivalent."),
    Column(
        "employment_type",
        "text",
        "worker",
        True,
        f"{PERMANENT}, {AGENCY}",
        "Employed by the council (permanent, including fixed-term) or an agency worker.",
    ),
    Column(
        "start_date",
        "date",
        "worker",
        True,
        "not after extract_date",
        "Start in this council's children's social work (agency: start of assignment).",
    ),
    Column(
        "leaving_date",
        "date",
        "worker",
        False,
        "blank if in post; not before start_date, not after extract_date",
        "Last day of service (agency: end of assignment).",
    ),
    Column(
        "leaving_reason",
        "text",
        "worker",
        False,
        ", ".join(LEAVING_REASONS) + "; required when leaving_date is filled, else blank",
        "Why the worker left.",
    ),
    Column(
        "sickness_days",
        "number",
        "worker",
        False,
        f"0 to {MAX_SICKNESS_DAYS}; blank means 0; permanent workers only",
        "Working days lost to sickness in the 12 months to extract_date, in FTE days "
        "(as in the DfE return).",
    ),
    Column(
        "cases",
        "whole number",
        "worker",
        False,
        f"0 to {MAX_CASES}; blank means 0; only for workers in post at extract_date",
        "Cases held at extract_date.",
    ),
    Column(
        "joined_as_asye",
        "text",
        "worker",
        False,
        f"{YES}, {NO}; blank means {NO}",
        "The worker joined the council in their Assessed and Supported Year in Employment "
        "(their ASYE intake year is the census year of start_date).",
    ),
    Column(
        "agency_cover",
        "text",
        "vacancy",
        True,
        f"{YES}, {NO}",
        "The vacant post is covered by an agency worker.",
    ),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
REQUIRED_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in COLUMNS if c.required or c.name in ("leaving_date", "leaving_reason")
)


@dataclass(frozen=True)
class Extract:
    """A validated extract.

    Attributes
    ----------
    workers : one row per worker: ``worker_id, team, role, fte, employment_type,
        start_date, leaving_date (NaT in post), leaving_reason, sickness_days, cases,
        joined_as_asye (bool), row`` (the file's line number).
    vacancies : one row per vacant post: ``team, role, fte, agency_cover (bool), row``.
    extract_date : the date the extract was taken.
    source : the file read.
    sheet : for a workbook, the sheet read (found by its header); None for a CSV.
    """

    workers: pd.DataFrame
    vacancies: pd.DataFrame
    extract_date: pd.Timestamp
    source: Path
    sheet: str | None = None


# ---------------------------------------------------------------- parsing helpers
def _year(text: pd.Series) -> pd.Series:
    """The year written in a ``YYYY-MM-DD`` or ``DD/MM/YYYY`` cell (NaN if neither)."""
    iso = text.str.extract(r"^\s*(\d{4})-\d{1,2}-\d{1,2}\s*$", expand=False)
    uk = text.str.extract(r"^\s*\d{1,2}/\d{1,2}/(\d{4})\s*$", expand=False)
    return pd.to_numeric(iso.fillna(uk), errors="coerce")


def out_of_range(text: pd.Series) -> pd.Series:
    """True where a cell is written as a date but its year is outside
    :data:`FIRST_YEAR` to :data:`LAST_YEAR`.

    >>> out_of_range(pd.Series(["9999-12-31", "31/12/1899", "2024-01-01", ""])).tolist()
    [True, True, False, False]
    """
    year = _year(text)
    return year.notna() & ((year < FIRST_YEAR) | (year > LAST_YEAR))


def parse_dates(text: pd.Series) -> pd.Series:
    """Dates written ``YYYY-MM-DD`` or ``DD/MM/YYYY``; NaT where blank, unreadable or out
    of range (:func:`out_of_range`).

    >>> parse_dates(pd.Series(["2024-09-30", "01/10/2024", "31/02/2024", ""])).dt.day.tolist()
    [30.0, 1.0, nan, nan]
    >>> parse_dates(pd.Series(["9999-12-31"])).isna().tolist()
    [True]
    """
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    text = text.where(~out_of_range(text), "")
    for fmt in DATE_FORMATS:
        todo = out.isna()
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    return out


def _numbers(text: pd.Series) -> pd.Series:
    """Numbers; NaN where blank or unreadable (``inf`` and ``nan`` read as themselves and
    are then refused by the range checks)."""
    return pd.to_numeric(text.str.strip(), errors="coerce")


def _blank(text: pd.Series) -> pd.Series:
    return text.str.strip() == ""


# ---------------------------------------------------------------- the schema
_MESSAGES: dict[str, tuple[str, str]] = {
    # check name -> (column it is reported against, message)
    "record_type": ("record_type", f"must be '{WORKER}' or '{VACANCY}'"),
    "extract_date_parse": ("extract_date", "not a date (use YYYY-MM-DD or DD/MM/YYYY)"),
    "extract_date_range": (
        "extract_date",
        f"out of range (a year from {FIRST_YEAR} to {LAST_YEAR})",
    ),
    "extract_date_same": ("extract_date", "differs from the first row's extract_date"),
    "extract_date_future": ("extract_date", "lies in the future"),
    "worker_id_missing": ("worker_id", "a worker row needs a worker_id"),
    "worker_id_duplicate": ("worker_id", "duplicate worker_id (also on another row)"),
    "team": ("team", "a team is required"),
    "role": ("role", "unknown role (expected one of " + ", ".join(ROLES) + ")"),
    "fte": ("fte", "FTE must be a number more than 0 and at most 1"),
    "employment_type": (
        "employment_type",
        f"unknown employment type (expected '{PERMANENT}' or '{AGENCY}')",
    ),
    "start_date": ("start_date", "not a date (use YYYY-MM-DD or DD/MM/YYYY)"),
    "start_date_range": ("start_date", f"out of range (a year from {FIRST_YEAR} to {LAST_YEAR})"),
    "start_future": ("start_date", "after extract_date (a date in the future)"),
    "leaving_date": ("leaving_date", "not a date (use YYYY-MM-DD or DD/MM/YYYY)"),
    "leaving_date_range": (
        "leaving_date",
        f"out of range (a year from {FIRST_YEAR} to {LAST_YEAR}); a worker still in post has "
        "no leaving_date: leave it blank rather than writing a far-future date",
    ),
    "leaving_future": ("leaving_date", "after extract_date (a date in the future)"),
    "leaving_before_start": ("leaving_date", "before start_date"),
    "leaving_reason": (
        "leaving_reason",
        "unknown reason (expected one of " + ", ".join(LEAVING_REASONS) + ")",
    ),
    "leaving_reason_missing": ("leaving_reason", "a leaver needs a leaving_reason"),
    "leaving_reason_without_date": ("leaving_reason", "a reason is given but no leaving_date"),
    "sickness_days": (
        "sickness_days",
        f"must be a number from 0 to {MAX_SICKNESS_DAYS} (days in the 12 months)",
    ),
    "sickness_agency": (
        "sickness_days",
        "sickness days are counted for permanent workers only (DfE's absence rate)",
    ),
    "cases": ("cases", f"must be a whole number from 0 to {MAX_CASES}"),
    "cases_leaver": ("cases", "a worker who left on or before extract_date cannot hold cases"),
    "joined_as_asye": ("joined_as_asye", f"must be '{YES}', '{NO}' or blank"),
    "agency_cover": ("agency_cover", f"a vacancy row needs agency_cover '{YES}' or '{NO}'"),
    "vacancy_worker_fields": (
        "worker_id",
        "a vacancy row must leave the worker columns (worker_id ... joined_as_asye) blank",
    ),
}

for _c in (
    "record_type", "extract_date", "worker_id", "team", "role", "fte", "employment_type",
    "start_date", "leaving_date", "leaving_reason", "sickness_days", "cases",
    "joined_as_asye", "agency_cover",
):  # fmt: skip
    _MESSAGES[f"missing_as_text:{_c}"] = (
        _c,
        "a missing value written as text: leave the cell blank if it has no value",
    )

_WORKER_ONLY = (
    "worker_id",
    "employment_type",
    "start_date",
    "leaving_date",
    "leaving_reason",
    "sickness_days",
    "cases",
    "joined_as_asye",
)


def _checks(frame: pd.DataFrame, today: date) -> dict[str, pd.Series]:
    """Every check as a boolean Series over the rows (True = passes)."""
    rt = frame["record_type"].str.strip().str.lower()
    w, v = rt == WORKER, rt == VACANCY
    ex = parse_dates(frame["extract_date"])
    first = ex.dropna().iloc[0] if ex.notna().any() else pd.NaT
    start, leave = parse_dates(frame["start_date"]), parse_dates(frame["leaving_date"])
    fte = _numbers(frame["fte"])
    sick, cases = _numbers(frame["sickness_days"]), _numbers(frame["cases"])
    typ = frame["employment_type"].str.strip().str.lower()
    reason = frame["leaving_reason"].str.strip().str.lower()
    ids = frame["worker_id"].str.strip()
    blank = {c: _blank(frame[c]) for c in _WORKER_ONLY + ("agency_cover",)}
    ex_ok = ex.notna()
    late = {c: out_of_range(frame[c]) for c in ("extract_date", "start_date", "leaving_date")}
    ref = first if pd.notna(first) else pd.Timestamp(today)
    left = leave.notna() & (leave <= ref)
    return {
        "record_type": w | v,
        "extract_date_parse": ex_ok | late["extract_date"],
        "extract_date_range": ~late["extract_date"],
        "extract_date_same": ~ex_ok | (ex == first),
        "extract_date_future": ~ex_ok | (ex <= pd.Timestamp(today)),
        "worker_id_missing": ~w | ~blank["worker_id"],
        "worker_id_duplicate": ~w | blank["worker_id"] | ~ids.where(w).duplicated(keep=False),
        "team": ~_blank(frame["team"]),
        "role": frame["role"].str.strip().str.lower().isin(list(ROLES)),
        "fte": fte.gt(0) & fte.le(1),
        "employment_type": ~w | typ.isin([PERMANENT, AGENCY]),
        "start_date": ~w | start.notna() | late["start_date"],
        "start_date_range": ~w | ~late["start_date"],
        "start_future": ~w | start.isna() | (start <= ref),
        "leaving_date": ~w | blank["leaving_date"] | leave.notna() | late["leaving_date"],
        "leaving_date_range": ~w | ~late["leaving_date"],
        "leaving_future": ~w | leave.isna() | (leave <= ref),
        "leaving_before_start": ~w | leave.isna() | start.isna() | (leave >= start),
        "leaving_reason": ~w | blank["leaving_reason"] | reason.isin(list(LEAVING_REASONS)),
        "leaving_reason_missing": ~w | leave.isna() | ~blank["leaving_reason"],
        "leaving_reason_without_date": ~w | blank["leaving_reason"] | ~blank["leaving_date"],
        "sickness_days": ~w | blank["sickness_days"] | (sick.ge(0) & sick.le(MAX_SICKNESS_DAYS)),
        "sickness_agency": ~w | ~typ.eq(AGENCY) | ~sick.gt(0).fillna(False),
        "cases": ~w
        | blank["cases"]
        | (cases.ge(0) & cases.le(MAX_CASES) & (cases.round() == cases)),
        "cases_leaver": ~w | ~left | ~cases.gt(0).fillna(False),
        "joined_as_asye": ~w
        | blank["joined_as_asye"]
        | frame["joined_as_asye"].str.strip().str.lower().isin([YES, NO]),
        "agency_cover": ~v | frame["agency_cover"].str.strip().str.lower().isin([YES, NO]),
        "vacancy_worker_fields": ~v
        | pd.concat([blank[c] for c in _WORKER_ONLY], axis=1).all(axis=1),
        **{
            name: ~frame[name.split(":")[1]].str.strip().str.lower().isin(MISSING_AS_TEXT)
            for name in _MESSAGES
            if name.startswith("missing_as_text:")
        },
    }


def extract_schema(today: date | None = None) -> pa.DataFrameSchema:
    """The declared schema of an HR extract (every cell read as text).

    Each check is a row-wise pandera check named after an entry in ``_MESSAGES``, which
    says which column it is reported against and what is wrong.
    """
    today = today or date.today()
    memo: dict[int, dict[str, pd.Series]] = {}

    def result(df: pd.DataFrame, name: str) -> pd.Series:
        if id(df) not in memo:  # every check comes from one pass over the frame
            memo.clear()
            memo[id(df)] = _checks(df, today)
        return memo[id(df)][name]

    checks = [pa.Check(lambda df, name=name: result(df, name), name=name) for name in _MESSAGES]
    return pa.DataFrameSchema(
        {c: pa.Column(str) for c in COLUMN_NAMES}, checks=checks, strict=False, coerce=False
    )


def with_all_columns(raw: pd.DataFrame) -> pd.DataFrame:
    """A copy with every column of :data:`COLUMNS`: optional ones left out become blank."""
    frame = raw.copy()
    for c in COLUMN_NAMES:
        if c not in frame.columns:
            frame[c] = ""
    return frame


def _value(frame: pd.DataFrame, row: int, name: str) -> str:
    column = _MESSAGES[name][0]
    if name == "worker_id_duplicate":
        return frame.at[row, "worker_id"]
    if name == "leaving_before_start":
        return f"{frame.at[row, 'leaving_date']} (start_date {frame.at[row, 'start_date']})"
    return frame.at[row, column]


def validate_extract(raw: pd.DataFrame, source: str = "<extract>", today=None) -> None:
    """Check a raw (all-text) extract; raise one error listing every problem.

    Raises
    ------
    DataValidationError
        Missing columns; duplicate worker ids; leaving before starting; FTE outside
        (0, 1]; unknown role, type or reason; unreadable or future dates; and the rest of
        ``_MESSAGES``. Each problem names the file, row (line), column and value.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise DataValidationError(
            source, [Problem(source, None, c, None, "column missing") for c in missing]
        )
    if raw.empty:
        raise DataValidationError(source, [Problem(source, None, None, None, "no rows")])
    frame = with_all_columns(raw)
    try:
        extract_schema(today).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems = []
        for case in err.failure_cases.itertuples(index=False):
            name = str(case.check)
            if name not in _MESSAGES or case.index is None or pd.isna(case.index):
                problems.append(Problem(source, None, str(case.column), case.failure_case, name))
                continue
            row = int(case.index)
            column, message = _MESSAGES[name]
            problems.append(Problem(source, row + 2, column, _value(frame, row, name), message))
        worded = {(p.row, p.column) for p in problems if "written as text" in p.message}
        problems = [
            p for p in problems
            if (p.row, p.column) not in worded or "written as text" in p.message
        ]  # fmt: skip
        unique = {(p.row, p.column, p.message): p for p in problems}
        raise DataValidationError(
            source, sorted(unique.values(), key=lambda p: (p.row or 0, p.column or ""))
        ) from None


# ---------------------------------------------------------------- reading
def data_sheet(path: Path) -> str:
    """The first sheet of a workbook whose first row holds the extract's required columns
    (a workbook may open with a README or notes sheet).

    Raises
    ------
    DataValidationError
        No sheet has the header; the error names every sheet and what its first row lacks.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # a corrupt or disguised file: say so, no traceback
        raise WorkforceError(f"{path.name}: not a readable .xlsx workbook ({err}).") from None
    problems = []
    try:
        for sheet in book.worksheets:
            first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
            header = {str(c).strip().lower() for c in first if c is not None}
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if not missing:
                return sheet.title
            problems.append(
                Problem(path.name, 1, None, sheet.title,
                        "sheet's first row lacks the columns " + ", ".join(missing))
            )  # fmt: skip
    finally:
        book.close()
    empty = Problem(path.name, None, None, None, "the workbook has no sheets")
    raise DataValidationError(path.name, problems or [empty])


def read_raw(path: str | Path, sheet: str | None = None) -> pd.DataFrame:
    """Every cell of a CSV or XLSX extract as text (blank cells as ""), header on line 1.

    For a workbook, ``sheet`` (default: :func:`data_sheet`) is the sheet read. Text such
    as ``nan`` or ``None`` in a cell stays as written (and validation refuses it); only
    truly empty cells are blank.
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"No HR extract at {path}.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = pd.read_csv(
            path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
        )
    elif suffix in (".xlsx", ".xlsm"):
        sheet = sheet or data_sheet(path)
        raw = pd.read_excel(
            path, sheet_name=sheet, dtype=object, keep_default_na=False, na_filter=False,
            engine="openpyxl",
        )  # fmt: skip
        raw = raw.map(_cell_text)
    else:
        raise WorkforceError(f"{path.name}: an HR extract must be .csv or .xlsx, not {suffix!r}.")
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    return raw


def _cell_text(value) -> str:
    """A workbook cell as the text a CSV would hold: empty as "", dates as YYYY-MM-DD,
    whole numbers without ".0"."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (pd.Timestamp, date)):
        return (
            f"{pd.Timestamp(value):%Y-%m-%d}"
            if pd.Timestamp(value) == pd.Timestamp(value).normalize()
            else str(value)
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def tidy(raw: pd.DataFrame, source: Path) -> Extract:
    """Typed workers and vacancies from a validated raw extract."""
    frame = with_all_columns(raw)
    lower = {c: frame[c].str.strip().str.lower() for c in frame.columns}
    rt = lower["record_type"]
    line = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    w = rt == WORKER
    workers = pd.DataFrame(
        {
            "worker_id": frame.loc[w, "worker_id"].str.strip(),
            "team": frame.loc[w, "team"].str.strip(),
            "role": lower["role"][w],
            "fte": _numbers(frame.loc[w, "fte"]).astype(float),
            "employment_type": lower["employment_type"][w],
            "start_date": parse_dates(frame.loc[w, "start_date"]),
            "leaving_date": parse_dates(frame.loc[w, "leaving_date"]),
            "leaving_reason": lower["leaving_reason"][w],
            "sickness_days": _numbers(frame.loc[w, "sickness_days"]).fillna(0.0).astype(float),
            "cases": _numbers(frame.loc[w, "cases"]).fillna(0).astype(int),
            "joined_as_asye": lower["joined_as_asye"][w].eq(YES) | lower["role"][w].eq("asye"),
            "row": line[w],
        }
    ).reset_index(drop=True)
    v = rt == VACANCY
    vacancies = pd.DataFrame(
        {
            "team": frame.loc[v, "team"].str.strip(),
            "role": lower["role"][v],
            "fte": _numbers(frame.loc[v, "fte"]).astype(float),
            "agency_cover": lower["agency_cover"][v].eq(YES),
            "row": line[v],
        }
    ).reset_index(drop=True)
    extract_date = parse_dates(frame["extract_date"]).iloc[0]
    return Extract(workers, vacancies, pd.Timestamp(extract_date), source)


def read_extract(path: str | Path, today: date | None = None) -> Extract:
    """Read, validate and type an HR extract (CSV or XLSX).

    Raises
    ------
    DataNotFoundError
        No file at ``path``.
    DataValidationError
        Every problem in the file, in one error.
    """
    path = Path(path)
    sheet = (
        data_sheet(path) if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm") else None
    )
    raw = read_raw(path, sheet)
    name = path.name if sheet is None else f"{path.name} (sheet {sheet!r})"
    validate_extract(raw, name, today)
    ex = tidy(raw, path)
    return Extract(ex.workers, ex.vacancies, ex.extract_date, ex.source, sheet)


# ---------------------------------------------------------------- template
def template_frame() -> pd.DataFrame:
    """The template: the columns in order, with one example of each kind of row."""
    rows = [
        {
            "record_type": WORKER,
            "extract_date": "2025-09-30",
            "worker_id": "W-0001",
            "team": "Assessment North",
            "role": "social_worker",
            "fte": "1",
            "employment_type": PERMANENT,
            "start_date": "2021-03-01",
            "leaving_date": "",
            "leaving_reason": "",
            "sickness_days": "4.5",
            "cases": "17",
            "joined_as_asye": NO,
            "agency_cover": "",
        },
        {
            "record_type": WORKER,
            "extract_date": "2025-09-30",
            "worker_id": "W-0002",
            "team": "Assessment North",
            "role": "asye",
            "fte": "0.8",
            "employment_type": PERMANENT,
            "start_date": "2024-09-02",
            "leaving_date": "2025-06-30",
            "leaving_reason": "resignation",
            "sickness_days": "2",
            "cases": "",
            "joined_as_asye": YES,
            "agency_cover": "",
        },
        {
            "record_type": WORKER,
            "extract_date": "2025-09-30",
            "worker_id": "W-0003",
            "team": "Children in Care",
            "role": "social_worker",
            "fte": "1",
            "employment_type": AGENCY,
            "start_date": "2025-02-10",
            "leaving_date": "",
            "leaving_reason": "",
            "sickness_days": "",
            "cases": "19",
            "joined_as_asye": "",
            "agency_cover": "",
        },
        {
            "record_type": VACANCY,
            "extract_date": "2025-09-30",
            "worker_id": "",
            "team": "Children in Care",
            "role": "senior_practitioner",
            "fte": "1",
            "employment_type": "",
            "start_date": "",
            "leaving_date": "",
            "leaving_reason": "",
            "sickness_days": "",
            "cases": "",
            "joined_as_asye": "",
            "agency_cover": YES,
        },
    ]
    return pd.DataFrame(rows, columns=list(COLUMN_NAMES))


def write_extract(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write an extract frame as CSV or XLSX (by the file's suffix)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        frame.to_excel(path, index=False, sheet_name="extract", engine="openpyxl")
    elif path.suffix.lower() == ".csv":
        write_csv(frame, path)
    else:
        raise WorkforceError(f"{path.name}: write an extract as .csv or .xlsx.")
    return path
