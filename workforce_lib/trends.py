"""Time series for charts: a council or group by year, with region, England and the
neighbours' range; suppressed years keep their reason; predecessor authorities are named."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workforce_lib import areas as areas_mod
from workforce_lib.areas import Group
from workforce_lib.comparison import (
    group_figures,
    neighbour_values,
    published_id,
    region_code,
    resolve_neighbours,
)
from workforce_lib.constants import ENGLAND_CODE
from workforce_lib.release import Release

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
]


def _predecessor_value(release: Release, area_id: str, year: int, measure: str):
    """A predecessor's value in a year before ``area_id`` existed (combined if several)."""
    pre = areas_mod.predecessors(area_id)
    ids = [p for p in dict.fromkeys(pre.predecessor_la) if release.row(p, year) is not None]
    if not ids:
        return None, None
    names = ", ".join(areas_mod.council_name(release, p) for p in ids)
    if len(ids) == 1:
        return names, release.cell(ids[0], year, measure).value
    v = group_figures(release, ids, year).at[measure, "value"]
    return names, None if pd.isna(v) else float(v)


def council_series(
    release: Release, area_id: str, measure: str, neighbours: dict[str, list[str]]
) -> pd.DataFrame:
    """One row a year for a council and measure (see :data:`SERIES_COLUMNS`)."""
    rows = []
    region_id = None
    for year in release.years:
        i = release.row(area_id, year)
        if i is not None:
            region_id = region_code(release.areas.at[i, "region_name"])
    for year in release.years:
        cell = release.cell(area_id, year, measure)
        pred_name, pred_value = (None, None)
        if release.row(area_id, year) is None:
            pred_name, pred_value = _predecessor_value(release, area_id, year, measure)
        refs, _ = resolve_neighbours(release, area_id, year, neighbours)
        nv = [v for v in neighbour_values(release, refs, year, measure) if v is not None]
        rows.append(
            {
                "year": year,
                "value": cell.value,
                "status": cell.reason or ("no row" if release.row(area_id, year) is None else None),
                "predecessor": pred_name,
                "predecessor_value": pred_value,
                "region": release.cell(region_id or "", year, measure).value,
                "england": release.cell(ENGLAND_CODE, year, measure).value,
                "neighbours_min": min(nv) if nv else None,
                "neighbours_median": float(np.median(nv)) if nv else None,
                "neighbours_max": max(nv) if nv else None,
                "neighbours_with_data": len(nv),
            }
        )
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


def group_series(release: Release, group: Group, measure: str) -> pd.DataFrame:
    """A group's recomputed value by year against England (and its published row, if any)."""
    own_id = published_id(group)
    rows = []
    for year in release.years:
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
                "published": release.cell(own_id or "", year, measure).value,
                "region": None
                if group.england or group.region
                else release.cell(region_code(region) or "", year, measure).value,
                "england": release.cell(ENGLAND_CODE, year, measure).value,
            }
        )
    return pd.DataFrame(rows)


def council_values(release: Release, year: int, measure: str) -> pd.DataFrame:
    """Every council's value in a year with its status, region and name (strip charts)."""
    f = release.frame("council", year)
    out = f[["area_id", "area_name", "region_name", measure]].rename(columns={measure: "value"})
    out["status"] = release.status.loc[f.index, measure].to_numpy()
    return out.reset_index(drop=True)


def group_trend_frame(release: Release, group: Group, measure: str) -> pd.DataFrame:
    """:func:`group_series` in the shape :func:`workforce_lib.plotting.trend_chart` draws:
    the comparison line is DfE's published row for a region (or England), else the
    group's region."""
    g = group_series(release, group, measure)
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
        }
    )
