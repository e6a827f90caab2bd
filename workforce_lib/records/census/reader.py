"""Reading a council's CSWW census return (XML), safely and as a stream.

The file is parsed with lxml's ``iterparse`` with entity expansion, network access and
huge trees off, and a file carrying a DTD (``<!DOCTYPE``) is refused outright, by
:func:`prolog_problem` before libxml2 reads a byte (whatever its version's own entity
limits), so an entity bomb or an external entity is an error, never a hang. Each top-level element
(``Header``, ``LALevelVacancies``, each ``CSWWWorker``) is checked against the project's
schema (:data:`SCHEMA_PATH`) when its end tag is read, turned into a row and then
cleared, so the document is never held. A ``CSWWWorker`` is first matched, serialised,
against one regular expression derived from the same schema (:func:`fast_worker`), which
accepts only plainly valid records; any other record is checked by libxml2
(:func:`fast_schema`) and, if that fails, explained by :mod:`xmlschema` (:func:`schema`),
so the problems found are the schema's either way. The SWE number is replaced by its
keyed pseudonym (:func:`~workforce_lib.records.census.records.person_key`, through its
:func:`~workforce_lib.records.census.records.pseudonymiser`) as the record is
read; it is never kept, and never appears in a problem message (a record is named by its
line).

Files over :data:`MAX_RETURN_BYTES` are refused before parsing.

``FTE30`` is read as the FTE at 30 September of the census year itself and kept out of
every published measure (public descriptions disagree on which year it is).
"""

from __future__ import annotations

import math
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import xmlschema
from lxml import etree

from workforce_lib.errors import DataNotFoundError, DataValidationError
from workforce_lib.records.census.records import (
    PLACEHOLDER_PREFIX,
    WORKER_COLUMNS,
    CensusReturn,
    pseudonymiser,
)
from workforce_lib.records.census.schema_patterns import element_pattern
from workforce_lib.records.census.validate import (
    XmlProblem,
    business_problems,
    start_date_warnings,
)

#: Largest return read (bytes); a bigger file is refused before parsing. The largest
#: council's return is a few megabytes; override with ``WORKFORCE_CENSUS_MAX_BYTES``.
MAX_RETURN_BYTES = 200 * 1024**2

#: Problems listed per file before reading stops (a broken file is reported, not echoed).
MAX_PROBLEMS = 1000

ROOT = "Message"
SWE_PATTERN = re.compile(r"[A-Za-z]{2}[0-9]{4,12}")
#: What the schema sees instead of the SWE number (the pattern is checked by the reader).
_SWE_STAND_IN = "SW0000"

#: XML element -> workers column, in the return's order.
FIELDS: dict[str, str] = {
    "AgencyWorker": "agency",
    "SWENo": "person",
    "FTE": "fte",
    "PersonBirthDate": "birth_date",
    "GenderCurrent": "gender",
    "Ethnicity": "ethnicity",
    "QualInst": "",
    "QualLevel": "qual_level",
    "StepUpGrad": "step_up",
    "OrgRole": "org_role",
    "RoleStartDate": "start_date",
    "StartOrigin": "start_origin",
    "RoleEndDate": "end_date",
    "LeaverDestination": "leaver_destination",
    "ReasonLeave": "reason_leave",
    "FTE30": "",
    "Cases30": "cases30",
    "WorkingDaysLost": "days_lost",
    "ContractWeeks": "contract_weeks",
    "FrontlineGrad": "frontline",
    "Absat30Sept": "absent_30sep",
    "ReasonAbsence": "absence_reason",
    "CFKSSstatus": "pq_status",
}
_COLUMN_FIELD = {c: f for f, c in FIELDS.items() if c and c != "person"}
_TAGS = tuple(_COLUMN_FIELD.values())
#: Where a row (person, line, then the values of :data:`_TAGS`) holds ``RoleStartDate``.
_START_AT = 2 + _TAGS.index("RoleStartDate")

