"""HTML from Jinja2 templates (``workforce_lib/reports/templates/``), always autoescaped, and the
one way a table becomes HTML: text left, numbers right, the reader's own row marked,
a CSV of it a click away.

Examples
--------
>>> render("paragraphs.html.j2", sentences=["<b>1 & 2</b>"])
'<p>&lt;b&gt;1 &amp; 2&lt;/b&gt;</p>'
"""

from __future__ import annotations

import re
import urllib.parse
from functools import cache
from pathlib import Path

import jinja2
import pandas as pd

from workforce_lib.published.areas import slug  # noqa: F401  (templating.slug: report file names)

TEMPLATES_DIR = Path(__file__).parent / "templates"

#: A cell that reads as a number: optional sign or pound, digits with thousands
#: separators, decimals, and a unit after it ("12.3%", "£1.2m", "-0.4 points", "1,234").
_NUMBER = re.compile(r"[-+\u2212]?£?\d[\d,]*(\.\d+)?(%| ?points?| days?|m|k)?")
#: Cells a number column may hold instead of a number: DfE's symbols and the like.
_NOT_A_NUMBER = re.compile(
    r"(n/a|c|u|x|z|low|-|less than 0\.5%|suppressed.*|no figure.*|not .*|[a-z]: .*)",
    re.I,
)


@cache
def environment() -> jinja2.Environment:
    """The templates' environment: autoescape on for every template, undefined names fail."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, **context) -> str:
    """Render ``templates/<template>`` with ``context`` (every value escaped unless it is
    ``markupsafe.Markup``)."""
    return environment().get_template(template).render(**context).strip()


def is_number_column(cells: list[str]) -> bool:
    """Whether a column of shown cells is numbers (right-aligned): at least one number and
    nothing but numbers and symbols.

    >>> is_number_column(["12.3%", "c", "1,234"]), is_number_column(["North East", "12"])
    (True, False)
    >>> is_number_column(["2019", "2020"]), is_number_column(["n/a"])
    (True, False)
    """
    nums = [bool(_NUMBER.fullmatch(c.strip())) for c in cells]
    return any(nums) and all(
        n or not c.strip() or _NOT_A_NUMBER.fullmatch(c.strip()) for n, c in zip(nums, cells)
    )


def shown_cell(v, column: str = "") -> str:
    """A value as a table shows it: thousands separators, one decimal for fractions,
    whole numbers without decimals, ``n/a`` for missing; text as it is.

    >>> shown_cell(1234.5), shown_cell(12.0, "rank_in_region"), shown_cell(None), shown_cell("x")
    ('1,234.5', '12', 'n/a', 'x')
    >>> shown_cell(2025, "Year"), shown_cell(2025.0, "year")  # a year has no separator
    ('2025', '2025')
    """
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int | float) and str(column).lower() == "year" and float(v).is_integer():
        return str(int(v))
    if isinstance(v, int) or (isinstance(v, float) and float(v).is_integer() and _whole(column)):
        return f"{int(v):,}"
    if isinstance(v, float):
        return f"{v + 0.0 if round(v, 1) else 0.0:,.1f}"  # rounds to zero: "0.0", never "-0.0"
    if hasattr(v, "dtype") and pd.api.types.is_integer_dtype(v.dtype):
        return f"{int(v):,}"
    return str(v)


def signed(value: float | None, decimals: int = 1, suffix: str = "") -> str:
    """A change or difference as a reader sees it: rounded first, then signed, so one that
    rounds to zero is ``0.0`` with no sign (never ``-0.0`` or ``+0.0``).

    >>> signed(0.126, 2), signed(-0.004, 2), signed(-0.26), signed(0.0, 1, " points")
    ('+0.13', '0.00', '-0.3', '0.0 points')
    >>> signed(None)
    'n/a'
    """
    from workforce_lib.measures import round_half_up

    if value is None or pd.isna(value):
        return "n/a"
    r = round_half_up(float(value), decimals)
    return f"{'+' if r > 0 else ''}{r:,.{decimals}f}{suffix}"


def _whole(column: str) -> bool:
    """Columns that hold whole numbers however they are stored (ranks, counts of areas)."""
    return bool(re.search(r"rank|quartile|councils|count|year|with data|total", str(column), re.I))


def csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame a CSV holds: ranks, quartiles and other whole-number columns stored as
    floats (NaN for "no rank") become integers, blank where missing.

    >>> csv_frame(pd.DataFrame({"rank_in_region": [1.0, None], "v": [1.5, 2.0]})).dtypes.tolist()
    [Int64Dtype(), dtype('float64')]
    """
    out = df.copy()
    for i, col in enumerate(out.columns):
        s = out.iloc[:, i]
        if not _whole(col) or not pd.api.types.is_numeric_dtype(s.dtype):
            continue
        if pd.api.types.is_bool_dtype(s.dtype):
            continue
        present = s.dropna()
        if ((present % 1) == 0).all():
            out.isetitem(i, s.astype("Int64"))
    return out


def csv_text(df: pd.DataFrame) -> str:
    """A table as CSV text (see :func:`csv_frame`), with no formula cells (csv_output)."""
    from workforce_lib.csv_output import csv_text as safe_csv_text

    return safe_csv_text(csv_frame(df))


def csv_data_uri(df: pd.DataFrame) -> str:
    """A table as a ``data:`` link a browser downloads (reports open offline)."""
    return "data:text/csv;charset=utf-8," + urllib.parse.quote(csv_text(df))


def measure_formats(columns) -> dict:
    """A column named after a measure (its column name or label) is shown as that measure
    is everywhere: ``12.3%``, ``1,234.5``; text in it (a DfE symbol) stays as it is.

    >>> f = measure_formats(["Turnover rate", "Council"])
    >>> list(f), f["Turnover rate"](12.34), f["Turnover rate"]("low")
    (['Turnover rate'], '12.3%', 'low')
    """
    from workforce_lib.measures import MEASURES

    by_name = {**{m.label: m for m in MEASURES.values()}, **MEASURES}
    out = {}
    for c in columns:
        m = by_name.get(c) if isinstance(c, str) else None
        if m is not None:
            out[c] = lambda v, m=m: (
                v if isinstance(v, str) else m.format(None if v is None or pd.isna(v) else float(v))
            )
    return out


def table_context(df: pd.DataFrame, own: str | None = None, formats: dict | None = None) -> dict:
    """Headings, rows and which columns are numbers, ready for ``table.html.j2``.

    ``own`` marks the rows with a cell that is the reader's own area (its name may follow
    a rank); ``formats`` maps a column to a function that shows one of its values, or to
    its cells as shown, in order.

    >>> t = table_context(pd.DataFrame({"Rank": [1, 2], "Council": ["A", "B"]}), own="B")
    >>> [r["own"] for r in t["rows"]]
    [False, True]
    """
    formats = {**measure_formats(df.columns), **(formats or {})}
    columns = [str(c) for c in df.columns]

    def shown_column(c, values: list) -> list[str]:
        f = formats.get(c)
        if f is None:
            return [shown_cell(v, c) for v in values]
        if callable(f):
            return [f(v) for v in values]
        return [str(x) for x in f]  # the cells as shown, in order

    cols = [shown_column(c, df.iloc[:, j].tolist()) for j, c in enumerate(df.columns)]
    cells = [list(row) for row in zip(*cols)] if cols else []
    numeric = [is_number_column(col) for col in cols]
    rows = [{"cells": row, "own": own is not None and own in row} for row in cells]
    return {"columns": columns, "numeric": numeric, "rows": rows}
