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
from workforce_lib.records.census import movements as mv
from workforce_lib.records.census.pool import pool_returns
from workforce_lib.records.census.records import person_key

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
    from workforce_lib.records.census.demo import generate_region

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


# ---------------------------------------------------------------- people, not posts
MULTIPOST = FIXTURES / "census" / "multipost"
"""Councils 911 and 912, 2024 and 2025 (SW910001 = P ... SW910006 = U, SW910007 = W,
SW910008 = V, SW910009 = X):

P 911, two posts; leaves one 31 Dec 2024, the other 30 Apr 2025; 912 from 2 Jun 2025
    -> one leaver, on 30 Apr 2025 (the day P was last in post at 911): permanent, 912
Q 911, two posts; leaves one 28 Feb 2025, keeps the other  -> not a leaver
R 911, two posts, both end 31 Mar 2025 (redundancy); agency at 912 from 1 May 2025
    -> one leaver: agency, 912
S 911, two posts; leaves one 31 Jan 2025 and starts at 912 on 3 Feb 2025, keeping the
    other at 911 -> not a leaver of 911 (no move); a starter of 912
T 911, one post, leaves 31 Jan 2025; already at 912 since 1 Nov 2024 (still there)
    -> kept a post at 912: a second job ending, not a move (issue 20; it was
       "permanent, 912" before)
U agency at 912 at 30 Sep 2024; joins 911 on 6 Jan 2025, second post 1 Apr 2025
    -> one conversion (the second post is not a joining)
V 912, in post throughout
X 912, two posts begun the same day (one spell); leaves one 31 Mar 2025, keeps the other
    -> not a leaver
W 911, leaves 30 Nov 2024, back 6 Jan 2025, leaves again 30 Jun 2025
    -> two leavings (the year-on-year check counts both); one leaver of 911 in 2025,
       followed from the last: not seen again
The old counting (one row per post that ended) gave 911 nine leaver rows for six people
and five moves to 912 (P twice, R twice, S); now four leavers (five leavings) and two
moves (P, R): T kept the post at 912 it already held.
"""
MP_KEY = bytes(range(90, 122))
MP = ["911", "912"]
COLS = ["in", "out", "net"]


@pytest.fixture(scope="module")
def mp_pool():
    return pool_returns(MULTIPOST, MP_KEY)


@pytest.fixture(scope="module")
def mp_names():
    return {person_key(f"SW9100{i:02d}", MP_KEY): "PQRSTUWVX"[i - 1] for i in range(1, 10)}


@pytest.fixture(scope="module")
def mp_moves(mp_pool, mp_names):
    m = mv.leaver_moves(mp_pool.workers)
    return m.assign(who=m["person"].map(mp_names))


def test_a_leaver_is_a_person_who_holds_no_post_at_the_council(mp_moves):
    got = sorted(
        (r.who, r.from_council, r.year, f"{r.left:%Y-%m-%d}", r.outcome,
         r.to_council if pd.notna(r.to_council) else "")
        for r in mp_moves.itertuples()
    )  # fmt: skip
    assert got == [
        ("P", "911", 2025, "2025-04-30", mv.TO_PERMANENT_OTHER, "912"),  # later end date
        ("R", "911", 2025, "2025-03-31", mv.TO_AGENCY_OTHER, "912"),  # two posts, one day
        ("T", "911", 2025, "2025-01-31", mv.SECOND_JOB, "912"),  # kept post at 912
        ("W", "911", 2025, "2025-06-30", mv.NOT_SEEN, ""),  # W's last leaving of the year
    ]  # Q, S and X left one post of two and kept the other: not leavers
    p = mp_moves[mp_moves["who"] == "P"].iloc[0]
    assert p["reason_leave"] == 1  # the post that ended last (the first said 8, other)
    t = mp_moves[mp_moves["who"] == "T"].iloc[0]
    assert t["to_begins"] == pd.Timestamp("2024-11-01")


