"""Children's context: readers, periods, joint councils, summaries and the England
comparison, on hand-written fixtures (tests/fixtures/context) and on the real files."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib.constants import SYMBOLS
from workforce_lib.errors import DataValidationError
from workforce_lib.published import comparison, context
from workforce_lib.published.release import load_release

CONTEXT = FIXTURES / "context"
CLA = "cla_3plus_social_workers_pct"
CIN = "children_in_need_per_case_holder_fte"
SIZE = "social_workers_per_10k_children"
STARTED = "cin_started_per_case_holder_fte"


def _with_context(folder: Path) -> Path:
    for f in CONTEXT.iterdir():
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture
def data_dir(small_csv) -> Path:
    """The 3-council indicators fixture with the three context files beside it."""
    return _with_context(small_csv.parent)


@pytest.fixture
def joint_release(tmp_path) -> object:
    """The fixture with Castleton reported jointly with Dunmere ("903 / 904"), as DfE
    reports North and West Northamptonshire; the context files list them apart."""
    text = (FIXTURES / "indicators_small.csv").read_text()
    text = text.replace(
        "903,E06000903,Castleton", "903 / 904,E06000903 / E06000904,Castleton / Dunmere"
    )
    path = tmp_path / "csww_indicators_2024_to_2025.csv"
    path.write_text(text)
    _with_context(tmp_path)
    return load_release(path=path, cache=False)


# ---------------------------------------------------------------- periods
def test_time_periods_in_both_forms():
    assert context.parse_time_period("202324") == 2024
    assert context.parse_time_period("2024") == 2024
    assert context.parse_time_period("201920") == 2020
    assert context.parse_time_period("202426") is None  # not consecutive years
    assert context.parse_time_period("FY24") is None


def test_period_within_six_months_either_side_of_the_census():
    ends = [date(y, 3, 31) for y in range(2021, 2026)]
    # 31 March Y is six months before 30 September Y; 31 March Y+1 is after the report's
    # year, which shows nothing after it
    assert context.choose_period(ends, 2023) == date(2023, 3, 31)
    assert context.choose_period([date(2024, 3, 31)], 2023) is None
    # a year to 31 March 2024 is 18 months before the 2025 census: none available
    assert context.choose_period([date(2024, 3, 31)], 2025) is None
    assert context.choose_period([date(2023, 2, 28)], 2023) is None  # 7 months before
    mid = [date(2023, 6, 30), date(2024, 6, 30)]
    assert context.choose_period(mid, 2024) == date(2024, 6, 30)
    assert context.period_words("cla", date(2024, 3, 31)) == "year to 31 March 2024"
    assert context.period_words("population", date(2024, 6, 30)) == "mid-2024 (30 June 2024)"


def test_nearest_census_to_a_year_to_31_march_is_the_one_inside_it():
    assert context.nearest_census_year("cla", date(2024, 3, 31)) == 2023
    assert context.nearest_census_year("population", date(2024, 6, 30)) == 2024


# ---------------------------------------------------------------- readers
def test_cla_reader_finds_columns_by_content_and_keeps_symbols():
    # the fixture has a byte-order mark, its own column order and "characteristic" for
    # the column DfE calls sw_stability
    t = context.read_cla_stability(CONTEXT / "la_cla_swcount.csv")
    rows = t.rows.set_index("code")
    assert rows.at["901", "cla_total"] == 150 and rows.at["901", "cla_3plus"] == 96
    assert rows.at["901", "cla_3plus_pct"] == 64
    assert pd.isna(rows.at["902", "cla_total"]) and rows.at["902", "cla_3plus__status"] == "x"
    assert rows.at["E92000001", "level"] == "england" and rows.at["E12000001", "level"] == "region"
    assert t.ends() == [date(2024, 3, 31)]


def test_cin_reader_reads_financial_years_and_symbols():
    t = context.read_children_in_need(CONTEXT / "b1_children_in_need_2022_to_2025.csv")
    assert t.ends() == [date(2023, 3, 31), date(2024, 3, 31), date(2025, 3, 31)]
    r = t.at(date(2025, 3, 31)).set_index("code")
    assert r.at["901", "cin_at_31_march"] == 1100 and r.at["901", "cin_started"] == 1000
    assert r.at["902", "cin_at_31_march__status"] == "c"


def test_population_reader_keeps_only_children():
    t = context.read_population(CONTEXT / "ons_mid-year_population_estimates_2023_to_2024.csv")
    r = t.at(date(2024, 6, 30))
    assert r[r.code == "901"].children_0_17.tolist() == [40000]  # the adults' row is not read
    assert r.set_index("code").at["902", "children_0_17__status"] == "x"


def test_reader_names_every_bad_cell_in_one_pass(tmp_path):
    text = (CONTEXT / "b1_children_in_need_2022_to_2025.csv").read_text()
    lines = text.splitlines()
    lines[3] = lines[3].replace(",950", ",9S0")  # a typo in Alderbury's At31 (line 4)
    lines[5] = lines[5].replace("202223", "2022-2024", 1)  # not a period (line 6)
    lines[6] = lines[6].replace(",904,", ",9O4,", 1)  # not an LA number (line 7)
    bad = tmp_path / "b1_children_in_need_2022_to_2025.csv"
    bad.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataValidationError) as err:
        context.read_children_in_need(bad)
    msg = str(err.value)
    assert "3 problems" in msg
    assert "row 4, column 'At31_episodes', value '9S0'" in msg
    assert "row 6, column 'time_period'" in msg
    assert "row 7, column 'old_la_code', value '9O4'" in msg


def test_reader_refuses_a_file_without_the_columns(tmp_path):
    bad = tmp_path / "la_cla_swcount.csv"
    bad.write_text("year,area,value\n2024,901,3\n")
    with pytest.raises(DataValidationError, match="Total children"):
        context.read_cla_stability(bad)


def test_a_duplicated_area_row_is_refused(tmp_path):
    lines = (CONTEXT / "ons_mid-year_population_estimates_2023_to_2024.csv").read_text()
    lines = lines.splitlines()
    bad = tmp_path / "ons.csv"
    bad.write_text("\n".join([*lines, lines[3]]) + "\n")
    with pytest.raises(DataValidationError, match="second row for the same period"):
        context.read_population(bad)


# ---------------------------------------------------------------- council figures
def test_council_figures_with_periods_region_and_england(small_release, data_dir):
    s = comparison.compare_council(small_release, "Alderbury", 2024, neighbours={})
    c = s.context
    assert (c[CLA].value, c[CLA].region, c[CLA].england) == (64.0, 25.0, 27.0)
    assert c[CLA].period == "year to 31 March 2024" and c[CLA].status is None
    # census 2024: children in need at 31 March 2024 (31 March 2025 is after the report's
    # year), 1000 / 80 case-holding FTE = 12.5; region (1000 + 900 + 500) / 200 = 12.0
    assert (c[CIN].value, c[CIN].region) == (12.5, 12.0)
    assert c[CIN].period.startswith("children in need at 31 March 2024")
    assert c[CIN].region_status is None
    # 100 FTE per 40,000 children = 25.0; region (100 + 50) / (40,000 + 25,000) = 23.1
    assert (c[SIZE].value, c[SIZE].region, c[SIZE].england) == (25.0, 23.1, 23.1)
    assert "mid-2024 (30 June 2024)" in c[SIZE].period
    doc = json.loads(json.dumps(s.to_json()))
    assert doc["context"][CLA]["value"] == 64.0
    assert set(doc["context"][CLA]) >= {"value", "period", "region", "england", "status"}


def test_children_in_need_episodes_started_are_shown_for_the_year_to_31_march(
    small_release, data_dir
):
    s = comparison.compare_council(small_release, "Alderbury", 2024, neighbours={})
    f = s.context[STARTED]
    # Started_episodes in the year to 31 March 2024 (202324): 950 / 80 case-holding FTE
    # = 11.875 -> 11.9; region and England (950 + 900 + 500) / (80 + 70 + 50) = 11.75 -> 11.8
    assert (f.value, f.region, f.england) == (11.9, 11.8, 11.8)
    assert f.period == (
        "episodes started in the year to 31 March 2024; case-holding social workers at "
        "30 September 2024"
    )
    assert f.source == "b1_children_in_need_2022_to_2025.csv" and f.period_end == "2024-03-31"
    sentence = next(x for x in context.council_sentences(s) if "episodes of need" in x)
    assert sentence.startswith("In the year to 31 March 2024, 11.9 episodes of need started")
    assert "11.8 in the North East and 11.8 in England" in sentence
    # 2025: Brackwater's 'c' is its own reason, and leaves it out of the region's figure
    c = comparison.compare_council(small_release, "Brackwater", 2025, neighbours={}).context
    assert c[STARTED].value is None and c[STARTED].status.startswith(f"c: {SYMBOLS['c']}")
    a = comparison.compare_council(small_release, "Alderbury", 2025, neighbours={}).context
    # (1000 + 550) / (85 + 50) = 11.48
    assert a[STARTED].region == 11.5 and "Brackwater" in a[STARTED].region_status


def test_text_lines_give_each_figure_its_period_source_and_symbol(small_release, data_dir):
    s = comparison.compare_council(small_release, "Brackwater", 2024, neighbours={})
    lines = context.text_lines(s)
    row = next(x for x in lines if x.startswith("Looked-after children with 3 or more"))
    # the council's value is the symbol DfE printed, the region's and England's are shown
    assert row.split()[-9:] == [
        "x", "25%", "27%", "year", "to", "31", "March", "2024", "la_cla_swcount.csv"
    ]  # fmt: skip
    assert (
        "  Brackwater, Looked-after children with 3 or more social workers in the year: "
        "x: not available (la_cla_swcount.csv, year to 31 March 2024)"
    ) in lines
    started = next(x for x in lines if x.startswith("Children-in-need episodes started"))
    assert "episodes started in the year to 31 March 2024" in started
    assert "b1_children_in_need_2022_to_2025.csv" in started
    assert any(x.startswith("  la_cla_swcount.csv: Department for Education") for x in lines)
    assert lines[-1].startswith("A period is used for census year 2024 only if it ends")
    # nothing after the report's year: no 2025 period, date or title
    assert not any("2025" in x.replace("2022_to_2025", "") for x in lines)


def test_symbol_keeps_its_reason(small_release, data_dir):
    c = comparison.compare_council(small_release, "Brackwater", 2024, neighbours={}).context
    assert c[CLA].value is None and c[CLA].status.startswith("x: not available")
    assert c[SIZE].status.startswith("x: not available")
    c = comparison.compare_council(small_release, "Brackwater", 2025, neighbours={}).context
    assert c[CIN].status.startswith(f"c: {SYMBOLS['c']}")


def test_a_suppressed_council_is_left_out_of_both_sides(small_release, data_dir):
    c = comparison.compare_council(small_release, "Alderbury", 2025, neighbours={}).context
    # Brackwater's 'c' at 31 March 2025: (1100 + 600) / (85 + 50) = 12.59
    assert c[CIN].region == 12.6 and "Brackwater" in c[CIN].region_status


def test_no_period_near_the_census_is_said(small_release, data_dir):
    c = comparison.compare_council(small_release, "Alderbury", 2025, neighbours={}).context
    assert c[CLA].value is None and c[CLA].period is None
    assert "no figures for a period ending in the six months to 30 September 2025" in (
        c[CLA].status
    )
    assert "2024" not in c[CLA].status  # nothing after the report's year
    assert c[CIN].value == 12.9  # 1100 / 85


def test_joint_council_adds_its_parts(joint_release):
    c = context.council_context(joint_release, "903 / 904", 2024)
    # (11 + 14) / (40 + 60) = 25%: not the average of 28% and 23% (26%)
    assert c[CLA].value == 25.0
    assert c[CIN].value == 16.0  # (500 + 300) / 50 at 31 March 2024
    assert c[SIZE].value == 14.3  # 50 / (25,000 + 10,000) x 10,000


def test_parts_of_a_few_councils_are_their_rows_of_every_councils(joint_release):
    data = context.load_context(joint_release.source.parent)
    ids = context.area_ids(joint_release, 2024)
    for kind, table in data.tables.items():
        end = context.choose_period(table.ends(), 2024)
        for some in [ids[:1], ids[-1:], ids[::-1], ids]:
            alone = context._parts_frame(joint_release, some, 2024, table, end)
            taken = context._parts(joint_release, data, some, 2024, table, end)
            for a, b in zip(alone, taken):
                pd.testing.assert_frame_equal(a, b, check_exact=True)
        values, _ = context._parts(joint_release, data, ids[:1], 2024, table, end)
        values.iloc[0, 0] = -1.0  # a copy: the next caller gets the file's figures
        again, _ = context._parts(joint_release, data, ids[:1], 2024, table, end)
        assert again.iloc[0, 0] != -1.0, kind


def test_a_council_the_file_reports_jointly_is_said(small_csv):
    folder = _with_context(small_csv.parent)
    cin = folder / "b1_children_in_need_2022_to_2025.csv"
    lines = [x for x in cin.read_text().splitlines() if ",904," not in x]
    lines = [
        x.replace(
            ",903,E06000903,Castleton,", ",903 / 904,E06000903 / E06000904,Castleton / Dunmere,"
        )
        for x in lines
    ]
    cin.write_text("\n".join(lines) + "\n")
    release = load_release(path=small_csv, cache=False)
    c = context.council_context(release, "903", 2024)[CIN]
    assert c.value is None and c.status.startswith("reported only jointly with another council")


def test_missing_files_are_named_with_the_fetch_command(small_release):
    s = comparison.compare_council(small_release, "Alderbury", 2024, neighbours={})
    for name, fig in s.context.items():
        assert fig.value is None
        assert "workforce data fetch" in fig.status
    assert "no file matching la_cla_swcount.csv" in s.context[CLA].status
    words = context.context_sentences("Alderbury", "North East", s.context, None, 2024)
    assert any("la_cla_swcount.csv" in w and "workforce data fetch" in w for w in words)
    assert not any("do not show that one causes" in w for w in words)


def test_an_unreadable_file_is_a_status_not_a_failure(small_csv):
    folder = _with_context(small_csv.parent)
    (folder / "la_cla_swcount.csv").write_text("time_period,oops\n2024,1\n")
    release = load_release(path=small_csv, cache=False)
    c = comparison.compare_council(release, "Alderbury", 2024, neighbours={}).context
    assert c[CLA].value is None and "could not be read" in c[CLA].status
    assert c[CIN].value == 12.5


def test_sentences_compare_without_claiming_cause(small_release, data_dir):
    s = comparison.compare_council(small_release, "Alderbury", 2024, neighbours={})
    words = context.context_sentences(s.area, s.region, s.context, 15.0, 2024)
    assert words[0].startswith("In the year to 31 March 2024, 64% of the children Alderbury")
    assert "25% in the North East and 27% in England" in words[0]
    assert words[1].startswith(
        "At 31 March 2024 Alderbury had 12.5 children in need for each case-holding social "
        "worker (FTE) it had at 30 September 2024, against 12.0 in the North East"
    )
    assert "published average caseload at 30 September 2024 was 15.0" in words[1]
    assert "(ONS mid-year estimate, 30 June 2024)" in words[3]
    assert "do not show that one causes the other" in words[-1]
    table = context.context_frame(s.context)
    assert table.loc[0, "Council"] == "64%" and table.loc[0, "Region"] == "25%"
    assert "left out" in table.loc[3, "Note"] and "Brackwater" in table.loc[3, "Note"]


# ---------------------------------------------------------------- England comparison
def test_spearman_matches_ranks_by_hand():
    # ranks x 1..5; y ranks 2,1,4,3,5: d^2 = 1+1+1+1+0 = 4; rho = 1 - 6*4/(5*24) = 0.8
    rho, n = context.spearman(pd.Series([1, 2, 3, 4, 5]), pd.Series([20, 10, 40, 30, 50]))
    assert n == 5 and rho == pytest.approx(0.8)


def test_stability_comparison_on_the_fixture(small_release, data_dir):
    comp = context.stability_comparison(small_release, 2024)
    # the fixture has no 2023 census, the one nearest the year to 31 March 2024
    assert comp.workforce_year is None and "30 September 2023" in comp.note
    # a 2023 report shows nothing after 2023: the year to 31 March 2024 is not used
    early = context.stability_comparison(small_release, 2023)
    assert early.period is None and "2024" not in early.note


# ---------------------------------------------------------------- the real files
@pytest.mark.realdata
def test_middlesbrough_2024(release, neighbours):
    c = comparison.compare_council(release, "Middlesbrough", 2024, neighbours).context[CLA]
    assert (c.value, c.period, c.region, c.england) == (64.0, "year to 31 March 2024", 25.0, 27.0)


@pytest.mark.realdata
def test_barnet_stability_is_x(release, neighbours):
    c = comparison.compare_council(release, "Barnet", 2024, neighbours).context[CLA]
    assert c.value is None and c.status.startswith("x: not available")


@pytest.mark.realdata
def test_real_cla_file_published_shares_match_their_counts(real_data_dir):
    t = context.load_context(real_data_dir).tables["cla"]
    r = t.rows[t.rows.cla_3plus_pct.notna()]
    assert r.set_index("code").at["E92000001", "cla_3plus_pct"] == 27
    councils = r[r.level == "council"]
    assert (councils.cla_3plus_pct.min(), councils.cla_3plus_pct.max()) == (0, 67)
    from workforce_lib.measures import round_half_up

    recomputed = round_half_up(100 * councils.cla_3plus / councils.cla_total, 0)
    assert (recomputed == councils.cla_3plus_pct).all()


@pytest.mark.realdata
def test_real_northamptonshire_joint_row_adds_its_parts(release):
    c = context.council_context(release, "940 / 941", 2024)[CLA]
    assert c.value == 28.0  # (153 + 177) / (533 + 648) = 27.9%; 29% and 27% apart


@pytest.mark.realdata
def test_real_stability_against_workforce(release):
    comp = context.stability_comparison(release, 2024)
    assert comp.period == "year to 31 March 2024" and comp.workforce_year == 2023
    rho, n = comp.correlations["turnover_rate_fte"]
    assert n > 140 and -1 <= rho <= 1
    # a joint workforce row is one point: 940 / 941 is there once, Barnet (x) has no share
    assert (comp.frame.area_id == "940 / 941").sum() == 1
    assert comp.frame.set_index("council").share_3plus.isna()["Barnet"]


@pytest.mark.realdata
def test_real_stability_leaves_out_part_year_turnover(release):
    """Cumberland (942) and Westmorland and Furness (943) were new councils from April
    2023: their 2023 turnover covers part of the year (data/reference/part_years.csv). The
    England scatter for the year to 31 March 2024 is matched to the 2023 census: their
    turnover is shown as such in the table, and left out of the points and the correlation;
    their agency rate (a 30 September stock) stays."""
    comp = context.stability_comparison(release, 2024)
    f = comp.frame.set_index("area_id")
    for la in ("942", "943"):
        assert pd.isna(f.at[la, "turnover_rate_fte"])
        assert f.at[la, "turnover_rate_fte__status"] == context.PART_YEAR_STATUS
        assert pd.notna(f.at[la, "agency_rate_fte"])
    both = f[["share_3plus", "turnover_rate_fte"]].dropna()
    assert comp.correlations["turnover_rate_fte"] == context.spearman(
        both.share_3plus, both.turnover_rate_fte
    )
    assert not {"942", "943"} & set(both.index)
