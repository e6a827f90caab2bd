"""What the report objects hand to charts and tables (real release)."""

import pandas as pd
import pytest

from workforce_lib import plotting, report
from workforce_lib.measures import MEASURES

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def northumberland_2022(real_data_dir):
    return report.council_report("Northumberland", 2022, str(real_data_dir))


def test_a_2022_report_holds_nothing_after_2022(northumberland_2022):
    rep = northumberland_2022
    for m in report.TREND_MEASURES:
        assert rep.series(m).year.max() == 2022, m
    chart = plotting.trend_chart(rep.series("agency_rate_fte"), "agency_rate_fte", rep.name, "NE")
    assert "2025" not in chart.alt and "latest 6.2% in 2022" in chart.alt
    assert chart.table.Year.max() == 2022
    ofsted = rep.ofsted()
    if "Published" in ofsted.columns:
        assert all(str(d) <= "2022-09-30" for d in ofsted.Published)
    else:  # the file holds only a later inspection: none is shown
        assert "30 September 2022" in ofsted.Ofsted.iloc[0]


def test_a_2022_group_report_holds_nothing_after_2022(real_data_dir):
    rep = report.group_report("North East", 2022, str(real_data_dir))
    assert rep.series("turnover_rate_fte").year.max() == 2022
    assert rep.trend_frame("turnover_rate_fte").year.max() == 2022
    assert all(s.year.max() == 2022 for s in rep.member_series("agency_rate_fte").values())
    e = report.england_report(2022, str(real_data_dir))
    assert e.distribution("turnover_rate_fte").year.max() == 2022
    assert e.trend("turnover_rate_fte").year.max() == 2022


def test_councils_without_a_figure_are_not_ranked(real_data_dir):
    # Gateshead's 2022 turnover is 'u': before, it was ranked 12th of 12 with "n/a"
    t = report.council_report("Gateshead", 2022, str(real_data_dir)).rank_table()
    row = t[t.Council == "Gateshead"].iloc[0]
    assert pd.isna(row.iloc[0]) and row["Not ranked because"] == (
        "turnover rate: low reliability (u)"
    )
    assert t.iloc[:, 0].max() == 11
    london = report.group_report("London", 2025, str(real_data_dir)).ranking()
    kc = london[london.Council.isin(["Kensington and Chelsea", "Westminster"])]
    assert kc.iloc[:, 0].isna().all() and (kc["Not ranked because"] != "").all()


def test_first_page_of_a_council_report(northumberland_2022):
    table, sentences = northumberland_2022.first_page()
    counts = table[table.is_count]
    assert {"leavers_fte", "leavers_headcount", "agency_fte", "working_days_lost_fte"} <= set(
        counts.measure
    )
    assert not table[table.measure == "turnover_rate_fte"].is_count.iloc[0]
    first = sentences[0]
    assert first.startswith("Turnover was 15.9%, with 28.8 FTE leavers (31 people)")
    assert "about the same as last year" in first and "deterioration" not in first
    assert any("the lowest since the series began in 2017" in s for s in sentences)  # absence
    assert len(sentences) == 5
    assert report.narrative.CHANGE_RULE in northumberland_2022.notes()


def test_england_headline_with_last_year(real_data_dir):
    e = report.england_report(2025, str(real_data_dir))
    h = e.headline()
    assert list(h.measure) == list(report.ENGLAND_HEADLINE)
    assert h["2024"].notna().all() and h.Change.notna().all()
    assert e.title("turnover_rate_fte") == "Turnover rate by region, 2025"
    assert len(e.sentences()) == 8 and MEASURES["inpost_fte"].label in e.sentences()[0]


def test_group_lines_that_coincide_are_noted(real_data_dir):
    mou = report.group_report("Eastern MoU", 2025, str(real_data_dir))
    assert mou.lines_coincide("turnover_rate_fte") and mou.chart_notes("turnover_rate_fte")
    ne = report.group_report("North East", 2025, str(real_data_dir))
    # recomputed turnover is DfE's published to within 0.1 every year (2018: 12.4 v 12.5)
    assert ne.lines_coincide("turnover_rate_fte")
    assert "DfE's published figures" in ne.chart_notes("turnover_rate_fte")[0]
    # London's agency rate recomputed without councils DfE's total counts: 1.1 points apart
    london = report.group_report("London", 2025, str(real_data_dir))
    assert not london.lines_coincide("agency_rate_fte")
    assert london.chart_notes("agency_rate_fte") == []


def test_part_year_is_said_where_2023_is_shown(real_data_dir):
    rep = report.council_report("Cumberland", 2023, str(real_data_dir))
    s = rep.series("turnover_rate_fte")
    assert "1 April 2023" in s.set_index("year").at[2023, "note"]
    v = rep.values("turnover_rate_fte").set_index("area_id")
    assert "half a year" in v.at["943", "note"] and pd.isna(v.at["929", "note"])
    _, sentences = rep.first_page()
    assert "covers part of the year" in sentences[0] and "below the North West" not in sentences[0]
    nw = report.group_report("North West", 2023, str(real_data_dir))
    assert any("Cumberland began on 1 April 2023" in n for n in nw.notes())


def test_region_heatmap_cells_without_a_value_carry_their_symbol(real_data_dir):
    ne = report.group_report("North East", 2025, str(real_data_dir))
    values, _ = ne.heatmap_data()
    status = ne.heatmap_status()
    assert status.shape == values.shape and list(status.columns) == list(values.columns)
    assert status.at["Agency rate", "Sunderland"] == "low"  # rounds to zero: not "n/a"
    assert (status.where(values.isna(), "x") != "").all().all()  # every gap has a reason


def test_england_bar_reference_is_the_published_england_figure(real_data_dir):
    e = report.england_report(2025, str(real_data_dir))
    assert e.england_value("turnover_rate_fte") == e.summary.measures["turnover_rate_fte"].published


def test_neighbours_table_opens_with_the_council_itself(real_data_dir):
    rep = report.council_report("Northumberland", 2022, str(real_data_dir))
    t = rep.neighbours_table()
    assert t.iloc[0]["Neighbour"] == "Northumberland" and len(t) == 11
    assert t.iloc[1:]["Neighbour"].ne("Northumberland").all()


def test_rank_table_cells_without_a_figure_show_the_symbol(real_data_dir):
    t = report.council_report("Gateshead", 2022, str(real_data_dir)).rank_table()
    row = t[t.Council == "Gateshead"].iloc[0]
    assert row["Turnover rate"] == "u"  # was NaN, shown "n/a"
    assert t.loc[t.Council != "Gateshead", "Turnover rate"].map(type).eq(float).all()
    ne = report.group_report("North East", 2025, str(real_data_dir)).ranking()
    sunderland = ne[ne.Council == "Sunderland"].iloc[0]
    assert sunderland["Agency rate"] == "less than 0.5%"  # `low`: was shown 0.0%
