"""The HR extract format: reading CSV and XLSX, and validation that reports every problem."""

from datetime import date

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib.errors import DataNotFoundError, DataValidationError
from workforce_lib.records import hr
from workforce_lib.records.extract import (
    COLUMN_NAMES,
    parse_dates,
    read_extract,
    read_raw,
    template_frame,
    validate_extract,
    write_extract,
)

SMALL = FIXTURES / "hr_extract_small.csv"
BAD = FIXTURES / "hr_extract_bad.csv"


def test_small_extract_is_read_and_typed():
    ex = read_extract(SMALL)
    assert ex.extract_date == pd.Timestamp("2025-09-30")
    assert len(ex.workers) == 9 and len(ex.vacancies) == 2
    w = ex.workers.set_index("worker_id")
    assert w.at["W3", "start_date"] == pd.Timestamp("2024-11-04")  # written DD/MM/YYYY
    assert pd.isna(w.at["W1", "leaving_date"])
    assert w.at["W2", "fte"] == 0.5
    assert w.at["W3", "sickness_days"] == 0.0  # blank means 0, as documented
    assert bool(w.at["W4", "joined_as_asye"]) and not bool(w.at["W1", "joined_as_asye"])
    assert w.at["W1", "row"] == 2  # the file's line, for messages
    assert ex.vacancies["agency_cover"].tolist() == [True, False]


def test_every_problem_reported_in_one_pass_with_row_column_value():
    with pytest.raises(DataValidationError) as info:
        read_extract(BAD)
    found = {(p.row, p.column): (p.value, p.message) for p in info.value.problems}
    assert found[(3, "worker_id")][0] == "W1" and "duplicate" in found[(3, "worker_id")][1]
    assert (2, "worker_id") in found  # both rows of a duplicate are named
    assert "before start_date" in found[(4, "leaving_date")][1]
    assert found[(5, "fte")][0] == "0" and found[(6, "fte")][0] == "1.5"
    assert found[(7, "role")][0] == "wizard"
    assert found[(8, "employment_type")][0] == "contractor"
    assert (
        found[(9, "start_date")][0] == "31/02/2024" and "not a date" in found[(9, "start_date")][1]
    )
    assert "future" in found[(10, "start_date")][1]
    assert "needs a leaving_reason" in found[(11, "leaving_reason")][1]
    assert found[(12, "agency_cover")][0] == "maybe"
    assert len(info.value.problems) == 11
    text = str(info.value)
    assert "hr_extract_bad.csv, row 7, column 'role', value 'wizard'" in text


def test_missing_required_columns_are_named(tmp_path):
    raw = pd.read_csv(SMALL, dtype=str, keep_default_na=False).drop(columns=["fte", "team"])
    path = tmp_path / "x.csv"
    raw.to_csv(path, index=False)
    with pytest.raises(DataValidationError) as info:
        read_extract(path)
    assert {p.column for p in info.value.problems} == {"fte", "team"}
    assert all(p.message == "column missing" for p in info.value.problems)


def test_optional_columns_may_be_left_out(tmp_path):
    raw = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    raw = raw.drop(columns=["sickness_days", "cases", "joined_as_asye"])
    path = tmp_path / "x.csv"
    raw.to_csv(path, index=False)
    ex = read_extract(path)
    assert ex.workers["cases"].sum() == 0 and len(ex.workers) == 9


def test_extract_date_in_the_future_and_mixed_dates():
    raw = read_raw(SMALL)
    with pytest.raises(DataValidationError) as info:
        validate_extract(raw, "x.csv", today=date(2025, 9, 1))
    assert {p.column for p in info.value.problems} == {"extract_date"}
    assert len(info.value.problems) == len(raw)  # every row, none silently skipped
    raw.loc[3, "extract_date"] = "2025-09-29"
    with pytest.raises(DataValidationError) as info:
        validate_extract(raw, "x.csv")
    (p,) = info.value.problems
    assert (p.row, p.column, p.value) == (5, "extract_date", "2025-09-29")


def test_agency_sickness_and_leaver_cases_are_refused():
    raw = read_raw(SMALL)
    raw.loc[6, "sickness_days"] = "3"  # W7, agency
    raw.loc[4, "cases"] = "4"  # W5 left in January
    with pytest.raises(DataValidationError) as info:
        validate_extract(raw, "x.csv")
    got = {(p.row, p.column) for p in info.value.problems}
    assert got == {(8, "sickness_days"), (6, "cases")}


