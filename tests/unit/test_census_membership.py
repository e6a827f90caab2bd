"""Which pools show the figures that depend on their members (registered groups)."""

import pytest

from tests import census_returns as cr
from workforce_lib.records.census import membership as ms
from workforce_lib.records.census.pool import Excluded
from workforce_lib.yaml_config import ConfigError

REG = ms.Registry(
    {"R": frozenset({"801", "802", "803", "804"}), "S": frozenset({"801", "802"})}, "test"
)


def test_registered_groups_from_dfe_release(release):
    reg = ms.registry_from_release(release, 2025)
    g = reg.groups
    assert len(g["North East"]) == 12 and len(g["London"]) == 32
    # the Eastern MoU's 11 are the East of England's: one group, under its first name
    assert "East of England" in g and "Eastern MoU" not in g
    # England holds every region; regions do not overlap (the registry checks it)
    assert set(reg.inside("England")) == {v for k, v in g.items() if k != "England"}
    assert reg.inside("North East") == []
    ne = sorted(g["North East"])
    assert reg.match(reversed(ne)) == "North East" and reg.match(ne[1:]) is None


def test_a_later_year_than_the_release_uses_its_latest(release):
    assert (
        ms.registry_from_release(release, 2031).groups
        == ms.registry_from_release(release, 2025).groups
    )


def test_overlapping_groups_are_refused():
    with pytest.raises(ConfigError, match="A and B share councils .802."):
        ms.Registry({"A": frozenset({"801", "802"}), "B": frozenset({"802", "803"})})
    # the same councils twice, or one inside another, are fine
    ms.Registry({"A": frozenset({"801"}), "B": frozenset({"801"}), "C": frozenset({"801", "9"})})


def test_decide():
    m = ms.decide(["801", "802", "803", "804"], {}, REG)
    assert (m.group, m.shown, m.inside) == ("R", True, (REG.groups["S"],))
    assert "holds 1 smaller registered group" in m.why
    assert ms.decide(["801", "802"], {}, REG).inside == ()
    other = ms.decide(["801", "803"], {}, REG)
    assert not other.shown and other.group is None
    assert "not one registered group" in other.why and "test" in other.why
    gap = ms.decide(["801", "802"], {"802": [2024, 2025], "801": []}, REG)
    assert not gap.shown and gap.group == "S" and "(802 2024, 2025)" in gap.why
    fict = ms.decide(["001", "002"], {}, REG)
    assert fict.shown and fict.group == ms.FICTIONAL_GROUP
    # re-numbered real returns would be taken for fictional ones: every council is held
    # as a group inside, so no other set of them gives away what the pool hides
    assert fict.inside == (frozenset({"001"}), frozenset({"002"}))
    assert fict.varies("001", ["002"]) and "any set of councils" in fict.why.lower()
    assert not ms.decide(["001", "801"], {}, REG).shown  # fictional and real together


def test_varies_where_a_group_inside_holds_some_of_the_councils_on_a_path():
    m = ms.decide(["801", "802", "803", "804"], {}, REG)
    assert not m.varies("801", ["802"])  # both in S: the same figures in S's pool
    assert m.varies("801", ["803"]) and m.varies("803", ["802"])  # S holds one of them
    assert not m.varies("803", ["804"])  # S holds neither: 803 has no figures in S's pool
    assert m.varies("801", ["802", "804"])  # a path leaving S


def test_of_pool_counts_left_out_files_as_missing_returns():
    pool = cr.pool([cr.census_return(c, y, in_post=6) for c in ("801", "802")
                    for y in (2024, 2025)])  # fmt: skip
    assert ms.of_pool(pool, REG).shown
    pool.excluded = [Excluded("802_2026.xml", "802", 2026, 1)]
    assert ms.of_pool(pool, REG).shown  # 2026 is no year of the pool
    pool.excluded = [Excluded("x.xml", "", None, 1, "not a census return")]
    m = ms.of_pool(pool, REG)
    assert not m.shown and "1 file left out whose council is not known" in m.why
    less = cr.pool([r for r in pool.returns if (r.council, r.year) != ("802", 2024)])
    assert "(802 2024)" in ms.of_pool(less, REG).why


def test_registry_for_needs_no_release_for_fictional_councils(tmp_path):
    fict = cr.pool([cr.census_return("001", 2025, in_post=6)])
    assert ms.registry_for(fict, str(tmp_path)).groups == {}
    real = cr.pool([cr.census_return("841", 2025, in_post=6)])
    reg = ms.registry_for(real, str(tmp_path / "none"))
    assert reg.groups == {} and "no release of DfE's figures could be read" in reg.source
    assert "could be read" in ms.of_pool(real, reg).why


def test_registry_for_reads_the_release(real_data_dir):
    real = cr.pool([cr.census_return("841", 2025, in_post=6)])
    assert "North East" in ms.registry_for(real, str(real_data_dir)).groups


def test_is_fictional():
    assert [ms.is_fictional(c) for c in ("001", "200", "201", "000", "01", "abc")] == [
        True, True, False, False, False, False]  # fmt: skip
