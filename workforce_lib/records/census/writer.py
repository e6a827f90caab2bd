"""Writing a CSWW census return, as a stream, and writing one from an HR extract.

:func:`write_return` writes record after record to a temporary file beside the target
and renames it into place, so the document is never held in memory and a failed write
leaves no half file. Every value is escaped.

:func:`from_extract` writes the return a council's HR extract implies, so the council
can check its return before it submits it. The extract has no SWE numbers: give them in
a lookup file (``worker_id,swe_number``), which the council holds; a worker without one
gets a placeholder (``XX`` and ten digits, never a real number's shape), which
``workforce census validate`` flags as not ready to submit. What the extract cannot say is
written as DfE's "not known" codes and listed by :func:`extract_gaps`.
"""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

from workforce_lib.errors import DataValidationError, Problem, WorkforceError
from workforce_lib.records import hr
from workforce_lib.records.census.reader import FIELDS, SWE_PATTERN
from workforce_lib.records.census.records import PLACEHOLDER_PREFIX
from workforce_lib.records.extract import AGENCY, Extract

#: The extract's role -> (``OrgRole``, ``CFKSSstatus``).
ROLE_TO_CENSUS: dict[str, tuple[int, int]] = {
    "asye": (5, 1),
    "social_worker": (5, 2),
    "senior_practitioner": (4, 2),
    "practice_supervisor": (4, 3),
    "team_manager": (3, 3),
    "service_manager": (2, 4),
}

#: The extract's leaving reason -> ``ReasonLeave`` (redundancy: the extract does not say
#: voluntary or compulsory, so compulsory, code 3; end of contract, career break: other).
REASON_TO_CENSUS: dict[str, int] = {
    "resignation": 1,
    "redundancy": 3,
    "dismissal": 4,
    "retirement": 5,
    "end_of_contract": 8,
    "end_of_assignment": 8,
    "career_break": 8,
    "other": 8,
}
DESTINATION_NOT_KNOWN = 8
ORIGIN_NEWLY_QUALIFIED, ORIGIN_NOT_KNOWN = 1, 9


def is_placeholder(swe: str) -> bool:
    """True for a placeholder SWE number written by :func:`from_extract`.

    >>> is_placeholder("XX0000000001"), is_placeholder("SW123456")
    (True, False)
    """
    return swe.strip().upper().startswith(PLACEHOLDER_PREFIX)


def number(x: float, places: int) -> str:
    """A decimal with at most ``places`` places, no trailing zeros.

    >>> number(0.8, 6), number(1.0, 2), number(1 / 3, 6), number(12.345, 2)
    ('0.8', '1', '0.333333', '12.35')
    """
    text = f"{round(x + 0.0, places):.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _element(tag: str, value) -> str:
    return f"<{tag}>{escape(str(value))}</{tag}>"


def record_xml(fields: dict[str, object]) -> str:
    """One ``CSWWWorker`` element from field values (tag -> text; None left out), in the
    schema's order.

    >>> record_xml({"SWENo": "SW1234", "AgencyWorker": 0, "QualInst": "A & B", "FTE": None})
    '  <CSWWWorker><AgencyWorker>0</AgencyWorker><SWENo>SW1234</SWENo><QualInst>A &amp; \
B</QualInst></CSWWWorker>\\n'
    """
    parts = [_element(t, fields[t]) for t in FIELDS if fields.get(t) not in (None, "")]
    return f"  <CSWWWorker>{''.join(parts)}</CSWWWorker>\n"


def header_xml(council: str, year: int, software: str = "workforce") -> str:
    """The ``Header`` of a return for council ``council`` and census ``year``."""
    return (
        "  <Header>\n    <CollectionDetails><Collection>CSWW</Collection>"
        f"<Year>{year}</Year><ReferenceDate>{year}-09-30</ReferenceDate></CollectionDetails>\n"
        f"    <Source><SourceLevel>L</SourceLevel><LEA>{escape(council)}</LEA>"
        f"<SoftwareCode>{escape(software)}</SoftwareCode></Source>\n  </Header>\n"
    )


