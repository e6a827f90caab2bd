"""Where a council or group stands: last year, its region, England, its statistical
neighbours, its rank and quartile.

A council's own figures are DfE's published ones. A group's are recomputed from its
councils' components (:func:`workforce_lib.measures.aggregate`).
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from workforce_lib import areas as areas_mod
from workforce_lib import context as context_mod
from workforce_lib import loading
from workforce_lib.areas import Group
from workforce_lib.constants import ENGLAND_CODE, REGIONS
from workforce_lib.errors import DataNotFoundError, DataValidationError, Problem, WorkforceError
from workforce_lib.loading import read_csv_as_text
from workforce_lib.measures import MEASURES, Measure, aggregate, round_half_up
from workforce_lib.release import Release

# ---------------------------------------------------------------- statistical neighbours
#: DfE's statistical-neighbour models a report can use, newest first: the name a user gives
#: (``--neighbours 2021``), the file kind in data/sources.yaml, and how a report names it.
NEIGHBOUR_MODELS: dict[str, tuple[str, str]] = {
    "2025": ("neighbours_2025", "DfE's 2025 statistical-neighbour model"),
    "2021": ("neighbours_2021", "DfE's April 2021 statistical-neighbour groupings"),
}
DEFAULT_NEIGHBOUR_MODEL = "2025"


class Neighbours(dict):
    """Each council's statistical neighbours by LA number, closest first, and where from.

    A dict ``LA number -> [LA number, ...]`` with the model's name, the file read, each
    neighbour's closeness label (``closeness[council][neighbour]``, e.g. ``"Very close"``)
    and, when the file is missing, ``missing``: the note a report shows instead.

    >>> n = Neighbours({"822": ["303", "941"]}, model="2025", closeness={"822": {"303": "Close"}})
    >>> n["822"], n.label("822", "303"), n.label("822", "941")
    (['303', '941'], 'Close', '')
    """

    def __init__(
        self,
        lists: dict[str, list[str]] | None = None,
        *,
        model: str = "",
        source: str = "",
        closeness: dict[str, dict[str, str]] | None = None,
        missing: str = "",
    ):
        super().__init__(lists or {})
        self.model = model
        self.source = source
        self.closeness = closeness or {}
        self.missing = missing

    def label(self, council: str, neighbour: str) -> str:
        """The closeness label the model gives ``neighbour`` in ``council``'s list ('' if none)."""
        return self.closeness.get(council, {}).get(neighbour, "")

    @property
    def description(self) -> str:
        """``"DfE's 2025 statistical-neighbour model (sn_model_2025_wide.csv)"``."""
        name = NEIGHBOUR_MODELS.get(self.model, ("", f"model {self.model}"))[1]
        return f"{name} ({self.source})" if self.source else name


_SN_COLUMN = re.compile(r"^SN_?(\d+)$", re.I)
_SN_LABEL = re.compile(r"^SN_?\d*P(\.\d+)?$", re.I)
_LA_NUMBER = re.compile(r"^\d{3}$")


