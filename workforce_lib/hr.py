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

Everything a report shows goes through :mod:`workforce_lib.disclosure`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from workforce_lib import disclosure
from workforce_lib.comparison import MeasureComparison, json_safe, number_or_none
from workforce_lib.extract import AGENCY, PERMANENT, Extract
from workforce_lib.measures import (
    MEASURES,
    Measure,
    one_year_before,
    round_half_up,
    working_days_to,
)
from workforce_lib.presentation import shown_frame

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

#: Caseload bands (cases per FTE held by a case holder), upper bounds inclusive.
CASELOAD_BANDS: tuple[tuple[str, float, float], ...] = (
    ("Up to 5", 0, 5),
    ("Over 5, up to 10", 5, 10),
    ("Over 10, up to 15", 10, 15),
    ("Over 15, up to 20", 15, 20),
    ("Over 20, up to 25", 20, 25),
    ("Over 25, up to 30", 25, 30),
    ("Over 30", 30, math.inf),
)

#: Years after intake at which ASYE cohort retention is counted.
ASYE_YEARS: tuple[int, ...] = (1, 2, 3)

#: Which component each component's people count comes from (None: posts, not people).
PEOPLE: dict[str, str | None] = {
    "inpost_fte": "inpost_headcount",
    "inpost_headcount": "inpost_headcount",
    "starters_fte": "starters_headcount",
    "starters_headcount": "starters_headcount",
    "leavers_fte": "leavers_headcount",
    "leavers_headcount": "leavers_headcount",
    "agency_fte": "agency_headcount",
    "agency_headcount": "agency_headcount",
    "agency_cover_fte": None,
    "vacancy_fte": None,
    "case_holders_fte": "case_holders_headcount",
    "cases": "case_holders_headcount",
    "working_days_lost_fte": "absent_headcount",
}
#: Components known at every date, and whose records move them: a series of these can be
#: differenced month to month, so its changes are disclosure-controlled too.
SERIES_PEOPLE: dict[str, str] = {
    "inpost_fte": PERMANENT,
    "inpost_headcount": PERMANENT,
    "starters_fte": PERMANENT,
    "starters_headcount": PERMANENT,
    "leavers_fte": PERMANENT,
    "leavers_headcount": PERMANENT,
    "agency_fte": AGENCY,
    "agency_headcount": AGENCY,
}
#: Of those, the 12-month flows: they change when people move and again a year later,
#: when the move leaves the 12-month window.
ROLLING_FLOWS = ("starters_fte", "starters_headcount", "leavers_fte", "leavers_headcount")
#: Components only recorded at the extract date.
POINT_IN_TIME = ("agency_cover_fte", "vacancy_fte", "case_holders_fte", "cases")
ANNUAL_AT_EXTRACT = ("working_days_lost_fte",)
_PEOPLE_COLUMNS = ("case_holders_headcount", "absent_headcount")
#: Status of a measure recorded only at the extract date, at any other date.
NOT_AVAILABLE = "not available: recorded at the extract date only"

_FAR = np.datetime64("2262-01-01")


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
    """Each worker's start and leaving dates as days; no leaving date is a far future one."""
    start = workers["start_date"].to_numpy("datetime64[D]")
    leave = workers["leaving_date"].to_numpy("datetime64[D]")
    return start, np.where(np.isnat(leave), _FAR, leave)


