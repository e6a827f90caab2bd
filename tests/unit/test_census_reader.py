"""Reading a CSWW census return: typed records, keyed pseudonyms, nothing of the SWE
number kept."""

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib.records.census.reader import read_return
from workforce_lib.records.census.records import WORKER_COLUMNS, person_key

SMALL = FIXTURES / "census" / "small_2025.xml"
KEY = b"test key"


@pytest.fixture(scope="module")
def small():
    return read_return(SMALL, KEY)


def test_header_vacancies_and_records(small):
    assert (small.council, small.year) == ("990", 2025)
    assert small.reference_date == pd.Timestamp("2025-09-30")
    assert small.vacancies == {
        "vacancies_fte": 2.5,
        "agency_cover_fte": 1.0,
        "agency_cover_headcount": 1.0,
    }
    w = small.workers
    assert list(w.columns) == list(WORKER_COLUMNS)
    assert len(w) == 9 and int(w["agency"].sum()) == 2
    assert w["line"].tolist() == [23, 40, 57, 73, 93, 110, 128, 145, 156]
    assert pd.isna(w.at[8, "fte"])  # the second agency worker has no FTE
    assert w.at[5, "end_date"] == pd.Timestamp("2025-03-31") and w.at[5, "reason_leave"] == 1
    assert w.at[4, "absence_reason"] == "MAT" and bool(w.at[4, "absent_30sep"])
    assert w["frontline"].tolist()[3] is True and pd.isna(w.at[0, "frontline"])


def test_swe_numbers_become_keyed_pseudonyms(small):
    w = small.workers
    assert w.at[0, "person"] == person_key("SW100001", KEY)
    assert w.at[1, "person"] == w.at[2, "person"]  # one person, two posts
    assert w["person"].nunique() == 8
    text = w.to_csv() + repr(small)
    assert "100001" not in text and "SW1" not in text
    other = read_return(SMALL, b"another key").workers
    assert not set(other["person"]) & set(w["person"])  # a different key links nothing


# ---------------------------------------------------------------- hostile files
def _only_problem(path):
    from workforce_lib.records.census.reader import scan_return

    (problem,) = scan_return(path, KEY).problems
    return str(problem)


def test_a_zip_or_pdf_named_xml_is_said_to_be_one(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "return.xml", "w") as z:
        z.writestr("a.txt", "hello")
    assert "a ZIP archive" in _only_problem(tmp_path / "return.xml")
    (tmp_path / "b.xml").write_bytes(b"%PDF-1.7 ...")
    assert "a PDF document, not XML" in _only_problem(tmp_path / "b.xml")


def test_libxml2_limits_are_named_without_its_advice_to_programmers(tmp_path):
    # a 11 MB text node, 300 levels deep: libxml2's limits, never lifted (huge_tree off)
    (tmp_path / "text.xml").write_text("<Message><Header>" + "A" * 11_000_000 + "</Header>")
    (tmp_path / "deep.xml").write_text("<Message>" + "<a>" * 300 + "</a>" * 300 + "</Message>")
    for name in ("text.xml", "deep.xml"):
        msg = _only_problem(tmp_path / name)
        assert msg.startswith(f"{name}, line 1: not well-formed XML: ")
        assert "XML_PARSE_HUGE" not in msg and "\n" not in msg
        assert "far beyond any census return's" in msg


def test_a_folder_or_a_loop_of_links_is_named_as_such(tmp_path):
    from workforce_lib.errors import DataNotFoundError
    from workforce_lib.records.census.reader import scan_return

    (tmp_path / "dir.xml").mkdir()
    (tmp_path / "a.xml").symlink_to(tmp_path / "b.xml")
    (tmp_path / "b.xml").symlink_to(tmp_path / "a.xml")
    with pytest.raises(DataNotFoundError, match="it is a folder, not a file"):
        scan_return(tmp_path / "dir.xml", KEY)
    with pytest.raises(DataNotFoundError, match="a loop of links"):
        scan_return(tmp_path / "a.xml", KEY)


