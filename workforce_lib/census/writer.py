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

import math
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

from workforce_lib import hr
from workforce_lib.census.reader import FIELDS, SWE_PATTERN
from workforce_lib.census.records import PLACEHOLDER_PREFIX
from workforce_lib.errors import DataValidationError, Problem, WorkforceError
from workforce_lib.extract import AGENCY, Extract

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
def read_swe_numbers(path: str | Path) -> dict[str, str]:
    """The council's lookup of SWE numbers: a CSV with ``worker_id`` and ``swe_number``.

    Raises
    ------
    DataValidationError
        Missing columns, a malformed number (shown by row only), a worker listed twice.
    """
    path = Path(path)
    if not path.is_file():
        raise WorkforceError(f"No SWE number lookup at {path}.")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in ("worker_id", "swe_number") if c not in frame.columns]
    if missing:
        raise DataValidationError(
            path.name, [Problem(path.name, None, c, None, "column missing") for c in missing]
        )
    problems = []
    ids = frame["worker_id"].str.strip()
    for i, (wid, swe) in enumerate(zip(ids, frame["swe_number"].str.strip(), strict=True)):
        if not SWE_PATTERN.fullmatch(swe):
            problems.append(
                Problem(path.name, i + 2, "swe_number", None, "not an SWE number (not shown)")
            )
        if (ids == wid).sum() > 1:
            problems.append(Problem(path.name, i + 2, "worker_id", wid, "listed more than once"))
    if problems:
        raise DataValidationError(path.name, problems)
    return dict(zip(ids, frame["swe_number"].str.strip(), strict=True))


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