def test_leavings_and_joinings_by_hand(mp_pool, mp_names):
    s = mv.spells(mp_pool.workers)
    lv = mv.leavings(s).assign(who=lambda d: d["person"].map(mp_names))
    assert sorted(zip(lv["who"], lv["left"].dt.strftime("%Y-%m-%d"), lv["posts"], strict=True)) == [
        ("P", "2025-04-30", 1), ("R", "2025-03-31", 2), ("T", "2025-01-31", 1),
        ("W", "2024-11-30", 1), ("W", "2025-06-30", 1),
    ]  # fmt: skip
    jn = mv.joinings(s).assign(who=lambda d: d["person"].map(mp_names))
    recent = jn[jn["joined"] > pd.Timestamp("2024-09-30")]
    assert sorted(zip(recent["who"], recent["council"], recent["joined"].dt.strftime("%Y-%m-%d"),
                      strict=True)) == [
        ("P", "912", "2025-06-02"), ("S", "912", "2025-02-03"), ("T", "912", "2024-11-01"),
        ("U", "911", "2025-01-06"), ("W", "911", "2025-01-06"),
    ]  # U's second post (1 Apr 2025) is not a joining  # fmt: skip


def test_tables_count_people_not_posts(mp_pool, mp_moves, mp_names):
    m = mv.movement_matrix(mp_moves, 2025, MP)
    assert m.values.tolist() == [[0, 2], [0, 0]]  # P, R (T kept 912: a second job)
    assert mv.movement_matrix(mp_moves, 2024, MP).values.tolist() == [[0, 0], [0, 0]]
    f = mv.net_flows(mp_moves, MP, [2025]).set_index("council")
    assert f.loc["911", COLS].tolist() == [0, 2, -2] and f.loc["912", COLS].tolist() == [2, 0, 2]
    c = mv.conversions(mp_pool.workers)
    assert [(mp_names[r.person], r.agency_council, r.to_council, f"{r.started:%Y-%m-%d}")
            for r in c.itertuples()] == [("U", "912", "911", "2025-01-06")]  # fmt: skip
    a = mv.agency_flows(mp_moves, c, MP, [2025]).set_index("council")
    assert a.loc["911", ["to_agency", "from_agency"]].tolist() == [
        1,
        1,
    ]  # R to agency; U from agency (old: 2 and 2)
    assert a.loc["912", ["to_agency", "from_agency"]].tolist() == [0, 0]


def test_a_person_in_a_cell_twice_counts_once():
    moves = pd.DataFrame(
        {"person": ["a", "a", "b"], "from_council": ["1", "1", "1"], "to_council": ["2"] * 3,
         "year": [2025] * 3, "outcome": [mv.TO_PERMANENT_OTHER, mv.TO_AGENCY_OTHER,
                                         mv.TO_PERMANENT_OTHER]}
    )  # a left council 1 twice in the year, for council 2 both times  # fmt: skip
    assert mv.movement_matrix(moves, 2025, ["1", "2"]).values.tolist() == [[0, 2], [0, 0]]
    f = mv.net_flows(moves, ["1", "2"], [2025]).set_index("council")
    assert f.loc["2", COLS].tolist() == [2, 0, 2]
    a = mv.agency_flows(moves, moves.iloc[:0].assign(to_council=[]), ["1", "2"], [2025])
    assert a.set_index("council").loc["1", "to_agency"] == 1


def test_a_next_spell_on_the_leaving_day_permanent_first():
    """p leaves 101 on 31 Jan 2025 and, the same day, starts agency work at 102 and a
    permanent post at 103: a permanent post comes first. q leaves 101 on 31 Mar 2025 and
    starts agency work at 102 that day."""
    recs = [  # council, person, agency, start, end
        ("101", "p", False, "2019-01-01", "2025-01-31"),
        ("102", "p", True, "2025-01-31", None),
        ("103", "p", False, "2025-01-31", None),
        ("101", "q", False, "2018-01-01", "2025-03-31"),
        ("102", "q", True, "2025-03-31", None),
    ]
    w = pd.DataFrame(recs, columns=["council", "person", "agency", "start_date", "end_date"])
    w = w.assign(
        year=2025, reference_date=pd.Timestamp("2025-09-30"),
        start_date=pd.to_datetime(w["start_date"]), end_date=pd.to_datetime(w["end_date"]),
        reason_leave=pd.array([1, pd.NA, pd.NA, 1, pd.NA], "Int64"),
    )  # fmt: skip
    m = mv.leaver_moves(w).set_index("person")
    assert (m.at["p", "outcome"], m.at["p", "to_council"]) == (mv.TO_PERMANENT_OTHER, "103")
    assert (m.at["q", "outcome"], m.at["q", "to_council"]) == (mv.TO_AGENCY_OTHER, "102")
