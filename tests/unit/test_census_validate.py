"""Validating census returns: every rule fails on its own hand-written fixture, every
problem names file, line, element and value, and no SWE number is ever shown."""

import os
import re
import time

import pytest

from tests.conftest import FIXTURES
from workforce_lib.errors import DataNotFoundError, DataValidationError
from workforce_lib.records.census import reader
from workforce_lib.records.census.reader import read_return, scan_return

CENSUS = FIXTURES / "census"
KEY = b"k"


def problems(name):
    return [str(p) for p in scan_return(CENSUS / name, KEY).problems]


def test_good_returns_have_no_problems():
    assert problems("good_two.xml") == []
    assert problems("small_2025.xml") == []


@pytest.mark.parametrize(
    "name, expected",
    [
        ("bad_end_before_start.xml",
         "line 28, element 'RoleEndDate', value '2025-06-30': record at line 28: end date "
         "before start date"),
        ("bad_leaver_no_reason.xml",
         "line 28, element 'ReasonLeave': record at line 28: a leaver (end date) needs "
         "ReasonLeave"),
        ("bad_leaver_no_destination.xml",
         "line 28, element 'LeaverDestination': record at line 28: a leaver (end date) "
         "needs LeaverDestination"),
        ("bad_fte.xml", "line 22, element 'FTE', value '1.5': "),
        ("bad_two_vacancies.xml",
         "line 19, element 'LALevelVacancies': a return has exactly one LALevelVacancies, "
         "this one 2 (lines 14, 19)"),
        ("bad_swe.xml",
         "line 21, element 'SWENo': record at line 19: not an SWE number"),
        ("bad_swe_empty.xml",
         "line 30, element 'SWENo': record at line 28: not an SWE number"),
        ("bad_swe_twice.xml",
         "line 19, element 'CSWWWorker': Unexpected child with tag 'SWENo'"),
        ("bad_year.xml",
         "line 3, element 'ReferenceDate', value '2024-09-30': does not agree with census "
         "year 2025"),
        ("bad_duplicate.xml",
         "line 39, element 'CSWWWorker': record at line 39: duplicate of the record at "
         "line 19"),
        ("bad_malformed.xml", "line 12: not well-formed XML: Opening and ending tag mismatch"),
        ("bad_root.xml", "line 2, element 'Return': root element is 'Return', not 'Message'"),
        ("empty.xml", "empty.xml: empty file"),
    ],
)  # fmt: skip
def test_each_rule_fails_on_its_own_fixture(name, expected):
    found = problems(name)
    assert len(found) == 1, found
    assert found[0].startswith(name) and expected in found[0]


def test_reason_without_end_date_flags_both_fields():
    found = problems("bad_reason_without_end.xml")
    assert [f.split(": ", 1)[1] for f in found] == [
        "record at line 28: ReasonLeave given but no end date",
        "record at line 28: LeaverDestination given but no end date",
    ]


def test_every_problem_in_one_pass_in_line_order():
    found = problems("bad_many.xml")
    assert [f.split(",")[1].strip() for f in found] == [
        "line 20",  # AgencyWorker 2
        "line 22",  # FTE -0.5
        "line 24",  # 30 February
        "line 26",  # end date after the reference date
        "line 36",  # a record with no SWENo
    ]
    assert "value '2020-02-30'" in found[2] and "SWENo' expected" in found[4]
    with pytest.raises(DataValidationError, match="bad_many.xml: 5 problems"):
        read_return(CENSUS / "bad_many.xml", KEY)


def test_swe_numbers_never_appear_in_messages():
    shown = "\n".join("\n".join(problems(p.name)) for p in sorted(CENSUS.glob("*.xml")))
    assert "XQ12" not in shown  # the malformed number itself
    assert "999777" not in shown  # a second number in one record
    assert "SW100" not in shown and "100001" not in shown and "100002" not in shown


@pytest.mark.parametrize("name", ["bomb.xml", "xxe.xml"])
def test_entity_bomb_and_external_entity_are_refused_quickly(name):
    started = time.perf_counter()
    found = problems(name)
    assert time.perf_counter() - started < 5
    assert len(found) == 1 and "declares a DTD" in found[0] and "refused" in found[0]
    assert "root:" not in found[0] and "lol" not in found[0]


_BOMB = (CENSUS / "bomb.xml").read_text()
_PROLOG = '<?xml version="1.0"?>'


