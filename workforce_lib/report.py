"""What each report shows, assembled from the library (the notebooks only display it)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from workforce_lib import areas as areas_mod
from workforce_lib import comparison, disclosure, hr, ofsted, quality, trends
from workforce_lib.areas import Group
from workforce_lib.constants import ENGLAND_CODE
from workforce_lib.demo import demo_extract
from workforce_lib.errors import WorkforceError
from workforce_lib.extract import Extract, read_extract, write_extract
from workforce_lib.loading import sha256
from workforce_lib.measures import HEADLINE_MEASURES, MEASURES
from workforce_lib.release import Release, load_release

#: Measures drawn as time series in a council report (headline rates and in-post FTE).
TREND_MEASURES: tuple[str, ...] = HEADLINE_MEASURES[:6]
HEATMAP_MEASURES: tuple[str, ...] = HEADLINE_MEASURES[:5] + ("agency_cover_rate_fte",)


def _year(release: Release, year: int | None) -> int:
    year = int(year) if year else release.latest_year
    if year not in release.years:
        raise WorkforceError(
            f"No {year} in {release.source.name}: years are {release.years[0]}-{release.years[-1]}."
        )
    return year


@dataclass
class CouncilReport:
    release: Release
    area_id: str
    year: int
    neighbours: dict[str, list[str]]
    summary: comparison.AreaSummary = field(init=False)

    def __post_init__(self) -> None:
        self.summary = comparison.compare_council(
            self.release, self.area_id, self.year, self.neighbours
        )

    @property
    def name(self) -> str:
        return self.summary.area

    @property
    def region(self) -> str | None:
        return self.summary.region

    def series(self, measure: str) -> pd.DataFrame:
        return trends.council_series(self.release, self.area_id, measure, self.neighbours)

    def rank_table(self) -> pd.DataFrame:
        """Councils of the region for the headline rates, ranked by turnover."""
        r = self.release
        f = r.frame("council", self.year)
        f = f[f.region_name == self.region]
        cols = ["area_name", *HEADLINE_MEASURES[:5]]
        out = f[cols].sort_values("turnover_rate_fte", na_position="last")
        out.insert(0, "rank (turnover)", range(1, len(out) + 1))
        return out.rename(
            columns={
                "area_name": "Council",
                **{m: MEASURES[m].label for m in HEADLINE_MEASURES[:5]},
            }
        )

    def neighbours_table(self) -> pd.DataFrame:
        refs, _ = comparison.resolve_neighbours(
            self.release, self.area_id, self.year, self.neighbours
        )
        rows = []
        for ref in refs:
            names = " + ".join(areas_mod.council_name(self.release, a) for a in ref.area_ids)
            row = {
                "Neighbour": names or f"LA {ref.la_code} (no {self.year} data)",
                "Closeness": ref.closeness,
                "Matched as": ref.how,
            }
            for m in HEADLINE_MEASURES[:5]:
                v = comparison.neighbour_values(self.release, [ref], self.year, m)[0]
                row[MEASURES[m].label] = v
            rows.append(row)
        return pd.DataFrame(rows)

    def ofsted(self, data_dir: str | None = None) -> pd.DataFrame:
        """The Ofsted judgement in force on 30 September of the report's year."""
        folder = data_dir or self.release.source.parent
        return ofsted.ofsted_table(self.release, self.area_id, self.year, folder)

    def values(self, measure: str) -> pd.DataFrame:
        return trends.council_values(self.release, self.year, measure)


def council_report(
    council: str,
    year: int | None = None,
    data_dir: str | None = None,
    neighbours: str = comparison.DEFAULT_NEIGHBOUR_MODEL,
) -> CouncilReport:
    """Everything a council report shows; an unknown council fails here, at the top.

    ``neighbours`` is DfE's statistical-neighbour model: ``"2025"`` or ``"2021"``.
    """
    release = load_release(data_dir or None)
    area_id = areas_mod.find_council(release, council)
    year = _year(release, year)
    neighbours = comparison.read_neighbours(data_dir or release.source.parent, neighbours)
    return CouncilReport(release, area_id, year, neighbours)


