"""The business rules of a census return that its schema cannot say, and how a problem
in an XML file is named (file, line, element, value, what is wrong).

A record is always named by its line, never by its SWE number.

Examples
--------
>>> str(XmlProblem("a.xml", 12, "FTE", "1.5", "more than 1"))
"a.xml, line 12, element 'FTE', value '1.5': more than 1"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from workforce_lib.errors import Problem

if TYPE_CHECKING:  # pragma: no cover
    from workforce_lib.census.reader import Scan


@dataclass(frozen=True)
class XmlProblem(Problem):
    """A problem in an XML file: ``row`` is the line, ``column`` the element."""

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"line {self.row}")
        if self.column is not None:
            where.append(f"element '{self.column}'")
        value = "" if self.value is None else f", value {self.value!r}"
        return f"{', '.join(where)}{value}: {self.message}"


def _or_none(x):
    return None if pd.isna(x) else x


def _day(x) -> str:
    return f"{x:%Y-%m-%d}"


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


def record_problems(scan: Scan, w: pd.DataFrame) -> None:
    """Each record's dates, leaving details and duplicates, in line order."""
    ref = scan.reference_date
    year_start = None if ref is None else ref - pd.DateOffset(years=1)
    found: list[tuple[int, str, object, str]] = []
    seen: dict[tuple, int] = {}
    for r in w.itertuples(index=False):
        who = f"record at line {r.line}"
        start, end = r.start_date, r.end_date
        same = (r.person, r.agency, _or_none(start), _or_none(end), _or_none(r.org_role))
        if r.person and same in seen:
            found.append(
                (r.line, "CSWWWorker", None, f"{who}: duplicate of the record at line "
                 f"{seen[same]} (same person, type, role and dates)")
            )  # fmt: skip
        seen.setdefault(same, r.line)
        if pd.notna(start) and pd.notna(end) and end < start:
            found.append(
                (r.line, "RoleEndDate", _day(end), f"{who}: end date before start date "
                 f"{_day(start)}")
            )  # fmt: skip
        has_end = pd.notna(end)
        for col, tag in (("reason_leave", "ReasonLeave"),
                         ("leaver_destination", "LeaverDestination")):  # fmt: skip
            present = pd.notna(getattr(r, col))
            if has_end and not present:
                found.append((r.line, tag, None, f"{who}: a leaver (end date) needs {tag}"))
            elif present and not has_end:
                found.append(
                    (r.line, tag, str(getattr(r, col)), f"{who}: {tag} given but no end date")
                )
        if ref is not None and pd.notna(end):
            if end > ref:
                found.append(
                    (r.line, "RoleEndDate", _day(end), f"{who}: end date after the reference "
                     f"date {_day(ref)}")
                )  # fmt: skip
            elif end <= year_start:
                found.append(
                    (r.line, "RoleEndDate", _day(end), f"{who}: end date before the census "
                     f"year (a return holds leavers of the 12 months to {_day(ref)})")
                )  # fmt: skip
        if ref is not None and pd.notna(start) and start > ref:
            found.append(
                (r.line, "RoleStartDate", _day(start), f"{who}: start date after the "
                 f"reference date {_day(ref)}")
            )  # fmt: skip
    for line, tag, value, message in sorted(found, key=lambda f: f[0]):
        scan.add(line, tag, value, message)


def business_problems(scan: Scan, workers: pd.DataFrame) -> None:
    """Every business rule, adding to ``scan.problems``."""
    header_problems(scan)
    record_problems(scan, workers)
