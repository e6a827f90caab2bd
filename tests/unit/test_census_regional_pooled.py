"""Moves between member councils over two years pooled (:func:`workforce_lib.records.
census.regional.regional_tables`' ``pooled_matrix``): fixed pairs of census years, each
pooled cell the two years' cells added up, protected beside both years' tables, the
years' tables the same with or without it, and the same in every pool that shows it."""

import pytest

from tests import census_returns as cr
from tests.audit import engine_calls, narrow
from workforce_lib.records import sdc
from workforce_lib.records.census import membership as ms
from workforce_lib.records.census import regional
from workforce_lib.records.census.demo import generate_region
from workforce_lib.records.census.pool import pool_returns
from workforce_lib.records.census.regional import period_of, regional_tables

REGION = frozenset(f"90{i}" for i in range(1, 7))
REGISTRY = ms.Registry(
    {"region": REGION, "north": frozenset({"901", "902", "903"}), "one": frozenset({"904"})},
    "the test's registry",
)
PAIR = "2023 and 2024"


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    """The demo's 6 councils as 901-906 over 2022-2025 (seed 11)."""
    d = tmp_path_factory.mktemp("pooled")
    generate_region(d / "demo", councils=6, years=4, seed=11, size=300)
    cr.recoded(sorted((d / "demo").glob("*.xml")), d / "region", "0", "9")
    p = pool_returns(d / "region", bytes(range(32)))
    assert p.years == [2022, 2023, 2024, 2025]
    return p


def _years(pool, years):
    return cr.pool([r for r in pool.returns if r.year in years])


def _numbers(df) -> dict:
    """{(row label, column): int or "c"} of a shown table."""
    out = {}
    for _, row in df.iterrows():
        for col in df.columns[1:]:
            text = str(row[col]).replace(",", "").lstrip("+")
            out[(row.iloc[0], col)] = int(text) if text.lstrip("-").isdigit() else text
    return out


def test_pairs_are_fixed_and_never_overlap():
    assert [period_of(y) for y in (2021, 2022, 2023, 2024)] == [
        (2021, 2022), (2021, 2022), (2023, 2024), (2023, 2024)]  # fmt: skip


def test_a_pooled_cell_is_the_two_years_cells_added_up(whole):
    truth = regional_tables(_years(whole, [2023, 2024, 2025]), 1, registry=REGISTRY)
    assert list(truth.pooled_matrix) == [PAIR]
    pooled = _numbers(truth.pooled_matrix[PAIR])
    y23, y24 = _numbers(truth.movement_matrix[2023]), _numbers(truth.movement_matrix[2024])
    assert pooled == {k: y23[k] + y24[k] for k in pooled}
    assert pooled[("Total", "Total")] > 20  # the demo moves people between its councils
    flows = _numbers(truth.pooled_net_flows[PAIR])
    assert flows[("901", "Net")] == pooled[("Total", "901")] - pooled[("901", "Total")]


def test_the_pair_is_shown_once_both_years_leavers_are_followed(whole):
    t = regional_tables(_years(whole, [2023, 2024]), 5, registry=REGISTRY)
    assert t.pooled_matrix == {} and t.to_json()["pooled_movement_matrix"] == {}
    (line,) = t.withheld_lines("pooled_matrix")
    assert "fixed pairs (2023 and 2024" in line and "never overlapping" in line
    t = regional_tables(_years(whole, [2023, 2024, 2025]), 5, registry=REGISTRY)
    assert list(t.to_json()["pooled_movement_matrix"]) == ["2023-2024"]
    assert t.withheld_lines("pooled_matrix") == []
    # 2022's leavers are followed, but 2021 is not pooled: the pair 2021-2022 is not shown
    assert list(regional_tables(whole, 5, registry=REGISTRY).pooled_matrix) == [PAIR]