@dataclass
class GroupReport:
    release: Release
    group: Group
    year: int

    @cached_property
    def summary(self) -> comparison.AreaSummary:
        return comparison.compare_group(self.release, self.group, self.year)

    @property
    def members(self) -> list[str]:
        return areas_mod.group_members(self.release, self.group, self.year)

    def series(self, measure: str) -> pd.DataFrame:
        return trends.group_series(self.release, self.group, measure)

    def trend_frame(self, measure: str) -> pd.DataFrame:
        return trends.group_trend_frame(self.release, self.group, measure)

    def member_series(self, measure: str) -> dict[str, pd.DataFrame]:
        out = {}
        for a in self.members:
            name = areas_mod.council_name(self.release, a)
            s = pd.DataFrame({"year": self.release.years})
            s["value"] = [self.release.cell(a, y, measure).value for y in s.year]
            s["england"] = [self.release.cell(ENGLAND_CODE, y, measure).value for y in s.year]
            out[name] = s
        return out

    def heatmap_data(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Values and England percentiles, measures x councils."""
        values, pct = {}, {}
        for m in HEATMAP_MEASURES:
            allv = trends.council_values(self.release, self.year, m).set_index("area_id")
            ranks = allv.value.rank(pct=True)
            for a in self.members:
                name = areas_mod.council_name(self.release, a)
                values.setdefault(name, {})[MEASURES[m].label] = allv.value.get(a)
                pct.setdefault(name, {})[MEASURES[m].label] = ranks.get(a)
        return pd.DataFrame(values), pd.DataFrame(pct)

    def ranking(self) -> pd.DataFrame:
        f = self.release.frame("council", self.year)
        f = f[f.area_id.isin(self.members)]
        cols = ["area_name", *HEADLINE_MEASURES[:5], "agency_fte", "inpost_fte"]
        return (
            f[cols]
            .sort_values("turnover_rate_fte")
            .rename(columns={"area_name": "Council", **{m: MEASURES[m].label for m in cols[1:]}})
        )

    def drivers(self, measure: str = "turnover_rate_fte") -> pd.DataFrame:
        """Each council's contribution to the change in the group's rate since last year.

        The group's rate is N/D. A council's contribution is how much the group's rate
        would change if only that council's components had changed (others held at last
        year's values); contributions add up to about the total change.
        """
        m = MEASURES[measure]
        r = self.release
        prev_year = self.year - 1
        both = [a for a in self.members if r.row(a, prev_year) is not None]
        if not both:
            return pd.DataFrame()

        def comps(a, y):
            return {c: r.cell(a, y, c).value for c in m.components}

        cur = {a: comps(a, self.year) for a in both}
        old = {a: comps(a, prev_year) for a in both}
        ok = [a for a in both if all(v is not None for v in [*cur[a].values(), *old[a].values()])]
        base = {c: sum(old[a][c] for a in ok) for c in m.components}
        base_rate = m.compute(base, prev_year)
        rows = []
        for a in ok:
            shifted = {c: base[c] - old[a][c] + cur[a][c] for c in m.components}
            rows.append(
                {
                    "Council": areas_mod.council_name(r, a),
                    "contribution (points)": m.compute(shifted, self.year) - base_rate,
                    f"{m.label} {prev_year}": r.cell(a, prev_year, measure).value,
                    f"{m.label} {self.year}": r.cell(a, self.year, measure).value,
                }
            )
        out = pd.DataFrame(rows).sort_values("contribution (points)", key=abs, ascending=False)
        out["contribution (points)"] = out["contribution (points)"].round(2)
        return out


def group_report(
    name: str, year: int | None = None, data_dir: str | None = None, groups_file: str | None = None
) -> GroupReport:
    release = load_release(data_dir or None)
    group = areas_mod.find_group(name, areas_mod.load_groups(groups_file or None))
    return GroupReport(release, group, _year(release, year))


@dataclass
class EnglandReport:
    release: Release
    year: int

    def regions(self, measure: str) -> pd.DataFrame:
        a = self.release.areas
        rows = a[(a.year == self.year) & (a.level == "region") & a.area_id.str.startswith("E12")]
        return pd.DataFrame(
            {
                "Region": rows.area_name.to_numpy(),
                "value": self.release.values.loc[rows.index, measure].to_numpy(),
            }
        )

    def distribution(self, measure: str) -> pd.DataFrame:
        """Every council's value in every year (long), for a distribution chart."""
        f = self.release.frame("council")
        return f[["year", "area_name", measure]].rename(columns={measure: "value"})

    def movers(self, measure: str, n: int = 10) -> pd.DataFrame:
        r = self.release
        cur = r.frame("council", self.year).set_index("area_id")[["area_name", measure]]
        prev = r.frame("council", self.year - 1).set_index("area_id")[[measure]]
        j = cur.join(prev, rsuffix="_prev", how="inner").dropna()
        j["change (points)"] = (j[measure] - j[f"{measure}_prev"]).round(1)
        j = j.reindex(j["change (points)"].abs().sort_values(ascending=False).index).head(n)
        return j.rename(
            columns={
                "area_name": "Council",
                measure: str(self.year),
                f"{measure}_prev": str(self.year - 1),
            }
        ).reset_index(drop=True)

    def quality(self) -> dict[str, pd.DataFrame]:
        return quality.quality_report(self.release, self.year)


def england_report(year: int | None = None, data_dir: str | None = None) -> EnglandReport:
    release = load_release(data_dir or None)
    return EnglandReport(release, _year(release, year))


# ---------------------------------------------------------------- HR extract report
#: Rolling measures drawn month by month in the HR report.
HR_RATE_SERIES: tuple[str, ...] = ("turnover_rate_fte", "agency_rate_fte")
HR_STOCK_SERIES: tuple[str, ...] = ("inpost_fte", "agency_fte")


@dataclass
class HrReport:
    """Everything the HR report shows, disclosure-controlled before it leaves here."""

    extract: Extract
    as_at: pd.Timestamp
    threshold: int
    desired: float
    months: int
    area: str | None = None
    summary: hr.HrSummary = field(init=False)

    def __post_init__(self) -> None:
        self.summary = hr.summarise(
            self.extract, self.as_at, self.threshold, self.desired, area=self.area
        )

    @cached_property
    def sha256(self) -> str:
        return sha256(self.extract.source)

    @cached_property
    def series(self) -> hr.HrMeasures:
        return hr.monthly_series(
            self.extract, self.months, self.threshold, shown_with=hr.headline_dates(self.as_at)
        )

    def flows(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        return hr.flows_by_month(self.extract, self.as_at, self.threshold)


DEMO_AREA = "Fictional demo council"


def hr_report(
    extract_path: str = "",
    as_at: str = "",
    threshold: int = disclosure.DEFAULT_THRESHOLD,
    desired_caseload: float = hr.DEFAULT_DESIRED_CASELOAD,
    months: int = hr.DEFAULT_SERIES_MONTHS,
) -> HrReport:
    """Read and validate an HR extract and assemble its report.

    With no extract, a fictional council's (:func:`workforce_lib.demo.demo_extract`) is
    written to the temporary folder and used, so the template runs anywhere.
    """
    area = None
    if not extract_path:
        path = Path(tempfile.gettempdir()) / f"workforce-demo-hr-extract-{os.getpid()}.csv"
        extract_path = str(write_extract(demo_extract(), path))
        area = DEMO_AREA
    extract = read_extract(extract_path)
    day = hr.resolve_as_at(extract, as_at or None)
    return HrReport(extract, day, int(threshold), float(desired_caseload), int(months), area)
