"""What the report objects hand to charts and tables (real release)."""

import re

import numpy as np
import pandas as pd
import pytest

from workforce_lib.measures import MEASURES
from workforce_lib.reports import plotting, presentation, report

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


def test_a_series_is_worked_out_once_a_report_and_handed_out_as_copies(northumberland_2022):
    rep = northumberland_2022
    first = rep.series("turnover_rate_fte")
    first.loc[:, "value"] = -1.0
    again = rep.series("turnover_rate_fte")
    assert (again.value != -1.0).any()
    pd.testing.assert_frame_equal(
        again,
        report.trends.council_series(
            rep.release, rep.area_id, "turnover_rate_fte", rep.neighbours, until=rep.year
        ),
    )


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
    assert pd.isna(row.iloc[0]) and row["Not ranked because"] == "low reliability (u)"
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


# ---------------------------------------------------------------- report leftovers
NEGATIVE_ZERO = re.compile(r"(?<![\d.])[-\u2212]0(?:\.0+)?(?![\d.])%?")


def negative_zeros(text: str) -> list[str]:
    """Every "-0.0", "-0", "-0.00" or "-0%" (a zero with a sign) in ``text``."""
    return [text[max(0, m.start() - 40) : m.end() + 10] for m in NEGATIVE_ZERO.finditer(text)]


def test_negative_zero_is_found():
    assert negative_zeros("Bolton -0.0 16.0") and negative_zeros("change -0%")
    assert not negative_zeros("-0.1, 10.0, 0.0, 2020-01, 1-0.05")


def test_the_series_section_adds_what_the_first_page_does_not(northumberland_2022):
    rep = northumberland_2022
    _, first = rep.first_page()
    later = rep.series_sentences()
    assert len(later) == len(report.HEADLINE_MEASURES)
    # no clause of the first page is said again
    clauses = {c.strip(" .") for s in first for c in re.split(r"[;:]", s) if len(c) > 20}
    for sentence in later:
        assert not [c for c in clauses if c in sentence], sentence
        assert "last year" not in sentence and "median" not in sentence
    # what it adds: the series, the ranks and the neighbours' range
    s = rep.series("turnover_rate_fte")
    own = s[s.status.ne("no row")]
    expected = ", ".join(f"{y} {v:.1f}%" for y, v in zip(own.year, own.value))
    assert later[0].startswith(f"Turnover rate, 2017 to 2022: {expected}.")
    c = rep.summary.measures["turnover_rate_fte"]
    assert f"of {c.councils_in_region} councils with data in the North East" in later[0]
    lo, hi = s.neighbours_min.iloc[-1], s.neighbours_max.iloc[-1]
    assert f"ranged from {lo:.1f}% to {hi:.1f}%" in later[0]


def test_drivers_table_has_words_a_committee_reads(real_data_dir, tmp_path):
    nw = report.group_report("North West", 2024, str(real_data_dir))
    t = nw.drivers()
    heading = "Contribution to the change (percentage points)"
    assert heading in t.columns and "contribution (points)" not in t.columns
    notes = nw.drivers_notes()
    assert notes[0].startswith("A council's contribution is how far the North West turnover")
    # Cumberland and Westmorland and Furness: 2023 covers part of the year, left out, said
    assert not {"Cumberland", "Westmorland and Furness"} & set(t.Council)
    assert "Cumberland (its 2023 figure covers part of the year)" in notes[1]
    html = presentation.table(t, "drivers", tmp_path, formats=nw.drivers_formats()).data
    assert not negative_zeros(_page_text(html)), negative_zeros(_page_text(html))
    shown = [nw.drivers_formats()[heading](v) for v in t[heading]]
    assert all(re.fullmatch(r"[+-]\d+\.\d\d|0\.00", x) for x in shown), shown
    assert all((x == "0.00") == (v == 0) for x, v in zip(shown, t[heading]))
    csv = pd.read_csv(tmp_path / "drivers.csv")
    assert pd.api.types.is_float_dtype(csv[heading])  # the number, not "+0.54"


