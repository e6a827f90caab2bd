"""Data-quality findings: published regional and England figures against the same figures
recomputed from their councils, council rates against their own components, suppressed
cells and gaps in councils' series.

A difference is a finding to explain, not an error. Published FTE are rounded to one
decimal place, so a recomputed rate carries rounding error; a published figure counts as
reproduced when it lies within the range the rounded components allow.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd

from workforce_lib.constants import ENGLAND_CODE, LONDON_SUBREGIONS
from workforce_lib.measures import MEASURES, Measure, component_sums, round_half_up
from workforce_lib.published import areas as areas_mod
from workforce_lib.published.release import Release


def _half_width(m: Measure, n: int) -> float:
    """Largest rounding error of a sum of ``n`` published values of column ``m``."""
    return 0.5 * 10.0 ** (-m.decimals) * n


def value_range(m: Measure, sums: dict, n: int, year):
    """The range of ``m`` that components, each a sum of ``n`` rounded values, allow.

    Works on numbers or on arrays (one element per row, ``year`` a number or an array).
    """
    if m.kind == "count":
        h = _half_width(m, n)
        return sums[m.name] - h, sums[m.name] + h
    cols = list(m.components)
    widths = [_half_width(MEASURES[c], n) for c in cols]
    corners = []
    for signs in itertools.product((-1, 1), repeat=len(cols)):
        shifted = {
            c: np.maximum(np.asarray(sums[c], dtype=float) + s * w, 0.0)
            for c, s, w in zip(cols, signs, widths)
        }
        corners.append(np.asarray(m.compute(shifted, year), dtype=float))
    stack = np.stack(corners)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows stay NaN
        lo, hi = np.nanmin(stack, axis=0), np.nanmax(stack, axis=0)
    return (float(lo), float(hi)) if np.ndim(lo) == 0 else (lo, hi)


def reproduces(m: Measure, published, sums: dict, n: int, year):
    """Whether a published (rounded) figure is within what the rounded components allow."""
    lo, hi = value_range(m, sums, n, year)
    tol = 1e-9
    lo_r, hi_r = round_half_up(lo, m.decimals), round_half_up(hi, m.decimals)
    ok = ~np.isnan(lo) & (lo_r - tol <= published) & (published <= hi_r + tol)
    return bool(ok) if np.ndim(ok) == 0 else ok


def _published_areas(release: Release, year: int) -> list[tuple[str, str, pd.Index]]:
    """(area_id, name, member row labels) for England and each region row in a year."""
    a = release.areas
    councils = a[(a.year == year) & (a.level == "council")]
    out = []
    for i in a.index[(a.year == year) & (a.level != "council")]:
        area_id, name = a.at[i, "area_id"], a.at[i, "area_name"]
        if area_id == ENGLAND_CODE:
            members = councils.index
        elif area_id in LONDON_SUBREGIONS:
            members = councils.index[councils.subregion == LONDON_SUBREGIONS[area_id]]
        else:
            members = councils.index[councils.region_code == area_id]
        out.append((area_id, name, members))
    return out


def _sums(release: Release, rows: pd.Index, m: Measure):
    """:func:`~workforce_lib.measures.component_sums` over some rows of the release."""
    sums, keep = component_sums(release.values.loc[rows], release.status.loc[rows], m)
    return sums, int(keep.sum()), keep


def _explain(release, m, year, pub, rows, keep, sums) -> str:
    """Why a published figure is not reproduced by its councils, in words."""
    left_out = rows[~keep.to_numpy()]
    a = release.areas
    if len(left_out) == 0:
        return "not explained by suppressed councils; DfE's figure may include revisions"
    names = []
    for i in left_out:
        sym = {c: release.status.at[i, c] for c in m.components if release.status.at[i, c]}
        names.append(f"{a.at[i, 'area_name']} ({', '.join(sorted(set(sym.values())))})")
    text = "left out of the recomputation as not published: " + "; ".join(names)
    # Did DfE carry the missing councils' previous-year figures forward?
    prev_rows = pd.Index(
        [release.row(a.at[i, "area_id"], year - 1) for i in left_out], dtype=object
    )
    if prev_rows.notna().all() and len(prev_rows):
        prev_sums, n_prev, prev_keep = _sums(release, pd.Index(prev_rows.astype(int)), m)
        if prev_keep.all():
            total = {c: sums[c] + prev_sums[c] for c in sums}
            n = int(keep.sum()) + n_prev
            if reproduces(m, pub, total, n, year):
                text += (
                    f". With their {year - 1} figures added the published value is reproduced:"
                    f" DfE used their {year - 1} returns"
                )
                return text
    return text + ". DfE's figure includes values it did not publish for these councils"


def published_vs_recomputed(release: Release, year: int | None = None) -> pd.DataFrame:
    """Every published England and region figure against its councils' recomputation.

    Returns one row per (year, area, measure) with ``reproduced`` (bool) and, where not
    reproduced, an explanation.
    """
    years = [year] if year else release.years
    rows_out = []
    for y in years:
        for area_id, name, members in _published_areas(release, y):
            i = release.row(area_id, y)
            for m in MEASURES.values():
                pub = release.values.at[i, m.name]
                if pd.isna(pub):
                    continue
                sums, n, keep = _sums(release, members, m)
                recomputed = round_half_up(m.compute(sums, y), m.decimals) if n else np.nan
                ok = bool(n) and reproduces(m, pub, sums, n, y)
                rows_out.append(
                    {
                        "year": y,
                        "area": name,
                        "area_id": area_id,
                        "measure": m.name,
                        "published": pub,
                        "recomputed": recomputed,
                        "difference": round_half_up(pub - recomputed, m.decimals),
                        "councils_used": n,
                        "councils_in_area": len(members),
                        "reproduced": ok,
                        "explanation": ""
                        if ok
                        else _explain(release, m, y, pub, members, keep, sums),
                    }
                )
    columns = ["year", "area", "area_id", "measure", "published", "recomputed", "difference",
               "councils_used", "councils_in_area", "reproduced", "explanation"]  # fmt: skip
    return pd.DataFrame(rows_out, columns=columns)


def council_consistency(release: Release, year: int | None = None) -> pd.DataFrame:
    """Council rates that their own published components do not reproduce."""
    a = release.areas
    mask = a.level == "council"
    if year:
        mask &= a.year == year
    out = []
    for m in MEASURES.values():
        if m.kind != "rate":
            continue
        cols = list(m.components)
        sub = release.values.loc[mask, [m.name, *cols]].dropna()
        years = a.loc[sub.index, "year"].to_numpy()
        sums = {c: sub[c].to_numpy() for c in cols}
        bad = ~reproduces(m, sub[m.name].to_numpy(), sums, 1, years)
        if bad.any():
            idx = sub.index[bad]
            out.append(
                pd.DataFrame(
                    {
                        "year": years[bad],
                        "area": a.loc[idx, "area_name"].to_numpy(),
                        "measure": m.name,
                        "published": sub.loc[idx, m.name].to_numpy(),
                        "recomputed": round_half_up(
                            m.compute({c: v[bad] for c, v in sums.items()}, years[bad])
                        ),
                    }
                )
            )
    columns = ["year", "area", "measure", "published", "recomputed"]
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=columns)


def series_gaps(release: Release) -> pd.DataFrame:
    """Councils without a row in some year, with the boundary change that explains it."""
    a = release.areas[release.areas.level == "council"]
    years = release.years
    out = []
    for area_id, grp in a.groupby("area_id"):
        missing = [y for y in years if y not in set(grp.year)]
        if not missing:
            continue
        name = grp.sort_values("year").area_name.iloc[-1]
        pre, suc = areas_mod.predecessors(area_id), areas_mod.successors(area_id)
        if not pre.empty:
            why = f"new authority from {pre.year.iloc[0]}; predecessor " + ", ".join(
                dict.fromkeys(pre.predecessor_name)
            )
        elif not suc.empty:
            why = f"replaced in {suc.year.iloc[0]} by " + ", ".join(
                dict.fromkeys(suc.successor_name)
            )
        else:
            why = "no boundary change recorded: a gap in the published series"
        out.append(
            {
                "area": name,
                "area_id": area_id,
                "years_missing": ", ".join(map(str, missing)),
                "explanation": why,
            }
        )
    return pd.DataFrame(out, columns=["area", "area_id", "years_missing", "explanation"])


def missing_published_rows(release: Release, year: int | None = None) -> pd.DataFrame:
    """England, region and London sub-region rows a year's councils imply but the file lacks.

    Every year with councils should have DfE's England row and a row for each region (and
    Inner/Outer London) its councils are in; without one, every comparison with that area
    is blank. Returns one row per missing row: year, area_id, area, councils (how many of the
    year's councils it would cover).
    """
    a = release.areas
    years = [year] if year else release.years
    out = []
    for y in years:
        councils = a[(a.year == y) & (a.level == "council")]
        if councils.empty:
            continue
        present = set(a.loc[(a.year == y) & (a.level != "council"), "area_id"])
        expected = {ENGLAND_CODE: ("England", len(councils))}
        for code, grp in councils.groupby("region_code"):
            expected[code] = (grp.region_name.iloc[0], len(grp))
        subs = {name: code for code, name in LONDON_SUBREGIONS.items()}
        for name, grp in councils[councils.subregion != ""].groupby("subregion"):
            if name in subs:
                expected[subs[name]] = (name, len(grp))
        for code, (name, n) in expected.items():
            if code not in present:
                out.append({"year": y, "area_id": code, "area": name, "councils": n})
    return pd.DataFrame(out, columns=["year", "area_id", "area", "councils"])


def missing_row_notes(release: Release, year: int, area_ids: list[str | None]) -> list[str]:
    """A note for each of ``area_ids`` (England's or a region's code) with no row in ``year``:
    shown where the figure would be, so a blank is never left unexplained."""
    missing = missing_published_rows(release, year)
    return [
        f"{release.source.name} has no {r.area} row for {year}: {r.area}'s published "
        "figures are not available, so they are shown as n/a (see `workforce quality`)."
        for r in missing.itertuples()
        if r.area_id in area_ids
    ]


def quality_report(release: Release, year: int | None = None) -> dict[str, pd.DataFrame]:
    """All findings, by section, for ``workforce quality`` and the England overview.

    Raises
    ------
    WorkforceError
        A ``year`` the release does not hold.
    """
    if year is not None:
        release.require_year(year)
    pvr = published_vs_recomputed(release, year)
    supp = release.suppressed()
    if year:
        supp = supp[supp.year == year]
    return {
        "published_vs_recomputed": pvr,
        "not_reproduced": pvr[~pvr.reproduced].drop(columns=["reproduced"]),
        "council_rates_vs_components": council_consistency(release, year),
        "suppressed": supp,
        "gaps": series_gaps(release),
        "missing_rows": missing_published_rows(release, year),
    }
