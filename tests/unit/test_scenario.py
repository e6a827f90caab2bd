"""The stock-and-flow model: conservation, history replayed, settings refused, costs."""

import math

import numpy as np
import pandas as pd
import pytest

from workforce_lib.published import scenario as sc


def assumptions(**kw) -> sc.Assumptions:
    base = dict(base_year=2025, inpost_fte=100.0, vacancy_fte=20.0, agency_fte=16.0,
                starters_fte=15.0, leavers_fte=14.0, turnover_rate=14.0, hires_fte=15.0,
                agency_per_vacancy=0.8, turnover_sd=2.0, hires_sd=3.0)  # fmt: skip
    return sc.Assumptions(**{**base, **kw}).check()


def conserved(p: sc.Projection) -> None:
    for t in range(1, len(p.years)):
        flow = p.starters_fte[t] + p.conversions_fte[t] - p.leavers_fte[t]
        assert p.inpost_fte[t] == pytest.approx(p.inpost_fte[t - 1] + flow, abs=1e-9), t


@pytest.mark.parametrize("name", sc.SCENARIOS)
def test_every_scenario_conserves_fte(name):
    per = sc.scenario_assumptions(assumptions())
    conserved(sc.project(per[name]))


def test_conservation_with_random_flows_cap_and_cohorts():
    a = assumptions(asye_intake_fte=6.0, conversion_share=0.5, years=12)
    rng = np.random.default_rng(1)
    for _ in range(50):
        p = sc.project(a, turnover=rng.uniform(0, 40, 12), hires=rng.uniform(0, 60, 12))
        conserved(p)


def test_lists_are_indexed_by_years_with_the_base_year_first():
    p = sc.project(assumptions(years=5))
    assert p.years == [2025, 2026, 2027, 2028, 2029, 2030]
    assert (p.inpost_fte[0], p.agency_fte[0], p.vacancy_fte[0]) == (100.0, 16.0, 20.0)
    assert p.conversions_fte[0] == 0.0 and len(p.cost_total) == 6


def test_asye_cohorts_follow_their_retention_curve():
    # no turnover, no hires, room to grow: every change is the ASYE intakes' own
    a = assumptions(turnover_rate=0.0, hires_fte=0.0, vacancy_fte=500.0, agency_per_vacancy=0.0,
                    asye_intake_fte=10.0, asye_retention_1=0.8, asye_retention_2=0.6,
                    asye_retention_3=0.5, years=5)  # fmt: skip
    p = sc.project(a)
    # leavers: year 1 none; then each cohort loses 2, 2, 1 in its 2nd, 3rd, 4th year
    assert p.leavers_fte[1:] == pytest.approx([0.0, 2.0, 4.0, 5.0, 5.0])
    assert p.inpost_fte[1:] == pytest.approx([110.0, 118.0, 124.0, 129.0, 134.0])


def test_conversions_and_the_agency_cap():
    a = assumptions(conversion_share=0.25)
    p = sc.project(a)
    assert p.conversions_fte[1] == pytest.approx(0.25 * 16.0)
    capped = sc.project(assumptions(agency_cost_cap=60_000.0))
    plain = sc.project(assumptions())
    assert capped.agency_fte == plain.agency_fte  # a price cap, not a volume change
    assert capped.cost_agency[0] == plain.cost_agency[0] == 16.0 * sc.DEFAULT_AGENCY_COST
    assert capped.cost_agency[1] == pytest.approx(plain.agency_fte[1] * 60_000.0)
    assert plain.cost_total[1] == pytest.approx(
        plain.inpost_fte[1] * sc.DEFAULT_PERMANENT_COST + plain.cost_agency[1]
    )


def test_hiring_never_goes_beyond_the_establishment():
    p = sc.project(assumptions(hires_fte=500.0))
    assert max(p.inpost_fte) == pytest.approx(120.0)  # 100 in post + 20 vacancies
    assert p.vacancy_fte[-1] == pytest.approx(0.0) and p.agency_fte[-1] == pytest.approx(0.0)


@pytest.mark.parametrize(
    "setting, message",
    [
        ({"turnover_rate": "-1"}, "turnover_rate must be from 0 to 100, not '-1'"),
        ({"conversion_share": "1.5"}, "conversion_share must be from 0 to 1, not '1.5'"),
        ({"turnover_cut_points": "20"}, "turnover cannot go below 0"),
        ({"asye_retention_2": "0.9"}, "do not rise"),
        ({"hires_fte": "lots"}, "hires_fte must be a number, not 'lots'"),
        ({"turnover": "3"}, "unknown setting 'turnover'"),
        ({"years": "0"}, "years must be from 1 to 30, not '0'"),
    ],
)
def test_impossible_settings_are_refused(setting, message):
    with pytest.raises(sc.ScenarioError, match=message):
        assumptions().with_settings(setting)


