"""HTML pieces the report notebooks display: header, headline panel, tables with CSV
links, notes and definitions. Notebooks call these; they hold no logic of their own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from workforce_lib.constants import CENSUS_DAY, LICENCE, SOURCE_NAME, SOURCE_URL, SYMBOLS
from workforce_lib.csv_output import write_csv
from workforce_lib.measures import HEADLINE_MEASURES, MEASURES
from workforce_lib.published import symbols
from workforce_lib.published.comparison import AreaSummary, quartile_words
from workforce_lib.published.release import Release
from workforce_lib.reports import templating
from workforce_lib.reports.templating import render, slug  # noqa: F401  (slug: presentation.slug)


def header(title: str, release: Release, year: int, subtitle: str = "") -> HTML:
    """Title, data date, source and licence, generation time and the release's checksum."""
    return HTML(
        render(
            "header.html.j2",
            title=title,
            subtitle=subtitle,
            census_day=CENSUS_DAY,
            year=year,
            source_url=SOURCE_URL,
            source_name=SOURCE_NAME,
            file=release.source.name,
            sha=release.sha256[:16],
            licence=LICENCE,
            now=_now(),
        )
    )


def _now() -> str:
    return datetime.now(UTC).strftime("%d %B %Y %H:%M UTC")


def card_class(m, quartile: int | None) -> str:
    """A card's colour class: ``q1`` (best quarter) to ``q4`` (worst) for a measure with a
    better direction, ``count`` (no colour that grades size) for counts and neutral measures.

    >>> from workforce_lib.measures import MEASURES
    >>> card_class(MEASURES["turnover_rate_fte"], 4), card_class(MEASURES["inpost_fte"], 1)
    ('q4', 'count')
    """
    if m.kind == "count" or m.direction == "neutral" or not quartile:
        return "count"
    return f"q{quartile if m.direction == 'lower_is_better' else 5 - quartile}"


def headline_panel(summary: AreaSummary) -> HTML:
    """Cards for the headline measures: value, change in points, comparators, quartile.

    A count (people in post, starters, leavers) is a size, not a grade: its card has no
    quartile colour."""
    cards = []
    for name in HEADLINE_MEASURES:
        m, c = MEASURES[name], summary.measures[name]
        # the figure as comparison worked it out: "less than 0.5%" for `low` (value 0)
        shown = c.shown or symbols.shown(m, c.value, c.status)
        if c.value is None:
            cards.append(
                {
                    "label": m.label,
                    "value": shown,
                    "subs": [f"England: {m.format(c.england)}"] if c.england is not None else [],
                    "cls": "suppressed" if symbols.is_suppressed(c.status) else "count",
                }
            )
            continue
        # a size (or a measure with no better direction) gets no good/bad colour or quartile
        graded = c.graded and card_class(m, c.quartile) != "count"
        subs = [f"Change on {summary.year - 1}: {m.format_change(c.change)}"]
        if c.change_basis and "left out" in c.change_basis:
            subs.append(f"Change compares {c.change_basis}")
        if summary.kind == "council" and summary.region:
            subs.append(f"{summary.region}: {m.format(c.region)}")
        subs.append(f"England: {m.format(c.england)}")
        if summary.kind == "council":
            subs.append(
                f"Neighbours' median: {m.format(c.neighbours_median)} "
                f"({c.neighbours_with_data} of {c.neighbours_total} with data)"
            )
            if graded:
                subs.append(f"Quartile {c.quartile}: {quartile_words(m, c.quartile)}")
        if c.part_year:
            subs.append(c.part_year)
        cards.append(
            {
                "label": m.label,
                "value": shown,
                "subs": subs,
                "cls": card_class(m, c.quartile) if graded else "count",
            }
        )
    return HTML(render("panel.html.j2", cards=cards))


def paragraphs(sentences: list[str]) -> HTML:
    return HTML(render("paragraphs.html.j2", sentences=sentences))


def notes(items: list[str]) -> HTML:
    return HTML(render("notes.html.j2", items=items) if items else "")


def table(
    df: pd.DataFrame,
    name: str,
    tables_dir: str | Path | None = None,
    own: str | None = None,
    formats: dict | None = None,
    hide: list[str] | None = None,
) -> HTML:
    """A table as HTML (text left, numbers right, the row whose first cell is ``own``
    highlighted); also written as ``<tables_dir>/<name>.csv`` and linked, if given.
    ``formats`` maps a column to how its values are shown (a function of a value, or the
    shown cells in order); the CSV keeps the numbers, and the columns in ``hide``, which
    the page leaves out."""
    href = download = ""
    if tables_dir:
        folder = Path(tables_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{slug(name)}.csv"
        write_csv(templating.csv_frame(df), path)
        href, download = f"{folder.name}/{path.name}", path.name
    t = templating.table_context(df.drop(columns=hide or []), own=own, formats=formats)
    return HTML(render("table.html.j2", t=t, href=href, download=download))


def ranking(
    df: pd.DataFrame,
    name: str,
    tables_dir: str | Path | None = None,
    own: str | None = None,
    reason: str = "Not ranked because",
) -> HTML:
    """A ranking (:func:`workforce_lib.reports.report.ranked_table`: rank first, ``reason`` last) as
    a table: an unranked council's rank cell says why ("not ranked: low reliability (u)",
    "not ranked: no data", as the text's "n of m councils with data" counts them); the CSV
    keeps the rank empty, with the reason in its own column."""
    rank = df.columns[0]
    cells = [
        str(int(r)) if pd.notna(r) else f"not ranked: {why or 'no data'}"
        for r, why in zip(df[rank], df[reason])
    ]
    return table(df, name, tables_dir, own, formats={rank: cells}, hide=[reason])


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
    return HTML(
        render(
            "definitions.html.j2", measures=list(MEASURES.values()), symbols=list(SYMBOLS.items())
        )
    )


# ---------------------------------------------------------------- HR extract reports
def hr_header(title: str, source_name: str, sha256: str, as_at, extract_date, threshold: int):
    """Title, as-at and extract dates, the extract's name and checksum, disclosure rule."""
    return HTML(
        render(
            "hr_header.html.j2",
            title=title,
            subtitle="",
            as_at=f"{as_at:%d %B %Y}",
            file=source_name,
            extract_date=f"{extract_date:%d %B %Y}",
            sha=sha256[:16],
            threshold=threshold,
            now=_now(),
        )
    )


def hr_panel(measures: dict, year_before: str) -> HTML:
    """Cards for the headline measures from an HR summary: value, change on a year before,
    or ``c`` with the reason when suppressed."""
    cards = []
    for name in HEADLINE_MEASURES:
        m, c = MEASURES[name], measures[name]
        if c.value is None:
            cards.append(
                {"label": m.label, "value": c.status or "not available", "subs": [],
                 "cls": "suppressed"}
            )  # fmt: skip
            continue
        cards.append(
            {
                "label": m.label,
                "value": m.format(c.value),
                "subs": [f"Change on {year_before}: {m.format_change(c.change)}"],
                "cls": "",
            }
        )
    return HTML(render("panel.html.j2", cards=cards))


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
