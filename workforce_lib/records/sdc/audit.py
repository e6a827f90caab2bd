"""The attacker's audit: each hidden cell's feasible interval, by linear programming.

A reader knows every shown cell and every published relation, and that counts are never
negative. For a hidden cell, the least and the greatest value it can take under those
(integers relaxed: the interval is never narrower than the integer one) is what the
outputs together tell about it. A hidden count of 1 to ``threshold - 1`` is protected
only if it could be ``threshold`` or more, and no hidden cell is protected if its
interval is narrower than the threshold (tau-ARGUS's "protection interval").

Examples
--------
A 2x2 table with its margins, the 1 and its row, column and diagonal hidden: the 1 can
be anything from 0 to 1 + 4 (its diagonal's smaller cell), so it is protected at 5.

>>> v = {("r", "a"): 1, ("r", "b"): 6, ("s", "a"): 4, ("s", "b"): 9,
...      ("r", "T"): 7, ("s", "T"): 13, ("T", "a"): 5, ("T", "b"): 15}
>>> lines = [([("r", "a"), ("r", "b")], ("r", "T")), ([("s", "a"), ("s", "b")], ("s", "T")),
...          ([("r", "a"), ("s", "a")], ("T", "a")), ([("r", "b"), ("s", "b")], ("T", "b"))]
>>> hidden = {("r", "a"), ("r", "b"), ("s", "a"), ("s", "b")}
>>> intervals(v, lines, hidden)[("r", "a")]
(0.0, 5.0)
>>> audit(v, lines, hidden, 5)
{}
>>> audit(v, lines, hidden, 6)[("r", "a")]
(0.0, 5.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from highspy import _core as highs
from scipy import sparse

from workforce_lib.records.sdc.relations import Line, components, relations, system

#: LP answers are floats: bounds within this of a whole number are that number.
TOL = 1e-6


#: The statuses of a programme solved to an answer (optimal, or no least value).
_ANSWERED = (
    highs.HighsModelStatus.kOptimal,
    highs.HighsModelStatus.kUnbounded,
    highs.HighsModelStatus.kUnboundedOrInfeasible,
)


class _Programme:
    """One group's relations ``a x = b``, ``0 <= x <= caps``, held in HiGHS between
    objectives: each programme after the first starts from the last one's optimal basis
    (primal simplex, presolve off: only the objective changes, so that basis is still
    feasible and a few pivots usually reach the new optimum). The same answers as
    solving each afresh, about twenty times sooner on the census pool's groups.

    HiGHS is driven through highspy's core class: the ``Highs`` wrapper prints a banner
    on stdout when made, before output can be switched off.

    >>> lp = _Programme(sparse.csr_array([[1.0, 1.0]]), np.array([5.0]), None)
    >>> lp.solve(np.array([-1.0, 0.0]))[0], lp.solve(np.array([1.0, 0.0]))[0]
    (-5.0, 0.0)
    """

    def __init__(self, a, b: np.ndarray, caps: np.ndarray | None, lower: np.ndarray | None = None):
        h = highs._Highs()
        for key, value in (("output_flag", False), ("presolve", "off"),
                           ("simplex_strategy", 4), ("threads", 1)):  # fmt: skip
            h.setOptionValue(key, value)
        n = a.shape[1]
        csc = a.tocsc()
        lp = highs.HighsLp()
        lp.num_col_, lp.num_row_ = n, a.shape[0]
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.zeros(n) if lower is None else np.asarray(lower, float)
        lp.col_upper_ = np.full(n, highs.kHighsInf) if caps is None else np.asarray(caps, float)
        lp.row_lower_ = lp.row_upper_ = np.asarray(b, float)
        lp.a_matrix_.format_ = highs.MatrixFormat.kColwise
        lp.a_matrix_.start_ = csc.indptr
        lp.a_matrix_.index_ = csc.indices
        lp.a_matrix_.value_ = csc.data.astype(float)
        h.passModel(lp)
        self._h, self._n, self._lp = h, n, lp
        self._all = np.arange(n, dtype=np.int32)

    def solve(self, cost: np.ndarray) -> tuple[float, np.ndarray | None]:
        """``min cost @ x``: (value, the solution), or (-inf, None) when unbounded."""
        h = self._h
        h.changeColsCost(self._n, self._all, np.asarray(cost, dtype=float))
        h.run()
        status = h.getModelStatus()
        if status not in _ANSWERED:
            # the warm-started simplex can stop with no answer (HiGHS's "unknown", seen
            # on a region's people beside its councils at threshold 6): the same
            # programme is solved afresh, with HiGHS's own presolve and strategy, and
            # the later ones go on from that
            h = self._h = highs._Highs()
            for key, value in (("output_flag", False), ("threads", 1)):
                h.setOptionValue(key, value)
            h.passModel(self._lp)
            h.changeColsCost(self._n, self._all, np.asarray(cost, dtype=float))
            h.run()
            status = h.getModelStatus()
        if status in (highs.HighsModelStatus.kUnbounded,
                      highs.HighsModelStatus.kUnboundedOrInfeasible):  # fmt: skip
            return -math.inf, None  # the true table is a solution: never infeasible
        if status != highs.HighsModelStatus.kOptimal:  # refuse to guess
            raise RuntimeError(f"disclosure audit: linear programme failed ({status.name})")
        x = np.asarray(h.getSolution().col_value, dtype=float)
        return float(np.asarray(cost, dtype=float) @ x), x

    def reduced_costs(self) -> np.ndarray:
        """The last programme's reduced costs (cost less the relations' duals)."""
        return np.asarray(self._h.getSolution().col_dual, dtype=float)

    def bound(self, i: int, sign: float) -> tuple[float, np.ndarray | None]:
        """``min sign * x_i``: (value, the solution), or (inf, None) when unbounded."""
        cost = np.zeros(self._n)
        cost[i] = sign
        value, x = self.solve(cost)
        return (math.inf, None) if x is None else (sign * value, x)


def intervals(values: dict, lines: Iterable[Line], hidden: Iterable) -> dict:
    """Each hidden cell's least and greatest value given the shown cells and the lines.

    Parameters
    ----------
    values : people in every cell (shown and hidden).
    lines : the relations published together, ``(parts, total or None)``.
    hidden : the cells not shown.

    Returns
    -------
    dict
        ``{cell: (low, high)}``; ``high`` is ``inf`` where nothing bounds the cell.

    Examples
    --------
    >>> intervals({"a": 1, "b": 2, "t": 3}, [(["a", "b"], "t")], {"a", "b"})
    {'a': (0.0, 3.0), 'b': (0.0, 3.0)}
    """
    return _intervals(values, list(lines), set(hidden), None)


def _intervals(
    values: dict, lines: list, hidden: set, threshold: int | None, need: dict | None = None
) -> dict:
    """:func:`intervals`; with ``threshold``, a cell is solved only when the solutions
    found so far (each a possible table) do not already show it wide enough, and the
    interval given is then the one those solutions prove (never wider than the truth);
    each cell is capped at its value plus the threshold (beyond it, a cell is wide
    enough whatever its least value), so every programme is bounded."""
    rels = relations(lines)
    out: dict = {}
    for group in components(lines, hidden):
        cells = sorted(group, key=str)
        a, b = system([r for r in rels if any(c in group for c in r)], values, cells)
        n = len(cells)
        if a.shape[0] == 0:
            out.update({c: (0.0, math.inf) for c in cells})
            continue
        seen_lo = np.array([float(values[c]) for c in cells])  # the truth is a solution
        seen_hi = seen_lo.copy()
        caps = None if threshold is None else seen_lo + threshold
        lp = _Programme(a, b, caps)
        if threshold is not None and n > 1:
            # whole-group solutions first: push every cell not yet shown wide enough up
            # (to its cap), then down, while that shows more cells wide enough; each
            # solution is a possible table, so the cells it shows need no programme
            vals = np.array([values[x] for x in cells])
            wants = None if need is None else np.array([need[x] for x in cells])
            rng = np.random.default_rng(n)
            for k in range(12):
                todo = ~_wide_all(seen_lo, seen_hi, vals, threshold, wants)
                if not todo.any():
                    break
                before = int(todo.sum())
                # all up and all down first, then random mixes (one cell up, another down)
                mix = np.ones(n) if k < 2 else rng.choice([-1.0, 1.0], n)
                for sign in (-1.0, 1.0):
                    _, x = lp.solve(sign * todo * mix)
                    if x is not None:
                        np.minimum(seen_lo, x, out=seen_lo)
                        np.maximum(seen_hi, x, out=seen_hi)
                left = ~_wide_all(seen_lo, seen_hi, vals, threshold, wants)
                if int(left.sum()) == before and k > 2:
                    break
        for i, c in enumerate(cells):
            w = None if need is None else need[c]
            if threshold is not None and _wide(seen_lo[i], seen_hi[i], values[c], threshold, w):
                out[c] = (float(seen_lo[i]), float(seen_hi[i]))
                continue
            hi, x_hi = lp.bound(i, -1.0)
            if x_hi is not None:
                np.minimum(seen_lo, x_hi, out=seen_lo)
                np.maximum(seen_hi, x_hi, out=seen_hi)
            if threshold is not None and _wide(seen_lo[i], hi, values[c], threshold, w):
                out[c] = (float(seen_lo[i]), _whole(hi))
                continue
            lo, x_lo = lp.bound(i, 1.0)
            for x in (x_lo, x_hi):
                if x is not None:
                    np.minimum(seen_lo, x, out=seen_lo)
                    np.maximum(seen_hi, x, out=seen_hi)
            if math.isinf(hi):
                seen_hi[i] = math.inf
            out[c] = (_whole(lo), _whole(hi))
    return out


def _whole(x: float) -> float:
    if math.isinf(x):
        return x
    r = round(x)
    return float(r) if abs(x - r) < TOL else float(x)


def _wide(lo: float, hi: float, value: int, threshold: int, need: float | None = None) -> bool:
    """Whether an interval protects a cell of ``value`` people at ``threshold`` (its
    width at least ``need``, default the threshold)."""
    if hi - lo < (threshold if need is None else need) - TOL:
        return False
    return not (0 < value < threshold and hi < threshold - TOL)


def _wide_all(lo: np.ndarray, hi: np.ndarray, values: np.ndarray, threshold: int, need=None):
    """:func:`_wide` over arrays."""
    ok = hi - lo >= (threshold if need is None else need) - TOL
    small = (values > 0) & (values < threshold)
    return ok & ~(small & (hi < threshold - TOL))


def audit(
    values: dict,
    lines: Iterable[Line],
    hidden: Iterable,
    threshold: int,
    sensitive: Iterable | None = None,
    silent: Iterable = (),
) -> dict:
    """The hidden cells the shown ones and the lines do not protect at ``threshold``:
    an interval (:func:`intervals`) narrower than the threshold, or a count of 1 to
    ``threshold - 1`` that could not reach it. Empty when the outputs are safe.

    With ``sensitive`` (the cells hidden for their own sake: primary, and those another
    output gives away), only those need an interval as wide as the threshold; any other
    hidden cell (hidden to protect them) only must not be known exactly when it is not
    zero, as tau-ARGUS sets protection intervals on sensitive cells alone. Without it,
    every hidden cell needs the threshold's width (the strictest reading). ``silent``
    cells (hidden, shown by no output: a relation's helper) need nothing.

    Parameters
    ----------
    values : people in every cell.
    lines : every relation the outputs publish together.
    hidden : the cells not shown.
    threshold : the least count that may be shown.

    Returns
    -------
    dict
        ``{cell: (low, high)}`` for each cell that fails.

    Examples
    --------
    A hidden 1 beside a hidden 2 under a shown total of 3: pinned between 0 and 3.

    >>> audit({"a": 1, "b": 2, "c": 9, "t": 12}, [(["a", "b", "c"], "t")], {"a", "b"}, 5)
    {'a': (0.0, 3.0), 'b': (0.0, 3.0)}
    >>> audit({"a": 1, "b": 2, "c": 9, "t": 12}, [(["a", "b", "c"], "t")], {"a", "b", "c"}, 5,
    ...       sensitive={"a", "b"})
    {}
    """
    if threshold <= 1:
        return {}
    hidden, silent = set(hidden), set(silent)
    need = None
    if sensitive is not None:
        sens = set(sensitive)
        need = {c: threshold if c in sens else (1 if values[c] else 0) for c in hidden}
    if silent:
        need = need or {c: threshold for c in hidden}
        need.update({c: 0 for c in silent if c in hidden})
    got = _intervals(values, list(lines), hidden, threshold, need)
    return {
        c: iv
        for c, iv in got.items()
        if c not in silent
        and not _wide(*iv, values[c], threshold, None if need is None else need[c])
    }


def cuts(values: dict, lines: Iterable[Line], hidden: set, group: set, failing: Iterable,
         threshold: int, need: dict | None = None) -> list[tuple[dict, float, object]]:  # fmt: skip
    """Benders cuts (Fischetti and Salazar's, as tau-ARGUS's optimal method uses) for the
    ``failing`` cells of a hidden ``group``: ``(coefficients, need, cell)``, each saying
    that ``sum(coefficients[c] * hidden_c) >= need`` for any choice of hidden cells in
    which ``cell`` is hidden and protected.

    The attacker's programme for a cell, with every cell of the group's relations a
    variable (a shown cell between its value and its value, a hidden one between 0 and
    its value plus the threshold, as :func:`audit` caps it), is bounded by its dual for
    every choice of hidden cells at once: a cell's greatest value is at most its value
    plus ``sum(t * d_c- + a_c * d_c+)`` over the cells ``c`` hidden, ``d`` the reduced
    costs of the programme solved now (``d+``, ``d-`` their positive and negative parts),
    and its least at least its value less the same sum from the least's programme
    (relations left out only loosen this bound). So an interval at least ``threshold``
    wide (or ``need[cell]``: the audit's width for a cell that is not sensitive; none
    when 0) needs the two sums together to reach it, and a count of 1 to
    ``threshold - 1`` the first to reach ``threshold`` less the count. The choice solved
    now breaks the cut (the bounds are exact there), so the next choice differs.

    A hidden 3 beside a shown 9 under a shown 12 is pinned. Hiding the 9 would let it
    rise by up to 9 and fall by up to 5 (the 9 up to its cap of 14), the 12 rise by 5 and
    fall by 12; the 3 needs 5 of width, and 2 upward to reach 5:

    >>> v = {"a": 3, "b": 9, "t": 12}
    >>> [(sorted(c.items()), need) for c, need, _ in cuts(v, [(["a", "b"], "t")], {"a"},
    ...                                                  {"a"}, ["a"], 5)]
    [([('b', 14.0), ('t', 17.0)], 5.0), ([('b', 9.0), ('t', 5.0)], 2.0)]
    """
    rels = [r for r in relations(lines) if any(c in group for c in r)]
    cells = sorted({c for r in rels for c in r}, key=str)
    col = {c: i for i, c in enumerate(cells)}
    a = np.array([float(values[c]) for c in cells])
    hid = np.array([c in hidden for c in cells])
    rows, cols_, data = [], [], []
    for k, r in enumerate(rels):
        for c, v in r.items():
            rows.append(k)
            cols_.append(col[c])
            data.append(float(v))
    m = sparse.csr_array((data, (rows, cols_)), shape=(len(rels), len(cells)))
    lo = np.where(hid, 0.0, a)
    hi = np.where(hid, a + threshold, a)
    lp = _Programme(m, np.zeros(len(rels)), hi, lo)
    out = []
    for s in failing:
        i = col[s]
        grow = []
        for sign in (-1.0, 1.0):  # the greatest, then the least
            cost = np.zeros(len(cells))
            cost[i] = sign
            lp.solve(cost)
            d = lp.reduced_costs()
            grow.append(threshold * np.maximum(-d, 0.0) + a * np.maximum(d, 0.0))
        both = grow[0] + grow[1]
        width = {cells[j]: float(both[j]) for j in np.flatnonzero(both > TOL)}
        wants = float(threshold if need is None else need[s])
        if wants > 0:
            out.append((width, wants, s))
        if 0 < values[s] < threshold:
            up = {cells[j]: float(grow[0][j]) for j in np.flatnonzero(grow[0] > TOL)}
            out.append((up, float(threshold - values[s]), s))
    return out


def boundary(lines: Iterable[Line], hidden: set, group: set) -> set:
    """The shown cells of every relation holding a cell of ``group``: hiding one of them
    is the only way to widen the group's intervals (hiding any other cell leaves them
    as they are)."""
    out: set = set()
    for rel in relations(lines):
        if any(c in group for c in rel):
            out |= {c for c in rel if c not in hidden}
    return out


__all__ = ["audit", "boundary", "cuts", "intervals"]