@pytest.mark.parametrize(
    "name, raw, message",
    [
        # before: OverflowError (a traceback) for inf in a whole-number setting
        ("years", "inf", "years must be from 1 to 30, not 'inf'"),
        ("simulations", "inf", "simulations must be from 0 to 10,000, not 'inf'"),
        ("seed", "inf", "seed must be from 0 to 4,294,967,295, not 'inf'"),
        # before: never ended
        ("simulations", "1e308", "simulations must be from 0 to 10,000, not '1e308'"),
        ("seed", "1e30", "seed must be from 0 to 4,294,967,295"),
        ("years", "2.5", "years must be a whole number"),
        ("simulations", "2.5", "simulations must be a whole number"),
        # before: accepted, giving tables of nan and JSON with NaN (invalid JSON)
        ("establishment_growth", "nan", "establishment_growth must be from -99 to 100, not 'nan'"),
        ("establishment_growth", "inf", "establishment_growth must be from -99 to 100"),
        ("permanent_cost_per_fte", "nan", "permanent_cost_per_fte must be from 0 to 10,000,000"),
        ("agency_cost_per_fte", "inf", "agency_cost_per_fte must be from 0 to 10,000,000"),
        ("inpost_fte", "nan", "inpost_fte must be from 0 to 1,000,000"),
        ("turnover_sd", "inf", "turnover_sd must be from 0 to 100"),
        ("turnover_sd", "nan", "turnover_sd must be from 0 to 100"),
        ("range_low", "-5", "range_low must be from 0 to 100"),
    ],
)
def test_every_setting_is_bounded_and_named(name, raw, message):
    with pytest.raises(sc.ScenarioError, match=message):
        assumptions().with_settings({name: raw})


def test_every_setting_has_a_range():
    from dataclasses import fields

    assert {f.name for f in fields(sc.Assumptions)} == set(sc.BOUNDS)


def test_scenario_error_is_a_workforce_error():
    from workforce_lib.errors import WorkforceError

    assert issubclass(sc.ScenarioError, WorkforceError)


@pytest.mark.parametrize("raw", ["inf", "nan", "1e308", "1999"])
def test_base_year_is_bounded(small_release, raw):
    with pytest.raises(sc.ScenarioError, match="base_year must be from 2000 to 2100"):
        sc.run_scenarios(small_release, council="Alderbury", settings={"base_year": raw})


def test_calibration_sums_components_never_averages_rates():
    hist = pd.DataFrame(
        {"inpost_fte": [100.0, 100.0, 300.0], "starters_fte": [10.0, 20.0, 30.0],
         "leavers_fte": [10.0, 20.0, 30.0], "agency_fte": [5.0, 5.0, 10.0],
         "vacancy_fte": [10.0, 10.0, 20.0]},
        index=pd.Index([2023, 2024, 2025], name="year"),
    )  # fmt: skip
    a = sc.calibrate(hist)
    assert a.turnover_rate == pytest.approx(100 * 60 / 500)  # 12.0, not the mean rate 13.3
    assert a.hires_fte == pytest.approx(20.0) and a.agency_per_vacancy == pytest.approx(0.5)
    assert a.establishment_growth == pytest.approx(100 * (math.sqrt(320 / 110) - 1))
    assert (a.base_year, a.inpost_fte) == (2025, 300.0)


def _group_history():
    # councils a and b every year, except 2024 when b did not publish all five flows
    return pd.DataFrame(
        {"inpost_fte": [200.0, 210.0, 220.0, 110.0, 240.0],
         "starters_fte": [30.0, 40.0, 50.0, 20.0, 60.0],
         "leavers_fte": [20.0, 30.0, 40.0, 15.0, 50.0],
         "agency_fte": [10.0] * 5, "vacancy_fte": [20.0] * 5,
         "members": ["a b", "a b", "a b", "a", "a b"]},
        index=pd.Index([2021, 2022, 2023, 2024, 2025], name="year"),
    )  # fmt: skip


