"""Measures from an HR extract: DfE's counting rules, the same measure code as the
published data, the tables DfE does not publish, and disclosure control."""

import math

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib import hr, quality
from workforce_lib.extract import COLUMN_NAMES, read_extract, write_extract
from workforce_lib.measures import MEASURES

SMALL = FIXTURES / "hr_extract_small.csv"
DAY = pd.Timestamp("2025-09-30")


@pytest.fixture(scope="module")
def small():
    return read_extract(SMALL)


def values_at(extract, day, threshold=1):
    return hr.measures_at(extract, day, threshold).values.loc[pd.Timestamp(day)]


# ---------------------------------------------------------------- counting rules
def test_small_extract_by_hand(small):
    # Worked out by hand from tests/fixtures/hr_extract_small.csv (see the rows' dates).
    v = values_at(small, DAY)
    assert v["inpost_fte"] == 3.3 and v["inpost_headcount"] == 4  # W1 W2 W3 W6
    assert v["starters_fte"] == 1.8 and v["starters_headcount"] == 2  # W3, W6 (1 Oct)
    assert v["leavers_fte"] == 2.0 and v["leavers_headcount"] == 2  # W5, W4 (on 30 Sep)
    assert v["turnover_rate_fte"] == 60.6  # 2.0 / 3.3
    assert v["agency_fte"] == 1.0 and v["agency_rate_fte"] == 23.3  # W7; 1 / 4.3
    assert v["vacancy_fte"] == 1.5 and v["vacancy_rate_fte"] == 31.3  # 1.5 / 4.8 = 31.25
    assert v["agency_cover_fte"] == 1.0 and v["vacancy_agency_cover_rate_fte"] == 66.7
    assert v["case_holders_fte"] == 4.3 and v["cases"] == 61 and v["caseload_fte"] == 14.2
    assert v["working_days_lost_fte"] == 16.0
    assert v["absence_rate_fte"] == 1.9  # 16 / (3.3 x 253) = 1.92%


def test_a_year_before_and_the_stock_flow_identity(small):
    before, now = values_at(small, "2024-09-30"), values_at(small, DAY)
    assert before["inpost_headcount"] == 4 and before["inpost_fte"] == 3.5  # W1 W2 W4 W5
    assert before["leavers_headcount"] == 1  # W9 left on 30 September 2024
    for unit in ("headcount", "fte"):
        assert math.isclose(
            now[f"inpost_{unit}"],
            before[f"inpost_{unit}"] + now[f"starters_{unit}"] - now[f"leavers_{unit}"],
        )


def test_point_in_time_measures_are_not_guessed_at_other_dates(small):
    hm = hr.measures_at(small, "2025-06-30", threshold=1)
    day = pd.Timestamp("2025-06-30")
    for m in ("vacancy_rate_fte", "caseload_fte", "absence_rate_fte", "cases"):
        assert pd.isna(hm.values.at[day, m])
        assert hm.status.at[day, m].startswith("not available")
    assert hm.values.at[day, "inpost_headcount"] == 5  # W4 still in post in June


def test_as_at_after_the_extract_is_refused(small):
    with pytest.raises(ValueError, match="after the extract date"):
        hr.measures_at(small, "2025-10-31")


def test_default_as_at_is_the_latest_30_september(tmp_path, small):
    assert hr.resolve_as_at(small) == DAY
    raw = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    raw["extract_date"] = "2026-01-15"
    later = read_extract(write_extract(raw, tmp_path / "x.csv"))
    assert hr.resolve_as_at(later) == DAY


def test_monthly_series_agrees_with_as_at(small):
    series = hr.monthly_series(small, months=12, threshold=1)
    assert len(series.values) == 12 and series.values.index[-1] == DAY
    pd.testing.assert_series_equal(series.values.loc[DAY], values_at(small, DAY), check_names=False)
    # March 2025: W8 (agency) ended on 31 March, so no agency worker at that month end
    assert series.values.at[pd.Timestamp("2025-03-31"), "agency_fte"] == 0.0
    assert series.values.at[pd.Timestamp("2025-02-28"), "agency_fte"] == 1.0


