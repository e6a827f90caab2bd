"""Secondary suppression by mixed-integer optimisation, checked by the audit.

One binary per cell says whether it is hidden. The cost of hiding a cell is the people
in it plus one (a zero costs a little: hidden zeros make a table harder to read), or what
the caller gives (totals cost more, so parts are hidden before them). Constraints:

* every cell of 1 to ``threshold - 1`` people, and every cell the caller names, is hidden;
* in every line, a hidden cell has another hidden cell beside it (a line's hidden cells
  add up to a known number: alone, the cell would be that number);
* in a line holding a hidden count of 1 to ``threshold - 1``, its hidden parts hold at
  least ``threshold`` people, or its total is hidden too;
* where ``sums`` name lines whose total is a sum over member councils, the total is
  hidden wherever a part is (a pool without that council shows the total less it);
* of each set of cells in ``apart`` (e.g. one group of people at two dates, differing by
  1 to ``threshold - 1`` people), at least one is hidden;
* ``silent`` cells (quantities a reader can reason about but no output shows, e.g. the
  people in post a year ago plus the starters since) are always hidden, cost nothing and
  need no interval of their own;
* ``free`` cells may be shown or hidden like any other but, hidden, need no interval of
  their own and no hidden cell beside them in a line: figures offered at many cuts of
  one ordered group (the case holders with at most x cases per FTE, for every x), where
  what needs protecting is the people between two cuts, cells of their own; or those
  people where they number 0 or at least the threshold (always hidden: ``must``).

SciPy's HiGHS solves it; the audit (:func:`workforce_lib.records.sdc.audit.audit`) then
computes every hidden cell's interval. For a cell still too narrowly bounded, Benders
cuts (:func:`workforce_lib.records.sdc.audit.cuts`, from the attacker's programme's
duals) say which shown cells would widen it and by how much, and the problem is solved
again. (A cut saying only "hide one more shown neighbour of the group" could go round in
circles on the pooled leaver tables: 25 rounds, even 150, did not settle some.)
After :data:`MAX_ROUNDS` rounds, or if the solver finds nothing in its time, every such
shown cell is hidden until the audit passes: the engine hides more, never less.

Examples
--------
>>> v = {"a": 12, "b": 3, "c": 7, "t": 22}
>>> sorted(secondary(v, [(["a", "b", "c"], "t")], 5))
['b', 'c']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from workforce_lib.records.sdc.audit import audit, boundary, cuts
from workforce_lib.records.sdc.primary import primary
from workforce_lib.records.sdc.relations import Line, components

#: Rounds of solve-then-audit before falling back to hiding every neighbour.
MAX_ROUNDS = 25
#: Seconds HiGHS may spend on one round; its best solution so far is used after it.
TIME_LIMIT = 20.0
#: HiGHS stops within this share of the least cost (people hidden) it can prove.
GAP = 0.01
#: Whether only the cells hidden for their own sake need the threshold's width.
SENSITIVE_ONLY = False
#: Greedy steps of the fallback (one cheapest neighbour per failing group) before it
#: hides every neighbour.
GREEDY_STEPS = 40
#: The least threshold built on (see :func:`protect`).
FIRST_THRESHOLD = 5


@dataclass
class Stats:
    """What one :func:`secondary` call did (for benchmarks)."""

    rounds: int = 0
    cuts: int = 0
    fallback: bool = False
    solves: list = field(default_factory=list)


def _model(cells, values, lines, threshold, must, sums, apart=(), free=frozenset()):
    """The constraint rows ``(coefs, lower bound)`` over the binaries (and one sum
    variable per line), as a sparse matrix. A ``free`` cell may be hidden alone in a line
    (known exactly, it discloses nothing)."""
    col = {c: i for i, c in enumerate(cells)}
    n = len(cells)
    rows, cols, data, lower = [], [], [], []

    def add(entries, lb):
        r = len(lower)
        for i, v in entries:
            rows.append(r)
            cols.append(i)
            data.append(float(v))
        lower.append(float(lb))

    extra = 0
    for parts, total in lines:
        if total is None:
            continue
        members = list(dict.fromkeys([*parts, total]))
        if len(members) < 2:
            continue
        # s_L = sum of the line's binaries (equality as two rows), then s_L >= 2 y_c
        s = n + extra
        extra += 1
        ids = [col[c] for c in members]
        m, r = len(ids), len(lower)
        rows += [r] * (m + 1) + [r + 1] * (m + 1)
        cols += [s, *ids, s, *ids]
        data += [1.0] + [-1.0] * m + [-1.0] + [1.0] * m
        alone = [i for c, i in zip(members, ids) if c not in free]
        k = len(alone)
        rows += [x for x in range(r + 2, r + 2 + k) for _ in (0, 1)]
        cols += [y for i in alone for y in (s, i)]
        data += [1.0, -2.0] * k
        lower += [0.0] * (k + 2)
        if any(0 < values[p] < threshold and p in must for p in parts):
            people: dict = {}
            for p in parts:
                people[col[p]] = people.get(col[p], 0) + values[p]
            people[col[total]] = people.get(col[total], 0) + threshold
            add(list(people.items()), threshold)
    pairs = [(col[total], col[p]) for parts, total in sums for p in dict.fromkeys(parts)
             if p != total]  # fmt: skip
    r = len(lower)  # y_total - y_part >= 0, one row a pair
    rows += [r + k for k in range(len(pairs)) for _ in (0, 1)]
    cols += [i for pair in pairs for i in pair]
    data += [1.0, -1.0] * len(pairs)
    lower += [0.0] * len(pairs)
    for group in apart:
        add([(col[c], 1.0) for c in dict.fromkeys(group)], 1)
    return n + extra, rows, cols, data, lower


def secondary(
    values: dict,
    lines: Iterable[Line],
    threshold: int,
    must: Iterable = (),
    cost: dict | None = None,
    sums: Iterable[Line] = (),
    stats: Stats | None = None,
    rounds: int | None = None,
    fallback: bool = True,
    apart: Iterable = (),
    silent: Iterable = (),
    sensitive: Iterable | None = None,
    keep: Iterable = (),
    modelled: Iterable[Line] | None = None,
    free: Iterable = (),
) -> set | None:
    """The cells to hide at ``threshold``: the primary cells, ``must``, and the fewest
    people more such that :func:`workforce_lib.records.sdc.audit.audit` passes.

    Parameters
    ----------
    values : people in every cell of the outputs published together.
    lines : their relations, ``(parts, total or None)``.
    threshold : the least count that may be shown.
    must : cells hidden whatever their value (e.g. those another output gives away).
    cost : the cost of hiding each cell (default: its people plus one).
    sums : lines whose total is hidden wherever a part is.
    stats : filled with the rounds, cuts and solver times, when given.
    rounds : rounds of solve-then-audit (default :data:`MAX_ROUNDS`).
    fallback : whether to hide more until the audit passes after the last round (else
        None is returned then).
    apart : sets of cells of which at least one is hidden.
    silent : cells no output shows (always hidden, never audited, free to hide).
    sensitive : the cells that need an interval as wide as the threshold (the audit's
        ``sensitive``; others hidden need only not be known exactly): default every
        hidden cell, or the primary cells and ``must`` under :data:`SENSITIVE_ONLY`.
    keep : cells another output shows, whatever their value (e.g. at a lower threshold):
        never hidden for their own sake, and the solver may not hide them (see
        :func:`protect_beside`); the fallback may still, so the caller checks.
    modelled : the lines the optimisation's own constraints are built on (default:
        ``lines``); the audit and its cuts read every line. For tables already
        protected and audited, whose lines need no constraint of their own.
    free : cells that, hidden, need no interval (the audit passes over them as over
        ``silent`` cells) and may be hidden alone in a line; not hidden for their own
        sake (give them in ``must`` to hide them always). Never a cell of 1 to
        ``threshold - 1`` people: those are audited whatever this says.

    Returns
    -------
    set or None
        The hidden cells (a superset of the primary cells and ``must``); None only
        without ``fallback``, when the rounds did not pass the audit.
    """
    lines, sums, apart, silent = list(lines), list(sums), list(apart), set(silent)
    free = set(free) - primary(values, threshold)
    quiet = silent | free  # hidden, audited for nothing
    stats = stats if stats is not None else Stats()
    keep = set(keep) - set(must)
    fixed = primary({k: v for k, v in values.items() if k not in silent and k not in keep},
                    threshold)  # fmt: skip
    fixed |= set(must)
    if (not fixed and not apart) or threshold <= 1:
        return fixed | silent
    fixed |= silent
    if sensitive is None and SENSITIVE_ONLY:
        sensitive = fixed
    sensitive = None if sensitive is None else set(sensitive) | primary(values, threshold)
    cells = sorted(values, key=str)
    col = {c: i for i, c in enumerate(cells)}
    n_vars, rows, cols, data, lower = _model(cells, values,
                                             lines if modelled is None else list(modelled),
                                             threshold, fixed, sums, apart, free)  # fmt: skip
    n = len(cells)
    c = np.zeros(n_vars)
    c[:n] = [float(cost[x]) if cost else float(values[x]) + 1.0 for x in cells]
    c[[col[x] for x in silent]] = 0.0
    lb = np.zeros(n_vars)
    ub = np.ones(n_vars)
    lb[[col[x] for x in fixed]] = 1.0
    ub[[col[x] for x in set(keep) - fixed]] = 0.0
    ub[n:] = np.inf
    integrality = np.zeros(n_vars)
    integrality[:n] = 1
    hidden = set(fixed)
    seen: dict = {}
    for _ in range(MAX_ROUNDS if rounds is None else rounds):
        stats.rounds += 1
        a = sparse.csr_array((data, (rows, cols)), shape=(len(lower), n_vars))
        res = milp(c, constraints=LinearConstraint(a, lower, np.inf),
                   integrality=integrality, bounds=Bounds(lb, ub),
                   options={"time_limit": TIME_LIMIT, "mip_rel_gap": GAP})  # fmt: skip
        stats.solves.append(int(res.status))  # 0 optimal, 1 time limit
        if res.x is None:
            break
        hidden = {cells[i] for i in np.flatnonzero(res.x[:n] > 0.5)} | fixed
        bad = _audit(values, lines, hidden, threshold, sensitive, quiet, seen)
        if not bad:
            return hidden
        for group in components(lines, hidden):
            worst = [x for x in group if x in bad]
            if not worst:
                continue
            # Benders cuts: which shown cells would widen each failing cell, and by how
            # much (a cell hidden only to protect others may instead be shown again)
            need = {x: threshold if sensitive is None or x in sensitive
                    else (1 if values[x] else 0) for x in worst}  # fmt: skip
            for coef, need_x, x in cuts(values, lines, hidden, group, worst, threshold, need):
                r = len(lower)
                for b, v in coef.items():
                    rows.append(r)
                    cols.append(col[b])
                    data.append(v)
                if x not in fixed:
                    rows.append(r)
                    cols.append(col[x])
                    data.append(-need_x)
                lower.append(0.0 if x not in fixed else need_x)
                stats.cuts += 1
    if not fallback:
        return None
    stats.fallback = True
    cheap = {x: (float(cost[x]) if cost else float(values[x]) + 1.0) for x in cells}
    return _widen(values, lines, threshold, hidden | fixed, sensitive, cheap, quiet, seen)


def _audit(values, lines, hidden, threshold, sensitive, silent, seen: dict) -> dict:
    """:func:`audit` group by group of hidden cells, each group's answer kept in
    ``seen``: a group's intervals depend only on its own cells and the shown cells of its
    relations, so a group met again (another round's, or the fallback's, hidden cells
    leaving it as it was) is not solved again."""
    if threshold <= 1:
        return {}
    touching: dict = {}
    for k, (parts, total) in enumerate(lines):
        if total is not None:
            for c in {*parts, total}:
                touching.setdefault(c, []).append(k)
    bad: dict = {}
    for group in components(lines, hidden):
        key = frozenset(group)
        if key not in seen:
            mine = sorted({k for c in group for k in touching.get(c, ())})
            seen[key] = audit(values, [lines[k] for k in mine], group, threshold, sensitive,
                              silent)  # fmt: skip
        bad.update(seen[key])
    return bad


def _widen(
    values: dict,
    lines: list,
    threshold: int,
    hidden: set,
    sensitive=None,
    cost=None,
    silent: set = frozenset(),
    seen: dict | None = None,
) -> set:
    """Hide more shown neighbours of each group that fails the audit until it passes:
    the cheapest one per group at a time (up to :data:`GREEDY_STEPS` steps), then every
    one of them (or nothing is left to hide)."""
    hidden = set(hidden)
    steps = 0
    seen = {} if seen is None else seen
    while True:
        bad = _audit(values, lines, hidden, threshold, sensitive, silent, seen)
        more = set()
        for group in components(lines, hidden):
            if bad.keys() & group:
                near = boundary(lines, hidden, group)
                if near and cost is not None and steps < GREEDY_STEPS:
                    near = {min(near, key=lambda x: (cost[x], str(x)))}
                more |= near
        if not more:
            return hidden
        hidden |= more
        steps += 1


def protect(
    values: dict,
    lines: Iterable[Line],
    threshold: int,
    forced: Callable[[int], set] | None = None,
    cost: dict | None = None,
    sums: Iterable[Line] = (),
    stats: Stats | None = None,
    stages: dict | None = None,
) -> set:
    """:func:`secondary` threshold by threshold from 5 (or ``threshold`` if lower), each
    keeping what the one below hid: no output at one threshold shows what another
    hides. ``forced(t)`` names cells hidden at ``t`` whatever their value; ``stages``,
    when given, is filled with the cells hidden at each threshold built on.

    >>> v = {"a": 9, "b": 5, "c": 7, "t": 21}
    >>> sorted(protect(v, [(["a", "b", "c"], "t")], 6))
    ['b', 'c']
    """
    lines, sums = list(lines), list(sums)
    hidden: set = set()
    for t in range(min(threshold, FIRST_THRESHOLD), threshold + 1):
        more = forced(t) if forced else set()
        hidden = secondary(values, lines, t, hidden | more, cost, sums, stats)
        if stages is not None:
            stages[t] = hidden
    return hidden


#: Added to the cost of hiding a cell of the tables already protected in
#: :func:`protect_beside` (the solver may not hide them; this is for its fallback).
BESIDE_COST = 1_000_000


def protect_beside(
    values: dict,
    lines: Iterable[Line],
    threshold: int,
    fixed: Callable[[int], set],
    later: set,
    forced: Callable[[int], set] | None = None,
    cost: dict | None = None,
    sums: Iterable[Line] = (),
    stats: Stats | None = None,
    silent: Iterable = (),
    stages: dict | None = None,
    free: Callable[[int], set] | None = None,
) -> set:
    """:func:`protect` of a table (``later``: its cells) published beside tables already
    protected (every other cell of ``values``), whose hidden cells at each threshold,
    ``fixed(t)``, stay exactly as they are: the new table's cells are hidden so that the
    audit over every line passes, and none of the others' shown cells is hidden, so
    every output that shows those tables shows them alike, with or without this one.

    Where that cannot be done (the solver cannot, or its fallback would hide another
    shown cell), every cell of the new table is hidden: the tables beside it passed
    their own audit, and hidden cells of the new table tell nothing of them. Each
    threshold from 5 keeps what the one below hid. ``silent``: cells of the others that
    no output shows (:func:`secondary`'s), hidden at every threshold. ``stages``, when
    given, is filled with the cells hidden at each threshold (as returned). ``free(t)``:
    cells (of any table here) that another output shows at ``t`` (:func:`secondary`'s
    ``free``: hidden, they need no interval).

    ``a`` and ``b`` were hidden (``b`` holds 3); a new table splits ``a`` into ``p`` and
    ``q``. ``q`` (2) is hidden for its own sake; ``p`` (7) may be shown: ``a`` is then
    ``7 + q``, and ``b`` still anywhere from 0 to 5:

    >>> v = {"a": 9, "b": 3, "t": 12, "p": 7, "q": 2}
    >>> lines = [(["a", "b"], "t"), (["p", "q"], "a")]
    >>> sorted(protect_beside(v, lines, 5, lambda t: {"a", "b"}, {"p", "q"}))
    ['a', 'b', 'q']
    """
    lines, sums, silent = list(lines), list(sums), set(silent)
    later = set(later)
    earlier = set(values) - later
    base = cost or {c: float(v) + 1.0 for c, v in values.items()}
    cost2 = {c: base[c] + (BESIDE_COST if c in earlier else 0) for c in values}
    hidden: set = set()
    fix: set = set()
    # the tables already protected passed their own audit: the optimisation's own
    # constraints are built on the lines touching the new table only (the audit reads all)
    touching = [(p, t) for p, t in lines if t in later or later.intersection(p)]
    for t in range(min(threshold, FIRST_THRESHOLD), threshold + 1):
        fix = (set(fixed(t)) | silent) & earlier
        more = (set(forced(t)) & later) if forced else set()
        got = secondary(values, lines, t, hidden | fix | more, cost2, sums, stats,
                        keep=earlier - fix, silent=silent, modelled=touching,
                        free=set(free(t)) if free else ())  # fmt: skip
        if got is None or (got & earlier) != fix:
            got = fix | later
        hidden = got & later
        if stages is not None:
            stages[t] = fix | hidden
    return fix | hidden
