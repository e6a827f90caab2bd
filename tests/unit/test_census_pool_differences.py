"""A region's tables for two different sets of member councils, set side by side: no
shown figure may differ from the same figure in the other output by 1 to 4 people (the
difference would be a count of people the tables hide, e.g. the moves from one council
to the council left out)."""

from itertools import combinations

import pytest

from tests import census_returns as cr
from workforce_lib.records.census.demo import generate_region
from workforce_lib.records.census.pool import pool_returns
from workforce_lib.records.census.regional import regional_tables

#: the tables whose figures depend on which councils are members
TABLES = ("movement_matrix", "leaver_outcomes", "agency_flows", "cooling_off")


def _figures(t) -> dict:
    """Every shown whole count: {(table, year, row label, column): value}."""
    out = {}
    for kind in TABLES:
        for y, df in getattr(t, kind).items():
            for _, row in df.iterrows():
                for col in df.columns[1:]:
                    text = str(row[col]).replace(",", "")
                    if text.isdigit():
                        out[(kind, y, row.iloc[0], col)] = int(text)
    return out


def _differences(pool, threshold=5, leave_out=(1, 2)) -> tuple[int, list]:
    """Compare the whole region's figures with those of every pool leaving out 1 or 2
    councils: (cells compared, the differences of 1 to threshold - 1)."""
    full = _figures(regional_tables(pool, threshold))
    compared, bad = 0, []
    for k in leave_out:
        for gone in combinations(pool.councils, k):
            sub = cr.pool([r for r in pool.returns if r.council not in gone])
            part = _figures(regional_tables(sub, threshold))
            for cell, v in part.items():
                if cell in full:
                    compared += 1
                    if 0 < abs(full[cell] - v) < threshold:
                        bad.append((gone, cell, full[cell], v))
    return compared, bad


@pytest.fixture(scope="module")
def demo_pool(tmp_path_factory):
    d = tmp_path_factory.mktemp("region")
    generate_region(d, councils=6, years=2, seed=2025, size=300)
    return pool_returns(d, bytes(range(32)))


def test_no_figure_differs_by_1_to_4_between_pools_of_different_councils(demo_pool):
    compared, bad = _differences(demo_pool)
    assert compared > 200  # the comparison is not empty
    assert bad == []


def test_threshold_6_hides_every_figure_5_hides_on_the_demo_region(demo_pool):
    def hidden(t):
        return {
            (kind, y, i, col)
            for kind in TABLES
            for y, df in getattr(t, kind).items()
            for i, row in df.iterrows()
            for col in df.columns[1:]
            if row[col] == "c"
        }

    at5, at6 = hidden(regional_tables(demo_pool, 5)), hidden(regional_tables(demo_pool, 6))
    assert at5 and at5 <= at6
