import shutil

import pytest

from tests.conftest import FIXTURES, NORTH_EAST_2025
from workforce_lib.errors import DataNotFoundError, DataValidationError
from workforce_lib.published import comparison
from workforce_lib.published.areas import Group


def test_group_rates_recomputed_from_components(small_release):
    g = Group(name="Fixture", councils=("Alderbury", "Brackwater", "Castleton"))
    s = comparison.compare_group(small_release, g, 2024)
    t = s.measures["turnover_rate_fte"]
    # Brackwater's leavers are 'u': out of both sides -> 15 / 150
    assert t.value == 10.0 and "Brackwater" in t.status
    assert s.measures["agency_rate_fte"].value == 6.3  # low counts as 0: 20 / 320, half up
    assert s.measures["inpost_fte"].value == 300.0
    # previous year missing in the fixture -> no change invented
    assert t.previous is None and t.change is None
    s25 = comparison.compare_group(small_release, g, 2025)
    # 35 / 310 = 11.29 -> 11.3 with all three councils
    assert s25.measures["turnover_rate_fte"].value == 11.3


def test_named_group_change_compares_the_same_councils(small_release):
    # Brackwater's 2024 leavers are 'u': the change compares Alderbury and Castleton only,
    # 2025 17 / 160 = 10.6 against 2024 15 / 150 = 10.0 -> +0.6 (not 11.3 - 10.0 = 1.3)
    g = Group(name="Fixture", councils=("Alderbury", "Brackwater", "Castleton"))
    t = comparison.compare_group(small_release, g, 2025).measures["turnover_rate_fte"]
    assert (t.previous, t.change) == (10.0, 0.6)
    assert "Brackwater" in t.change_basis and "2024: low reliability (u)" in t.change_basis
    assert "the 2 councils with figures in both 2024 and 2025" in t.change_basis
    # a measure every council published in both years compares all three
    i = comparison.compare_group(small_release, g, 2025).measures["inpost_fte"]
    assert (i.previous, i.change) == (300.0, 10.0) and "left out" not in i.change_basis


def test_region_change_uses_published_totals(small_release):
    # the fixture's region publishes 30.0 leavers for 2024 (Brackwater's 'u' included);
    # recomputing from the councils would give 15.0
    s = comparison.compare_group(small_release, "North East", 2025)
    assert s.measures["leavers_fte"].previous == 30.0
    assert s.measures["leavers_fte"].change == 5.0
    assert any("published" in n for n in s.notes)


def test_low_counts_as_zero_in_ranks_and_reads_less_than(small_release):
    # Brackwater's 2024 agency rate is 'low': ranked (as 0) and shown "less than 0.5%"
    r = comparison.council_ranks(small_release, 2024, "agency_rate_fte")
    assert r.loc["902", "rank_in_england"] == 1 and r.loc["902", "councils_in_england"] == 3
    refs = {"901": [], "902": [], "903": []}
    c = comparison.compare_council(small_release, "Brackwater", 2024, refs)
    a = c.measures["agency_rate_fte"]
    assert a.shown == "less than 0.5%" and a.value == 0.0 and "suppressed" not in a.status
    # and a 'u' has no rank, with the reason in words, counted among councils with data
    t = c.measures["turnover_rate_fte"]
    assert t.rank_in_region is None and t.rank_in_england is None
    assert t.rank_note == "not ranked: low reliability (u) in the North East"
    ok = comparison.compare_council(small_release, "Alderbury", 2024, refs)
    assert ok.measures["turnover_rate_fte"].rank_note == (
        "1st of 2 councils with data (3 in all) in the North East"
    )


def test_counts_are_flagged_not_graded(small_release):
    c = comparison.compare_council(small_release, "Alderbury", 2025, {"901": []})
    assert c.measures["inpost_fte"].kind == "count" and not c.measures["inpost_fte"].graded
    assert c.measures["turnover_rate_fte"].graded
    assert not c.measures["agency_cover_rate_fte"].graded  # neutral rate


def test_ranks_follow_direction(small_release):
    # 2025 turnover: Alderbury 10.9, Brackwater 12.0, Castleton 10.0 (lower is better)
    r = comparison.council_ranks(small_release, 2025, "turnover_rate_fte")
    assert r.loc["903", "rank_in_england"] == 1 and r.loc["902", "rank_in_england"] == 3
    # in-post FTE is neutral: the largest ranks first, and is not called "worse"
    r = comparison.council_ranks(small_release, 2025, "inpost_fte")
    assert r.loc["902", "rank_in_england"] == 1
    assert r.loc["902", "quartile"] == 4 and r.loc["903", "quartile"] == 1


