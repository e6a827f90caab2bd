"""Primary suppression: counts of 1 to ``threshold - 1`` people.

>>> sorted(primary({"a": 0, "b": 3, "c": 5, "d": 4}, 5))
['b', 'd']
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping


def primary(values: Mapping[Hashable, int], threshold: int) -> set:
    """The cells holding 1 to ``threshold - 1`` people (a zero describes nobody).

    Parameters
    ----------
    values : people in each cell.
    threshold : the least count that may be shown.

    Returns
    -------
    set
        The cells to hide whatever else is shown.
    """
    return {c for c, v in values.items() if 0 < v < threshold}