SCHEMA_PATH = resources.files("workforce_lib.records.census") / "csww.xsd"


@lru_cache(maxsize=1)
def schema() -> xmlschema.XMLSchema:
    """The project's CSWW schema (``csww.xsd``) read by :mod:`xmlschema`, loaded once:
    it says what is wrong with an element that fails."""
    with resources.as_file(SCHEMA_PATH) as path:
        return xmlschema.XMLSchema(str(path))


@lru_cache(maxsize=1)
def fast_schema() -> etree.XMLSchema:
    """The same schema compiled by libxml2: the gate every element passes through (about
    30 microseconds a record against xmlschema's 700), so only failing elements are
    explained by :func:`schema`."""
    with resources.as_file(SCHEMA_PATH) as path:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        return etree.XMLSchema(etree.parse(str(path), parser))


@lru_cache(maxsize=1)
def fast_worker() -> re.Pattern[str] | None:
    """The one-match check of a serialised ``CSWWWorker`` derived from the same schema
    (:func:`~workforce_lib.records.census.schema_patterns.element_pattern`): a record it
    matches is valid, and its values are the match's groups (about 5 microseconds a
    record against libxml2's 10 and the Python walk of its children); a record it does
    not match goes to :func:`fast_schema`, and if that fails, to :func:`schema`."""
    with resources.as_file(SCHEMA_PATH) as path:
        pattern = element_pattern(path, "CSWWWorker")
    if pattern is None or not {"SWENo", *_TAGS} <= set(pattern.groupindex):
        return None  # beyond the fast check: the schema checks every record
    return pattern


def max_bytes() -> int:
    """The size limit in force: ``WORKFORCE_CENSUS_MAX_BYTES`` or :data:`MAX_RETURN_BYTES`."""
    text = os.environ.get("WORKFORCE_CENSUS_MAX_BYTES", "")
    if not text:
        return MAX_RETURN_BYTES
    if not text.isdigit() or int(text) <= 0:
        raise DataValidationError(
            "WORKFORCE_CENSUS_MAX_BYTES",
            [XmlProblem("WORKFORCE_CENSUS_MAX_BYTES", None, None, text, "not a whole number > 0")],
        )
    return int(text)


def run_key() -> bytes:
    """A random key for one run: records de-duplicate within the run, and the pseudonyms
    mean nothing afterwards."""
    return secrets.token_bytes(32)


@dataclass
class Scan:
    """What reading one file found: the return (None when it could not be placed) and
    every problem, in file order."""

    source: Path
    problems: list[XmlProblem] = field(default_factory=list)
    #: not errors, but the return is not ready to submit (placeholder SWE numbers)
    warnings: list[XmlProblem] = field(default_factory=list)
    #: the line where each record with a placeholder SWE number begins (its ``line``)
    placeholder_records: list[int] = field(default_factory=list)
    council: str = ""
    year: int | None = None
    reference_date: pd.Timestamp | None = None
    header_line: int | None = None
    vacancies: dict[str, float] = field(default_factory=dict)
    vacancy_blocks: list[int] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    workers: pd.DataFrame | None = None

    def add(self, line, element, value, message) -> None:
        self.problems.append(XmlProblem(self.source.name, line, element, value, message))

    @property
    def full(self) -> bool:
        return len(self.problems) >= MAX_PROBLEMS


def _text(elem) -> str:
    return (elem.text or "").strip()


def _schema_problems(scan: Scan, elem, name: str) -> bool:
    """Check one top-level element against the schema's declaration of it; True when
    no problem was found (libxml2 may refuse what :mod:`xmlschema` accepts: a date with
    spaces around it)."""
    if fast_schema().validate(elem):
        return True
    found = len(scan.problems)
    decl = schema().elements[name]
    for err in decl.iter_errors(elem):
        bad = err.elem if err.elem is not None else elem
        tag = bad.tag if isinstance(bad.tag, str) else name
        line = getattr(bad, "sourceline", None) or elem.sourceline
        # the text as written (a code is a string: " 5 " is not "5")
        value = (bad.text or "") if len(bad) == 0 else None
        if tag == "SWENo":
            value = None  # never echoed
        reason = (err.reason or "does not match the schema").strip()
        scan.add(line, tag, value, reason)
    return len(scan.problems) == found


