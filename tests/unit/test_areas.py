import pytest

from workforce_lib import areas
from workforce_lib.errors import UnknownAreaError, WorkforceError


@pytest.mark.parametrize(
    "query, area_id",
    [
        ("Alderbury", "901"),
        ("alderbury", "901"),
        ("E06000902", "902"),
        ("903", "903"),
        ("  CASTLETON ", "903"),
    ],
)
def test_find_council_by_name_or_code(small_release, query, area_id):
    assert areas.find_council(small_release, query) == area_id


def test_unknown_council_suggests_close_names(small_release):
    with pytest.raises(UnknownAreaError) as exc:
        areas.find_council(small_release, "Aldebury")
    assert exc.value.suggestions == ["Alderbury"]
    assert "Did you mean: Alderbury?" in str(exc.value)


def test_unknown_with_nothing_close(small_release):
    with pytest.raises(UnknownAreaError, match="No council matches 'Zzyzx'"):
        areas.find_council(small_release, "Zzyzx")


def test_normalise():
    assert areas.normalise("Kingston upon Hull, City of") == "kingston upon hull"
    assert areas.normalise("St. Helens") == areas.normalise("st helens")
    assert areas.normalise("Bournemouth, Christchurch & Poole") == (
        "bournemouth christchurch and poole"
    )


@pytest.mark.realdata
@pytest.mark.parametrize(
    "query, name",
    [
        ("tameside", "Tameside"),
        ("E08000008", "Tameside"),
        ("Hull", "Kingston upon Hull, City of"),
        ("E09000021", "Kingston upon Thames / Richmond upon Thames"),
        ("Richmond upon Thames", "Kingston upon Thames / Richmond upon Thames"),
        ("E08000016", "Barnsley"),
        ("E08000038", "Barnsley"),
        ("st helens", "St. Helens"),
        ("BCP", "Bournemouth, Christchurch and Poole"),
    ],
)
def test_real_lookups(release, query, name):
    assert areas.council_name(release, areas.find_council(release, query)) == name


@pytest.mark.realdata
def test_ambiguous_name_lists_candidates(release):
    with pytest.raises(UnknownAreaError, match="more than one council") as exc:
        areas.find_council(release, "Kingston")
    assert "Kingston upon Hull, City of" in exc.value.suggestions


def test_groups_config_has_every_region_and_eastern_mou():
    groups = areas.load_groups()
    regions = {g.region for g in groups.values() if g.region}
    assert len(regions) == 9
    mou = groups["Eastern MoU"]
    assert len(mou.councils) == 11 and "Southend-on-Sea" in mou.councils


@pytest.mark.realdata
def test_eastern_mou_resolves_to_eleven_councils(release):
    g = areas.find_group("eastern mou")
    ids = areas.group_members(release, g, 2025)
    assert len(ids) == 11
    assert areas.group_region(release, g, 2025) == "East of England"


@pytest.mark.realdata
def test_region_members_follow_boundary_changes(release):
    ne = areas.find_group("North East")
    assert len(areas.group_members(release, ne, 2025)) == 12
    nw = areas.find_group("North West")
    ids_2022 = areas.group_members(release, nw, 2022)
    ids_2023 = areas.group_members(release, nw, 2023)
    assert "909" in ids_2022 and {"942", "943"} <= set(ids_2023)
    assert len(areas.group_members(release, areas.find_group("London"), 2025)) == 32


def test_user_groups_are_added(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("groups:\n  Tees Valley:\n    councils: [Darlington, Hartlepool]\n")
    groups = areas.load_groups(f)
    assert groups["Tees Valley"].councils == ("Darlington", "Hartlepool")
    assert "Eastern MoU" in groups


def test_bad_group_spec_is_a_clear_error(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("groups:\n  Oops:\n    counsils: [Darlington]\n")
    with pytest.raises(WorkforceError, match="group 'Oops' needs one of region"):
        areas.load_groups(f)


def test_unknown_group_suggests(small_release):
    with pytest.raises(UnknownAreaError, match="Eastern MoU"):
        areas.find_group("Eastern MOO")


def test_reference_tables_are_consistent():
    ch = areas.area_changes()
    assert set(ch.change) <= {"merger", "split", "boundary", "joint", "recode"}
    assert list(areas.successors("909").successor_name) == ["Cumberland", "Westmorland and Furness"]
    assert list(areas.predecessors("940 / 941").predecessor_name) == ["Northamptonshire"]


@pytest.mark.realdata
def test_a_name_two_authorities_had_means_the_current_one(release):
    # Dorset county (835, to 2018) and Dorset unitary (838, from 2019) share a name
    assert areas.find_council(release, "Dorset") == "838"
    assert areas.find_council(release, "835") == "835"
