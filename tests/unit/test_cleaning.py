import io

import pandas as pd
import pytest

from workforce_lib.errors import DataValidationError
from workforce_lib.published.cleaning import split_values, tidy_areas, validate_indicators
from workforce_lib.published.loading import read_csv_as_text


def _raw(small_csv):
    return read_csv_as_text(small_csv)


def _problems(raw):
    with pytest.raises(DataValidationError) as exc:
        validate_indicators(raw, "test.csv")
    return exc.value


def test_clean_fixture_validates(small_csv):
    validate_indicators(_raw(small_csv), "test.csv")


def test_bad_value_names_file_row_column_and_value(small_csv):
    raw = _raw(small_csv)
    raw.loc[3, "turnover_rate_fte"] = "abc"  # file line 5 (header is line 1)
    err = _problems(raw)
    assert len(err.problems) == 1
    p = err.problems[0]
    assert (p.file, p.row, p.column, p.value) == ("test.csv", 5, "turnover_rate_fte", "abc")
    assert "test.csv, row 5, column 'turnover_rate_fte', value 'abc'" in str(err)


def test_all_problems_reported_in_one_pass(small_csv):
    raw = _raw(small_csv)
    raw.loc[2, "inpost_fte"] = ""  # blank is not a symbol
    raw.loc[3, "cases"] = "-4"  # negative
    raw.loc[4, "geographic_level"] = "Ward"  # unknown level
    raw.loc[5, "time_period"] = "24"  # not a year
    err = _problems(raw)
    found = {(p.row, p.column) for p in err.problems}
    assert {(4, "inpost_fte"), (5, "cases"), (6, "geographic_level"), (7, "time_period")} <= found


def test_duplicate_year_area_row(small_csv):
    raw = _raw(small_csv)
    raw = pd.concat([raw, raw.iloc[[2]]], ignore_index=True)
    err = _problems(raw)
    dup = [p for p in err.problems if "duplicate" in p.message]
    assert dup and dup[0].value == "2024, Alderbury"
    assert {p.row for p in dup} == {4, len(raw) + 1}


def test_missing_column_is_named(small_csv):
    err = _problems(_raw(small_csv).drop(columns=["leavers_fte"]))
    assert [(p.column, p.message) for p in err.problems] == [("leavers_fte", "column missing")]


def test_council_row_without_code_is_an_error(small_csv):
    raw = _raw(small_csv)
    raw.loc[2, "new_la_code"] = ""
    err = _problems(raw)
    assert err.problems[0].row == 4 and "la_name" in err.problems[0].column


def test_symbols_become_missing_with_their_reason(small_csv):
    values, status = split_values(_raw(small_csv))
    # Brackwater 2024 (row index 3): leavers 'u', agency 'low'; Castleton absence 'c'
    assert pd.isna(values.at[3, "leavers_fte"]) and status.at[3, "leavers_fte"] == "u"
    assert pd.isna(values.at[3, "agency_fte"]) and status.at[3, "agency_fte"] == "low"
    assert status.at[4, "absence_rate_fte"] == "c"
    assert values.at[2, "inpost_fte"] == 100.0 and status.at[2, "inpost_fte"] == ""
    # nothing dropped: every symbol in the file is in status
    assert (status != "").to_numpy().sum() == 10  # 8 for Brackwater 2024, 2 for Castleton


def test_other_dfe_symbols_accepted():
    text = io.StringIO()
    raw = pd.DataFrame({"a": [":", "."]})
    raw.to_csv(text, index=False)
    # ':' and '.' are valid cells for the numeric check
    from workforce_lib.published.cleaning import NUMERIC_CELL

    assert raw["a"].str.match(NUMERIC_CELL).all()


def test_tidy_areas_files_london_boroughs_under_london():
    raw = pd.DataFrame(
        {
            "time_period": ["2025", "2025"],
            "geographic_level": ["Local authority", "Regional"],
            "country_code": ["E92000001"] * 2,
            "region_code": ["E13000001", "E13000001"],
            "region_name": ["Inner London", "Inner London"],
            "old_la_code": ["202", ""],
            "new_la_code": ["E09000007", ""],
            "la_name": ["Camden", ""],
        }
    )
    a = tidy_areas(raw)
    assert a.loc[0, ["area_id", "region_name", "subregion"]].tolist() == [
        "202",
        "London",
        "Inner London",
    ]
    assert a.loc[1, ["area_id", "level", "region_name"]].tolist() == [
        "E13000001",
        "region",
        "Inner London",
    ]


def test_duplicate_la_number_under_another_ons_code_names_both_rows(small_csv):
    """Before, the duplicate check keyed councils on the ONS code only: a second Alderbury
    2024 row under another code passed, `summary` gave a traceback and a region's
    recomputed in post counted the council twice."""
    raw = _raw(small_csv)
    extra = raw.iloc[[2]].assign(new_la_code="E06000999", la_name="Alderbury (again)")
    raw = pd.concat([raw, extra], ignore_index=True)
    err = _problems(raw)
    dup = [p for p in err.problems if "duplicate" in p.message]
    assert [p.row for p in dup] == [4, len(raw) + 1]
    assert {p.column for p in dup} == {"time_period, old_la_code"}
    assert "also row 12 (Alderbury (again), LA number 901, E06000999)" in dup[0].message
    assert "also row 4 (Alderbury, LA number 901, E06000901)" in dup[1].message


def test_duplicate_ons_code_under_another_la_number(small_csv):
    raw = _raw(small_csv)
    raw = pd.concat([raw, raw.iloc[[2]].assign(old_la_code="999")], ignore_index=True)
    dup = [p for p in _problems(raw).problems if "duplicate" in p.message]
    assert {p.row for p in dup} == {4, 12} and "(year, ONS code)" in dup[0].message


def test_duplicate_region_row(small_csv):
    raw = _raw(small_csv)
    raw = pd.concat([raw, raw.iloc[[1]]], ignore_index=True)
    dup = [p for p in _problems(raw).problems if "duplicate" in p.message]
    assert {p.row for p in dup} == {3, 12} and "(year, region code)" in dup[0].message


@pytest.mark.parametrize("value", ["250", "999.9", "100.1"])
def test_a_percentage_over_100_is_an_error(small_csv, value):
    """Before, 250% and 999.9% were accepted and ranked."""
    raw = _raw(small_csv)
    raw.loc[2, "turnover_rate_fte"] = value
    raw.loc[3, "absence_rate_fte"] = value
    err = _problems(raw)
    assert [(p.row, p.column, p.value, p.message) for p in err.problems] == [
        (4, "turnover_rate_fte", value, "a percentage over 100"),
        (5, "absence_rate_fte", value, "a percentage over 100"),
    ]


def test_100_percent_and_a_caseload_over_100_are_accepted(small_csv):
    raw = _raw(small_csv)
    raw.loc[2, "agency_rate_fte"] = "100.0"
    raw.loc[2, "caseload_fte"] = "120.5"  # cases per FTE, not a percentage
    validate_indicators(raw, "test.csv")


def test_header_only_file_is_an_error(small_csv):
    err = _problems(_raw(small_csv).iloc[0:0])
    assert "the file has a header but no data rows" in str(err)
