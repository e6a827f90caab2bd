"""Nested registered groups' reports side by side: the agency flows table's column of
agency workers who started a permanent post (conversions, :func:`workforce_lib.records.
census.movements.conversions`). A council's conversions in a group's pool are the agency
workers at one of the group's councils who joined it; in a region holding the group they
are those at one of the region's councils: the region's count holds the group's, so where
the two are equal they are the same people. The attacker (written from the published
tables) takes them as one where they are equal, as :mod:`tests.unit.
test_census_regional_nested` does for the leaver tables."""

import pytest

from tests import census_returns as cr
from tests.audit import pinned
from tests.unit.test_census_regional_nested import REGISTRY, TOTAL, _numbers, demo_region
from workforce_lib.records.census.regional import regional_tables

CONVERSIONS = "Agency workers who started a permanent post"
GROUPS = {"region": REGISTRY.groups["region"], "north": REGISTRY.groups["north"]}
YEARS = [2023, 2024, 2025]


def _conversions(t) -> dict:
    """{(year, row): number or "c"} of a report's conversions column."""
    out = {}
    for y, df in t.agency_flows.items():
        for (r, c), v in _numbers(df).items():
            if c == CONVERSIONS and v != "x":
                out[(y, r)] = v
    return out


@pytest.fixture(scope="module", params=[1])
def whole(request, tmp_path_factory):
    return demo_region(tmp_path_factory, request.param)


def test_conversions_beside_a_group_inside_pin_no_count_below_5(whole):
    """Review 22 met this on seed 1 (2023-2025, threshold 5): the north showed 903's
    conversions in 2025 (6) and its total (15), hiding 901's (4) and 902's (5); the
    region showed 902's (5, the north's people: equal) and hid 901's, so 901's 4 followed
    (15 - 6 - 5)."""
    values, lines, shown, truths = {}, [], set(), {}
    for name, members in GROUPS.items():
        pool = cr.pool([r for r in whole.returns if r.council in members and r.year in YEARS])
        truth, published = (
            _conversions(regional_tables(pool, t, registry=REGISTRY)) for t in (1, 5)
        )
        assert truth.keys() == published.keys()
        truths[name] = truth
        values |= {(name, *k): v for k, v in truth.items()}
        shown |= {(name, *k) for k, v in published.items() if v != "c"}
        for y in {k[0] for k in truth}:
            lines.append(([(name, y, c) for c in sorted(members)], (name, y, TOTAL)))
    links = [
        ([("region", *k)], ("north", *k))
        for k, v in truths["north"].items()
        if k[1] != TOTAL and truths["region"].get(k) == v
    ]
    assert links
    got = pinned(values, lines + links, shown)
    assert {k: x for k, x in got.items() if 0 < x[0] < 5} == {}