def test_the_pooled_table_is_the_same_in_every_pool_that_shows_it(whole):
    later = regional_tables(_years(whole, [2023, 2024, 2025]), 5, registry=REGISTRY)
    earlier = regional_tables(whole, 5, registry=REGISTRY)
    for kind in ("pooled_matrix", "pooled_net_flows"):
        assert getattr(later, kind)[PAIR].equals(getattr(earlier, kind)[PAIR])
    for y in (2023, 2024):  # and the years' own tables with it
        assert later.movement_matrix[y].equals(earlier.movement_matrix[y])
    shown = _numbers(later.pooled_matrix[PAIR])
    assert sum(v != "c" for v in shown.values()) > 10  # something to compare


@pytest.fixture(scope="module")
def captured(whole):
    """The pooled problem as the engine saw it: cells, lines, hidden cells."""
    with engine_calls(regional.sdc) as got:
        regional_tables(_years(whole, [2023, 2024, 2025]), 5, registry=REGISTRY)
    (problem,) = [p for p in got if any(k[0] == "p" for k in p[0])]  # not the people's
    return problem


def test_the_attacker_narrows_no_hidden_figure_of_both_years_and_the_pair(captured):
    values, lines, hidden = captured
    assert {k[0] for k in values} >= {2023, 2024, "p"}  # both years' tables and the pair
    pooled = {k for k in values if k[0] == "p"}
    assert pooled - hidden and pooled & hidden
    assert narrow(values, lines, set(values) - hidden) == {}


def test_the_attack_finds_what_a_pair_protected_alone_would_give_away(captured):
    """The same tables with the pair hidden only where its own cells are 1 to 4: the
    attacker narrows hidden figures of the years (the test above can fail)."""
    values, lines, hidden = captured
    naive = (hidden - {k for k in values if k[0] == "p"}) | sdc.primary(
        {k: v for k, v in values.items() if k[0] == "p"}, 5)  # fmt: skip
    assert narrow(values, lines, set(values) - naive)


def test_beside_a_registered_group_inside_no_pooled_move_differs_by_1_to_4(tmp_path):
    """The region's pooled moves and those of each registered group inside it: where a
    cell differs between the two by 1 to 4 people (leavers who passed through a council
    of the region outside the group first), one of them is hidden. Seed 1's region has
    such a cell (903 to 902: 5 in the region, 6 in the north's pool)."""
    generate_region(tmp_path / "demo", councils=6, years=3, seed=1, size=300)
    cr.recoded(sorted((tmp_path / "demo").glob("*.xml")), tmp_path / "region", "0", "9")
    pool = pool_returns(tmp_path / "region", bytes(range(32)))

    def moves(members, threshold):
        t = regional_tables(cr.pool([r for r in pool.returns if r.council in members]),
                            threshold, registry=REGISTRY)  # fmt: skip
        assert t.membership.shown
        return _numbers(t.pooled_matrix[PAIR])

    truth, shown = moves(REGION, 1), moves(REGION, 5)
    differ, bad = [], []
    for name in ("north", "one"):
        theirs_truth, theirs = moves(REGISTRY.groups[name], 1), moves(REGISTRY.groups[name], 5)
        for cell, v in theirs_truth.items():
            if cell in truth and 0 < abs(v - truth[cell]) < 5:
                differ.append(cell)
                if "c" not in (shown[cell], theirs[cell]):
                    bad.append((name, cell, truth[cell], v))
    assert ("903", "902") in differ
    assert bad == []


def test_threshold_6_hides_every_pooled_figure_5_hides(whole):
    pool = _years(whole, [2023, 2024, 2025])

    def hidden(t):
        return {k for k, v in _numbers(t.pooled_matrix[PAIR]).items() if v == "c"}

    at5 = hidden(regional_tables(pool, 5, registry=REGISTRY))
    at6 = hidden(regional_tables(pool, 6, registry=REGISTRY))
    assert at5 and at5 <= at6


def test_a_pool_larger_than_a_region_has_no_two_year_tables(whole, monkeypatch):
    monkeypatch.setattr(regional, "PERIOD_MAX_COUNCILS", 5)  # the 6 councils: too many
    t = regional_tables(_years(whole, [2023, 2024, 2025]), 5, registry=REGISTRY)
    assert t.pooled_matrix == {} and t.movement_matrix  # the years' tables still shown
    (line,) = t.withheld_lines("pooled_matrix")
    assert line.startswith("Not made for a pool of more than 5 councils")
