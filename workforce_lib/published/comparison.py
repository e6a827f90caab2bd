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

from workforce_lib.constants import (
    DEFAULT_NEIGHBOUR_MODEL,
    ENGLAND_CODE,
    NEIGHBOUR_MODELS,
    REGIONS,
)
from workforce_lib.errors import DataNotFoundError, DataValidationError, Problem, WorkforceError
from workforce_lib.measures import MEASURES, Measure, aggregate, component_sums, round_half_up
from workforce_lib.published import areas as areas_mod
from workforce_lib.published import context as context_mod
from workforce_lib.published import loading, symbols
from workforce_lib.published.areas import Group
from workforce_lib.published.loading import read_csv_as_text
from workforce_lib.published.quality import missing_row_notes
from workforce_lib.published.release import Cell, Release

# ---------------------------------------------------------------- statistical neighbours
#: DfE's statistical-neighbour models (in :mod:`workforce_lib.constants`, read by the
#: command's parser without pandas): ``NEIGHBOUR_MODELS``, ``DEFAULT_NEIGHBOUR_MODEL``.


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
        #: :func:`resolve_neighbours`' answers by (release, area, year): a council series
        #: asks for every year of every measure, and report after report asks again.
        self.resolved: dict[tuple, tuple[list[NeighbourRef], str]] = {}

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
    data_dir : the data folder (default: see
        :func:`workforce_lib.published.loading.resolve_data_dir`).
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
    memo = getattr(neighbours, "resolved", None)  # a Neighbours keeps what it resolved
    if memo is None:
        return _resolve_neighbours(release, area_id, year, neighbours)
    key = (release, area_id, int(year))
    if key not in memo:
        memo[key] = _resolve_neighbours(release, area_id, year, neighbours)
    refs, note = memo[key]
    return list(refs), note


def _resolve_neighbours(
    release: Release, area_id: str, year: int, neighbours: dict[str, list[str]]
) -> tuple[list[NeighbourRef], str]:
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
def counting_values(release: Release, year: int, measure: str) -> pd.DataFrame:
    """Every council's value for ranking, sorting and medians: ``low`` counts as 0 (as DfE
    counts it in group totals); any other symbol leaves the council without a value.

    Columns ``area_id``, ``region_name``, ``value`` (NaN: no figure) and ``status``.
    """
    f = release.frame("council", year)
    status = release.status.loc[f.index, measure]
    value = f[measure].mask(status.eq(symbols.ROUNDS_TO_ZERO), 0.0)
    return pd.DataFrame(
        {
            "area_id": f.area_id.to_numpy(),
            "region_name": f.region_name.to_numpy(),
            "value": value.to_numpy(dtype=float),
            "status": status.to_numpy(),
        }
    )


@lru_cache(maxsize=64)
def council_ranks(release: Release, year: int, measure: str) -> pd.DataFrame:
    """Rank (1 = best, or largest for neutral measures) in England and region, and quartile.

    Only councils with a full year's figure are ranked (``low`` counts as 0; a council whose
    figure covers part of the year is not ranked); ``councils_in_england``
    and ``councils_in_region`` count those, ``councils_in_region_total`` every council of
    the region with a row that year. ``quartile`` is by value, 1 = the lowest quarter of
    councils, 4 = the highest (by percent rank, so the lowest council is always in 1 and
    the highest in 4); whether that is good depends on the measure's direction. Ties share
    the better rank.
    """
    m = MEASURES[measure]
    every = counting_values(release, year, measure)
    totals = every.groupby("region_name").size()
    partial = [a for a in every.area_id if measure in part_year_measures(a, year)]
    df = every.dropna(subset=["value"])
    df = df[~df.area_id.isin(partial)]
    ascending = m.direction == "lower_is_better"
    v = df["value"]
    out = pd.DataFrame(index=df.area_id)
    out["rank_in_england"] = v.rank(method="min", ascending=ascending).astype(int).to_numpy()
    out["councils_in_england"] = len(df)
    out["councils_in_england_total"] = len(every)
    by_region = df.groupby("region_name")["value"]
    out["rank_in_region"] = by_region.rank(method="min", ascending=ascending).astype(int).to_numpy()
    out["councils_in_region"] = by_region.transform("size").to_numpy()
    out["councils_in_region_total"] = df.region_name.map(totals).to_numpy()
    # percent rank 0 (lowest) .. 1 (highest), cut at 0.25 / 0.5 / 0.75
    pct = (v.rank(method="min", ascending=True).to_numpy() - 1) / max(len(df) - 1, 1)
    out["quartile"] = np.minimum(np.floor(pct * 4) + 1, 4).astype(int)
    return out


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_text(rank: int | None, with_data: int | None, total: int | None, reason: str) -> str:
    """``"3rd of 11 councils with data (12 in all)"``, or ``"not ranked: <reason>"``.

    >>> rank_text(3, 11, 12, "")
    '3rd of 11 councils with data (12 in all)'
    >>> rank_text(None, 11, 12, "low reliability (u)")
    'not ranked: low reliability (u)'
    """
    if rank is None:
        return f"not ranked: {reason or 'no data'}"
    if total is not None and total != with_data:
        return f"{ordinal(rank)} of {with_data} councils with data ({total} in all)"
    return f"{ordinal(rank)} of {with_data} councils"


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
    """Recomputed figures of a set of councils (by area_id) in one year (a copy: the
    caller may change it)."""
    return _group_figures(release, tuple(members), int(year)).copy()


