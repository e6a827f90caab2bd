"""Plain-English sentences generated from the numbers, with guardrails.

- A change is stated in percentage points for a rate, never as a percentage.
- "Better"/"worse" only for measures with a direction; a rise in in-post FTE is a rise.
- A suppressed figure is said to be suppressed, with its reason; nothing is invented.
"""

from __future__ import annotations

from workforce_lib.comparison import AreaSummary, MeasureComparison, quartile_words
from workforce_lib.measures import HEADLINE_MEASURES, MEASURES, Measure


def _movement(m: Measure, c: MeasureComparison) -> str:
    if c.previous is None:
        why = f" ({c.previous_status})" if c.previous_status else ""
        return f"no comparable figure for last year{why}"
    if c.change == 0:
        return f"unchanged from {m.format(c.previous)}"
    verb = "up" if c.change > 0 else "down"
    amount = m.format_change(abs(c.change)).lstrip("+")
    judgement = ""
    if m.direction != "neutral":
        better = (c.change < 0) == (m.direction == "lower_is_better")
        judgement = ", an improvement" if better else ", a deterioration"
    return f"{verb} {amount} from {m.format(c.previous)}{judgement}"


def _versus(m: Measure, value: float, other: float | None, name: str) -> str | None:
    if other is None:
        return None
    if round(value - other, 6) == 0:
        return f"the same as {name} ({m.format(other)})"
    word = "above" if value > other else "below"
    return f"{word} {name} ({m.format(other)})"


def measure_sentence(summary: AreaSummary, name: str) -> str:
    """One sentence for one measure, e.g. 'Turnover rate was 15.9%, up 0.1 points ...'."""
    m = MEASURES[name]
    c = summary.measures[name]
    if c.value is None:
        reason = c.status or "not published"
        return f"{m.label}: suppressed ({reason}) in {summary.year}; no figure is shown."
    parts = [f"{m.label} was {m.format(c.value)}, {_movement(m, c)}"]
    comps = [
        _versus(m, c.value, c.region, f"the {summary.region} figure")
        if summary.region and summary.kind == "council"
        else None,
        _versus(m, c.value, c.england, "England"),
        _versus(m, c.value, c.neighbours_median, "the statistical neighbours' median"),
    ]
    comps = [x for x in comps if x]
    if comps and m.kind == "rate":
        parts.append("; it was " + ", ".join(comps))
    if c.quartile is not None and m.kind == "rate":
        parts.append(f" (England quartile {c.quartile}: {quartile_words(m, c.quartile)})")
    if summary.kind == "group" and c.status:
        parts.append(f". Recomputed from {c.status}")
    return "".join(parts) + "."


def headline_narrative(summary: AreaSummary) -> list[str]:
    """Sentences for the headline measures, in the order a committee reads them."""
    return [measure_sentence(summary, n) for n in HEADLINE_MEASURES]