def vacancies_xml(vacancies_fte: float, agency_fte: float, agency_headcount: int) -> str:
    """The ``LALevelVacancies`` element (FTE to 2 decimal places)."""
    return (
        f"  <LALevelVacancies><NumberOfVacancies>{vacancies_fte:.2f}</NumberOfVacancies>"
        f"<NoAgencyFTE>{agency_fte:.2f}</NoAgencyFTE>"
        f"<NoAgencyHeadcount>{int(agency_headcount)}</NoAgencyHeadcount></LALevelVacancies>\n"
    )


def write_return(
    path: str | Path,
    council: str,
    year: int,
    vacancies: tuple[float, float, int],
    records: Iterable[dict[str, object]],
    software: str = "workforce",
) -> int:
    """Write a return, streaming ``records`` (dicts of field -> value); returns how many.

    The file appears only when complete (written beside it, then renamed).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write('<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n')
            out.write(header_xml(council, year, software))
            out.write(vacancies_xml(*vacancies))
            for rec in records:
                out.write(record_xml(rec))
                n += 1
            out.write("</Message>\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n


# ---------------------------------------------------------------- from an HR extract
#: A lookup of SWE numbers is refused above this size (a council's lookup is a few
#: kilobytes; 100,000 workers at 40 bytes a line is 4 MB) ...
MAX_LOOKUP_BYTES = 8 * 1024 * 1024
#: ... or with more rows than this (England has about 40,000 children's social workers).
MAX_LOOKUP_ROWS = 100_000
#: A worker id longer than this is refused (and shown cut to it).
MAX_WORKER_ID = 64
LOOKUP_COLUMNS = ("worker_id", "swe_number")


def _cell_problem(name: str, row: int, column: str, value: str, message: str) -> Problem:
    """A problem with a worker id or a header cell, showing the value unless it has the
    shape of an SWE number (columns swapped, or no header row), cut to
    :data:`MAX_WORKER_ID` characters.

    >>> str(_cell_problem("f.csv", 3, "worker_id", "SW123456", "listed more than once"))
    "f.csv, row 3, column 'worker_id': listed more than once (value not shown: it has the \
shape of an SWE number)"
    """
    if SWE_PATTERN.fullmatch(value.strip()):
        hidden = f"{message} (value not shown: it has the shape of an SWE number)"
        return Problem(name, row, column, None, hidden)
    shown = value if len(value) <= MAX_WORKER_ID else value[:MAX_WORKER_ID] + "..."
    return Problem(name, row, column, shown, message)


def read_swe_numbers(path: str | Path) -> dict[str, str]:
    """The council's lookup of SWE numbers: a UTF-8 CSV with exactly the columns
    ``worker_id`` and ``swe_number`` (header on row 1; blank lines skipped).

    Read in one pass, in time linear in its rows, and bounded: at most
    :data:`MAX_LOOKUP_BYTES` bytes and :data:`MAX_LOOKUP_ROWS` rows. Every problem is
    listed in one error, each with the file, row (header = 1), column and value; an SWE
    number is never shown (a bad one is named by its row only).

    Raises
    ------
    WorkforceError
        No such file, or the file is over the size limit.
    DataValidationError
        Not UTF-8 text, no header, a missing, unknown or repeated column, a row with too
        few or too many cells, a blank or over-long worker id, a worker listed twice, a
        malformed SWE number, too many rows.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "swe.csv").write_text("worker_id,swe_number\\nW1,SW123456\\n\\nW2, sw654321\\n")
    >>> read_swe_numbers(d / "swe.csv")
    {'W1': 'SW123456', 'W2': 'sw654321'}
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise WorkforceError(f"No SWE number lookup at {path}.")
    size = path.stat().st_size
    if size > MAX_LOOKUP_BYTES:
        raise WorkforceError(
            f"{name}: {size:,} bytes, over the {MAX_LOOKUP_BYTES:,}-byte limit for a lookup "
            "of SWE numbers (worker_id,swe_number): not read."
        )
    with path.open("rb") as f:
        data = f.read(MAX_LOOKUP_BYTES + 1)  # the file may have grown since
    if len(data) > MAX_LOOKUP_BYTES:
        raise WorkforceError(f"{name}: over the {MAX_LOOKUP_BYTES:,}-byte limit: not read.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise DataValidationError(
            name, [Problem(name, line, None, None, f"not UTF-8 text (byte {e.start + 1})")]
        ) from None
    problems: list[Problem] = []
    lookup: dict[str, str] = {}
    first_row: dict[str, int] = {}
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    row_no = 0
    try:
        for cells in rows:
            row_no += 1
            if header is None:
                header = [c.strip().lower() for c in cells]
                problems += _header_problems(name, header)
                if problems:
                    break
                i_id, i_swe = header.index("worker_id"), header.index("swe_number")
                continue
            if not any(c.strip() for c in cells):
                continue  # a blank line
            if row_no - 1 > MAX_LOOKUP_ROWS:
                too_many = f"more than {MAX_LOOKUP_ROWS:,} rows: not read further"
                problems.append(Problem(name, row_no, None, None, too_many))
                break
            if len(cells) != len(header):
                plural = "s" if len(cells) != 1 else ""
                count = f"{len(cells)} cell{plural}, the header has {len(header)}"
                problems.append(Problem(name, row_no, None, None, count))
                continue
            wid, swe = cells[i_id].strip(), cells[i_swe].strip()
            if not wid:
                problems.append(Problem(name, row_no, "worker_id", None, "blank"))
            elif len(wid) > MAX_WORKER_ID:
                problems.append(
                    _cell_problem(
                        name, row_no, "worker_id", wid, f"longer than {MAX_WORKER_ID} characters"
                    )
                )
            elif any(ord(ch) < 32 or ord(ch) == 127 for ch in wid):
                problems.append(
                    _cell_problem(name, row_no, "worker_id", wid, "holds a control character")
                )
            elif wid in first_row:
                if first_row[wid] > 0:  # the first time seen again: name that row too
                    problems.append(
                        _cell_problem(
                            name, first_row[wid], "worker_id", wid, "listed more than once"
                        )
                    )
                    first_row[wid] = -first_row[wid]
                problems.append(
                    _cell_problem(name, row_no, "worker_id", wid, "listed more than once")
                )
            else:
                first_row[wid] = row_no
            if not SWE_PATTERN.fullmatch(swe):
                what = "blank" if not swe else "not an SWE number (not shown)"
                problems.append(Problem(name, row_no, "swe_number", None, what))
            elif wid and wid not in lookup:
                lookup[wid] = swe
    except csv.Error as e:  # a stray quote, a NUL byte, a cell over csv's size limit
        problems.append(Problem(name, row_no + 1, None, None, f"not a well-formed CSV row ({e})"))
    if header is None:
        problems.append(Problem(name, None, None, None, "empty: no header row"))
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise DataValidationError(name, problems)
    return lookup