def _year_windows(idx: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Each date as a day, and the day a year before it: the 12 months to it are (d0, d]."""
    d0 = np.array([one_year_before(x.date()) for x in idx], dtype="datetime64[D]")
    return idx.to_numpy("datetime64[D]"), d0


def _people(workers: pd.DataFrame) -> np.ndarray:
    """Each record's person as a number: ``person`` where the table has that column (a
    census return, where one person may hold two posts), else ``worker_id``."""
    ids = workers["person"] if "person" in workers.columns else workers["worker_id"]
    return pd.factorize(ids)[0]


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
        "inpost_headcount": _heads(in_post & perm, who),
        "starters_fte": (started & perm) @ fte,
        "starters_headcount": _heads(started & perm, who),
        "leavers_fte": (left & perm) @ fte,
        "leavers_headcount": _heads(left & perm, who),
        "agency_fte": (in_post & agency) @ fte,
        "agency_headcount": _heads(in_post & agency, who),
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


def _people_mask(comp: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Primary suppression of every component, by the people behind it; then the
    stock-and-flow identity: in post now - in post a year ago = starters - leavers, so
    when one of starters and leavers is suppressed the other is too."""
    mask = pd.DataFrame(False, index=comp.index, columns=list(PEOPLE))
    kind = pd.DataFrame("", index=comp.index, columns=list(PEOPLE))
    for c, p in PEOPLE.items():
        if p is not None:
            m = disclosure.too_few(comp[p].fillna(0), threshold)
            mask[c] = m
            kind.loc[m, c] = "primary"
    s = mask["starters_headcount"]
    lv = mask["leavers_headcount"]
    for cols, hit in (
        (("starters_fte", "starters_headcount"), lv & ~s & (comp["starters_headcount"] > 0)),
        (("leavers_fte", "leavers_headcount"), s & ~lv & (comp["leavers_headcount"] > 0)),
    ):
        for c in cols:
            mask.loc[hit, c] = True
            kind.loc[hit, c] = "secondary"
    return mask, kind


def measures_from(comp: pd.DataFrame, threshold: int = disclosure.DEFAULT_THRESHOLD) -> HrMeasures:
    """Every DfE measure from components (:func:`components_at`), rounded as DfE rounds,
    with disclosure control applied."""
    threshold = disclosure.check_threshold(threshold)
    mask, kind = _people_mask(comp, threshold)
    years = comp.index.year.to_numpy()
    days = np.array([working_days_to(d.date()) for d in comp.index], dtype=float)
    values, status = {}, {}
    for m in MEASURES.values():
        raw = m.compute({c: comp[c].to_numpy(float) for c in m.components}, years, days)
        val = pd.Series(np.atleast_1d(round_half_up(raw, m.decimals)), index=comp.index)
        st = pd.Series("", index=comp.index, dtype=object)
        hidden = mask[list(m.components)].any(axis=1)
        secondary = kind[list(m.components)].eq("secondary").any(axis=1)
        missing = comp[list(m.components)].isna().any(axis=1)
        st[hidden] = disclosure.reason("primary", threshold)
        st[hidden & secondary] = disclosure.reason("secondary", threshold)
        st[missing] = NOT_AVAILABLE
        values[m.name] = val.mask(hidden | missing)
        status[m.name] = st
    return HrMeasures(pd.DataFrame(values), pd.DataFrame(status), threshold)


def measures_at(
    extract: Extract, as_at=None, threshold: int = disclosure.DEFAULT_THRESHOLD
) -> HrMeasures:
    """Measures at ``as_at`` (default: the latest 30 September on or before the extract
    date) and a year before, disclosure-controlled; rows are the two dates."""
    dates = headline_dates(resolve_as_at(extract, as_at))
    return measures_from(components_at(extract, dates), threshold)


def headline_dates(day: pd.Timestamp) -> list[pd.Timestamp]:
    """The dates a report's headline compares: a year before ``day``, and ``day``."""
    return [pd.Timestamp(one_year_before(day.date())), day]


def resolve_as_at(extract: Extract, as_at=None) -> pd.Timestamp:
    """The as-at date: given, or the latest 30 September on or before the extract date."""
    if as_at is None or as_at == "":
        return census_date(extract.extract_date)
    day = pd.Timestamp(as_at)
    if day > extract.extract_date:
        raise ValueError(
            f"as-at date {day:%Y-%m-%d} is after the extract date "
            f"{extract.extract_date:%Y-%m-%d}: the extract cannot say what happened then"
        )
    return day


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
    """Rolling 12-month measures at each month end (turnover = leavers in the 12 months
    to the month end over in-post then), disclosure-controlled, including against
    differencing (:func:`protect_differences`).

    ``shown_with``: dates whose figures appear beside the series (a report's as-at date
    and the year before; by default those of the default as-at date); the series is
    protected against differencing with them too.
    """
    if shown_with is None:
        shown_with = headline_dates(resolve_as_at(extract))
    ends = month_ends(extract, months)
    anchors = pd.DatetimeIndex(pd.to_datetime(list(shown_with)))
    dates = ends.union(anchors)
    series = measures_from(components_at(extract, dates), threshold)
    protect_differences(extract, series, shown=anchors)
    keep = series.values.index.isin(ends)
    return HrMeasures(series.values[keep], series.status[keep], threshold)


