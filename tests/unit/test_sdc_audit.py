"""The audit's intervals, computed in one HiGHS programme per group re-solved from the
last basis, are the same as the independent attacker's (``tests.audit.intervals``: a
fresh SciPy ``linprog`` for every bound), and HiGHS prints nothing of its own."""

import subprocess
import sys

import numpy as np
import pytest

from tests.audit import intervals as fresh
from workforce_lib.records.sdc.audit import audit, intervals


def _table(rng, rows: int, cols: int):
    """A table of people with row, column and grand totals, as cells and lines."""
    v = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30], size=(rows, cols))
    values = {(r, c): int(v[r, c]) for r in range(rows) for c in range(cols)}
    values |= {(r, "T"): int(v[r].sum()) for r in range(rows)}
    values |= {("T", c): int(v[:, c].sum()) for c in range(cols)}
    values[("T", "T")] = int(v.sum())
    lines = [([(r, c) for c in range(cols)], (r, "T")) for r in [*range(rows), "T"]]
    lines += [([(r, c) for r in range(rows)], ("T", c)) for c in [*range(cols), "T"]]
    return values, lines


@pytest.mark.parametrize("seed", range(12))
def test_intervals_match_a_fresh_programme_for_every_bound(seed):
    rng = np.random.default_rng(seed)
    values, lines = _table(rng, int(rng.integers(3, 8)), int(rng.integers(3, 8)))
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
    values, lines = _table(np.random.default_rng(0), 2, 2)
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
