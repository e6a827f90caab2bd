"""What DfE's symbols mean, in the words a report shows: the one place they are written.

DfE publishes a symbol instead of a number for five different reasons, and only one of
them (``c``) is suppression. ``low`` is a published figure that rounds to zero: it is
shown as "less than 0.5" (or "less than 0.5%"), drawn at zero and counted as zero in
medians, ranks and group totals, as DfE counts it.

>>> from workforce_lib.measures import MEASURES
>>> shown(MEASURES["agency_rate_fte"], None, "low")
'less than 0.5%'
>>> shown(MEASURES["turnover_rate_fte"], None, "u")
'low reliability (u)'
>>> shown(MEASURES["turnover_rate_fte"], 15.94, None)
'15.9%'
>>> is_suppressed("u"), is_suppressed("c: suppressed to protect confidentiality")
(False, True)
"""

from __future__ import annotations

import math

from workforce_lib.constants import ROUNDS_TO_ZERO, SYMBOLS, WITHHELD_SYMBOLS


def symbol_of(status: str | None) -> str | None:
    """The bare symbol of a status, which may be written ``"u"`` or ``"u: low reliability"``.

    >>> symbol_of("u: low reliability"), symbol_of("low"), symbol_of(None), symbol_of("")
    ('u', 'low', None, None)
    >>> symbol_of(float("nan"))  # an empty cell of a status frame
    """
    if not isinstance(status, str) or not status:
        return None
    return str(status).split(":", 1)[0].strip() or None


def words(status: str | None) -> str:
    """The meaning of a symbol in words (``"not published"`` for an unknown one).

    >>> words("z"), words("c"), words("x")
    ('not applicable', 'suppressed to protect confidentiality', 'not available')
    """
    sym = symbol_of(status)
    return SYMBOLS.get(sym or "", "not published")


def reason(symbol: str) -> str:
    """A published symbol with its meaning, as a status reads: ``"u: low reliability"``.

    >>> reason("u"), reason("?")
    ('u: low reliability', '?: not published')
    """
    return f"{symbol}: {SYMBOLS.get(symbol, 'not published')}"


def is_suppressed(status: str | None) -> bool:
    """True only for a figure withheld to protect confidentiality (``c``)."""
    return symbol_of(status) in WITHHELD_SYMBOLS


def rounds_to_zero(status: str | None) -> bool:
    """True for ``low``: published, but less than half the last decimal place shown."""
    return symbol_of(status) == ROUNDS_TO_ZERO


def less_than(measure) -> str:
    """``"less than 0.5%"`` for a percentage, ``"less than 0.5"`` otherwise (DfE's ``low``)."""
    return f"less than 0.5{'%' if measure.is_percent else ''}"


def shown(measure, value: float | None, status: str | None) -> str:
    """A figure as a reader sees it: the number, "less than 0.5%" for ``low``, or the
    symbol's meaning with the symbol in brackets."""
    if rounds_to_zero(status):
        return less_than(measure)
    sym = symbol_of(status)
    if sym:
        return f"{words(sym)} ({sym})"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not available"
    return measure.format(value)


def value_for_counting(value: float | None, status: str | None) -> float | None:
    """The value used in medians, ranks and sorting: ``low`` counts as 0 (DfE's rule for
    groups), any other symbol has no value.

    >>> value_for_counting(None, "low"), value_for_counting(None, "c")
    (0.0, None)
    >>> value_for_counting(3.0, None)
    3.0
    """
    if rounds_to_zero(status):
        return 0.0
    if symbol_of(status):
        return None
    return value
