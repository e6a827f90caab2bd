import pytest

from workforce_lib.errors import UnknownAreaError
from workforce_lib.published import areas
from workforce_lib.yaml_config import ConfigError


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
    with pytest.raises(ConfigError, match=r"(?s)groups\.Oops\.counsils: unknown key"):
        areas.load_groups(f)


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
)


def test_yaml_aliases_are_refused_before_any_expansion(tmp_path):
    """A billion-laughs groups file (9^9 strings once expanded) is refused at its first
    anchor, in milliseconds; before, PyYAML expanded it for 48 s and 4.5 GB to MemoryError."""
    f = tmp_path / "laughs.yaml"
    f.write_text(BILLION_LAUGHS)
    with pytest.raises(ConfigError, match=r"laughs.yaml: line 1, column 4: YAML anchors"):
        areas.load_groups(f)


def test_a_plain_alias_is_refused_too(tmp_path):
    f = tmp_path / "alias.yaml"
    f.write_text("groups:\n  A: &spec\n    councils: [Darlington]\n  B: *spec\n")
    with pytest.raises(ConfigError, match="anchors and aliases"):
        areas.load_groups(f)


def test_a_huge_groups_file_is_refused_unread(tmp_path):
    f = tmp_path / "big.yaml"
    f.write_text("groups:\n" + "# padding\n" * 200_000)
    with pytest.raises(ConfigError, match="big.yaml: 2,000,008 bytes; a groups file may be"):
        areas.load_groups(f)


@pytest.mark.parametrize(
    "text, message",
    [
        ("just a string\n", "the file holds a string; it must be a mapping"),
        ("- a\n- b\n", "the file holds a list; it must be a mapping"),
        ("", "the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("groups: [a, b]\n", "groups: Input should be a valid dictionary"),
        ("groupz:\n  A:\n    england: true\n", "groupz: unknown key"),
        ("groups:\n  A:\n    region: X\n    england: true\n", "exactly one of region"),
        ("groups:\n  A:\n  B:\n    england: true\n", "groups.A: .*exactly one of"),
        ("groups:\n  A:\n    england: true\n  A:\n    region: X\n", "key 'A' is given twice"),
        ("groups: {a: [\n", "not valid YAML"),
        ("groups:\n  '!!!':\n    england: true\n", "'!!!': no letter or digit"),
        (
            "groups:\n  a/b/c:\n    england: true\n  a-b-c:\n    england: true\n",
            "'a/b/c' and 'a-b-c' make the same report file a-b-c.html",
        ),
    ],
)
def test_bad_groups_file_is_a_clear_error(tmp_path, text, message):
    f = tmp_path / "g.yaml"
    f.write_text(text)
    with pytest.raises(ConfigError, match=message) as err:
        areas.load_groups(f)
    assert str(f) in str(err.value)


def test_council_given_by_la_number_is_read_as_text(tmp_path):
    f = tmp_path / "g.yaml"
    f.write_text("groups:\n  Mine:\n    councils: [873, Luton]\n")
    assert areas.load_groups(f)["Mine"].councils == ("873", "Luton")


def test_missing_groups_file(tmp_path):
    with pytest.raises(ConfigError, match="Groups file .*nope.yaml does not exist"):
        areas.load_groups(tmp_path / "nope.yaml")


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
