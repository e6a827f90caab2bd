"""Plain-English sentences generated from the numbers, with guardrails.

- A change is stated in percentage points for a rate, never as a percentage.
- A change or difference smaller than :func:`threshold` is "about the same"
  (:data:`CHANGE_RULE`, printed in every report's notes); "better"/"worse" only past it and
  only for measures with a direction: a rise in in-post FTE is a rise.
- DfE's symbols say what they mean (:mod:`workforce_lib.published.symbols`): only ``c`` is
  "suppressed"; ``low`` is "less than 0.5%"; nothing is invented.
- A region's or England's figures and changes are DfE's published ones; a named group's
  change compares the councils with figures in both years.
"""

from __future__ import annotations

import math

import pandas as pd

from workforce_lib.measures import HEADLINE_MEASURES, MEASURES, Measure
from workforce_lib.published import symbols
from workforce_lib.published.comparison import (
    AreaSummary,
    MeasureComparison,
    is_part_year,
    ordinal,
    quartile_words,
    region_phrase,
)

#: A percentage rate moving or differing by less than this many points is "about the same".
POINTS_THRESHOLD = 0.5
#: The same for a rate that is not a percentage (average caseload: cases per FTE).
RATIO_THRESHOLD = 0.5
#: A count (people, FTE, posts, days) moving by less than this share of its size.
COUNT_SHARE_THRESHOLD = 0.02

#: The rule in words, for the notes of every report that uses these sentences.
CHANGE_RULE = (
    "How changes and differences are described: a rate that moved, or differs from a "
    f"comparator, by less than {POINTS_THRESHOLD:g} percentage points (less than "
    f"{RATIO_THRESHOLD:g} for average caseload, less than {100 * COUNT_SHARE_THRESHOLD:g}% for "
    'a number of people, posts or days) is described as "about the same": such differences '
    "are within the published rounding and ordinary year-to-year movement. Larger ones are "
    'called up or down, above or below; "an improvement" or "a deterioration" is said only '
    "of those, and only for measures where lower (or higher) is better. Numbers of people are "
    "never called better or worse."
)


def threshold(m: Measure, reference: float | None = None) -> float:
    """The smallest change or difference that is described as one.

    >>> from workforce_lib.measures import MEASURES
    >>> threshold(MEASURES["turnover_rate_fte"]), threshold(MEASURES["leavers_fte"], 270.0)
    (0.5, 5.4)
    """
    if m.is_percent:
        return POINTS_THRESHOLD
    if m.kind == "rate":
        return RATIO_THRESHOLD
    size = abs(reference) if reference is not None else 0.0
    return max(round(COUNT_SHARE_THRESHOLD * size, 6), 0.5 * 10.0**-m.decimals)


def meaningful(m: Measure, difference: float, reference: float | None = None) -> bool:
    """Whether a difference is past :func:`threshold` (so words like "up" may be used).

    >>> from workforce_lib.measures import MEASURES
    >>> turnover = MEASURES["turnover_rate_fte"]
    >>> meaningful(turnover, 0.1), meaningful(turnover, -0.5)
    (False, True)
    """
    return abs(round(difference, 6)) >= threshold(m, reference)


def _figure(c: MeasureComparison) -> float | None:
    """The figure the text quotes: DfE's published one for a region or England."""
    return c.published if c.published is not None else c.value


def _shown(m: Measure, value: float | None, status: str | None) -> str:
    return symbols.shown(m, value, status)


def _part_of_this_year(summary: AreaSummary, c: MeasureComparison) -> bool:
    return bool(c.part_year and c.part_year.startswith(str(summary.year)))


def _part_year_text(summary: AreaSummary) -> str:
    return (
        f"the {summary.year} figure covers part of the year (see the notes), so it is not "
        "compared with other years or councils"
    )


def _people(text: str) -> str:
    """``"1 people"`` -> ``"1 person"``."""
    return "1 person" if text == "1" else f"{text} people"


def _movement(m: Measure, c: MeasureComparison) -> str:
    if c.part_year and c.change is None:
        return f"not comparable with last year ({c.part_year.split(':')[0]})"
    if c.previous is None:
        why = f" ({symbols.shown(m, None, c.previous_status)})" if c.previous_status else ""
        return f"no comparable figure for last year{why}"
    before = _shown(m, c.previous, c.previous_status)
    basis = f" (comparing {c.change_basis})" if c.change_basis else ""
    if c.change is None:
        return f"last year {before}{basis}"
    if not meaningful(m, c.change, c.previous):
        if c.change == 0:
            return f"about the same as last year ({before}){basis}"
        verb = "up" if c.change > 0 else "down"
        amount = m.format_change(abs(c.change)).lstrip("+")
        return f"about the same as last year ({verb} {amount} from {before}){basis}"
    verb = "up" if c.change > 0 else "down"
    amount = m.format_change(abs(c.change)).lstrip("+")
    judgement = ""
    if m.direction != "neutral" and m.kind == "rate":
        better = (c.change < 0) == (m.direction == "lower_is_better")
        judgement = ", an improvement" if better else ", a deterioration"
    return f"{verb} {amount} from {before}{basis}{judgement}"


