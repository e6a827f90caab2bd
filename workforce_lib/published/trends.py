"""Time series for charts: a council or group by year, with region, England and the
neighbours' range; suppressed years keep their reason; predecessor authorities are named.

Every series stops at ``until`` (the report's year): a report for year Y hands its charts,
tables and alt text nothing after Y. A value DfE publishes as ``low`` (rounds to zero) is
0 with its status kept, so it is drawn at zero and labelled "less than 0.5".
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from workforce_lib.constants import ENGLAND_CODE
from workforce_lib.measures import MEASURES
from workforce_lib.published import areas as areas_mod
from workforce_lib.published import symbols
from workforce_lib.published.areas import Group
from workforce_lib.published.comparison import (
    counted,
    group_figures,
    is_part_year,
    neighbour_comparators,
    part_year_notes,
    published_id,
    region_code,
    resolve_neighbours,
)
from workforce_lib.published.release import Release

SERIES_COLUMNS = [
    "year",
    "value",
    "status",
    "predecessor",
    "predecessor_value",
    "region",
    "england",
    "neighbours_min",
    "neighbours_median",
    "neighbours_max",
    "neighbours_with_data",
    "note",
]


def years_to(release: Release, until: int | None) -> list[int]:
    """The release's years up to and including ``until`` (all of them for None)."""
    return [y for y in release.years if until is None or y <= int(until)]


def _predecessor_value(release: Release, area_id: str, year: int, measure: str):
    """A predecessor's value in a year before ``area_id`` existed (combined if several)."""
    pre = areas_mod.predecessors(area_id)
    ids = [p for p in dict.fromkeys(pre.predecessor_la) if release.row(p, year) is not None]
    if not ids:
        return None, None
    names = ", ".join(areas_mod.council_name(release, p) for p in ids)
    if len(ids) == 1:
        return names, counted(release.cell(ids[0], year, measure))
    v = group_figures(release, ids, year).at[measure, "value"]
    return names, None if pd.isna(v) else float(v)


def council_series(
    release: Release,
    area_id: str,
    measure: str,
    neighbours: dict[str, list[str]],
    until: int | None = None,
) -> pd.DataFrame:
    """One row a year for a council and measure, up to ``until`` (see :data:`SERIES_COLUMNS`).

    ``note`` says when a year's figure covers part of a year (a council that began during
    it) or rounds to zero.
    """
    rows = []
    region_id = None
    years = years_to(release, until)
    for year in years:
        i = release.row(area_id, year)
        if i is not None:
            region_id = region_code(release.areas.at[i, "region_name"])
    for year in years:
        cell = release.cell(area_id, year, measure)
        pred_name, pred_value = (None, None)
        if release.row(area_id, year) is None:
            pred_name, pred_value = _predecessor_value(release, area_id, year, measure)
        refs, _ = resolve_neighbours(release, area_id, year, neighbours)
        nv = neighbour_comparators(release, refs, year, measure)  # no part years
        note = part_year_notes([area_id], [year], measure)
        if symbols.rounds_to_zero(cell.status):
            note.insert(0, symbols.less_than(MEASURES[measure]))
        rows.append(
            {
                "year": year,
                "value": counted(cell),
                "status": cell.reason or ("no row" if release.row(area_id, year) is None else None),
                "predecessor": pred_name,
                "predecessor_value": pred_value,
                "region": counted(release.cell(region_id or "", year, measure)),
                "england": counted(release.cell(ENGLAND_CODE, year, measure)),
                "neighbours_min": min(nv) if nv else None,
                "neighbours_median": float(np.median(nv)) if nv else None,
                "neighbours_max": max(nv) if nv else None,
                "neighbours_with_data": len(nv),
                "note": " ".join(note) or None,
            }
        )
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def group_series(
    release: Release, group: Group, measure: str, until: int | None = None
) -> pd.DataFrame:
    """A group's recomputed value by year against England (and its published row, if any),
    up to ``until``."""
    own_id = published_id(group)
    rows = []
    for year in years_to(release, until):
        ids = areas_mod.group_members(release, group, year)
        fig = group_figures(release, ids, year).loc[measure] if ids else None
        region = areas_mod.group_region(release, group, year)
        rows.append(
            {
                "year": year,
                "value": None if fig is None or pd.isna(fig["value"]) else float(fig["value"]),
                "councils_used": 0 if fig is None else int(fig["n_included"]),
                "councils": len(ids),
                "left_out": "" if fig is None else ", ".join(fig["excluded"]),
                "published": counted(release.cell(own_id or "", year, measure)),
                "region": None
                if group.england or group.region
                else counted(release.cell(region_code(region) or "", year, measure)),
                "england": counted(release.cell(ENGLAND_CODE, year, measure)),
                "note": " ".join(part_year_notes(ids, [year], measure)) or None,
            }
        )
    return pd.DataFrame(rows)