@lru_cache(maxsize=256)
def _group_figures(release: Release, members: tuple[str, ...], year: int) -> pd.DataFrame:
    """:func:`group_figures`, kept: a group's report asks for every measure of every year,
    and each answer holds every measure."""
    a = release.areas
    mask = (a.year == year) & (a.level == "council") & a.area_id.isin(members)
    idx = a.index[mask]
    labels = a.loc[idx, "area_name"].to_numpy()
    values = release.values.loc[idx].set_axis(labels)
    status = release.status.loc[idx].set_axis(labels)
    return aggregate(values, status, year)


# ---------------------------------------------------------------- part years
@lru_cache(maxsize=1)
def part_years() -> pd.DataFrame:
    """Councils whose figures for a year cover part of it (``data/reference/part_years.csv``):
    ``la_code``, ``name``, ``year`` (int), ``measures`` (tuple of columns), ``note``."""
    df = read_csv_as_text(areas_mod.REFERENCE_DIR / "part_years.csv")
    return df.assign(year=df.year.astype(int), measures=df.measures.map(lambda t: tuple(t.split())))


def part_year_notes(area_ids, years, measure: str | None = None) -> list[str]:
    """Notes for any of ``area_ids`` whose figures in any of ``years`` cover part of a year
    (for ``measure``, if given)."""
    ids, wanted = set(area_ids), {int(y) for y in years}
    hit = (
        note
        for la_code, year, measures, note in _part_year_rows()
        if la_code in ids and year in wanted and (measure is None or measure in measures)
    )
    return list(dict.fromkeys(hit))


@lru_cache(maxsize=1)
def _part_year_rows() -> tuple[tuple[str, int, tuple[str, ...], str], ...]:
    """:func:`part_years` as plain tuples, in its order: every report asks about every
    council, and filtering a frame each time cost a council report about 0.15 s."""
    py = part_years()
    return tuple(zip(py.la_code, py.year.astype(int), py.measures, py.note))


@lru_cache(maxsize=1)
def _part_year_index() -> dict[tuple[str, int], tuple[str, ...]]:
    """:func:`part_years` by (LA code, year): ranking asks once per council and measure."""
    index: dict[tuple[str, int], tuple[str, ...]] = {}
    for row in part_years().itertuples():
        index[(row.la_code, row.year)] = index.get((row.la_code, row.year), ()) + row.measures
    return index


def part_year_measures(area_id: str, year: int) -> tuple[str, ...]:
    """The measures of a council that cover part of ``year`` (empty for a full year)."""
    return _part_year_index().get((area_id, int(year)), ())


def is_part_year(area_id: str, year: int, measure: str) -> bool:
    """Whether a council's ``measure`` for ``year`` covers part of the year: it is shown
    with its note, but never compared (no neighbours' median, distribution, quartile or
    rank counts it).

    >>> [is_part_year("942", y, "turnover_rate_fte") for y in (2023, 2024)]
    [True, False]
    >>> is_part_year("942", 2023, "agency_rate_fte")
    False
    """
    return measure in part_year_measures(area_id, year)


