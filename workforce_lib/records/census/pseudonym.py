"""The region's secret key for keyed pseudonyms of SWE numbers.

A region that pools its councils' census returns links a worker's records across councils
and years by a *keyed* pseudonym of the Social Work England number: HMAC-SHA256 with a
secret the region keeps (:func:`workforce_lib.records.census.records.person_key` computes it, the
reader calls it as each record is read). A plain hash would not do: there are few enough
registration numbers to hash every one and look the answers up.

The key lives in a file made by :func:`write_key` (``workforce census keygen --out KEY``):
64 hexadecimal digits (32 random bytes from :mod:`secrets`), readable by its owner only.
:func:`read_key` refuses a missing file, one that is not such a key, a key shorter than
32 bytes or with the look of a made-up one (few distinct bytes), and a file anyone but
its owner can read or change (its group included).

What the key protects: without it, nobody can tell which pseudonym belongs to which SWE
number, nor link pseudonyms from this region's outputs to another pool's. What it does not
protect: anyone holding the key and an SWE number can compute that number's pseudonym and
find the person in a restricted list; a pseudonymised record is still personal data (dates,
council, role). Keep the key apart from the returns and from every output.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = write_key(folder / "region.key")
>>> len(read_key(path)), oct(path.stat().st_mode & 0o777)
(32, '0o600')
"""

from __future__ import annotations

import os
import secrets
import stat
import string
from pathlib import Path

from workforce_lib.errors import WorkforceError

#: Shortest key accepted, in bytes (HMAC-SHA256's own output length).
MIN_KEY_BYTES = 32
#: Bytes :func:`write_key` draws.
KEY_BYTES = 32
#: Largest key file read; a key is 64 characters and a newline.
MAX_KEY_FILE_BYTES = 4096
#: A 32-byte random key has about 30 distinct byte values; fewer than this means the key
#: was made up (``00 00 ...``, ``0123...``), not drawn.
MIN_DISTINCT_BYTES = 16

_HEX = set(string.hexdigits)
_HOW = "make one with `workforce census keygen --out KEY`"


class KeyFileError(WorkforceError):
    """The key file is missing, unreadable or not a good key."""


def read_key(path: str | os.PathLike | None) -> bytes:
    """The region's key, from a file made by :func:`write_key`.

    Parameters
    ----------
    path : the key file; None or empty is an error (no key, no pooling).

    Raises
    ------
    KeyFileError
        No path, no file, a file bigger than a key, not hexadecimal, shorter than
        :data:`MIN_KEY_BYTES`, too few distinct bytes to be random, or open to anyone but its
        owner (group or others).

    Examples
    --------
    >>> read_key(None)
    Traceback (most recent call last):
    ...
    workforce_lib.records.census.pseudonym.KeyFileError: No key file given: pooling returns needs the region's secret key (--key-file KEY); make one with `workforce census keygen --out KEY`.
    """  # noqa: E501
    if not path:
        raise KeyFileError(
            "No key file given: pooling returns needs the region's secret key "
            f"(--key-file KEY); {_HOW}."
        )
    p = Path(path)
    if not p.is_file():
        raise KeyFileError(f"Key file {p}: no such file; {_HOW}.")
    mode = p.stat().st_mode
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"Key file {p}: others on this machine can read or change it (mode "
            f"{stat.filemode(mode)}); make it private first: chmod 600 {p}"
        )
    size = p.stat().st_size
    if size > MAX_KEY_FILE_BYTES:
        raise KeyFileError(
            f"Key file {p}: {size} bytes, not a key (a key file is 65 bytes); {_HOW}."
        )
    with p.open("rb") as fh:
        raw = fh.read(MAX_KEY_FILE_BYTES + 1)
    try:
        text = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        text = None
    if not text or not set(text) <= _HEX or len(text) % 2:
        raise KeyFileError(
            f"Key file {p}: not a key (a key is hexadecimal digits, an even number of "
            f"them); {_HOW}."
        )
    key = bytes.fromhex(text)
    if len(key) < MIN_KEY_BYTES:
        raise KeyFileError(
            f"Key file {p}: {len(key)} bytes of key, fewer than {MIN_KEY_BYTES}: too little "
            f"entropy to protect SWE numbers; {_HOW}."
        )
    if len(set(key)) < MIN_DISTINCT_BYTES:
        raise KeyFileError(
            f"Key file {p}: only {len(set(key))} distinct byte values in {len(key)} bytes: "
            f"not a randomly drawn key (too little entropy); {_HOW}."
        )
    return key


def write_key(path: str | os.PathLike) -> Path:
    """Draw a new key with :mod:`secrets` and write it to a new file only its owner can
    read (mode 0600); an existing file is never overwritten.

    Raises
    ------
    KeyFileError
        The file exists already, or its folder does not.
    """
    p = Path(path)
    if p.exists():
        raise KeyFileError(
            f"Key file {p} exists already: not overwritten (a new key would unlink every "
            "pseudonym made with the old one). Choose another name, or delete it yourself."
        )
    if not p.parent.is_dir():
        raise KeyFileError(f"Key file {p}: no folder {p.parent}.")
    text = secrets.token_hex(KEY_BYTES) + "\n"
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text)
    os.chmod(p, 0o600)  # whatever the umask
    return p
