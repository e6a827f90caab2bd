"""The manifest of every file the project reads (``data/sources.yaml``), as a typed model.

>>> m = load_manifest()
>>> m.sources["indicators"].required, m.sources["ofsted"].required
(True, False)
>>> sorted(k for k, s in m.sources.items() if s.required)
['indicators']
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workforce_lib.errors import WorkforceError

MANIFEST_PATH = Path(__file__).resolve().parent.parent / "data" / "sources.yaml"
#: A manifest is a few kilobytes; anything far larger is refused before parsing.
MAX_MANIFEST_BYTES = 256 * 1024
#: `data check` does not read an input larger than this (the published files are under 1 MB).
MAX_INPUT_BYTES = 100 * 2**20


class Source(BaseModel):
    """One input file: how to recognise it, who publishes it, where to get it, its checksum."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str = Field(description="file-name pattern in the data folder (glob)")
    file: str = Field(description="the file's name as published")
    title: str
    publisher: str
    licence: str
    page: str = Field(description="the publisher's page for the file")
    url: str = Field(description="where `workforce data fetch` downloads it")
    archive: Literal["zip"] | None = Field(
        None, description="`zip`: the url is a zip archive holding the file"
    )
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="checksum of the tested copy")
    required: bool = False
    used_for: str
    columns: tuple[str, ...] = Field((), description="columns a CSV must have")


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sources: dict[str, Source]


def _no_aliases(text: str, source: str) -> None:
    """Refuse YAML anchors and aliases (no alias-expansion bombs)."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise WorkforceError(f"{source}: YAML anchors and aliases are not allowed.")


def parse_manifest(text: str, source: str = "sources.yaml") -> Manifest:
    """A manifest from YAML text, every problem named with its key.

    >>> parse_manifest("sources: {}").sources
    {}
    >>> parse_manifest("sources: {x: {pattern: a, colour: red}}")
    Traceback (most recent call last):
    ...
    workforce_lib.errors.WorkforceError: sources.yaml: ...
    """
    if len(text.encode()) > MAX_MANIFEST_BYTES:
        raise WorkforceError(f"{source}: larger than {MAX_MANIFEST_BYTES} bytes; refused.")
    try:
        _no_aliases(text, source)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise WorkforceError(f"{source}: not valid YAML ({err}).") from None
    if not isinstance(data, dict):
        raise WorkforceError(f"{source}: expected a mapping with `sources:`, got {data!r:.60}.")
    try:
        return Manifest.model_validate(data)
    except ValidationError as err:
        lines = [
            f"  - {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors(include_url=False)
        ]
        raise WorkforceError(f"{source}: {len(lines)} problem(s)\n" + "\n".join(lines)) from None


@cache
def _load(path: Path, mtime: float) -> Manifest:
    return parse_manifest(path.read_text(encoding="utf-8"), path.name)


def load_manifest(path: str | os.PathLike | None = None) -> Manifest:
    """The project's manifest (``data/sources.yaml``), or another file of the same shape."""
    p = Path(path) if path else MANIFEST_PATH
    if not p.is_file():
        raise WorkforceError(f"No sources manifest at {p}.")
    return _load(p, p.stat().st_mtime)


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
    from workforce_lib import cleaning, comparison, ofsted
    from workforce_lib.loading import read_csv_as_text, sha256

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
    from workforce_lib.loading import find_files, resolve_data_dir, sha256

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