def _header_problems(name: str, header: list[str]) -> list[Problem]:
    """Missing, unknown and repeated columns of a lookup's header."""
    out = [Problem(name, 1, c, None, "column missing") for c in LOOKUP_COLUMNS if c not in header]
    for i, c in enumerate(header):
        if c not in LOOKUP_COLUMNS:
            known = ", ".join(LOOKUP_COLUMNS)
            out.append(_cell_problem(name, 1, "header", c, f"unknown column (only {known})"))
        elif c in header[:i]:
            out.append(Problem(name, 1, c, None, "column given twice"))
    return out


def _census_rows(extract: Extract, swe: dict[str, str]) -> Iterator[dict[str, object]]:
    """The records a return as at the extract date holds: permanent staff in post or
    leaving in the 12 months to it, agency workers in assignment on it."""
    day = extract.extract_date
    before = day - pd.DateOffset(years=1)
    w = extract.workers
    for i, r in enumerate(w.itertuples(index=False)):
        agency = r.employment_type == AGENCY
        left = pd.notna(r.leaving_date) and r.leaving_date <= day
        if r.start_date > day or (left and (agency or r.leaving_date <= before)):
            continue
        role, pq = ROLE_TO_CENSUS.get(r.role, (5, 2))
        number_ = swe.get(r.worker_id) or f"{PLACEHOLDER_PREFIX}{i + 1:010d}"
        in_post = not left
        rec: dict[str, object] = {
            "AgencyWorker": int(agency),
            "SWENo": number_,
            "FTE": number(r.fte, 6),
            "QualInst": "Not known (from HR extract)",
            "OrgRole": role,
            "RoleStartDate": f"{r.start_date:%Y-%m-%d}",
            "CFKSSstatus": pq,
        }
        if not agency:
            asye = bool(r.joined_as_asye)
            rec["StartOrigin"] = ORIGIN_NEWLY_QUALIFIED if asye else ORIGIN_NOT_KNOWN
            if r.sickness_days:
                rec["WorkingDaysLost"] = number(r.sickness_days, 2)
        if left:
            rec["RoleEndDate"] = f"{r.leaving_date:%Y-%m-%d}"
            rec["LeaverDestination"] = DESTINATION_NOT_KNOWN
            rec["ReasonLeave"] = REASON_TO_CENSUS.get(r.leaving_reason, 8)
        if in_post:
            rec["Cases30"] = int(r.cases)
        yield rec


