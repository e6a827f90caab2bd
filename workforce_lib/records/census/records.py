"""The census internal tables: one council's return as typed records.

A :class:`CensusReturn` is what :func:`workforce_lib.records.census.reader.read_return` gives for
one CSWW XML file: the header, the council's vacancies and one row per ``CSWWWorker``
record in :attr:`CensusReturn.workers`, with the columns of :data:`WORKER_COLUMNS`. The
SWE number is never kept: ``person`` is its keyed pseudonym (:func:`person_key`).

The field codes are DfE's, as published (``shared/specs/csww-census-return.md``).

Examples
--------
>>> START_ORIGINS[4]
'Agency or consultancy in social work (England)'
>>> len(person_key("SW123456", b"secret")), person_key(" sw123456 ", b"k") == person_key(
...     "SW123456", b"k")
(64, True)
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: The workers table's columns and their pandas dtypes, in order.
WORKER_COLUMNS: dict[str, str] = {
    "person": "object",  # keyed pseudonym of the SWE number (hex); never the number
    "agency": "bool",
    "fte": "float64",  # NaN where the record has no FTE
    "birth_date": "datetime64[ns]",
    "gender": "Int64",
    "ethnicity": "object",
    "qual_level": "Int64",
    "org_role": "Int64",
    "start_date": "datetime64[ns]",
    "start_origin": "Int64",
    "end_date": "datetime64[ns]",  # NaT while in post
    "leaver_destination": "Int64",
    "reason_leave": "Int64",
    "cases30": "float64",
    "days_lost": "float64",
    "contract_weeks": "float64",
    "absent_30sep": "bool",
    "absence_reason": "object",
    "pq_status": "Int64",
    "step_up": "boolean",
    "frontline": "boolean",
    "line": "int64",  # the record's line in the source file
}

#: ``GenderCurrent``
GENDERS: dict[int, str] = {0: "Not known", 1: "Male", 2: "Female", 9: "Not specified"}

#: ``Ethnicity`` codes and DfE's broad groups.
ETHNICITIES: dict[str, tuple[str, str]] = {
    "WBRI": ("White British", "White"),
    "WIRI": ("White Irish", "White"),
    "WOTH": ("Any other White background", "White"),
    "MWBC": ("White and Black Caribbean", "Mixed"),
    "MWBA": ("White and Black African", "Mixed"),
    "MWAS": ("White and Asian", "Mixed"),
    "MOTH": ("Any other Mixed background", "Mixed"),
    "AIND": ("Indian", "Asian"),
    "APKN": ("Pakistani", "Asian"),
    "ABAN": ("Bangladeshi", "Asian"),
    "AOTH": ("Any other Asian background", "Asian"),
    "BCRB": ("Caribbean", "Black"),
    "BAFR": ("African", "Black"),
    "BOTH": ("Any other Black background", "Black"),
    "CHNE": ("Chinese", "Other"),
    "OOTH": ("Any other ethnic group", "Other"),
    "REFU": ("Refused", "Not known"),
    "NOBT": ("Not yet obtained", "Not known"),
}

#: ``QualLevel``
QUAL_LEVELS: dict[int, str] = {1: "Undergraduate", 2: "Postgraduate", 3: "Other"}

#: ``OrgRole``, most senior first (a person with two posts counts in the lower code).
ORG_ROLES: dict[int, str] = {
    1: "Senior manager",
    2: "Middle manager",
    3: "First line manager",
    4: "Senior practitioner",
    5: "Case holder",
    6: "Qualified without cases",
}

#: ``StartOrigin``
START_ORIGINS: dict[int, str] = {
    1: "Newly qualified",
    2: "Social work role in another English council",
    3: "Social work role outside England",
    4: "Agency or consultancy in social work (England)",
    5: "Other social work role, not a council (England)",
    6: "Other social care role (England)",
    7: "Non-social-care role, outside England, no employment or career break",
    8: "Other",
    9: "Not known",
    10: "Not yet collected",
}
ORIGIN_AGENCY = 4

#: ``LeaverDestination``
LEAVER_DESTINATIONS: dict[int, str] = {
    1: "Social work role in another English council",
    2: "Social work role outside England",
    3: "Agency or consultancy in social work (England)",
    4: "Other social work role, not a council (England)",
    5: "Other social care role (England)",
    6: "Non-social-care role, outside England, no employment or career break",
    7: "Other",
    8: "Not known",
    9: "Not yet collected",
}
DESTINATION_AGENCY = 3

#: ``ReasonLeave``
LEAVING_REASONS: dict[int, str] = {
    1: "Resignation",
    2: "Voluntary redundancy",
    3: "Compulsory redundancy",
    4: "Dismissed",
    5: "Retired",
    6: "Deceased",
    7: "Moved to a role in the council outside children and family social work",
    8: "Other",
    9: "Not known",
    10: "Not yet collected",
}
REDUNDANCY_REASONS = (2, 3)

#: ``ReasonAbsence``
ABSENCE_REASONS: dict[str, str] = {
    "MAT": "Maternity or paternity leave",
    "OTH": "Other paid authorised absence",
    "PUB": "Public duties",
    "SIC": "Sickness",
    "TRN": "Training",
    "UNA": "Unauthorised absence",
    "UNP": "Unpaid authorised absence",
}

#: ``CFKSSstatus``
PQ_STATUSES: dict[int, str] = {
    1: "ASYE",
    2: "Practitioner",
    3: "Practice supervisor",
    4: "Practice leader",
}


#: Placeholder SWE numbers (written from an HR extract without the council's lookup)
#: start with these letters; real ones start ``SW``.
PLACEHOLDER_PREFIX = "XX"


def person_key(swe_no: str, key: bytes) -> str:
    """The keyed pseudonym of an SWE number: HMAC-SHA256 (hex) of the number with
    surrounding spaces removed and letters in upper case.

    A plain hash would not do: registration numbers are few enough to try every one.
    """
    normal = swe_no.strip().upper().encode("ascii", "replace")
    return hmac.digest(key, normal, hashlib.sha256).hex()


def pseudonymiser(key: bytes) -> Callable[[str], str]:
    """:func:`person_key` with the key set once: each number's HMAC starts from a copy of
    the keyed state instead of keying anew (the same pseudonyms, half the time), for a
    reader that pseudonymises many numbers with one key.

    >>> keyed = pseudonymiser(b"secret")
    >>> keyed(" sw123456 ") == person_key("SW123456", b"secret")
    True
    """
    keyed = hmac.new(key, digestmod=hashlib.sha256)

    def pseudonym(swe_no: str) -> str:
        h = keyed.copy()
        h.update(swe_no.strip().upper().encode("ascii", "replace"))
        return h.hexdigest()

    return pseudonym


def empty_workers() -> pd.DataFrame:
    """A workers table with no rows and every column typed.

    >>> list(empty_workers().columns) == list(WORKER_COLUMNS)
    True
    """
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in WORKER_COLUMNS.items()})


@dataclass
class CensusReturn:
    """One council's CSWW return for one census year.

    Attributes
    ----------
    council : the council's three-digit LA number (``Header/Source/LEA``).
    year : the census year (``CollectionDetails/Year``).
    reference_date : 30 September of ``year`` (``ReferenceDate``).
    source : the file read.
    workers : one row per ``CSWWWorker`` record, columns :data:`WORKER_COLUMNS`.
    vacancies : ``vacancies_fte``, ``agency_cover_fte``, ``agency_cover_headcount``
        (``LALevelVacancies``).
    """

    council: str
    year: int
    reference_date: pd.Timestamp
    source: Path
    workers: pd.DataFrame
    vacancies: dict[str, float] = field(default_factory=dict)