def protect_differences(extract: Extract, series: HrMeasures, shown=()) -> None:
    """Suppress, in place, values whose change from a neighbouring value shown of the
    same measure would reveal fewer than ``threshold`` people.

    In post at one month end minus the month before is that month's starters less its
    leavers: one leaver and nobody else moving would show as a step of their FTE. So two
    neighbouring values are both shown only when the people whose records move the
    measure between the two dates (starting or leaving; for 12-month flows also a year
    earlier, as moves leave the window) number 0 or at least the threshold. Going forward
    in time, a value failing that is suppressed and the next is compared with the last
    one shown. Dates in ``shown`` are shown elsewhere whatever happens here, so values
    before them are suppressed instead. Measures known only at the extract date have no
    series and are left alone.
    """
    values, status, threshold = series.values, series.status, series.threshold
    w = extract.workers
    start, leave = _service_days(w)
    kind = w["employment_type"].to_numpy()
    d, d0 = _year_windows(values.index)
    fixed = values.index.isin(pd.DatetimeIndex(pd.to_datetime(list(shown))))
    why = disclosure.reason("difference", threshold)

    def moved(a, b) -> np.ndarray:  # anyone starting or leaving in (a, b]
        return ((start > a) & (start <= b)) | ((leave > a) & (leave <= b))

    for m in MEASURES.values():
        if not set(m.components) <= set(SERIES_PEOPLE):
            continue
        who = np.isin(kind, [SERIES_PEOPLE[c] for c in m.components])
        rolling = bool(set(m.components) & set(ROLLING_FLOWS))
        col = values.columns.get_loc(m.name)

        def too_few_moved(a: int, b: int) -> bool:
            hit = moved(d[a], d[b])
            if rolling:  # moves leaving the 12-month window
                hit |= moved(d0[a], d0[b])
            return bool(disclosure.too_few(int((hit & who).sum()), threshold))

        def hide(i: int) -> None:
            values.iloc[i, col] = np.nan
            status.iloc[i, col] = why

        kept: list[int] = []
        for i in range(len(d)):
            if status.iat[i, col] != "":
                continue
            if fixed[i]:
                while kept and not fixed[kept[-1]] and too_few_moved(kept[-1], i):
                    hide(kept.pop())
            elif kept and too_few_moved(kept[-1], i):
                hide(i)
                continue
            kept.append(i)


