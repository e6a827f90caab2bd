"""The manifest of every file the project reads (``data/sources.yaml``), as a typed model.

The manifest is read like every other config file, through :mod:`workforce_lib.yaml_config`
(no anchors or aliases, no key given twice, at most ``yaml_config.MAX_BYTES``, a mapping),
into :class:`Manifest`, which refuses unknown keys and values of the wrong type.

>>> m = load_manifest()
>>> m.sources["indicators"].required, m.sources["ofsted"].required
(True, False)
>>> sorted(k for k, s in m.sources.items() if s.required)
['indicators']
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from workforce_lib.errors import WorkforceError
from workforce_lib.yaml_config import ConfigError, load_yaml, parse_model, read_yaml_file

MANIFEST_PATH = Path(__file__).resolve().parents[2] / "data" / "sources.yaml"
#: `data check` does not read an input larger than this (the published files are under 1 MB).
MAX_INPUT_BYTES = 100 * 2**20
#: Hosts a `url` may name over plain http: this machine only (tests run a server on 127.0.0.1).
LOOPBACK_NAMES = ("localhost",)


def _is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1`` and ``localhost`` are; anything else is not.

    >>> _is_loopback("127.0.0.1"), _is_loopback("localhost"), _is_loopback("example.org")
    (True, True, False)
    """
    if host.casefold() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(value: str, *, loopback_http: bool = False) -> str:
    """``value`` if it is an ``https://`` address with a host and no user or password;
    ``http://`` only to this machine when ``loopback_http``.

    >>> check_url("https://example.org/a.csv")
    'https://example.org/a.csv'
    >>> check_url("http://example.org/a.csv")
    Traceback (most recent call last):
    ...
    ValueError: must be an https:// address, not 'http://example.org/a.csv'
    >>> check_url("http://127.0.0.1:8000/a.csv", loopback_http=True)
    'http://127.0.0.1:8000/a.csv'
    """
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        userinfo = parts.username is not None or parts.password is not None
    except ValueError:
        raise ValueError(f"not a web address: {value!r:.100}") from None
    plain_ok = loopback_http and parts.scheme == "http" and _is_loopback(host)
    if parts.scheme != "https" and not plain_ok:
        raise ValueError(f"must be an https:// address, not {value!r:.100}")
    if not host or userinfo or any(c.isspace() for c in value):
        raise ValueError(
            f"must be a web address with a host, no user name and no spaces: {value!r:.100}"
        )
    return value


class Source(BaseModel):
    """One input file: how to recognise it, who publishes it, where to get it, its checksum."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str = Field(min_length=1, description="file-name pattern in the data folder (glob)")
    file: str = Field(min_length=1, description="the file's name as published")
    title: str
    publisher: str
    licence: str
    page: str = Field(description="the publisher's page for the file (https)")
    url: str = Field(
        description="where `workforce data fetch` downloads it (https; http only to 127.0.0.1)"
    )
    archive: Literal["zip"] | None = Field(
        None, description="`zip`: the url is a zip archive holding the file"
    )
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="checksum of the tested copy: 64 lower-case hex"
    )
    required: StrictBool = False
    used_for: str
    columns: tuple[str, ...] = Field((), description="columns a CSV must have")

    @field_validator("page")
    @classmethod
    def _page(cls, value: str) -> str:
        return check_url(value)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_url(value, loopback_http=True)

    @field_validator("pattern", "file")
    @classmethod
    def _name_only(cls, value: str) -> str:
        if "/" in value or "\\" in value or value in (".", ".."):
            raise ValueError(f"must be a file name in the data folder, not a path: {value!r:.100}")
        return value


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: dict[str, Source]


def parse_manifest(text: str | bytes, source: str = "sources.yaml") -> Manifest:
    """A manifest from YAML text, read as every config file is (:func:`yaml_config.load_yaml`),
    every problem named with its key in one error.

    >>> parse_manifest("sources: {}").sources
    {}
    >>> parse_manifest("sources: {x: {pattern: a, colour: red}}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workforce_lib.yaml_config.ConfigError: sources.yaml: 9 problems...
    """
    return parse_model(Manifest, load_yaml(text, source), source)


@cache
def _load(path: Path, mtime_ns: int, size: int) -> Manifest:
    doc, source = read_yaml_file(path, "sources manifest")
    return parse_model(Manifest, doc, source)


def load_manifest(path: str | os.PathLike | None = None) -> Manifest:
    """The project's manifest (``data/sources.yaml``), or another file of the same shape."""
    p = Path(path) if path else MANIFEST_PATH
    if not p.is_file():
        raise ConfigError(f"No sources manifest at {p}.")
    st = p.stat()
    return _load(p, st.st_mtime_ns, st.st_size)


# ---------------------------------------------------------------- checking a data folder
@dataclass(frozen=True)
class Checked:
    """One manifest entry in a data folder: ``present``, ``missing`` or ``invalid``."""

    kind: str
    status: str
    file: str  # the file found, or the pattern when none is
    message: str
    required: bool

    @property
    def ok(self) -> bool:
        return self.status == "present" or (self.status == "missing" and not self.required)


def _problem(kind: str, source: Source, path: Path) -> str | None:
    """Why a file cannot be used, checked the way the library reads it; None if it can."""
    from workforce_lib.published import cleaning, comparison, ofsted
    from workforce_lib.published.loading import read_csv_as_text, sha256

    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        return f"{path.name}: {size} bytes, more than the {MAX_INPUT_BYTES} a {kind} file may be"
    try:
        if kind == "indicators":
            cleaning.validate_indicators(read_csv_as_text(path), path.name)
        elif kind.startswith("neighbours_"):
            comparison.parse_neighbours(read_csv_as_text(path), path.name, kind.split("_")[1])
        elif kind == "ofsted":
            problem = ofsted._read_file(path, sha256(path))[1]
            if problem:
                return f"{path.name}: {problem}"
        if source.columns:
            import pandas as pd

            header = pd.read_csv(path, nrows=0, dtype=str, encoding="utf-8-sig").columns
            missing = [c for c in source.columns if c not in set(header)]
            if missing:
                return f"{path.name}: columns missing: {', '.join(missing)}"
    except WorkforceError as err:
        return str(err)
    except (ValueError, UnicodeDecodeError, OSError) as err:
        return f"{path.name}: cannot be read ({type(err).__name__}: {err})"
    return None


def check_folder(
    data_dir: str | os.PathLike | None = None, manifest: Manifest | None = None
) -> list[Checked]:
    """Every manifest entry in the data folder, each file checked as loading reads it."""
    from workforce_lib.published.loading import find_files, resolve_data_dir, sha256

    manifest = manifest or load_manifest()
    folder = resolve_data_dir(data_dir)
    out = []
    for kind, source in manifest.sources.items():
        paths = find_files(source.pattern, folder)
        if not paths:
            need = "required" if source.required else "optional"
            out.append(
                Checked(
                    kind,
                    "missing",
                    source.pattern,
                    f"{need} ({source.used_for}); `workforce data fetch` gets it",
                    source.required,
                )
            )
        for path in paths:
            problem = _problem(kind, source, path)
            if problem:
                out.append(Checked(kind, "invalid", path.name, problem, source.required))
                continue
            same = sha256(path) == source.sha256
            note = "checksum as in data/sources.yaml" if same else "another version than the "
            note += "" if same else "one in data/sources.yaml (checksum differs); schema valid"
            out.append(Checked(kind, "present", path.name, note, source.required))
    return out