def test_xlsx_round_trip_matches_csv(tmp_path):
    raw = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    path = write_extract(raw, tmp_path / "extract.xlsx")
    a, b = read_extract(SMALL), read_extract(path)
    pd.testing.assert_frame_equal(a.workers, b.workers)
    pd.testing.assert_frame_equal(a.vacancies, b.vacancies)


def test_template_is_valid_and_has_every_column(tmp_path):
    t = template_frame()
    assert tuple(t.columns) == COLUMN_NAMES
    ex = read_extract(write_extract(t, tmp_path / "template.csv"))
    assert len(ex.workers) == 3 and len(ex.vacancies) == 1


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(DataNotFoundError):
        read_extract(tmp_path / "none.csv")
    (tmp_path / "x.txt").write_text("a")
    with pytest.raises(Exception, match=r"\.csv or \.xlsx"):
        read_extract(tmp_path / "x.txt")


def test_parse_dates_formats():
    got = parse_dates(pd.Series(["2024-02-29", "29/02/2024", "2023-02-29", "30-09-2024"]))
    assert got.iloc[0] == got.iloc[1] == pd.Timestamp("2024-02-29")
    assert got.iloc[2:].isna().all()


def test_data_readme_documents_every_column():
    from workforce_lib.published.loading import PROJECT_ROOT

    text = (PROJECT_ROOT / "data" / "README.md").read_text()
    for c in COLUMN_NAMES:
        assert f"`{c}`" in text


HOSTILE = FIXTURES / "hr_extract_hostile.csv"


def test_hostile_values_are_errors_with_row_column_and_value_in_one_pass():
    with pytest.raises(DataValidationError) as info:
        read_extract(HOSTILE)
    found = {(p.row, p.column): (p.value, p.message) for p in info.value.problems}
    # 9999-12-31: out of range on its own row, and the file's other errors still listed
    assert found[(2, "leaving_date")][0] == "9999-12-31"
    assert "out of range" in found[(2, "leaving_date")][1]
    assert found[(3, "sickness_days")][0] == "inf"
    assert found[(4, "cases")][0] == "99999999999999999999"  # no overflow to a negative
    assert found[(6, "leaving_date")][0] == "NaT"  # not silently "in post"
    assert found[(7, "sickness_days")][0] == "1e308"
    assert found[(8, "role")][0] == "wizard"
    assert found[(9, "sickness_days")][0] == "nan" and found[(9, "cases")][0] == "None"
    assert found[(10, "team")][0] == "None"
    for cell in ((6, "leaving_date"), (9, "cases"), (10, "team")):
        assert "missing value written as text" in found[cell][1]
    assert len(info.value.problems) == 9
    assert all(p.row is not None and p.column not in (None, "None") for p in info.value.problems)


def _workbook(path, sheets):
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_the_data_sheet_is_found_by_its_header_and_named(tmp_path):
    raw = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    rows = [list(raw.columns)] + raw.to_numpy().tolist()
    readme = [["How to fill this workbook"], ["One row per worker; see data/README.md"]]
    path = _workbook(tmp_path / "x.xlsx", [("README", readme), ("Staff", rows)])
    ex = read_extract(path)
    assert ex.sheet == "Staff" and len(ex.workers) == len(read_extract(SMALL).workers)
    notes = " ".join(hr.summarise(ex).notes)
    assert "sheet 'Staff' of x.xlsx" in notes
    bad = _workbook(tmp_path / "y.xlsx", [("README", readme), ("Notes", [["a", "b"]])])
    with pytest.raises(DataValidationError) as info:
        read_extract(bad)
    text = str(info.value)
    assert "'README'" in text and "'Notes'" in text and "lacks the columns" in text


def test_text_none_in_a_workbook_is_an_error_not_a_blank(tmp_path):
    raw = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    raw.loc[4, "leaving_date"] = "NaT"  # W5, a leaver: NaT must not mean "in post"
    rows = [list(raw.columns)] + raw.to_numpy().tolist()
    with pytest.raises(DataValidationError, match="sheet 'extract'.*row 6, column 'leaving_date'"):
        read_extract(_workbook(tmp_path / "z.xlsx", [("extract", rows)]))
