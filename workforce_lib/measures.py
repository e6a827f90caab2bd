"""Every workforce measure, defined once, by DfE's definitions.

A rate is always computed from its components. For a group of councils the components
are summed first and the rate is computed from the sums; rates are never averaged.

Examples
--------
>>> round_half_up(0.25)
0.3
>>> MEASURES["turnover_rate_fte"].compute({"leavers_fte": 28.8, "inpost_fte": 181.0}, 2022)
15.911602209944752
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from workforce_lib.constants import DECIMALS, ROUNDS_TO_ZERO, WORKING_DAYS, WORKING_DAYS_LEAP

Direction = Literal["lower_is_better", "higher_is_better", "neutral"]
Kind = Literal["count", "rate"]


def working_days_to(as_at: date) -> int:
    """Working days in the 12 months to ``as_at``: 253, or 254 when they hold 29 February.

    >>> working_days_to(date(2024, 1, 31)), working_days_to(date(2024, 3, 31))
    (253, 254)
    """
    as_at = date(as_at.year, as_at.month, as_at.day)
    before = one_year_before(as_at)
    for year in (as_at.year - 1, as_at.year):
        if calendar.isleap(year) and before < date(year, 2, 29) <= as_at:
            return WORKING_DAYS_LEAP
    return WORKING_DAYS


def one_year_before(day: date) -> date:
    """The same date a year earlier, and from a month's last day the last day of that
    month a year earlier: a year to ``day`` is the days after this one, up to and
    including ``day``, so a year to a month end is twelve whole months (the months a
    report lists under it add up to its year). Only February differs: 29 February goes
    to 28 February, and 28 February after a leap year to 29 February (before, the year
    to 28 February 2025 began on 29 February 2024, a part month no month table holds).

    >>> one_year_before(date(2024, 2, 29)), one_year_before(date(2025, 2, 28))
    (datetime.date(2023, 2, 28), datetime.date(2024, 2, 29))
    >>> one_year_before(date(2025, 9, 30)), one_year_before(date(2024, 2, 28))
    (datetime.date(2024, 9, 30), datetime.date(2023, 2, 28))
    """
    if day.day == calendar.monthrange(day.year, day.month)[1]:  # a month end
        return date(day.year - 1, day.month, calendar.monthrange(day.year - 1, day.month)[1])
    return date(day.year - 1, day.month, day.day)


def working_days(year: int) -> int:
    """Working days in the year to 30 September ``year``: 253, or 254 when it holds 29 February.

    >>> working_days(2024), working_days(2025)
    (254, 253)
    """
    return working_days_to(date(int(year), 9, 30))


def round_half_up(x, ndigits: int = DECIMALS):
    """Round halves away from zero, as DfE does (Python's ``round`` rounds halves to even).

    Works on a float, a NumPy array or a pandas Series; NaN stays NaN. A tiny tolerance
    absorbs binary representation error, so 2.675 rounds to 2.68 as written.

    >>> round_half_up(2.675, 2), round(2.675, 2)
    (2.68, 2.67)
    >>> round_half_up(-0.05)
    -0.1
    """
    factor = 10.0**ndigits
    arr = np.asarray(x, dtype=float)
    out = np.sign(arr) * np.floor(np.abs(arr) * factor + 0.5 + 1e-9) / factor
    out = out + 0.0  # turn -0.0 into 0.0
    if isinstance(x, pd.Series):
        return pd.Series(out, index=x.index, name=x.name)
    if np.ndim(out) == 0:
        return float(out)
    return out


@dataclass(frozen=True)
class Measure:
    """One published indicator.

    Attributes
    ----------
    name : the DfE column name, used as the key everywhere (JSON, CSV, charts).
    label : a short name a reader understands.
    kind : ``"count"`` (summed over a group) or ``"rate"`` (recomputed from components).
    unit : what the number is in, for display.
    direction : which way is better; ``neutral`` for sizes, where more is not worse.
    numerator, denominator : component columns of a rate; the denominator is their sum.
    scale : 100 for a percentage, 1 for a ratio.
    per_working_day : the denominator is multiplied by the year's working days.
    decimals : decimal places DfE publishes it to (0 for people and cases).
    definition : the definition in words, as DfE states it.
    """

    name: str
    label: str
    kind: Kind
    unit: str
    direction: Direction
    definition: str
    numerator: str | None = None
    denominator: tuple[str, ...] = ()
    scale: float = 100.0
    per_working_day: bool = False
    decimals: int = DECIMALS

    @property
    def components(self) -> tuple[str, ...]:
        """Columns this measure is built from (itself for a count)."""
        if self.kind == "count":
            return (self.name,)
        return tuple(dict.fromkeys((self.numerator, *self.denominator)))

    @property
    def is_percent(self) -> bool:
        return self.kind == "rate" and self.scale == 100.0

    def compute(
        self,
        components: Mapping[str, float | np.ndarray],
        year: int | np.ndarray,
        days: float | np.ndarray | None = None,
    ):
        """The unrounded value from (summed) components; NaN where the denominator is 0.

        ``components`` maps each column in :attr:`components` to a number or an array.
        ``days`` overrides the working days of ``year`` (for 12 months to another date
        than 30 September: :func:`working_days_to`).
        """
        if self.kind == "count":
            return components[self.name]
        num = np.asarray(components[self.numerator], dtype=float)
        den = sum(np.asarray(components[c], dtype=float) for c in self.denominator)
        if self.per_working_day:
            den = den * (np.vectorize(working_days)(np.asarray(year)) if days is None else days)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = self.scale * num / np.where(den == 0, np.nan, den)
        return float(out) if np.ndim(out) == 0 else out

    def format(self, value: float | None) -> str:
        """Display a value: ``15.9%``, ``28.8``, ``16.5``; ``n/a`` for missing. Rounded
        first, so a value that rounds to zero is never shown as ``-0.0``."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "n/a"
        value = round_half_up(value, self.decimals)  # -0.04 -> 0.0, not "-0.0"
        if self.is_percent:
            return f"{value:.{self.decimals}f}%"
        return f"{value:,.{self.decimals}f}"

    def format_change(self, change: float | None) -> str:
        """A change on last year: ``+0.1 points`` for a rate in %, ``-4.2`` otherwise.
        Rounded, then signed: a change that rounds to zero is ``0.0``, with no sign.

        >>> t = MEASURES["turnover_rate_fte"]
        >>> t.format_change(0.14), t.format_change(-0.04), t.format_change(0.0)
        ('+0.1 points', '0.0 points', '0.0 points')
        """
        if change is None or (isinstance(change, float) and math.isnan(change)):
            return "n/a"
        suffix = " points" if self.is_percent else ""
        change = round_half_up(change, self.decimals)
        sign = "+" if change > 0 else ""
        return f"{sign}{change:,.{self.decimals}f}{suffix}"


def _count(name: str, label: str, unit: str, definition: str) -> Measure:
    decimals = 0 if unit in ("headcount", "cases") else DECIMALS
    return Measure(name, label, "count", unit, "neutral", definition, decimals=decimals)


_MEASURE_LIST: tuple[Measure, ...] = (
    _count(
        "inpost_fte",
        "Social workers in post (FTE)",
        "FTE",
        "Full-time equivalent children and family social workers employed at 30 September.",
    ),
    _count(
        "inpost_headcount",
        "Social workers in post (headcount)",
        "headcount",
        "Children and family social workers employed at 30 September (people).",
    ),
    _count(
        "starters_fte",
        "Starters (FTE)",
        "FTE",
        "FTE social workers who joined in the year to 30 September.",
    ),
    _count(
        "starters_headcount",
        "Starters (headcount)",
        "headcount",
        "Social workers who joined in the year to 30 September (people).",
    ),
    _count(
        "leavers_fte",
        "Leavers (FTE)",
        "FTE",
        "FTE social workers who left in the year to 30 September.",
    ),
    _count(
        "leavers_headcount",
        "Leavers (headcount)",
        "headcount",
        "Social workers who left in the year to 30 September (people).",
    ),
    Measure(
        "turnover_rate_fte",
        "Turnover rate",
        "rate",
        "%",
        "lower_is_better",
        "Leavers (FTE) in the year as a percentage of social workers in post (FTE) at "
        "30 September.",
        numerator="leavers_fte",
        denominator=("inpost_fte",),
    ),
    Measure(
        "turnover_rate_headcount",
        "Turnover rate (headcount)",
        "rate",
        "%",
        "lower_is_better",
        "Leavers (headcount) as a percentage of social workers in post (headcount).",
        numerator="leavers_headcount",
        denominator=("inpost_headcount",),
    ),
    _count(
        "agency_fte",
        "Agency workers (FTE)",
        "FTE",
        "FTE agency social workers working at 30 September.",
    ),
    _count(
        "agency_headcount",
        "Agency workers (headcount)",
        "headcount",
        "Agency social workers working at 30 September (people).",
    ),
    Measure(
        "agency_rate_fte",
        "Agency rate",
        "rate",
        "%",
        "lower_is_better",
        "Agency workers (FTE) as a percentage of agency workers plus social workers in post (FTE).",
        numerator="agency_fte",
        denominator=("agency_fte", "inpost_fte"),
    ),
    Measure(
        "agency_rate_headcount",
        "Agency rate (headcount)",
        "rate",
        "%",
        "lower_is_better",
        "Agency workers as a percentage of agency workers plus social workers in post (headcount).",
        numerator="agency_headcount",
        denominator=("agency_headcount", "inpost_headcount"),
    ),
    _count(
        "agency_cover_fte",
        "Agency workers covering vacancies (FTE)",
        "FTE",
        "FTE agency workers covering a vacant post at 30 September.",
    ),
    Measure(
        "agency_cover_rate_fte",
        "Agency workers covering vacancies",
        "rate",
        "%",
        "neutral",
        "Agency workers covering vacancies (FTE) as a percentage of all agency workers (FTE).",
        numerator="agency_cover_fte",
        denominator=("agency_fte",),
    ),
    _count(
        "vacancy_fte",
        "Vacancies (FTE)",
        "FTE",
        "FTE social worker posts vacant at 30 September.",
    ),
    Measure(
        "vacancy_rate_fte",
        "Vacancy rate",
        "rate",
        "%",
        "lower_is_better",
        "Vacancies (FTE) as a percentage of vacancies plus social workers in post (FTE).",
        numerator="vacancy_fte",
        denominator=("vacancy_fte", "inpost_fte"),
    ),
    Measure(
        "vacancy_agency_cover_rate_fte",
        "Vacancies covered by agency workers",
        "rate",
        "%",
        "neutral",
        "Agency workers covering vacancies (FTE) as a percentage of vacancies (FTE).",
        numerator="agency_cover_fte",
        denominator=("vacancy_fte",),
    ),
    _count(
        "case_holders_fte",
        "Case holders (FTE)",
        "FTE",
        "FTE social workers holding one or more cases at 30 September.",
    ),
    _count("cases", "Cases", "cases", "Cases held by social workers at 30 September."),
    Measure(
        "caseload_fte",
        "Average caseload",
        "rate",
        "cases per FTE",
        "lower_is_better",
        "Cases held divided by FTE case-holding social workers at 30 September.",
        numerator="cases",
        denominator=("case_holders_fte",),
        scale=1.0,
    ),
    _count(
        "working_days_lost_fte",
        "Working days lost to sickness (FTE)",
        "days",
        "Working days lost to sickness absence in the year, FTE social workers.",
    ),
    Measure(
        "absence_rate_fte",
        "Sickness absence rate",
        "rate",
        "%",
        "lower_is_better",
        "Working days lost to sickness as a percentage of working days available: in-post FTE "
        "x 253 (254 in a year to 30 September that holds 29 February).",
        numerator="working_days_lost_fte",
        denominator=("inpost_fte",),
        per_working_day=True,
    ),
)

#: Every measure by its DfE column name, in the release's column order.
MEASURES: dict[str, Measure] = {m.name: m for m in _MEASURE_LIST}

#: Numeric columns of the release, in order.
NUMERIC_COLUMNS: tuple[str, ...] = tuple(MEASURES)

RATES: tuple[str, ...] = tuple(m.name for m in _MEASURE_LIST if m.kind == "rate")
COUNTS: tuple[str, ...] = tuple(m.name for m in _MEASURE_LIST if m.kind == "count")

#: The measures on a report's headline panel, in the order a committee reads them.
HEADLINE_MEASURES: tuple[str, ...] = (
    "turnover_rate_fte",
    "agency_rate_fte",
    "vacancy_rate_fte",
    "caseload_fte",
    "absence_rate_fte",
    "inpost_fte",
    "starters_fte",
    "leavers_fte",
)


def component_sums(
    values: pd.DataFrame, status: pd.DataFrame, measure: Measure
) -> tuple[dict[str, float], pd.Series]:
    """Sums of a measure's components over the rows DfE would include, and which those are.

    DfE's rule, checked against every published regional and England row: a row is left
    out of both sides of a rate when any component of that rate is not published (``x``,
    ``c``, ``u`` ...); a value marked ``low`` (rounds to zero) counts as zero.

    Returns
    -------
    sums : component column -> sum over the included rows.
    keep : boolean Series over the rows, True where the row is included.
    """
    cols = list(measure.components)
    return _sums(values[cols].mask(status[cols].eq(ROUNDS_TO_ZERO), 0.0), cols)


def _sums(usable: pd.DataFrame, cols: list[str]) -> tuple[dict[str, float], pd.Series]:
    """:func:`component_sums` of values with ``low`` already zero."""
    usable = usable[cols]
    keep = usable.notna().all(axis=1)
    return {c: float(usable.loc[keep, c].sum()) for c in cols}, keep


def aggregate(values: pd.DataFrame, status: pd.DataFrame, year: int) -> pd.DataFrame:
    """Group figures for one year from member councils' published components.

    Councils are included as :func:`component_sums` says (DfE's rule); counts sum what
    is published.

    Parameters
    ----------
    values : member councils' numeric columns (NaN where not published).
    status : the same shape; the DfE symbol where a value is not published, else "".
    year : the census year (for working days).

    Returns
    -------
    DataFrame indexed by measure name with ``value`` (rounded half up), ``unrounded``,
    ``n_members``, ``n_included`` and ``excluded`` (list of row labels left out).
    """
    rows = []
    usable = values.mask(status.eq(ROUNDS_TO_ZERO), 0.0)  # once, not once a measure
    # as :func:`_sums` works them out, on one array: a component's sum is numpy's sum of
    # its included rows in order, as pandas sums a column (selecting them with pandas
    # cost a region report about 0.2 s)
    cells = usable.to_numpy(dtype=float, na_value=np.nan)
    where = {c: i for i, c in enumerate(usable.columns)}
    for m in MEASURES.values():
        cols = [where[c] for c in m.components]
        keep = ~np.isnan(cells[:, cols]).any(axis=1)
        sums = {c: float(cells[keep, i].sum()) for c, i in zip(m.components, cols)}
        unrounded = m.compute(sums, year) if keep.any() else float("nan")
        rows.append(
            {
                "measure": m.name,
                "value": round_half_up(unrounded),
                "unrounded": unrounded,
                "n_members": len(values),
                "n_included": int(keep.sum()),
                "excluded": list(values.index[~keep]),
            }
        )
    return pd.DataFrame(rows).set_index("measure")


# ---------------------------------------------------------------- children's context
#: Measures that set the workforce beside what it means for children, from DfE's
#: children looked after and children in need statistics and ONS population estimates
#: (read by :mod:`workforce_lib.published.context`). Their components come from other files than the
#: workforce release, so they are kept apart from :data:`MEASURES` (the release's columns).
CONTEXT_MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "cla_3plus_social_workers_pct",
            "Looked-after children with 3 or more social workers in the year",
            "rate",
            "%",
            "lower_is_better",
            "Children looked after at 31 March who had 3 or more social workers during the "
            "year to 31 March, as a percentage of children looked after at 31 March.",
            numerator="cla_3plus",
            denominator=("cla_total",),
            decimals=0,
        ),
        Measure(
            "children_in_need_per_case_holder_fte",
            "Children in need per case-holding social worker (FTE)",
            "rate",
            "children per FTE",
            "neutral",
            "Children in need at 31 March divided by FTE case-holding social workers at "
            "30 September (a check on the published caseload, which counts cases held).",
            numerator="cin_at_31_march",
            denominator=("case_holders_fte",),
            scale=1.0,
        ),
        Measure(
            "cin_started_per_case_holder_fte",
            "Children-in-need episodes started in the year per case-holding social worker (FTE)",
            "rate",
            "episodes per FTE",
            "neutral",
            "Episodes of need that started in the year to 31 March (each begins with a "
            "referral accepted by children's social care) divided by FTE case-holding social "
            "workers at 30 September: new work arriving, where the children-in-need figure "
            "above is work open at one date.",
            numerator="cin_started",
            denominator=("case_holders_fte",),
            scale=1.0,
        ),
        Measure(
            "social_workers_per_10k_children",
            "Social workers in post (FTE) per 10,000 children",
            "rate",
            "FTE per 10,000 children",
            "neutral",
            "Social workers in post (FTE) at 30 September per 10,000 children aged 0 to 17 "
            "(ONS mid-year estimate, 30 June of the same year).",
            numerator="inpost_fte",
            denominator=("children_0_17",),
            scale=10_000.0,
        ),
    )
}