def _and(items: list[str]) -> str:
    """``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def comparator_note(years) -> str | None:
    """The note for a report showing any of ``years`` in which some council's figures cover
    part of the year: those figures are left out of every comparison, while region and
    England totals stay DfE's published figures (which include them).

    >>> print(comparator_note([2022]))
    None
    >>> comparator_note(range(2017, 2024))[:67]
    'Part years (Cumberland and Westmorland and Furness: 2023 starters, '
    >>> comparator_note(range(2017, 2024)).startswith("Part years (Cumberland")
    True
    """
    py = part_years()
    hit = py[py.year.isin([int(y) for y in years])]
    if hit.empty:
        return None
    words = {"starters_fte": "starters", "leavers_fte": "leavers", "turnover_rate_fte": "turnover"}
    groups: dict[tuple, list[str]] = {}
    for r in hit.itertuples():
        groups.setdefault((r.year, r.measures), []).append(r.name)
    who = "; ".join(
        f"{' and '.join(names)}: {year} "
        + _and([w for k, w in words.items() if k in measures] or ["figures"])
        for (year, measures), names in groups.items()
    )
    return (
        f"Part years ({who}): these figures cover part of the year, so they are left out of every "
        "comparison: statistical neighbours' medians and ranges, England and regional "
        "distributions and quartiles, ranks, changes and contributions to change. Region "
        "and England totals are DfE's published figures, which count them."
    )


# ---------------------------------------------------------------- summaries
@dataclass
class MeasureComparison:
    """One measure for one area and year, with everything it is compared against.

    ``value`` is the published figure (``low``, rounds to zero, counts as 0 and says so in
    ``status`` and ``shown``). ``previous`` and ``change`` compare like with like: for a
    region or England DfE's published totals; for a named group only the councils with a
    figure in both years (``change_basis`` names any left out). ``shown`` is the figure as
    a reader sees it ("less than 0.5%", "low reliability (u)"). ``graded`` is False for
    counts and neutral measures, which must not carry a good/bad quartile colour.
    """

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
    shown: str = ""
    kind: str = "rate"  # "count" or "rate" (Measure.kind)
    graded: bool = True
    rank_note: str | None = None
    change_basis: str | None = None
    part_year: str | None = None


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
    #: a named group whose councils are exactly its region's (its lines coincide)
    same_as_region: bool = False
    #: councils: what instability means for children (:mod:`workforce_lib.published.context`)
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


def counted(cell: Cell) -> float | None:
    """A cell's value as DfE counts it: ``low`` is 0, another symbol is None."""
    return symbols.value_for_counting(cell.value, cell.status)


def _published(release: Release, area_id: str, year: int, measure: str) -> float | None:
    return counted(release.cell(area_id, year, measure))


def region_phrase(name: str | None) -> str:
    """A region as written after "in": "the North East", but "London", "Yorkshire and The
    Humber".

    >>> region_phrase("North East"), region_phrase("London")
    ('the North East', 'London')
    """
    if not name:
        return "its region"
    return name if name in ("London", "Yorkshire and The Humber") else f"the {name}"


def region_code(name: str | None) -> str | None:
    return next((c for c, n in REGIONS.items() if n == name), None)


def published_id(group: areas_mod.Group) -> str | None:
    """The ``area_id`` of DfE's own rows for a group: England's or its region's; None for a
    list of councils, which DfE does not publish."""
    return ENGLAND_CODE if group.england else region_code(group.region)


def neighbour_counted(release: Release, refs: list[NeighbourRef], year: int, measure: str):
    """Neighbours' values with ``low`` counted as 0 (as in a median DfE would take)."""
    out = neighbour_values(release, refs, year, measure)
    for k, ref in enumerate(refs):
        if out[k] is None and len(ref.area_ids) == 1:
            out[k] = counted(release.cell(ref.area_ids[0], year, measure))
    return out


