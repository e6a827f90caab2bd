"""The disclosure threshold of every census output: never below 5 people.

Census returns are records of named people, so no output made from them (summary,
pooled tables, report) may be run with a threshold under :data:`MIN_THRESHOLD`: a
threshold of 1 to 4 would print, or let a reader derive, counts of fewer than 5 people.
The general :func:`workforce_lib.records.disclosure.check_threshold` accepts 1 (published
figures are already controlled by DfE); returns are not, so this check is stricter.

Examples
--------
>>> check_census_threshold(5), check_census_threshold(10)
(5, 10)
>>> check_census_threshold(4)
Traceback (most recent call last):
...
workforce_lib.errors.ThresholdError: --threshold 4: census outputs never show counts of fewer than 5 people; give 5 or more.
"""  # noqa: E501

from __future__ import annotations

import argparse

from workforce_lib.constants import DEFAULT_THRESHOLD
from workforce_lib.errors import ThresholdError

#: The lowest threshold any census output accepts (the one every output of staff
#: records accepts: :data:`workforce_lib.constants.DEFAULT_THRESHOLD`).
MIN_THRESHOLD = DEFAULT_THRESHOLD

__all__ = ["MIN_THRESHOLD", "ThresholdError", "check_census_threshold", "threshold_argument"]


def check_census_threshold(threshold: object) -> int:
    """``threshold`` as an int, refused unless it is a whole number of at least 5.

    Raises
    ------
    ThresholdError
        Not a whole number, or below :data:`MIN_THRESHOLD`.
    """
    try:
        value = int(str(threshold).strip())
    except ValueError:
        raise ThresholdError(
            f"--threshold {threshold!r}: not a whole number (give {MIN_THRESHOLD} or more)."
        ) from None
    if value < MIN_THRESHOLD:
        raise ThresholdError(
            f"--threshold {value}: census outputs never show counts of fewer than "
            f"{MIN_THRESHOLD} people; give {MIN_THRESHOLD} or more."
        )
    return value


def threshold_argument(text: str) -> int:
    """An ``argparse`` type: the message of :func:`check_census_threshold` as a usage
    error, before any return is read.

    >>> threshold_argument("6")
    6
    """
    try:
        return check_census_threshold(text)
    except ThresholdError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