def parse_neighbours(df: pd.DataFrame, source: str, model: str) -> Neighbours:
    """Neighbour lists from a table of DfE's wide layout (either model), checked in one pass.

    The council's LA number is ``old_la_code`` (2025 model) or ``LA num`` (2021); its
    neighbours are ``SN_1``..``SN_10`` or ``SN1``..``SN10``, each followed by its closeness
    label (``SN_1P``.., or ``SNP``).

    >>> cells = {"old_la_code": ["822"]}
    >>> for k in range(1, 11):
    ...     cells |= {f"SN_{k}": [str(300 + k)], f"SN_{k}P": ["Very close "]}
    >>> n = parse_neighbours(pd.DataFrame(cells), "f.csv", "2025")
    >>> n["822"][:3], n.label("822", "301")
    (['301', '302', '303'], 'Very close')
    >>> try:
    ...     parse_neighbours(pd.DataFrame(cells).drop(columns="SN_10"), "f.csv", "2025")
    ... except DataValidationError as err:
    ...     print(err.problems[0].message)
    columns missing (found: SN_1, SN_2, SN_3, SN_4, SN_5, SN_6, SN_7, SN_8, SN_9)

    Raises
    ------
    DataValidationError
        A missing LA-number or SN column, or a cell that is not a three-digit LA number.
    """
    cols = list(df.columns)
    key = next((c for c in ("old_la_code", "LA num") if c in cols), None)
    sn = sorted(
        ((int(m.group(1)), c) for c in cols if (m := _SN_COLUMN.match(c.strip()))),
    )
    problems = []
    if key is None:
        problems.append(Problem(source, None, "old_la_code", None, "column missing"))
    if [k for k, _ in sn] != list(range(1, 11)):
        have = ", ".join(c for _, c in sn) or "none"
        problems.append(
            Problem(source, None, "SN_1 .. SN_10", None, f"columns missing (found: {have})")
        )
    if problems:
        raise DataValidationError(source, problems)
    labels = {}
    for _, c in sn:
        i = cols.index(c)
        nxt = cols[i + 1] if i + 1 < len(cols) else ""
        labels[c] = nxt if _SN_LABEL.match(nxt.strip()) else None
    lists: dict[str, list[str]] = {}
    closeness: dict[str, dict[str, str]] = {}

    def la_number(value, line: int, column: str) -> str:
        """The cell as an LA number; '' (and a problem noted) if it is not one."""
        v = str(value).strip()
        if v and not _LA_NUMBER.match(v):
            problems.append(Problem(source, line, column, v, "not a three-digit LA number"))
            return ""
        return v

    for line, row in enumerate(df.itertuples(index=False), start=2):
        r = dict(zip(cols, row))
        code = la_number(r[key], line, key)
        if not code:
            continue
        out, close = [], {}
        for _, c in sn:
            v = la_number(r[c], line, c)
            if v:
                out.append(v)
                if labels[c]:
                    close[v] = str(r[labels[c]]).strip()
        lists[code], closeness[code] = out, close
    if problems:
        raise DataValidationError(source, problems)
    return Neighbours(lists, model=model, source=source, closeness=closeness)


def read_neighbours(
    data_dir: str | os.PathLike | None = None,
    model: str = DEFAULT_NEIGHBOUR_MODEL,
    required: bool = False,
) -> Neighbours:
    """Each council's 10 statistical neighbours by LA number, closest first.

    Parameters
    ----------
    data_dir : the data folder (default: see :func:`workforce_lib.loading.resolve_data_dir`).
    model : ``"2025"`` (DfE's 2025 model, the default) or ``"2021"`` (April 2021 groupings,
        for years before Cumberland, Westmorland and Furness and North and West
        Northamptonshire).
    required : raise when the file is missing; otherwise return an empty table whose
        ``missing`` says which file is missing and the command that gets it.

    Raises
    ------
    WorkforceError
        An unknown model; DataNotFoundError (``required``); DataValidationError.
    """
    model = str(model).strip()
    if model not in NEIGHBOUR_MODELS:
        raise WorkforceError(
            f"Unknown statistical-neighbour model {model!r}: choose one of "
            + ", ".join(NEIGHBOUR_MODELS)
            + "."
        )
    kind = NEIGHBOUR_MODELS[model][0]
    try:
        path = loading.source_path(kind, data_dir)
    except DataNotFoundError:
        if required:
            raise
        return Neighbours(model=model, missing=loading.missing_note(kind, data_dir))
    return _read_neighbours_file(path, loading.sha256(path), model)


@lru_cache(maxsize=8)
def _read_neighbours_file(path, digest: str, model: str) -> Neighbours:
    return parse_neighbours(read_csv_as_text(path), path.name, model)


@dataclass(frozen=True)
class NeighbourRef:
    """A neighbour in one year: a council row, or its successors combined, or nothing."""

    la_code: str  # as listed in the groupings file
    area_ids: tuple[str, ...]  # release areas that stand for it that year ((): no data)
    how: str  # "same", "joint", "successors", "predecessor", "missing"
    closeness: str = ""  # the model's label, e.g. "Very close"