def neighbour_comparators(
    release: Release, refs: list[NeighbourRef], year: int, measure: str
) -> list[float]:
    """The neighbours' values a median or range is taken over: published (``low`` as 0) and
    covering the whole year (a neighbour standing for a council whose ``year`` figure covers
    part of it, alone or combined with others, is left out: :func:`is_part_year`)."""
    vals = neighbour_counted(release, refs, year, measure)
    return [
        v
        for v, ref in zip(vals, refs)
        if v is not None and not any(is_part_year(a, year, measure) for a in ref.area_ids)
    ]


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
    council : a name, ONS code or LA number (see
        :func:`workforce_lib.published.areas.find_council`).
    year : the census year; default the latest in the release.
    neighbours : the statistical neighbour table (:func:`read_neighbours`); read from the
        data directory when omitted.
    context : the children's context files (:func:`workforce_lib.published.context.load_context`);
        read from the release's folder when omitted. A missing one is a status, not an error.
    """
    area_id = areas_mod.find_council(release, council)
    year = year or release.latest_year
    if year not in release.years:
        raise WorkforceError(
            f"No {year} in {release.source.name}: years are {release.years[0]}-{release.years[-1]}."
        )
    i = release.row(area_id, year)
    name = areas_mod.council_name(release, area_id)
    if i is None:
        a = release.areas[release.areas.area_id == area_id]
        raise WorkforceError(
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
    notes += part_year_notes([area_id], [year, year - 1])
    notes += [n for n in [comparator_note([year - 1, year])] if n]
    if sn_note:
        notes.append(f"Statistical neighbours: {sn_note}.")
    notes += missing_row_notes(release, year, [region_code(region), ENGLAND_CODE])  # hardening
    summary = AreaSummary(name, "council", year, region, area_id, notes=notes)
    summary.context = context_mod.council_context(release, area_id, year, context)
    part_now, part_before = part_year_measures(area_id, year), part_year_measures(area_id, year - 1)
    region_total = int((release.frame("council", year).region_name == region).sum())
    for m in MEASURES.values():
        cell = release.cell(area_id, year, m.name)
        prev = release.cell(area_id, year - 1, m.name)
        value, previous = counted(cell), counted(prev)
        nvals = neighbour_comparators(release, refs, year, m.name)
        ranks = council_ranks(release, year, m.name)
        r = ranks.loc[area_id] if area_id in ranks.index else None
        part = None
        if m.name in part_now:
            part = f"{year} covers part of the year"
        elif m.name in part_before:
            part = f"{year - 1} covers part of the year: the change is not like for like"
        summary.measures[m.name] = MeasureComparison(
            value=value,
            previous=previous,
            change=None if m.name in part_before else _change(value, previous, m),
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
            shown=symbols.shown(m, cell.value, cell.status),
            kind=m.kind,
            graded=m.kind == "rate" and m.direction != "neutral",
            rank_note=rank_text(
                None if r is None else int(r.rank_in_region),
                None if r is None else int(r.councils_in_region),
                region_total,
                symbols.shown(m, None, cell.status)
                if cell.status
                else "the figure covers part of the year"
                if m.name in part_now
                else "no data",
            )
            + f" in {region_phrase(region)}",
            part_year=part,
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


def _member_frames(release: Release, ids: list[str], year: int):
    a = release.areas
    idx = a.index[(a.year == year) & (a.level == "council") & a.area_id.isin(ids)]
    keys = a.loc[idx, "area_id"].to_numpy()
    return release.values.loc[idx].set_axis(keys), release.status.loc[idx].set_axis(keys)


@dataclass(frozen=True)
class LikeForLike:
    """A group's measure in two years over the same councils."""

    value: float | None
    previous: float | None
    councils: tuple[str, ...]  # area_ids counted in both years
    left_out: tuple[str, ...]  # names, with why


def like_for_like(
    release: Release, now_ids: list[str], before_ids: list[str], year: int, measure: str
) -> LikeForLike:
    """A measure recomputed for ``year`` and ``year - 1`` from only the councils that are
    members in both years and have every component published in both (``low`` as 0)."""
    m = MEASURES[measure]
    both = [a for a in now_ids if a in set(before_ids)]
    v1, s1 = _member_frames(release, both, year)
    v0, s0 = _member_frames(release, both, year - 1)
    v0, s0 = v0.reindex(v1.index), s0.reindex(v1.index).fillna("")
    _, keep1 = component_sums(v1, s1, m)
    _, keep0 = component_sums(v0, s0, m)
    keep = keep1 & keep0
    rows = list(v1.index[keep])
    if not rows:
        return LikeForLike(None, None, (), ())
    sums1, _ = component_sums(v1.loc[rows], s1.loc[rows], m)
    sums0, _ = component_sums(v0.loc[rows], s0.loc[rows], m)
    name = lambda a: areas_mod.council_name(release, a)  # noqa: E731
    left = [f"{name(a)} (not in the group in {year - 1})" for a in now_ids if a not in both]
    left += [f"{name(a)} (not in the group in {year})" for a in before_ids if a not in now_ids]
    for a in v1.index[~keep]:
        why = [f"{y}: {symbols.words(st[c].at[a])} ({st[c].at[a]})"
               for y, st in ((year - 1, s0), (year, s1)) for c in m.components
               if st[c].at[a] and not symbols.rounds_to_zero(st[c].at[a])]  # fmt: skip
        left.append(f"{name(a)} ({'; '.join(dict.fromkeys(why)) or 'no figure'})")
    return LikeForLike(
        number_or_none(round_half_up(m.compute(sums1, year))),
        number_or_none(round_half_up(m.compute(sums0, year - 1))),
        tuple(rows),
        tuple(left),
    )


