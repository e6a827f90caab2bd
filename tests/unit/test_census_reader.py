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
