"""One disclosure engine for every output made from councils' own records.

A table (or several published together) is a set of *cells*, each holding a count of
people, and *relations*: linear equalities a reader knows hold between them (a line's
parts add up to its total; a region's cell is its councils' cells added up; the same
group at two dates or thresholds). The engine

1. hides every cell of 1 to ``threshold - 1`` people (:func:`primary`);
2. chooses more cells to hide by mixed-integer optimisation (SciPy's HiGHS ``milp``),
   hiding as few people as it can and totals last (:func:`secondary`);
3. audits the result by linear programming (:func:`audit`): for every hidden cell, the
   least and greatest value it can take given every shown cell and every relation
   (:func:`intervals`). A hidden count of 1 to ``threshold - 1`` must be able to reach
   the threshold, and no hidden cell's interval may be narrower than the threshold;
   where one is, step 2 is solved again with a constraint that hides more around it.

Relations are given as *lines*: ``(parts, total)`` with ``total`` a cell or None (a line
with no total shown says nothing). The same format is read by ``tests/audit.py``.

Examples
--------
>>> values = {"a": 12, "b": 3, "t": 15}
>>> sorted(protect(values, [(["a", "b"], "t")], 5))
['a', 'b']
"""

from workforce_lib.records.sdc.audit import audit, intervals
from workforce_lib.records.sdc.primary import primary
from workforce_lib.records.sdc.secondary import (
    protect,
    protect_beside,
    secondary,
)

__all__ = [
    "audit",
    "intervals",
    "primary",
    "protect",
    "protect_beside",
    "secondary",
]
