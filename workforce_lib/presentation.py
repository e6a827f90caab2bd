"""HTML pieces the report notebooks display: header, headline panel, tables with CSV
links, notes and definitions. Notebooks call these; they hold no logic of their own."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from workforce_lib.comparison import AreaSummary, quartile_words
from workforce_lib.constants import CENSUS_DAY, LICENCE, SOURCE_NAME, SOURCE_URL, SYMBOLS
from workforce_lib.csv_output import write_csv
from workforce_lib.measures import HEADLINE_MEASURES, MEASURES
from workforce_lib.release import Release

CSS = """
<style>
body { font-family: system-ui, -apple-system, 'Segoe UI', Arial, sans-serif; }
.wf-header { border-bottom: 3px solid #0072B2; margin-bottom: 1em; }
.wf-header h1 { margin-bottom: .2em; }
.wf-meta { color: #444; font-size: .9em; }
.wf-panel { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr));
            gap: .6em; margin: 1em 0; }
.wf-card { border: 1px solid #ccc; border-left: 6px solid #0072B2; padding: .5em .7em;
           border-radius: 4px; background: #fafafa; }
.wf-card .label { font-size: .85em; color: #333; }
.wf-card .value { font-size: 1.6em; font-weight: 700; }
.wf-card .sub { font-size: .8em; color: #444; }
.wf-card.q1 { border-left-color: #0072B2; } .wf-card.q2 { border-left-color: #56B4E9; }
.wf-card.q3 { border-left-color: #E69F00; } .wf-card.q4 { border-left-color: #D55E00; }
.wf-card.suppressed .value { font-size: 1em; color: #D55E00; }
figure.chart { margin: 1em 0 1.5em 0; } figure.chart img { max-width: 100%; height: auto; }
figcaption { font-size: .85em; color: #333; }
table.data-table, table.wf-table { border-collapse: collapse; font-size: .85em; }
table.data-table td, table.data-table th, table.wf-table td, table.wf-table th {
  border: 1px solid #ddd; padding: 2px 6px; text-align: right; }
.wf-note { background: #fff8e5; border-left: 4px solid #E69F00; padding: .4em .8em; }
@media print { details { display: block; } details > summary { display: none; }
  .wf-card { break-inside: avoid; } figure.chart { break-inside: avoid; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .8em; } }
</style>
"""


def slug(name: str) -> str:
    """A file-name-safe slug: 'Kingston upon Hull, City of' -> 'kingston-upon-hull-city-of'."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def header(title: str, release: Release, year: int, subtitle: str = "") -> HTML:
    """Title, data date, source and licence, generation time and the release's checksum."""
    now = datetime.now(UTC).strftime("%d %B %Y %H:%M UTC")
    return HTML(
        CSS
        + f'<div class="wf-header"><h1>{html.escape(title)}</h1>'
        + (f"<p>{html.escape(subtitle)}</p>" if subtitle else "")
        + f'<p class="wf-meta">Figures as at {CENSUS_DAY} {year}. Source: '
        f'<a href="{SOURCE_URL}">{SOURCE_NAME}</a>, file {html.escape(release.source.name)} '
        f"(SHA-256 <code>{release.sha256[:16]}</code>). {LICENCE} Generated {now}.</p></div>"
    )


def headline_panel(summary: AreaSummary) -> HTML:
    """Cards for the headline measures: value, change in points, comparators, quartile."""
    cards = []
    for name in HEADLINE_MEASURES:
        m, c = MEASURES[name], summary.measures[name]
        if c.value is None:
            cards.append(
                f'<div class="wf-card suppressed"><div class="label">{m.label}</div>'
                f'<div class="value">suppressed ({html.escape(c.status or "not published")})'
                f"</div></div>"
            )
            continue
        subs = [f"Change on {summary.year - 1}: {m.format_change(c.change)}"]
        if summary.kind == "council" and summary.region:
            subs.append(f"{summary.region}: {m.format(c.region)}")
        subs.append(f"England: {m.format(c.england)}")
        if summary.kind == "council":
            subs.append(
                f"Neighbours' median: {m.format(c.neighbours_median)} "
                f"({c.neighbours_with_data} of {c.neighbours_total} with data)"
            )
            if c.quartile:
                subs.append(f"Quartile {c.quartile}: {quartile_words(m, c.quartile)}")
        q = f" q{c.quartile}" if c.quartile and m.direction != "neutral" else ""
        cards.append(
            f'<div class="wf-card{q}"><div class="label">{m.label}</div>'
            f'<div class="value">{m.format(c.value)}</div>'
            + "".join(f'<div class="sub">{html.escape(s)}</div>' for s in subs)
            + "</div>"
        )
    return HTML('<div class="wf-panel">' + "".join(cards) + "</div>")


def paragraphs(sentences: list[str]) -> HTML:
    return HTML("".join(f"<p>{html.escape(s)}</p>" for s in sentences))


def notes(items: list[str]) -> HTML:
    if not items:
        return HTML("")
    return HTML(
        '<div class="wf-note"><ul>'
        + "".join(f"<li>{html.escape(n)}</li>" for n in items)
        + "</ul></div>"
    )


def table(df: pd.DataFrame, name: str, tables_dir: str | Path | None = None) -> HTML:
    """A table as HTML; also written as ``<tables_dir>/<name>.csv`` and linked, if given."""
    link = ""
    if tables_dir:
        folder = Path(tables_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{slug(name)}.csv"
        write_csv(df, path)
        link = f'<p><a href="{folder.name}/{path.name}">Download this table (CSV)</a></p>'
    body = df.to_html(index=False, na_rep="n/a", border=0, classes="wf-table", escape=True)
    return HTML(body + link)


def headline_frame(summary: AreaSummary) -> pd.DataFrame:
    """The headline panel as a table (for CSV and the data appendix)."""
    rows = []
    for name in HEADLINE_MEASURES:
        m, c = MEASURES[name], summary.measures[name]
        rows.append(
            {
                "measure": name,
                "label": m.label,
                "value": c.value,
                "status": c.status,
                "previous": c.previous,
                "change": c.change,
                "region": c.region,
                "england": c.england,
                "neighbours_median": c.neighbours_median,
                "rank_in_region": c.rank_in_region,
                "rank_in_england": c.rank_in_england,
                "quartile": c.quartile,
            }
        )
    return pd.DataFrame(rows)


def definitions() -> HTML:
    """Definitions of every measure and every symbol (the appendix)."""
    rows = "".join(
        f"<tr><td>{m.label}</td><td><code>{m.name}</code></td><td>{html.escape(m.definition)}"
        f"</td></tr>"
        for m in MEASURES.values()
    )
    syms = "".join(f"<li><code>{s}</code>: {r}</li>" for s, r in SYMBOLS.items())
    return HTML(
        '<table class="wf-table"><tr><th>Measure</th><th>Column</th><th>Definition</th></tr>'
        + rows
        + "</table><p>Symbols DfE uses instead of a number:</p><ul>"
        + syms
        + "</ul><p>Rates for a region or group are recomputed from the sum of their councils' "
        "components, never averaged; a council whose components are not published is left out "
        "of both sides, as DfE does. Figures are rounded half up to one decimal place, as DfE "
        "rounds. Ranks: 1 is the best value (lowest turnover, agency, vacancy, caseload, "
        "absence); for counts, 1 is the largest. Quartile 1 is the lowest quarter of councils' "
        "values.</p>"
    )


# ---------------------------------------------------------------- HR extract reports
SUPPRESSED_NOTE = (
    "c = not shown to protect individuals: fewer than {t} people, a figure from which a "
    "suppressed one could be worked out, or a month whose change from the last month shown "
    "rests on fewer than {t} people."
)


def shown_frame(
    table: pd.DataFrame, status: pd.DataFrame, columns: dict[str, tuple[str, int]]
) -> pd.DataFrame:
    """What a reader may see of a disclosure-controlled table: numbers formatted, ``c``
    where suppressed, the reason where not available. Only these strings are rendered or
    written as CSV, never the table behind them.

    ``columns`` maps a column to (heading, decimals); the index becomes the first column.
    """
    out = pd.DataFrame({table.index.name or "": [str(i) for i in table.index]})
    for col, (label, decimals) in columns.items():
        cells = []
        for v, st in zip(table[col], status[col]):
            if st:
                cells.append("c" if str(st).startswith("c:") else str(st))
            elif pd.isna(v):
                cells.append("n/a")
            else:
                cells.append(f"{float(v):,.{decimals}f}")
        out[label] = cells
    return out


def hr_header(title: str, source_name: str, sha256: str, as_at, extract_date, threshold: int):
    """Title, as-at and extract dates, the extract's name and checksum, disclosure rule."""
    now = datetime.now(UTC).strftime("%d %B %Y %H:%M UTC")
    return HTML(
        CSS
        + f'<div class="wf-header"><h1>{html.escape(title)}</h1>'
        + f'<p class="wf-meta">Figures as at {as_at:%d %B %Y}, from the council\'s HR extract '
        f"{html.escape(source_name)} taken {extract_date:%d %B %Y} (SHA-256 "
        f"<code>{sha256[:16]}</code>). Measures follow DfE's children's social work workforce "
        f"definitions. Counts of fewer than {threshold} people are suppressed. "
        f"Generated {now}.</p></div>"
    )


def hr_panel(measures: dict, year_before: str) -> HTML:
    """Cards for the headline measures from an HR summary: value, change on a year before,
    or ``c`` with the reason when suppressed."""
    cards = []
    for name in HEADLINE_MEASURES:
        m, c = MEASURES[name], measures[name]
        if c.value is None:
            cards.append(
                f'<div class="wf-card suppressed"><div class="label">{m.label}</div>'
                f'<div class="value">{html.escape(c.status or "not available")}</div></div>'
            )
            continue
        sub = f"Change on {year_before}: {m.format_change(c.change)}"
        cards.append(
            f'<div class="wf-card"><div class="label">{m.label}</div>'
            f'<div class="value">{m.format(c.value)}</div>'
            f'<div class="sub">{html.escape(sub)}</div></div>'
        )
    return HTML('<div class="wf-panel">' + "".join(cards) + "</div>")


def hr_measures_frame(measures: dict) -> pd.DataFrame:
    """Every DfE measure from the extract, as shown (``c`` where suppressed)."""
    rows = []
    for name, c in measures.items():
        m = MEASURES[name]
        rows.append(
            {
                "Measure": m.label,
                "Value": m.format(c.value) if c.value is not None else _status_text(c.status),
                "A year before": m.format(c.previous)
                if c.previous is not None
                else _status_text(c.previous_status),
                "Change": m.format_change(c.change),
            }
        )
    return pd.DataFrame(rows)


def _status_text(status: str | None) -> str:
    """``c`` for a suppressed cell; ``n/a`` for one not available (the notes say why)."""
    if status and status.startswith("c:"):
        return "c"
    return "n/a"