def test_group_calibration_uses_years_with_the_same_councils_as_the_base_year():
    a = sc.calibrate(_group_history())
    assert a.hires_fte == pytest.approx((40 + 50 + 60) / 3)  # 2022, 2023, 2025: not 2024
    assert a.turnover_rate == pytest.approx(100 * (30 + 40 + 50) / (210 + 220 + 240))
    assert a.establishment_growth == pytest.approx(100 * ((260 / 230) ** (1 / 3) - 1))


def test_group_replay_leaves_years_with_other_councils_blank():
    rep = sc.replay(_group_history())
    assert rep.like_for_like.tolist() == [True, True, False, False]  # 2024 and 2025 differ
    assert rep.loc[[2024, 2025]].drop(columns="like_for_like").isna().all(axis=None)
    assert rep.at[2023, "inpost_fte"] == pytest.approx(220.0)


@pytest.mark.realdata
def test_region_history_is_the_published_regional_rows(release):
    hist, name = sc.history(release, group="North East")
    ne = release.areas[release.areas.area_name == "North East"].area_id.iloc[0]
    for year in (2022, 2024):  # years when one council's own flows are not all published
        assert hist.at[year, "inpost_fte"] == release.cell(ne, year, "inpost_fte").value
        assert hist.at[year, "councils"] == 12
    assert sc.replay(hist).like_for_like.all()


def test_replay_gives_back_the_published_history(small_release):
    hist, name = sc.history(small_release, council="Alderbury")
    replayed = sc.replay(hist)
    for col in ("inpost_fte", "starters_fte", "leavers_fte", "vacancy_fte", "agency_fte"):
        assert replayed.at[2025, col] == pytest.approx(hist.at[2025, col]), col
    # 100 + 15 - 12 = 103, published 110: the other 7 FTE are named, not hidden
    assert replayed.at[2025, "other_change_fte"] == pytest.approx(7.0)


def test_ranges_are_seeded_and_bracket_the_spread():
    a = assumptions()
    r1, r2 = sc.ranges(a), sc.ranges(a)
    assert r1 == r2
    low, high = r1["inpost_fte"]["low"], r1["inpost_fte"]["high"]
    assert low[0] == high[0] == 100.0 and all(lo <= hi for lo, hi in zip(low, high))
    assert high[-1] - low[-1] > 1.0
    flat = sc.ranges(assumptions(simulations=0))
    assert flat["inpost_fte"]["low"] == flat["inpost_fte"]["high"] == sc.project(a).inpost_fte


@pytest.mark.realdata
def test_every_council_history_replayed(release):
    checked = 0
    for area_id in release.council_ids(release.latest_year):
        hist, _ = sc.history(release, council=area_id)
        h = hist.dropna(subset=list(sc.FLOWS))
        h = h[h.inpost_fte > 0]  # e.g. a year with no one in post: turnover undefined
        if h.empty:
            continue
        run = h
        gaps = np.flatnonzero(np.diff(h.index.to_numpy()) != 1)
        if len(gaps):
            run = h.iloc[gaps[-1] + 1 :]
        if len(run) < 2:
            continue
        rep = sc.replay(run)
        truth = run.iloc[1:]
        for col in ("inpost_fte", "starters_fte", "leavers_fte", "vacancy_fte"):
            np.testing.assert_allclose(rep[col], truth[col], atol=1e-6, err_msg=f"{area_id} {col}")
        ok = truth.vacancy_fte > 0
        np.testing.assert_allclose(rep.agency_fte[ok], truth.agency_fte[ok], atol=1e-6)
        checked += 1
    assert checked >= 140, checked


@pytest.mark.realdata
def test_group_json_and_eastern_agency_spend(release):
    doc = sc.run_scenarios(release, group="Eastern MoU").to_json()
    assert set(doc) >= {"area", "base_year", "years", "assumptions", "scenarios"}
    assert doc["years"][0] == doc["base_year"] and len(doc["years"]) == 6
    for name in sc.SCENARIOS:
        s = doc["scenarios"][name]
        assert set(s) == set(sc.SERIES)
        assert all(len(v) == len(doc["years"]) for v in s.values())
    base = doc["scenarios"]["baseline"]
    # the 11 councils' agency bill at the default rate: the "over £30m a year" of the brief
    assert base["cost_agency"][0] > 30e6
    hist, _ = sc.history(release, group="Eastern MoU")
    assert base["inpost_fte"][0] == pytest.approx(round(hist.at[doc["base_year"], "inpost_fte"], 1))


def test_json_cost_note_states_the_costs_used(small_release):
    doc = sc.run_scenarios(small_release, council="Alderbury").to_json()
    assert "permanent £56,000, agency £85,000 (the illustrative" in doc["notes"][1]
    doc = sc.run_scenarios(
        small_release, council="Alderbury", settings={"agency_cost_per_fte": "95000"}
    ).to_json()
    assert "agency £95,000 (as set)" in doc["notes"][1]