def _interleave(parts: list[str], neighbours: dict[str, list[str]]) -> list[str]:
    """The lists of ``parts`` merged by closeness (SN1 of each, then SN2 ...), ten kept."""
    merged: list[str] = []
    lists = [neighbours.get(p, []) for p in parts]
    for rank in range(max(map(len, lists), default=0)):
        for lst in lists:
            if rank < len(lst) and lst[rank] not in parts and lst[rank] not in merged:
                merged.append(lst[rank])
    return merged[:10]


def _own_list(area_id: str, neighbours: dict[str, list[str]]) -> tuple[list[str], list[str], str]:
    """The neighbour list for an area, the lists it came from, and how it was found.

    Allows for joint rows (both councils' lists merged), new authorities under an older
    model (their predecessor's list) and old authorities under a newer one (their
    successors' lists merged).
    """
    if area_id in neighbours:
        return neighbours[area_id], [area_id], ""
    parts = areas_mod.components(area_id)
    if len(parts) > 1 and any(p in neighbours for p in parts):
        return (
            _interleave(parts, neighbours),
            parts,
            f"the ten closest of {' and '.join(parts)}'s neighbours (reported jointly)",
        )
    for _, ch in areas_mod.predecessors(area_id).iterrows():
        if ch.predecessor_la in neighbours:
            return (
                neighbours[ch.predecessor_la],
                [ch.predecessor_la],
                f"neighbours of predecessor {ch.predecessor_name} ({ch.predecessor_la})",
            )
    succ = areas_mod.successors(area_id)
    heirs = [p for s in dict.fromkeys(succ.successor_la) for p in areas_mod.components(s)]
    if any(h in neighbours for h in heirs):
        names = " and ".join(dict.fromkeys(succ.successor_name))
        return (
            _interleave(heirs, neighbours),
            heirs,
            f"the ten closest of its successors' ({names}) neighbours",
        )
    return [], [], "no statistical neighbours published"


def _predecessors_of(code: str) -> list[str]:
    """The authorities ``code`` replaced, also when it was created inside a joint row
    (941 West Northamptonshire, of "940 / 941", replaced 928 Northamptonshire)."""
    ch = areas_mod.area_changes()
    ch = ch[ch.change != "recode"]
    hit = ch.successor_la.map(lambda s: code in areas_mod.components(s))
    return list(dict.fromkeys(ch.loc[hit, "predecessor_la"]))


def resolve_neighbours(
    release: Release, area_id: str, year: int, neighbours: dict[str, list[str]]
) -> tuple[list[NeighbourRef], str]:
    """The area's neighbours as they exist in ``year``; jointly reported ones still match.

    A neighbour that is part of a joint row (941 -> "940 / 941") maps to that row; one
    that no longer exists maps to its successors combined (909 Cumbria -> Cumberland +
    Westmorland and Furness); one that did not exist yet maps to its predecessor (942
    Cumberland before 2023 -> Cumbria). Neighbours that stand for the same row are counted
    once, and the returned note says so, with the model used.
    """
    missing = getattr(neighbours, "missing", "")
    if missing and not neighbours:
        return [], missing
    present = set(release.council_ids(year))
    joint_of = {p: a for a in present for p in areas_mod.components(a)}
    codes, owners, note = _own_list(area_id, neighbours)
    refs: list[NeighbourRef] = []
    seen: dict[tuple[str, ...], str] = {}
    notes: list[str] = []
    labels = getattr(neighbours, "label", lambda owner, code: "")
    for code in codes:
        close = next((lab for o in owners if (lab := labels(o, code))), "")
        if code in present:
            ref = NeighbourRef(code, (code,), "same", close)
        elif code in joint_of:
            ref = NeighbourRef(code, (joint_of[code],), "joint", close)
            joint = areas_mod.council_name(release, joint_of[code])
            notes.append(f"{code} is matched to the joint row {joint} (reported together)")
        else:
            succ = areas_mod.successors(code).successor_la
            ids = tuple(
                dict.fromkeys(joint_of.get(s, s) for s in succ if joint_of.get(s, s) in present)
            )
            how = "successors" if ids else "missing"
            if not ids:
                ids = tuple(p for p in _predecessors_of(code) if p in present)
                how = "predecessor" if ids else "missing"
            ref = NeighbourRef(code, ids, how, close)
        if area_id in ref.area_ids:
            continue
        if ref.area_ids and ref.area_ids in seen:
            names = " + ".join(areas_mod.council_name(release, a) for a in ref.area_ids)
            notes.append(f"{seen[ref.area_ids]} and {code} both stand for {names}, counted once")
            continue
        seen[ref.area_ids] = code
        refs.append(ref)
    model = getattr(neighbours, "description", "")
    parts = [p for p in (model, note, *notes) if p]
    if len(refs) < 10 and codes:
        parts.append(f"{len(refs)} neighbours in {year}")
    return refs, "; ".join(parts)


