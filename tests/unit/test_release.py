import pandas as pd

from workforce_lib.release import load_release


def test_cell_shows_reason_never_a_blank(small_release):
    r = small_release
    cell = r.cell("902", 2024, "turnover_rate_fte")
    assert cell.value is None and cell.status == "u"
    assert cell.display() == "low reliability (u)"
    assert r.cell("901", 2024, "turnover_rate_fte").display() == "10.0%"
    assert r.cell("999", 2024, "turnover_rate_fte").value is None


def test_years_and_rows(small_release):
    assert small_release.years == [2024, 2025] and small_release.latest_year == 2025
    assert small_release.council_ids(2025) == ["901", "902", "903"]


def test_suppressed_lists_every_symbol(small_release):
    s = small_release.suppressed()
    assert len(s) == 10
    assert set(s.symbol) == {"u", "low", "z", "c"}
    assert s.loc[s.column == "absence_rate_fte", "area_name"].tolist() == ["Castleton"]


def test_cache_round_trip_is_identical(small_csv, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path / "c"))
    fresh = load_release(path=small_csv, cache=True)  # builds and writes
    assert list((tmp_path / "c").glob("*.parquet"))
    cached = load_release(path=small_csv, cache=True)  # reads parquet
    pd.testing.assert_frame_equal(fresh.values, cached.values)
    pd.testing.assert_frame_equal(fresh.status, cached.status, check_dtype=False)
    pd.testing.assert_frame_equal(fresh.areas, cached.areas, check_dtype=False)
    assert fresh.sha256 == cached.sha256


def test_changed_file_is_revalidated(small_csv, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path / "c"))
    load_release(path=small_csv)
    small_csv.write_text(small_csv.read_text().replace("Alderbury,100.0", "Alderbury,oops"))
    import pytest

    from workforce_lib.errors import DataValidationError

    with pytest.raises(DataValidationError):
        load_release(path=small_csv)