def test_a_file_that_cannot_be_read_is_a_problem_not_a_traceback(tmp_path, monkeypatch):
    from workforce_lib.records.census import reader

    path = tmp_path / "r.xml"
    path.write_text("<Message/>")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reader.etree, "iterparse", refuse)
    assert _only_problem(path) == "r.xml: cannot be read: Permission denied"


# ------------------------------------------------ the fast path and the schema agree
#: Changes to a record (old, new): values at and beyond every facet, structure the
#: schema refuses, the business rules and the SWE number's checks.
CHANGES = [
    ("<FTE>1</FTE>", "<FTE>1.0000000</FTE>"),
    ("<FTE>1</FTE>", "<FTE> 1 </FTE>"),
    ("<FTE>1</FTE>", "<FTE>1.5</FTE>"),
    ("<FTE>1</FTE>", "<FTE>abc</FTE>"),
    ("<FTE>1</FTE>", '<FTE unit="x">1</FTE>'),
    ("<FTE>1</FTE>", "<FTE>1</FTE><FTE>1</FTE>"),
    ("<FTE>1</FTE>", ""),
    ("<OrgRole>5</OrgRole>", "<OrgRole>7</OrgRole>"),
    ("<OrgRole>5</OrgRole>", "<OrgRole>+5</OrgRole>"),
    ("<OrgRole>5</OrgRole>", "<OrgRole>05</OrgRole>"),
    ("<OrgRole>5</OrgRole>", "<OrgRole> 5 </OrgRole>"),
    ("<AgencyWorker>0</AgencyWorker>", "<AgencyWorker>00</AgencyWorker>"),
    ("<AgencyWorker>0</AgencyWorker>", "<AgencyWorker>+0</AgencyWorker>"),
    ("<Cases30>10</Cases30>", "<Cases30>10001</Cases30>"),
    ("<Cases30>10</Cases30>", "<Cases30>1e1</Cases30>"),
    ("<RoleStartDate>2020-01-06</RoleStartDate>", "<RoleStartDate>2021-02-29</RoleStartDate>"),
    ("<RoleStartDate>2020-01-06</RoleStartDate>", "<RoleStartDate>2020-02-29</RoleStartDate>"),
    ("<RoleStartDate>2020-01-06</RoleStartDate>", "<RoleStartDate>2020-01-06Z</RoleStartDate>"),
    ("<RoleStartDate>2020-01-06</RoleStartDate>", "<RoleStartDate>1850-01-06</RoleStartDate>"),
    ("<RoleStartDate>2020-01-06</RoleStartDate>", "<RoleStartDate>2026-01-06</RoleStartDate>"),
    ("<RoleStartDate>2020-01-06</RoleStartDate>",
     "<RoleStartDate>2020-01-06</RoleStartDate><RoleEndDate>2019-01-01</RoleEndDate>"),
    ("<QualInst>University A</QualInst>", "<QualInst></QualInst>"),
    ("<QualInst>University A</QualInst>", "<QualInst>A &amp; B</QualInst>"),
    ("<QualInst>University A</QualInst>", f"<QualInst>{'x' * 201}</QualInst>"),
    ("<SWENo>SW100001</SWENo>", "<SWENo> SW100001 </SWENo>"),
    ("<SWENo>SW100001</SWENo>", "<SWENo>XX100001</SWENo>"),
    ("<SWENo>SW100001</SWENo>", "<SWENo>SW12</SWENo>"),
    ("<SWENo>SW100001</SWENo>", "<SWENo>SW100001</SWENo><SWENo>SW100009</SWENo>"),
    ("<SWENo>SW100001</SWENo>", ""),
    ("<AgencyWorker>0</AgencyWorker>", "<AgencyWorker>2</AgencyWorker>"),
    ("<CSWWWorker>", '<CSWWWorker id="1">'),
    ("<CSWWWorker>", "<CSWWWorker>stray text"),
    ("</CSWWWorker>", "<Extra>1</Extra></CSWWWorker>"),
]  # fmt: skip


