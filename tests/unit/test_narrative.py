from workforce_lib.comparison import AreaSummary, MeasureComparison
from workforce_lib.measures import HEADLINE_MEASURES
from workforce_lib.narrative import headline_narrative, measure_sentence


def _summary(**measures):
    s = AreaSummary("Testshire", "council", 2025, "North East", "999")
    s.measures.update(measures)
    return s


def test_rate_change_in_points_and_judged_by_direction():
    s = _summary(
        turnover_rate_fte=MeasureComparison(
            value=15.9, previous=15.8, change=0.1, region=14.8, england=17.2, quartile=2
        )
    )
    text = measure_sentence(s, "turnover_rate_fte")
    assert "up 0.1 points from 15.8%" in text and "a deterioration" in text
    assert "above the North East figure (14.8%)" in text and "below England (17.2%)" in text
    assert "%" not in text.split("up ")[1].split(" points")[0]  # points, not per cent


def test_falling_agency_rate_is_an_improvement():
    s = _summary(agency_rate_fte=MeasureComparison(value=6.2, previous=10.0, change=-3.8))
    assert "down 3.8 points from 10.0%, an improvement" in measure_sentence(s, "agency_rate_fte")


def test_neutral_measure_is_never_called_worse_or_better():
    s = _summary(inpost_fte=MeasureComparison(value=170.0, previous=181.1, change=-11.1))
    text = measure_sentence(s, "inpost_fte")
    assert "down 11.1 from 181.1" in text
    for word in ("worse", "better", "improvement", "deterioration"):
        assert word not in text


def test_suppressed_says_so_with_reason_and_no_number():
    s = _summary(turnover_rate_fte=MeasureComparison(value=None, status="u: low reliability"))
    text = measure_sentence(s, "turnover_rate_fte")
    assert text == ("Turnover rate: suppressed (u: low reliability) in 2025; no figure is shown.")


def test_no_previous_year_is_said_not_invented():
    s = _summary(vacancy_rate_fte=MeasureComparison(value=8.1, previous_status="x: not available"))
    assert "no comparable figure for last year (x: not available)" in measure_sentence(
        s, "vacancy_rate_fte"
    )


def test_headline_narrative_covers_headlines():
    s = _summary(**{m: MeasureComparison(value=1.0) for m in HEADLINE_MEASURES})
    sentences = headline_narrative(s)
    assert len(sentences) == 8 and sentences[0].startswith("Turnover rate was 1.0%")
