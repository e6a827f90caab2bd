"""Writing returns: from an HR extract (SWE numbers from the council's lookup, else
flagged placeholders), valid against the schema, and the same components as the HR path."""

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib.errors import DataValidationError, WorkforceError
from workforce_lib.records import hr
from workforce_lib.records.census import writer
from workforce_lib.records.census.convert import to_extract
from workforce_lib.records.census.reader import read_return, scan_return
from workforce_lib.records.extract import read_extract

SMALL_EXTRACT = FIXTURES / "hr_extract_small.csv"


@pytest.fixture(scope="module")
def small():
    return read_extract(SMALL_EXTRACT)


def test_small_extract_round_trip(tmp_path, small):
    out = tmp_path / "r.xml"
    records, placeholders = writer.from_extract(small, out, "990")
    # hr_extract_small.csv: W1-W7 are in the year to 30 Sep 2025 (W8, agency, ended in
    # March; W9 left on 30 September 2024): 7 records, none with an SWE number
    assert (records, placeholders) == (7, 7)
    scan = scan_return(out, b"k")
    assert scan.problems == [] and len(scan.warnings) == 7
    assert "placeholder SWE number" in str(scan.warnings[0])
    ret = read_return(out)
    want = hr.components_at(small, small.extract_date).iloc[0]
    got = hr.components_at(to_extract(ret), ret.reference_date).iloc[0]
    pd.testing.assert_series_equal(got, want, check_names=False)


def test_lookup_of_swe_numbers(tmp_path, small):
    lookup = tmp_path / "swe.csv"
    rows = "\n".join(f"W{i},SW{500000 + i}" for i in range(1, 10))
    lookup.write_text(f"worker_id,swe_number\n{rows}\n")
    out = tmp_path / "r.xml"
    assert writer.from_extract(small, out, "990", writer.read_swe_numbers(lookup))[1] == 0
    assert scan_return(out, b"k").warnings == []


def test_a_bad_lookup_names_the_row_not_the_number(tmp_path):
    lookup = tmp_path / "swe.csv"
    lookup.write_text("worker_id,swe_number\nW1,SW12345\nW2,QQ\nW1,SW54321\n")
    with pytest.raises(DataValidationError) as err:
        writer.read_swe_numbers(lookup)
    text = str(err.value)
    assert "row 3, column 'swe_number': not an SWE number" in text and "QQ" not in text
    assert "row 2, column 'worker_id', value 'W1': listed more than once" in text


def test_extract_not_dated_30_september_or_bad_council(tmp_path, small):
    later = type(small)(small.workers, small.vacancies, pd.Timestamp("2025-10-31"), small.source)
    with pytest.raises(WorkforceError, match="30 September"):
        writer.from_extract(later, tmp_path / "r.xml", "990")
    with pytest.raises(WorkforceError, match="three-digit LA number"):
        writer.from_extract(small, tmp_path / "r.xml", "Sunderland")
    assert not (tmp_path / "r.xml").exists()


def test_values_are_escaped_and_the_file_appears_whole(tmp_path):
    out = tmp_path / "r.xml"
    rec = {"AgencyWorker": 0, "SWENo": "SW123456", "QualInst": "A & B <C>"}
    assert writer.write_return(out, "990", 2025, (1.0, 0.5, 1), [rec]) == 1
    assert "A &amp; B &lt;C&gt;" in out.read_text()
    assert scan_return(out, b"k").problems == []

    def broken():
        yield rec
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        writer.write_return(tmp_path / "half.xml", "990", 2025, (1.0, 0.5, 1), broken())
    assert not list(tmp_path.glob("*half*"))


# ---------------------------------------------------------------- a hostile lookup
HOSTILE = FIXTURES / "census" / "swe_lookup_hostile.csv"
#: Every SWE number (and malformed one) in the hostile lookup: none may be printed.
HOSTILE_NUMBERS = (
    *(f"SW{n}" for n in (123456, 654321, 111111, 222222, 333333, 444444, 777777, 777778)),
    *("SW888888", "SW999999", "QQ", 'SW55"5555', "AB1234"),
)


def test_a_hostile_lookup_every_problem_in_one_pass_no_number_shown():
    with pytest.raises(DataValidationError) as err:
        writer.read_swe_numbers(HOSTILE)
    text = str(err.value)
    where = [(p.row, p.column) for p in err.value.problems]
    assert where == [
        (2, "worker_id"),  # W1, seen again on row 4
        (3, "swe_number"),  # QQ
        (4, "worker_id"),
        (5, "worker_id"),  # blank
        (6, "swe_number"),  # blank
        (7, None),  # 3 cells
        (8, None),  # 1 cell
        (9, "swe_number"),  # columns swapped: W7 is no SWE number
        (11, "swe_number"),  # SW55"5555
        (12, "worker_id"),  # AB1234 twice: SWE-shaped, not shown
        (13, "worker_id"),
        (14, "worker_id"),  # 100 characters
    ]  # row 10 (a formula-like id) and row 15 are fine: an id is only matched, never run
    assert "row 7: 3 cells, the header has 2" in text and "row 8: 1 cell, the header" in text
    assert "row 3, column 'swe_number': not an SWE number (not shown)" in text
    assert "row 2, column 'worker_id', value 'W1': listed more than once" in text
    assert "value 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX...'" in text
    for n in HOSTILE_NUMBERS:
        assert n not in text, n


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty: no header row"),
        (b"worker_id,swe_number\nW1,SW12\xff34\n", "row 2: not UTF-8 text (byte 29)"),
        (b'worker_id,swe_number\nW1,"SW123456\n', "not a well-formed CSV row"),
        (b"worker_id,swe_number\nW\x001,SW123456\n", "holds a control character"),
        (b"worker_id,swe_number,name\nW1,SW123456,Ann\n",
         "row 1, column 'header', value 'name': unknown column"),
        (b"worker_id,worker_id,swe_number\nW1,W1,SW123456\n", "'worker_id': column given twice"),
        (b"W1,SW123456\nW2,SW654321\n", "column 'worker_id': column missing"),
    ],
)  # fmt: skip
def test_a_malformed_lookup_is_a_clear_error(tmp_path, content, message):
    f = tmp_path / "swe.csv"
    f.write_bytes(content)
    with pytest.raises(DataValidationError) as err:
        writer.read_swe_numbers(f)
    text = str(err.value)
    assert message in text and text.startswith("swe.csv: ")
    assert "SW123456" not in text and "sw123456" not in text  # a header row missing too


def test_a_lookup_is_bounded_in_bytes_and_rows(tmp_path, monkeypatch):
    f = tmp_path / "swe.csv"
    f.write_text("worker_id,swe_number\n" + "".join(f"W{i},SW{100000 + i}\n" for i in range(6)))
    monkeypatch.setattr(writer, "MAX_LOOKUP_ROWS", 5)
    with pytest.raises(DataValidationError, match="row 7: more than 5 rows: not read further"):
        writer.read_swe_numbers(f)
    monkeypatch.setattr(writer, "MAX_LOOKUP_BYTES", 50)
    with pytest.raises(WorkforceError, match="swe.csv: 93 bytes, over the 50-byte limit"):
        writer.read_swe_numbers(f)
    monkeypatch.undo()
    assert len(writer.read_swe_numbers(f)) == 6