def _read_header(scan: Scan, elem, keyed) -> None:
    _schema_problems(scan, elem, "Header")
    scan.header_line = elem.sourceline
    year = elem.findtext("CollectionDetails/Year")
    ref = elem.findtext("CollectionDetails/ReferenceDate")
    lea = elem.findtext("Source/LEA")
    if year and year.strip().isdigit():
        scan.year = int(year.strip())
    if ref:
        scan.reference_date = _reference_date(ref.strip())
    scan.council = (lea or "").strip()


@lru_cache(maxsize=256)
def _reference_date(text: str) -> pd.Timestamp | None:
    """The header's reference date (None if it is not a ``YYYY-MM-DD`` date); a
    region's returns name a handful, so each is parsed once."""
    day = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    return None if pd.isna(day) else day


def _read_vacancies(scan: Scan, elem, keyed) -> None:
    _schema_problems(scan, elem, "LALevelVacancies")
    scan.vacancy_blocks.append(elem.sourceline)
    names = {
        "NumberOfVacancies": "vacancies_fte",
        "NoAgencyFTE": "agency_cover_fte",
        "NoAgencyHeadcount": "agency_cover_headcount",
    }
    for tag, key in names.items():
        value = pd.to_numeric(elem.findtext(tag, "").strip() or "nan", errors="coerce")
        scan.vacancies[key] = float(value)


def _read_worker(scan: Scan, elem, keyed: Callable[[str], str]) -> None:
    """One ``CSWWWorker``: its row, with the SWE number replaced by ``keyed`` (the
    region's :func:`~workforce_lib.records.census.records.pseudonymiser`)."""
    fast = fast_worker()
    if fast is not None:
        found = fast.fullmatch(etree.tostring(elem, encoding="unicode", with_tail=False))
        if found is not None:  # plainly valid: the schema would find nothing, and each
            # value is the match's group (the element's text); the SWE number matches
            # SWE_PATTERN
            swe = found["SWENo"]
            if swe[:2].upper() == PLACEHOLDER_PREFIX:
                _placeholder(scan, elem, elem.find("SWENo"))
            scan.rows.append((keyed(swe), elem.sourceline, *found.group(*_TAGS)))
            del swe
            return
    values = {child.tag: child.text for child in elem}
    swe_el = elem.find("SWENo")
    if swe_el is None:  # the schema reports it missing
        person = ""
    else:
        swe = (swe_el.text or "").strip()
        if not SWE_PATTERN.fullmatch(swe):
            scan.add(
                swe_el.sourceline,
                "SWENo",
                None,
                f"record at line {elem.sourceline}: not an SWE number (2 letters then 4 to "
                "12 digits; the value is not shown)",
            )
        elif swe[:2].upper() == PLACEHOLDER_PREFIX:
            _placeholder(scan, elem, swe_el)
        person = keyed(swe)
        del swe
    values.pop("SWENo", None)
    for el in elem.iter("SWENo"):  # the schema never sees a number, not even a second one
        el.text = _SWE_STAND_IN
    if _schema_problems(scan, elem, "CSWWWorker"):
        _unheld_dates(scan, elem, values)
    scan.rows.append((person, elem.sourceline, *map(values.get, _TAGS)))


#: The record's dates (elements of type ``xs:date``).
_DATE_TAGS = ("PersonBirthDate", "RoleStartDate", "RoleEndDate")