def published_series(release: Release, area_id: str, measure: str, until: int | None = None):
    """DfE's published figures for one area (England: ``E92000001``) by year, up to ``until``:
    ``year``, ``value``, ``status``."""
    rows = []
    for year in years_to(release, until):
        cell = release.cell(area_id, year, measure)
        rows.append({"year": year, "value": counted(cell), "status": cell.reason})
    return pd.DataFrame(rows)


def lines_coincide(
    frame: pd.DataFrame, a: str = "value", b: str = "published", tolerance: float = 0.0
) -> bool:
    """True when two columns of a series are equal (to within ``tolerance``) in every year
    both have: a line drawn under another cannot be seen, and the report says so.

    >>> lines_coincide(pd.DataFrame({"value": [1.0, 2.0], "published": [1.0, 2.0]}))
    True
    >>> lines_coincide(pd.DataFrame({"value": [1.0, 2.0], "published": [1.0, None]}))
    True
    >>> lines_coincide(pd.DataFrame({"value": [1.0, 2.1], "published": [1.0, 2.0]}))
    False
    >>> lines_coincide(pd.DataFrame({"value": [1.0, 2.1], "published": [1.0, 2.0]}), tolerance=0.1)
    True
    """
    x, y = pd.to_numeric(frame[a], errors="coerce"), pd.to_numeric(frame[b], errors="coerce")
    both = x.notna() & y.notna()
    return bool(both.any() and ((x[both] - y[both]).abs() <= tolerance + 1e-9).all())


def council_values(release: Release, year: int, measure: str) -> pd.DataFrame:
    """Every council's value in a year with its status, region and name (strip charts);
    ``low`` is 0 with its status kept; ``note`` says when a figure covers part of a year,
    and ``part_year`` is then True: such a figure is shown but never compared (no
    distribution, percentile or quartile counts it)."""
    return _council_values(release, int(year), measure).copy()


@lru_cache(maxsize=64)
def _council_values(release: Release, year: int, measure: str) -> pd.DataFrame:
    """:func:`council_values`, made once per release, year and measure (every council's
    report draws the same dots; :func:`council_values` hands each caller a copy)."""
    f = release.frame("council", year)
    status = release.status.loc[f.index, measure]
    out = f[["area_id", "area_name", "region_name", measure]].rename(columns={measure: "value"})
    out["value"] = out["value"].mask(status.eq(symbols.ROUNDS_TO_ZERO), 0.0)
    out["status"] = status.to_numpy()
    out["note"] = [" ".join(part_year_notes([a], [year], measure)) or None for a in out.area_id]
    out["part_year"] = [is_part_year(a, year, measure) for a in out.area_id]
    return out.reset_index(drop=True)


def comparable_values(release: Release, year: int, measure: str) -> pd.DataFrame:
    """:func:`council_values` without the figures that cover part of the year: what a
    distribution, percentile or quartile is taken over."""
    v = council_values(release, year, measure)
    return v[~v.part_year].reset_index(drop=True)


def group_trend_frame(
    release: Release,
    group: Group,
    measure: str,
    until: int | None = None,
    series: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """:func:`group_series` in the shape :func:`workforce_lib.reports.plotting.trend_chart` draws:
    the comparison line is DfE's published row for a region (or England), else the
    group's region. ``series``: that :func:`group_series`, if already worked out."""
    g = series if series is not None else group_series(release, group, measure, until)
    compare = g["published"] if (group.region or group.england) else g["region"]
    return pd.DataFrame(
        {
            "year": g.year,
            "value": g.value,
            "status": [None if v is not None and not pd.isna(v) else "no row" for v in g.value],
            "predecessor": None,
            "predecessor_value": np.nan,
            "region": compare,
            "england": g.england,
            "neighbours_min": np.nan,
            "neighbours_median": np.nan,
            "neighbours_max": np.nan,
            "neighbours_with_data": 0,
            "note": g.note,
        }
    )