def test_quartile_words():
    from workforce_lib.measures import MEASURES

    assert comparison.quartile_words(MEASURES["turnover_rate_fte"], 1) == ("lowest quarter (best)")
    assert comparison.quartile_words(MEASURES["turnover_rate_fte"], 4) == (
        "highest quarter (worst)"
    )
    assert comparison.quartile_words(MEASURES["inpost_fte"], 4) == "highest quarter"


@pytest.mark.realdata
def test_northumberland_2022_matches_its_scrutiny_report(release, neighbours):
    s = comparison.compare_council(release, "Northumberland", 2022, neighbours)
    m = s.measures
    assert (m["turnover_rate_fte"].value, m["turnover_rate_fte"].previous) == (15.9, 15.8)
    assert m["turnover_rate_fte"].change == 0.1
    assert m["leavers_fte"].value == 28.8
    assert (m["agency_rate_fte"].value, m["agency_rate_fte"].previous) == (6.2, 10.0)
    assert (m["absence_rate_fte"].value, m["absence_rate_fte"].previous) == (1.9, 3.6)
    assert m["turnover_rate_fte"].region == 14.8 and m["turnover_rate_fte"].england == 17.2
    assert m["turnover_rate_fte"].neighbours_with_data == 10


@pytest.mark.realdata
def test_north_east_2025_recomputed_equals_published(release):
    s = comparison.compare_group(release, "North East", 2025)
    got = {k: s.measures[k].value for k in NORTH_EAST_2025}
    assert got == NORTH_EAST_2025
    for k in got:
        assert s.measures[k].published == got[k]
    assert len(s.members) == 12


@pytest.mark.realdata
def test_north_east_2024_leaves_out_sunderland_as_dfe_does(release):
    s = comparison.compare_group(release, "North East", 2024)
    t = s.measures["turnover_rate_fte"]
    assert t.value == 14.0 == t.published
    assert "Sunderland" in t.status


@pytest.mark.realdata
def test_every_region_recomputed_for_2025_headlines(release):
    # wherever the councils' data are complete the recomputation equals DfE's row
    for region in [
        "North East",
        "North West",
        "Yorkshire and The Humber",
        "East Midlands",
        "West Midlands",
        "East of England",
        "South East",
        "South West",
    ]:
        s = comparison.compare_group(release, region, 2025)
        for k in ["turnover_rate_fte", "vacancy_rate_fte", "caseload_fte"]:
            assert s.measures[k].value == s.measures[k].published, (region, k)


@pytest.mark.realdata
def test_joint_and_successor_neighbours_still_match(release):
    # Sutton lists 314 (Kingston), reported jointly as "314 / 318"
    neighbours = comparison.read_neighbours(release.source.parent, "2021")
    refs, _ = comparison.resolve_neighbours(release, "319", 2025, neighbours)
    assert any(r.area_ids == ("314 / 318",) and r.how == "joint" for r in refs)
    # Derbyshire lists 909 Cumbria, which in 2025 is Cumberland + Westmorland and Furness
    refs, _ = comparison.resolve_neighbours(release, "830", 2025, neighbours)
    cumbria = [r for r in refs if r.la_code == "909"][0]
    assert cumbria.area_ids == ("942", "943") and cumbria.how == "successors"
    vals = comparison.neighbour_values(release, [cumbria], 2025, "turnover_rate_fte")
    assert vals[0] is not None
    # the joint row gets ten neighbours from its two councils' lists
    refs, note = comparison.resolve_neighbours(release, "314 / 318", 2025, neighbours)
    assert len(refs) == 10 and "jointly" in note
    # a new authority borrows its predecessor's neighbours
    refs, note = comparison.resolve_neighbours(release, "942", 2025, neighbours)
    assert len(refs) == 10 and "Cumbria" in note


@pytest.mark.realdata
def test_suppressed_value_carries_its_reason(release, neighbours):
    s = comparison.compare_council(release, "Sunderland", 2024, neighbours)
    t = s.measures["turnover_rate_fte"]
    assert t.value is None and t.status == "u: low reliability"
    assert t.rank_in_england is None


