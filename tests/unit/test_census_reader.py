"""Reading a CSWW census return: typed records, keyed pseudonyms, nothing of the SWE
number kept."""

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib.census.reader import read_return
from workforce_lib.census.records import WORKER_COLUMNS, person_key

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