def extract_gaps() -> list[str]:
    """What a return written from an HR extract cannot know, for the council to fill in."""
    return [
        "QualInst, PersonBirthDate, GenderCurrent, Ethnicity, QualLevel: not in the HR "
        "extract; QualInst is written as 'Not known (from HR extract)', the others left out.",
        "LeaverDestination: written as 8 (not known) for every leaver.",
        "StartOrigin: 1 (newly qualified) where joined_as_asye, else 9 (not known).",
        "ReasonLeave: redundancy is written as compulsory (3); end of contract and career "
        "break as other (8).",
        "NoAgencyHeadcount: the number of vacant posts covered by an agency worker.",
    ]


def from_extract(
    extract: Extract, out: str | Path, council: str, swe_numbers: dict[str, str] | None = None
) -> tuple[int, int]:
    """Write the return an HR extract implies; returns (records, placeholders).

    Raises
    ------
    WorkforceError
        The extract is not dated 30 September (a return is as at that date, and cases,
        sickness and vacancies are recorded at the extract date only), or ``council`` is
        not a three-digit LA number.
    """
    day = extract.extract_date
    if (day.month, day.day) != (9, 30):
        raise WorkforceError(
            f"{extract.source.name}: extract_date is {day:%Y-%m-%d}; a census return is as at "
            f"30 September, and cases, sickness and vacancies are known only at the extract "
            f"date: take the extract on 30 September (e.g. {hr.census_date(day):%Y-%m-%d})."
        )
    if not (len(council) == 3 and council.isdigit()):
        raise WorkforceError(f"--council must be the three-digit LA number, not {council!r}.")
    swe = swe_numbers or {}
    v = extract.vacancies
    covered = v[v["agency_cover"]]
    vac = (float(v["fte"].sum()), float(covered["fte"].sum()), len(covered))
    if any(not math.isfinite(x) for x in vac[:2]):
        raise WorkforceError(f"{extract.source.name}: vacancy FTE is not a number.")
    rows = list(_census_rows(extract, swe))
    placeholders = sum(is_placeholder(str(r["SWENo"])) for r in rows)
    write_return(out, council, day.year, vac, rows, software="workforce from-extract")
    return len(rows), placeholders
