import pandas as pd

from workforce_lib.constants import SYMBOLS
from workforce_lib.published import context
from workforce_lib.reports import context_charts


def _comparison() -> context.StabilityComparison:
    frame = pd.DataFrame(
        {
            "area_id": ["901", "902", "903", "904"],
            "council": ["Alderbury", "Brackwater", "Castleton", "Dunmere"],
            "region": ["North East"] * 4,
            "share_3plus": [64.1, None, 27.5, 20.0],
            "agency_rate_fte": [30.0, 5.0, 0.0, 10.0],
            "turnover_rate_fte": [25.0, 12.0, 10.0, 15.0],
            "vacancy_rate_fte": [20.0, 3.0, 8.0, None],
            "agency_rate_fte__status": ["", "", "low", ""],
            "turnover_rate_fte__status": ["", "", "", ""],
            "vacancy_rate_fte__status": ["", "", "", "x"],
        }
    )
    corr = {k: context.spearman(frame.share_3plus, frame[k]) for k in context.STABILITY_AGAINST}
    return context.StabilityComparison("year to 31 March 2024", 2023, frame, corr, year=2024)


def test_scatter_states_rho_and_n_and_shows_symbols():
    comp = _comparison()
    # agency ranks 3,1,2 against shares 3,2,1: rho = 0.5 over the 3 with both figures
    assert comp.correlations["agency_rate_fte"] == (0.5, 3)
    assert comp.correlations["vacancy_rate_fte"] == (None, 2)  # Dunmere is x
    chart = context_charts.stability_scatter(comp)
    assert chart.png.startswith(b"\x89PNG")
    assert "agency rate (Spearman's rho +0.50, n = 3)" in chart.alt
    assert "vacancy rate (n = 2: too few)" in chart.alt
    assert "Descriptive, one year, not causal" in chart.alt
    t = chart.table.set_index("Council")
    assert (
        t.at[
            "Alderbury",
            "Looked-after children with 3 or more social workers in the year "
            "(year to 31 March 2024)",
        ]
        == "64%"
    )
    assert t.at["Castleton", "Agency rate 2023"] == f"low: {SYMBOLS['low']}"
    assert t.at["Dunmere", "Vacancy rate 2023"] == "x: not available"
    assert t.at["Brackwater", "Agency rate 2023"] == "5.0%"


def test_nothing_to_draw_gives_no_chart():
    empty = context.StabilityComparison(None, None, pd.DataFrame(), note="missing")
    assert context_charts.stability_scatter(empty) is None
    assert context_charts.stability_charts(empty) == []
    assert context.stability_sentences(empty) == ["missing"]


def test_sentences_name_the_census_and_say_not_causal():
    words = context.stability_sentences(_comparison())
    assert "census of 30 September 2023" in words[0]
    assert "the rest of this report is for 30 September 2024" in words[0]
    assert any("+0.50 across 3 councils" in w for w in words)
    assert "do not show that workforce instability causes" in words[-1]