def _versus(m: Measure, value: float, other: float | None, name: str) -> str | None:
    if other is None:
        return None
    if not meaningful(m, value - other, other):
        return f"about the same as {name} ({m.format(other)})"
    word = "above" if value > other else "below"
    return f"{word} {name} ({m.format(other)})"


def comparisons(summary: AreaSummary, name: str) -> list[str]:
    """ "above the North East (14.8%)", "about the same as England (11.8%)" ..."""
    m, c = MEASURES[name], summary.measures[name]
    value = _figure(c)
    if value is None:
        return []
    comps = [
        _versus(m, value, c.region, region_phrase(summary.region))
        if summary.region and summary.kind == "council"
        else None,
        _versus(m, value, c.england, "England") if summary.area != "England" else None,
        _versus(m, value, c.neighbours_median, "the statistical neighbours' median"),
    ]
    return [x for x in comps if x]


def measure_sentence(summary: AreaSummary, name: str) -> str:
    """One sentence for one measure, e.g. 'Turnover rate was 15.9%, about the same ...'."""
    m = MEASURES[name]
    c = summary.measures[name]
    value = _figure(c)
    if value is None:
        if c.status and summary.kind == "council":
            why = symbols.shown(m, None, c.status)
            lead = (
                "suppressed to protect confidentiality" if symbols.is_suppressed(c.status) else why
            )
            return f"{m.label}: {lead} in {summary.year}; DfE publishes no figure."
        return f"{m.label}: no figure in {summary.year} ({c.status or 'not published'})."
    shown = _shown(m, value, c.status if summary.kind == "council" else None)
    if _part_of_this_year(summary, c):
        return f"{m.label} was {shown}: {_part_year_text(summary)}."
    parts = [f"{m.label} was {shown}, {_movement(m, c)}"]
    comps = comparisons(summary, name)
    if comps and m.kind == "rate":
        parts.append("; it was " + ", ".join(comps))
    if c.quartile is not None and c.graded:
        parts.append(f" (England quartile {c.quartile}: {quartile_words(m, c.quartile)})")
    if c.part_year and c.change is not None:
        parts.append(f" ({c.part_year})")
    if summary.kind == "group" and c.status and c.published is None:
        parts.append(f". Recomputed from {c.status}")
    return "".join(parts) + "."


def headline_narrative(summary: AreaSummary) -> list[str]:
    """Sentences for the headline measures, in the order a committee reads them."""
    return [measure_sentence(summary, n) for n in HEADLINE_MEASURES]


# ---------------------------------------------------------------- records
def record(series: pd.DataFrame, year: int, m: Measure) -> str | None:
    """ "the lowest since 2019", "the highest since the series began in 2017", or None.

    ``series`` holds ``year`` and ``value`` (the area's own figures: no predecessor's, no
    part years). A year without a figure stops the search; a record is claimed only over at
    least two earlier years.

    >>> from workforce_lib.measures import MEASURES
    >>> s = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "value": [10.0, 12.0, 13.0, 9.0]})
    >>> record(s, 2022, MEASURES["turnover_rate_fte"])
    'the lowest since the series began in 2019'
    >>> s = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "value": [8.0, 12.0, 13.0, 9.0]})
    >>> record(s, 2022, MEASURES["turnover_rate_fte"])
    'the lowest since 2019'
    >>> record(s, 2021, MEASURES["turnover_rate_fte"])
    'the highest since the series began in 2019'
    """
    vals = {
        int(y): float(v)
        for y, v in zip(series.year, series.value)
        if v is not None and not (isinstance(v, float) and math.isnan(v)) and y <= year
    }
    if year not in vals:
        return None
    v = vals[year]
    first = min(vals)
    for word, beaten in (("lowest", lambda a: a > v), ("highest", lambda a: a < v)):
        k = year - 1
        while k >= first and k in vals and beaten(vals[k]):
            k -= 1
        beat = year - 1 - k
        if beat < 2:
            continue
        if k < first:
            return f"the {word} since the series began in {first}"
        if k not in vals:
            return f"the {word} since {k + 1} ({k} has no figure)"
        return f"the {word} since {k}"
    return None


# ---------------------------------------------------------------- the first page
#: The first page of a council report: each topic's rate and the counts quoted with it.
FIRST_PAGE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Turnover", "turnover_rate_fte", ("leavers_fte", "leavers_headcount")),
    ("Agency workers", "agency_rate_fte", ("agency_fte", "agency_headcount")),
    ("Vacancies", "vacancy_rate_fte", ("vacancy_fte",)),
    ("Caseload", "caseload_fte", ("cases",)),
    ("Sickness absence", "absence_rate_fte", ("working_days_lost_fte",)),
)

