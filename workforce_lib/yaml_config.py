"""Reading the project's YAML config files safely, into typed models that refuse unknown keys.

A YAML file is hostile until checked. ``yaml.safe_load`` builds no Python objects, but it
does expand aliases: ten lines of "billion laughs" (each alias naming a list of ten of the
previous) take tens of seconds and gigabytes before failing. Config files here need
neither anchors nor aliases, so :func:`load_yaml` refuses both, and refuses a file over
:data:`MAX_BYTES` before parsing it. The document must then be a mapping (not a string,
list or nothing), and :func:`parse_model` turns it into a pydantic model whose errors name
the file, the key and the value.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, TypeVar

import pydantic
import yaml

from workforce_lib.errors import WorkforceError

#: A config file larger than this is refused unread (the project's are about 1 KB).
MAX_BYTES = 1_000_000

M = TypeVar("M", bound=pydantic.BaseModel)


class ConfigError(WorkforceError, ValueError):
    """A config file that cannot be used: says which file and what is wrong."""


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors (``&a``) and aliases (``*a``): no expansion bombs."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if isinstance(event, yaml.AliasEvent) or anchor is not None:
            mark = event.start_mark
            raise ConfigError(
                f"{self.name}: line {mark.line + 1}, column {mark.column + 1}: YAML anchors and "
                f"aliases (&{anchor} / *{anchor}) are not allowed in a config file; "
                "write each value out."
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                mark = key_node.start_mark
                raise ConfigError(
                    f"{self.name}: line {mark.line + 1}: a key must be a plain value, not "
                    f"{type(key).__name__}."
                )
            if key in seen:
                mark = key_node.start_mark
                raise ConfigError(
                    f"{self.name}: line {mark.line + 1}: key {key!r} is given twice (first on "
                    f"line {seen[key] + 1}); the second would silently replace the first."
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str | bytes, source: str) -> dict:
    """A YAML mapping from ``text``, refusing anchors, aliases, size and non-mappings.

    Parameters
    ----------
    text
        The file's contents.
    source
        The file's name, for messages.

    Returns
    -------
    dict
        The document, which must be a mapping.

    Raises
    ------
    ConfigError
        Too large, not YAML, an anchor or alias, empty, or not a mapping; each naming ``source``.

    Examples
    --------
    >>> load_yaml("groups:\\n  A:\\n    england: true\\n", "g.yaml")
    {'groups': {'A': {'england': True}}}
    >>> load_yaml("a: &x [1]\\nb: *x\\n", "g.yaml")
    Traceback (most recent call last):
    ...
    workforce_lib.yaml_config.ConfigError: g.yaml: line 1, column 4: YAML anchors and aliases \
(&x / *x) are not allowed in a config file; write each value out.
    >>> load_yaml("- a\\n- b\\n", "g.yaml")
    Traceback (most recent call last):
    ...
    workforce_lib.yaml_config.ConfigError: g.yaml: the file holds a list; it must be a mapping \
of keys to values (see the project's own file for the shape).
    """
    if len(text) > MAX_BYTES:
        raise ConfigError(
            f"{source}: {len(text):,} bytes; a config file may be at most {MAX_BYTES:,}."
        )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ConfigError(f"{source}: not UTF-8 text ({err.reason} at byte {err.start}).")
    loader = _NoAliasLoader(text)
    loader.name = source
    try:
        doc = loader.get_single_data()
    except yaml.YAMLError as err:
        raise ConfigError(f"{source}: not valid YAML: {err}") from None
    finally:
        loader.dispose()
    if doc is None:
        raise ConfigError(f"{source}: the file is empty; it must be a mapping of keys to values.")
    if not isinstance(doc, dict):
        kind = {str: "a string", list: "a list"}.get(type(doc), type(doc).__name__)
        raise ConfigError(
            f"{source}: the file holds {kind}; it must be a mapping of keys to values "
            "(see the project's own file for the shape)."
        )
    return doc


def read_yaml_file(path: str | os.PathLike, what: str = "config") -> tuple[dict, str]:
    """Read and :func:`load_yaml` a file, refusing one that is missing or too large unread.

    Returns the document and the name to use in messages.
    """
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ConfigError(
                f"{source}: {size:,} bytes; a {what} file may be at most {MAX_BYTES:,}."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{what.capitalize()} file {source} does not exist.") from None
    except IsADirectoryError:
        raise ConfigError(f"{what.capitalize()} file {source} is a folder, not a file.") from None
    except OSError as err:
        raise ConfigError(f"{what.capitalize()} file {source}: {err.strerror}.") from None
    return load_yaml(data, source), source


def _where(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def parse_model(model: type[M], doc: dict, source: str) -> M:
    """``doc`` as ``model``; every problem in one error naming file, key and value."""
    try:
        return model.model_validate(doc)
    except pydantic.ValidationError as err:
        lines = []
        for e in err.errors():
            where = _where(e["loc"])
            if e["type"] == "extra_forbidden":
                lines.append(f"  - {where}: unknown key")
            else:
                lines.append(f"  - {where}: {e['msg']} (got {e.get('input')!r:.80})")
        noun = "problem" if len(lines) == 1 else "problems"
        raise ConfigError(f"{source}: {len(lines)} {noun}\n" + "\n".join(lines)) from None


# ---------------------------------------------------------------- the config files' shapes
class _Strict(pydantic.BaseModel):
    # unknown keys are refused; an LA number written as 873 is read as the text "873"
    model_config = pydantic.ConfigDict(
        extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True
    )


class GroupSpec(_Strict):
    """One named group in ``groups.yaml``: a region, ``england: true`` or a list of councils."""

    region: str | None = None
    england: bool = False
    councils: list[str] = []
    description: str = ""

    @pydantic.model_validator(mode="after")
    def _one_kind(self) -> GroupSpec:
        kinds = [bool(self.region), self.england, bool(self.councils)]
        if sum(kinds) != 1:
            raise ValueError("a group needs exactly one of region, england: true or councils")
        if any(not c for c in self.councils):
            raise ValueError("a council in the list is blank")
        return self


class GroupsFile(_Strict):
    """``groups.yaml``: ``groups:`` mapping each group's name to its :class:`GroupSpec`."""

    groups: dict[str, GroupSpec]

    @pydantic.field_validator("groups", mode="before")
    @classmethod
    def _specs(cls, value):  # noqa: ANN001, ANN206
        if isinstance(value, dict):  # a bare name (no settings) is reported as a group
            return {k: ({} if v is None else v) for k, v in value.items()}
        return value

    @pydantic.field_validator("groups")
    @classmethod
    def _names(cls, value: dict[str, GroupSpec]) -> dict[str, GroupSpec]:
        blank = [repr(k) for k in value if not str(k).strip()]
        if blank:
            raise ValueError(f"a group needs a name, not {', '.join(blank)}")
        return value


class ReportsConfig(_Strict):
    """``reports.yaml``: which areas ``workforce render all`` renders."""

    councils: Literal["all"] | list[str] = "all"
    regions: Literal["all"] | list[str] = "all"
    groups: list[str] = []
    england: bool = True
    scenarios: list[str] = []