def test_assumptions_table_reads_from_the_baseline_with_every_field_in_words():
    from dataclasses import fields

    assert set(sc.ASSUMPTION_LABELS) == {f.name for f in fields(sc.Assumptions)}
    base = assumptions(agency_cost_cap=60_000.0)  # the user set a cap
    sets = sc.ScenarioSet("X", base, sc.scenario_assumptions(base), {}, {}, pd.DataFrame())
    table = sc.assumptions_table(sets).set_index("Setting")
    cap = table.loc["agency_cost_cap"]
    assert cap["Baseline"] == "0"  # the baseline has no cap, whatever the user set
    assert cap["Scenarios that change it"] == (
        "Cap on agency pay rates: 60,000; All four together: 60,000"
    )
    assert table.loc["permanent_cost_per_fte", "Source"] == "illustrative default"
    assert table.loc["asye_retention_2", "Source"] == "illustrative default"
    assert table.loc["turnover_rate", "Source"].startswith("calibrated from the area's history")
    assert table.loc["permanent_cost_per_fte", "Baseline"] == "56,000"
    assert table.loc["turnover_rate", "Assumption"].startswith("Turnover rate")


@pytest.mark.realdata
def test_sentences_say_what_money_rests_on_and_name_scenarios_in_words(release):
    result = sc.run_scenarios(release, group="North East")
    text = sc.sentences(result)
    # every sentence with money says which costs it rests on, in £m or £k
    for sentence in text:
        assert "£" in sentence and "illustrative default costs" in sentence, sentence
        assert "£56k a permanent and £85k an agency FTE" in sentence
    assert "ASYE retention 85%, 72%, 63%" in text[4] and "illustrative default" in text[4]
    assert all("_" not in t.split(":")[0] for t in text)  # names in words
    assert [t.split(":")[0] for t in text] == [sc.SCENARIO_NAMES[n] for n in sc.SCENARIOS]
    # a scenario said to change agency numbers is one the agency chart draws
    drawn = sc.scenarios_that_change(result, "agency_fte")
    for name, sentence in zip(sc.SCENARIOS, text):
        if "agency FTE and" in sentence and name != "baseline":
            assert name in drawn, name
    assert "agency_rate_cap" not in drawn and "as in the baseline" in text[1]
    table = sc.scenario_table(result)
    assert "Cost (£m)" in table.columns and "Baseline (no change)" in set(table.Scenario)
    # costs set by the user are not called defaults
    own = sc.run_scenarios(
        release, group="North East", settings={"permanent_cost_per_fte": "60000",
                                               "agency_cost_per_fte": "90000"}
    )  # fmt: skip
    assert "at costs set by you: £60k a permanent and £90k an agency FTE" in sc.sentences(own)[0]


@pytest.mark.realdata
def test_history_stops_at_the_base_year(release):
    # a scenario report for base year 2022 draws and replays nothing after 2022
    result = sc.run_scenarios(release, group="North East", settings={"base_year": "2022"})
    assert result.history.index.max() == 2022 and result.years[0] == 2022


@pytest.mark.realdata
def test_money_has_one_rounding_in_the_table_the_chart_and_the_text(release):
    # the table showed £m to 2 dp (9.47), the chart and the text 1 dp (9.5)
    from workforce_lib.reports import plotting

    result = sc.run_scenarios(release, group="North East")
    table = sc.scenario_table(result)
    one_dp = r"-?[\d,]+\.\d"
    for col in ("Cost (£m)", "Agency cost (£m)"):
        assert table[col].str.fullmatch(one_dp).all(), table[col].head()
    chart = plotting.cost_chart(result)
    for col in ("Permanent (£m)", "Agency (£m)", "Total (£m)"):
        assert chart.table[col].str.fullmatch(one_dp).all()
    # the same figure, the same way: the baseline's total in the chart and in the text
    base = result.summary()["baseline"]["cost_total_projected"]
    total = chart.table.set_index("Scenario").at[sc.scenario_name("baseline"), "Total (£m)"]
    assert f"£{total}m" == sc.money(base) and f"£{total}m" in sc.sentences(result)[0]
    year = result.projections["baseline"].frame().iloc[1]
    row = table[table.Scenario == sc.scenario_name("baseline")].iloc[1]
    assert row["Cost (£m)"] == sc.millions(year.cost_total)