@pytest.mark.parametrize(
    "text, encoding, line",
    [
        (_BOMB, "utf-8", 2),  # the fixture as it is
        ("\ufeff" + _BOMB, "utf-8", 2),  # a byte-order mark first
        (_BOMB, "utf-16", 2),  # UTF-16 with its mark (as some HR systems write)
        (_BOMB.replace(_PROLOG, _PROLOG.replace("?>", ' encoding="UTF-16LE"?>')), "utf-16-le", 2),
        (_BOMB.replace(_PROLOG, _PROLOG + "\n<!-- a\n comment -->\n<?pi x?>"), "utf-8", 5),
        (_BOMB.replace(_PROLOG, "").lstrip(), "utf-8", 1),  # no declaration
        (_BOMB.replace(_PROLOG, _PROLOG.replace("?>", ' encoding="ISO-8859-1"?>')), "latin-1", 2),
    ],
)
def test_a_dtd_is_refused_before_libxml2_reads_the_file(tmp_path, monkeypatch, text, encoding,
                                                        line):  # fmt: skip
    """Whatever lxml's or libxml2's own limits on entities (lxml 6.2's libxml2 stops the
    bomb itself, with its own message), the prolog is read first and the parser never
    runs: the message names the DOCTYPE's line and says it is refused."""
    path = tmp_path / "dtd.xml"
    path.write_bytes(text.encode(encoding))

    def parser_called(*args, **kwargs):
        raise AssertionError("libxml2 was given a file declaring a DTD")

    monkeypatch.setattr(reader, "_iterparse", parser_called)
    found = [str(p) for p in scan_return(path, KEY).problems]
    assert found == [f"dtd.xml, line {line}: {reader.DTD_REFUSED}"]
    assert "refused" in found[0] and "lol" not in found[0]


@pytest.mark.parametrize(
    "text",
    [
        '<?xml version="1.0"?>\n<Message><!DOCTYPE x></Message>',  # not in the prolog
        '<?xml version="1.0"?>\n<!-- <!DOCTYPE x> -->\n<Message/>',  # inside a comment
    ],
)
def test_doctype_text_outside_the_prolog_is_not_a_dtd(tmp_path, text):
    path = tmp_path / "x.xml"
    path.write_text(text)
    assert reader.prolog_problem(path) is None


def test_a_prolog_beyond_the_bound_is_refused_without_parsing(tmp_path, monkeypatch):
    path = tmp_path / "long.xml"
    comment = "<!-- " + "x" * 1000 + " -->\n"
    path.write_text('<?xml version="1.0"?>\n' + comment * 1100 + "<!DOCTYPE M []>\n<Message/>")
    monkeypatch.setattr(reader, "_iterparse", None)  # never called
    found = [str(p) for p in scan_return(path, KEY).problems]
    assert len(found) == 1 and "no root element in the first 1048576 bytes" in found[0]


def test_a_2_gb_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "huge.xml"
    with big.open("wb") as f:  # sparse: takes no disk
        f.truncate(2 * 1024**3)
    found = problems_at(big)
    assert len(found) == 1
    assert "value '2147483648 bytes'" in found[0] and "larger than the limit" in found[0]
    assert f"{reader.MAX_RETURN_BYTES} bytes" in found[0]


def test_the_size_limit_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_CENSUS_MAX_BYTES", "100")
    assert "limit of 100 bytes" in problems("good_two.xml")[0]
    monkeypatch.setenv("WORKFORCE_CENSUS_MAX_BYTES", "lots")
    with pytest.raises(DataValidationError, match="WORKFORCE_CENSUS_MAX_BYTES.*'lots'"):
        scan_return(CENSUS / "good_two.xml", KEY)


def problems_at(path):
    return [str(p) for p in scan_return(path, KEY).problems]


def test_missing_file():
    with pytest.raises(DataNotFoundError, match="No census return"):
        scan_return(CENSUS / "nope.xml", KEY)


def test_schema_is_valid_xsd():
    # xmlschema checks the schema against the XSD 1.0 meta-schema when it loads it
    s = reader.schema()
    assert {"Message", "Header", "LALevelVacancies", "CSWWWorker"} <= set(s.elements)
    assert s.is_valid(os.fspath(CENSUS / "small_2025.xml"))
    assert not s.is_valid(os.fspath(CENSUS / "bad_fte.xml"))


def test_records_with_no_start_date_are_one_warning_naming_lines_count_and_effect():
    scan = scan_return(CENSUS / "hand_no_start_2025.xml", KEY)
    assert scan.problems == []  # DfE's field list does not require RoleStartDate
    assert [str(w) for w in scan.warnings] == [
        "hand_no_start_2025.xml, line 38, element 'RoleStartDate': 3 records have no "
        "RoleStartDate (lines 38, 66, 120): counted: 1 in post (no end date), 1 as agency "
        "workers at the reference date (no end date), 1 as leavers on their end date; none "
        "as starters; give each its start date"
    ]  # P2 in post, A2 agency, P4 a leaver
    one = scan_return(CENSUS / "hand_no_start_2024.xml", KEY).warnings
    assert [w.message for w in one] == [
        "2 records have no RoleStartDate (lines 33, 43): counted in post (no end date), not "
        "as starters; give each its start date"
    ]