#: The changes above that leave a valid return (an optional FTE left out; values the
#: schema accepts in a form beyond the fast check).
VALID = {"<FTE>1.0000000</FTE>", "<FTE> 1 </FTE>", "<RoleStartDate>2020-02-29</RoleStartDate>",
         "<RoleStartDate>1850-01-06</RoleStartDate>",
         "<QualInst>A &amp; B</QualInst>", "<SWENo> SW100001 </SWENo>"}  # fmt: skip


def _scan_facts(scan):
    problems = [str(p) for p in scan.problems]
    warnings = [str(p) for p in scan.warnings]
    return problems, warnings, scan.council, scan.year, scan.vacancies


def _agree(path, monkeypatch):
    from workforce_lib.records.census import reader

    fast = reader.scan_return(path, KEY)
    assert reader.fast_worker() is not None
    with monkeypatch.context() as m:
        m.setattr(reader, "fast_worker", lambda: None)  # every record to the schema
        m.setattr(reader, "business_problems", _every_rule)
        slow = reader.scan_return(path, KEY)
    assert _scan_facts(fast) == _scan_facts(slow), path.name
    if slow.workers is not None:
        pd.testing.assert_frame_equal(fast.workers, slow.workers, check_exact=True)
    return fast


def _every_rule(scan, workers, columns=None):
    """The business rules without the quick pass that skips a file with nothing wrong."""
    from workforce_lib.records.census import validate

    validate.header_problems(scan)
    original = validate._nothing_to_report
    validate._nothing_to_report = lambda ref, w: False
    try:
        validate.record_problems(scan, workers)
    finally:
        validate._nothing_to_report = original


def test_fast_path_finds_what_the_schema_finds_in_every_fixture(monkeypatch):
    paths = sorted((FIXTURES / "census").rglob("*.xml"))
    assert len(paths) > 20
    for path in paths:
        _agree(path, monkeypatch)


@pytest.mark.parametrize("old,new", CHANGES)
def test_fast_path_finds_what_the_schema_finds_in_a_changed_record(tmp_path, monkeypatch,
                                                                   old, new):  # fmt: skip
    text = (FIXTURES / "census" / "good_two.xml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "changed.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    scan = _agree(path, monkeypatch)
    # valid, though not in the plainest form (the schema decides): no problem
    valid = new in VALID or (old, new) == ("<FTE>1</FTE>", "")
    assert bool(scan.problems or scan.warnings) != valid, new


def test_a_duplicate_record_is_found_after_the_quick_pass(tmp_path, monkeypatch):
    text = (FIXTURES / "census" / "good_two.xml").read_text(encoding="utf-8")
    first = text[text.index("<CSWWWorker>") : text.index("</CSWWWorker>") + 13]
    path = tmp_path / "dup.xml"
    path.write_text(text.replace(first, first + "\n  " + first, 1), encoding="utf-8")
    scan = _agree(path, monkeypatch)
    assert [p.message for p in scan.problems] == [
        "record at line 28: duplicate of the record at line 19 (same person, type, role and dates)"
    ]


@pytest.mark.parametrize(
    "value", ["1000-01-01", "2300-06-01", "2020-01-06Z", "2020-01-06+01:00", " 1677-12-31"]
)
def test_a_valid_date_the_table_cannot_hold_is_a_problem_not_a_silent_change(tmp_path, value):
    """xs:date allows a time zone and any year; the workers table holds neither. Such a
    date was turned silently into a missing date or, before 1678, wrapped round into
    another century (1000-01-01 became 2169-02-08)."""
    from workforce_lib.records.census.reader import scan_return

    text = (FIXTURES / "census" / "good_two.xml").read_text(encoding="utf-8")
    old = "<RoleStartDate>2020-01-06</RoleStartDate>"
    path = tmp_path / "r.xml"
    path.write_text(text.replace(old, f"<RoleStartDate>{value}</RoleStartDate>", 1))
    scan = scan_return(path, KEY)
    assert [(p.row, p.column, p.value, p.message) for p in scan.problems] == [
        (25, "RoleStartDate", value.strip(), "record at line 19: a date the reader cannot "
         "use: write it as YYYY-MM-DD, years 1678 to 2261, with no time zone")
    ]  # fmt: skip
    assert scan.workers["start_date"].isna().tolist() == [True, False]