@pytest.mark.realdata
def test_new_authority_says_predecessor(release, neighbours):
    s = comparison.compare_council(release, "Cumberland", 2023, neighbours)
    assert s.measures["turnover_rate_fte"].previous is None
    assert any("predecessor authority" in n for n in s.notes)


@pytest.mark.realdata
def test_north_east_2025_previous_leavers_is_published(release):
    # before: 269.5, the 2024 sum without Sunderland ('u'); DfE published 271.5
    s = comparison.compare_group(release, "North East", 2025)
    leavers = s.measures["leavers_fte"]
    assert (leavers.value, leavers.previous, leavers.change) == (269.9, 271.5, -1.6)
    assert s.to_json()["measures"]["leavers_fte"]["previous"] == 271.5


@pytest.mark.realdata
def test_sunderland_2025_agency_rate_is_less_than_half_a_percent(release, neighbours):
    a = comparison.compare_council(release, "Sunderland", 2025, neighbours).measures[
        "agency_rate_fte"
    ]
    assert a.shown == "less than 0.5%"
    assert "suppressed" not in a.shown and "suppressed" not in a.status


@pytest.mark.realdata
def test_kensington_and_chelsea_2025_has_no_rank(release, neighbours):
    s = comparison.compare_council(release, "Kensington and Chelsea", 2025, neighbours)
    j = s.to_json()["measures"]["turnover_rate_fte"]
    assert j["rank_in_region"] is None and j["rank_in_england"] is None
    assert j["rank_note"] == "not ranked: not available (x) in London"
    # London ranks only the councils with a figure: 30 of 32 in 2025
    r = comparison.council_ranks(release, 2025, "turnover_rate_fte")
    sutton = r.loc["319"]
    assert sutton.councils_in_region == 30 and sutton.councils_in_region_total == 32


@pytest.mark.realdata
def test_cumberland_2023_is_a_part_year(release, neighbours):
    s = comparison.compare_council(release, "Cumberland", 2023, neighbours)
    t = s.measures["turnover_rate_fte"]
    assert t.part_year == "2023 covers part of the year" and t.rank_in_england is None
    assert any("1 April 2023" in n for n in s.notes)
    s24 = comparison.compare_council(release, "Westmorland and Furness", 2024, neighbours)
    assert s24.measures["leavers_fte"].change is None  # 2023 is not a full year
    assert s24.measures["inpost_fte"].change is not None  # a stock at 30 September is
    assert any("Westmorland and Furness began on 1 April 2023" in n for n in s24.notes)


@pytest.mark.realdata
def test_eastern_mou_is_its_region(release):
    s = comparison.compare_group(release, "Eastern MoU", 2025)
    assert s.same_as_region and any("coincide" in n for n in s.notes)
    assert not comparison.compare_group(release, "North East", 2025).same_as_region


# ---------------------------------------------------------------- statistical-neighbour models
def test_2025_model_read_with_bom_and_closeness(small_csv, small_release):
    shutil.copy(FIXTURES / "sn_model_small_wide.csv", small_csv.parent / "sn_model_2025_wide.csv")
    n = comparison.read_neighbours(small_csv.parent)  # 2025 is the default
    assert n.model == "2025" and n.source == "sn_model_2025_wide.csv"
    assert n["901"][:2] == ["902", "903"] and len(n["901"]) == 10
    assert n.label("901", "902") == "Very close" and n.label("901", "903") == "Close"
    refs, note = comparison.resolve_neighbours(small_release, "901", 2025, n)
    assert [(r.la_code, r.closeness) for r in refs[:2]] == [("902", "Very close"), ("903", "Close")]
    assert {r.how for r in refs[2:]} == {"missing"}  # 904..911 are not in the fixture
    assert "2025 statistical-neighbour model (sn_model_2025_wide.csv)" in note
    # the 2021 model is another file: asking for it when only 2025 is present says so
    with pytest.raises(DataNotFoundError, match="New_Statistical_Neighbour_Groupings"):
        comparison.read_neighbours(small_csv.parent, "2021", required=True)
    with pytest.raises(comparison.WorkforceError, match="2019"):
        comparison.read_neighbours(small_csv.parent, "2019")


