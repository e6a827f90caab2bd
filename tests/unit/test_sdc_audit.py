"""The audit's intervals, computed in one HiGHS programme per group re-solved from the
last basis, are the same as the independent attacker's (``tests.audit.intervals``: a
fresh SciPy ``linprog`` for every bound), and HiGHS prints nothing of its own."""

import subprocess
import sys

import numpy as np
import pytest

from tests.audit import intervals as fresh
from tests.audit import random_table
from workforce_lib.records.sdc.audit import audit, intervals


@pytest.mark.parametrize("seed", range(12))
def test_intervals_match_a_fresh_programme_for_every_bound(seed):
    rng = np.random.default_rng(seed)
    values, lines = random_table(rng, int(rng.integers(3, 8)), int(rng.integers(3, 8)))
    cells = sorted(values, key=str)
    hidden = {c for c in cells if rng.random() < 0.45}
    got = intervals(values, lines, hidden)
    want = fresh(values, lines, set(values) - hidden)
    assert got.keys() == want.keys() == hidden
    for c in hidden:  # many bounds in one group: each from the last one's basis
        assert got[c] == pytest.approx(want[c], abs=1e-6), c


def test_a_cell_bounded_by_nothing_is_unbounded_above():
    values = {"a": 3, "b": 4, "t": 7, "x": 2}
    got = intervals(values, [(["a", "b"], "t")], {"a", "b", "t", "x"})
    assert got == {c: (0.0, float("inf")) for c in "abtx"}


def test_the_audit_finds_a_cell_pinned_narrower_than_the_threshold():
    values, lines = random_table(np.random.default_rng(0), 2, 2)
    values.update({(0, 0): 1, (0, 1): 2, (0, "T"): 3})  # a row of 1 and 2, total 3 shown
    values.update({(1, 0): 6, (1, 1): 7, (1, "T"): 13, ("T", 0): 7, ("T", 1): 9})
    values[("T", "T")] = 16
    got = audit(values, lines, {(0, 0), (0, 1), (1, 0), (1, 1)}, 5)
    assert got[(0, 0)] == (0.0, 3.0) and got[(0, 1)] == (0.0, 3.0)


def test_the_solver_prints_nothing_on_stdout():
    # highspy's Highs wrapper prints a banner when first made, before output can be
    # switched off: the audit drives HiGHS without it (a JSON on stdout stays JSON)
    code = (
        "from workforce_lib.records.sdc.audit import intervals\n"
        "print(intervals({'a': 1, 'b': 2, 't': 3}, [(['a', 'b'], 't')], {'a', 'b'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)  # fmt: skip
    assert out.stdout == "{'a': (0.0, 3.0), 'b': (0.0, 3.0)}\n"


def test_a_programme_the_warm_simplex_leaves_unanswered_is_solved_afresh(tmp_path):
    """The demo region of seed 6 (11 councils, 2023-2025): its people's tables beside its
    councils' at threshold 6 made HiGHS's warm-started simplex stop with no answer
    ("unknown") in one audit programme, and the report failed; solved afresh, it has one."""
    from tests import census_returns as cr
    from workforce_lib.records.census import membership as ms
    from workforce_lib.records.census.demo import generate_region
    from workforce_lib.records.census.pool import pool_returns
    from workforce_lib.records.census.regional import characteristics

    generate_region(tmp_path / "demo", councils=11, years=4, seed=6, size=200)
    cr.recoded(sorted((tmp_path / "demo").glob("*.xml")), tmp_path / "region", "0", "9")
    whole = pool_returns(tmp_path / "region", bytes(range(32)))
    pool = cr.pool([r for r in whole.returns if r.year >= 2023])
    registry = ms.Registry({"region": frozenset(pool.councils)}, "the test's registry")
    tables = characteristics(pool, 2025, 6, ms.of_pool(pool, registry))
    shown = [v for t in tables.values() for v in t["People"] if v != "c"]
    assert len(tables) == 6 and len(shown) > 10  # the tables, with figures shown
