import pandas as pd
import pytest

from workforce_lib.errors import WorkforceError
from workforce_lib.published.release import CACHE_VERSION, load_release


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


def test_cache_write_leaves_another_process_write_alone(small_csv, tmp_path, monkeypatch):
    # Another process building the same release is part-way through its own write: this
    # one must neither overwrite nor move that file (a fixed ".tmp" name did both).
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path / "c"))
    digest = load_release(path=small_csv, cache=False).sha256
    (tmp_path / "c").mkdir()
    theirs = tmp_path / "c" / f"release-{digest[:16]}-v{CACHE_VERSION}.tmp"
    theirs.write_bytes(b"half of another process's parquet")
    load_release(path=small_csv, cache=True)
    assert theirs.read_bytes() == b"half of another process's parquet"
    assert [p.suffix for p in (tmp_path / "c").iterdir()].count(".parquet") == 1


def test_damaged_cache_is_rebuilt_not_fatal(small_csv, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path / "c"))
    fresh = load_release(path=small_csv, cache=True)
    (cached,) = (tmp_path / "c").glob("*.parquet")
    cached.write_bytes(cached.read_bytes()[:100])  # a truncated file
    again = load_release(path=small_csv, cache=True)
    pd.testing.assert_frame_equal(fresh.values, again.values)
    assert load_release(path=small_csv, cache=True).values.equals(fresh.values)


def test_cache_with_wrong_values_is_rebuilt(small_csv, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path / "c"))
    fresh = load_release(path=small_csv, cache=True)
    (cached,) = (tmp_path / "c").glob("*.parquet")
    frame = pd.read_parquet(cached)
    frame["year"] = "twenty"  # reads as parquet, yet not a release
    frame.to_parquet(cached)
    pd.testing.assert_frame_equal(load_release(path=small_csv, cache=True).values, fresh.values)


def test_changed_file_is_revalidated(small_csv, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path / "c"))
    load_release(path=small_csv)
    small_csv.write_text(small_csv.read_text().replace("Alderbury,100.0", "Alderbury,oops"))
    import pytest

    from workforce_lib.errors import DataValidationError

    with pytest.raises(DataValidationError):
        load_release(path=small_csv)


def _write(small_csv, data: bytes):
    small_csv.write_bytes(data)
    return small_csv


def test_empty_file_names_the_file(small_csv):
    """Before: 'No columns to parse from file', no file named."""
    path = _write(small_csv, b"")
    with pytest.raises(WorkforceError, match=f"{path}: the file is empty"):
        load_release(path=path, cache=False)


def test_latin1_file_names_the_file_and_the_byte(small_csv):
    """Before: "'utf-8' codec can't decode byte 0xe9 in position ...", no file named."""
    text = small_csv.read_text().replace("Castleton", "Castletón")
    path = _write(small_csv, text.encode("latin-1"))
    with pytest.raises(WorkforceError) as err:
        load_release(path=path, cache=False)
    assert str(path) in str(err.value)
    assert "byte 0xf3 on line 6 is not UTF-8 (probably Latin-1" in str(err.value)


def test_utf16_file_is_named_as_utf16(small_csv):
    path = _write(small_csv, small_csv.read_text().encode("utf-16"))
    with pytest.raises(WorkforceError, match=f"{path}: cannot read it as UTF-8: it is UTF-16"):
        load_release(path=path, cache=False)


def test_utf8_with_bom_still_reads(small_csv):
    path = _write(small_csv, small_csv.read_text().encode("utf-8-sig"))
    assert load_release(path=path, cache=False).council_ids(2025) == ["901", "902", "903"]


def test_ragged_row_names_the_file(small_csv):
    path = _write(small_csv, small_csv.read_bytes() + b"2025,x,y" + b",1" * 40 + b"\n")
    with pytest.raises(WorkforceError, match=f"{path}: not a well-formed CSV"):
        load_release(path=path, cache=False)


def test_header_only_file_is_an_error_not_a_traceback_later(small_csv):
    path = _write(small_csv, small_csv.read_bytes().splitlines(keepends=True)[0])
    with pytest.raises(WorkforceError, match="header but no data rows"):
        load_release(path=path, cache=False)


def test_require_year(small_release):
    assert small_release.require_year(None) == 2025 and small_release.require_year(2024) == 2024
    with pytest.raises(WorkforceError, match="No 2030 in .*: it holds 2024-2025"):
        small_release.require_year(2030)