def test_bad_neighbour_file_names_file_row_and_column(tmp_path):
    target = tmp_path / "New_Statistical_Neighbour_Groupings_April_2021.csv"
    shutil.copy(FIXTURES / "sn_groupings_bad.csv", target)
    with pytest.raises(DataValidationError) as exc:
        comparison.read_neighbours(tmp_path, "2021")
    msg = str(exc.value)
    assert "New_Statistical_Neighbour_Groupings_April_2021.csv" in msg
    assert "SN_1 .. SN_10" in msg  # only SN1, SN2: the other eight are missing


def test_missing_neighbour_file_is_a_note_not_a_failure(small_csv, small_release):
    s = comparison.compare_council(small_release, "Alderbury", 2025)
    t = s.measures["turnover_rate_fte"]
    assert t.neighbours_median is None and t.neighbours_total == 0
    note = " ".join(s.notes)
    assert "sn_model_2025_wide.csv" in note and "workforce data fetch" in note


@pytest.mark.realdata
def test_2025_model_gives_the_new_councils_their_own_neighbours(release):
    n = comparison.read_neighbours(release.source.parent)
    assert n.model == "2025" and len(n) == 153
    cumberland = comparison.compare_council(release, "Cumberland", 2025, n)
    westmorland = comparison.compare_council(release, "Westmorland and Furness", 2025, n)
    tc = cumberland.measures["turnover_rate_fte"]
    tw = westmorland.measures["turnover_rate_fte"]
    assert tc.neighbours_median != tw.neighbours_median
    # Bedford lists 941, reported jointly with 940: matched to the joint row, 10 with data
    bedford = comparison.compare_council(release, "Bedford", 2025, n)
    t = bedford.measures["turnover_rate_fte"]
    assert t.neighbours_with_data == 10 and t.neighbours_total == 10
    assert any("941 is matched to the joint row" in x for x in bedford.notes)
    refs, _ = comparison.resolve_neighbours(release, "822", 2025, n)
    assert refs[0].closeness == "Very close"


@pytest.mark.realdata
def test_2021_model_counts_a_joint_council_once_and_says_so(release):
    n = comparison.read_neighbours(release.source.parent, "2021")
    # Bedford's April 2021 list names both 941 and 940, one joint row in every year
    refs, note = comparison.resolve_neighbours(release, "822", 2021, n)
    joint = [r for r in refs if r.area_ids == ("940 / 941",)]
    assert len(joint) == 1 and len(refs) == 9
    assert "both stand for North Northamptonshire / West Northamptonshire, counted once" in note
    assert "9 neighbours in 2021" in note


@pytest.mark.realdata
def test_2025_model_in_years_before_the_new_councils(release):
    n = comparison.read_neighbours(release.source.parent)
    # Cumbria (2021) is not in the 2025 model: its successors' lists stand in
    refs, note = comparison.resolve_neighbours(release, "909", 2021, n)
    assert len(refs) == 10 and "successors" in note
    # a council listing Westmorland and Furness gets its predecessor Cumbria in 2021
    lists_it = next(a for a, lst in n.items() if "943" in lst and a not in ("942", "943"))
    refs, _ = comparison.resolve_neighbours(release, lists_it, 2021, n)
    assert [r.how for r in refs if r.la_code == "943"] == ["predecessor"]
    assert [r.area_ids for r in refs if r.la_code == "943"] == [("909",)]
    # Bedford's 2025 list names 941, created in 2021 inside the joint row: Northamptonshire
    refs, _ = comparison.resolve_neighbours(release, "822", 2020, n)
    assert [(r.how, r.area_ids) for r in refs if r.la_code == "941"] == [("predecessor", ("928",))]


def test_a_council_with_no_row_in_the_year_or_a_group_with_no_councils_is_a_clear_error(release):
    # Cumbria (909) was replaced in 2023: its error raised AttributeError (a missing name)
    from workforce_lib.errors import WorkforceError

    with pytest.raises(WorkforceError, match="Cumbria has no row in 2025; it has rows for"):
        comparison.compare_council(release, "Cumbria", 2025)
    with pytest.raises(WorkforceError, match="No 2031 in"):
        comparison.compare_council(release, "Cumbria", 2031)
    with pytest.raises(WorkforceError, match="Group 'Nobody' has no councils in 2016"):
        comparison.compare_group(release, Group("Nobody", councils=("Northumberland",)), 2016)
