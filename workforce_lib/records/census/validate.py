"""The business rules of a census return that its schema cannot say, and how a problem
in an XML file is named (file, line, element, value, what is wrong).

A record is always named by its line, never by its SWE number.

Examples
--------
>>> str(XmlProblem("a.xml", 12, "FTE", "1.5", "more than 1"))
"a.xml, line 12, element 'FTE', value '1.5': more than 1"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from workforce_lib.errors import Problem

if TYPE_CHECKING:  # pragma: no cover
    from workforce_lib.records.census.reader import Scan


@dataclass(frozen=True)
class XmlProblem(Problem):
    """A problem in an XML file: ``row`` is the line, ``column`` the element."""

    ROW: ClassVar[str] = "line"
    COLUMN: ClassVar[str] = "element"


def _day(x) -> str:
    return f"{x:%Y-%m-%d}"


def _text(x) -> str:
    return _day(x) if isinstance(x, pd.Timestamp) else str(x)


def header_problems(scan: Scan) -> None:
    """Census year and reference date present and agreeing; the council named."""
    line = scan.header_line
    if scan.year is None or scan.reference_date is None:
        scan.add(
            line,
            "CollectionDetails",
            None,
            "no census year and reference date (Header/CollectionDetails): the return "
            "cannot be placed in a year",
        )
    elif scan.reference_date != pd.Timestamp(scan.year, 9, 30):
        scan.add(
            line,
            "ReferenceDate",
            _day(scan.reference_date),
            f"does not agree with census year {scan.year} (its reference date is "
            f"{scan.year}-09-30)",
        )
    if not scan.council:
        scan.add(
            line,
            "LEA",
            None,
            "no LA number (Header/Source/LEA): the return cannot be placed in a council",
        )


def _census_date(scan: Scan) -> pd.Timestamp | None:
    """The reference date the records are checked against (None when the header
    disagrees with itself, which is reported: no census year to check)."""
    ref = scan.reference_date
    if ref is not None and scan.year is not None and ref != pd.Timestamp(scan.year, 9, 30):
        return None
    return ref


def _nothing_to_report(ref: pd.Timestamp | None, w: Mapping[str, Any]) -> bool:
    """True only when :func:`record_problems` would find nothing: its rules over plain
    arrays (a missing date compares False, as in pandas), and a set of the duplicate
    key in which missing values are equal (so no duplicate is missed). A file that may
    have a problem is left to :func:`record_problems` itself. ``w`` is the workers table
    or its columns (arrays, as the reader builds them).
    """
    start = np.asarray(w["start_date"], dtype="datetime64[ns]")
    end = np.asarray(w["end_date"], dtype="datetime64[ns]")
    has_end = ~np.isnat(end)
    if (end < start).any():
        return False
    for col in ("reason_leave", "leaver_destination"):
        if (has_end == np.asarray(pd.isna(w[col]))).any():  # an end and no code, or both
            return False
    if ref is not None:
        top = ref.to_datetime64()
        before = (ref - pd.DateOffset(years=1)).to_datetime64()
        if (end > top).any() or (end <= before).any() or (start > top).any():
            return False
    person = np.asarray(w["person"], dtype=object).tolist()
    named = [p is not None and p != "" for p in person]
    role = w["org_role"].to_numpy(dtype="int64", na_value=-1)
    keys = zip(person, np.asarray(w["agency"]).tolist(), start.view("int64").tolist(),
               end.view("int64").tolist(), role.tolist(), strict=True)  # fmt: skip
    unique = {k for k, n in zip(keys, named, strict=True) if n}
    return len(unique) == sum(named)


def record_problems(scan: Scan, w: pd.DataFrame, columns: Mapping[str, Any] | None = None) -> None:
    """Each record's dates, leaving details and duplicates, in line order (``columns``:
    the table's columns as arrays, if the caller has them)."""
    ref = _census_date(scan)
    if _nothing_to_report(ref, w if columns is None else columns):
        return
    start, end = w["start_date"], w["end_date"]
    has_end = end.notna()
    rules: list[tuple[pd.Series, str, pd.Series | None, str]] = [
        (end < start, "RoleEndDate", end, "end date before start date"),
    ]
    for col, tag in (("reason_leave", "ReasonLeave"), ("leaver_destination", "LeaverDestination")):
        present = w[col].notna()
        rules.append((has_end & ~present, tag, None, f"a leaver (end date) needs {tag}"))
        rules.append((present & ~has_end, tag, w[col], f"{tag} given but no end date"))
    if ref is not None:
        before = ref - pd.DateOffset(years=1)
        rules += [
            (end > ref, "RoleEndDate", end, f"end date after the reference date {_day(ref)}"),
            (end <= before, "RoleEndDate", end,
             f"end date before the census year (a return holds leavers of the 12 months to "
             f"{_day(ref)})"),
            (start > ref, "RoleStartDate", start,
             f"start date after the reference date {_day(ref)}"),
        ]  # fmt: skip
    key = ["person", "agency", "start_date", "end_date", "org_role"]
    named = w["person"].fillna("") != ""
    dup = named & w.duplicated(key, keep="first")
    first_line = (
        w.groupby(key, dropna=False, sort=False)["line"].transform("first") if dup.any() else None
    )
    found: list[tuple[int, str, object, str]] = []
    for mask, tag, values, message in rules:
        for i in w.index[mask.fillna(False).astype(bool)]:
            value = None if values is None else _text(values.at[i])
            found.append((int(w.at[i, "line"]), tag, value, message))
    for i in w.index[dup]:
        found.append(
            (int(w.at[i, "line"]), "CSWWWorker", None,
             f"duplicate of the record at line {first_line.at[i]} (same person, type, role "
             "and dates)")
        )  # fmt: skip
    for line, tag, value, message in sorted(found, key=lambda f: f[0]):
        scan.add(line, tag, value, f"record at line {line}: {message}")


