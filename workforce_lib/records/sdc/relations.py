"""Cells and the linear relations published between them, as sparse matrices.

A relation is a *line* ``(parts, total)``: the parts add up to the total (a part listed
twice counts twice). Lines whose total is None publish no relation.

>>> lines = [(["a", "b"], "t"), (["a"], None)]
>>> [sorted(k) for k in components(lines, {"a", "b", "x"})]
[['a', 'b'], ['x']]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
from scipy import sparse

Line = tuple[list, Hashable | None]


def relations(lines: Iterable[Line]) -> list[dict]:
    """Each line with a total as ``{cell: coefficient}`` (parts +1, total -1; zero
    coefficients dropped): the equality ``sum(coef * value) == 0``.

    >>> relations([(["a", "b"], "t"), (["a", "t"], "t")])
    [{'a': 1, 'b': 1, 't': -1}, {'a': 1}]
    """
    out = []
    for parts, total in lines:
        if total is None:
            continue
        coef: dict = {}
        for c in parts:
            coef[c] = coef.get(c, 0) + 1
        coef[total] = coef.get(total, 0) - 1
        nz = {c: v for c, v in coef.items() if v}
        if nz:
            out.append(nz)
    return out


def components(lines: Iterable[Line], hidden: Iterable) -> list[set]:
    """The hidden cells in groups that share no relation: each group's values are
    bounded by its own relations only, so each is audited (or solved) on its own.

    Parameters
    ----------
    lines : the published relations.
    hidden : the cells not shown.

    Returns
    -------
    list of set
        Connected groups of hidden cells (a hidden cell in no relation is its own group).
    """
    hidden = set(hidden)
    parent = {c: c for c in hidden}

    def find(c):
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for rel in relations(lines):
        h = [c for c in rel if c in hidden]
        for c in h[1:]:
            a, b = find(h[0]), find(c)
            if a != b:
                parent[b] = a
    groups: dict = {}
    for c in sorted(hidden, key=str):
        groups.setdefault(find(c), set()).add(c)
    return list(groups.values())


def system(rels: list[dict], values: dict, cells: list) -> tuple[sparse.csr_array, np.ndarray]:
    """The relations as ``A x = b`` over ``cells`` (the unknowns), the other cells'
    values moved to ``b``; relations holding none of ``cells`` are left out.

    >>> a, b = system([{"a": 1, "b": 1, "t": -1}], {"a": 2, "b": 3, "t": 5}, ["a", "b"])
    >>> a.toarray().tolist(), b.tolist()
    ([[1.0, 1.0]], [5.0])
    """
    col = {c: i for i, c in enumerate(cells)}
    rows, cols, data, rhs = [], [], [], []
    for rel in rels:
        mine = [(col[c], v) for c, v in rel.items() if c in col]
        if not mine:
            continue
        r = len(rhs)
        for i, v in mine:
            rows.append(r)
            cols.append(i)
            data.append(float(v))
        rhs.append(-float(sum(v * values[c] for c, v in rel.items() if c not in col)))
    a = sparse.csr_array((data, (rows, cols)), shape=(len(rhs), len(cells)))
    return a, np.asarray(rhs, dtype=float)
