"""The manifest of every file the project reads (``data/sources.yaml``), as a typed model.

>>> m = load_manifest()
>>> m.sources["indicators"].required, m.sources["ofsted"].required
(True, False)
>>> sorted(k for k, s in m.sources.items() if s.required)
['indicators']
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from workforce_lib.errors import WorkforceError

MANIFEST_PATH = Path(__file__).resolve().parent.parent / "data" / "sources.yaml"
#: A manifest is a few kilobytes; anything far larger is refused before parsing.
MAX_MANIFEST_BYTES = 256 * 1024


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
