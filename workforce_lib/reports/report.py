"""What each report shows, assembled from the library (the notebooks only display it)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from workforce_lib.constants import ENGLAND_CODE, SYMBOLS
from workforce_lib.errors import WorkforceError
from workforce_lib.measures import HEADLINE_MEASURES, MEASURES, round_half_up
from workforce_lib.published import areas as areas_mod
from workforce_lib.published import comparison, ofsted, quality, symbols, trends
from workforce_lib.published.areas import Group
from workforce_lib.published.loading import sha256
from workforce_lib.published.release import Release, load_release
from workforce_lib.records import disclosure, hr
from workforce_lib.records.demo import demo_extract
from workforce_lib.records.extract import Extract, read_extract, write_extract
from workforce_lib.reports import narrative, templating

#: Measures drawn as time series in a council report (headline rates and in-post FTE).
TREND_MEASURES: tuple[str, ...] = HEADLINE_MEASURES[:6]
HEATMAP_MEASURES: tuple[str, ...] = HEADLINE_MEASURES[:5] + ("agency_cover_rate_fte",)
#: The England report's headline: in post, starters, leavers and the rates, with last year.
ENGLAND_HEADLINE: tuple[str, ...] = (
    "inpost_fte",
    "starters_fte",
    "leavers_fte",
    "turnover_rate_fte",
    "agency_rate_fte",
    "vacancy_rate_fte",
    "caseload_fte",
    "absence_rate_fte",
)


def symbol_notes() -> list[str]:
    """What each DfE symbol means, in the words every report uses (:data:`SYMBOLS`)."""
    return [f"{s}: {w}" for s, w in SYMBOLS.items() if s not in (":", ".")]


#: The column of a ranking that says why a council has no rank ("" when it has one).
NOT_RANKED = "Not ranked because"


def unranked_reason(m, status: str | None) -> str:
    """Why a council without a figure has no rank: the symbol's meaning, or "no data".

    >>> from workforce_lib.measures import MEASURES
    >>> unranked_reason(MEASURES["turnover_rate_fte"], "u: low reliability")
    'low reliability (u)'
    >>> unranked_reason(MEASURES["turnover_rate_fte"], "")
    'no data'
    """
    return symbols.shown(m, None, status) if symbols.symbol_of(status) else "no data"


def ranked_table(
    release: Release, year: int, area_ids: list[str], order_by: str, columns: list[str]
) -> pd.DataFrame:
    """Councils ranked by ``order_by`` (1 = best): only those with a full year's figure are
    ranked (``low`` counts as 0); the others come last, with no rank (an empty cell in
    CSV) and the reason in :data:`NOT_RANKED` (a report shows "not ranked: <reason>" in
    the rank column: :func:`workforce_lib.reports.presentation.ranking`)."""
    m = MEASURES[order_by]
    f = release.frame("council", year)
    f = f[f.area_id.isin(area_ids)].copy()
    st = release.status.loc[f.index]
    for c in columns:
        f[c] = f[c].mask(st[c].eq(symbols.ROUNDS_TO_ZERO), 0.0)
    partial = f.area_id.map(lambda a: order_by in comparison.part_year_measures(a, year))
    has = f[order_by].notna() & ~partial
    ranked = f[has].sort_values(order_by, ascending=m.direction == "lower_is_better")
    rank = ranked[order_by].rank(method="min", ascending=m.direction == "lower_is_better")
    out = pd.concat([ranked, f[~has]])
    out.insert(
        0,
        f"Rank ({m.label.lower()})",
        pd.array(list(rank.astype(int)) + [None] * int((~has).sum()), dtype="Int64"),
    )
    out[NOT_RANKED] = [
        ""
        if h
        else f"the {year} figure covers part of the year"
        if p
        else unranked_reason(m, st.at[i, order_by])
        for i, h, p in zip(out.index, has.reindex(out.index), partial.reindex(out.index))
    ]
    for c in columns:  # a symbol in words: "less than 0.5%" for `low`, else DfE's symbol
        sym = out.index.map(lambda i, c=c: symbols.symbol_of(st.at[i, c]) or "")
        sym = sym.where(sym != symbols.ROUNDS_TO_ZERO, symbols.less_than(MEASURES[c]))
        out[c] = out[c].astype(object).where(sym == "", sym)
    return (
        out[[out.columns[0], "area_name", *columns, NOT_RANKED]]
        .rename(columns={"area_name": "Council", **{c: MEASURES[c].label for c in columns}})
        .reset_index(drop=True)
    )


def shown_years_notes(release: Release, year: int) -> list[str]:
    """Notes every report for ``year`` carries: figures covering part of a year shown (to
    ``year``) left out of every comparison
    (:func:`workforce_lib.published.comparison.comparator_note`), and the change-words
    rule."""
    note = comparison.comparator_note(trends.years_to(release, year))
    return [*([note] if note else []), narrative.CHANGE_RULE]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


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
    _series: dict[str, pd.DataFrame] = field(init=False, default_factory=dict, repr=False)

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
        """The council's series for ``measure``, stopping at the report's year (worked out
        once a report: the first page, the sentences and the charts ask for the same
        measures; each caller gets its own copy)."""
        if measure not in self._series:
            self._series[measure] = trends.council_series(
                self.release, self.area_id, measure, self.neighbours, until=self.year
            )
        return self._series[measure].copy()

    def rank_table(self) -> pd.DataFrame:
        """Councils of the region for the headline rates, ranked by turnover; councils
        without a turnover figure are listed last, unranked, with the reason."""
        f = self.release.frame("council", self.year)
        ids = f.loc[f.region_name == self.region, "area_id"].tolist()
        return ranked_table(
            self.release, self.year, ids, "turnover_rate_fte", list(HEADLINE_MEASURES[:5])
        )

    def notes(self) -> list[str]:
        """The summary's notes, the council's own part years in the years shown, what is
        left out of comparisons (:func:`shown_years_notes`) and the change-words rule."""
        years = trends.years_to(self.release, self.year)
        own = comparison.part_year_notes([self.area_id], years)
        return _unique([*self.summary.notes, *own, *shown_years_notes(self.release, self.year)])

    def series_sentences(self) -> list[str]:
        """After the first page, what it does not say: each headline measure's series to
        the report's year, its ranks in the region and England, the neighbours' range."""
        return narrative.series_sentences(
            self.summary, {m: self.series(m) for m in HEADLINE_MEASURES}
        )

    def records(self) -> dict[str, str | None]:
        """For each first-page rate, "the lowest since 2019" etc. where true: the council's
        own published years to the report's year (no predecessor's, no part years)."""
        out = {}
        for _, rate, _ in narrative.FIRST_PAGE:
            s = self.series(rate)
            own = s[s.status.ne("no row") & s.note.fillna("").map(lambda n: "part of" not in n)]
            gaps = s[~s.index.isin(own.index) & s.status.ne("no row")]
            own = pd.concat([own, gaps.assign(value=None)]).sort_values("year")
            out[rate] = narrative.record(own, self.year, MEASURES[rate])
        return out

    def first_page(self) -> tuple[pd.DataFrame, list[str]]:
        """The first page a committee quotes: a table (one row a measure, counts flagged so
        they carry no good/bad grade) and its sentences."""
        recs = self.records()
        rows = []
        for topic, rate, counts in narrative.FIRST_PAGE:
            for name in (rate, *counts):
                m, c = MEASURES[name], self.summary.measures[name]
                rows.append(
                    {
                        "topic": topic,
                        "measure": name,
                        "label": m.label,
                        "is_count": m.kind == "count",
                        "value": c.value,
                        "shown": c.shown,
                        "previous": c.previous,
                        "change": c.change,
                        "region": c.region,
                        "england": c.england,
                        "neighbours_median": c.neighbours_median,
                        "record": recs.get(name),
                        "part_year": c.part_year,
                    }
                )
        return pd.DataFrame(rows), narrative.first_page_sentences(self.summary, recs)

    def neighbours_table(self) -> pd.DataFrame:
        """The council's own row (first, to compare against), then each statistical
        neighbour's headline rates in the report's year."""
        refs, _ = comparison.resolve_neighbours(
            self.release, self.area_id, self.year, self.neighbours
        )
        own = {"Neighbour": self.name, "Closeness": "", "Matched as": "(this council)"}
        for m in HEADLINE_MEASURES[:5]:
            own[MEASURES[m].label] = comparison.counted(
                self.release.cell(self.area_id, self.year, m)
            )
        rows = [own]
        for ref in refs:
            names = " + ".join(areas_mod.council_name(self.release, a) for a in ref.area_ids)
            row = {
                "Neighbour": names or f"LA {ref.la_code} (no {self.year} data)",
                "Closeness": ref.closeness,
                "Matched as": ref.how,
            }
            for m in HEADLINE_MEASURES[:5]:
                v = comparison.neighbour_counted(self.release, [ref], self.year, m)[0]
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

    _series: dict[str, pd.DataFrame] = field(init=False, default_factory=dict, repr=False)

    def series(self, measure: str) -> pd.DataFrame:
        """The group's series (recomputed, published, England), to the report's year
        (worked out once a report: its chart, notes and table ask for it; each caller gets
        its own copy)."""
        if measure not in self._series:
            self._series[measure] = trends.group_series(
                self.release, self.group, measure, until=self.year
            )
        return self._series[measure].copy()

    def trend_frame(self, measure: str) -> pd.DataFrame:
        return trends.group_trend_frame(
            self.release, self.group, measure, until=self.year, series=self.series(measure)
        )

    def member_series(self, measure: str) -> dict[str, pd.DataFrame]:
        """Each member's published series (``low`` as 0) with England's, to the report's year."""
        out = {}
        years = trends.years_to(self.release, self.year)
        for a in self.members:
            name = areas_mod.council_name(self.release, a)
            s = pd.DataFrame({"year": years})
            s["value"] = [comparison.counted(self.release.cell(a, y, measure)) for y in years]
            s["england"] = [
                comparison.counted(self.release.cell(ENGLAND_CODE, y, measure)) for y in years
            ]
            out[name] = s
        return out

    def lines_coincide(self, measure: str) -> bool:
        """True when the recomputed line lies on DfE's published one (or, for a named group,
        on its region's) to within one unit of the last published decimal in every year up
        to the report's: the chart shows one line where the legend names two."""
        g = self.series(measure)
        tol = 10.0 ** -MEASURES[measure].decimals
        if self.group.region or self.group.england:
            return trends.lines_coincide(g, "value", "published", tol)
        return self.summary.same_as_region or trends.lines_coincide(g, "value", "region", tol)

    def chart_notes(self, measure: str) -> list[str]:
        """Notes for a trend chart of ``measure``: lines drawn on top of each other."""
        if not self.lines_coincide(measure):
            return []
        other = (
            "DfE's published figures"
            if self.group.region or self.group.england
            else (f"the {self.summary.region} region's published figures")
        )
        return [
            f"{MEASURES[measure].label}: the recomputed {self.group.name} line is the same as "
            f"{other} in every year (to within rounding), so one line hides the other."
        ]

    def notes(self) -> list[str]:
        """The summary's notes, what is left out of comparisons and the change-words rule."""
        return _unique([*self.summary.notes, *shown_years_notes(self.release, self.year)])

    def heatmap_data(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Values and England percentiles, measures x councils."""
        values, pct = {}, {}
        for m in HEATMAP_MEASURES:
            allv = trends.council_values(self.release, self.year, m).set_index("area_id")
            ranks = allv.value[~allv.part_year].rank(pct=True)  # a part year: not compared
            for a in self.members:
                name = areas_mod.council_name(self.release, a)
                values.setdefault(name, {})[MEASURES[m].label] = allv.value.get(a)
                pct.setdefault(name, {})[MEASURES[m].label] = ranks.get(a)
        return pd.DataFrame(values), pd.DataFrame(pct)

    def heatmap_status(self) -> pd.DataFrame:
        """DfE's symbol for each cell of :meth:`heatmap_data` ("" where a figure is
        published), so a cell without a value says which symbol, and why."""
        status = {}
        for m in HEATMAP_MEASURES:
            allv = trends.council_values(self.release, self.year, m).set_index("area_id")
            for a in self.members:
                name = areas_mod.council_name(self.release, a)
                status.setdefault(name, {})[MEASURES[m].label] = allv.status.get(a, "")
        return pd.DataFrame(status).fillna("")

    def ranking(self) -> pd.DataFrame:
        """Member councils ranked by turnover; those without a figure unranked, with why."""
        cols = [*HEADLINE_MEASURES[:5], "agency_fte", "inpost_fte"]
        return ranked_table(self.release, self.year, self.members, "turnover_rate_fte", cols)

    def drivers(self, measure: str = "turnover_rate_fte") -> pd.DataFrame:
        """Each council's contribution to the change in the group's rate since last year.

        The group's rate is N/D. A council's contribution is how much the group's rate
        would change if only that council's components had changed (others held at last
        year's values); contributions add up to about the total change. Councils without
        both years' components, or whose figure for either year covers part of it, are
        left out (:meth:`drivers_notes` names them). The contribution is rounded to
        :data:`CONTRIBUTION_DECIMALS` and shown signed, zero without a sign.
        """
        m = MEASURES[measure]
        ok, _ = self._drivers_councils(measure)
        if not ok:
            return pd.DataFrame()
        r, prev_year = self.release, self.year - 1

        def comps(a, y):
            return {c: r.cell(a, y, c).value for c in m.components}

        cur = {a: comps(a, self.year) for a in ok}
        old = {a: comps(a, prev_year) for a in ok}
        base = {c: sum(old[a][c] for a in ok) for c in m.components}
        base_rate = m.compute(base, prev_year)
        heading = contribution_heading(m)
        rows = []
        for a in ok:
            shifted = {c: base[c] - old[a][c] + cur[a][c] for c in m.components}
            contribution = m.compute(shifted, self.year) - base_rate
            rows.append(
                {
                    "Council": areas_mod.council_name(r, a),
                    f"{m.label} {prev_year}": r.cell(a, prev_year, measure).value,
                    f"{m.label} {self.year}": r.cell(a, self.year, measure).value,
                    heading: contribution,
                }
            )
        out = pd.DataFrame(rows).sort_values(heading, key=abs, ascending=False, kind="stable")
        out[heading] = round_half_up(out[heading], CONTRIBUTION_DECIMALS)  # -0.001 -> 0.0
        return out.reset_index(drop=True)

    def drivers_formats(self, measure: str = "turnover_rate_fte") -> dict:
        """How :meth:`drivers`' contribution column is shown: signed, to
        :data:`CONTRIBUTION_DECIMALS`, zero without a sign (the CSV keeps the number)."""
        heading = contribution_heading(MEASURES[measure])
        return {heading: lambda v: templating.signed(v, CONTRIBUTION_DECIMALS)}

    def _drivers_councils(self, measure: str) -> tuple[list[str], list[str]]:
        """The members counted in :meth:`drivers` (area ids) and the others, with why."""
        m, r = MEASURES[measure], self.release
        prev_year = self.year - 1
        ok, left = [], []
        for a in self.members:
            name = areas_mod.council_name(r, a)
            if r.row(a, prev_year) is None:
                left.append(f"{name} (no {prev_year} figures)")
            elif any(comparison.is_part_year(a, y, measure) for y in (prev_year, self.year)):
                y = next(
                    y for y in (prev_year, self.year) if comparison.is_part_year(a, y, measure)
                )
                left.append(f"{name} (its {y} figure covers part of the year)")
            elif any(
                r.cell(a, y, c).value is None for y in (prev_year, self.year) for c in m.components
            ):
                left.append(f"{name} (a component not published in {prev_year} or {self.year})")
            else:
                ok.append(a)
        return ok, left

    def drivers_notes(self, measure: str = "turnover_rate_fte") -> list[str]:
        """What a contribution is, and which councils the table leaves out."""
        m = MEASURES[measure]
        ok, left = self._drivers_councils(measure)
        unit = "percentage points" if m.is_percent else "of the rate"
        notes = [
            f"A council's contribution is how far the {self.group.name} {m.label.lower()} "
            f"would have moved between {self.year - 1} and {self.year} if only that council's "
            f"figures had changed and every other council's had stayed at {self.year - 1}'s, "
            f"in {unit}: a positive contribution pushed the rate up, a negative one down. "
            f"The contributions add up to about the change in the rate of the {len(ok)} "
            "councils counted. Largest contributions, either way, first; one that rounds "
            "to zero is shown as 0.00."
        ]
        if left:
            notes.append("Not counted: " + "; ".join(left) + ".")
        return notes


#: Decimal places of a council's contribution to a group's change (they are small:
#: a twelfth of a 1-point change is 0.08).
CONTRIBUTION_DECIMALS = 2


def contribution_heading(m) -> str:
    """The contribution column's heading, e.g. "Contribution to the change (percentage
    points)"."""
    return f"Contribution to the change ({'percentage points' if m.is_percent else m.unit})"


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

    @cached_property
    def summary(self) -> comparison.AreaSummary:
        """England against last year: DfE's published England figures."""
        return comparison.compare_group(self.release, areas_mod.find_group("England"), self.year)

    def headline(self) -> pd.DataFrame:
        """The England headline: in post, starters, leavers and the rates, each with last
        year and the change (DfE's published England figures)."""
        rows = []
        for name in ENGLAND_HEADLINE:
            m, c = MEASURES[name], self.summary.measures[name]
            figure = c.published if c.published is not None else c.value
            rows.append(
                {
                    "measure": name,
                    "Measure": m.label,
                    "is_count": m.kind == "count",
                    str(self.year): figure,
                    str(self.year - 1): c.previous,
                    "Change": c.change,
                    "Shown": m.format(figure),
                    "Last year shown": m.format(c.previous),
                    "Change shown": m.format_change(c.change),
                }
            )
        return pd.DataFrame(rows)

    def headline_table(self) -> pd.DataFrame:
        """The England headline as a reader's table (figures formatted)."""
        h = self.headline()
        return pd.DataFrame(
            {
                "Measure": h.Measure,
                str(self.year): h.Shown,
                str(self.year - 1): h["Last year shown"],
                "Change": h["Change shown"],
            }
        )

    def sentences(self) -> list[str]:
        """The England headline in words."""
        return [narrative.measure_sentence(self.summary, n) for n in ENGLAND_HEADLINE]

    def trend(self, measure: str) -> pd.DataFrame:
        """England's published series to the report's year, in the shape
        :func:`workforce_lib.reports.plotting.trend_chart` draws (no region or neighbours)."""
        e = trends.published_series(self.release, ENGLAND_CODE, measure, until=self.year)
        return pd.DataFrame(
            {
                "year": e.year,
                "value": e.value,
                "status": e.status,
                "predecessor": None,
                "predecessor_value": float("nan"),
                "region": float("nan"),
                "england": float("nan"),  # the area's own line is England's
                "neighbours_min": float("nan"),
                "neighbours_median": float("nan"),
                "neighbours_max": float("nan"),
                "neighbours_with_data": 0,
                "note": None,
            }
        )

    def england_value(self, measure: str) -> float | None:
        """England's published figure for the report's year (a bar chart's reference line)."""
        return comparison.counted(self.release.cell(ENGLAND_CODE, self.year, measure))

    def title(self, measure: str) -> str:
        """A chart title in words: "Turnover rate by region, 2025"."""
        return f"{MEASURES[measure].label} by region, {self.year}"

    def notes(self) -> list[str]:
        """The summary's notes, what is left out of comparisons and the change-words rule."""
        return _unique([*self.summary.notes, *shown_years_notes(self.release, self.year)])

    def regions(self, measure: str) -> pd.DataFrame:
        a = self.release.areas
        rows = a[(a.year == self.year) & (a.level == "region") & a.area_id.str.startswith("E12")]
        return pd.DataFrame(
            {
                "Region": rows.area_name.to_numpy(),
                "value": [
                    comparison.counted(self.release.cell(i, self.year, measure))
                    for i in rows.area_id
                ],
            }
        )

    def distribution(self, measure: str) -> pd.DataFrame:
        """Every council's value in every year to the report's year (long), for a
        distribution chart; ``low`` counts as 0; a figure covering part of the year is left
        out (:func:`workforce_lib.published.trends.comparable_values`)."""
        f = pd.concat(
            [
                trends.comparable_values(self.release, y, measure).assign(year=y)
                for y in trends.years_to(self.release, self.year)
            ]
        )
        return f[["year", "area_name", "value"]].reset_index(drop=True)

    def movers(self, measure: str, n: int = 10) -> pd.DataFrame:
        """The councils whose ``measure`` changed most on last year (both years published
        and covering the whole year)."""
        r = self.release
        cur = r.frame("council", self.year).set_index("area_id")[["area_name", measure]]
        prev = r.frame("council", self.year - 1).set_index("area_id")[[measure]]
        prev = prev.rename(columns={measure: f"{measure}_prev"})
        j = cur.join(prev, how="inner").dropna()
        part = [
            a
            for a in j.index
            if comparison.is_part_year(a, self.year, measure)
            or comparison.is_part_year(a, self.year - 1, measure)
        ]
        j = j.drop(index=part)
        m = MEASURES[measure]
        change = f"Change ({'percentage points' if m.is_percent else m.unit})"
        j[change] = round_half_up(j[measure] - j[f"{measure}_prev"], m.decimals)  # no -0.0
        j = j.reindex(j[change].abs().sort_values(ascending=False).index).head(n)
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

    With no extract, a fictional council's (:func:`workforce_lib.records.demo.demo_extract`) is
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