def _page_text(html: str) -> str:
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    html = re.sub(r'(src|href)="data:[^"]*"', "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_no_zero_with_a_sign_in_any_report_table_or_text(real_data_dir, tmp_path):
    """The tables and sentences of several reports, as a page shows them."""
    pages = []
    for name, year in (("North West", 2024), ("North East", 2025), ("London", 2023)):
        g = report.group_report(name, year, str(real_data_dir))
        pages += [
            presentation.table(g.drivers(), "d", tmp_path, formats=g.drivers_formats()).data,
            presentation.ranking(g.ranking(), "r", tmp_path).data,
            presentation.headline_panel(g.summary).data,
            presentation.paragraphs(report.narrative.headline_narrative(g.summary)).data,
        ]
    for year in (2023, 2024, 2025):
        e = report.england_report(year, str(real_data_dir))
        pages += [
            presentation.table(e.movers("turnover_rate_fte"), "m", tmp_path).data,
            presentation.table(e.headline_table(), "h", tmp_path).data,
            presentation.paragraphs(e.sentences()).data,
        ]
    for council, year in (("Northumberland", 2022), ("Cumberland", 2024), ("Leeds", 2025)):
        c = report.council_report(council, year, str(real_data_dir))
        page, sentences = c.first_page()
        pages += [
            presentation.headline_panel(c.summary).data,
            presentation.paragraphs(sentences + c.series_sentences()).data,
            presentation.ranking(c.rank_table(), "r", tmp_path, own=c.name).data,
            presentation.table(c.neighbours_table(), "n", tmp_path).data,
        ]
    found = [z for p in pages for z in negative_zeros(_page_text(p))]
    assert not found, found
    csvs = [f.read_text() for f in tmp_path.glob("*.csv")]
    assert not [z for t in csvs for z in negative_zeros(t)]


def test_an_unranked_council_says_why_and_its_csv_rank_is_empty(real_data_dir, tmp_path):
    t = report.council_report("Gateshead", 2022, str(real_data_dir)).rank_table()
    html = _page_text(presentation.ranking(t, "rank", tmp_path, own="Gateshead").data)
    assert "not ranked: low reliability (u) Gateshead" in html and "n/a" not in html
    assert "Not ranked because" not in html  # the rank cell says it: not said twice
    csv = pd.read_csv(tmp_path / "rank.csv", dtype=str, keep_default_na=False)
    row = csv[csv.Council == "Gateshead"].iloc[0]
    assert row.iloc[0] == "" and row["Not ranked because"] == "low reliability (u)"
    assert csv.iloc[:, 0].str.fullmatch(r"\d*").all()  # ranks are numbers or empty
    nw = report.group_report("North West", 2023, str(real_data_dir)).ranking()
    html = _page_text(presentation.ranking(nw, "nw", tmp_path).data)
    assert "not ranked: the 2023 figure covers part of the year Cumberland" in html
    london = report.group_report("London", 2025, str(real_data_dir)).ranking()
    html = _page_text(presentation.ranking(london, "london", tmp_path).data)
    assert "not ranked: not available (x) Kensington and Chelsea" in html


PART = {"942": "Cumberland", "943": "Westmorland and Furness"}
PART_MEASURES = ("turnover_rate_fte", "starters_fte", "leavers_fte")


def test_part_years_are_left_out_of_every_comparator_in_2023(real_data_dir):
    from workforce_lib.published import comparison

    rep = report.council_report("Cumberland", 2023, str(real_data_dir))
    rel = rep.release
    refs, _ = comparison.resolve_neighbours(rel, rep.area_id, 2023, rep.neighbours)
    full = [r for r in refs if not set(r.area_ids) & set(PART)]
    assert len(full) < len(refs)  # Westmorland and Furness is one of Cumberland's neighbours
    for m in PART_MEASURES:
        vals = [rel.cell(r.area_ids[0], 2023, m).value for r in full if len(r.area_ids) == 1]
        vals = [v for v in vals if v is not None]
        c = rep.summary.measures[m]
        assert c.neighbours_with_data == len(vals)
        want = float(report.round_half_up(float(np.median(vals)), MEASURES[m].decimals))
        assert c.neighbours_median == want, m
        s = rep.series(m).set_index("year")
        assert s.at[2023, "neighbours_median"] == float(np.median(vals))
        assert s.at[2023, "neighbours_max"] == max(vals)
    # a measure that covers the whole year still compares with both
    assert rep.summary.measures["agency_rate_fte"].neighbours_with_data == len(refs)
    # England's distribution and quartiles, regional percentiles, ranks
    e = report.england_report(2023, str(real_data_dir))
    for m in PART_MEASURES:
        d = e.distribution(m)
        assert not set(PART.values()) & set(d[d.year == 2023].area_name), m
        ranks = comparison.council_ranks(rel, 2023, m)
        assert not set(PART) & set(ranks.index)
    d = e.distribution("agency_rate_fte")
    assert set(PART.values()) <= set(d[d.year == 2023].area_name)
    nw = report.group_report("North West", 2023, str(real_data_dir))
    values, pct = nw.heatmap_data()
    assert pd.isna(pct.at["Turnover rate", "Cumberland"])
    heat = plotting.heatmap(values, "NW", pct, nw.heatmap_status())
    assert "a figure covering part of the year, not compared" in heat.alt
    assert pd.notna(pct.at["Agency rate", "Cumberland"])
    # ... while the region's and England's totals stay DfE's published figures
    for g, code in ((nw, "E12000002"), (e, "E92000001")):
        c = g.summary.measures["turnover_rate_fte"]
        assert c.published == rel.cell(code, 2023, "turnover_rate_fte").value
    # the changes: England's biggest movers of 2024 compare full years only
    movers = report.england_report(2024, str(real_data_dir)).movers("turnover_rate_fte", 200)
    assert not set(PART.values()) & set(movers.Council)
    # and the strip chart lists them but does not draw them among the others
    chart = plotting.strip_chart(rep.values("turnover_rate_fte"), "turnover_rate_fte", "942", 2023)
    assert "not drawn: Cumberland, Westmorland and Furness" in chart.alt
    status = chart.table.set_index("Council").Status
    assert status["Cumberland"] == plotting.PART_YEAR_STATUS


def test_reports_showing_2023_say_part_years_are_not_compared(real_data_dir):
    said = "left out of every comparison"
    assert any(said in n for n in report.council_report("Leeds", 2025, str(real_data_dir)).notes())
    assert any(said in n for n in report.group_report("London", 2024, str(real_data_dir)).notes())
    assert any(said in n for n in report.england_report(2023, str(real_data_dir)).notes())
    assert not any(
        said in n for n in report.council_report("Leeds", 2022, str(real_data_dir)).notes()
    )


def test_a_group_series_is_worked_out_once_a_report_and_handed_out_as_copies(real_data_dir):
    rep = report.group_report("North East", 2022, str(real_data_dir))
    first = rep.series("agency_rate_fte")
    first.loc[:, "value"] = -1.0
    again = rep.series("agency_rate_fte")
    fresh = report.trends.group_series(rep.release, rep.group, "agency_rate_fte", until=2022)
    pd.testing.assert_frame_equal(again, fresh)
    pd.testing.assert_frame_equal(
        rep.trend_frame("agency_rate_fte"),
        report.trends.group_trend_frame(rep.release, rep.group, "agency_rate_fte", until=2022),
    )
