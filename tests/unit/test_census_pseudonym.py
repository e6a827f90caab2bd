"""The region's key file: made with `secrets`, private, refused when weak or missing."""

import os
import stat

import pytest

from workforce_lib.records.census.pseudonym import KeyFileError, read_key, write_key
from workforce_lib.records.census.records import person_key


def test_write_key_makes_a_private_random_key(tmp_path):
    a, b = write_key(tmp_path / "a.key"), write_key(tmp_path / "b.key")
    assert stat.S_IMODE(a.stat().st_mode) == 0o600
    ka, kb = read_key(a), read_key(b)
    assert len(ka) == 32 and ka != kb
    assert len(a.read_text().strip()) == 64


def test_write_key_never_overwrites(tmp_path):
    path = write_key(tmp_path / "k")
    before = path.read_text()
    with pytest.raises(KeyFileError, match="exists already"):
        write_key(path)
    assert path.read_text() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ab" * 16, "16 bytes of key, fewer than 32"),
        ("00" * 32, "distinct byte values"),
        ("0123456789abcdef" * 4, "distinct byte values"),
        ("correct horse battery staple and more words", "not a key"),
        ("abc", "not a key"),
        ("", "not a key"),
    ],
)
def test_weak_or_malformed_keys_are_refused(tmp_path, content, message):
    path = tmp_path / "weak.key"
    path.write_text(content)
    os.chmod(path, 0o600)
    with pytest.raises(KeyFileError, match=message):
        read_key(path)


def test_missing_key_and_no_key_are_errors(tmp_path):
    with pytest.raises(KeyFileError, match="no such file"):
        read_key(tmp_path / "none.key")
    with pytest.raises(KeyFileError, match="No key file given"):
        read_key("")


def test_a_key_anyone_can_read_is_refused(tmp_path):
    path = write_key(tmp_path / "k")
    os.chmod(path, 0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        read_key(path)


@pytest.mark.parametrize("mode", [0o640, 0o620, 0o610, 0o602])
def test_a_key_its_group_or_others_can_use_is_refused(tmp_path, mode):
    # "readable by you only": a group-readable key is shared with every member of the group
    path = write_key(tmp_path / "k")
    os.chmod(path, mode)
    with pytest.raises(KeyFileError, match="others on this machine"):
        read_key(path)
    os.chmod(path, 0o600)
    assert len(read_key(path)) == 32


def test_a_huge_file_is_not_read(tmp_path):
    path = tmp_path / "big"
    path.write_bytes(b"a" * 100_000)
    os.chmod(path, 0o600)
    with pytest.raises(KeyFileError, match="100000 bytes, not a key"):
        read_key(path)


def test_pseudonym_is_keyed_and_normalised(tmp_path):
    key = read_key(write_key(tmp_path / "k"))
    other = read_key(write_key(tmp_path / "k2"))
    p = person_key("SW123456", key)
    assert p == person_key(" sw123456 ", key)  # case and spaces do not matter
    assert p != person_key("SW123456", other)  # another key, another pseudonym
    import hashlib

    assert p != hashlib.sha256(b"SW123456").hexdigest()  # never a plain hash