def neighbour_values(
    release: Release, refs: list[NeighbourRef], year: int, measure: str
) -> list[float | None]:
    """Each neighbour's value (successors' recomputed together); None where unpublished."""
    out: list[float | None] = []
    for ref in refs:
        if not ref.area_ids:
            out.append(None)
        elif len(ref.area_ids) == 1:
            out.append(release.cell(ref.area_ids[0], year, measure).value)
        else:
            v = group_figures(release, list(ref.area_ids), year).at[measure, "value"]
            out.append(None if pd.isna(v) else float(v))
    return out


# ---------------------------------------------------------------- ranks and quartiles
@lru_cache(maxsize=64)
def council_ranks(release: Release, year: int, measure: str) -> pd.DataFrame:
    """Rank (1 = best, or largest for neutral measures) in England and region, and quartile.

    ``quartile`` is by value, 1 = the lowest quarter of councils, 4 = the highest (by percent
    rank, so the lowest council is always in 1 and the highest in 4); whether that is good
    depends on the measure's direction. Ties share the better rank.
    """
    m = MEASURES[measure]
    df = release.frame("council", year)[["area_id", "region_name", measure]].dropna()
    ascending = m.direction == "lower_is_better"
    v = df[measure]
    out = pd.DataFrame(index=df.area_id)
    out["rank_in_england"] = v.rank(method="min", ascending=ascending).astype(int).to_numpy()
    out["councils_in_england"] = len(df)
    by_region = df.groupby("region_name")[measure]
    out["rank_in_region"] = by_region.rank(method="min", ascending=ascending).astype(int).to_numpy()
    out["councils_in_region"] = by_region.transform("size").to_numpy()
    # percent rank 0 (lowest) .. 1 (highest), cut at 0.25 / 0.5 / 0.75
    pct = (v.rank(method="min", ascending=True).to_numpy() - 1) / max(len(df) - 1, 1)
    out["quartile"] = np.minimum(np.floor(pct * 4) + 1, 4).astype(int)
    return out


def quartile_words(m: Measure, quartile: int | None) -> str:
    """``"lowest quarter (best)"`` etc.; no judgement for neutral measures."""
    if quartile is None:
        return "n/a"
    place = {
        1: "lowest quarter",
        2: "second-lowest quarter",
        3: "second-highest quarter",
        4: "highest quarter",
    }[quartile]
    if m.direction == "neutral" or quartile in (2, 3):
        return place
    good = (quartile == 1) == (m.direction == "lower_is_better")
    return f"{place} ({'best' if good else 'worst'})"


# ---------------------------------------------------------------- group figures
def group_figures(release: Release, members: list[str], year: int) -> pd.DataFrame:
    """Recomputed figures of a set of councils (by area_id) in one year."""
    a = release.areas
    mask = (a.year == year) & (a.level == "council") & a.area_id.isin(members)
    idx = a.index[mask]
    labels = a.loc[idx, "area_name"].to_numpy()
    values = release.values.loc[idx].set_axis(labels)
    status = release.status.loc[idx].set_axis(labels)
    return aggregate(values, status, year)