def compare_group(release: Release, group: Group | str, year: int | None = None) -> AreaSummary:
    """Every measure for a group, recomputed from its councils' components, against last
    year, its region (if all its councils are in one) and England.

    ``previous`` and ``change`` compare like with like: a region or England uses DfE's
    published totals for both years (they cover councils whose own figures are not
    published); a named group compares only the councils counted in both years, and
    ``change_basis`` names the ones left out.
    """
    group = areas_mod.find_group(group) if isinstance(group, str) else group
    year = year or release.latest_year
    members = areas_mod.group_members(release, group, year)
    if not members:
        raise WorkforceError(f"Group {group.name!r} has no councils in {year}.")
    region = areas_mod.group_region(release, group, year)
    fig = group_figures(release, members, year)
    prev_members = areas_mod.group_members(release, group, year - 1)
    region_id = region_code(region)
    names = [areas_mod.council_name(release, a) for a in members]
    own_id = published_id(group)
    area_id = own_id or group.name
    notes = [group.description] if group.description else []
    missing = [c for c in group.councils if areas_mod.find_council(release, c) not in members]
    if missing:
        notes.append(f"No {year} row for: {', '.join(missing)}.")
    same_as_region = bool(
        not own_id
        and region_id
        and set(members)
        == set(areas_mod.group_members(release, Group(region, region=region), year))
    )
    if same_as_region:
        notes.append(
            f"{group.name} has exactly the councils of the {region} region in {year}: its "
            f"figures are the region's, and its line and the region's coincide on the charts."
        )
    notes += [f"Part year: {n}" for n in part_year_notes(members + prev_members, [year, year - 1])]
    notes += [n for n in [comparator_note([year - 1, year])] if n]
    notes += missing_row_notes(release, year, [region_id, ENGLAND_CODE])  # hardening
    summary = AreaSummary(
        group.name, "group", year, region, area_id, notes=notes, members=names,
        same_as_region=same_as_region,
    )  # fmt: skip
    differs = []
    for m in MEASURES.values():
        value = number_or_none(fig.at[m.name, "value"])
        published = _published(release, own_id, year, m.name) if own_id else None
        basis = None
        if own_id:
            previous = _published(release, own_id, year - 1, m.name)
            change = _change(published if published is not None else value, previous, m)
            if published is not None and value is not None and published != value:
                differs.append(m.label)
        elif prev_members:
            lfl = like_for_like(release, members, prev_members, year, m.name)
            previous = lfl.previous
            change = _change(lfl.value, lfl.previous, m)
            n = len(lfl.councils)
            basis = f"the {n} councils with figures in both {year - 1} and {year}"
            if lfl.left_out:
                basis += " (left out: " + "; ".join(lfl.left_out) + ")"
                if lfl.value is not None and lfl.value != value:
                    basis += f"; on that basis {year} is {m.format(lfl.value)}"
        else:
            previous, change = None, None
        summary.measures[m.name] = MeasureComparison(
            value=value,
            previous=previous,
            change=change,
            region=None
            if group.england or not region_id
            else _published(release, region_id, year, m.name),
            england=_published(release, ENGLAND_CODE, year, m.name),
            status=_excluded_note(fig.loc[m.name]),
            previous_status=None,
            published=published,
            shown=m.format(published if published is not None else value)
            if (published is not None or value is not None)
            else "not available",
            kind=m.kind,
            graded=m.kind == "rate" and m.direction != "neutral",
            change_basis=basis,
        )
    if own_id and prev_members:
        summary.notes.append(
            f"Changes on {year - 1} compare DfE's published {group.name} figures for both years, "
            "which count the same councils."
        )
    if differs:
        summary.notes.append(
            "Recomputed from the councils' own figures, " + ", ".join(differs) + " differ from "
            f"DfE's published {group.name} figures, which also count councils whose own figures "
            "are not published; the text and changes quote DfE's."
        )
    return summary