_LEADS = {
    "turnover_rate_fte": "Turnover was {rate}, with {leavers_fte} FTE leavers "
    "({leavers_headcount})",
    "agency_rate_fte": "Agency workers were {rate} of the workforce: {agency_fte} FTE "
    "({agency_headcount})",
    "vacancy_rate_fte": "The vacancy rate was {rate}: {vacancy_fte} FTE posts vacant",
    "caseload_fte": "The average caseload was {rate} cases per FTE social worker ({cases} cases)",
    "absence_rate_fte": "Sickness absence was {rate} of working days: {working_days_lost_fte} "
    "FTE days lost",
}


def first_page_sentences(summary: AreaSummary, records: dict[str, str | None]) -> list[str]:
    """A scrutiny report's opening paragraph, one sentence a topic: the rate with the
    numbers behind it, against last year, the region, England and the neighbours, and a
    record where there is one (``records``: measure -> :func:`record`'s words)."""
    out = []
    for _, rate, counts in FIRST_PAGE:
        m, c = MEASURES[rate], summary.measures[rate]
        shown = {
            k: _shown(MEASURES[k], summary.measures[k].value, summary.measures[k].status)
            for k in counts
        }
        shown = {k: _people(v) if k.endswith("_headcount") else v for k, v in shown.items()}
        if c.value is None:
            out.append(measure_sentence(summary, rate))
            continue
        rate_text = _shown(m, c.value, c.status)
        if rate == "caseload_fte":
            rate_text = m.format(c.value)
        lead = _LEADS[rate].format(rate=rate_text, **shown)
        if _part_of_this_year(summary, c):
            out.append(f"{lead}; {_part_year_text(summary)}.")
            continue
        text = f"{lead}; {_movement(m, c)}"
        comps = comparisons(summary, rate)
        if comps:
            text += "; " + ", ".join(comps)
        if records.get(rate):
            text += f". It is {records[rate]}"
        if c.part_year and c.change is not None:
            text += f" ({c.part_year})"
        out.append(text + ".")
    return out


# ---------------------------------------------------------------- after the first page
def _rank_words(m: Measure, rank: int, of: int, where: str) -> str:
    """ "5th of 12 councils with data in the North East (1st: the lowest)"."""
    first = {
        "lower_is_better": "the lowest",
        "higher_is_better": "the highest",
        "neutral": "the largest",
    }[m.direction]
    return f"{ordinal(rank)} of {of} councils with data {where} (1st: {first})"


def series_sentence(summary: AreaSummary, name: str, series: pd.DataFrame) -> str:
    """What the first page does not say about one measure: its series to the report's
    year, its ranks in the region and England, and the neighbours' range.

    ``series`` is :func:`workforce_lib.published.trends.council_series` for ``name`` (``year``,
    ``value``, ``status``, ``neighbours_min`` and ``neighbours_max``). A figure covering
    part of the year is marked so.
    """
    m, c = MEASURES[name], summary.measures[name]
    own = series[series.status.ne("no row")]
    cells = []
    for row in own.itertuples():
        value = None if pd.isna(row.value) else float(row.value)
        text = _shown(m, value, row.status if isinstance(row.status, str) else None)
        if is_part_year(summary.area_id, row.year, name):
            text += " (part year)"
        cells.append((int(row.year), text))
    if not cells:
        lead = f"{m.label}: no figures to {summary.year}"
    elif len(cells) == 1:
        lead = f"{m.label} in {cells[0][0]}: {cells[0][1]}, the first year of its own figures"
    else:
        lead = f"{m.label}, {cells[0][0]} to {cells[-1][0]}: " + ", ".join(
            f"{y} {t}" for y, t in cells
        )
    parts = [lead]
    if c.rank_in_region is not None and c.councils_in_region:
        where = f"in {region_phrase(summary.region)}"
        ranks = _rank_words(m, c.rank_in_region, c.councils_in_region, where)
        if c.rank_in_england is not None and c.councils_in_england:
            ranks += f" and {ordinal(c.rank_in_england)} of {c.councils_in_england} in England"
        parts.append(f"In {summary.year} it was {ranks}")
    else:
        why = (
            "the figure covers part of the year"
            if is_part_year(summary.area_id, summary.year, name)
            else symbols.shown(m, None, c.status)
            if symbols.symbol_of(c.status)
            else "no data"
        )
        parts.append(f"In {summary.year} it was not ranked: {why}")
    now = series[series.year == summary.year]
    if len(now) and c.neighbours_with_data:
        lo, hi = now.neighbours_min.iloc[0], now.neighbours_max.iloc[0]
        parts.append(
            f"The statistical neighbours ranged from {m.format(lo)} to {m.format(hi)} "
            f"({c.neighbours_with_data} of {c.neighbours_total} with a full year's figure)"
        )
    return ". ".join(parts) + "."


def series_sentences(summary: AreaSummary, series: dict[str, pd.DataFrame]) -> list[str]:
    """:func:`series_sentence` for each measure in ``series`` (measure -> its series)."""
    return [series_sentence(summary, name, s) for name, s in series.items()]
