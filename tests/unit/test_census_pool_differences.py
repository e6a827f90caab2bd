"""A region's tables beside those of the other pools that can be made of its councils.

Figures that depend on which councils are members (moves between them, leavers' next
step, agency flows, cooling-off, experience) differ between two pools by the people who
passed through a council in one and not the other. They are shown only for a pool that
is one registered group (:mod:`workforce_lib.records.census.membership`), so: a pool of
any other set of the councils shows none of them, and beside the pool of a registered
group inside the region no shown figure differs from the same figure by 1 to 4 people
(the difference would be a count of people the tables hide)."""

from itertools import combinations

import pytest

from tests import census_returns as cr
from workforce_lib.records.census import membership as ms
from workforce_lib.records.census import regional
from workforce_lib.records.census.demo import generate_region
from workforce_lib.records.census.pool import pool_returns
from workforce_lib.records.census.regional import regional_tables

#: the tables whose figures depend on which councils are members
TABLES = ("movement_matrix", "leaver_outcomes", "agency_flows", "cooling_off", "net_flows",
          "possible_unlinked")  # fmt: skip
REGION = frozenset(f"90{i}" for i in range(1, 7))
#: the region, a group of three of its councils inside it, and one council on its own
REGISTRY = ms.Registry(
    {"region": REGION, "north": frozenset({"901", "902", "903"}), "one": frozenset({"904"})},
    "the test's registry",
)


def _figures(t) -> dict:
    """Every shown whole count: {(table, year, row label, column): value}."""
    out = {}
    for kind in TABLES:
        for y, df in getattr(t, kind).items():
            for _, row in df.iterrows():
                for col in df.columns[1:]:
                    text = str(row[col]).replace(",", "").lstrip("+")
                    if text.lstrip("-").isdigit():
                        out[(kind, y, row.iloc[0], col)] = int(text)
    if t.experience is not None:
        for _, row in t.experience.iterrows():
            for col in t.experience.columns[1:]:
                if str(row[col]).replace(",", "").isdigit():
                    n = int(str(row[col]).replace(",", ""))
                    out[("experience", t.years[-1], row.iloc[0], col)] = n
    return out


def _sub(pool, members):
    return cr.pool([r for r in pool.returns if r.council in members])


def _differences(pool, registry, threshold=5) -> tuple[int, list]:
    """The region's figures beside each registered group's inside it: (cells compared,
    the differences of 1 to threshold - 1)."""
    full = _figures(regional_tables(pool, threshold, registry=registry))
    compared, bad = 0, []
    for name in ("north", "one"):
        part = _figures(regional_tables(_sub(pool, REGISTRY.groups[name]), threshold,
                                        registry=registry))  # fmt: skip
        assert part, name  # the group's own pool shows its figures
        for cell, v in part.items():
            if cell in full:
                compared += 1
                if 0 < abs(full[cell] - v) < threshold:
                    bad.append((name, cell, full[cell], v))
    return compared, bad


@pytest.fixture(scope="module")
def demo_pool(tmp_path_factory):
    """The demo's 6 councils (seed 2025, 2 years) as councils 901-906 (no council's LA
    number, and not fictional: only the registry makes them a group)."""
    d = tmp_path_factory.mktemp("region")
    generate_region(d / "demo", councils=6, years=2, seed=2025, size=300)
    cr.recoded(sorted((d / "demo").glob("*.xml")), d / "region", "0", "9")
    return pool_returns(d / "region", bytes(range(32)))


def test_pools_of_other_sets_of_the_councils_show_no_figure_that_depends_on_them(demo_pool):
    shown = regional_tables(demo_pool, 5, registry=REGISTRY)
    assert shown.membership.shown and shown.membership.group == "region"
    assert _figures(shown)
    for k in (1, 2):
        for gone in combinations(demo_pool.councils, k):
            members = REGION - set(gone)
            t = regional_tables(_sub(demo_pool, members), 5, registry=REGISTRY)
            if members == REGISTRY.groups["north"]:  # never: 3 councils
                continue
            assert not t.membership.shown, gone
            assert _figures(t) == {}, gone
            assert "not one registered group" in t.withheld_lines()[0]


def test_no_figure_differs_by_1_to_4_from_a_registered_group_inside_the_region(demo_pool):
    compared, bad = _differences(demo_pool, REGISTRY)
    assert compared > 30  # the comparison is not empty (40 figures)
    assert bad == []


def test_the_comparison_finds_the_differences_the_region_hides(demo_pool, monkeypatch):
    """Without what the region hides beside its registered groups (nothing varies between
    them, and their tables are not set beside the region's), the same comparison finds
    differences of 1 to 4: the test above can fail."""
    monkeypatch.setattr(ms.Membership, "varies", lambda self, home, others: False)
    monkeypatch.setattr(regional, "_inner_exports", lambda *a, **k: {})
    _, bad = _differences(demo_pool, REGISTRY)
    assert bad


def test_a_member_return_missing_shows_no_figure_that_depends_on_members(demo_pool):
    returns = [r for r in demo_pool.returns if (r.council, r.year) != ("903", 2024)]
    t = regional_tables(cr.pool(returns), 5, registry=REGISTRY)
    assert not t.membership.shown and t.membership.group == "region"
    assert "903 2024" in t.withheld_lines()[0]
    assert _figures(t) == {} and t.characteristics  # the region's own people are shown


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

    at5 = hidden(regional_tables(demo_pool, 5, registry=REGISTRY))
    at6 = hidden(regional_tables(demo_pool, 6, registry=REGISTRY))
    assert at5 and at5 <= at6


def test_no_figure_differs_by_1_to_4_between_pools_of_other_years(tmp_path):
    """The same registered councils pooled over 2023-2025, 2023-2024 (last year's report)
    and 2024-2025 (a pool beginning later): a year's figures are shown only when every
    return they read is pooled, so a figure two pools both show is the same (experience
    is hidden wherever a pool beginning later would see it differently by 1 to 4)."""
    generate_region(tmp_path / "demo", councils=6, years=3, seed=7, size=300)
    cr.recoded(sorted((tmp_path / "demo").glob("*.xml")), tmp_path / "region", "0", "9")
    whole = pool_returns(tmp_path / "region", bytes(range(32)))
    assert whole.years == [2023, 2024, 2025]
    full = _figures(regional_tables(whole, 5, registry=REGISTRY))
    compared, bad = 0, []
    for years in ([2023, 2024], [2024, 2025]):
        part = cr.pool([r for r in whole.returns if r.year in years])
        figures = _figures(regional_tables(part, 5, registry=REGISTRY))
        assert figures, years
        for cell, v in figures.items():
            if cell in full:
                compared += 1
                if 0 < abs(full[cell] - v) < 5:
                    bad.append((years, cell, full[cell], v))
    assert compared > 30
    assert bad == []
