"""The fictional council's extract: seeded, valid, and shaped like a real council."""

import pandas as pd

from workforce_lib.records import hr
from workforce_lib.records.demo import demo_extract
from workforce_lib.records.extract import read_extract, write_extract


def test_same_seed_same_extract_other_seed_other():
    a, b = demo_extract(seed=7, posts=80), demo_extract(seed=7, posts=80)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(demo_extract(seed=8, posts=80))


def test_demo_is_valid_and_realistic(tmp_path):
    ex = read_extract(write_extract(demo_extract(), tmp_path / "demo.csv"))
    w = ex.workers
    assert 300 <= len(w) <= 1000  # a few hundred workers over five years
    assert len(ex.vacancies) > 0 and ex.vacancies["agency_cover"].any()
    agency = w[w.employment_type == "agency"]
    assert agency["leaving_date"].notna().sum() > 50  # agency churn
    asye = w[w.joined_as_asye & (w.employment_type == "permanent")]
    intake = hr.census_year(asye["start_date"]).value_counts()
    assert set(range(2021, 2026)) <= set(intake.index)  # an ASYE intake each year
    v = hr.measures_at(ex, threshold=1).values.iloc[-1]
    assert 10 <= v["turnover_rate_fte"] <= 30 and 5 <= v["agency_rate_fte"] <= 25
    assert 10 <= v["caseload_fte"] <= 22
    los, _ = hr.length_of_service(ex, threshold=1)
    under_five = los.loc[["Less than 2 years", "2 to less than 5 years"], "leavers"].sum()
    assert under_five / los.at["All leavers", "leavers"] > 0.5  # most leave early
