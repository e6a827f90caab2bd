"""Councils, regions and named groups: lookup by name or code, membership, boundary changes.

With the release in ``WORKFORCE_DATA_DIR`` (run as a test in CI):

>>> from workforce_lib.published.release import load_release
>>> release = load_release()
>>> find_council(release, "tameside"), find_council(release, "Hull")
('357', '810')
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import pandas as pd

from workforce_lib.errors import UnknownAreaError
from workforce_lib.published.loading import PROJECT_ROOT, read_csv_as_text
from workforce_lib.published.release import Release
from workforce_lib.yaml_config import (
    ConfigError,
    GroupsFile,
    load_yaml,
    parse_model,
    read_yaml_file,
)

REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
ENV_GROUPS_FILE = "WORKFORCE_GROUPS_FILE"
JOINT_SEPARATOR = " / "


# ---------------------------------------------------------------- reference facts
@cache
def area_changes() -> pd.DataFrame:
    """Boundary changes, mergers, splits, joint reporting and recodes (data/reference)."""
    df = read_csv_as_text(REFERENCE_DIR / "area_changes.csv")
    return df.assign(year=df["year"].astype(int))


@cache
def area_notes() -> dict[str, str]:
    df = read_csv_as_text(REFERENCE_DIR / "area_notes.csv")
    return dict(zip(df["la_code"], df["note"]))


@cache
def aliases() -> dict[str, str]:
    df = read_csv_as_text(REFERENCE_DIR / "area_aliases.csv")
    return {normalise(a): c for a, c in zip(df["alias"], df["la_code"])}


@cache
def recoded_codes() -> dict[str, tuple[str, str]]:
    """Every ONS code a council had on either side of a re-coding (``recode`` rows of
    data/reference/area_changes.csv: same council, same LA number, new code), upper-case:
    code -> (LA number, what the code is, in words).

    >>> recoded_codes()["E08000038"]
    ('370', "Barnsley's ONS code from 2025 (E08000016 before)")
    >>> recoded_codes()["E10000023"]
    ('815', "North Yorkshire's ONS code before 2023 (E06000065 since)")
    """
    ch = area_changes()
    out: dict[str, tuple[str, str]] = {}
    for r in ch[ch.change == "recode"].itertuples():
        old, new = r.predecessor_ons.upper(), r.successor_ons.upper()
        out[old] = (r.successor_la, f"{r.successor_name}'s ONS code before {r.year} ({new} since)")
        out[new] = (r.successor_la, f"{r.successor_name}'s ONS code from {r.year} ({old} before)")
    return out


def predecessors(area_id: str) -> pd.DataFrame:
    """Changes that created ``area_id`` from other authorities (not recodes)."""
    ch = area_changes()
    return ch[(ch.successor_la == area_id) & (ch.change != "recode")]


def successors(area_id: str) -> pd.DataFrame:
    """Changes that replaced ``area_id`` by other authorities (not recodes)."""
    ch = area_changes()
    return ch[(ch.predecessor_la == area_id) & (ch.change != "recode")]


def components(area_id: str) -> list[str]:
    """LA numbers inside a jointly reported area: ``"314 / 318"`` -> ``["314", "318"]``."""
    return area_id.split(JOINT_SEPARATOR)


# ---------------------------------------------------------------- council lookup
@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Case-folded, punctuation-free, with ", City of" / ", County of" and "&" tidied
    (kept: a group's report normalises every council's region name for each year)."""
    t = text.casefold().replace("&", " and ")
    t = re.sub(r",\s*(city|county) of\s*$", "", t)
    t = re.sub(r"\bst\.?\s", "st ", t)
    t = re.sub(r"[^a-z0-9/ ]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


@dataclass(frozen=True)
class CouncilIndex:
    """Every council in a release with the names and codes it can be found by."""

    names: dict[str, str]  # area_id -> latest name
    keys: dict[str, set[str]] = field(default_factory=dict)  # normalised key -> area_ids
    last_year: dict[str, int] = field(default_factory=dict)  # area_id -> last year with a row


@lru_cache(maxsize=8)
def council_index(release: Release) -> CouncilIndex:
    """Names and codes of every council in the release (built once per release)."""
    a = release.areas[release.areas.level == "council"].sort_values("year")
    names = dict(zip(a.area_id, a.area_name))  # the latest year wins
    last_year = dict(zip(a.area_id, a.year))
    keys: dict[str, set[str]] = {}

    def add(key: str, area_id: str) -> None:
        keys.setdefault(normalise(key), set()).add(area_id)

    for area_id, name, ons in zip(a.area_id, a.area_name, a.ons_code):
        add(name, area_id)
        add(area_id, area_id)
        add(ons, area_id)
        for part in name.split(JOINT_SEPARATOR):
            add(part, area_id)
        for part in ons.split(JOINT_SEPARATOR):
            add(part, area_id)
        for part in components(area_id):
            add(part, area_id)
    return CouncilIndex(names, keys, last_year)


def find_council(release: Release, query: str) -> str:
    """The ``area_id`` (LA number) of a council named by name, ONS code, LA number or alias.

    Case-insensitive. ``"Hull"`` finds "Kingston upon Hull, City of"; ``"E09000021"`` finds
    the joint "Kingston upon Thames / Richmond upon Thames" row. A name two authorities
    have had (Dorset) means the more recent; the older is found by its LA number (835).

    Raises
    ------
    UnknownAreaError
        With up to five close suggestions when nothing, or more than one council, matches.
    """
    idx = council_index(release)
    q = normalise(str(query))
    if not q:
        raise UnknownAreaError(str(query), "council", [])
    hit = idx.keys.get(q)
    if hit and len(hit) > 1:
        # one name, two authorities (Dorset county to 2018, Dorset unitary from 2019):
        # the name means the one that exists most recently; the other by its LA number
        newest = max(idx.last_year[i] for i in hit)
        recent = [i for i in hit if idx.last_year[i] == newest]
        if len(recent) == 1 and len({idx.names[i] for i in hit}) == 1:
            return recent[0]
    if hit and len(hit) == 1:
        return next(iter(hit))
    if q in aliases():
        return aliases()[q]
    words = set(q.split())
    by_words = sorted(
        {i for i, n in idx.names.items() if words <= set(normalise(n).split())},
        key=idx.names.get,
    )
    if len(by_words) == 1:
        return by_words[0]
    suggestions = [idx.names[i] for i in by_words][:5]
    if hit or suggestions:
        names = sorted(idx.names[i] for i in hit) if hit else suggestions
        raise UnknownAreaError(str(query), "council", names, ambiguous=True)
    if not suggestions:
        name_keys = {normalise(n): n for n in idx.names.values()}
        close = difflib.get_close_matches(q, list(name_keys), n=5, cutoff=0.6)
        suggestions = [name_keys[c] for c in close]
    raise UnknownAreaError(str(query), "council", suggestions)


def council_name(release: Release, area_id: str) -> str:
    return council_index(release).names.get(area_id, area_id)


# ---------------------------------------------------------------- groups
@dataclass(frozen=True)
class Group:
    """A named group of councils: a region, England, or a list of councils."""

    name: str
    region: str | None = None
    england: bool = False
    councils: tuple[str, ...] = ()
    description: str = ""

    @property
    def kind(self) -> str:
        return "england" if self.england else "region" if self.region else "list"


def _read_groups(doc: dict, source: str) -> dict[str, Group]:
    """Groups from a groups file's YAML document: typed, unknown keys refused."""
    spec = parse_model(GroupsFile, doc, source)
    return {
        name: Group(
            name=name,
            region=g.region or None,
            england=g.england,
            councils=tuple(g.councils),
            description=g.description,
        )
        for name, g in spec.groups.items()
    }


#: The project's own groups (the only ones a pool of census returns may be: see
#: :mod:`workforce_lib.records.census.membership`).
PROJECT_GROUPS = "workforce_lib/config/groups.yaml"


def project_groups() -> dict[str, Group]:
    """The groups of the project's own ``groups.yaml`` (no user's file)."""
    text = resources.files("workforce_lib").joinpath("config/groups.yaml").read_text("utf-8")
    return _read_groups(load_yaml(text, PROJECT_GROUPS), PROJECT_GROUPS)


def load_groups(extra: str | os.PathLike | None = None) -> dict[str, Group]:
    """The project's groups plus the user's (``extra`` or ``$WORKFORCE_GROUPS_FILE``).

    Raises
    ------
    ConfigError
        A groups file that is missing, too large, not YAML, uses anchors or aliases, is not a
        mapping, or has a group with unknown keys or none of region, england or councils.
    """
    groups = project_groups()
    extra = extra or os.environ.get(ENV_GROUPS_FILE)
    if extra:
        doc, source = read_yaml_file(extra, "groups")
        groups.update(_read_groups(doc, source))
        _check_file_names(groups, source)
    return groups


def _check_file_names(groups: dict[str, Group], source: str) -> None:
    """Refuse group names a report file cannot be named by, or two that make one file name
    (``a/b/c`` and ``a-b-c``: one report would overwrite the other)."""
    by_slug: dict[str, list[str]] = {}
    for name in groups:
        by_slug.setdefault(slug(name), []).append(name)
    problems = [
        f"  - {name!r}: no letter or digit to name its report by" for name in by_slug.pop("", [])
    ]
    problems += [
        f"  - {' and '.join(repr(n) for n in names)} make the same report file "
        f"{stem}.html; one would overwrite the other"
        for stem, names in by_slug.items()
        if len(names) > 1
    ]
    if problems:
        raise ConfigError(f"{source}: group names to change\n" + "\n".join(problems))


def find_group(name: str, groups: dict[str, Group] | None = None) -> Group:
    """A group by name, case-insensitive; an unknown name is an error with suggestions."""
    groups = groups if groups is not None else load_groups()
    by_key = {normalise(n): g for n, g in groups.items()}
    hit = by_key.get(normalise(name))
    if hit:
        return hit
    close = difflib.get_close_matches(normalise(name), list(by_key), n=5, cutoff=0.5)
    raise UnknownAreaError(name, "group", [by_key[c].name for c in close])


def group_members(release: Release, group: Group, year: int) -> list[str]:
    """``area_id``s of the group's councils that have a row in ``year``."""
    a = release.areas
    councils = a[(a.level == "council") & (a.year == year)]
    if group.england:
        return councils.area_id.tolist()
    if group.region:
        if normalise(group.region) not in {normalise(r) for r in a.region_name.unique()}:
            raise UnknownAreaError(group.region, "region", sorted(set(a.region_name) - {""}))
        mask = councils.region_name.map(normalise) == normalise(group.region)
        return councils.loc[mask, "area_id"].tolist()
    present = set(councils.area_id)
    return [i for i in (find_council(release, c) for c in group.councils) if i in present]


def group_region(release: Release, group: Group, year: int) -> str | None:
    """The one region all the group's councils are in, or None if they span regions."""
    if group.england:
        return None
    if group.region:
        return group.region
    ids = group_members(release, group, year)
    a = release.areas
    regions = set(a[(a.year == year) & a.area_id.isin(ids)].region_name)
    return regions.pop() if len(regions) == 1 else None


def slug(name: str) -> str:
    """A file-name-safe slug: 'Kingston upon Hull, City of' -> 'kingston-upon-hull-city-of'."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
