"""Attacks on published tables: each hidden cell's feasible interval by linear
programming (``tests.audit.intervals``, written apart from the engine), over what
``protect_table`` and ``regional_tables`` show. A hidden cell pinned to an interval
narrower than the threshold, or a hidden count of 1 to 4 that could not be 5, is a find.

Before the engine, secondary suppression only checked that no hidden cell was known
exactly; the first two tests found cells pinned between 0 and 3."""

import numpy as np
import pandas as pd

from tests.audit import intervals, narrow
from workforce_lib.records.census.regional import TOTAL, protect_table


def _attack(t: pd.DataFrame, threshold: int = 5) -> dict:
    """The published table of ``t`` (with row and column totals) attacked: its true
    cells, its lines written out here, what it shows."""
    shown_t = protect_table(t, threshold)
    full = t.copy()
    full[TOTAL] = full.sum(axis=1)
    full.loc[TOTAL] = full.sum(axis=0)
    values = {(r, c): int(full.at[r, c]) for r in full.index for c in full.columns}
    rows, cols = list(t.index), list(t.columns)
    lines = [([(r, c) for c in cols], (r, TOTAL)) for r in [*rows, TOTAL]]
    lines += [([(r, c) for r in rows], (TOTAL, c)) for c in [*cols, TOTAL]]
    shown = {k for k in values if shown_t.at[k] != "c"}
    return narrow(values, lines, shown, threshold), intervals(values, lines, shown)


def test_a_1_is_not_pinned_between_0_and_3_by_its_covers():
    # the old suppression hid the 1 at (r2, c2) with covers that let a reader bound it to
    # 0..3 (rows r1, r2 and columns c1, c2 together), though no cell was known exactly
    t = pd.DataFrame({"c0": [20, 20, 0, 9], "c1": [6, 5, 5, 20], "c2": [12, 2, 1, 1]},
                     index=["r0", "r1", "r2", "r3"])  # fmt: skip
    bad, iv = _attack(t)
    assert bad == {}
    assert iv[("r2", "c2")][1] >= 5


def test_no_random_table_leaves_a_hidden_cell_narrower_than_the_threshold():
    rng = np.random.default_rng(3)  # the old suppression left 5 cells pinned in these
    finds = []
    for _ in range(40):
        r, c = rng.integers(2, 5), rng.integers(2, 5)
        cells = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20], size=(r, c))
        t = pd.DataFrame(cells, index=[f"r{i}" for i in range(r)],
                         columns=[f"c{j}" for j in range(c)])  # fmt: skip
        th = int(rng.integers(5, 8))
        finds += list(_attack(t, th)[0].items())
    assert finds == []


def test_a_table_with_only_large_counts_shows_everything():
    t = pd.DataFrame({"a": [9, 12], "b": [30, 0]}, index=["x", "y"])
    assert (protect_table(t) != "c").all().all()
    assert _attack(t)[1] == {}
