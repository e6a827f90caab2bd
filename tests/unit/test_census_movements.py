"""Movements within a region, on the hand-written 3-council fixture (councils 901, 902,
903; 2024 and 2025). The people, by hand (SW900001 = A ... SW900012 = L):

A 901 permanent, leaves 31 Jan 2025, starts at 902 on 3 Feb 2025    -> permanent, another
B 901 leaves 30 Jun 2024; agency at 902 from 1 Aug 2024             -> agency, another
C 901 leaves 31 Dec 2024; agency at 901 from 1 Feb 2025             -> agency, same council
D agency at 901 at 30 Sep 2024; permanent at 903 from 1 Nov 2024    -> conversion, other council
E 901 leaves 31 Mar 2025 (redundancy); agency at 902 from 14 Apr    -> agency, another
F 901 in post throughout
G 902 leaves 31 May 2025; not in any later record                   -> not seen again
H agency at 902 at 30 Sep 2024; permanent at 902 from 6 Jan 2025    -> conversion, same council
I 902 leaves 28 Feb 2025; agency at 903 from 1 Jul 2025             -> agency, another
J 903 leaves 29 Nov 2024; permanent at 901 from 6 Jan 2025          -> permanent, another
K agency at 903 in both years, no start date
L 903 leaves 31 Mar 2024 (retired); permanent at 903 from 2 Sep 2024 -> permanent again, same
"""

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib.census import movements as mv
from workforce_lib.census.pool import pool_returns
from workforce_lib.census.records import person_key

KEY = bytes(range(1, 33))
COUNCILS = ["901", "902", "903"]


@pytest.fixture(scope="module")
def pool():
    return pool_returns(FIXTURES / "census" / "region", KEY)


@pytest.fixture(scope="module")
def names():
    return {person_key(f"SW9000{i:02d}", KEY): "ABCDEFGHIJKL"[i - 1] for i in range(1, 13)}


@pytest.fixture(scope="module")
def moves(pool, names):
    m = mv.leaver_moves(pool.workers)
    return m.assign(who=m["person"].map(names))


def test_each_leaver_followed_to_their_next_spell(moves):
    got = {
        r.who: (r.from_council, r.year, r.outcome, r.to_council if pd.notna(r.to_council) else "")
        for r in moves.itertuples()
    }
    assert got == {
        "A": ("901", 2025, mv.TO_PERMANENT_OTHER, "902"),
        "B": ("901", 2024, mv.TO_AGENCY_OTHER, "902"),
        "C": ("901", 2025, mv.TO_AGENCY_SAME, "901"),
        "E": ("901", 2025, mv.TO_AGENCY_OTHER, "902"),
        "G": ("902", 2025, mv.NOT_SEEN, ""),
        "I": ("902", 2025, mv.TO_AGENCY_OTHER, "903"),
        "J": ("903", 2025, mv.TO_PERMANENT_OTHER, "901"),
        "L": ("903", 2024, mv.REJOINED, "903"),
    }
    b = moves[moves["who"] == "B"].iloc[0]
    assert b["to_begins"] == pd.Timestamp("2024-08-01")
    assert b["followed_to"] == pd.Timestamp("2025-09-30")


def test_movement_matrix_by_year(moves):
    m25 = mv.movement_matrix(moves, 2025, COUNCILS)
    assert m25.values.tolist() == [[0, 2, 0], [0, 0, 1], [1, 0, 0]]  # A,E; I; J
    m24 = mv.movement_matrix(moves, 2024, COUNCILS)
    assert m24.values.tolist() == [[0, 1, 0], [0, 0, 0], [0, 0, 0]]  # B (L rejoined 903)


def test_net_flows(moves):
    t = mv.net_flows(moves, COUNCILS, [2024, 2025]).set_index(["council", "year"])
    assert t.loc[("901", 2025)].tolist() == [1, 2, -1]
    assert t.loc[("902", 2025)].tolist() == [2, 1, 1]
    assert t.loc[("903", 2025)].tolist() == [1, 1, 0]
    assert t.loc[("901", 2024)].tolist() == [0, 1, -1]
    assert t.loc[("902", 2024)].tolist() == [1, 0, 1]
    assert t["net"].sum() == 0  # the region gains and loses the same people