def test_length_of_service_bands(small):
    table, status = hr.length_of_service(small, DAY, threshold=1)
    assert table.at["2 to less than 5 years", "leavers"] == 1  # W4: 2.07 years
    assert table.at["10 to less than 20 years", "leavers"] == 1  # W5: 14.8 years
    assert table.at["All leavers", "leavers"] == 2 and table["leavers"].iloc[:-1].sum() == 2
    assert table.at["2 to less than 5 years", "share"] == 50.0
    assert (status == "").all(axis=None)


def test_caseload_distribution_and_desired_share(small):
    table, status, summary = hr.caseload_distribution(small, desired=12, threshold=1)
    # per FTE: W1 15, W2 6/0.5 = 12, W3 12, W6 10/0.8 = 12.5, W7 (agency) 18
    assert table.at["Over 10, up to 15", "case_holders"] == 4
    assert table.at["Over 15, up to 20", "case_holders"] == 1
    assert summary["case_holders"] == 5 and summary["within_desired"] == 2
    assert summary["within_desired_share"] == 40.0 and summary["median_per_fte"] == 12.5
    with pytest.raises(ValueError):
        hr.caseload_distribution(small, desired=0)


def test_teams_use_the_same_measures(small):
    table, status = hr.teams(small, DAY, threshold=1)
    assert table.at["Alpha", "inpost_fte"] == 2.5 and table.at["Alpha", "turnover_rate_fte"] == 0
    assert table.at["Alpha", "vacancy_rate_fte"] == 28.6  # 1 / 3.5
    assert table.at["Alpha", "caseload_fte"] == 13.2  # 33 cases / 2.5 FTE
    assert table.at["Beta", "turnover_rate_fte"] == 250.0  # 2 leavers / 0.8 FTE in post
    assert table.at["Beta", "agency_rate_fte"] == 55.6  # 1 / 1.8
    assert table.at["Beta", "caseload_fte"] == 15.6  # 28 / 1.8


def test_asye_cohorts(small):
    table, status = hr.asye_cohorts(small, DAY, threshold=1)
    assert table.at[2022, "intake"] == 1  # W9, started 5 September 2022
    assert [table.at[2022, f"in_post_after_{k}"] for k in (1, 2, 3)] == [1, 1, 0]
    assert table.at[2023, "in_post_after_2"] == 1  # W4 left after her 2nd anniversary
    assert status.at[2023, "in_post_after_3"] == "not yet"
    assert status.at[2025, "in_post_after_1"] == "not yet"  # W3, 2025 intake


def test_flows_by_month(small):
    table, _ = hr.flows_by_month(small, DAY, threshold=1)
    assert len(table) == 12
    assert table.at["2024-10", "starters"] == 1 and table.at["2024-11", "starters"] == 1
    assert table.at["2025-01", "leavers"] == 1 and table.at["2025-09", "leavers"] == 1
    assert table["starters"].sum() == 2 and table["leavers"].sum() == 2


# ---------------------------------------------------------------- same code as DfE's data
def _group(prefix, n, fte, **kw):
    """n workers sharing ``fte`` FTE equally."""
    return [{"worker_id": f"{prefix}{i}", "fte": f"{fte / n!r}", **kw} for i in range(n)]


