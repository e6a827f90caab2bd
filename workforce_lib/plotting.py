"""Charts for the reports: colour-blind-safe (Okabe-Ito), each with alt text and a data
table a reader can open ("view as table"). A chart is drawn once and embedded as PNG.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from workforce_lib.measures import MEASURES  # noqa: E402

#: Okabe-Ito, the colour-blind-safe palette.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#999999",
}
AREA, REGION, ENGLAND, BAND = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["black"],
    OKABE_ITO["sky"],
)
DPI = 110


def style() -> None:
    """One look for every chart (called before drawing; resets earlier state)."""
    matplotlib.rcdefaults()
    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.95)
    plt.rcParams.update(
        {
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "axes.titleweight": "bold",
            "figure.constrained_layout.use": True,
        }
    )


@dataclass
class Chart:
    """A drawn chart: PNG bytes, alt text and the data behind it."""

    png: bytes
    alt: str
    table: pd.DataFrame
    title: str

    def to_html(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        table = self.table.to_html(
            index=False, na_rep="suppressed / n/a", border=0, classes="data-table"
        )
        return (
            f'<figure class="chart"><img src="data:image/png;base64,{data}" '
            f'alt="{html.escape(self.alt, quote=True)}"/>'
            f"<figcaption>{html.escape(self.title)}</figcaption>"
            f"<details><summary>View as table</summary>{table}</details></figure>"
        )

    def _repr_html_(self) -> str:  # Jupyter shows the chart, alt text and table
        return self.to_html()


def _finish(fig, alt: str, table: pd.DataFrame, title: str) -> Chart:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")  # constrained layout fits it; no second "tight" draw
    plt.close(fig)
    return Chart(buf.getvalue(), alt, table, title)


def _fmt(measure: str, v) -> str:
    return MEASURES[measure].format(None if v is None or pd.isna(v) else float(v))


def trend_chart(series: pd.DataFrame, measure: str, area: str, region: str | None) -> Chart:
    """The area's line with region and England, the neighbours' range as a band;
    suppressed years marked with their reason; predecessor years drawn apart."""
    style()
    m = MEASURES[measure]
    fig, ax = plt.subplots(figsize=(7.2, 3.4))
    s = series
    if s["neighbours_min"].notna().any():
        ax.fill_between(
            s.year,
            s.neighbours_min.astype(float),
            s.neighbours_max.astype(float),
            color=BAND,
            alpha=0.25,
            label="Statistical neighbours (range)",
        )
    if region:
        ax.plot(s.year, s.region, color=REGION, ls="--", marker="s", ms=3, label=region)
    ax.plot(s.year, s.england, color=ENGLAND, ls=":", marker="^", ms=3, label="England")
    if s["predecessor_value"].notna().any():
        name = s.predecessor.dropna().iloc[0]
        ax.plot(
            s.year,
            s.predecessor_value,
            color=OKABE_ITO["grey"],
            ls="-.",
            marker="o",
            ms=3,
            label=f"Predecessor authority ({name})",
        )
        first_own = s.loc[s.value.notna() | s.status.ne("no row"), "year"].min()
        ax.axvline(first_own - 0.5, color=OKABE_ITO["grey"], lw=1)
        ax.annotate(
            "new authority",
            (first_own - 0.45, 0.97),
            xycoords=("data", "axes fraction"),
            fontsize=8,
            va="top",
            color="#555555",
        )
    ax.plot(s.year, s.value, color=AREA, lw=2.4, marker="o", ms=5, label=area)
    supp = s[s.value.isna() & s.status.notna() & s.status.ne("no row")]
    for _, r in supp.iterrows():
        ax.axvline(r.year, color=OKABE_ITO["vermillion"], lw=1, ls=(0, (2, 2)))
        ax.annotate(
            f"suppressed\n({r.status.split(':')[0]})",
            (r.year, 0.03),
            xycoords=("data", "axes fraction"),
            ha="center",
            fontsize=8,
            color=OKABE_ITO["vermillion"],
        )
    ax.set_xticks(s.year)
    ax.set_title(m.label)
    ax.set_ylabel(m.unit)
    ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    latest = s.dropna(subset=["value"]).tail(1)
    last = (
        f"{_fmt(measure, latest.value.iloc[0])} in {int(latest.year.iloc[0])}"
        if len(latest)
        else "no published value"
    )
    alt = (
        f"Line chart of {m.label.lower()} for {area}, {int(s.year.min())} to "
        f"{int(s.year.max())}, with {region + ', ' if region else ''}England and the "
        f"statistical neighbours' range; latest {last}."
    )
    if len(supp):
        alt += (
            " Suppressed years: "
            + ", ".join(f"{int(r.year)} ({r.status})" for _, r in supp.iterrows())
            + "."
        )
    table = pd.DataFrame(
        {
            "Year": s.year,
            area: [
                r.status if pd.isna(r.value) and r.status else _fmt(measure, r.value)
                for r in s.itertuples()
            ],
            **({region: [_fmt(measure, v) for v in s.region]} if region else {}),
            "England": [_fmt(measure, v) for v in s.england],
            "Neighbours (min-max)": [
                f"{_fmt(measure, a)} - {_fmt(measure, b)}" if pd.notna(a) else "n/a"
                for a, b in zip(s.neighbours_min, s.neighbours_max)
            ],
        }
    )
    return _finish(fig, alt, table, f"{m.label}: {area}")


def starters_leavers_chart(starters: pd.DataFrame, leavers: pd.DataFrame, area: str) -> Chart:
    """Starters and leavers (FTE) side by side each year."""
    style()
    years = starters.year.to_numpy()
    fig, ax = plt.subplots(figsize=(7.2, 3.0))
    w = 0.38
    ax.bar(
        years - w / 2,
        starters.value.astype(float),
        w,
        color=OKABE_ITO["green"],
        label="Starters (FTE)",
    )
    ax.bar(
        years + w / 2,
        leavers.value.astype(float),
        w,
        color=OKABE_ITO["vermillion"],
        label="Leavers (FTE)",
    )
    ax.set_xticks(years)
    ax.set_ylabel("FTE")
    ax.set_title("Starters and leavers")
    ax.legend(fontsize=8, frameon=False)
    net = starters.value.astype(float) - leavers.value.astype(float)
    table = pd.DataFrame(
        {
            "Year": years,
            "Starters (FTE)": [_fmt("starters_fte", v) for v in starters.value],
            "Leavers (FTE)": [_fmt("leavers_fte", v) for v in leavers.value],
            "Net": [_fmt("starters_fte", v) for v in net],
        }
    )
    alt = (
        f"Bar chart of starters and leavers (FTE) for {area} by year, "
        f"{int(years.min())} to {int(years.max())}."
    )
    return _finish(fig, alt, table, f"Starters and leavers: {area}")


def strip_chart(values: pd.DataFrame, measure: str, highlight: str | None, year: int) -> Chart:
    """Every council's value by region as dots; the highlighted council stands out."""
    style()
    m = MEASURES[measure]
    v = values.dropna(subset=["value"]).copy()
    order = sorted(v.region_name.unique())
    fig, ax = plt.subplots(figsize=(7.2, 3.6))
    # jitter from a seeded generator: the same picture every time, whatever ran before
    jitter = np.random.default_rng(0).uniform(-0.25, 0.25, len(v))
    ypos = np.array([order.index(r) for r in v.region_name]) + jitter
    ax.scatter(v.value, ypos, color=OKABE_ITO["grey"], s=16, alpha=0.7)
    ax.set_yticks(range(len(order)), order)
    ax.invert_yaxis()
    h = v[v.area_id == highlight]
    name = ""
    if len(h):
        name = h.area_name.iloc[0]
        ax.scatter(
            h.value,
            [order.index(r) for r in h.region_name],
            s=110,
            color=OKABE_ITO["orange"],
            edgecolor="black",
            zorder=5,
            label=name,
        )
        ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.set_xlabel(f"{m.label} ({m.unit})")
    ax.set_ylabel("")
    ax.set_title(f"{m.label}, every council, {year}")
    n_supp = int(values.value.isna().sum())
    alt = (
        f"Strip chart of {m.label.lower()} for {len(v)} councils in {year}, grouped by "
        f"region"
        + (f", with {name} highlighted at {_fmt(measure, h.value.iloc[0])}" if len(h) else "")
        + f"; {n_supp} councils without a published value."
    )
    table = values.sort_values("value")[["area_name", "region_name", "value", "status"]].rename(
        columns={
            "area_name": "Council",
            "region_name": "Region",
            "value": m.label,
            "status": "Status",
        }
    )
    return _finish(fig, alt, table, f"{m.label}: all councils, {year}")