def _unheld_dates(scan: Scan, elem, values: dict) -> None:
    """A date the schema accepts but the workers table cannot hold (a time zone, a year
    before 1678 or after 2261) is a problem, not a missing or wrong date."""
    for tag in _DATE_TAGS:
        text = values.get(tag)
        if text is not None and np.isnat(_date(text)):
            scan.add(
                elem.find(tag).sourceline,
                tag,
                text.strip(),
                f"record at line {elem.sourceline}: a date the reader cannot use: write it "
                "as YYYY-MM-DD, years 1678 to 2261, with no time zone",
            )


def _placeholder(scan: Scan, elem, swe_el) -> None:
    scan.placeholder_records.append(elem.sourceline)
    scan.warnings.append(
        XmlProblem(
            scan.source.name,
            swe_el.sourceline,
            "SWENo",
            None,
            f"record at line {elem.sourceline}: placeholder SWE number (written from "
            "an HR extract): put the worker's registration number before submitting",
        )
    )


def _number(text) -> float:
    """A number from an element's text; NaN where absent or not a number."""
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


@lru_cache(maxsize=65536)
def _date(text: str) -> np.datetime64:
    """A ``YYYY-MM-DD`` date as a nanosecond datetime; NaT where there is none, or one
    nanoseconds cannot hold (before 1678 or after 2261: they would wrap round).

    >>> str(_date("2025-09-30")), [str(_date(t)) for t in ("1000-01-01", "2025-09-30Z", "")]
    ('2025-09-30T00:00:00.000000000', ['NaT', 'NaT', 'NaT'])
    """
    try:
        day = date.fromisoformat(text.strip())
    except (AttributeError, TypeError, ValueError):
        return np.datetime64("NaT", "ns")
    if not 1678 <= day.year <= 2261:
        return np.datetime64("NaT", "ns")
    return np.datetime64(day, "ns")


@lru_cache(maxsize=65536)
def _day(text: str | None) -> int:
    """:func:`_date` as nanoseconds (NaT's for no text), for one array per column."""
    return int(_date(text or "").astype("int64"))


def _numbers(values) -> np.ndarray:
    """:func:`_number` of each value: one comprehension, falling back to the
    value-by-value form only for a column holding something that is not a number."""
    try:
        return np.array([math.nan if v is None else float(v) for v in values], dtype=float)
    except (TypeError, ValueError):
        return np.array([_number(v) for v in values], dtype=float)


def _typed(rows: list[tuple]) -> pd.DataFrame:
    """The workers table, typed; values the schema refused become missing.

    >>> w = _typed([("p", 7, "1", "0.5", *[None] * 18)])
    >>> w.loc[0, "person"], float(w.loc[0, "fte"]), w["gender"].dtype.name
    ('p', 0.5, 'Int64')
    """
    return pd.DataFrame(_columns(rows))


def _columns(rows: list[tuple]) -> dict[str, object]:
    """The workers table's columns, typed, each one array (:data:`WORKER_COLUMNS`).

    Plain Python over the columns, each made into one array: a return is a few hundred
    records, and pandas' per-column conversions would cost more than the parsing.
    """
    columns = list(zip(*rows, strict=True)) if rows else [()] * (2 + len(_COLUMN_FIELD))
    raw = dict(zip(["person", "line", *_COLUMN_FIELD], columns, strict=True))
    out: dict[str, object] = {}
    for c, dtype in WORKER_COLUMNS.items():
        values = raw[c]
        if c in ("person", "ethnicity", "absence_reason"):
            text = [(v or "").strip() or None for v in values]
            out[c] = pd.Series(text, dtype=object)  # never pandas' own string type
        elif c == "line":
            out[c] = np.array(values, dtype="int64")
        elif dtype.startswith("datetime"):
            ns = np.array([_day(v) for v in values], dtype="int64")
            out[c] = ns.view("datetime64[ns]")
        else:
            num = _numbers(values)
            if dtype == "bool":
                out[c] = num == 1
            elif dtype == "boolean":
                out[c] = pd.arrays.BooleanArray(num == 1, np.isnan(num))
            elif dtype == "Int64":
                bad = np.isnan(num) | (num != np.round(num)) | (np.abs(num) > 2**53)
                whole = np.where(bad, 0, num).astype("int64")
                out[c] = pd.arrays.IntegerArray(whole, bad)
            else:
                out[c] = num
    return out