def test_conversions_and_agency_flows(pool, moves, names):
    c = mv.conversions(pool.workers)
    got = {(names[r.person], r.year, r.agency_council, r.to_council, r.same_council)
           for r in c.itertuples()}  # fmt: skip
    assert got == {("D", 2025, "901", "903", False), ("H", 2025, "902", "902", True)}
    f = mv.agency_flows(moves, c, COUNCILS, [2024, 2025]).set_index(["council", "year"])
    assert f["to_agency"].to_dict() == {
        ("901", 2024): 1, ("901", 2025): 2, ("902", 2024): 0,
        ("902", 2025): 1, ("903", 2024): 0, ("903", 2025): 0,
    }  # B; C, E; I  # fmt: skip
    assert f["from_agency"].to_dict() == {
        ("901", 2024): 0, ("901", 2025): 0, ("902", 2024): 0,
        ("902", 2025): 1, ("903", 2024): 0, ("903", 2025): 1,
    }  # H; D  # fmt: skip


def test_spells_merge_a_post_seen_in_two_returns(pool, names):
    s = mv.spells(pool.workers)
    s = s.assign(who=s["person"].map(names))
    b_agency = s[(s["who"] == "B") & (s["kind"] == mv.AGENCY)]
    assert len(b_agency) == 1  # one engagement at 902, in both years' returns
    assert b_agency.iloc[0]["last_seen"] == pd.Timestamp("2025-09-30")
    h = s[(s["who"] == "H") & (s["kind"] == mv.AGENCY)].iloc[0]
    assert h["begins"] == pd.Timestamp("2024-07-22")  # 10 weeks before 30 Sep 2024
    k = s[s["who"] == "K"]
    assert len(k) == 1 and not k.iloc[0]["begins_known"]
    assert len(s[s["who"] == "L"]) == 2  # two posts at 903


# ---------------------------------------------------------------- planted movements
PLANT_KEY = bytes(range(40, 72))


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A generated region (6 councils, 4 years) and the movements its generator planted."""
    from workforce_lib.census.demo import generate_region

    d = tmp_path_factory.mktemp("planted")
    generate_region(d / "r", councils=6, years=4, seed=11, size=90, truth=d / "truth.csv")
    truth = pd.read_csv(d / "truth.csv", dtype=str)
    truth["person"] = truth["swe_number"].map(lambda s: person_key(s, PLANT_KEY))
    return pool_returns(d / "r", PLANT_KEY), truth


def _rows(df, cols):
    return sorted(df[cols].astype(str).itertuples(index=False, name=None))


def test_planted_moves_recovered_exactly(planted):
    pool, truth = planted
    m = mv.leaver_moves(pool.workers)
    m = m.assign(left_on=m["left"].dt.strftime("%Y-%m-%d"))
    cols = ["person", "from_council", "to_council", "left_on"]
    between = truth[truth["kind"] == "council_to_council"]
    assert len(between) > 20
    assert _rows(m[m["outcome"] == mv.TO_PERMANENT_OTHER], cols) == _rows(between, cols)
    to_agency = truth[truth["kind"] == "permanent_to_agency"]
    assert (to_agency["from_council"] == to_agency["to_council"]).any()  # both kinds planted
    assert (to_agency["from_council"] != to_agency["to_council"]).any()
    assert _rows(m[m["outcome"].isin(mv.INTO_AGENCY)], cols) == _rows(to_agency, cols)
    same = m["outcome"] == mv.TO_AGENCY_SAME
    assert (m.loc[same, "from_council"] == m.loc[same, "to_council"]).all()


def test_planted_conversions_recovered_exactly(planted):
    pool, truth = planted
    c = mv.conversions(pool.workers)
    c = c.assign(started_on=c["started"].dt.strftime("%Y-%m-%d"))
    conv = truth[truth["kind"] == "agency_to_permanent"].rename(
        columns={"from_council": "agency_council"}
    )
    assert len(conv) > 5
    cols = ["person", "agency_council", "to_council", "started_on"]
    assert _rows(c, cols) == _rows(conv, cols)


def test_planted_matrix_by_year(planted):
    pool, truth = planted
    m = mv.leaver_moves(pool.workers)
    moved = truth[truth["kind"].isin(["council_to_council", "permanent_to_agency"])]
    moved = moved[moved["from_council"] != moved["to_council"]]
    left = pd.to_datetime(moved["left_on"])
    moved = moved.assign(year=(left.dt.year + (left.dt.month >= 10)).astype(int))
    for y in pool.years:
        got = mv.movement_matrix(m, y, pool.councils)
        sub = moved[moved["year"] == y]
        want = pd.crosstab(sub["from_council"], sub["to_council"]).reindex(
            index=pool.councils, columns=pool.councils, fill_value=0
        )
        assert got.to_numpy().tolist() == want.to_numpy().tolist(), y
        flows = mv.net_flows(m, pool.councils, [y]).set_index("council")
        assert flows["out"].tolist() == want.sum(axis=1).tolist()
        assert flows["in"].tolist() == want.sum(axis=0).tolist()