def heatmap(table: pd.DataFrame, title: str, percentiles: pd.DataFrame) -> Chart:
    """Measures (rows) x councils (columns): colour is England percentile (0 = lowest),
    numbers are the values."""
    style()
    fig, ax = plt.subplots(
        figsize=(max(6.5, 0.62 * table.shape[1] + 2.5), 0.45 * table.shape[0] + 1.8)
    )
    sns.heatmap(
        percentiles.astype(float),
        annot=table.astype(object).where(table.notna(), "s"),
        fmt="",
        cmap="cividis",
        vmin=0,
        vmax=1,
        cbar_kws={"label": "England percentile"},
        linewidths=0.5,
        ax=ax,
        annot_kws={"fontsize": 7},
    )
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    plt.setp(ax.get_xticklabels(), rotation=40, ha="right")
    alt = (
        f"Heatmap of {table.shape[0]} measures for {table.shape[1]} councils; colour shows "
        f"each council's percentile among English councils, numbers the values; 's' marks "
        f"a suppressed value."
    )
    return _finish(fig, alt, table.reset_index(), title)


def small_multiples(frames: dict[str, pd.DataFrame], measure: str, title: str) -> Chart:
    """One small line chart per council (value by year) on a shared scale."""
    style()
    m = MEASURES[measure]
    n = len(frames)
    cols = 4
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(
        rows, cols, figsize=(7.4, 1.7 * rows + 0.6), sharex=True, sharey=True, squeeze=False
    )
    for ax, (name, s) in zip(axes.flat, frames.items()):
        ax.plot(s.year, s.england, color=ENGLAND, ls=":", lw=1)
        ax.plot(s.year, s.value, color=AREA, lw=1.8, marker="o", ms=2.5)
        ax.set_title(name if len(name) < 28 else name[:26] + "...", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.suptitle(title, fontweight="bold")
    table = pd.DataFrame({name: s.set_index("year").value for name, s in frames.items()})
    table = table.map(lambda v: _fmt(measure, v)).reset_index().rename(columns={"year": "Year"})
    alt = (
        f"Small multiple line charts of {m.label.lower()} by year for {n} councils, each "
        f"with England as a dotted line."
    )
    return _finish(fig, alt, table, title)


def bar_chart(
    data: pd.DataFrame, label: str, measure: str, title: str, highlight: str | None = None
) -> Chart:
    """Horizontal bars of one measure for a few areas (regions, groups)."""
    style()
    m = MEASURES[measure]
    d = data.sort_values("value")
    fig, ax = plt.subplots(figsize=(7.2, 0.32 * len(d) + 1.2))
    colours = [OKABE_ITO["orange"] if x == highlight else OKABE_ITO["blue"] for x in d[label]]
    ax.barh(d[label], d.value.astype(float), color=colours)
    for y, v in enumerate(d.value):
        ax.annotate(
            _fmt(measure, v),
            (float(v), y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_xlabel(f"{m.label} ({m.unit})")
    ax.set_title(title)
    alt = (
        f"Bar chart of {m.label.lower()} for {len(d)} areas: "
        + "; ".join(f"{a} {_fmt(measure, v)}" for a, v in zip(d[label], d.value))
        + "."
    )
    table = (
        d[[label, "value"]]
        .assign(value=[_fmt(measure, v) for v in d.value])
        .rename(columns={"value": m.label})
    )
    return _finish(fig, alt, table, title)


def distribution_chart(long: pd.DataFrame, measure: str) -> Chart:
    """Councils' values each year as box plots (median, quartiles, range)."""
    style()
    m = MEASURES[measure]
    d = long.dropna(subset=["value"])
    years = sorted(d.year.unique())
    fig, ax = plt.subplots(figsize=(7.2, 3.2))
    ax.boxplot(
        [d.loc[d.year == y, "value"].astype(float) for y in years],
        tick_labels=years,
        patch_artist=True,
        boxprops={"facecolor": BAND, "alpha": 0.6},
        medianprops={"color": ENGLAND},
    )
    ax.set_ylabel(m.unit)
    ax.set_title(f"{m.label}: councils' spread by year")
    q = d.groupby("year").value.describe()[["count", "min", "25%", "50%", "75%", "max"]]
    table = q.reset_index().rename(columns={"year": "Year", "count": "Councils", "50%": "median"})
    alt = (
        f"Box plots of {m.label.lower()} across councils for each year {years[0]} to "
        f"{years[-1]}; medians from {_fmt(measure, q['50%'].iloc[0])} to "
        f"{_fmt(measure, q['50%'].iloc[-1])}."
    )
    return _finish(fig, alt, table.round(1), f"{m.label}: distribution across councils")
