"""The independent interval attacker (``tests/audit.py``) on ``workforce census
summary``: every figure it shows of a council's returns, pooled.

What a reader knows: each table's parts add up to its "All"; a figure counting the same
people as another (the trend's leavers and the leaver tables' "All", the year-on-year
check's counts and the trend's) is one figure, shown if shown anywhere; and in post now
= in post a year before + starters - leavers (the year-on-year check says so). Truth:
the same summary with disclosure control off. A hidden count of 1 to 4 must not be
pinned narrower than the threshold, nor unable to reach it; no other hidden figure
other than 0 may be known exactly.

On main, a return with 4 (or 1) leavers and no starters shows the leavers' total
hidden, but the starters' table shows its "All" (0) and the trend shows in post both
years: 30 + 0 - 26 gives the 4 leavers exactly.
"""

from pathlib import Path

import pandas as pd
import pytest

from tests import census_returns as cr
from tests.audit import intervals, pinned
from workforce_lib.records.census import summary
from workforce_lib.records.census.records import CensusReturn


def _linked(year: int, in_post: int, leavers: int, starters: int = 0) -> CensusReturn:
    """A return whose leavers were in post a year before (the same person ids) and
    whose starters began in the year."""
    w = cr.workers("901", year, in_post=in_post + starters, leavers=leavers)
    left = w["end_date"].notna()
    first = in_post + starters
    w.loc[left, "person"] = [f"901-in-{i}" for i in range(first, first + leavers)]
    new = w.index[in_post:first]
    w.loc[new, "start_date"] = pd.Timestamp(year, 3, 1)
    w.loc[new, "person"] = [f"901-new{year}-{i}" for i in range(len(new))]
    return CensusReturn("901", year, pd.Timestamp(year, 9, 30), Path(f"901_{year}.xml"), w,
                        {"vacancies_fte": 3.0, "agency_cover_fte": 0.0})  # fmt: skip


def _observe(returns, t=5):
    d5 = summary.summarise(returns, t).to_json()
    d1 = summary.summarise(returns, 1).to_json()
    year = d5["year"]
    # one key for one quantity: the check's and the tables' counts are the trend's
    alias = {("leavers_by_reason", "All"): ("leavers", year),
             ("leavers_by_destination", "All"): ("leavers", year),
             ("starters_by_origin", "All"): ("starters", year),
             ("age", "All"): ("inpost", year)}  # fmt: skip
    for y in d5["years"]:
        alias.update({("flow", "starters", y): ("starters", y),
                      ("flow", "leavers", y): ("leavers", y),
                      ("flow", "inpost_now", y): ("inpost", y),
                      ("flow", "inpost_before", y): ("inpost", y - 1)})  # fmt: skip
    values: dict = {}
    shown: set = set()
    lines: list = []

    def put(key, true, seen):
        v = int(round(float(true)))
        if key in alias and values.get(alias[key], v) == v:
            key = alias[key]
        values[key] = v
        if seen is not None:
            shown.add(key)
        return key

    for a, b in zip(d5["trend"], d1["trend"]):
        for kind in ("inpost", "starters", "leavers", "agency"):
            put((kind, a["year"]), b[f"{kind}_headcount"], a[f"{kind}_headcount"])
    for a, b in zip(d5["flow_checks"], d1["flow_checks"]):
        y = a["year"]
        k = {n: put(("flow", n, y), b[n], a[n])
             for n in ("inpost_before", "starters", "leavers", "inpost_now")}  # fmt: skip
        values[("x", y)] = values[k["inpost_before"]] + values[k["starters"]]
        lines += [([k["inpost_before"], k["starters"]], ("x", y)),
                  ([k["inpost_now"], k["leavers"]], ("x", y))]  # fmt: skip
    for name in d5["tables"]:
        keys = [put((name, a["group"]), b["people"], a["people"])
                for a, b in zip(d5["tables"][name], d1["tables"][name])]  # fmt: skip
        lines.append((keys[:-1], keys[-1]))
    return values, lines, shown


def _pinned(returns, t=5):
    return pinned(*_observe(returns, t), t, skip=("x",))


@pytest.mark.parametrize("leavers, starters", [(4, 0), (1, 0), (4, 6), (2, 3)])
def test_few_leavers_are_not_given_by_starters_and_in_post(leavers, starters):
    returns = [_linked(2024, 30, 0), _linked(2025, 30 - leavers, leavers, starters)]
    assert _pinned(returns) == {}


def test_the_attack_pins_the_leavers_when_the_starters_are_shown():
    # not blind: with every starter figure shown, the 4 leavers come out exactly
    returns = [_linked(2024, 30, 0), _linked(2025, 26, 4, 0)]
    values, lines, shown = _observe(returns)
    shown |= {k for k in values if k[0] in ("starters", "starters_by_origin")}
    assert intervals(values, lines, shown)[("leavers", 2025)] == (4.0, 4.0)
