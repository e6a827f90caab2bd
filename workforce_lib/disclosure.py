"""Disclosure control for figures derived from a council's own staff records.

A figure built from fewer than ``threshold`` people (default 5) could identify someone:
it is suppressed, and shown as such. Where a total is shown beside its parts, one
suppressed part could be worked out from the total and the others, so a second part is
suppressed too (secondary suppression). A share of a shown total is suppressed when the
people it counts, or the people it leaves out, are fewer than the threshold ("11 of 12
stayed" reveals the one who left).

Zero is shown: "no leavers" describes nobody.

Examples
--------
>>> import pandas as pd
>>> people = pd.Series([12, 1, 6, 0], index=["a", "b", "c", "d"])
>>> protect(people).tolist()
[False, True, True, False]
"""

from __future__ import annotations

import pandas as pd

#: Counts of people below this are suppressed in anything rendered.
DEFAULT_THRESHOLD = 5

#: What a suppressed cell shows, and why.
SUPPRESSED = "c"
PRIMARY_REASON = "fewer than {t} people"
SECONDARY_REASON = "would reveal a suppressed figure"
DIFFERENCE_REASON = "its change from the last figure shown rests on fewer than {t} people"


def check_threshold(threshold: int) -> int:
    """A threshold must be a whole number of at least 1 (1 turns suppression off)."""
    if int(threshold) != threshold or threshold < 1:
        raise ValueError(f"disclosure threshold must be a whole number >= 1, not {threshold!r}")
    return int(threshold)


def too_few(people, threshold: int = DEFAULT_THRESHOLD):
    """True where a count of people is 1 to ``threshold - 1`` (0 is not disclosive).

    >>> too_few(3), too_few(0), too_few(5)
    (True, False, False)
    """
    return (people > 0) & (people < threshold)


def protect(people: pd.Series, threshold: int = DEFAULT_THRESHOLD, total_shown: bool = True):
    """Which parts of a total to suppress: primary, then one secondary if needed.

    Parameters
    ----------
    people : number of people behind each part (a column of a table).
    threshold : suppress counts 1 to ``threshold - 1``.
    total_shown : the parts' total appears somewhere the reader can see; if exactly one
        part is suppressed, the smallest other non-zero part is suppressed too.

    Returns
    -------
    Boolean Series, True where the part is suppressed.
    """
    mask = too_few(people, threshold)
    if total_shown and int(mask.sum()) == 1:
        others = people[~mask & (people > 0)]
        if len(others):
            mask.loc[others.sort_values(kind="stable").index[0]] = True
    return mask


def protect_share(part, total, threshold: int = DEFAULT_THRESHOLD):
    """True where a share ``part / total`` of people would disclose someone.

    >>> protect_share(11, 12), protect_share(6, 12), protect_share(3, 3)
    (True, False, True)
    """
    return too_few(part, threshold) | too_few(total - part, threshold) | too_few(total, threshold)


def reason(kind: str, threshold: int) -> str:
    """The status text of a suppressed cell (``kind``: primary, secondary or difference).

    >>> reason("primary", 5)
    'c: fewer than 5 people'
    """
    texts = {
        "primary": PRIMARY_REASON,
        "secondary": SECONDARY_REASON,
        "difference": DIFFERENCE_REASON,
    }
    return f"{SUPPRESSED}: {texts[kind].format(t=threshold)}"
