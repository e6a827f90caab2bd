import pytest

from workforce_lib.errors import DataNotFoundError
from workforce_lib.loading import find_file, indicators_path, resolve_data_dir, sha256


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
