"""Writing returns: from an HR extract (SWE numbers from the council's lookup, else
flagged placeholders), valid against the schema, and the same components as the HR path."""

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib import hr
from workforce_lib.census import writer
from workforce_lib.census.convert import to_extract
from workforce_lib.census.reader import read_return, scan_return
from workforce_lib.errors import DataValidationError, WorkforceError
from workforce_lib.extract import read_extract

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
