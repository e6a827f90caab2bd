import math

import numpy as np
import pandas as pd
import pytest

from workforce_lib.measures import (
    HEADLINE_MEASURES,
    MEASURES,
    RATES,
    aggregate,
    round_half_up,
    working_days,
)


@pytest.mark.parametrize(
    "x, nd, expected",
    [
        (0.25, 1, 0.3),
        (0.35, 1, 0.4),
        (6.25, 1, 6.3),
        (2.675, 2, 2.68),
        (-0.05, 1, -0.1),
        (15.95, 1, 16.0),
        (12.0, 1, 12.0),
        (0.04999, 1, 0.0),
    ],
)
def test_round_half_up_rounds_halves_up_unlike_python(x, nd, expected):
    assert round_half_up(x, nd) == expected


def test_python_round_differs_on_a_half():
    # why the library has its own rounding: DfE publishes 6.25 as 6.3
    assert round(6.25, 1) == 6.2 and round_half_up(6.25) == 6.3


def test_round_half_up_keeps_series_and_nan():
    s = pd.Series([1.25, np.nan], index=["a", "b"])
    out = round_half_up(s)
    assert list(out.index) == ["a", "b"]
    assert out["a"] == 1.3 and math.isnan(out["b"])


@pytest.mark.parametrize(
    "year, days", [(2019, 253), (2020, 254), (2023, 253), (2024, 254), (2100, 253)]
)
def test_working_days_add_one_for_29_february(year, days):
    assert working_days(year) == days


def test_rate_definitions_by_hand():
    c = {
        "leavers_fte": 28.8,
        "inpost_fte": 181.1,
        "agency_fte": 12.0,
        "vacancy_fte": 15.9,
        "agency_cover_fte": 12.0,
        "cases": 1901,
        "case_holders_fte": 111.4,
        "working_days_lost_fte": 873.7,
    }
    assert round_half_up(MEASURES["turnover_rate_fte"].compute(c, 2022)) == 15.9
    assert round_half_up(MEASURES["agency_rate_fte"].compute(c, 2022)) == 6.2  # 12/(12+181.1)
    assert round_half_up(MEASURES["vacancy_rate_fte"].compute(c, 2022)) == 8.1
    assert round_half_up(MEASURES["agency_cover_rate_fte"].compute(c, 2022)) == 100.0
    assert round_half_up(MEASURES["vacancy_agency_cover_rate_fte"].compute(c, 2022)) == 75.5
    assert round_half_up(MEASURES["caseload_fte"].compute(c, 2022)) == 17.1
    # 873.7 / (181.1 * 253) = 1.907%
    assert round_half_up(MEASURES["absence_rate_fte"].compute(c, 2022)) == 1.9


def test_zero_denominator_is_missing_not_infinite():
    v = MEASURES["caseload_fte"].compute({"cases": 10, "case_holders_fte": 0}, 2024)
    assert math.isnan(v)


def test_every_rate_names_published_components():
    for name in RATES:
        m = MEASURES[name]
        assert m.numerator in MEASURES and all(d in MEASURES for d in m.denominator)
    assert set(HEADLINE_MEASURES) <= set(MEASURES)


def test_formatting():
    assert MEASURES["turnover_rate_fte"].format(15.9) == "15.9%"
    assert MEASURES["turnover_rate_fte"].format_change(0.1) == "+0.1 points"
    assert MEASURES["cases"].format(1901.0) == "1,901"
    assert MEASURES["leavers_fte"].format(None) == "n/a"


def _frame(rows):
    values = pd.DataFrame(
        {c: [r.get(c, np.nan) for r in rows] for c in MEASURES},
        index=[r["name"] for r in rows],
        dtype=float,
    )
    status = pd.DataFrame("", index=values.index, columns=list(MEASURES), dtype=object)
    for r in rows:
        for c, sym in r.get("status", {}).items():
            status.at[r["name"], c] = sym
    return values, status


def test_aggregate_sums_components_and_never_averages_rates():
    # two councils: 10/100 and 40/100 leavers; average of rates would be 25%, the sum is too,
    # so use unequal sizes: 10/100 (10%) and 30/300 (10%) vs 10/100 and 90/100.
    values, status = _frame(
        [
            {"name": "A", "leavers_fte": 10.0, "inpost_fte": 100.0},
            {"name": "B", "leavers_fte": 90.0, "inpost_fte": 900.0},
            {"name": "C", "leavers_fte": 50.0, "inpost_fte": 100.0},
        ]
    )
    out = aggregate(values, status, 2025)
    # sums: 150 / 1100 = 13.64%; the mean of 10%, 10%, 50% would be 23.3%
    assert out.at["turnover_rate_fte", "value"] == 13.6
    assert out.at["leavers_fte", "value"] == 150.0


def test_aggregate_leaves_out_councils_with_unpublished_components():
    values, status = _frame(
        [
            {"name": "A", "leavers_fte": 10.0, "inpost_fte": 100.0},
            {"name": "B", "inpost_fte": 150.0, "status": {"leavers_fte": "u"}},
            {"name": "C", "leavers_fte": 5.0, "inpost_fte": 50.0},
        ]
    )
    out = aggregate(values, status, 2024)
    # B is out of both sides: 15 / 150, not 15 / 300
    assert out.at["turnover_rate_fte", "value"] == 10.0
    assert out.at["turnover_rate_fte", "excluded"] == ["B"]
    assert out.at["turnover_rate_fte", "n_included"] == 2
    # B's in-post count is published, so the in-post total has all three
    assert out.at["inpost_fte", "value"] == 300.0


def test_aggregate_counts_low_as_zero():
    values, status = _frame(
        [
            {"name": "A", "agency_fte": 10.0, "inpost_fte": 100.0},
            {"name": "B", "inpost_fte": 150.0, "status": {"agency_fte": "low"}},
            {"name": "C", "agency_fte": 10.0, "inpost_fte": 50.0},
        ]
    )
    out = aggregate(values, status, 2024)
    # 20 / (20 + 300) = 6.25% -> 6.3 (half up), with B in the denominator
    assert out.at["agency_rate_fte", "value"] == 6.3
    assert out.at["agency_rate_fte", "excluded"] == []


def test_a_change_that_rounds_to_zero_has_no_sign():
    # before: "+0.0 points" for no change and "-0.0 points" for -0.04
    t, leavers = MEASURES["turnover_rate_fte"], MEASURES["leavers_headcount"]
    assert t.format_change(0.0) == "0.0 points" and t.format_change(-0.04) == "0.0 points"
    assert t.format_change(-0.05) == "-0.1 points" and t.format_change(0.05) == "+0.1 points"
    assert leavers.format_change(-0.4) == "0" and leavers.format_change(-0.5) == "-1"
    assert t.format(-0.04) == "0.0%"
