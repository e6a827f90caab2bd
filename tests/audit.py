"""An attacker's view of disclosure-controlled tables, for the leak tests.

The attacker knows every cell shown in any output (several outputs pooled), and the
linear relations between cells (a line's cells add up to its total, a region's cell is
its councils' cells added up). :func:`derived` finds every hidden cell whose value those
relations fix (its unit vector lies in the row space of the relations over hidden cells)
and every sum of a line's hidden cells; :func:`leaks` keeps those that come out as a
count of 1 to ``threshold - 1`` people. This is the exact, linear-algebra audit
statisticians run on tables with totals (no rounding or bounds are used: tables here show
exact counts).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest


def _system(values: dict, lines: list, hidden: list) -> tuple[dict, list, list]:
    """The relations over the hidden cells: each line with a total as a row ``a`` and its
    right-hand side ``b`` (shown cells moved across), ``a . hidden = b``; rows that hold no
    hidden cell are dropped. Returns each hidden cell's column, the rows and the sides."""
    col = {c: i for i, c in enumerate(hidden)}
    rows, rhs = [], []
    for cells, total in lines:
        if total is None:
            continue
        a = np.zeros(len(hidden))
        b = 0.0
        for c in cells:
            if c in col:
                a[col[c]] += 1
            else:
                b -= values[c]
        if total in col:
            a[col[total]] -= 1
        else:
            b += values[total]
        if a.any():
            rows.append(a)
            rhs.append(b)
    return col, rows, rhs


def derived(values: dict, lines: list, shown: set) -> dict:
    """Hidden cells (and hidden parts of a line, as a frozenset) whose value follows from
    the shown cells and the lines; ``{cell or frozenset: value}``.

    ``lines`` are (cells, total cell or None); a line with no total says nothing.
    """
    hidden = sorted({c for c in values if c not in shown}, key=str)
    if not hidden:
        return {}
    col, rows, rhs = _system(values, lines, hidden)
    out: dict = {}
    if not rows:
        return out
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    x = np.array([values[c] for c in hidden], float)  # true values: only to read off
    # a combination w is known iff adding it to the relations leaves the rank unchanged
    for c, i in col.items():
        e = np.zeros(len(hidden))
        e[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
            out[c] = x[i]
    for cells, total in lines:
        if total is None or total in col:
            continue
        part = frozenset(c for c in cells if c in col)
        if len(part) > 1:
            out[part] = sum(values[c] for c in part)
    return out


def leaks(values: dict, lines: list, shown: set, threshold: int = 5) -> dict:
    """What :func:`derived` gives that is a count of 1 to ``threshold - 1``."""
    return {k: v for k, v in derived(values, lines, shown).items() if 0 < v < threshold}


def intervals(values: dict, lines: list, shown: set) -> dict:
    """Each hidden cell's least and greatest value by linear programming (SciPy HiGHS)
    over every line, the shown cells fixed and every count at least 0: what a reader
    who knows the relations learns of it. Written apart from the engine
    (``workforce_lib.records.sdc``) so the tests check it, one programme per bound and
    no shortcuts. ``{cell: (low, high)}``, ``high`` infinite where nothing bounds it."""
    from scipy.optimize import linprog

    hidden = sorted({c for c in values if c not in shown}, key=str)
    col, rows, rhs = _system(values, lines, hidden)
    out = {}
    for c, i in col.items():
        if not rows:
            out[c] = (0.0, np.inf)
            continue
        bound = []
        for sign in (1.0, -1.0):
            cost = np.zeros(len(hidden))
            cost[i] = sign
            r = linprog(cost, A_eq=np.array(rows), b_eq=rhs, bounds=(0, None), method="highs")
            bound.append(np.inf if r.status == 3 else round(sign * r.fun, 6))
        out[c] = (bound[0], bound[1])
    return out


def narrow(values: dict, lines: list, shown: set, threshold: int = 5) -> dict:
    """Hidden cells :func:`intervals` leaves narrower than ``threshold``, or holding 1
    to ``threshold - 1`` people and unable to reach it: the attack's finds."""
    out = {}
    for c, (lo, hi) in intervals(values, lines, shown).items():
        if hi - lo < threshold or (0 < values[c] < threshold and hi < threshold):
            out[c] = (lo, hi)
    return out


def pinned(values: dict, lines: list, shown: set, threshold: int = 5, skip=()) -> dict:
    """Hidden cells the attacker pins (:func:`intervals`): counts of 1 to ``threshold - 1``
    narrower than ``threshold`` or unable to reach it, others known exactly and not 0.
    ``skip``: kinds of cell (a key's first part) not asked about. ``{cell: (value, (low,
    high))}``."""
    out = {}
    for k, (lo, hi) in intervals(values, lines, shown).items():
        v = values[k]
        if k[0] in skip:
            continue
        if 0 < v < threshold:
            weak = hi - lo < threshold or hi < threshold
        else:
            weak = v != 0 and hi - lo < 1
        if weak:
            out[k] = (v, (lo, hi))
    return out


def random_table(rng, rows: int, cols: int) -> tuple[dict, list]:
    """A random table of people with its row, column and grand totals, as cells
    (``(row, column)``, totals ``"T"``) and lines, for attacks on the engine's parts."""
    v = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30], size=(rows, cols))
    values = {(r, c): int(v[r, c]) for r in range(rows) for c in range(cols)}
    values |= {(r, "T"): int(v[r].sum()) for r in range(rows)}
    values |= {("T", c): int(v[:, c].sum()) for c in range(cols)}
    values[("T", "T")] = int(v.sum())
    lines = [([(r, c) for c in range(cols)], (r, "T")) for r in [*range(rows), "T"]]
    lines += [([(r, c) for r in range(rows)], ("T", c)) for c in [*range(cols), "T"]]
    return values, lines


@contextmanager
def engine_calls(module, name: str = "protect_beside") -> Iterator[list]:
    """Every problem the engine's ``name`` solves (``module``: the engine as the code
    under test holds it, e.g. ``regional.sdc``) while the block runs: a list filled with
    (cells and their people, lines, hidden cells), for the attacker to read."""
    got: list = []
    real = getattr(module, name)

    def spy(values, lines, *args, **kwargs):
        hidden = real(values, lines, *args, **kwargs)
        got.append((values, list(lines), hidden))
        return hidden

    mp = pytest.MonkeyPatch()
    mp.setattr(module, name, spy)
    try:
        yield got
    finally:
        mp.undo()
