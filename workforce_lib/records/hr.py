"""DfE's workforce measures, and the ones DfE does not publish, from a council's HR extract.

The components (in-post FTE, leavers FTE, cases, ...) are counted from the extract by
DfE's rules; the measures are then computed by :mod:`workforce_lib.measures`, the same
code that checks the published release, so an extract that matches a council's return
gives the council's published figures.

Counting rules (DfE census, year to 30 September):

* in post at a date: permanent, started on or before it and not left by it (a
  ``leaving_date`` is the last day of service, so a worker who leaves on the date is a
  leaver, not in post);
* starters and leavers: permanent workers whose start or leaving date falls in the
  12 months up to and including the date; so in post now = in post a year ago +
  starters - leavers, exactly, in people (and in FTE while nobody's FTE changes);
* agency workers: agency rows in assignment at the date;
* vacancies, cases held and sickness days are recorded as at (for the 12 months to) the
  extract date only; at other dates those measures are "not available", never guessed.

Everything a report shows goes through :mod:`workforce_lib.records.disclosure`, by way of one
release per extract (:func:`build_release`): which figures may be shown at every month end
an as-at date can take, decided once, so that no two outputs (two as-at dates, the series
and a headline, a team and the total, two thresholds) differ on fewer than 5 people. As-at
dates are month ends only (:func:`resolve_as_at`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np
import pandas as pd

from workforce_lib.errors import WorkforceError
from workforce_lib.measures import (
    MEASURES,
    Measure,
    one_year_before,
    round_half_up,
    working_days_to,
)
from workforce_lib.published.areas import REFERENCE_DIR
from workforce_lib.published.comparison import MeasureComparison, json_safe, number_or_none
from workforce_lib.published.loading import read_csv_as_text
from workforce_lib.records import disclosure, sdc
from workforce_lib.records.disclosure import shown_frame
from workforce_lib.records.extract import AGENCY, LEAVING_REASONS, PERMANENT, Extract

#: Case holders include agency workers holding cases (an assumption to confirm against
#: your own return: set False to count employed social workers only).
CASELOAD_INCLUDES_AGENCY = True

#: Default desired caseload (cases per FTE) for "within desired caseload"; a local policy
#: figure, not a DfE one: pass your own.
DEFAULT_DESIRED_CASELOAD = 18.0

#: Months in the rolling series by default.
DEFAULT_SERIES_MONTHS = 36

#: DfE's length-of-service bands (years with the council), lower bounds inclusive.
SERVICE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("Less than 2 years", 0, 2),
    ("2 to less than 5 years", 2, 5),
    ("5 to less than 10 years", 5, 10),
    ("10 to less than 20 years", 10, 20),
    ("20 to less than 30 years", 20, 30),
    ("30 years or more", 30, math.inf),
)

#: Caseload bands (cases per FTE held by a case holder: a person once, over all their
#: posts holding cases), upper bounds inclusive.
CASELOAD_BANDS: tuple[tuple[str, float, float], ...] = (
    ("Up to 5", 0, 5),
    ("Over 5, up to 10", 5, 10),
    ("Over 10, up to 15", 10, 15),
    ("Over 15, up to 20", 15, 20),
    ("Over 20, up to 25", 20, 25),
    ("Over 25, up to 30", 25, 30),
    ("Over 30", 30, math.inf),
)

#: How the caseload figures count (the report's caseload sentence says it).
CASELOAD_COUNTED = (
    "Each person holding cases is counted once, at their cases per FTE over all the posts "
    "in which they hold cases."
)
#: The first column's heading of the caseload table as the report and its CSV show it.
CASELOAD_BAND_HEADING = "Cases per FTE (each person's, over their posts holding cases)"

#: National figures that are not in the data the project ships, each with its source.
NATIONAL_FIGURES = REFERENCE_DIR / "national_figures.csv"
_NATIONAL_COLUMNS = ("key", "value", "year", "period", "measure", "source", "url", "note")


@dataclass(frozen=True)
class NationalFigure:
    """One row of ``data/reference/national_figures.csv``: a national percentage a report
    sets beside a council's own, with its period and source (never from the shipped data)."""

    value: float
    year: int
    period: str
    measure: str
    source: str
    url: str
    note: str


def national_figure(key: str, path: Path | None = None) -> NationalFigure:
    """The national figure ``key`` from ``data/reference/national_figures.csv`` (or ``path``).

    Raises
    ------
    WorkforceError
        The file, row, column and value of every problem in one message: a column or the
        key missing, a value that is not a percentage from 0 to 100, a year that is not a
        census year, an address that is not https.

    Examples
    --------
    >>> f = national_figure("leavers_under_five_years_service_pct")
    >>> f.value, f.year, f.period
    (70.4, 2022, 'year to 30 September 2022')
    >>> f.source.startswith("DfE children's social work workforce census, reporting year 2022")
    True
    """
    p = Path(path) if path else NATIONAL_FIGURES
    st = p.stat() if p.is_file() else None
    if st is None:
        raise WorkforceError(f"{p}: national figures file not found.")
    figures = _national_figures(p, st.st_mtime_ns, st.st_size)
    if key not in figures:
        raise WorkforceError(f"{p.name}: no row with key {key!r}.")
    return figures[key]


@lru_cache(maxsize=4)
def _national_figures(path: Path, mtime_ns: int, size: int) -> dict[str, NationalFigure]:
    if size > 1_000_000:
        raise WorkforceError(f"{path.name}: {size:,} bytes; at most 1,000,000 are read.")
    df = read_csv_as_text(path)
    missing = [c for c in _NATIONAL_COLUMNS if c not in df.columns]
    if missing:
        raise WorkforceError(f"{path.name}: columns missing: {', '.join(missing)}.")
    problems, out, seen = [], {}, set()
    for i, row in df.iterrows():
        where = f"{path.name}, row {i + 2}"
        try:
            value = float(row["value"])
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and 0 <= value <= 100):
            problems.append(f"{where}, column value: {row['value']!r} is not a percentage 0-100")
        if not (row["year"].isdigit() and 2013 <= int(row["year"]) <= 2100):
            problems.append(f"{where}, column year: {row['year']!r} is not a census year")
        if not row["url"].startswith("https://"):
            problems.append(f"{where}, column url: {row['url']!r:.80} is not an https address")
        for col in ("key", "source", "measure", "period"):
            if not row[col].strip():
                problems.append(f"{where}, column {col}: empty")
        if row["key"] in seen:
            problems.append(f"{where}, column key: {row['key']!r} is given twice")
        seen.add(row["key"])
        if not problems:
            out[row["key"]] = NationalFigure(
                value, int(row["year"]), row["period"], row["measure"], row["source"],
                row["url"], row["note"],
            )  # fmt: skip
    if problems:
        raise WorkforceError(f"{path.name}: {len(problems)} problem(s)\n  " + "\n  ".join(problems))
    return out


#: Years after intake at which ASYE cohort retention is counted.
ASYE_YEARS: tuple[int, ...] = (1, 2, 3)

#: Which count of distinct people each component rests on (None: posts, not people).
#: DfE's headcounts are not always people counts (agency records are not de-duplicated,
#: starters and leavers are de-duplicated with their date), so disclosure control counts
#: the people themselves.
PEOPLE: dict[str, str | None] = {
    "inpost_fte": "inpost_people",
    "inpost_headcount": "inpost_people",
    "starters_fte": "starters_people",
    "starters_headcount": "starters_people",
    "leavers_fte": "leavers_people",
    "leavers_headcount": "leavers_people",
    "agency_fte": "agency_people",
    "agency_headcount": "agency_people",
    "agency_cover_fte": None,
    "vacancy_fte": None,
    "case_holders_fte": "case_holders_headcount",
    "cases": "case_holders_headcount",
    "working_days_lost_fte": "absent_headcount",
}
#: Components only recorded at the extract date.
POINT_IN_TIME = ("agency_cover_fte", "vacancy_fte", "case_holders_fte", "cases")
ANNUAL_AT_EXTRACT = ("working_days_lost_fte",)
_PEOPLE_COLUMNS = ("case_holders_headcount", "absent_headcount")
#: What every HR output says about its disclosure control (docs/hr-extract.md says more).
DISCLOSURE_NOTE = (
    "Figures derived from staff records are disclosure-controlled (c = suppressed to protect "
    "confidentiality): no figure shown, and no difference between figures for the same group "
    "at two month ends, rests on fewer than {t} people; parts not shown beside a total hold "
    "at least {t} people between them. As-at dates are month ends only, and every as-at date "
    "and threshold is a view of one protected set of figures, so comparing reports reveals "
    "nobody. Counts are exact, not perturbed."
)

#: Status of an ASYE figure whose anniversary has not come, and of an intake whose
#: census year is not over (it would grow month by month, one person at a time).
NOT_YET = "not yet"
INTAKE_NOT_OVER = "not yet: the intake year is not over"
#: Status of a measure recorded only at the extract date, at any other date.
NOT_AVAILABLE = "not available: recorded at the extract date only"

_FAR = np.datetime64("2262-01-01")
#: The start of a record with no start date (a census return's record without
#: ``RoleStartDate``; an HR extract always has one): before any date, so the record is in
#: post until it leaves, and never a starter.
_LONG_AGO = np.datetime64("1000-01-01")


def census_date(day: date | pd.Timestamp) -> pd.Timestamp:
    """The latest 30 September on or before ``day``.

    >>> census_date(date(2025, 11, 3)).date(), census_date(date(2025, 9, 1)).date()
    (datetime.date(2025, 9, 30), datetime.date(2024, 9, 30))
    """
    day = pd.Timestamp(day)
    year = day.year if (day.month, day.day) >= (9, 30) else day.year - 1
    return pd.Timestamp(year, 9, 30)


def census_year(days: pd.Series) -> pd.Series:
    """The census year (to 30 September) each date falls in."""
    return days.dt.year + ((days.dt.month >= 10).astype(int))


