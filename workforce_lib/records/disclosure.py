"""Disclosure control for figures derived from a council's own staff records.

A figure built from fewer than ``threshold`` people (default 5, never less) could
identify someone: it is suppressed. Where a total is shown beside its parts, the parts
not shown must number two or more and hold at least ``threshold`` people between them,
else more parts are suppressed (:func:`protect_parts`). These hand-written rules
remain where the HR release and the census tables use them (as the first answer the
disclosure engine, :mod:`workforce_lib.records.sdc`, audits, or beside it); the other
outputs made from staff records are decided by the engine alone.

Every suppressed cell says the same thing (:data:`REASON`): telling "fewer than 5"
from "would reveal another cell" would tell a reader "1 to 4" for the first kind.

Figures of the same cell at different dates are protected against differencing
(:func:`hide_over_dates`): two values shown rest on the same people or on at least
``threshold`` people who differ. Zero is shown: "no leavers" describes nobody.

Examples
--------
>>> people = np.array([12, 1, 6, 0])
>>> protect_parts(people, too_few(people)).tolist()
[False, True, True, False]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workforce_lib.constants import DEFAULT_THRESHOLD
from workforce_lib.errors import ThresholdError

#: The highest threshold accepted (each step up is protected against the one below).
MAX_THRESHOLD = 20

#: What a suppressed cell shows, and why: one reason for every suppressed cell.
SUPPRESSED = "c"
REASON = "suppressed to protect confidentiality"
#: The status of every suppressed cell.
STATUS = f"{SUPPRESSED}: {REASON}"


#: "No disclosure control": for checking counts by hand in tests only. Every path to
#: anything shown (``hr.summarise``, the CLI, the HR report) refuses it.
OFF = 1


def check_shown_threshold(threshold, allow_off: bool = False) -> int:
    """A threshold for anything shown from staff records: a whole number from 5 to
    :data:`MAX_THRESHOLD` (or :data:`OFF` where ``allow_off``, for counting checks that
    show nothing).

    A lower threshold would show counts of 1 to 4 people, and a view at a lower
    threshold differenced against the default would reveal them.

    >>> check_shown_threshold(6)
    6
    >>> check_shown_threshold(1)
    Traceback (most recent call last):
    ...
    workforce_lib.errors.ThresholdError: disclosure threshold must be a whole number from 5 to 20, not 1
    """  # noqa: E501
    ok = isinstance(threshold, (int, np.integer)) or (
        isinstance(threshold, float) and threshold.is_integer()
    )
    if ok and allow_off and threshold == OFF:
        return OFF
    if not ok or not DEFAULT_THRESHOLD <= threshold <= MAX_THRESHOLD:
        raise ThresholdError(
            f"disclosure threshold must be a whole number from {DEFAULT_THRESHOLD} to "
            f"{MAX_THRESHOLD}, not {threshold!r}"
        )
    return int(threshold)


def check_threshold(threshold: int) -> int:
    """A threshold must be a whole number of at least 1 (1 turns suppression off).

    Kept for the census tables; the HR extract's outputs use the stricter
    :func:`check_shown_threshold`.
    """
    if int(threshold) != threshold or threshold < 1:
        raise ValueError(f"disclosure threshold must be a whole number >= 1, not {threshold!r}")
    return int(threshold)


def too_few(people, threshold: int = DEFAULT_THRESHOLD):
    """True where a count of people is 1 to ``threshold - 1`` (0 is not disclosive).

    >>> too_few(3), too_few(0), too_few(5)
    (True, False, False)
    """
    return (people > 0) & (people < threshold)


def _unsafe_group(hidden_people: np.ndarray, threshold: int) -> bool:
    """Parts not shown beside a shown total are safe when there are none, or two or more
    holding at least ``threshold`` people (their sum is known: total minus the rest)."""
    if len(hidden_people) == 0:
        return False
    return len(hidden_people) == 1 or hidden_people.sum() < threshold


def protect_parts(
    people: np.ndarray, hidden: np.ndarray, threshold: int = DEFAULT_THRESHOLD
) -> np.ndarray:
    """Extend ``hidden`` (parts of a shown total already not shown) until the parts not
    shown are none, or two or more holding at least ``threshold`` people.

    Parts are added smallest first, non-zero before zero (a hidden zero is not safe alone:
    the total minus the rest would show it).

    >>> protect_parts(np.array([30, 3, 0, 8]), np.array([False, True, False, False])).tolist()
    [False, True, False, True]
    """
    hidden = np.asarray(hidden, bool).copy()
    people = np.asarray(people)
    while _unsafe_group(people[hidden], threshold) and not hidden.all():
        order = np.lexsort((people, people == 0))  # non-zero first, then smallest
        nxt = next(i for i in order if not hidden[i])
        hidden[nxt] = True
    return hidden


def differing(members: np.ndarray) -> np.ndarray:
    """People differing between each pair of dates of one cell: ``|S_i xor S_j|``.

    ``members`` is a boolean array, one row per person and one column per date.

    >>> differing(np.array([[1, 1, 0], [0, 1, 1]], bool)).tolist()
    [[0, 1, 2], [1, 0, 1], [2, 1, 0]]
    """
    m = np.asarray(members, bool)
    moving = m.any(axis=1) & ~m.all(axis=1)  # people in every or no column never differ
    if not moving.any():
        return np.zeros((m.shape[1], m.shape[1]), np.int64)
    # people sharing a pattern of dates count together (integer sums: exact, no BLAS)
    n = m.shape[1]
    if n <= 62:  # each pattern as one integer: a fast one-dimensional unique
        bits = np.left_shift(np.int64(1), np.arange(n, dtype=np.int64))
        keys, weight = np.unique(m[moving] @ bits, return_counts=True)
        x = (keys[:, None] >> np.arange(n, dtype=np.int64)) & 1
    else:
        patterns, weight = np.unique(m[moving], axis=0, return_counts=True)
        x = patterns.astype(np.int64)
    inter = (x * weight[:, None]).T @ x
    counts = np.diag(inter)
    return np.rint(counts[:, None] + counts[None, :] - 2 * inter).astype(np.int64)


def hide_over_dates(
    members: np.ndarray,
    hidden: np.ndarray,
    threshold: int = DEFAULT_THRESHOLD,
    diff=None,
    order=None,
) -> np.ndarray:
    """Extend ``hidden`` (one flag per date) so that no value of one cell shown at one
    date, nor the difference between two shown, rests on 1 to ``threshold - 1`` people.

    Dates are taken in ``order`` (default: the latest first); a value is kept when it
    and every value kept before it rest on the same people or on at least ``threshold``
    people who differ.

    >>> members = np.array([[1, 1, 1, 1]] * 6 + [[1, 1, 0, 0]], bool)  # one leaves
    >>> hide_over_dates(members, np.zeros(4, bool)).tolist()
    [True, True, False, False]
    """
    diff = differing(members) if diff is None else diff
    counts = np.asarray(members, bool).sum(0)
    hidden = np.asarray(hidden, bool) | too_few(counts, threshold)
    bad = too_few(diff, threshold)
    kept: list[int] = []
    for i in range(len(hidden) - 1, -1, -1) if order is None else order:
        if hidden[i]:
            continue
        if kept and bad[i, kept].any():
            hidden[i] = True
        else:
            kept.append(i)
    return hidden


def shown_frame(
    table: pd.DataFrame, status: pd.DataFrame, columns: dict[str, tuple[str, int]]
) -> pd.DataFrame:
    """What a reader may see of a disclosure-controlled table: numbers formatted, ``c``
    where suppressed, the reason where not available. Only these strings are rendered or
    written as CSV, never the table behind them.

    ``columns`` maps a column to (heading, decimals); the index becomes the first column.
    """
    out = pd.DataFrame({table.index.name or "": [str(i) for i in table.index]})
    for col, (label, decimals) in columns.items():
        cells = []
        for v, st in zip(table[col], status[col]):
            if st:
                cells.append("c" if str(st).startswith("c:") else str(st))
            elif pd.isna(v):
                cells.append("n/a")
            else:
                cells.append(f"{float(v):,.{decimals}f}")
        out[label] = cells
    return out