def scan_return(path: str | Path, key: bytes) -> Scan:
    """Read one return, collecting every problem (schema, structure and business rules)
    instead of stopping at the first; never raises for a bad file's content.

    Raises
    ------
    DataNotFoundError
        No file at ``path``.
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"No census return at {path}{_not_a_file(path)}.")
    scan = Scan(path)
    size = path.stat().st_size
    limit = max_bytes()
    if size > limit:
        scan.add(
            None,
            None,
            f"{size} bytes",
            f"file larger than the limit of {limit} bytes (MAX_RETURN_BYTES; set "
            "WORKFORCE_CENSUS_MAX_BYTES to change it): not read",
        )
        return scan
    if size == 0:
        scan.add(None, None, None, "empty file: not a census return")
        return scan
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as err:
        scan.add(None, None, None, f"cannot be read: {err.strerror or err}")
        return scan
    kind = next((k for magic, k in _NOT_XML.items() if head.startswith(magic)), None)
    if kind:
        scan.add(None, None, None, f"{kind}, not XML: not a census return")
        return scan
    try:
        refused = prolog_problem(path)
    except OSError as err:
        scan.add(None, None, None, f"cannot be read: {err.strerror or err}")
        return scan
    if refused is not None:
        scan.add(refused[0], None, None, refused[1])
        return scan
    if _stream(scan, path, key):
        absent = np.array([row[_START_AT] is None for row in scan.rows], dtype=bool)
        columns = _columns(scan.rows)
        scan.workers = pd.DataFrame(columns)
        scan.rows = []
        business_problems(scan, scan.workers, columns)
        start_date_warnings(scan, columns, absent)
    scan.problems.sort(key=lambda p: (p.row is not None, p.row or 0))  # stable: file order
    return scan


_TOP = ("Header", "LALevelVacancies", "CSWWWorker")

#: What a file starting with these bytes is (a common wrong file named .xml).
_NOT_XML = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx, .docx or .zip file?)",
    b"\x1f\x8b": "a gzip-compressed file",
    b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Office document (.xls or .doc?)",
}


DTD_REFUSED = (
    "the file declares a DTD (<!DOCTYPE>): refused before parsing, a census return has "
    "none (entities are never expanded)"
)

#: How much of a file's start :func:`prolog_problem` reads at most looking for the root
#: element; a prolog (declaration, comments, processing instructions) longer than this
#: is refused.
MAX_PROLOG_BYTES = 1024**2

#: Byte-order marks and the first bytes of ``<`` in each encoding XML can autodetect
#: (XML 1.0, appendix F), with the codec that reads the prolog and the mark's length.
_ENCODINGS = (
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\xef\xbb\xbf", "utf-8", 3),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00<", "utf-16-be", 0),
    (b"<\x00", "utf-16-le", 0),
)

#: One item of an XML prolog: white space, the declaration or another processing
#: instruction, a comment; or what ends the search: a DTD, or anything else (the root's
#: start tag, or text the parser will report).
_PROLOG_ITEM = re.compile(
    r"\s+|<\?.*?\?>|<!--.*?-->|(?P<doctype><!(?i:DOCTYPE))|(?P<end><(?!\?|!--)|[^<\s])",
    re.DOTALL,
)


def prolog_problem(path: Path) -> tuple[int | None, str] | None:
    r"""What is wrong with the prolog of a file (line and message), or None: a
    ``<!DOCTYPE`` before the root element, or a prolog longer than
    :data:`MAX_PROLOG_BYTES`.

    The prolog is read here, by Python, in the encoding its byte-order mark or first
    bytes give (UTF-8, UTF-16 or UTF-32; any other declared encoding's ASCII markup reads
    as Latin-1), before libxml2 sees a byte, so a DTD is refused whatever lxml's or
    libxml2's own limits on entities are.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     a, b = Path(d, "a.xml"), Path(d, "b.xml")
    ...     _ = a.write_bytes(b'<?xml version="1.0"?>\n<!-- x -->\n<!DOCTYPE M []>\n<M/>')
    ...     _ = b.write_bytes('<?xml version="1.0"?>\n<M/>'.encode("utf-16"))
    ...     prolog_problem(a)[0], prolog_problem(b)
    (3, None)
    """
    size = 64 * 1024
    with path.open("rb") as fh:
        head = fh.read(size)
        while True:
            codec, skip = next(
                ((c, n) for mark, c, n in _ENCODINGS if head.startswith(mark)), ("latin-1", 0)
            )
            text = head[skip:].decode(codec, errors="replace")
            pos = 0
            while (item := _PROLOG_ITEM.match(text, pos)) is not None:
                if item["doctype"] is not None:
                    return text.count("\n", 0, item.start()) + 1, DTD_REFUSED
                if item["end"] is not None:
                    return None
                pos = item.end()
            more = fh.read(size) if len(head) < MAX_PROLOG_BYTES else b""
            if not more:
                break
            head += more
    if len(head) >= MAX_PROLOG_BYTES:
        return None, (
            f"no root element in the first {MAX_PROLOG_BYTES} bytes (a prolog of comments "
            "or processing instructions far beyond any census return's): refused"
        )
    return None  # an unfinished comment or instruction: the parser reports it


def _not_a_file(path: Path) -> str:
    """Why ``path`` is not a readable file, as a clause ("" when it simply is not there)."""
    if path.is_dir():
        return ": it is a folder, not a file"
    if path.is_symlink():
        return ": a symbolic link to nothing, or a loop of links"
    if path.exists():
        return ": not a regular file"
    return ""


def _syntax_message(err: etree.XMLSyntaxError) -> str:
    """libxml2's message without its advice to the programmer (``XML_PARSE_HUGE``) or
    its own position (the problem gives the line)."""
    msg = str(err.msg or err)
    msg = re.sub(r",?\s*(try|use) XML_PARSE_HUGE( option)?", "", msg)
    msg = re.sub(r",?\s*line \d+, column \d+\s*$", "", msg.strip())
    msg = " ".join(msg.split())
    if "limit exceeded" in msg or "Excessive depth" in msg:
        msg += " (a text, attribute or nesting far beyond any census return's)"
    column = getattr(err, "position", (None, None))[1]
    return f"{msg}, column {column}" if column else msg


def _refused(scan: Scan, tree) -> bool:
    """A DTD or a root other than ``Message``: reported, and the file read no further."""
    root = tree.getroot()
    if tree.docinfo.doctype:  # one :func:`prolog_problem` could not read (an encoding
        # beyond UTF-8/16/32 and Latin-1's ASCII markup): refused all the same
        scan.add(root.sourceline, None, None, DTD_REFUSED)
        return True
    if root.tag != ROOT:
        scan.add(
            root.sourceline,
            str(root.tag),
            None,
            f"root element is {root.tag!r}, not {ROOT!r}: not a CSWW return",
        )
        return True
    return False


def _unexpected(scan: Scan, elem) -> None:
    if isinstance(elem.tag, str) and elem.tag not in _TOP:
        scan.add(elem.sourceline, elem.tag, None, f"unexpected element in {ROOT}")


def _iterparse(path: Path):
    """lxml's streaming parser, with every expansion and network access off."""
    return etree.iterparse(
        str(path),
        events=("end",),
        tag=(ROOT, *_TOP),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def _stream(scan: Scan, path: Path, key: bytes) -> bool:
    """Parse the file, reading each top-level element; True when it was read to its end.

    Only the end tags of the root and the three top-level elements reach Python (lxml
    filters the rest), and each element read is cleared with everything before it.
    """
    try:
        context = _iterparse(path)
    except OSError as err:  # unreadable
        scan.add(None, None, None, f"cannot be read: {err.strerror or err}")
        return False
    root = None
    order: list[str] = []
    readers = {"CSWWWorker": _read_worker, "LALevelVacancies": _read_vacancies,
               "Header": _read_header}  # fmt: skip
    keyed = pseudonymiser(key)
    try:
        for _, elem in context:
            if root is None:
                tree = elem.getroottree()
                if _refused(scan, tree):
                    return False
                root = tree.getroot()
            if elem is root or elem.getparent() is not root:
                continue  # the end; or nested, where the schema reports it
            tag = elem.tag
            order.append(tag)
            readers[tag](scan, elem, keyed)
            elem.clear()
            while (before := elem.getprevious()) is not None:
                if before.tag not in _TOP:
                    _unexpected(scan, before)
                del root[0]
            if len(scan.problems) >= MAX_PROBLEMS:  # scan.full
                scan.add(None, None, None, f"reading stopped after {MAX_PROBLEMS} problems")
                return False
        if root is None:  # nothing of a return in the file
            tree = context.root.getroottree()
            if _refused(scan, tree):
                return False
            root = tree.getroot()
        for rest in root:
            _unexpected(scan, rest)
    except etree.XMLSyntaxError as err:
        line = err.lineno if getattr(err, "lineno", None) else None
        scan.add(line, None, None, f"not well-formed XML: {_syntax_message(err)}")
        return False
    except OSError as err:  # unreadable, or gone while being read
        scan.add(None, None, None, f"cannot be read: {err.strerror or err}")
        return False
    finally:
        del context
    _structure(scan, order)
    return True


def _structure(scan: Scan, order: list[str]) -> None:
    """The order of the top-level elements: Header?, LALevelVacancies, CSWWWorker+."""
    n_vac = len(scan.vacancy_blocks)
    if n_vac != 1:
        lines = ", ".join(str(x) for x in scan.vacancy_blocks) or "none"
        scan.add(
            scan.vacancy_blocks[1] if n_vac > 1 else None,
            "LALevelVacancies",
            None,
            f"a return has exactly one LALevelVacancies, this one {n_vac} (lines {lines})",
        )
    if "CSWWWorker" not in order:
        scan.add(None, "CSWWWorker", None, "no CSWWWorker record: a return has at least one")
    known = [t for t in order if t in ("Header", "LALevelVacancies", "CSWWWorker")]
    rank = {"Header": 0, "LALevelVacancies": 1, "CSWWWorker": 2}
    if any(rank[a] > rank[b] for a, b in zip(known, known[1:], strict=False)):
        scan.add(
            None,
            ROOT,
            None,
            "elements out of order: a return holds Header, then LALevelVacancies, "
            "then the CSWWWorker records",
        )
    if order.count("Header") > 1:
        scan.add(None, "Header", None, "more than one Header")


def to_return(scan: Scan) -> CensusReturn:
    """The typed return from a scan with no problems."""
    workers = scan.workers if scan.workers is not None else _typed(scan.rows)
    return CensusReturn(
        council=scan.council,
        year=int(scan.year) if scan.year is not None else 0,
        reference_date=pd.Timestamp(scan.reference_date),
        source=scan.source,
        workers=workers,
        vacancies=dict(scan.vacancies),
    )


def read_return(path: str | Path, key: bytes | None = None) -> CensusReturn:
    """Read, check and type one council's census return.

    Parameters
    ----------
    path : the XML file.
    key : the secret for the keyed pseudonyms; None uses a random per-run key
        (:func:`run_key`), so records link within this run only.

    Raises
    ------
    DataNotFoundError
        No file at ``path``.
    DataValidationError
        Every problem in the file (schema, structure, business rules), in one error.
    """
    scan = scan_return(path, key if key is not None else run_key())
    if scan.problems:
        raise DataValidationError(scan.source.name, scan.problems)
    return to_return(scan)
