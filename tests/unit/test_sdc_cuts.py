"""The engine's cuts (:func:`workforce_lib.records.sdc.audit.cuts`): each is broken by
the hidden cells it was made from and kept by every choice of hidden cells that protects
its cell, and with them the engine settles problems where hiding "one more shown
neighbour" of a failing group went round in circles until the fallback hid wholesale."""

import importlib

import numpy as np
import pytest

from tests.audit import random_table
from workforce_lib.records.sdc.audit import audit, cuts

sec = importlib.import_module("workforce_lib.records.sdc.secondary")


def _lhs(coef: dict, hidden: set) -> float:
    return sum(v for c, v in coef.items() if c in hidden)


@pytest.mark.parametrize("seed", range(10))
def test_a_cut_is_broken_where_made_and_kept_wherever_its_cell_is_protected(seed):
    rng = np.random.default_rng(seed)
    values, lines = random_table(rng, int(rng.integers(3, 6)), int(rng.integers(3, 6)))
    cells = sorted(values, key=str)
    small = [c for c in cells if 0 < values[c] < 5]
    hidden = set(small) | {c for c in cells if rng.random() < 0.2}
    bad = audit(values, lines, hidden, 5)
    if not bad:
        pytest.skip("this draw hides safely at once")
    made = []
    from workforce_lib.records.sdc.relations import components

    for group in components(lines, hidden):
        failing = [c for c in group if c in bad]
        if failing:
            made += cuts(values, lines, hidden, group, failing, 5)
    assert {x for _, _, x in made} == set(bad)
    for coef, need, _ in made:  # the choice it was made from breaks it
        assert _lhs(coef, hidden) < need - 1e-6
    checked = 0
    for k in range(80):  # any other choice that protects the cell keeps it: more hidden,
        # or cells hidden to protect others shown again (the MILP may do either)
        grown = hidden | {c for c in cells if rng.random() < 0.35}
        other = grown if k % 2 else set(small) | {c for c in grown if rng.random() < 0.6}
        fails = audit(values, lines, other, 5)
        for coef, need, x in made:
            if x in other and x not in fails:
                assert _lhs(coef, other) >= need - 1e-6, (x, need)
                checked += 1
    assert checked > 0


def _region_leavers(tmp_path, seed: int):
    """A demo region's pooled leavers (11 councils x 3 years x ~200 staff)."""
    from workforce_lib.records.census import movements as mv
    from workforce_lib.records.census.demo import generate_region
    from workforce_lib.records.census.pool import pool_returns

    generate_region(tmp_path, councils=11, years=3, seed=seed, size=200)
    pool = pool_returns(tmp_path, bytes(range(32)))
    w = pool.linkable_workers
    s = mv.spells(w)
    moves = mv.leaver_moves(w, s)
    unlinked = mv.possible_unlinked_moves(w, moves, s)
    return pool, moves, mv.unlinked_counts(unlinked, pool.councils, pool.years)


def test_the_leaver_problems_settle_without_the_fallback(tmp_path, monkeypatch):
    # without the membership rule's forced cells (as under a fixed membership), hiding
    # one more neighbour of a failing group did not pass the audit in 25 rounds, even in
    # 150, for 6 of the leaver problems of seeds 2025 and 1; the fallback then hid the
    # neighbours wholesale (council cells of 5 or more shown: 29%)
    from workforce_lib.records.census import regional

    fell_back = []
    widen = sec._widen
    monkeypatch.setattr(sec, "_widen", lambda *a, **k: fell_back.append(1) or widen(*a, **k))
    pool, moves, unlinked_n = _region_leavers(tmp_path, 1)
    big = shown = 0
    for y in pool.years:
        for full, mask in regional._leaver_tables(moves, y, pool.councils, 5, None, unlinked_n):
            part = full.drop(index=regional.TOTAL, errors="ignore")
            cells = part.to_numpy() >= 5
            big += int(cells.sum())
            shown += int((cells & ~mask.loc[part.index].to_numpy()).sum())
    assert fell_back == []
    assert shown >= big / 2  # 70% here; 29% when the fallback hid wholesale
