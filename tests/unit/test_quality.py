import pytest

from workforce_lib import quality
from workforce_lib.measures import MEASURES


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
