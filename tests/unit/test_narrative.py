import pandas as pd
import pytest

from workforce_lib.measures import HEADLINE_MEASURES, MEASURES
from workforce_lib.published.comparison import AreaSummary, MeasureComparison
from workforce_lib.reports.narrative import (
    CHANGE_RULE,
    first_page_sentences,
    headline_narrative,
    measure_sentence,
    record,
)


def _summary(**measures):
    s = AreaSummary("Testshire", "council", 2025, "North East", "999")
    s.measures.update(measures)
    return s


def test_small_change_is_about_the_same_not_a_deterioration():
    s = _summary(
        turnover_rate_fte=MeasureComparison(
            value=15.9, previous=15.8, change=0.1, region=14.8, england=17.2, quartile=2
        )
    )
    text = measure_sentence(s, "turnover_rate_fte")
    assert "about the same as last year (up 0.1 points from 15.8%)" in text
    assert "deterioration" not in text and "improvement" not in text
    assert "above the North East (14.8%)" in text and "below England (17.2%)" in text
    assert "%" not in text.split("up ")[1].split(" points")[0]  # points, not per cent


def test_rise_past_the_threshold_is_judged_by_direction():
    s = _summary(turnover_rate_fte=MeasureComparison(value=16.3, previous=15.8, change=0.5))
    assert "up 0.5 points from 15.8%, a deterioration" in measure_sentence(s, "turnover_rate_fte")


def test_close_comparator_is_about_the_same_not_above():
    # North East 2025 turnover 11.7% against England 11.8%
    s = _summary(turnover_rate_fte=MeasureComparison(value=11.8, england=11.7, region=11.2))
    text = measure_sentence(s, "turnover_rate_fte")
    assert "about the same as England (11.7%)" in text and "above England" not in text
    assert "above the North East (11.2%)" in text


def test_the_rule_is_written_down():
    assert "0.5 percentage points" in CHANGE_RULE and "about the same" in CHANGE_RULE


def test_falling_agency_rate_is_an_improvement():
    s = _summary(agency_rate_fte=MeasureComparison(value=6.2, previous=10.0, change=-3.8))
    assert "down 3.8 points from 10.0%, an improvement" in measure_sentence(s, "agency_rate_fte")


def test_neutral_measure_is_never_called_worse_or_better():
    s = _summary(inpost_fte=MeasureComparison(value=170.0, previous=181.1, change=-11.1))
    text = measure_sentence(s, "inpost_fte")
    assert "down 11.1 from 181.1" in text
    for word in ("worse", "better", "improvement", "deterioration"):
        assert word not in text


def test_symbols_say_what_they_mean():
    s = _summary(turnover_rate_fte=MeasureComparison(value=None, status="u: low reliability"))
    text = measure_sentence(s, "turnover_rate_fte")
    assert text == "Turnover rate: low reliability (u) in 2025; DfE publishes no figure."
    s = _summary(turnover_rate_fte=MeasureComparison(value=None, status="c: whatever"))
    assert "suppressed to protect confidentiality" in measure_sentence(s, "turnover_rate_fte")
    s = _summary(
        agency_rate_fte=MeasureComparison(value=0.0, status="low", previous=0.0, change=0.0)
    )
    text = measure_sentence(s, "agency_rate_fte")
    assert text.startswith("Agency rate was less than 0.5%") and "suppressed" not in text


def test_no_previous_year_is_said_not_invented():
    s = _summary(vacancy_rate_fte=MeasureComparison(value=8.1, previous_status="x: not available"))
    assert "no comparable figure for last year (not available (x))" in measure_sentence(
        s, "vacancy_rate_fte"
    )


def test_headline_narrative_covers_headlines():
    s = _summary(**{m: MeasureComparison(value=1.0) for m in HEADLINE_MEASURES})
    sentences = headline_narrative(s)
    assert len(sentences) == 8 and sentences[0].startswith("Turnover rate was 1.0%")


def test_records_need_two_years_beaten_and_stop_at_a_gap():
    m = MEASURES["agency_rate_fte"]
    s = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "value": [5.0, 6.0, 8.0, 7.0]})
    assert record(s, 2022, m) is None  # only 2021 beaten: 2020 is lower
    s = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "value": [9.0, None, 8.0, 7.0]})
    assert record(s, 2022, m) is None  # 2020 has no figure: one year beaten is no record
    s = pd.DataFrame({"year": range(2017, 2023), "value": [9.0, None, 8.5, 8.0, 7.5, 7.0]})
    assert record(s, 2022, m) == "the lowest since 2019 (2018 has no figure)"


def test_first_page_sentence_quotes_counts_and_comparators():
    c = {
        "turnover_rate_fte": MeasureComparison(
            value=15.9, previous=15.8, change=0.1, region=14.8, england=17.2,
            neighbours_median=15.6,
        ),
        "leavers_fte": MeasureComparison(value=28.8, kind="count", graded=False),
        "leavers_headcount": MeasureComparison(value=31.0, kind="count", graded=False),
    }  # fmt: skip
    s = _summary(**c)
    for m in MEASURES:
        s.measures.setdefault(m, MeasureComparison(value=None))
    text = first_page_sentences(s, {"turnover_rate_fte": "the highest since 2018"})[0]
    assert text == (
        "Turnover was 15.9%, with 28.8 FTE leavers (31 people); about the same as last year "
        "(up 0.1 points from 15.8%); above the North East (14.8%), below England (17.2%), "
        "about the same as the statistical neighbours' median (15.6%). It is the highest "
        "since 2018."
    )


@pytest.mark.realdata
def test_north_east_2025_leavers_fell(release):
    from workforce_lib.published.comparison import compare_group

    text = measure_sentence(compare_group(release, "North East", 2025), "leavers_fte")
    assert "down 1.6 from 271.5" in text and "up 0.4" not in text