# ---------------------------------------------------------------- beyond DfE
def _in_post(w: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    return (w["start_date"] <= day) & (w["leaving_date"].isna() | (w["leaving_date"] > day))


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


def _suppress(
    table: pd.DataFrame, cols, people: pd.Series, threshold: int, status: pd.DataFrame
) -> None:
    """Suppress ``cols`` of the rows resting on too few ``people`` (primary), plus one
    more row when a shown total would reveal a single suppressed one (secondary); cells
    already not shown keep their reason."""
    primary = disclosure.too_few(people, threshold)
    mask = disclosure.protect(people, threshold)
    for c in cols:
        open_ = status[c].reindex(people.index) == ""
        _shown(table, [c], primary & open_, disclosure.reason("primary", threshold), status)
        _shown(table, [c], mask & ~primary & open_, disclosure.reason("secondary", threshold),
               status)  # fmt: skip


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
    day = resolve_as_at(extract, as_at)
    lv = _leavers(extract.workers, day)
    years = (lv["leaving_date"] - lv["start_date"]).dt.days / 365.25
    labels = [b[0] for b in SERVICE_BANDS]
    band = pd.cut(
        years,
        [b[1] for b in SERVICE_BANDS] + [math.inf],
        labels=labels,
        right=False,
    )
    people = band.value_counts().reindex(labels, fill_value=0).astype(int)
    fte = lv.groupby(band, observed=False)["fte"].sum().reindex(labels, fill_value=0.0)
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
    _suppress(table, table.columns, people, threshold, status)
    if disclosure.too_few(total, threshold):
        every = pd.Series(True, index=table.index)
        _shown(table, table.columns, every, disclosure.reason("primary", threshold), status)
    table.index.name = "length_of_service"
    return table, status


def caseload_distribution(
    extract: Extract,
    desired: float = DEFAULT_DESIRED_CASELOAD,
    threshold: int = disclosure.DEFAULT_THRESHOLD,
) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Case holders at the extract date by cases per FTE, and the share within ``desired``.

    Returns
    -------
    table : one row per band: ``case_holders`` (people) and ``share`` (%), NaN where
        suppressed.
    status : the same shape; why a cell is not shown.
    summary : ``case_holders``, ``within_desired`` (people), ``within_desired_share``
        (%), ``desired``, ``median_per_fte`` and their statuses; None where suppressed.
    """
    if desired <= 0:
        raise ValueError(f"desired caseload must be more than 0, not {desired!r}")
    w = extract.workers
    holders = _case_holders(extract)
    per_fte = (w.loc[holders, "cases"] / w.loc[holders, "fte"]).astype(float)
    labels = [b[0] for b in CASELOAD_BANDS]
    band = pd.cut(per_fte, [b[1] for b in CASELOAD_BANDS] + [math.inf], labels=labels, right=True)
    people = band.value_counts().reindex(labels, fill_value=0).astype(int)
    total = int(people.sum())
    table = pd.DataFrame(
        {
            "case_holders": people.astype(float),
            "share": round_half_up(100 * people / total, 1) if total else np.nan,
        }
    )
    status = pd.DataFrame("", index=table.index, columns=table.columns, dtype=object)
    _suppress(table, table.columns, people, threshold, status)
    table.index.name = "cases_per_fte"
    within = int((per_fte <= desired).sum())
    hide_share = bool(disclosure.protect_share(within, total, threshold))
    hide_total = bool(disclosure.too_few(total, threshold))
    why = disclosure.reason("primary", threshold)
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

    Each team's figures are computed by the same measure code as the council's. Cells
    resting on fewer than ``threshold`` people are suppressed, then one more team per
    column where the council total would reveal a suppressed team.

    Returns
    -------
    table : one row per team, :data:`TEAM_COLUMNS`; NaN where not shown.
    status : the same shape; why a cell is not shown.
    """
    day = resolve_as_at(extract, as_at)
    w, v = extract.workers, extract.vacancies
    names = sorted(set(w["team"]) | set(v["team"]))
    rows, people = {}, {}
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
        people[team] = {
            "inpost": comp["inpost_headcount"],
            "agency": comp["agency_headcount"],
            "leavers": comp["leavers_headcount"],
            "holders": comp["case_holders_headcount"],
        }
    full = pd.DataFrame.from_dict(rows, orient="index")
    ppl = pd.DataFrame.from_dict(people, orient="index").fillna(0)
    table = full.reindex(columns=list(TEAM_COLUMNS)).astype(float)
    for c in table.columns:
        table[c] = round_half_up(table[c], MEASURES[c].decimals)
    status = pd.DataFrame("", index=table.index, columns=table.columns, dtype=object)
    if day != extract.extract_date:
        for c in ("vacancy_fte", "vacancy_rate_fte", "caseload_fte"):
            table[c] = np.nan
            status[c] = NOT_AVAILABLE
    depends = {  # which people each column rests on
        "inpost": ["inpost_headcount", "inpost_fte", "agency_rate_fte", "turnover_rate_fte",
                   "vacancy_rate_fte"],
        "agency": ["agency_fte", "agency_rate_fte"],
        "leavers": ["leavers_headcount", "turnover_rate_fte"],
        "holders": ["caseload_fte"],
    }  # fmt: skip
    for who, cols in depends.items():
        _suppress(table, cols, ppl[who], threshold, status)
    table.index.name = "team"
    return table, status


def asye_cohorts(
    extract: Extract, as_at=None, threshold: int = disclosure.DEFAULT_THRESHOLD
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each census year's permanent ASYE intake and how many were still in post after
    1, 2 and 3 years (on the anniversary of their own start).

    A retention figure is given once every member's anniversary has passed by ``as_at``
    (30 September of intake year + k); before that it is "not yet". It is suppressed when
    it, or the number who left since the last figure shown for the cohort (the intake
    first), is 1 to ``threshold - 1``: "12 started, 11 stayed" would reveal one leaver.

    Returns
    -------
    table : one row per intake year: ``intake`` and, for each k, ``in_post_after_k`` and
        ``retained_after_k`` (%); NaN where not shown.
    status : the same shape; why a cell is not shown.
    """
    day = resolve_as_at(extract, as_at)
    w = extract.workers
    asye = w[w["joined_as_asye"] & (w["employment_type"] == PERMANENT) & (w["start_date"] <= day)]
    cohort = census_year(asye["start_date"])
    rows, status_rows = {}, {}
    why = disclosure.reason("primary", threshold)
    for year in sorted(cohort.unique()):
        members = asye[cohort == year]
        n = len(members)
        row: dict[str, float] = {"intake": float(n)}
        st: dict[str, str] = {"intake": ""}
        small = bool(disclosure.too_few(n, threshold))
        last_shown = n
        if small:
            row["intake"], st["intake"] = np.nan, why
        for k in ASYE_YEARS:
            a, b = f"in_post_after_{k}", f"retained_after_{k}"
            if pd.Timestamp(int(year) + k, 9, 30) > day:
                row[a] = row[b] = np.nan
                st[a] = st[b] = "not yet"
                continue
            anniversary = members["start_date"] + pd.DateOffset(years=k)
            stayed = int(
                (members["leaving_date"].isna() | (members["leaving_date"] > anniversary)).sum()
            )
            # shown only if it and the leavers since the last shown figure are 0 or >= t
            if small or disclosure.protect_share(stayed, last_shown, threshold):
                row[a] = row[b] = np.nan
                st[a] = st[b] = why
            else:
                row[a] = float(stayed)
                row[b] = float(round_half_up(100 * stayed / n, 1))
                st[a] = st[b] = ""
                last_shown = stayed
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

    The year's totals are shown elsewhere, so a month is suppressed when it has fewer
    than ``threshold`` people, and one more month when exactly one is.
    """
    day = resolve_as_at(extract, as_at)
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
        _suppress(table, [col], counts, threshold, status)
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
        """The share of leavers with under five years' service, as a sentence."""
        t, st = self.length_of_service, self.length_of_service_status
        bands = ["Less than 2 years", "2 to less than 5 years"]
        total = t.at["All leavers", "leavers"]
        if st.loc[bands, "leavers"].ne("").any() or pd.isna(total) or not total:
            return (
                "The share of leavers with under five years' service is not shown: it rests on "
                f"fewer than {self.threshold} people."
            )
        share = 100 * t.loc[bands, "leavers"].sum() / total
        return (
            f"{share:.1f}% of the {int(total)} leavers in the year had under five years' service "
            "with the council (nationally, about 69%)."
        )

    def caseload_table(self) -> pd.DataFrame:
        s = self
        return shown_frame(
            s.caseload_distribution,
            s.caseload_status,
            {"case_holders": ("Case holders (people)", 0), "share": ("Share (%)", 1)},
        )

    def caseload_sentence(self) -> str:
        c = self.caseload_summary
        if c["within_desired_share"] is None:
            return (
                f"The share of case holders within the desired caseload of {c['desired']:g} "
                f"cases per FTE is not shown: it would rest on fewer than {self.threshold} people."
            )
        return (
            f"{c['within_desired_share']:.1f}% of case holders ({c['within_desired']} of "
            f"{c['case_holders']}) held no more than the desired {c['desired']:g} cases per FTE "
            f"at {self.extract_date:%d %B %Y}; the median was {c['median_per_fte']:.1f}."
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
    threshold = disclosure.check_threshold(threshold)
    day = resolve_as_at(extract, as_at)
    hm = measures_at(extract, day, threshold)
    prev_day, _ = hm.values.index
    measures = comparisons(hm, day, prev_day)
    los, los_st = length_of_service(extract, day, threshold)
    cl, cl_st, cl_sum = caseload_distribution(extract, desired, threshold)
    tm, tm_st = teams(extract, day, threshold)
    ay, ay_st = asye_cohorts(extract, day, threshold)
    notes = [
        f"Figures derived from staff records; any count of fewer than {threshold} people is "
        "suppressed (c), with a second figure where a total would reveal it.",
    ]
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
        notes=notes,
    )