# ---------------------------------------------------------------- summaries
@dataclass
class MeasureComparison:
    """One measure for one area and year, with everything it is compared against."""

    value: float | None
    previous: float | None = None
    change: float | None = None
    region: float | None = None
    england: float | None = None
    neighbours_median: float | None = None
    rank_in_region: int | None = None
    rank_in_england: int | None = None
    quartile: int | None = None
    status: str | None = None
    previous_status: str | None = None
    neighbours_with_data: int | None = None
    neighbours_total: int | None = None
    councils_in_region: int | None = None
    councils_in_england: int | None = None
    published: float | None = None  # groups that are regions: DfE's own figure


@dataclass
class AreaSummary:
    area: str
    kind: str  # "council" | "group"
    year: int
    region: str | None
    area_id: str
    measures: dict[str, MeasureComparison] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    #: councils: what instability means for children (:mod:`workforce_lib.context`)
    context: dict[str, context_mod.ContextFigure] = field(default_factory=dict)

    def to_json(self) -> dict:
        """The ``workforce summary --json`` document."""
        return {
            "area": self.area,
            "kind": self.kind,
            "year": self.year,
            "region": self.region,
            "area_id": self.area_id,
            "measures": {k: json_safe(asdict(v)) for k, v in self.measures.items()},
            "notes": self.notes,
            **({"members": self.members} if self.kind == "group" else {}),
            **(
                {"context": {k: v.to_json() for k, v in self.context.items()}}
                if self.kind == "council"
                else {}
            ),
        }


def json_safe(d: dict) -> dict:
    """A dict for JSON: NaN becomes None."""
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in d.items()}


def number_or_none(x) -> float | None:
    """A float, or None for None and NaN."""
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _change(value: float | None, previous: float | None, m: Measure) -> float | None:
    if value is None or previous is None:
        return None
    return float(round_half_up(value - previous, m.decimals))


def _published(release: Release, area_id: str, year: int, measure: str) -> float | None:
    return release.cell(area_id, year, measure).value


def region_code(name: str | None) -> str | None:
    return next((c for c, n in REGIONS.items() if n == name), None)


def published_id(group: areas_mod.Group) -> str | None:
    """The ``area_id`` of DfE's own rows for a group: England's or its region's; None for a
    list of councils, which DfE does not publish."""
    return ENGLAND_CODE if group.england else region_code(group.region)


def compare_council(
    release: Release,
    council: str,
    year: int | None = None,
    neighbours: dict[str, list[str]] | None = None,
    context: context_mod.ContextData | None = None,
) -> AreaSummary:
    """Every measure for one council and year against last year, region, England, neighbours.

    Parameters
    ----------
    council : a name, ONS code or LA number (see :func:`workforce_lib.areas.find_council`).
    year : the census year; default the latest in the release.
    neighbours : the statistical neighbour table (:func:`read_neighbours`); read from the
        data directory when omitted.
    context : the children's context files (:func:`workforce_lib.context.load_context`);
        read from the release's folder when omitted. A missing one is a status, not an error.
    """
    area_id = areas_mod.find_council(release, council)
    year = year or release.latest_year
    if year not in release.years:
        raise areas_mod.WorkforceError(
            f"No {year} in {release.source.name}: years are {release.years[0]}-{release.years[-1]}."
        )
    i = release.row(area_id, year)
    name = areas_mod.council_name(release, area_id)
    if i is None:
        a = release.areas[release.areas.area_id == area_id]
        raise areas_mod.WorkforceError(
            f"{name} has no row in {year}; it has rows for "
            f"{', '.join(map(str, sorted(a.year)))}." + _change_note(area_id)
        )
    region = release.areas.at[i, "region_name"]
    neighbours = neighbours if neighbours is not None else read_neighbours(release.source.parent)
    refs, sn_note = resolve_neighbours(release, area_id, year, neighbours)
    notes = []
    if area_id in areas_mod.area_notes():
        notes.append(areas_mod.area_notes()[area_id])
    if release.row(area_id, year - 1) is None and year - 1 in release.years:
        notes.append(f"No {year - 1} figures for this area." + _change_note(area_id))
    if sn_note:
        notes.append(f"Statistical neighbours: {sn_note}.")
    summary = AreaSummary(name, "council", year, region, area_id, notes=notes)
    summary.context = context_mod.council_context(release, area_id, year, context)
    for m in MEASURES.values():
        cell = release.cell(area_id, year, m.name)
        prev = release.cell(area_id, year - 1, m.name)
        nvals = [v for v in neighbour_values(release, refs, year, m.name) if v is not None]
        ranks = council_ranks(release, year, m.name)
        r = ranks.loc[area_id] if area_id in ranks.index else None
        summary.measures[m.name] = MeasureComparison(
            value=cell.value,
            previous=prev.value,
            change=_change(cell.value, prev.value, m),
            region=_published(release, region_code(region) or "", year, m.name),
            england=_published(release, ENGLAND_CODE, year, m.name),
            neighbours_median=(
                float(round_half_up(float(np.median(nvals)), m.decimals)) if nvals else None
            ),
            rank_in_region=None if r is None else int(r.rank_in_region),
            rank_in_england=None if r is None else int(r.rank_in_england),
            quartile=None if r is None else int(r.quartile),
            status=cell.reason,
            previous_status=prev.reason,
            neighbours_with_data=len(nvals),
            neighbours_total=len(refs),
            councils_in_region=None if r is None else int(r.councils_in_region),
            councils_in_england=None if r is None else int(r.councils_in_england),
        )
    return summary


