import os

import pytest

from workforce_lib.errors import DataNotFoundError
from workforce_lib.published import revisions
from workforce_lib.published.loading import (
    find_file,
    indicator_vintages,
    indicators_path,
    resolve_data_dir,
    sha256,
    vintage,
    why_chosen,
)


def test_data_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "arg") == (tmp_path / "arg").resolve()
    assert resolve_data_dir() == (tmp_path / "env").resolve()
    monkeypatch.delenv("WORKFORCE_DATA_DIR")
    assert resolve_data_dir().parts[-2:] == ("data", "raw")


def test_newest_release_wins(tmp_path):
    for name in [
        "csww_indicators_2017_to_2024.csv",
        "csww_indicators_2017_to_2025.csv",
        "csww_indicators_2016_to_2023.csv",
    ]:
        (tmp_path / name).write_text("x")
    assert indicators_path(tmp_path).name == "csww_indicators_2017_to_2025.csv"


def test_missing_file_says_how_to_supply_it(tmp_path):
    with pytest.raises(DataNotFoundError) as exc:
        find_file("csww_indicators_*.csv", tmp_path)
    msg = str(exc.value)
    assert str(tmp_path) in msg and "WORKFORCE_DATA_DIR" in msg and "workforce data fetch" in msg


def test_sha256_of_known_bytes(tmp_path):
    p = tmp_path / "f"
    p.write_bytes(b"abc")
    assert sha256(p) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


# ---------------------------------------------------------------- vintages of one source
def _write(folder, name, text, mtime=None):
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


# names chosen so that sorting by name (the old rule) picks the wrong file
OLDER, NEWER = "csww_indicators_2017_to_2025_z.csv", "csww_indicators_2017_to_2025_a.csv"
ROWS = "time_period,old_la_code\n2024,901\n2025,901\n"


def test_same_end_year_ordered_by_latest_period_held(tmp_path):
    # the file whose name sorts last holds only up to 2024, whatever its name says
    _write(tmp_path, OLDER, "time_period,old_la_code\n2023,901\n2024,901\n", mtime=2e9)
    _write(tmp_path, NEWER, ROWS, mtime=1e9)
    assert [p.name for p in indicator_vintages(tmp_path)] == [OLDER, NEWER]
    assert indicators_path(tmp_path).name == NEWER
    assert why_chosen(indicator_vintages(tmp_path)) == (
        f"it holds the latest period: time_period up to 2025 ({OLDER}: time_period up to 2024)"
    )


def test_same_period_ordered_by_stated_publication_date(tmp_path):
    # published later, but modified earlier and its name sorts first
    _write(tmp_path, OLDER, "publication_date," + ROWS.replace("\n2", "\n2025-06-01,2"), 2e9)
    _write(tmp_path, NEWER, "publication_date," + ROWS.replace("\n2", "\n26/02/2026,2"), 1e9)
    found = indicator_vintages(tmp_path)
    assert found[-1].name == NEWER
    assert vintage(found[-1]).published == "2026-02-26"
    assert "it states the later publication date, 2026-02-26" in why_chosen(found)
    assert f"({OLDER}: 2025-06-01)" in why_chosen(found)


def test_same_period_no_date_ordered_by_modification_time(tmp_path):
    _write(tmp_path, OLDER, ROWS, mtime=1_700_000_000)
    _write(tmp_path, NEWER, ROWS, mtime=1_800_000_000)
    found = indicator_vintages(tmp_path)
    assert found[-1].name == NEWER
    assert why_chosen(found) == (
        "both hold time_period up to 2025; neither states a publication date; it was "
        f"modified later, 2027-01-15 08:00:00 UTC ({OLDER}: 2023-11-14 22:13:20 UTC)"
    )
    note = revisions.vintages_note(tmp_path)
    assert f"the newest, {NEWER}, is used (both hold time_period up to 2025" in note
    # everything equal: the name decides, and the reason says so
    os.utime(tmp_path / NEWER, (1_700_000_000, 1_700_000_000))
    found = indicator_vintages(tmp_path)
    assert found[-1].name == OLDER and why_chosen(found).endswith("its name sorts last")


def test_a_file_without_time_period_is_ordered_by_its_name(tmp_path):
    _write(tmp_path, "csww_indicators_2017_to_2024.csv", "other\n1\n", mtime=2e9)
    _write(tmp_path, "csww_indicators_2017_to_2023.csv", "time_period\n2023\n", mtime=1e9)
    found = indicator_vintages(tmp_path)
    assert found[-1].name == "csww_indicators_2017_to_2024.csv"
    assert "2024 in its name (time_period not read)" in why_chosen(found)