# ---------------------------------------------------------------- components
def _service_days(workers: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each worker's start and leaving dates as days: no leaving date is a far future one,
    no start date a long past one. This is the one definition of "in post" (started on or
    before the day, not left by it), "starter" and "leaver" (:func:`components_at`,
    :func:`_in_post`): a record with no start date is in post until its end date and is
    never a starter.

    >>> w = pd.DataFrame({"start_date": pd.to_datetime(["2025-01-06", None]),
    ...                   "leaving_date": pd.to_datetime([None, "2025-03-31"])})
    >>> [str(x) for x in np.concatenate(_service_days(w))]
    ['2025-01-06', '1000-01-01', '2262-01-01', '2025-03-31']
    """
    start = workers["start_date"].to_numpy("datetime64[D]")
    leave = workers["leaving_date"].to_numpy("datetime64[D]")
    return np.where(np.isnat(start), _LONG_AGO, start), np.where(np.isnat(leave), _FAR, leave)


def _year_windows(idx: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Each date as a day, and the day a year before it: the 12 months to it are (d0, d]."""
    d0 = np.array([one_year_before(x.date()) for x in idx], dtype="datetime64[D]")
    return idx.to_numpy("datetime64[D]"), d0


def _people(workers: pd.DataFrame) -> np.ndarray:
    """Each record's person as a number: ``person`` where the table has that column (a
    census return, where one person may hold two posts), else ``worker_id``."""
    ids = workers["person"] if "person" in workers.columns else workers["worker_id"]
    return pd.factorize(ids)[0]


#: What DfE's methodology de-duplicates a headcount on, besides the council (one table
#: is one council): Social Work England number (here its pseudonym ``person``), date of
#: birth, gender and ethnicity. An HR extract has one row per ``worker_id``.
DFE_DUPLICATE_KEY: tuple[str, ...] = ("person", "birth_date", "gender", "ethnicity")


def _dfe_heads(workers: pd.DataFrame, date_column: str | None = None) -> np.ndarray:
    """Each record's entry in a DfE headcount as a number: records with the same number
    count once. On :data:`DFE_DUPLICATE_KEY`, plus ``date_column`` (starters are
    de-duplicated with their start date, leavers with their leaving date).

    >>> w = pd.DataFrame({"person": ["a", "a", "a", "b"], "birth_date": pd.NaT,
    ...     "gender": 1, "ethnicity": "WBRI", "start_date": pd.to_datetime(
    ...     ["2024-11-01", "2024-11-01", "2025-02-01", "2025-02-01"])})
    >>> _dfe_heads(w).tolist(), _dfe_heads(w, "start_date").tolist()
    ([0, 0, 0, 1], [0, 0, 1, 2])
    """
    has_key = all(c in workers.columns for c in DFE_DUPLICATE_KEY)
    cols = list(DFE_DUPLICATE_KEY) if has_key else ["worker_id"]
    if date_column is not None:
        cols.append(date_column)
    return workers.groupby(cols, dropna=False, sort=False).ngroup().to_numpy()


def _heads(mask: np.ndarray, people: np.ndarray) -> np.ndarray:
    """Distinct people among the records picked by each row of ``mask`` (DfE counts a
    person once in a headcount; FTE is summed over records).

    >>> _heads(np.array([[True, True, True], [False, True, False]]), np.array([0, 0, 1]))
    array([2., 1.])
    """
    mask = np.atleast_2d(mask)
    if len(np.unique(people)) == len(people):
        return mask.sum(1).astype(float)
    return np.array([np.unique(people[row]).size for row in mask], dtype=float)


def components_at(extract: Extract, dates) -> pd.DataFrame:
    """Raw (unsuppressed) components and people counts at each date.

    Not for display: pass the result through :func:`measures_from` first.

    Parameters
    ----------
    dates : one date or many (each the end of a 12-month year).

    Returns
    -------
    DataFrame indexed by date: every component column of :data:`MEASURES` plus
    ``case_holders_headcount`` and ``absent_headcount``; NaN where the component is only
    recorded at the extract date and the date is another.
    """
    idx = pd.DatetimeIndex(pd.to_datetime(np.atleast_1d(dates)))
    w = extract.workers
    start, leave = _service_days(w)
    fte = np.nan_to_num(w["fte"].to_numpy(float))  # a record with no FTE adds none
    perm = (w["employment_type"] == PERMANENT).to_numpy()
    agency = (w["employment_type"] == AGENCY).to_numpy()
    d, d0 = (x[:, None] for x in _year_windows(idx))
    in_post = (start <= d) & (leave > d)
    started = (start > d0) & (start <= d)
    left = (leave > d0) & (leave <= d)
    who = _people(w)
    out = {
        "inpost_fte": (in_post & perm) @ fte,
        "inpost_headcount": _heads(in_post & perm, _dfe_heads(w)),
        "starters_fte": (started & perm) @ fte,
        "starters_headcount": _heads(started & perm, _dfe_heads(w, "start_date")),
        "leavers_fte": (left & perm) @ fte,
        "leavers_headcount": _heads(left & perm, _dfe_heads(w, "leaving_date")),
        "agency_fte": (in_post & agency) @ fte,
        # DfE does not de-duplicate agency records: each is counted as a person
        "agency_headcount": (in_post & agency).sum(1).astype(float),
        "inpost_people": _heads(in_post & perm, who),
        "starters_people": _heads(started & perm, who),
        "leavers_people": _heads(left & perm, who),
        "agency_people": _heads(in_post & agency, who),
    }
    frame = pd.DataFrame(out, index=idx).astype(float)
    for c in POINT_IN_TIME + ANNUAL_AT_EXTRACT + _PEOPLE_COLUMNS:
        frame[c] = np.nan
    at = frame.index == extract.extract_date
    if at.any():
        frame.loc[at, list(POINT_IN_TIME + ANNUAL_AT_EXTRACT + _PEOPLE_COLUMNS)] = list(
            _extract_date_components(extract).values()
        )
    return frame


def _extract_date_components(extract: Extract) -> dict[str, float]:
    """Vacancies, cases and sickness, which the extract holds for its own date only."""
    w, v = extract.workers, extract.vacancies
    holders = _case_holders(extract)
    perm = w["employment_type"] == PERMANENT
    return {
        "agency_cover_fte": float(v.loc[v["agency_cover"], "fte"].sum()),
        "vacancy_fte": float(v["fte"].sum()),
        "case_holders_fte": float(w.loc[holders, "fte"].sum()),
        "cases": float(w.loc[holders, "cases"].sum()),
        "working_days_lost_fte": float(w.loc[perm, "sickness_days"].sum()),
        "case_holders_headcount": float(_heads(holders.to_numpy(), _people(w))[0]),
        "absent_headcount": float(
            _heads((perm & (w["sickness_days"] > 0)).to_numpy(), _people(w))[0]
        ),
    }


# ---------------------------------------------------------------- measures
@dataclass
class HrMeasures:
    """Measures at one or more dates, after disclosure control.

    ``values`` is NaN where a value is not shown; ``status`` then says why
    (``c: fewer than 5 people``, ``not available: ...``), as a release's status does.
    """

    values: pd.DataFrame
    status: pd.DataFrame
    threshold: int


def _values(comp: pd.DataFrame) -> pd.DataFrame:
    """Every DfE measure from components, rounded as DfE rounds; not yet controlled."""
    years = comp.index.year.to_numpy()
    days = np.array([working_days_to(d.date()) for d in comp.index], dtype=float)
    values = {}
    for m in MEASURES.values():
        raw = m.compute({c: comp[c].to_numpy(float) for c in m.components}, years, days)
        values[m.name] = np.atleast_1d(round_half_up(raw, m.decimals))
    return pd.DataFrame(values, index=comp.index)


def measures_from(
    comp: pd.DataFrame,
    threshold: int = disclosure.DEFAULT_THRESHOLD,
    hidden: pd.DataFrame | None = None,
) -> HrMeasures:
    """Measures from components (:func:`components_at`), a measure hidden where any of
    its components is (``hidden``: dates x components, True where not shown) or not
    recorded.

    Without ``hidden`` (components not from one extract's release, e.g. census returns
    of several years), a component is hidden where the people behind it number 1 to
    ``threshold - 1``, and starters and leavers are hidden together (in post now - a year
    ago = starters - leavers).
    """
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    if hidden is None:
        hidden = _people_hidden(comp, threshold)
    values = _values(comp)
    status = pd.DataFrame("", index=comp.index, columns=values.columns, dtype=object)
    for m in MEASURES.values():
        cols = list(m.components)
        off = hidden.reindex(columns=cols, fill_value=False).any(axis=1)
        missing = comp[cols].isna().any(axis=1)
        status.loc[off, m.name] = disclosure.STATUS
        status.loc[missing, m.name] = NOT_AVAILABLE
        values[m.name] = values[m.name].mask(off | missing)
    return HrMeasures(values, status, threshold)


def _people_hidden(comp: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Components resting on 1 to ``threshold - 1`` people; starters and leavers together."""
    hidden = pd.DataFrame(False, index=comp.index, columns=list(PEOPLE))
    for c, p in PEOPLE.items():
        if p is not None:
            hidden[c] = disclosure.too_few(comp[p].fillna(0), threshold)
    flows = ["starters_fte", "starters_headcount", "leavers_fte", "leavers_headcount"]
    either = hidden[flows].any(axis=1)
    for c in flows:
        hidden[c] = either
    return hidden


def _hidden_components(extract: Extract, comp: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Which components are not shown at each date: the release's council cells, and
    the figures recorded at the extract date by the people behind them."""
    rel = build_release(extract, threshold)
    hidden = pd.DataFrame(False, index=comp.index, columns=list(PEOPLE))
    for c, cell in CELLS.items():
        hidden[c] = [rel.hidden(cell, d) for d in comp.index]
    for c, p in PEOPLE.items():
        if c not in CELLS and p is not None:
            hidden[c] = disclosure.too_few(comp[p].fillna(0), threshold)
    return hidden


def measures_at(
    extract: Extract, as_at=None, threshold: int = disclosure.DEFAULT_THRESHOLD
) -> HrMeasures:
    """Measures at ``as_at`` (default: the latest 30 September on or before the extract
    date) and a year before, disclosure-controlled; rows are the two dates."""
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    comp = components_at(extract, headline_dates(resolve_as_at(extract, as_at)))
    return measures_from(comp, threshold, _hidden_components(extract, comp, threshold))


def headline_dates(day: pd.Timestamp) -> list[pd.Timestamp]:
    """The dates a report's headline compares: a year before ``day``, and ``day``."""
    return [pd.Timestamp(one_year_before(day.date())), day]


def month_ends(extract: Extract, months: int = DEFAULT_SERIES_MONTHS) -> pd.DatetimeIndex:
    """The last ``months`` month ends up to the extract date (the extract date itself when
    it is a month end)."""
    end = extract.extract_date
    last = end if end.is_month_end else end - pd.offsets.MonthEnd(1)
    return pd.date_range(end=last, periods=months, freq="ME")


def monthly_series(
    extract: Extract,
    months: int = DEFAULT_SERIES_MONTHS,
    threshold: int = disclosure.DEFAULT_THRESHOLD,
    shown_with=None,
) -> HrMeasures:
    """Rolling 12-month measures at each of the last ``months`` month ends (turnover =
    leavers in the 12 months to the month end over in-post then), disclosure-controlled.

    The series is a view of the extract's release (:func:`build_release`), as is every
    as-at date's headline, so no two of them differ on fewer than ``threshold`` people.
    ``shown_with`` is accepted for compatibility and not needed: every as-at date a
    report can show is already protected.
    """
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    if int(months) != months or not 1 <= months <= AS_AT_MONTHS:
        raise AsAtError(f"months in the series must be 1 to {AS_AT_MONTHS}, not {months!r}")
    comp = components_at(extract, month_ends(extract, int(months)))
    return measures_from(comp, threshold, _hidden_components(extract, comp, threshold))


def suppressed_months(series: HrMeasures, measures) -> str:
    """A sentence naming the month ends a chart of ``measures`` leaves out, and why.

    >>> idx = pd.date_range("2025-01-31", periods=3, freq="ME")
    >>> st = pd.DataFrame({"inpost_fte": ["", disclosure.STATUS, ""]}, index=idx)
    >>> suppressed_months(HrMeasures(st.isna(), st, 5), ["inpost_fte"])[:58]
    '1 of 3 month ends not shown in the charts (February 2025):'
    """
    st = series.status[list(measures)]
    hit = st.apply(lambda c: c.eq(disclosure.STATUS)).any(axis=1)
    if not hit.any():
        return f"Every one of the {len(st)} month ends is shown."
    names = ", ".join(f"{d:%B %Y}" for d in st.index[hit.to_numpy()])
    return (
        f"{int(hit.sum())} of {len(st)} month ends not shown in the charts ({names}): "
        f"{disclosure.REASON}, as a figure there, or its difference from another month shown, "
        f"would rest on fewer than {series.threshold} people."
    )


# ---------------------------------------------------------------- as-at dates
#: How far back an as-at date may go: month ends in this many months up to the extract.
AS_AT_MONTHS = DEFAULT_SERIES_MONTHS


class AsAtError(WorkforceError, ValueError):
    """An as-at date the HR report does not give figures for."""


def allowed_as_at(extract: Extract) -> pd.DatetimeIndex:
    """The as-at dates a report may use: the last :data:`AS_AT_MONTHS` month ends up to
    the extract date. Only month ends: two reports a day apart would show one person."""
    return month_ends(extract, AS_AT_MONTHS)


def release_dates(extract: Extract) -> pd.DatetimeIndex:
    """Every date any figure of the extract may be shown at: each allowed as-at date and
    the year before it (the headline's comparison)."""
    allowed = allowed_as_at(extract)
    before = [pd.Timestamp(one_year_before(d.date())) for d in allowed]
    return allowed.union(pd.DatetimeIndex(before))


def resolve_as_at(extract: Extract, as_at=None) -> pd.Timestamp:
    """The as-at date: given (a month end within :data:`AS_AT_MONTHS` months of the
    extract, not after it), or the latest 30 September on or before the extract date.

    Raises
    ------
    AsAtError
        Not a date, not a month end, after the extract date or too early.
    """
    if as_at is None or as_at == "":
        return census_date(extract.extract_date)
    try:
        day = pd.Timestamp(as_at)
    except (ValueError, TypeError):
        raise AsAtError(f"as-at date {as_at!r} is not a date (use YYYY-MM-DD)") from None
    if pd.isna(day) or day != day.normalize():
        raise AsAtError(f"as-at date {as_at!r} is not a date (use YYYY-MM-DD)")
    if day > extract.extract_date:
        raise AsAtError(
            f"as-at date {day:%Y-%m-%d} is after the extract date "
            f"{extract.extract_date:%Y-%m-%d}: the extract cannot say what happened then"
        )
    if not day.is_month_end:
        before = day - pd.offsets.MonthEnd(1)
        raise AsAtError(
            f"as-at date {day:%Y-%m-%d} is not a month end: figures are given at month ends "
            f"only (e.g. {before:%Y-%m-%d}), so that two reports days apart cannot be "
            "compared to reveal one person"
        )
    first = allowed_as_at(extract)[0]
    if day < first:
        raise AsAtError(
            f"as-at date {day:%Y-%m-%d} is more than {AS_AT_MONTHS} months before the extract "
            f"date: the earliest is {first:%Y-%m-%d}"
        )
    return day


# ---------------------------------------------------------------- the release
#: The people each component's cell counts (a measure is shown when all its cells are).
CELLS: dict[str, str] = {
    "inpost_fte": "inpost",
    "inpost_headcount": "inpost",
    "starters_fte": "starters",
    "starters_headcount": "starters",
    "leavers_fte": "leavers",
    "leavers_headcount": "leavers",
    "agency_fte": "agency",
    "agency_headcount": "agency",
}
#: Breakdowns of a council cell: (table, the column labelling each person, the total).
BREAKDOWNS: tuple[tuple[str, str, str], ...] = (
    ("team_inpost", "team", "inpost"),
    ("team_agency", "team", "agency"),
    ("team_leavers", "team", "leavers"),
    ("service", "service_band", "leavers"),
    ("reason", "leaving_reason", "leavers"),
)


@dataclass
class Release:
    """Which figures of an extract may be shown, at every date any output can show.

    Every output of the project (any allowed as-at date, the monthly series, any
    threshold) is a view of this one release, so no two outputs differ by more than it
    allows. ``cells``: council cell -> hidden flag per date; ``tables``: breakdown ->
    DataFrame of hidden flags (rows x dates); ``months``: ``starters``/``leavers`` ->
    hidden flag per calendar month (``YYYY-MM``).
    """

    dates: pd.DatetimeIndex
    threshold: int
    cells: dict[str, pd.Series]
    tables: dict[str, pd.DataFrame]
    months: dict[str, pd.Series]

    def hidden(self, cell: str, day: pd.Timestamp) -> bool:
        return bool(self.cells[cell].get(pd.Timestamp(day), True))


def _service_band(w: pd.DataFrame) -> pd.Series:
    years = (w["leaving_date"] - w["start_date"]).dt.days / 365.25
    labels = [b[0] for b in SERVICE_BANDS]
    band = pd.cut(years, [b[1] for b in SERVICE_BANDS] + [math.inf], labels=labels, right=False)
    return band.astype(object).where(band.notna(), "")


def _members(extract: Extract, dates: pd.DatetimeIndex) -> dict[str, np.ndarray]:
    """Each council cell's people at each date: boolean (workers x dates)."""
    w = extract.workers
    start, leave = (x[:, None] for x in _service_days(w))
    perm = (w["employment_type"] == PERMANENT).to_numpy()[:, None]
    agency = (w["employment_type"] == AGENCY).to_numpy()[:, None]
    d, d0 = (x[None, :] for x in _year_windows(dates))
    in_post = (start <= d) & (leave > d)
    return {
        "inpost": in_post & perm,
        "starters": perm & (start > d0) & (start <= d),
        "leavers": perm & (leave > d0) & (leave <= d),
        "agency": in_post & agency,
    }


def _by_person(members: np.ndarray, keys: pd.Series | None) -> np.ndarray:
    """Rows to people: a person with several rows (a ``person`` column) counts once."""
    if keys is None:
        return members
    frame = pd.DataFrame(members).groupby(keys.to_numpy(), sort=False).any()
    return frame.to_numpy()


def _labelled(extract: Extract) -> pd.DataFrame:
    w = extract.workers.copy()
    w["service_band"] = _service_band(w)
    return w


class _Part:
    """One row of a breakdown: its people at each date and their differences."""

    def __init__(self, members: np.ndarray):
        self.members = members
        self.counts = members.sum(0)
        self.diff = disclosure.differing(members)


def _smallest(counts: np.ndarray, allowed: np.ndarray) -> int | None:
    """The index of the smallest non-zero count among ``allowed`` (then zero counts)."""
    idx = np.flatnonzero(allowed)
    if not len(idx):
        return None
    return int(idx[np.lexsort((counts[idx], counts[idx] == 0))][0])


_T = TypeVar("_T")


class _PerExtract(Generic[_T]):
    """Answers kept per extract object and threshold, for the figures every output of
    an extract reads (:func:`build_release`, :func:`_caseloads`).

    Keyed on the extract's identity (``id``) and the threshold: an answer is served only
    to the very object it was computed for (``is``), never to another extract, equal or
    not, that has since been given the same ``id`` (a freed object's address reused).
    When more than ``size`` answers are held, all are dropped before the next is kept.

    Parameters
    ----------
    size : the most answers held before they are dropped (8).

    Examples
    --------
    >>> held = _PerExtract(size=1)
    >>> a, b = object(), object()
    >>> held.put(a, 5, "a at 5")
    'a at 5'
    >>> held.get(a, 5), held.get(a, 6), held.get(b, 5)
    ('a at 5', None, None)
    >>> _ = held.put(a, 6, "a at 6"), held.put(b, 5, "b at 5")  # more than 1: dropped
    >>> held.get(a, 5), held.get(a, 6), held.get(b, 5)
    (None, None, 'b at 5')
    """

    def __init__(self, size: int = 8):
        self.size = size
        self._held: dict[tuple[int, int], tuple[object, _T]] = {}

    def get(self, extract: object, threshold: int) -> _T | None:
        """The answer kept for this very ``extract`` at ``threshold``, else None."""
        cached = self._held.get((id(extract), threshold))
        if cached is not None and cached[0] is extract:
            return cached[1]
        return None

    def put(self, extract: object, threshold: int, value: _T) -> _T:
        """Keep ``value`` for ``extract`` at ``threshold`` (the extract is held with it,
        so its ``id`` is not reused while it is kept); returns ``value``."""
        if len(self._held) > self.size:
            self._held.clear()
        self._held[(id(extract), threshold)] = (extract, value)
        return value


def build_release(extract: Extract, threshold: int = disclosure.DEFAULT_THRESHOLD) -> Release:
    """The disclosure-controlled release of an extract at ``threshold``.

    Built threshold by threshold from 5: each threshold hides everything the one below
    hides and more, so no view at one threshold reveals what another hides.
    """
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    if threshold == disclosure.OFF:
        return _open_release(extract)
    cached = _RELEASES.get(extract, threshold)
    if cached is not None:
        return cached
    dates = release_dates(extract)
    w = _labelled(extract)
    persons = w["person"] if "person" in w.columns else None
    raw = _members(extract, dates)
    cells = {c: _Part(_by_person(m, persons)) for c, m in raw.items()}
    parts: dict[str, tuple[str, list[str], list[_Part]]] = {}
    for name, column, total in BREAKDOWNS:
        labels = w[column].astype(str)
        rows = sorted(x for x in labels[raw[total].any(axis=1)].unique() if x != "")
        tab = []
        for r in rows:
            sub = labels.eq(r).to_numpy()
            tab.append(
                _Part(_by_person(raw[total][sub], None if persons is None else persons[sub]))
            )
        parts[name] = (total, rows, tab)
    months = _month_atoms(extract, dates)
    order = _priority(extract, dates)
    cell_h, tab_h, month_h = _protect(cells, parts, months, order, threshold, dates)
    out = Release(
        dates=dates,
        threshold=threshold,
        cells={c: pd.Series(h, index=dates) for c, h in cell_h.items()},
        tables={
            n: pd.DataFrame(tab_h[n], index=parts[n][1], columns=dates, dtype=bool) for n in parts
        },
        months={k: pd.Series(h, index=months[k][0]) for k, h in month_h.items()},
    )
    return _RELEASES.put(extract, threshold, out)


_RELEASES: _PerExtract[Release] = _PerExtract()


def _open_release(extract: Extract) -> Release:
    """Nothing hidden (:data:`disclosure.OFF`): for checking counts, never for showing."""
    dates = release_dates(extract)
    w = _labelled(extract)
    tables = {}
    for name, column, _total in BREAKDOWNS:
        rows = sorted(x for x in w[column].astype(str).unique() if x != "")
        tables[name] = pd.DataFrame(False, index=rows, columns=dates)
    months = _month_atoms(extract, dates)
    return Release(
        dates=dates,
        threshold=disclosure.OFF,
        cells={
            c: pd.Series(False, index=dates) for c in ("inpost", "starters", "leavers", "agency")
        },
        tables=tables,
        months={k: pd.Series(False, index=months[k][0]) for k in ("starters", "leavers")},
    )


def _month_atoms(extract: Extract, dates: pd.DatetimeIndex) -> dict:
    """Permanent starters and leavers in each calendar month the release covers, and
    which months each allowed as-at date's 12 months hold."""
    w = extract.workers[extract.workers["employment_type"] == PERMANENT]
    first = (dates[0] - pd.DateOffset(years=1)).to_period("M")
    periods = pd.period_range(first, dates[-1].to_period("M"), freq="M")
    labels = periods.astype(str)
    out = {}
    for kind, col in (("starters", "start_date"), ("leavers", "leaving_date")):
        got = w[col].dropna().dt.to_period("M").astype(str).value_counts()
        out[kind] = (list(labels), got.reindex(labels, fill_value=0).to_numpy())
    ends = allowed_as_at(extract)
    month = np.array([p.ordinal for p in periods])
    last = np.array([d.to_period("M").ordinal for d in ends])
    windows = (month[None, :] > last[:, None] - 12) & (month[None, :] <= last[:, None])
    out["windows"] = (ends, windows)
    out["at"] = dates.get_indexer(ends)
    return out


def _priority(extract: Extract, dates: pd.DatetimeIndex) -> np.ndarray:
    """The order in which dates keep their figures when two cannot both be shown: the
    default as-at date, the year before it, then the latest first."""
    day = census_date(extract.extract_date)
    first = [dates.get_loc(d) for d in headline_dates(day)[::-1] if d in dates]
    rest = [i for i in range(len(dates) - 1, -1, -1) if i not in first]
    return np.array(first + rest)


#: Added to the cost of hiding a council cell (a measure) in the release: the rows of its
#: breakdowns and its months are hidden before it.
TOTAL_COST = 1_000
#: Rounds of solve-then-audit for the release before the engine's fallback (hide the
#: cheapest shown neighbour of each failing group until the audit passes): the cuts of
#: a round seldom free the few months at the release's edges, and each round audits
#: every date.
ENGINE_ROUNDS = 3
#: The cost of hiding a figure at the headline's two dates (the default as-at date and
#: the year before it) is multiplied by this: other month ends give way first.
HEADLINE_WEIGHT = 10


@dataclass
class _Problem:
    """The release as one problem for the disclosure engine (:mod:`.sdc`): a cell for
    every figure at every date, the relations between them, and the sets of figures
    that may not all be shown."""

    values: dict
    lines: list
    cost: dict
    sums: list
    silent: set
    series: list  # (cells per date, differing people between dates) of one group


def _problem(cells, months, order, dates: pd.DatetimeIndex) -> _Problem:
    """Cells: each council cell at each date (``("cell", kind, i)``), starters and
    leavers in each month (``("month", kind, m)``) and, for each date a year after
    another, the people in post a year before plus the starters (``("x", i)``, shown by
    no output). Relations: an as-at date's twelve months add up to its starters or
    leavers; in post now + leavers = in post a year ago + starters (= ``x``); only those
    that hold exactly are given. The breakdowns (teams, bands, reasons) are not cells
    here: each is one line under its council cell at one date, hidden whole where the
    cell is (:func:`_rules`), and on one line the rules' condition (the hidden parts two
    or more holding at least the threshold) is the audit's: each hidden part can be
    anything from 0 to their sum."""
    n = len(order)
    values: dict = {}
    cost: dict = {}
    lines: list = []
    sums: list = []
    series: list = []
    heads = set(order[:2].tolist())
    for kind, part in cells.items():
        keys = [("cell", kind, i) for i in range(n)]
        for i, k in enumerate(keys):
            values[k] = int(part.counts[i])
        series.append((keys, part.diff))
    for kind in ("starters", "leavers"):
        labels, counts = months[kind]
        for m, c in zip(labels, counts):
            values[("month", kind, m)] = int(c)
        _ends, windows = months["windows"]
        for w, i in enumerate(months["at"]):
            win = [("month", kind, labels[m]) for m in np.flatnonzero(windows[w])]
            if sum(values[k] for k in win) == values[("cell", kind, i)]:
                lines.append((win, ("cell", kind, i)))
    for i in range(n):  # in post now - a year ago = starters - leavers: hidden together
        s, lv = ("cell", "starters", i), ("cell", "leavers", i)
        sums += [([s], lv), ([lv], s)]
    silent = set()
    for i, day in enumerate(dates):
        j = dates.get_indexer([pd.Timestamp(one_year_before(day.date()))])[0]
        if j < 0:
            continue
        x = values[("cell", "inpost", j)] + values[("cell", "starters", i)]
        if x == values[("cell", "inpost", i)] + values[("cell", "leavers", i)]:
            values[("x", i)] = x
            silent.add(("x", i))
            lines += [([("cell", "inpost", j), ("cell", "starters", i)], ("x", i)),
                      ([("cell", "inpost", i), ("cell", "leavers", i)], ("x", i))]  # fmt: skip
    for k, v in values.items():
        weight = HEADLINE_WEIGHT if k[0] != "month" and k[-1] in heads else 1
        cost[k] = (v + 1.0 + (TOTAL_COST if k[0] == "cell" else 0)) * weight
    return _Problem(values, lines, cost, sums, silent, series)


def _apart(problem: _Problem, t: int) -> list:
    """The same group at two dates, differing by 1 to ``t - 1`` people: not both shown
    (the difference would be those people)."""
    out = []
    for keys, diff in problem.series:
        i, j = np.nonzero(np.triu(disclosure.too_few(diff, t), 1))
        out += [(keys[a], keys[b]) for a, b in zip(i.tolist(), j.tolist())]
    return out


def _protect(cells, parts, months, order, threshold: int, dates: pd.DatetimeIndex) -> tuple:
    """The hidden flags of the release, threshold by threshold from 5, each keeping what
    the one below hid: the hand-written rules (:func:`_rules`) give a first answer; the
    engine's audit (:func:`.sdc.audit`) checks it over :func:`_problem`, and where it
    fails the engine (:func:`.sdc.secondary`) hides more, the two dates of one group
    differing by too few people kept apart (:func:`_apart`); then the rules again (a
    hidden total hides its breakdown), until both hold.

    Sensitive (the threshold's width): counts of 1 to ``t - 1``; any other hidden figure
    must only not be known exactly (unless 0), the two dates of a group being kept apart
    by the constraints. After :data:`ENGINE_ROUNDS` rounds the engine's fallback hides
    the cheapest neighbours of what still fails."""
    problem = _problem(cells, months, order, dates)
    n = len(order)
    flags = None
    hidden: set = set()
    for t in range(disclosure.DEFAULT_THRESHOLD, threshold + 1):
        while True:
            flags = _rules(cells, parts, months, order, t, flags)
            first = hidden | _keys(flags, months) | problem.silent
            sens = sdc.primary(problem.values, t)
            if first == hidden or not sdc.audit(
                problem.values, problem.lines, first, t, sens, problem.silent
            ):
                hidden = first  # the rules' answer passes the audit: nothing to solve
                break
            hidden = sdc.secondary(
                problem.values, problem.lines, t, first, problem.cost, problem.sums,
                rounds=ENGINE_ROUNDS, apart=_apart(problem, t), silent=problem.silent,
                sensitive=sens,
            )  # fmt: skip
            flags = _flags_of(hidden, cells, months, n, flags[1])
    return flags


def _keys(flags, months) -> set:
    """The engine's cells hidden by the flags ``(cells, tables, months)``."""
    cell_h, _tab_h, month_h = flags
    out = {("cell", c, i) for c, h in cell_h.items() for i in np.flatnonzero(h).tolist()}
    for kind, h in month_h.items():
        out |= {("month", kind, months[kind][0][m]) for m in np.flatnonzero(h).tolist()}
    return out


def _flags_of(hidden: set, cells, months, n, tab_h) -> tuple:
    """The flags ``(cells, tables, months)`` of the engine's hidden cells (the tables'
    as they were: :func:`_rules` hides a breakdown with its total)."""
    cell_h = {c: np.array([("cell", c, i) in hidden for i in range(n)]) for c in cells}
    month_h = {
        kind: np.array([("month", kind, m) in hidden for m in months[kind][0]], bool)
        for kind in ("starters", "leavers")
    }
    return cell_h, tab_h, month_h


def _rules(cells, parts, months, order, t, start) -> tuple:
    """The hand-written rules' hidden flags at threshold ``t`` (flags only grow): the
    fast first answer :func:`_protect` gives the engine to audit."""
    n = len(order)
    rank = np.empty(n, int)
    rank[order] = np.arange(n)
    if start is None:
        cell_h = {c: np.zeros(n, bool) for c in cells}
        tab_h = {k: np.zeros((len(v[2]), n), bool) for k, v in parts.items()}
        month_h = {k: np.zeros(len(months[k][0]), bool) for k in ("starters", "leavers")}
    else:
        cell_h = {c: h.copy() for c, h in start[0].items()}
        tab_h = {k: h.copy() for k, h in start[1].items()}
        month_h = {k: h.copy() for k, h in start[2].items()}
    while True:
        before = _flags(cell_h, tab_h, month_h)
        for c, part in cells.items():
            cell_h[c] = disclosure.hide_over_dates(part.members, cell_h[c], t, part.diff, order)
        # in post now - a year ago = starters - leavers: hide both or neither
        either = cell_h["starters"] | cell_h["leavers"]
        cell_h["starters"], cell_h["leavers"] = either.copy(), either.copy()
        for name, (total, _rows, tab) in parts.items():
            h = tab_h[name]
            for i, part in enumerate(tab):
                h[i] = disclosure.hide_over_dates(part.members, h[i], t, part.diff, order)
            _protect_breakdown(tab, h, cell_h[total], t, rank)
        _protect_months(months, month_h, cell_h, t)
        if _flags(cell_h, tab_h, month_h) == before:
            return cell_h, tab_h, month_h


def _flags(cell_h, tab_h, month_h) -> int:
    return sum(int(h.sum()) for d in (cell_h, tab_h, month_h) for h in d.values())


def _protect_breakdown(
    tab: list[_Part], h: np.ndarray, total_hidden: np.ndarray, t: int, rank: np.ndarray
):
    """Parts beside their council total, at each date and between dates (where two dates
    conflict, the one with the later ``rank`` gives way)."""
    if not tab:
        return
    counts = np.array([p.counts for p in tab])  # rows x dates
    n = counts.shape[1]
    for d in range(n):
        if total_hidden[d]:
            h[:, d] = True  # a hidden total hides its breakdown
        else:
            h[:, d] = disclosure.protect_parts(counts[:, d], h[:, d], t)
    # a group of hidden parts is known (total minus the rest); where the same group's
    # sum is also known at another date, the two must not differ by 1 to t - 1 people
    diffs = np.stack([p.diff for p in tab])  # rows x dates x dates
    for d1 in range(n):
        group = h[:, d1].copy()
        if total_hidden[d1] or group.sum() < 2:
            continue
        inside = (h & group[:, None]).any(axis=0)
        outside = (h & ~group[:, None]).any(axis=0)
        known = ~outside | ~inside  # the group's sum is known at these dates too
        moved = diffs[group, d1, :].sum(axis=0)
        bad = known & ~total_hidden & disclosure.too_few(moved, t)
        bad[d1] = False
        for d2 in np.flatnonzero(bad):
            if rank[d1] > rank[d2]:  # d1 gives way: its group takes in another part
                pick = _smallest(counts[:, d1], ~h[:, d1])
                if pick is not None:
                    h[pick, d1] = True
                break
            other = h[:, d2]
            pick = _smallest(counts[:, d2], ~other & (~group if inside[d2] else group))
            if pick is not None:
                h[pick, d2] = True


def _protect_months(months, month_h, cell_h, t) -> None:
    """Starters and leavers by month beside the 12-month totals of every allowed as-at
    date: no hidden month, no hidden total and no sum of fewer than ``t`` people can be
    worked out from the figures shown."""
    _ends, windows = months["windows"]
    at = months["at"]
    for kind in ("starters", "leavers"):
        _labels, counts = months[kind]
        h = month_h[kind]
        h |= disclosure.too_few(counts, t)
        total_hidden = cell_h[kind][at]
        for _ in range(len(counts) + 1):
            changed = _month_round(counts, h, windows, total_hidden, t)
            if not changed:
                break


def _month_round(counts, h, windows, total_hidden, t) -> bool:
    def hide(pick) -> bool:
        if pick is None:
            return False
        h[pick] = True
        return True

    for w, win in enumerate(windows):
        group = win & h
        if total_hidden[w]:
            if not group.any() and hide(_smallest(counts, win & ~h)):
                return True
        elif disclosure._unsafe_group(counts[group], t) and hide(_smallest(counts, win & ~h)):
            return True
    shown = [w for w in range(len(windows)) if not total_hidden[w]]
    for i in shown:
        for j in shown:
            if j <= i:
                continue
            diff = (windows[i] & h) ^ (windows[j] & h)
            if disclosure.too_few(counts[diff].sum(), t):
                if hide(_smallest(counts, (windows[i] ^ windows[j]) & ~h)):
                    return True
    # exact audit: no hidden month or hidden total lies in the span of what is shown
    known = [np.eye(len(counts))[~h]] + [windows[shown].astype(float)]
    a = np.vstack([k for k in known if len(k)]) if any(len(k) for k in known) else None
    if a is None:
        return False
    rank = np.linalg.matrix_rank(a)
    for m in np.flatnonzero(h & (counts > 0)):
        if np.linalg.matrix_rank(np.vstack([a, np.eye(len(counts))[m]])) == rank:
            near = np.zeros(len(counts), bool)
            for w in range(len(windows)):
                if windows[w, m]:
                    near |= windows[w]
            if hide(_smallest(counts, near & ~h)):
                return True
    for w in np.flatnonzero(total_hidden):
        if np.linalg.matrix_rank(np.vstack([a, windows[w].astype(float)])) == rank:
            if hide(_smallest(counts, windows[w] & ~h)):
                return True
    return False


# ---------------------------------------------------------------- beyond DfE
def _in_post(w: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Which records are in post at ``day``, by :func:`_service_days`."""
    start, leave = _service_days(w)
    d = np.datetime64(pd.Timestamp(day).date(), "D")
    return pd.Series((start <= d) & (leave > d), index=w.index)


def _case_holders(extract: Extract) -> pd.Series:
    """Workers in post at the extract date holding at least one case (see
    :data:`CASELOAD_INCLUDES_AGENCY`)."""
    w = extract.workers
    holders = _in_post(w, extract.extract_date) & (w["cases"] > 0)
    if not CASELOAD_INCLUDES_AGENCY:
        holders &= w["employment_type"] == PERMANENT
    return holders


def _leavers(w: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    before = pd.Timestamp(one_year_before(day.date()))
    perm = w["employment_type"] == PERMANENT
    return w[perm & (w["leaving_date"] > before) & (w["leaving_date"] <= day)]


def _shown(table: pd.DataFrame, cols, mask: pd.Series, why: str, status: pd.DataFrame) -> None:
    """Blank ``cols`` of the rows in ``mask`` and record why."""
    mask = mask.reindex(table.index, fill_value=False).astype(bool)
    for c in cols:
        table.loc[mask, c] = np.nan
        status.loc[mask, c] = why


def _release_hidden(
    extract: Extract, name: str, rows, day: pd.Timestamp, threshold: int
) -> tuple[pd.Series, bool]:
    """Rows of a breakdown not shown at ``day``, and whether its council total is not."""
    rel = build_release(extract, threshold)
    total = dict((n, t) for n, _c, t in BREAKDOWNS)[name]
    table = rel.tables[name]
    hidden = (
        table[day].reindex(list(rows), fill_value=False)
        if day in table.columns
        else pd.Series(True, index=list(rows))
    )
    return hidden.astype(bool), rel.hidden(total, day)


def _leavers_by(
    extract: Extract, day: pd.Timestamp, threshold: int, name: str, labels: list[str], key
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leavers in the year to ``day`` by ``key`` (a column of the labelled workers), with
    an "All leavers" row, controlled as the release says."""
    lv = _leavers(_labelled(extract), day)
    group = lv[key].astype(str)
    people = group.value_counts().reindex(labels, fill_value=0).astype(int)
    fte = lv.groupby(group)["fte"].sum().reindex(labels, fill_value=0.0)
    total = int(people.sum())
    table = pd.DataFrame(
        {
            "leavers": people.astype(float),
            "leavers_fte": round_half_up(fte, 1),
            "share": round_half_up(100 * people / total, 1) if total else np.nan,
        }
    )
    table.loc["All leavers"] = [
        float(total),
        float(round_half_up(float(lv["fte"].sum()), 1)),
        100.0 if total else np.nan,
    ]
    status = pd.DataFrame("", index=table.index, columns=table.columns, dtype=object)
    hidden, total_hidden = _release_hidden(extract, name, labels, day, threshold)
    if total_hidden:
        hidden = pd.Series(True, index=table.index)
    _shown(table, table.columns, hidden, disclosure.STATUS, status)
    return table, status


def length_of_service(
    extract: Extract, as_at=None, threshold: int = disclosure.DEFAULT_THRESHOLD
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leavers in the year to ``as_at`` by length of service, in DfE's bands.

    Returns
    -------
    table : one row per band and "All leavers": ``leavers`` (people), ``leavers_fte``,
        ``share`` (% of leavers, people); NaN where suppressed.
    status : the same shape; the reason where a cell is suppressed.
    """
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    day = resolve_as_at(extract, as_at)
    labels = [b[0] for b in SERVICE_BANDS]
    table, status = _leavers_by(extract, day, threshold, "service", labels, "service_band")
    table.index.name = status.index.name = "length_of_service"
    return table, status


def leavers_by_reason(
    extract: Extract, as_at=None, threshold: int = disclosure.DEFAULT_THRESHOLD
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Permanent leavers in the year to ``as_at`` by their reason for leaving (the
    ``leaving_reason`` codes of :data:`workforce_lib.records.extract.LEAVING_REASONS`), with
    "All leavers"; controlled as the release says, like every breakdown of leavers.

    Returns
    -------
    table : one row per reason (the code) and "All leavers": ``leavers``,
        ``leavers_fte``, ``share`` (%); NaN where suppressed.
    status : the same shape; why a cell is not shown.
    """
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    day = resolve_as_at(extract, as_at)
    labels = list(LEAVING_REASONS)
    table, status = _leavers_by(extract, day, threshold, "reason", labels, "leaving_reason")
    table.index.name = status.index.name = "reason"
    return table, status


# ---------------------------------------------------------------- caseloads on the engine
#: The highest desired caseload accepted (cases per FTE).
MAX_DESIRED_CASELOAD = 100.0
#: The cost of hiding the count of case holders within one cut of cases per FTE (one is
#: offered for every desired caseload): bands and teams (their people plus one) are
#: hidden after them. A count at a band's edge costs :data:`EDGE_LEVEL_COST` (the bands
#: shown may give it: hiding it alone would then protect nothing), the count within the
#: default desired caseload (the report's sentence) :data:`DEFAULT_LEVEL_COST`.
LEVEL_COST = 1.0
DEFAULT_LEVEL_COST = 3.0
EDGE_LEVEL_COST = 2.0


@dataclass
class _Caseloads:
    """The case holders at the extract date as one problem for the disclosure engine,
    and its answer at one threshold. Every cell counts people, each person holding cases
    once (:func:`_caseload_people`); ``per_fte`` has one value a person.

    Cells: each band (``("band", label)``), each team's case holders (``("team", name)``:
    its average caseload rests on them), the case holders with at most x cases per FTE
    for every x a desired caseload can take (``("holders", n)``, one cell per count
    ``n``: cuts holding the same people are one figure; ``n`` the total is the total of
    case holders) and the people between one such count and the next
    (``("between", n)``, shown by no output: what must be protected).
    """

    per_fte: pd.Series
    people: pd.Series
    teams: pd.Series
    values: dict
    lines: list
    cost: dict
    hidden: set

    @property
    def total(self) -> int:
        return int(self.people.sum())

    def level(self, count: int) -> tuple:
        """The cell of ``count`` case holders within a cut (the total if all)."""
        return ("holders", int(count))


def _case_holder_ids(extract: Extract) -> tuple[pd.Series, np.ndarray]:
    """The case holders (:func:`_case_holders`) and each one's person as a number: the
    ``person`` column where the extract has one (a census return: one person may hold
    cases in several posts), a record without a person its own; else ``worker_id``."""
    w = extract.workers
    holders = _case_holders(extract)
    sub = w.loc[holders]
    if "person" in sub.columns:
        named = sub["person"].notna() & sub["person"].astype(str).ne("")
        ids = sub["person"].astype(object).where(named, "\0row:" + sub["worker_id"].astype(str))
    else:
        ids = sub["worker_id"]
    return holders, pd.factorize(ids)[0]


def _caseload_people(extract: Extract) -> tuple[pd.Series, pd.Series, pd.Series, int]:
    """Each person holding cases and their cases per FTE, the people per band, the
    people holding cases in each team (every team of the extract, 0 where none), and the
    people holding cases in more than one team.

    A person is counted once, at their cases per FTE over the posts in which they hold
    cases (all those cases over all those posts' FTE, as the average caseload divides
    all cases by all case holders' FTE), so a person whose posts fall in two bands is in
    the band of the two together; in each team where they hold cases, once."""
    w, v = extract.workers, extract.vacancies
    holders, ids = _case_holder_ids(extract)
    sub = w.loc[holders]
    cases = sub["cases"].astype(float).groupby(ids).sum()
    fte = sub["fte"].astype(float).groupby(ids).sum()
    per_fte = (cases / fte).astype(float)
    per_fte[sub["fte"].isna().groupby(ids).any()] = np.nan  # FTE not known: in no band
    labels = [b[0] for b in CASELOAD_BANDS]
    band = pd.cut(per_fte, [b[1] for b in CASELOAD_BANDS] + [math.inf], labels=labels, right=True)
    people = band.value_counts().reindex(labels, fill_value=0).astype(int)
    names = sorted(set(w["team"].unique()) | set(v["team"].unique()))  # as teams() lists them
    pairs = pd.DataFrame({"id": ids, "team": sub["team"].to_numpy()}).drop_duplicates()
    teams = pairs.groupby("team")["id"].size().reindex(names, fill_value=0)
    several = int((pairs["id"].value_counts() > 1).sum())
    return per_fte, people, teams.astype(int), several


def _caseload_problem(extract: Extract) -> tuple:
    """``(per_fte, people, teams, values, lines, cost, rests)`` of :class:`_Caseloads`;
    ``rests``: the people a cell rests on where that is not its value.

    Every cell counts people (:func:`_caseload_people`). Lines: each count within a cut
    is the one before it and the people between; each band is the count within its
    lower edge and the band, making the count within its upper edge; the teams add up
    to the total, or where a person holds cases in two teams (in each team's figure, once
    in the total) to a figure of their own, ``("teams",)``, taken as shown: the total
    and the teams beyond each person's first, ``("again",)`` (shown by no output; it
    rests on the people in more than one team, whom it counts once a team beyond the
    first), add up to it."""
    per_fte, people, teams, several = _caseload_people(extract)
    total = int(people.sum())
    x = np.sort(per_fte.dropna().to_numpy(float))
    edges = [b[1] for b in CASELOAD_BANDS] + [math.inf]
    cuts = set(np.unique(x[x <= MAX_DESIRED_CASELOAD]).tolist()) | set(edges)
    counts = sorted({int(np.searchsorted(x, c, side="right")) for c in cuts} - {0})

    def within(c: float) -> int:
        return int(np.searchsorted(x, c, side="right"))

    values: dict = {}
    cost: dict = {}
    lines: list = []
    rests: dict = {}
    default = within(DEFAULT_DESIRED_CASELOAD)
    at_edges = {within(e) for e in edges}
    prev = 0
    for n in counts:
        values[("holders", n)] = n
        values[("between", n)] = n - prev
        cost[("holders", n)] = (
            EDGE_LEVEL_COST if n in at_edges else DEFAULT_LEVEL_COST if n == default
            else LEVEL_COST
        )  # fmt: skip
        lines.append(([("between", n)] + ([("holders", prev)] if prev else []), ("holders", n)))
        prev = n
    if total:
        cost[("holders", total)] = total + 1.0 + TOTAL_COST
    for j, label in enumerate(people.index):
        b = ("band", label)
        values[b] = int(people[label])
        lo, hi = within(edges[j]), within(edges[j + 1])
        parts = [b] + ([("holders", lo)] if lo else [])
        lines.append((parts, ("holders", hi)) if hi > lo else ([b, b], b))  # b + b - b = 0
    team_cells = [("team", name) for name in teams.index]
    values.update({c: int(teams[c[1]]) for c in team_cells})
    if int(teams.sum()) == total and total:
        lines.append((team_cells, ("holders", total)))
    elif int(teams.sum()):  # more than the total: people holding cases in two teams
        values[("teams",)] = int(teams.sum())
        cost[("teams",)] = 100.0 * TOTAL_COST  # shown by no output: taken as known
        lines.append((team_cells, ("teams",)))
        values[("again",)] = int(teams.sum()) - total
        rests[("again",)] = several
        lines.append(([("holders", total), ("again",)], ("teams",)))
    for c, n in values.items():
        cost.setdefault(c, n + 1.0)
    return per_fte, people, teams, values, lines, cost, rests


def _caseloads(extract: Extract, threshold: int) -> _Caseloads:
    """The caseload figures of an extract and which of them are hidden at ``threshold``
    (cached per extract and threshold: :func:`caseload_distribution` for every desired
    caseload, and :func:`teams`, read one answer).

    The engine (:func:`.sdc.secondary`) solves threshold by threshold from 5, each
    threshold keeping what the one below hid. Every count of 1 to ``t - 1`` is hidden;
    the people between two counts within a cut, and the teams beyond each person's
    first (``("again",)``), are never shown (``free`` where they rest on no one or on at
    least ``t`` people: they may be known; else audited); two counts within cuts 1 to
    ``t - 1`` apart
    are not both shown (``apart``); a count within a cut of ``t`` or more people needs
    no interval of its own when hidden (``free``: the people between two cuts are the
    cells protected), while the bands, teams and total, hidden, need the threshold's
    width. Where the total is 1 to ``t - 1``, every band is hidden (its share would
    give the total)."""
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    cached = _CASELOADS.get(extract, threshold)
    if cached is not None:
        return cached
    per_fte, people, teams, values, lines, cost, rests = _caseload_problem(extract)
    total = int(people.sum())
    levels = sorted(c[1] for c in values if c[0] == "holders")
    bands = {c for c in values if c[0] == "band"}
    between = {c for c in values if c[0] in ("between", "again")}
    hidden: set = set()
    for t in range(disclosure.DEFAULT_THRESHOLD, threshold + 1):
        forced = between | (bands if 0 < total < t else set())
        free = {c for c in between if not 0 < rests.get(c, values[c]) < t}
        free |= {("holders", n) for n in levels if n >= t and n != total}
        apart = [
            (("holders", a), ("holders", b))
            for i, a in enumerate(levels)
            for b in levels[i + 1 :]
            if b - a < t
        ]
        first = _caseload_first(values, lines, people, cost, t, hidden | forced)
        if not sdc.audit(values, lines, first, t, silent=free):
            hidden = first  # the first answer passes the audit: nothing more to solve
            continue
        hidden = sdc.secondary(values, lines, t, hidden | forced, cost, free=free, apart=apart)
    out = _Caseloads(per_fte, people, teams, values, lines, cost, hidden)
    return _CASELOADS.put(extract, threshold, out)


_CASELOADS: _PerExtract[_Caseloads] = _PerExtract()


def _caseload_first(
    values: dict, lines: list, people: pd.Series, cost: dict, t: int, must: set
) -> set:
    """A fast first answer for :func:`_caseloads` at threshold ``t`` (``must``: hidden
    already), which the engine's audit then checks: the bands, teams and total solved
    alone (:func:`.sdc.secondary`); then the counts within a cut, smallest first, each
    shown where it is at least ``t`` from 0, from every count shown before it and from
    every cumulative count the bands shown give, and is not at a band's edge (the bands
    shown would carry it to the edges of a hidden band)."""
    bands = [("band", b) for b in people.index]
    cum = np.concatenate([[0], np.cumsum(people.to_numpy())]).astype(int)
    total = int(cum[-1])
    tables = [(bands, ("holders", total))] if total else []
    tables += [(p, tot) for p, tot in lines if p and p[0][0] == "team"]
    cells = {c for p, tot in tables for c in (*p, tot)}
    part = {c: values[c] for c in cells}
    hidden = set(must)
    hidden |= sdc.secondary(part, tables, t, must & cells, {c: cost[c] for c in cells})
    shown_total = bool(total) and ("holders", total) not in hidden
    h = np.array([b in hidden for b in bands])
    kept = {0} | {int(cum[i]) for i in range(len(cum))
                  if not h[:i].any() or (shown_total and not h[i:].any())}  # fmt: skip
    edge = set(cum.tolist())  # not given by the bands shown: with them it could give more
    for n in sorted(c[1] for c in values if c[0] == "holders"):
        c = ("holders", n)
        if n in kept and (n != total or shown_total):
            continue
        if c in hidden or n in edge or any(abs(n - k) < t for k in kept):
            hidden.add(c)
        else:
            kept.add(n)
    return hidden | {c for c in values if c[0] == "between"}


def caseload_distribution(
    extract: Extract,
    desired: float = DEFAULT_DESIRED_CASELOAD,
    threshold: int = disclosure.DEFAULT_THRESHOLD,
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Case holders at the extract date by cases per FTE, and the share within ``desired``:
    people, each once, at their cases per FTE over the posts in which they hold cases
    (:func:`_caseload_people`).

    Which figures are shown is decided once for the extract and threshold, for every
    desired caseload at once, with the teams' caseloads (:func:`_caseloads`): the count
    within ``desired`` is shown when the engine shows the count within that cut, or
    when the bands shown give it anyway; so two runs with different desired caseloads
    (or thresholds) do not reveal the few people between them.

    Returns
    -------
    table : one row per band: ``case_holders`` (people) and ``share`` (%), NaN where
        suppressed.
    status : the same shape; why a cell is not shown.
    summary : ``case_holders``, ``within_desired`` (people), ``within_desired_share``
        (%), ``desired``, ``median_per_fte`` and their statuses; None where suppressed.
    """
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    desired = check_desired(desired)
    cl = _caseloads(extract, threshold)
    per_fte, people, total = cl.per_fte, cl.people, cl.total
    table = pd.DataFrame(
        {
            "case_holders": people.astype(float),
            "share": round_half_up(100 * people / total, 1) if total else np.nan,
        }
    )
    status = pd.DataFrame("", index=table.index, columns=table.columns, dtype=object)
    why = disclosure.STATUS
    hide_total = bool(total) and cl.level(total) in cl.hidden
    hidden = pd.Series([("band", b) in cl.hidden for b in table.index], index=table.index)
    _shown(table, table.columns, hidden, why, status)
    if hide_total:  # a share of a shown band would give the total
        _shown(table, ["share"], pd.Series(True, index=table.index), why, status)
    table.index.name = "cases_per_fte"
    # counts within a cut the bands give anyway: at an edge with every band below it
    # shown, or every band above it and the total
    h = hidden.to_numpy()
    cum = np.concatenate([[0], np.cumsum(people.to_numpy())])
    known = {int(cum[i]) for i in range(len(cum))
             if not h[:i].any() or (not h[i:].any() and not hide_total)}  # fmt: skip
    within = int((per_fte <= desired).sum())
    level = cl.level(within)
    hide_share = hide_total or not (
        within == 0 or within in known or (level in cl.values and level not in cl.hidden)
    )
    summary = {
        "desired": desired,
        "case_holders": None if hide_total else total,
        "case_holders_status": why if hide_total else "",
        "within_desired": None if hide_share else within,
        "within_desired_share": None
        if hide_share or not total
        else float(round_half_up(100 * within / total, 1)),
        "within_desired_status": why if hide_share else "",
        "median_per_fte": None
        if hide_total or not total
        else float(round_half_up(float(per_fte.median()), 1)),
    }
    return table, status, summary


def check_desired(desired) -> float:
    """A desired caseload must be a number more than 0 and at most 100 cases per FTE.

    >>> check_desired(18)
    18.0
    """
    try:
        value = float(desired)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value) or not 0 < value <= MAX_DESIRED_CASELOAD:
        raise DesiredCaseloadError(
            f"desired caseload must be a number of cases per FTE more than 0 and at most 100, "
            f"not {desired!r}"
        )
    return value


class DesiredCaseloadError(WorkforceError, ValueError):
    """A desired caseload that is not a finite number in range."""


TEAM_COLUMNS: dict[str, str] = {
    "inpost_headcount": "In post (people)",
    "inpost_fte": "In post (FTE)",
    "agency_fte": "Agency (FTE)",
    "agency_rate_fte": "Agency rate (%)",
    "leavers_headcount": "Leavers in year (people)",
    "turnover_rate_fte": "Turnover rate (%)",
    "vacancy_fte": "Vacancies (FTE)",
    "vacancy_rate_fte": "Vacancy rate (%)",
    "caseload_fte": "Average caseload",
}


def teams(
    extract: Extract, as_at=None, threshold: int = disclosure.DEFAULT_THRESHOLD
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Team-level measures at ``as_at`` (vacancies and caseload at the extract date).

    Each team's figures are computed by the same measure code as the council's. The
    columns resting on a team's people in post, agency workers or leavers are shown as
    the release shows those breakdowns (:func:`build_release`); the caseload column
    rests on the team's case holders, which add up to the council's, and is shown as the
    disclosure engine decides for them with the caseload bands (:func:`_caseloads`).

    Returns
    -------
    table : one row per team, :data:`TEAM_COLUMNS`; NaN where not shown.
    status : the same shape; why a cell is not shown.
    """
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    day = resolve_as_at(extract, as_at)
    w, v = extract.workers, extract.vacancies
    names = sorted(set(w["team"]) | set(v["team"]))
    rows = {}
    for team in names:
        sub = Extract(
            w[w["team"] == team], v[v["team"] == team], extract.extract_date, extract.source
        )
        comp = components_at(sub, day).iloc[0]
        row = {c: comp[c] for c in comp.index}
        for name in ("agency_rate_fte", "turnover_rate_fte", "vacancy_rate_fte", "caseload_fte"):
            m: Measure = MEASURES[name]
            row[name] = m.compute({c: comp[c] for c in m.components}, day.year)
        rows[team] = row
    full = pd.DataFrame.from_dict(rows, orient="index")
    table = full.reindex(columns=list(TEAM_COLUMNS)).astype(float)
    for c in table.columns:
        table[c] = round_half_up(table[c], MEASURES[c].decimals)
    status = pd.DataFrame("", index=table.index, columns=table.columns, dtype=object)
    if day != extract.extract_date:
        for c in ("vacancy_fte", "vacancy_rate_fte", "caseload_fte"):
            table[c] = np.nan
            status[c] = NOT_AVAILABLE
    depends = {  # which people each column rests on: the release's breakdowns
        "team_inpost": ["inpost_headcount", "inpost_fte", "agency_rate_fte",
                        "turnover_rate_fte", "vacancy_rate_fte"],
        "team_agency": ["agency_fte", "agency_rate_fte"],
        "team_leavers": ["leavers_headcount", "turnover_rate_fte"],
    }  # fmt: skip
    for name, cols in depends.items():
        hidden, total_hidden = _release_hidden(extract, name, table.index, day, threshold)
        if total_hidden:
            hidden[:] = True
        _shown(table, cols, hidden, disclosure.STATUS, status)
    if day == extract.extract_date:  # solved with the caseload bands and their total
        cl = _caseloads(extract, threshold)
        hidden = pd.Series([("team", x) in cl.hidden for x in table.index], index=table.index)
        _shown(table, ["caseload_fte"], hidden, disclosure.STATUS, status)
    table.index.name = "team"
    return table, status


#: Added to the cost of hiding an ASYE figure already decided when the next anniversary's
#: figures are added (:func:`_asye_hidden`): the new figures are hidden instead.
ASYE_STAGE_COST = 100_000


def _asye_members(extract: Extract, day: pd.Timestamp) -> tuple[pd.DataFrame, pd.Series]:
    """Permanent workers who joined in their ASYE and started by ``day``, and each one's
    intake (census) year."""
    w = extract.workers
    asye = w[w["joined_as_asye"] & (w["employment_type"] == PERMANENT) & (w["start_date"] <= day)]
    return asye, census_year(asye["start_date"])


def _asye_values(extract: Extract) -> dict:
    """Every ASYE figure any as-at date can show (the intakes whose year is over by the
    extract date, in post after each anniversary passed by then) and the leavers between
    two (``("left", year, k)``, shown by no output): ``{cell: people}``."""
    day = extract.extract_date
    asye, cohort = _asye_members(extract, day)
    values: dict = {}
    for year in sorted(cohort.unique()):
        if pd.Timestamp(int(year), 9, 30) > day:  # the intake is still growing
            continue
        members = asye[cohort == year]
        prev = values[("intake", int(year))] = len(members)
        for k in ASYE_YEARS:
            if pd.Timestamp(int(year) + k, 9, 30) > day:
                break
            anniversary = members["start_date"] + pd.DateOffset(years=k)
            stayed = int(
                (members["leaving_date"].isna() | (members["leaving_date"] > anniversary)).sum()
            )
            values[("after", int(year), k)] = stayed
            values[("left", int(year), k)] = prev - stayed
            prev = stayed
    return values


def _asye_lines(values: dict) -> list:
    """In post after ``k - 1`` years (the intake for ``k = 1``) = in post after ``k``
    years + those who left between."""
    lines = []
    for cell in values:
        if cell[0] == "left":
            _, year, k = cell
            prev = ("intake", year) if k == 1 else ("after", year, k - 1)
            lines.append(([("after", year, k), cell], prev))
    return lines


def _asye_hidden(extract: Extract, threshold: int) -> tuple[dict, set]:
    """The ASYE figures (:func:`_asye_values`) and those hidden at ``threshold``, by the
    disclosure engine.

    Solved once for the extract (every as-at date shows some of these figures, so any
    two show no more together than this), threshold by threshold from 5, each keeping
    what the one below hid; at each threshold the intakes first, then the figures
    after one year, two and three, each stage keeping what the ones before hid and
    showing what they showed unless nothing else protects the new figures (any figure
    already decided costs :data:`ASYE_STAGE_COST` more: hiding a new figure alone always
    protects it), so a figure's fate does not depend on the anniversaries after it, as
    an extract a year later adds them. The leavers between two figures are never shown
    (audited where 1 to ``t - 1``, else ``free``: they may be known); an intake of 1 to
    ``t - 1`` hides its whole cohort; a hidden figure needs the threshold's width."""
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    values = _asye_values(extract)
    lines = _asye_lines(values)
    hidden: set = set()
    for t in range(disclosure.DEFAULT_THRESHOLD, threshold + 1):
        small = {c[1] for c, v in values.items() if c[0] == "intake" and 0 < v < t}
        forced = {c for c in values if c[1] in small}
        now: set = set()
        for stage in range(len(ASYE_YEARS) + 1):
            cells = {c for c in values if (c[2] if c[0] != "intake" else 0) <= stage}
            part = {c: values[c] for c in cells}
            mine = [(p, tot) for p, tot in lines if all(c in cells for c in p)]
            done = {c for c in cells if (c[2] if c[0] != "intake" else 0) < stage}
            cost = {c: v + 1.0 + (ASYE_STAGE_COST if c in done and c not in now else 0)
                    + (TOTAL_COST if c[0] == "intake" else 0) for c, v in part.items()}  # fmt: skip
            left = {c for c in cells if c[0] == "left"}
            free = {c for c in left if not 0 < values[c] < t}
            must = ((hidden | forced | now) & cells) | left
            now = sdc.secondary(part, mine, t, must, cost, free=free)
        hidden = now
    return values, hidden


def asye_cohorts(
    extract: Extract, as_at=None, threshold: int = disclosure.DEFAULT_THRESHOLD
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each census year's permanent ASYE intake and how many were still in post after
    1, 2 and 3 years (on the anniversary of their own start).

    A retention figure is given once every member's anniversary has passed by ``as_at``
    (30 September of intake year + k); before that it is "not yet". Which figures are
    shown is decided once for the extract by the disclosure engine (:func:`_asye_hidden`):
    no figure of 1 to ``threshold - 1`` people, and none from which the leavers between
    two figures shown (at any as-at date or threshold) could be narrowed to fewer than
    ``threshold`` possible values: "12 started, 11 stayed" would reveal one leaver. A
    retention rate is shown only with its intake (it would give the intake).

    Returns
    -------
    table : one row per intake year: ``intake`` and, for each k, ``in_post_after_k`` and
        ``retained_after_k`` (%); NaN where not shown.
    status : the same shape; why a cell is not shown.
    """
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    day = resolve_as_at(extract, as_at)
    asye, cohort = _asye_members(extract, day)
    values, hidden = _asye_hidden(extract, threshold)
    rows, status_rows = {}, {}
    why = disclosure.STATUS
    for year in sorted(cohort.unique()):
        members = asye[cohort == year]
        n = len(members)
        row: dict[str, float] = {"intake": float(n)}
        st: dict[str, str] = {"intake": ""}
        if pd.Timestamp(int(year), 9, 30) > day:  # the intake is still growing
            row["intake"], st["intake"] = np.nan, INTAKE_NOT_OVER
        elif ("intake", int(year)) in hidden:
            row["intake"], st["intake"] = np.nan, why
        for k in ASYE_YEARS:
            a, b = f"in_post_after_{k}", f"retained_after_{k}"
            if pd.Timestamp(int(year) + k, 9, 30) > day:
                row[a] = row[b] = np.nan
                st[a] = st[b] = NOT_YET
                continue
            stayed = values[("after", int(year), k)]  # passed by ``day``: by the extract date
            row[a], st[a] = float(stayed), ""
            row[b], st[b] = float(round_half_up(100 * stayed / n, 1)), ""
            if ("after", int(year), k) in hidden:
                row[a], st[a] = np.nan, why
            if st[a] or st["intake"]:
                row[b], st[b] = np.nan, why
        rows[int(year)], status_rows[int(year)] = row, st
    cols = ["intake"] + [
        f"{p}_{k}" for k in ASYE_YEARS for p in ("in_post_after", "retained_after")
    ]
    table = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=cols)
    status = pd.DataFrame.from_dict(status_rows, orient="index").reindex(columns=cols).fillna("")
    table.index.name = "intake_year"
    status.index.name = "intake_year"
    return table, status


def flows_by_month(
    extract: Extract, as_at=None, threshold: int = disclosure.DEFAULT_THRESHOLD
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Permanent starters and leavers (people) in each month of the year to ``as_at``.

    Which months are shown is decided once for the extract (:func:`build_release`):
    a month is the same people whichever as-at date shows it, and the year's totals at
    every as-at date are shown too, so no month, and no sum of months, resting on fewer
    than ``threshold`` people can be worked out from them.
    """
    threshold = disclosure.check_shown_threshold(threshold, allow_off=True)
    day = resolve_as_at(extract, as_at)
    rel = build_release(extract, threshold)
    before = pd.Timestamp(one_year_before(day.date()))
    months = pd.period_range(before + pd.Timedelta(days=1), day, freq="M")
    w = extract.workers[extract.workers["employment_type"] == PERMANENT]
    table = pd.DataFrame(index=months.astype(str))
    status = pd.DataFrame(index=table.index)
    for col, dates in (("starters", w["start_date"]), ("leavers", w["leaving_date"])):
        hit = dates[(dates > before) & (dates <= day)]
        counts = hit.dt.to_period("M").astype(str).value_counts().reindex(table.index, fill_value=0)
        table[col] = counts.astype(float)
        status[col] = pd.Series("", index=table.index, dtype=object)
        hidden = rel.months[col].reindex(table.index, fill_value=True)
        _shown(table, [col], hidden, disclosure.STATUS, status)
    table.index.name = status.index.name = "month"
    return table, status


# ---------------------------------------------------------------- summary
@dataclass
class HrSummary:
    """Everything ``workforce hr summary`` prints and the HR report shows."""

    area: str
    as_at: pd.Timestamp
    extract_date: pd.Timestamp
    threshold: int
    measures: dict[str, MeasureComparison]
    length_of_service: pd.DataFrame
    length_of_service_status: pd.DataFrame
    caseload_distribution: pd.DataFrame
    caseload_status: pd.DataFrame
    caseload_summary: dict
    teams: pd.DataFrame
    teams_status: pd.DataFrame
    asye_cohorts: pd.DataFrame
    asye_status: pd.DataFrame
    leavers_by_reason: pd.DataFrame = field(default_factory=pd.DataFrame)
    leavers_by_reason_status: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """The ``workforce hr summary --json`` document: ``measures`` as in
        ``workforce summary --json``, plus the tables DfE does not publish; a suppressed
        cell is ``null`` with its ``status``."""
        return {
            "area": self.area,
            "kind": "hr_extract",
            "year": int(self.as_at.year),
            "as_at": f"{self.as_at:%Y-%m-%d}",
            "extract_date": f"{self.extract_date:%Y-%m-%d}",
            "disclosure_threshold": self.threshold,
            "measures": {k: json_safe(asdict(v)) for k, v in self.measures.items()},
            "length_of_service": _records(self.length_of_service, self.length_of_service_status),
            "caseload_distribution": {
                **self.caseload_summary,
                "bands": _records(self.caseload_distribution, self.caseload_status),
            },
            "teams": _records(self.teams, self.teams_status),
            "asye_cohorts": _records(self.asye_cohorts, self.asye_status),
            "leavers_by_reason": _records(self.leavers_by_reason, self.leavers_by_reason_status),
            "notes": self.notes,
        }

    # what a reader may see: the report's and the CLI's tables and sentences
    def length_of_service_table(self) -> pd.DataFrame:
        s = self
        return shown_frame(
            s.length_of_service,
            s.length_of_service_status,
            {"leavers": ("Leavers (people)", 0), "leavers_fte": ("Leavers (FTE)", 1),
             "share": ("Share of leavers (%)", 1)},
        )  # fmt: skip

    def under_five_years(self) -> str:
        """The share of leavers with under five years' service, as a sentence, beside
        the national figure with its year and source."""
        t, st = self.length_of_service, self.length_of_service_status
        bands = ["Less than 2 years", "2 to less than 5 years"]
        total = t.at["All leavers", "leavers"]
        f = national_figure("leavers_under_five_years_service_pct")
        national = (
            f"nationally, {f.value:.1f}% in the {f.period} ({f.source}; not from the data "
            "this report reads, see data/reference/national_figures.csv)"
        )
        if st.loc[bands, "leavers"].ne("").any() or pd.isna(total) or not total:
            return (
                "The share of leavers with under five years' service is not shown: it would "
                f"rest on fewer than {self.threshold} people or reveal a figure that does "
                f"({national})."
            )
        mine = 100 * t.loc[bands, "leavers"].sum() / total
        return (
            f"{mine:.1f}% of the {int(total)} leavers in the year to {self.as_at:%d %B %Y} had "
            f"under five years' service with the council ({national})."
        )

    def reasons_table(self) -> pd.DataFrame:
        """Leavers by reason as the report shows them (reasons in words)."""
        table = self.leavers_by_reason.rename(index=LEAVING_REASONS)
        status = self.leavers_by_reason_status.rename(index=LEAVING_REASONS)
        table.index.name = status.index.name = "Reason for leaving"
        return shown_frame(
            table,
            status,
            {"leavers": ("Leavers (people)", 0), "leavers_fte": ("Leavers (FTE)", 1),
             "share": ("Share of leavers (%)", 1)},
        )  # fmt: skip

    def asye_sentence(self) -> str:
        """The latest ASYE intake whose first year is over, and how many stayed a year."""
        t, st = self.asye_cohorts, self.asye_status
        done = [y for y in t.index if st.at[y, "in_post_after_1"] != NOT_YET]
        if not done:
            return (
                "No ASYE intake has yet reached the first anniversary of its census year in "
                "this extract."
            )
        year = max(done)
        if st.at[year, "retained_after_1"] or st.at[year, "intake"]:
            return (
                f"Retention of the {year} ASYE intake (newly qualified social workers who "
                f"started in the year to 30 September {year}) after one year is not shown: it "
                f"would rest on fewer than {self.threshold} people or reveal a figure that does."
            )
        return (
            f"Of the {int(t.at[year, 'intake'])} newly qualified social workers in their ASYE "
            f"who started in the year to 30 September {year}, {int(t.at[year, 'in_post_after_1'])}"
            f" ({t.at[year, 'retained_after_1']:.1f}%) were still in post a year after they "
            "started."
        )

    def caseload_table(self) -> pd.DataFrame:
        s = self
        return shown_frame(
            s.caseload_distribution.rename_axis(CASELOAD_BAND_HEADING),
            s.caseload_status,
            {"case_holders": ("Case holders (people)", 0), "share": ("Share (%)", 1)},
        )

    def caseload_sentence(self) -> str:
        c = self.caseload_summary
        if c["within_desired_share"] is None:
            return (
                f"The share of case holders within the desired caseload of {c['desired']:g} "
                f"cases per FTE is not shown: it would rest on fewer than {self.threshold} "
                f"people. {CASELOAD_COUNTED}"
            )
        return (
            f"{c['within_desired_share']:.1f}% of case holders ({c['within_desired']} of "
            f"{c['case_holders']} people) held no more than the desired {c['desired']:g} cases "
            f"per FTE at {self.extract_date:%d %B %Y}; the median was "
            f"{c['median_per_fte']:.1f}. {CASELOAD_COUNTED}"
        )

    def teams_table(self) -> pd.DataFrame:
        cols = {c: (label, MEASURES[c].decimals) for c, label in TEAM_COLUMNS.items()}
        return shown_frame(self.teams, self.teams_status, cols)

    def asye_table(self) -> pd.DataFrame:
        cols = {"intake": ("Intake (people)", 0)}
        for k in ASYE_YEARS:
            cols[f"in_post_after_{k}"] = (f"In post after {k} year{'s' * (k > 1)}", 0)
            cols[f"retained_after_{k}"] = (f"Retained after {k} (%)", 1)
        return shown_frame(self.asye_cohorts, self.asye_status, cols)


def comparisons(
    hm: HrMeasures, day, before=None, no_before: str | None = None
) -> dict[str, MeasureComparison]:
    """Each measure at ``day`` against ``before`` (the year before), as ``workforce
    summary --json`` gives them; with no ``before``, no previous value and ``no_before``
    as its status."""
    out = {}
    for name, m in MEASURES.items():
        value = number_or_none(hm.values.at[day, name])
        previous = None if before is None else number_or_none(hm.values.at[before, name])
        change = (
            None
            if value is None or previous is None
            else float(round_half_up(value - previous, m.decimals))
        )
        out[name] = MeasureComparison(
            value=value,
            previous=previous,
            change=change,
            status=hm.status.at[day, name] or None,
            previous_status=(hm.status.at[before, name] or None) if before is not None
            else no_before,
        )  # fmt: skip
    return out


def _records(table: pd.DataFrame, status: pd.DataFrame) -> list:
    """Rows as dicts; a suppressed value is None and the row's ``status`` says why."""
    key = table.index.name or "key"
    out = []
    for idx, row in table.iterrows():
        rec: dict = {key: idx.item() if hasattr(idx, "item") else idx}
        for c, v in row.items():
            rec[c] = number_or_none(v)
        why = {c: s for c, s in status.loc[idx].items() if s}
        rec["status"] = why or None
        out.append(rec)
    return out


def summarise(
    extract: Extract,
    as_at=None,
    threshold: int = disclosure.DEFAULT_THRESHOLD,
    desired: float = DEFAULT_DESIRED_CASELOAD,
    area: str | None = None,
) -> HrSummary:
    """Every figure of the HR report, disclosure-controlled."""
    threshold = disclosure.check_shown_threshold(threshold)
    day = resolve_as_at(extract, as_at)
    hm = measures_at(extract, day, threshold)
    prev_day, _ = hm.values.index
    measures = comparisons(hm, day, prev_day)
    los, los_st = length_of_service(extract, day, threshold)
    cl, cl_st, cl_sum = caseload_distribution(extract, desired, threshold)
    tm, tm_st = teams(extract, day, threshold)
    ay, ay_st = asye_cohorts(extract, day, threshold)
    rs, rs_st = leavers_by_reason(extract, day, threshold)
    notes = [DISCLOSURE_NOTE.format(t=threshold)]
    if extract.sheet:
        notes.append(
            f"Read from sheet {extract.sheet!r} of {extract.source.name}, the first sheet "
            "whose first row holds the extract's columns."
        )
    if day != extract.extract_date:
        notes.append(
            f"Vacancies, cases and sickness are recorded at the extract date "
            f"({extract.extract_date:%d %B %Y}); at {day:%d %B %Y} they are not available."
        )
    return HrSummary(
        area=area or extract.source.stem,
        as_at=day,
        extract_date=extract.extract_date,
        threshold=threshold,
        measures=measures,
        length_of_service=los,
        length_of_service_status=los_st,
        caseload_distribution=cl,
        caseload_status=cl_st,
        caseload_summary=cl_sum,
        teams=tm,
        teams_status=tm_st,
        asye_cohorts=ay,
        asye_status=ay_st,
        leavers_by_reason=rs,
        leavers_by_reason_status=rs_st,
        notes=notes,
    )