def _change_note(area_id: str) -> str:
    pre = areas_mod.predecessors(area_id)
    suc = areas_mod.successors(area_id)
    if not pre.empty:
        names = ", ".join(dict.fromkeys(pre.predecessor_name))
        return f" It replaced {names} ({pre.year.iloc[0]}): predecessor authority."
    if not suc.empty:
        names = ", ".join(dict.fromkeys(suc.successor_name))
        return f" It was replaced by {names} ({suc.year.iloc[0]})."
    return ""


def _excluded_note(fig: pd.Series) -> str | None:
    if not fig["excluded"]:
        return None
    return (
        f"{fig['n_included']} of {fig['n_members']} councils; left out (not published): "
        + ", ".join(fig["excluded"])
    )


def compare_group(release: Release, group: Group | str, year: int | None = None) -> AreaSummary:
    """Every measure for a group, recomputed from its councils' components, against last
    year, its region (if all its councils are in one) and England."""
    group = areas_mod.find_group(group) if isinstance(group, str) else group
    year = year or release.latest_year
    members = areas_mod.group_members(release, group, year)
    if not members:
        raise areas_mod.WorkforceError(f"Group {group.name!r} has no councils in {year}.")
    region = areas_mod.group_region(release, group, year)
    fig = group_figures(release, members, year)
    prev_members = areas_mod.group_members(release, group, year - 1)
    prev = group_figures(release, prev_members, year - 1) if prev_members else None
    region_id = region_code(region)
    names = [areas_mod.council_name(release, a) for a in members]
    area_id = published_id(group) or group.name
    notes = [group.description] if group.description else []
    missing = [c for c in group.councils if areas_mod.find_council(release, c) not in members]
    if missing:
        notes.append(f"No {year} row for: {', '.join(missing)}.")
    summary = AreaSummary(group.name, "group", year, region, area_id, notes=notes, members=names)
    for m in MEASURES.values():
        value = number_or_none(fig.at[m.name, "value"])
        previous = None if prev is None else number_or_none(prev.at[m.name, "value"])
        is_published_area = group.england or group.region
        summary.measures[m.name] = MeasureComparison(
            value=value,
            previous=previous,
            change=_change(value, previous, m),
            region=None
            if group.england or not region_id
            else _published(release, region_id, year, m.name),
            england=_published(release, ENGLAND_CODE, year, m.name),
            status=_excluded_note(fig.loc[m.name]),
            previous_status=None if prev is None else _excluded_note(prev.loc[m.name]),
            published=_published(release, area_id, year, m.name) if is_published_area else None,
        )
    return summary