def build_extract(row: dict, year: int) -> pd.DataFrame:
    """An extract whose return would be the DfE row: each component made by a group of
    workers (holders of cases, starters, other staff, leavers, agency) or vacant posts."""
    day = f"{year}-09-30"
    base = {"record_type": "worker", "extract_date": day, "team": "T", "role": "social_worker"}
    perm = {**base, "employment_type": "permanent"}
    starters_h, starters_f = int(row["starters_headcount"]), row["starters_fte"]
    holders_f, cases = row["case_holders_fte"], int(row["cases"])
    holders_h = math.ceil(holders_f)
    rest_h = int(row["inpost_headcount"]) - starters_h - holders_h
    rest_f = row["inpost_fte"] - starters_f - holders_f
    if rest_h < 0 or rest_f < 0 or rest_f > rest_h or (rest_h > 0) != (rest_f > 0):
        return None
    if row["agency_cover_fte"] > row["vacancy_fte"] or starters_f > starters_h:
        return None
    in_post = perm | {"start_date": f"{year - 8}-01-01"}
    holders = _group("H", holders_h, holders_f, **in_post)
    for i, h in enumerate(holders):
        h["cases"] = str(cases // holders_h + (i < cases % holders_h))
    rows = holders + _group("R", rest_h, rest_f, **in_post)
    rows += _group("S", starters_h, starters_f, **perm, start_date=f"{year}-01-15")
    rows[0]["sickness_days"] = repr(row["working_days_lost_fte"])
    rows += _group("L", int(row["leavers_headcount"]), row["leavers_fte"], **perm,
                   start_date=f"{year - 8}-01-01", leaving_date=f"{year}-03-31",
                   leaving_reason="resignation")  # fmt: skip
    rows += _group("A", int(row["agency_headcount"]), row["agency_fte"], **base,
                   employment_type="agency", start_date=f"{year}-05-01")  # fmt: skip
    vac = {"record_type": "vacancy", "extract_date": day, "team": "T", "role": "social_worker"}
    for cover, total in (("yes", row["agency_cover_fte"]),
                         ("no", row["vacancy_fte"] - row["agency_cover_fte"])):  # fmt: skip
        if total > 1e-9:
            rows += [{**vac, "fte": repr(total / math.ceil(total)), "agency_cover": cover}
                     for _ in range(math.ceil(total))]  # fmt: skip
    return pd.DataFrame(rows).reindex(columns=list(COLUMN_NAMES)).astype(object).fillna("")


def _reproduces(frame, tmp_path, year) -> dict:
    path = write_extract(frame, tmp_path / "x.csv")
    return values_at(read_extract(path), f"{year}-09-30").to_dict()


def test_an_extract_matching_the_return_gives_the_published_row(tmp_path, small_release):
    # Alderbury 2025 in the hand-written fixture release
    year = 2025
    values = small_release.values[
        (small_release.areas.area_name == "Alderbury") & (small_release.areas.year == year)
    ].iloc[0]
    got = _reproduces(build_extract(values.to_dict(), year), tmp_path, year)
    for name in MEASURES:
        assert got[name] == pytest.approx(values[name]), name


@pytest.mark.realdata
def test_every_council_return_reproduced_from_an_extract(tmp_path, release):
    # Every council row of the latest year whose components are all published and which a
    # simple extract can express: the HR path gives DfE's published components exactly, and
    # each rate the published one or, where DfE rounded the components after computing the
    # rate, a value those rounded components allow (the quality module's check).
    year = release.latest_year
    councils = release.frame("council", year)
    components = sorted({c for m in MEASURES.values() for c in m.components})
    checked = 0
    for i, row in councils.iterrows():
        if release.status.loc[i, list(MEASURES)].ne("").any():
            continue
        frame = build_extract(row.to_dict(), year)
        if frame is None:
            continue
        got = _reproduces(frame, tmp_path, year)
        for name in components:
            assert got[name] == pytest.approx(row[name], abs=1e-9), (row.area_name, name)
        for name in set(MEASURES) - set(components):
            m = MEASURES[name]
            sums = {c: got[c] for c in m.components}
            assert got[name] == row[name] or quality.reproduces(m, row[name], sums, 1, year), (
                row.area_name,
                name,
            )
        checked += 1
    assert checked >= 100, checked


# ---------------------------------------------------------------- disclosure control
def leaky_extract(tmp_path):
    """A team of one, a single leaver in the year, six starters; ids that would be seen."""
    day = "2025-09-30"
    base = {"record_type": "worker", "extract_date": day, "role": "social_worker", "fte": "1",
            "employment_type": "permanent"}  # fmt: skip
    rows = [{**base, "worker_id": f"LEAKID-{i:03d}", "team": "Big Team",
             "start_date": "2015-01-05", "cases": "15"} for i in range(20)]  # fmt: skip
    rows += [{**base, "worker_id": f"LEAKID-{100 + i:03d}", "team": "Middle Team",
              "start_date": "2016-01-05", "cases": "12"} for i in range(8)]  # fmt: skip
    rows += [{**base, "worker_id": f"LEAKID-{200 + i:03d}", "team": "Big Team",
              "start_date": "2025-02-03"} for i in range(6)]  # fmt: skip
    rows.append({**base, "worker_id": "LEAKID-SOLO", "team": "Solo Team",
                 "start_date": "2019-04-01", "cases": "22", "sickness_days": "40"})  # fmt: skip
    rows.append({**base, "worker_id": "LEAKID-LEAVER", "team": "Big Team",
                 "start_date": "2024-01-08", "leaving_date": "2025-03-14",
                 "leaving_reason": "dismissal"})  # fmt: skip
    frame = pd.DataFrame(rows).reindex(columns=list(COLUMN_NAMES)).astype(object).fillna("")
    return write_extract(frame, tmp_path / "leaky.csv")


def test_single_leaver_and_team_of_one_are_suppressed(tmp_path):
    doc = hr.summarise(read_extract(leaky_extract(tmp_path))).to_json()
    m = doc["measures"]
    for name in ("leavers_headcount", "leavers_fte", "turnover_rate_fte"):
        assert m[name]["value"] is None and m[name]["status"].startswith("c: fewer than 5")
    # 6 starters would give the leaver away (in post now - a year ago = starters - leavers)
    assert m["starters_headcount"]["value"] is None
    assert "reveal" in m["starters_headcount"]["status"]
    assert m["inpost_headcount"]["value"] == 35  # big enough to show
    teams = {t["team"]: t for t in doc["teams"]}
    assert teams["Solo Team"]["inpost_headcount"] is None
    assert teams["Solo Team"]["caseload_fte"] is None
    assert teams["Middle Team"]["inpost_headcount"] is None  # secondary: total minus Big
    assert "reveal" in teams["Middle Team"]["status"]["inpost_headcount"]
    assert teams["Big Team"]["inpost_headcount"] == 26
    assert all(b["leavers"] in (0, None) for b in doc["length_of_service"])
    text = str(doc)
    assert "LEAKID" not in text and "dismissal" not in text


def test_threshold_one_shows_everything(tmp_path):
    doc = hr.summarise(read_extract(leaky_extract(tmp_path)), threshold=1).to_json()
    assert doc["measures"]["leavers_headcount"]["value"] == 1
    assert {t["team"]: t["inpost_headcount"] for t in doc["teams"]}["Solo Team"] == 1


# ---------------------------------------------------------------- differencing
def _movers(extract, a, b, employment_type):
    """People of ``employment_type`` starting or leaving in (a, b], counted by hand."""
    w = extract.workers[extract.workers["employment_type"] == employment_type]

    def within(dates):
        return (dates > a) & (dates <= b)

    return int((within(w["start_date"]) | within(w["leaving_date"])).sum())


def test_monthly_in_post_hides_a_single_leaver_from_differencing(tmp_path):
    ex = read_extract(leaky_extract(tmp_path))
    # permanent moves: LEAVER starts Jan 2024; six start Feb 2025; LEAVER leaves Mar 2025
    s = hr.monthly_series(ex, 24, 5, shown_with=hr.headline_dates(DAY))
    shown = s.values["inpost_fte"].dropna().index
    expected = ["2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31", "2025-01-31", "2025-09-30"]
    assert list(shown) == list(pd.to_datetime(expected))
    # Feb 2025 beside Sep 2025 (shown in the headline) would show the one leaver's FTE
    assert s.status.at[pd.Timestamp("2025-02-28"), "inpost_fte"].startswith("c: its change")
    # Dec 2023 beside Sep 2024 would show the one starter of January 2024
    assert s.status.at[pd.Timestamp("2023-12-31"), "inpost_fte"].startswith("c: its change")
    every = hr.monthly_series(ex, 24, 1, shown_with=hr.headline_dates(DAY))
    assert every.values["inpost_fte"].notna().all()


def test_monthly_series_changes_rest_on_enough_people(tmp_path):
    """Checked by hand-counting movers: between any two neighbouring figures shown (the
    series and the headline's two dates), 0 or at least 5 people moved."""
    from workforce_lib.demo import demo_extract

    ex = read_extract(write_extract(demo_extract(posts=60), tmp_path / "small_demo.csv"))
    anchors = hr.headline_dates(pd.Timestamp("2025-09-30"))
    s = hr.monthly_series(ex, 36, 5, shown_with=anchors)
    stocks = {"inpost_fte": "permanent", "agency_fte": "agency"}
    for name, kind in stocks.items():
        shown = sorted(set(s.values[name].dropna().index) | set(anchors))
        assert len(shown) >= 2
        for a, b in zip(shown, shown[1:]):
            moved = _movers(ex, a, b, kind)
            assert moved == 0 or moved >= 5, (name, a, b, moved)
        assert (s.status[name] != "").any()  # this small council does have months to hide