#: Lines of the records without a start date a warning lists before "and N more".
SHOWN_LINES = 10


def no_start_lines(
    w: Mapping[str, Any], absent: np.ndarray | None = None
) -> tuple[list[int], dict[str, int]]:
    """The lines of the records with no ``RoleStartDate`` (in file order), and what they
    count as: ``in_post`` (permanent, no end date), ``agency`` (agency, no end date: at
    the reference date) and ``leavers`` (an end date). ``w`` is the workers table or its
    columns; ``absent``, where given, says which records have no ``RoleStartDate`` text
    (so one the schema refused, already a problem, is not counted here too).

    >>> cols = {"line": [19, 28, 37, 46], "agency": [False, False, False, True],
    ...         "start_date": pd.to_datetime([None, "2020-01-06", None, None]),
    ...         "end_date": pd.to_datetime([None, None, "2025-03-31", None])}
    >>> no_start_lines(cols)
    ([19, 37, 46], {'in_post': 1, 'agency': 1, 'leavers': 1})
    """
    start = np.asarray(w["start_date"], dtype="datetime64[ns]")
    end = np.asarray(w["end_date"], dtype="datetime64[ns]")
    agency = np.asarray(w["agency"], dtype=bool)
    none, open_ = np.isnat(start), np.isnat(end)
    if absent is not None:
        none &= np.asarray(absent, dtype=bool)
    lines = np.asarray(w["line"], dtype="int64")[none]
    counts = {
        "in_post": int((none & open_ & ~agency).sum()),
        "agency": int((none & open_ & agency).sum()),
        "leavers": int((none & ~open_).sum()),
    }
    return sorted(lines.tolist()), counts


_COUNTED_AS = {
    "in_post": "in post (no end date)",
    "agency": "agency workers at the reference date (no end date)",
    "leavers": "leavers on their end date",
}
_ONE_COUNTED_AS = {
    "in_post": "in post (no end date)",
    "agency": "an agency worker at the reference date (no end date)",
    "leavers": "a leaver on its end date",
}


def no_start_effect(counts: Mapping[str, int]) -> str:
    """What records with no start date count as, in words (``counts`` of
    :func:`no_start_lines`).

    >>> no_start_effect({"in_post": 12, "agency": 0, "leavers": 0})
    'counted in post (no end date), not as starters'
    >>> no_start_effect({"in_post": 0, "agency": 0, "leavers": 1})
    'counted as a leaver on its end date, not as a starter'
    >>> no_start_effect({"in_post": 2, "agency": 0, "leavers": 1})
    'counted: 2 in post (no end date), 1 as leavers on their end date; none as starters'
    """
    found = {k: n for k, n in counts.items() if n}
    if len(found) == 1:
        kind, n = next(iter(found.items()))
        what = (_ONE_COUNTED_AS if n == 1 else _COUNTED_AS)[kind]
        starters = "a starter" if n == 1 else "starters"
        return f"counted {'' if what.startswith('in ') else 'as '}{what}, not as {starters}"
    parts = [f"{n} {'' if k == 'in_post' else 'as '}{_COUNTED_AS[k]}" for k, n in found.items()]
    return f"counted: {', '.join(parts)}; none as starters"


def start_date_warnings(scan: Scan, w: Mapping[str, Any], absent: np.ndarray | None = None) -> None:
    """One warning for the records with no ``RoleStartDate``: how many, their lines, and
    what they count as (:func:`no_start_effect`). DfE's field list does not require the
    field, so it is not an error; but such a record can never be a starter, and its
    length of service is not known, so the return is not ready to submit. ``absent``: as
    for :func:`no_start_lines`."""
    lines, counts = no_start_lines(w, absent)
    if not lines:
        return
    n = len(lines)
    shown = ", ".join(map(str, lines[:SHOWN_LINES]))
    more = f" and {n - SHOWN_LINES} more" if n > SHOWN_LINES else ""
    records = "1 record has" if n == 1 else f"{n} records have"
    where = f"line {shown}" if n == 1 else f"lines {shown}{more}"
    scan.warnings.append(
        XmlProblem(
            scan.source.name,
            lines[0],
            "RoleStartDate",
            None,
            f"{records} no RoleStartDate ({where}): {no_start_effect(counts)}; "
            "give each its start date",
        )
    )


def business_problems(
    scan: Scan, workers: pd.DataFrame, columns: Mapping[str, Any] | None = None
) -> None:
    """Every business rule, adding to ``scan.problems``."""
    header_problems(scan)
    record_problems(scan, workers, columns)