def test_validate_says_a_return_with_records_with_no_start_date_is_not_ready(capsys):
    from workforce_lib.cli_census import validate

    assert validate([str(CENSUS / "hand_no_start_2025.xml"), str(CENSUS / "good_two.xml")]) == 0
    out = capsys.readouterr().out
    valid = "hand_no_start_2025.xml: valid (9 records, LA 991, census year 2025)"
    assert f"{valid} but NOT ready to submit" in out
    assert "warning: hand_no_start_2025.xml, line 38, element 'RoleStartDate': 3 records" in out
    assert out.rstrip().endswith("2 file(s): 2 valid, 1 ready to submit, 0 not.")


def test_many_records_with_no_start_date_list_ten_lines_and_how_many_more(tmp_path):
    text = (CENSUS / "good_two.xml").read_text()
    record = text[text.index("  <CSWWWorker>") : text.index("</CSWWWorker>") + 14]
    undated = record.replace("    <RoleStartDate>2020-01-06</RoleStartDate>\n", "")
    numbered = [undated.replace("SW100001", f"SW3000{i:02d}") for i in range(12)]
    path = tmp_path / "many.xml"
    path.write_text(text.replace(record, "".join(numbered)))
    (warning,) = scan_return(path, KEY).warnings
    lines = [19 + 8 * i for i in range(12)]  # each record is 8 lines long here
    assert warning.message.startswith(
        f"12 records have no RoleStartDate (lines {', '.join(map(str, lines[:10]))} and 2 "
        "more): counted in post (no end date), not as starters"
    )
    assert warning.row == 19


def test_a_start_date_the_schema_refuses_is_a_problem_not_also_a_missing_one(tmp_path):
    text = (CENSUS / "good_two.xml").read_text()
    path = tmp_path / "feb.xml"
    feb = text.replace("2020-01-06", "2021-02-29", 1)  # line 25, the record at line 19
    path.write_text(feb.replace("    <RoleStartDate>2019-05-01</RoleStartDate>\n", ""))
    scan = scan_return(path, KEY)
    assert [(p.row, p.column, p.value) for p in scan.problems] == [
        (25, "RoleStartDate", "2021-02-29")
    ]
    assert [w.message for w in scan.warnings] == [  # only the record at line 28
        "1 record has no RoleStartDate (line 28): counted as a leaver on its end date, "
        "not as a starter; give each its start date"
    ]


#: The last code of each list tried (written as DfE writes it: accepted).
_LAST = {"OrgRole": 6, "ReasonLeave": 10, "AgencyWorker": 1, "LeaverDestination": 9,
         "Year": 2025}  # fmt: skip


@pytest.mark.parametrize(
    "old, new, line, element, value, message",
    [
        ("<OrgRole>5</OrgRole>", "<OrgRole>05</OrgRole>", 24, "OrgRole", "05",
         "value must be one of ['1', '2', '3', '4', '5', '6']"),
        ("<OrgRole>5</OrgRole>", "<OrgRole> 5 </OrgRole>", 24, "OrgRole", " 5 ",
         "value must be one of ['1', '2', '3', '4', '5', '6']"),
        ("<OrgRole>5</OrgRole>", "<OrgRole>+5</OrgRole>", 24, "OrgRole", "+5",
         "value must be one of ['1', '2', '3', '4', '5', '6']"),
        ("<ReasonLeave>1</ReasonLeave>", "<ReasonLeave>01</ReasonLeave>", 37, "ReasonLeave",
         "01", "value must be one of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']"),
        ("<AgencyWorker>0</AgencyWorker>", "<AgencyWorker>00</AgencyWorker>", 20,
         "AgencyWorker", "00", "value must be one of ['0', '1']"),
        ("<LeaverDestination>3</LeaverDestination>", "<LeaverDestination>03</LeaverDestination>",
         36, "LeaverDestination", "03", "value must be one of "),
        ("<Year>2025</Year>", "<Year>02025</Year>", 6, "Year", "02025",
         "value doesn't match any pattern"),
    ],
)  # fmt: skip
def test_a_code_not_written_as_in_dfes_list_is_refused(tmp_path, old, new, line, element, value,
                                                       message):  # fmt: skip
    text = (CENSUS / "good_two.xml").read_text()
    assert old in text
    path = tmp_path / "codes.xml"
    highest = re.sub(r">[0-9]+<", lambda m: f">{_LAST[element]}<", old)  # DfE's last code
    path.write_text(text.replace(old, highest, 1))
    assert scan_return(path, KEY).problems == [], highest
    path.write_text(text.replace(old, new, 1))
    found = scan_return(path, KEY).problems
    assert [(p.file, p.row, p.column, p.value) for p in found] == [
        ("codes.xml", line, element, value)
    ]
    assert found[0].message.startswith(message)
