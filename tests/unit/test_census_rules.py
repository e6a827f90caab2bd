"""The national agency rules on the hand-written 3-council fixture (see
test_census_movements.py for the people A to L). By hand:

B agency at 902 from 1 Aug 2024, left 901 on 30 Jun 2024: within 3 months (to 30 Sep),
  but before the rules came into force (31 Oct 2024)
C agency at 901 from 1 Feb 2025, left 901 on 31 Dec 2024: within (to 31 Mar 2025)
D agency at 901 from 1 Mar 2024: no post left before
E agency at 902 from 14 Apr 2025, left 901 on 31 Mar 2025 by compulsory redundancy: exempt
H agency at 902 from 22 Jul 2024 (10 contract weeks): no post left before
I agency at 903 from 1 Jul 2025, left 902 on 28 Feb 2025: after 28 May, clear
K agency at 903, no start date: cannot be checked

Experience: C began at 901 as newly qualified on 1 Sep 2020: at least 3 years at 1 Feb
2025. I began at 902 as newly qualified on 2 Oct 2023 and was in ASYE on 30 Sep 2024:
under 3 years at 1 Jul 2025. Everyone else: not known.
"""

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib.records.census import rules
from workforce_lib.records.census.pool import pool_returns
from workforce_lib.records.census.records import person_key

KEY = bytes(range(2, 34))
COUNCILS = ["901", "902", "903"]


@pytest.fixture(scope="module")
def eng():
    pool = pool_returns(FIXTURES / "census" / "region", KEY)
    names = {person_key(f"SW9000{i:02d}", KEY): "ABCDEFGHIJKL"[i - 1] for i in range(1, 13)}
    e = rules.engagements(pool.workers)
    return e.assign(who=e["person"].map(names)).set_index("who")


def test_cooling_off_status_of_each_engagement(eng):
    assert eng["cooling_off"].to_dict() == {
        "B": rules.WITHIN,
        "C": rules.WITHIN,
        "D": rules.CLEAR,
        "E": rules.EXEMPT,
        "H": rules.CLEAR,
        "I": rules.CLEAR,
        "K": rules.START_UNKNOWN,
    }
    assert eng["in_force"].to_dict() == {
        "B": False, "C": True, "D": False, "E": True, "H": False, "I": True, "K": False
    }  # fmt: skip
    assert eng.at["B", "left_council"] == "901"
    assert eng.at["B", "left"] == pd.Timestamp("2024-06-30")
    assert eng.at["E", "reason_leave"] == 3


def test_cooling_off_counts_per_council_and_year(eng):
    t = rules.cooling_off_counts(eng.reset_index(), COUNCILS, [2024, 2025])
    got = t.set_index(["council", "year"]).to_dict("index")
    zero = dict(engagements=0, within=0, exempt=0, before_rules=0, start_unknown=0)
    assert got == {
        ("901", 2024): {**zero, "engagements": 1},
        ("901", 2025): {**zero, "engagements": 1, "within": 1},
        ("902", 2024): {**zero, "engagements": 2, "before_rules": 1},
        ("902", 2025): {**zero, "engagements": 1, "exempt": 1},
        ("903", 2024): {**zero, "engagements": 1, "start_unknown": 1},
        ("903", 2025): {**zero, "engagements": 1},
    }


def test_post_qualifying_experience(eng):
    assert eng["pqe"].to_dict() == {
        "B": rules.PQE_UNKNOWN,
        "C": rules.PQE_AT_LEAST,
        "D": rules.PQE_UNKNOWN,
        "E": rules.PQE_UNKNOWN,
        "H": rules.PQE_UNKNOWN,
        "I": rules.PQE_UNDER,
        "K": rules.PQE_UNKNOWN,
    }
    assert eng.at["I", "pqe_evidence"] == "newly qualified 2023-10-02; ASYE 2024-09-30"
    t = rules.pqe_counts(eng.reset_index(), COUNCILS, 2025)
    # at 30 Sep 2025: C at 901; B, E at 902; I, K at 903
    assert t.values.tolist() == [[1, 0, 0], [0, 0, 2], [0, 1, 1]]


def test_cooling_off_period_is_three_calendar_months():
    assert rules.cooling_off_ends(pd.Timestamp("2025-03-31")) == pd.Timestamp("2025-06-30")
    assert rules.cooling_off_ends(pd.Timestamp("2024-06-30")) == pd.Timestamp("2024-09-30")


def test_planted_cooling_off_breaches_recovered_exactly(tmp_path):
    from workforce_lib.records.census.demo import generate_region

    generate_region(tmp_path / "r", councils=8, years=4, seed=9, size=120,
                    truth=tmp_path / "t.csv")  # fmt: skip
    key = bytes(range(3, 35))
    truth = pd.read_csv(tmp_path / "t.csv", dtype=str)
    truth["person"] = truth["swe_number"].map(lambda s: person_key(s, key))
    e = rules.engagements(pool_returns(tmp_path / "r", key).workers)
    quick = truth[(truth["kind"] == "permanent_to_agency") & (truth["gap_days"].astype(int) <= 80)]
    breach = truth[truth["cooling_off_breach"] == "True"]
    assert len(breach) >= 4
    within = e[e["cooling_off"] == rules.WITHIN]
    assert sorted(zip(within["person"], within["council"], strict=True)) == sorted(
        zip(breach["person"], breach["to_council"], strict=True)
    )
    exempt = e[e["cooling_off"] == rules.EXEMPT]
    redundant = quick[quick["redundancy"] == "True"]
    assert len(redundant) == 1  # seed 9 plants one quick return after a redundancy
    assert sorted(zip(exempt["person"], exempt["council"], strict=True)) == sorted(
        zip(redundant["person"], redundant["to_council"], strict=True)
    )


def test_keeping_another_post_at_the_council_is_not_leaving_it():
    """Q (tests/fixtures/census/multipost) holds two posts at 911, leaves one on 28 Feb 2025
    and keeps the other. Give Q an agency engagement at 912 from 1 Apr 2025, within 3 months
    of that end date: Q has not left 911, so the engagement is clear (one row per post
    ended made it 'within'). R left both posts at 911 on 31 Mar 2025 by redundancy: the
    agency engagement at 912 from 1 May 2025 stays exempt, counted once."""
    key = bytes(range(90, 122))
    pool = pool_returns(FIXTURES / "census" / "multipost", key)
    w = pool.workers
    q, r = person_key("SW910002", key), person_key("SW910003", key)
    template = w[(w["person"] == r) & w["agency"] & (w["council"] == "912")].iloc[[-1]]
    added = template.assign(person=q, start_date=pd.Timestamp("2025-04-01"))
    e = rules.engagements(pd.concat([w, added], ignore_index=True))
    assert e.loc[e["person"] == q, "cooling_off"].tolist() == [rules.CLEAR]
    assert e.loc[e["person"] == r, "cooling_off"].tolist() == [rules.EXEMPT]
