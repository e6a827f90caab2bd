import pytest

from workforce_lib.errors import WorkforceError
from workforce_lib.measures import MEASURES
from workforce_lib.published import quality
from workforce_lib.published.release import load_release


def test_reproduces_allows_for_rounded_components():
    m = MEASURES["turnover_rate_fte"]
    # 28.8 / 181.1 = 15.90%; components rounded to 0.1 allow about 15.87-15.94
    assert quality.reproduces(m, 15.9, {"leavers_fte": 28.8, "inpost_fte": 181.1}, 1, 2022)
    assert not quality.reproduces(m, 16.1, {"leavers_fte": 28.8, "inpost_fte": 181.1}, 1, 2022)
    lo, hi = quality.value_range(m, {"leavers_fte": 28.8, "inpost_fte": 181.1}, 1, 2022)
    assert lo < 28.8 / 181.1 * 100 < hi and hi - lo < 0.1


def test_fixture_region_reproduced(small_release):
    pvr = quality.published_vs_recomputed(small_release, 2024)
    ne = pvr[(pvr.area == "North East")].set_index("measure")
    assert ne.at["turnover_rate_fte", "reproduced"]
    assert ne.at["turnover_rate_fte", "councils_used"] == 2


@pytest.mark.realdata
def test_real_release_findings(release):
    pvr = quality.published_vs_recomputed(release)
    # measured 2026-11: 2,283 of 2,375 published England/region figures reproduced
    assert pvr.reproduced.mean() > 0.95
    bad = pvr[~pvr.reproduced]
    assert (bad.explanation != "").all()
    london = bad[(bad.year == 2025) & (bad.area == "London") & (bad.measure == "inpost_fte")]
    assert "Kensington and Chelsea" in london.explanation.iloc[0]
    assert "DfE used their 2024 returns" in london.explanation.iloc[0]
    # the North East 2025 headline rates are reproduced
    ne = pvr[(pvr.year == 2025) & (pvr.area == "North East")].set_index("measure")
    assert ne.loc[["turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte"], "reproduced"].all()


@pytest.mark.realdata
def test_every_council_rate_matches_its_components(release):
    # This also settles the absence basis: 253 days, 254 in a year holding 29 February.
    assert quality.council_consistency(release).empty


@pytest.mark.realdata
def test_absence_basis_253_only_would_not_reproduce(release, monkeypatch):
    import workforce_lib.measures as measures

    monkeypatch.setattr(measures, "working_days", lambda year: 253)
    bad = quality.council_consistency(release)
    assert (bad.measure == "absence_rate_fte").any()


@pytest.mark.realdata
def test_gaps_are_explained_by_boundary_changes(release):
    gaps = quality.series_gaps(release)
    assert not gaps.explanation.str.contains("no boundary change").any()
    assert "909" in set(gaps.area_id)


def _without_region_2025(small_csv):
    lines = small_csv.read_text().splitlines(keepends=True)
    small_csv.write_text(
        "".join(ln for ln in lines if not ln.startswith("2025,Reporting year,Regional"))
    )
    return load_release(path=small_csv, cache=False)


def test_a_missing_region_row_is_a_finding_and_a_note_where_used(small_csv):
    """Before: the North East's published figures were blank (n/a) with no word why."""
    from workforce_lib.published.comparison import compare_group

    rel = _without_region_2025(small_csv)
    gone = quality.missing_published_rows(rel)
    assert gone.to_dict("records") == [
        {"year": 2025, "area_id": "E12000001", "area": "North East", "councils": 3}
    ]
    assert quality.quality_report(rel)["missing_rows"].equals(gone)
    s = compare_group(rel, "North East", 2025)
    assert s.measures["inpost_fte"].published is None
    assert any("has no North East row for 2025" in n for n in s.notes)
    assert not any("row for" in n for n in compare_group(rel, "North East", 2024).notes)


def test_quality_for_a_year_not_in_the_release_is_an_error(small_release):
    with pytest.raises(WorkforceError, match="No 2030 in"):
        quality.quality_report(small_release, 2030)
