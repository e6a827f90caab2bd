"""Charts for the reports: colour-blind-safe (Okabe-Ito), each with alt text and a data
table a reader can open ("view as table"). A chart is drawn once and embedded as PNG.
"""

from __future__ import annotations

import base64
import copy
import io
import math
import pickle
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.backends.backend_agg import (  # noqa: E402
    FigureCanvasAgg,
    RendererAgg,
    get_hinting_flag,
)
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import fontManager, get_font  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402

try:
    from matplotlib.ft2font import RenderMode
except ImportError:  # older matplotlib: text is drawn by Agg's own code
    RenderMode = None
from matplotlib.ticker import AutoLocator  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402
from PIL import Image  # noqa: E402

from workforce_lib.measures import MEASURES  # noqa: E402
from workforce_lib.published import symbols  # noqa: E402
from workforce_lib.reports import templating  # noqa: E402

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
#: Text about missing figures: dark enough for 4.5:1 contrast on white (WCAG AA).
SUPPRESSED_TEXT = "#A33C00"


#: The settings :func:`style` leaves (matplotlib's rcParams as stored), once it has run.
_STYLED: dict | None = None


def style() -> None:
    """One look for every chart (called before drawing; resets earlier state).

    Where the settings are still as the last call left them, there is nothing to reset
    (a chart costs about 2 ms less: seaborn checks and sets every setting anew)."""
    global _STYLED
    if _STYLED is not None and dict.__eq__(plt.rcParams, _STYLED):
        return
    matplotlib.rcdefaults()
    sns.set_theme(style="whitegrid", context="notebook", font_scale=0.95)
    plt.rcParams.update(
        {
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "axes.titleweight": "bold",
            "figure.constrained_layout.use": True,
            # a council or group name is text, never maths: "$\frac{1}{$" must not break
            # a chart or turn into a formula
            "text.parse_math": False,
        }
    )
    _STYLED = copy.deepcopy(dict(dict.items(plt.rcParams)))


@dataclass(repr=False)
class Chart:
    """A drawn chart: PNG bytes, alt text and the data behind it (``own_row``: the first
    cell of the table's row to highlight, the report's own area)."""

    png: bytes
    alt: str
    table: pd.DataFrame
    title: str
    own_row: str | None = None

    def __repr__(self) -> str:
        # Jupyter sends this as the text/plain copy of every chart: keep it a line, not
        # the PNG's bytes and the table (over 1 MB a report)
        return f"<Chart {self.title!r}: PNG {len(self.png) // 1024} KB, {len(self.table)} rows>"

    def to_html(self) -> str:
        """The image with its alt text and caption, the table behind it ("view as table")
        and a link that downloads that table as CSV (embedded: reports open offline)."""
        table = _none_for_missing(self.table)
        return templating.render(
            "chart.html.j2",
            png=base64.b64encode(self.png).decode("ascii"),
            alt=self.alt,
            title=self.title,
            t=templating.table_context(table, own=self.own_row),
            csv_href=templating.csv_data_uri(self.table),
            csv_name=f"{templating.slug(self.title)}.csv",
        )

    def _repr_html_(self) -> str:  # Jupyter shows the chart, alt text and table
        return self.to_html()


def _none_for_missing(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` as objects, None where a value is missing: what
    ``table.astype(object).where(table.notna(), None)`` gives, cell for cell, in a tenth
    of the time (one array for the whole table, not a mask and a copy a column).

    Parameters
    ----------
    table
        Any table (numbers, text, nullable integers, booleans).

    Returns
    -------
    pd.DataFrame
        The same index and columns, every column of dtype object.

    Examples
    --------
    >>> t = pd.DataFrame({"Year": [2024, 2025], "Kent": ["12.3%", None], "x": [1.5, None]})
    >>> _none_for_missing(t).to_dict("list")
    {'Year': [2024, 2025], 'Kent': ['12.3%', None], 'x': [1.5, None]}
    """
    cells = table.to_numpy(dtype=object)
    cells[pd.isna(cells)] = None
    # dtype=object: left to infer, pandas makes a column of text a string column (None: NaN)
    return pd.DataFrame(cells, index=table.index, columns=table.columns, dtype=object)


class _Renderer(RendererAgg):
    """Matplotlib's Agg renderer, keeping what it works out about a text that does not
    depend on where the text goes: the glyphs a string is laid out in (their fonts and
    offsets; drawing them, which does depend on the place, is left to Agg) and a font's
    line height metrics (read from its tables for every text, at every layout). The same
    tick labels, titles and legend entries come back in every chart. A glyph's bitmap is
    kept too, for each place within a pixel (:meth:`_draw_glyphs`).

    Both use matplotlib internals (``FT2Font._layout``, the renderer's hook
    ``_get_font_height_metrics``): where they are missing, this is Agg's renderer as it
    is. ``tests/unit/test_plotting.py`` draws charts with both and compares their pixels.
    """

    _fast = hasattr(RendererAgg, "_draw_text_glyphs_and_boxes") and hasattr(FT2Font, "_layout")

    def __init__(self, width, height, dpi) -> None:
        super().__init__(width, height, dpi)
        self._layouts: dict[tuple, list] = {}
        self._heights: dict[tuple, tuple[float, float, float] | tuple[None, None, None]] = {}

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        if ismath or not self._fast or features is not None or language is not None:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        key = (s, prop.copy(), get_hinting_flag())
        items = self._layouts.get(key)
        if items is None:
            items = self._prepare_font(prop)._layout(s, flags=key[2])
            if len(self._layouts) >= 4096:
                self._layouts.clear()
            self._layouts[key] = items
        size = prop.get_size_in_points()
        if not _GLYPHS_KEPT:
            self._draw_text_glyphs_and_boxes(
                gc, x, y, angle,
                ((item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y) for item in items),
                [],
            )  # fmt: skip
            return
        self._draw_glyphs(gc, x, y, angle, items, size, key[2])

    def _draw_glyphs(self, gc, x, y, angle, items, size, flags) -> None:
        """Draw laid-out glyphs as ``RendererAgg._draw_text_glyphs_and_boxes`` draws them
        (no boxes), each glyph's bitmap rasterised once for each font, size, angle and
        place within a pixel (:data:`_GLYPHS`), then placed by whole pixels.

        FreeType renders a glyph moved by whole pixels as the same bitmap moved by as many
        pixels (only the 1/64 pixel place within a pixel changes it): a tick label or
        legend entry at the same place within a pixel in another chart is not rasterised
        again. ``tests/unit/test_plotting.py`` compares pixels with Agg's own drawing."""
        angle_rad = math.radians(angle)
        cos, sin = math.cos(angle_rad), math.sin(angle_rad)
        antialiased = gc.get_antialiased()
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        height = self.height
        matrix = None
        for item in items:
            font = item.ft_object
            dx, dy = item.x, item.y  # dy is upwards, as FreeType's y
            px = round(0x40 * (x + dx * cos - dy * sin))
            py = round(0x40 * (height - y + dx * sin + dy * cos))
            key = (font, size, self.dpi, item.glyph_index, angle, px & 63, py & 63, flags,
                   antialiased)  # fmt: skip
            glyph = _GLYPHS.get(key)
            if glyph is None:
                if matrix is None:
                    matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [px & 63, py & 63])
                bitmap = font._render_glyph(item.glyph_index, flags, mode)
                buffer = bitmap.buffer
                if not antialiased:
                    buffer *= 0xFF
                glyph = (buffer, bitmap.left, bitmap.top)
                if len(_GLYPHS) >= _GLYPHS_KEPT_MAX:
                    _GLYPHS.clear()
                _GLYPHS[key] = glyph
            buffer, left, top = glyph
            # draw_text_image's y is downwards and the bitmap's bottom side
            self._renderer.draw_text_image(
                buffer, left + (px >> 6), int(height) - (top + (py >> 6)) + buffer.shape[0], 0, gc
            )

    def _get_font_height_metrics(self, prop):
        """(ascent, descent, line gap) of ``prop``'s font at this dpi, as
        ``Text._get_layout`` works them out from the font's tables (None, None, None where
        it has neither table: ``Text`` then measures "lp")."""
        key = prop.copy()
        if key not in self._heights:
            font = get_font(fontManager._find_fonts_by_props(prop))
            out = (None, None, None)
            for name, gap, ascent, descent in (
                ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent"),
            ):
                table = font.get_sfnt_table(name)
                if table is None:
                    continue
                units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
                scale = 1 / units_per_em * prop.get_size_in_points() * self.dpi / 72
                out = (table[ascent] * scale, -table[descent] * scale, table[gap] * scale)
                break
            self._heights[key] = out
        return self._heights[key]


#: Rasterised glyphs (bitmap, left, top at a place within the first pixel) by font, size,
#: dpi, glyph, angle, the place's 1/64 pixels within a pixel, hinting and antialiasing
#: (:meth:`_Renderer._draw_glyphs`); about four in five glyphs drawn are found here.
_GLYPHS: dict[tuple, tuple[np.ndarray, int, int]] = {}
_GLYPHS_KEPT_MAX = 16384
#: Whether matplotlib has the internals :meth:`_Renderer._draw_glyphs` uses (else
#: :class:`_Renderer` draws text with Agg's own ``_draw_text_glyphs_and_boxes``).
_GLYPHS_KEPT = (
    _Renderer._fast
    and RenderMode is not None
    and hasattr(FT2Font, "_set_transform")
    and hasattr(FT2Font, "_render_glyph")
)

#: Agg renderers by pixel size (width, height, dpi), shared by the charts drawn on
#: :class:`_Canvas`: matplotlib keeps the sizes of the texts it has measured per renderer,
#: so a chart's tick labels, title and legend are measured once a run, not once a chart.
_RENDERERS: dict[tuple, RendererAgg] = {}
_RENDERERS_KEPT = 6


class _Canvas(FigureCanvasAgg):
    """An Agg canvas that draws with the renderer of its size shared by every chart (a
    chart is drawn and its pixels taken before the next is drawn, so one renderer does)."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        renderer = _RENDERERS.pop(key, None)
        if renderer is None:
            renderer = _Renderer(w, h, self.figure.dpi)
            if len(_RENDERERS) >= _RENDERERS_KEPT:
                _RENDERERS.pop(next(iter(_RENDERERS)))
        _RENDERERS[key] = renderer  # the most recently used last
        self.renderer, self._lastKey = renderer, key
        return renderer


def _subplots(*args, figsize: tuple[float, float], **kwargs):
    """``plt.subplots(*args, figsize=figsize, **kwargs)``, the figure drawn on a
    :class:`_Canvas` and outside pyplot (nothing to close)."""
    fig = Figure(figsize=figsize)
    _Canvas(fig)
    return fig, fig.subplots(*args, **kwargs)


#: Figures of one axes kept between charts of their size (trend charts, starters and
#: leavers): a chart clears what the one before it drew (:func:`_one_axes`).
_KEPT_AXES: dict[tuple[float, float], tuple[Figure, plt.Axes, object]] = {}


def _one_axes(figsize: tuple[float, float]) -> tuple[Figure, plt.Axes]:
    """A figure of ``figsize`` with one axes, as ``plt.subplots(figsize=figsize)`` makes
    it, drawn on a :class:`_Canvas`.

    The figure and its axes are made once a size and handed out again, cleared of every
    artist the last chart added (lines, bands, bars, notes, legend, title, footnote), its
    limits, data limits and place as when new: its ticks, tick labels and grid lines are
    kept and moved, which saves making about twenty ticks a chart. A chart drawn on it is
    the picture a new figure would give (``tests/unit/test_plotting.py`` compares)."""
    kept = _KEPT_AXES.get(figsize)
    if kept is None:
        fig = Figure(figsize=figsize)
        _Canvas(fig)
        ax = fig.add_subplot()
        _KEPT_AXES[figsize] = (fig, ax, ax.get_position().frozen())
        return fig, ax
    fig, ax, position = kept
    _clear_figure(fig)
    _clear_axes(ax)
    ax.set_position(position)
    ax.set_in_layout(True)
    fig.set_layout_engine("constrained")
    return fig, ax


def _clear_figure(fig: Figure) -> None:
    """Take off what a chart added to the figure itself (suptitle, footnote, legends)."""
    for artist in [*fig.texts, *fig.legends, *fig.lines, *fig.patches]:
        artist.remove()
    fig._supxlabel = fig._supylabel = fig._suptitle = None


def _clear_axes(ax: plt.Axes, limits: bool = True) -> None:
    """Take off what a chart drew on ``ax`` (artists, legend, title and labels, locators)
    and give it a new axes' data and view limits; its ticks and place are kept.

    Parameters
    ----------
    ax
        The axes to clear.
    limits
        Whether to set its view limits to a new axes' ``(0, 1)``, autoscaled. Setting them
        sets every axes sharing them too: a grid of shared axes sets them once
        (:func:`_grid`), not once an axes (which costs the square of their number)."""
    for artist in list(ax._children):
        artist.remove()
    if ax.legend_ is not None:
        ax.legend_.remove()
    ax.containers.clear()
    ax.set_prop_cycle(None)
    ax.set_title("")
    ax.set_xlabel("")
    ax.set_ylabel("")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(AutoLocator())
        axis.isDefault_majloc = True
    ax.dataLim.set_points(Bbox.null().get_points())
    ax.ignore_existing_data_limits = True
    if limits:
        ax.set_xlim(0, 1, auto=True)  # a new axes' limits, scaled to what is drawn next
        ax.set_ylim(0, 1, auto=True)


#: Grids of small multiples kept between charts, by rows and columns (a region report
#: draws two of the same grid; regions of about as many councils share one).
_KEPT_GRIDS: dict[tuple[int, int], tuple[Figure, np.ndarray]] = {}
_KEPT_GRIDS_SIZE = 4


def _grid(rows: int, cols: int) -> tuple[Figure, np.ndarray]:
    """A figure with a ``rows`` x ``cols`` grid of axes sharing both scales, as
    ``small_multiples`` makes it, made once and handed out again cleared (every axes
    visible again): the grid's axes and their ticks are kept (creating them was a third of
    a chart of London's 33 councils). The picture is the same as on a new grid
    (``tests/unit/test_plotting.py`` compares)."""
    kept = _KEPT_GRIDS.get((rows, cols))
    if kept is None:
        fig = Figure(figsize=(7.4, 1.7 * rows + 0.6), layout="none")
        _Canvas(fig)
        axes = fig.add_gridspec(rows, cols).subplots(sharex=True, sharey=True, squeeze=False)
        if len(_KEPT_GRIDS) >= _KEPT_GRIDS_SIZE:
            _KEPT_GRIDS.pop(next(iter(_KEPT_GRIDS)))
        _KEPT_GRIDS[(rows, cols)] = (fig, axes)
        return fig, axes
    fig, axes = kept
    _clear_figure(fig)
    # the axes share their locators: the one set last (the first axes') is the one each
    # works its ticks out with (their number follows its tick labels' size), as in a new grid
    for ax in list(axes.flat)[::-1]:
        _clear_axes(ax, limits=False)
        ax.set_visible(True)
    # every axes shares both limits: setting them on one sets them on all, as clearing
    # each in turn did (each time for every axes: 2 x 36 x 36 settings for a 9 x 4 grid)
    axes.flat[0].set_xlim(0, 1, auto=True)
    axes.flat[0].set_ylim(0, 1, auto=True)
    # the places of a new grid: its ticks (and so the margins measured) follow the size
    sides = ("left", "right", "bottom", "top", "wspace", "hspace")
    fig.subplots_adjust(**{k: plt.rcParams[f"figure.subplot.{k}"] for k in sides})
    return fig, axes


def png_bytes(fig) -> bytes:
    """The figure as a 256-colour PNG at :data:`DPI`: a chart has a few flat colours and
    their anti-aliased edges, which 256 hold without visible change, at about a third of
    the bytes of a full-colour PNG (and faster to write)."""
    canvas = fig.canvas
    canvas.draw()  # lays out (constrained) and draws once
    return _quantized(canvas)


def _quantized(canvas) -> bytes:
    image = Image.frombuffer(
        "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
    )
    buf = io.BytesIO()
    image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE).save(buf, format="png")
    return buf.getvalue()


def _finish(
    fig,
    alt: str,
    table: pd.DataFrame,
    title: str,
    own_row: str | None = None,
    png: bytes | None = None,
) -> Chart:
    """The chart of ``fig`` (drawn now, unless its PNG, ``png``, was taken already)."""
    if png is None:
        png = png_bytes(fig)
    plt.close(fig)
    return Chart(png, alt, table, title, own_row)


@contextmanager
def _ticks_once(axes) -> Iterator[None]:
    """While laying out and drawing a chart, work each axis's ticks out once for each place
    and view of its axes, not at every ask.

    Matplotlib works an axis's ticks out (locations, labels, which are shown) whenever it
    measures or draws the axis, its spines or a sibling sharing it: about 18 times for a
    trend chart's two axes, each the same as the last while the axes stay where they are
    and show the same limits. Inside the block, an axis of ``axes`` hands back the ticks
    it worked out last while its view limits and its axes' place on the figure are what
    they were then; otherwise it works them out again (moving the axes in a layout does).
    Nothing inside may change the axes' locators, formatters or tick settings: the block
    spans only the layout and the drawing.

    Parameters
    ----------
    axes
        The axes (one, or an array of them) whose ticks are kept.
    """
    axes_list = list(np.atleast_1d(np.asarray(axes, dtype=object)).flat)
    kept = [axis for ax in axes_list for axis in (ax.xaxis, ax.yaxis)]

    def once(axis):
        update = type(axis)._update_ticks.__get__(axis)
        last: list = [None, []]

        def update_ticks() -> list:
            key = (tuple(axis.get_view_interval()), axis.axes.bbox.bounds)
            if key != last[0]:
                last[:] = [key, update()]
            return list(last[1])

        return update_ticks

    for axis in kept:
        axis._update_ticks = once(axis)  # the instance's own, before the class's
    try:
        yield
    finally:
        for axis in kept:
            del axis._update_ticks


def _title(ax, text: str, **kwargs) -> None:
    """``ax.set_title`` at the top of the axes (``y=1``, ``axes.titlepad`` above it).

    Where matplotlib would place a title itself, it checks at every layout and draw that
    nothing above the axes is in its way: the tick labels of the x axis if they are at
    the top, and the y axis's offset text (``1e6``), for which it lays out every y tick.
    These charts have their x ticks at the bottom, and a short title centred over the
    axes, clear of the offset text at its left: the title goes where that check puts it,
    without it (a tenth of a chart's drawing)."""
    ax.set_title(text, y=1.0, **kwargs)


def _fmt(measure: str, v) -> str:
    return MEASURES[measure].format(None if v is None or pd.isna(v) else float(v))


def suppressed_runs(supp: pd.DataFrame) -> list[tuple[int, int, str]]:
    """Consecutive suppressed years with the same symbol, as (first, last, symbol).

    >>> suppressed_runs(pd.DataFrame({"year": [2019, 2023, 2024, 2025],
    ...                               "status": ["c", "u", "u", "u: low reliability"]}))
    [(2019, 2019, 'c'), (2023, 2025, 'u')]
    """
    runs: list[list] = []
    for year, status in zip(supp["year"].astype(int), supp["status"]):
        symbol = str(status).split(":")[0]
        if runs and runs[-1][1] == year - 1 and runs[-1][2] == symbol:
            runs[-1][1] = year
        else:
            runs.append([year, year, symbol])
    return [tuple(r) for r in runs]


def low_text(measure: str) -> str:
    """DfE's ``low`` in words (:func:`workforce_lib.published.symbols.less_than`): rounds to zero.

    >>> low_text("agency_rate_fte"), low_text("caseload_fte")
    ('less than 0.5%', 'less than 0.5')
    """
    return symbols.less_than(MEASURES[measure])


def is_low(status: pd.Series) -> pd.Series:
    """Which statuses are DfE's ``low`` (rounds to zero), whatever the value beside them
    (``trends`` hands it over as 0, a release cell as NaN).

    >>> is_low(pd.Series(["low", "low: rounds to zero", "c", None])).tolist()
    [True, True, False, False]
    """
    return status.map(symbols.rounds_to_zero).astype(bool)


def hidden_under(line: pd.Series, under: pd.Series, span: float) -> bool:
    """Whether ``line`` cannot be seen because it lies on ``under`` (within 1% of the
    axis span in every year both have; at least one such year). ``line`` and ``under`` are
    columns of one frame: compared row by row.

    >>> hidden_under(pd.Series([1.0, 2.0]), pd.Series([1.0, 2.01]), 10.0)
    True
    >>> hidden_under(pd.Series([1.0, 2.0]), pd.Series([1.0, 3.0]), 10.0)
    False
    """
    a, b = (
        pd.to_numeric(x, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        for x in (line, under)
    )
    has_a = ~np.isnan(a)
    both = has_a & ~np.isnan(b)
    if not both.any() or (has_a & ~both).any():
        return False
    return bool(np.abs(a[both] - b[both]).max() <= 0.01 * max(span, 1e-9))


def trend_chart(series: pd.DataFrame, measure: str, area: str, region: str | None) -> Chart:
    """The area's line with region and England, the neighbours' range as a band;
    suppressed years marked with their reason; predecessor years drawn apart.

    A count (people in post, starters, leavers) is drawn on the area's own scale: region
    and England are tens or thousands of times larger and would flatten it, so they are in
    the table, not the chart. A comparator's line that lies exactly under the area's is
    left out of the legend and the note under the chart says so.
    """
    style()
    m = MEASURES[measure]
    fig, ax = _one_axes((7.2, 3.4))
    # DfE's `low` rounds to zero: drawn at zero and labelled, not left as a gap
    low = is_low(series.status)
    s = series.assign(value=series.value.where(~low, 0.0))
    own_scale = m.kind == "count"
    notes = []
    values = pd.concat([pd.to_numeric(s[c], errors="coerce") for c in ("value", "region",
                        "england")])  # fmt: skip
    span = float(values.max() - values.min()) if values.notna().any() else 1.0
    if own_scale:
        notes.append(
            f"{m.label} is a count: drawn on {area}'s own scale. "
            + (f"{region}, " if region else "")
            + "England and the statistical neighbours are in the table."
        )
    elif s["neighbours_min"].notna().any():
        ax.fill_between(
            s.year,
            s.neighbours_min.astype(float),
            s.neighbours_max.astype(float),
            color=BAND,
            alpha=0.25,
            label="Statistical neighbours (range)",
        )
    if region and not own_scale and s.region.notna().any():
        hidden = hidden_under(s.region, s.value, span)
        ax.plot(s.year, s.region, color=REGION, ls="--", marker="s", ms=3,
                label="_" if hidden else region)  # fmt: skip
        if hidden:
            notes.append(f"{region} is the same as {area} (its line lies under {area}'s).")
    if not own_scale and s.england.notna().any():  # England's own report: no second line
        hidden = hidden_under(s.england, s.value, span)
        ax.plot(s.year, s.england, color=ENGLAND, ls=":", marker="^", ms=3,
                label="_" if hidden else "England")  # fmt: skip
        if hidden:
            notes.append(f"England is the same as {area} (its line lies under {area}'s).")
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
    for year in s.year[low]:
        ax.annotate(low_text(measure), (year, 0), xytext=(0, 7), textcoords="offset points",
                    ha="center", fontsize=8, color="#333333")  # fmt: skip
    supp = s[s.value.isna() & s.status.notna() & s.status.ne("no row")]
    for first, last, symbol in suppressed_runs(supp):
        # one label per run of consecutive years with the same symbol: no overlapping text
        for year in range(first, last + 1):
            ax.axvline(year, color=OKABE_ITO["vermillion"], lw=1, ls=(0, (2, 2)))
        span_text = f"{first}" if first == last else f"{first}-{last}"
        ax.annotate(
            f"no figure {span_text}\n({symbol})" if first != last else f"no figure\n({symbol})",
            ((first + last) / 2, 0.03),
            xycoords=("data", "axes fraction"),
            ha="center",
            fontsize=8,
            color=SUPPRESSED_TEXT,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
        )
    if len(supp):
        notes.append(
            "Dashed red lines: years with no published figure; "
            + "; ".join(
                f"{k} = {symbols.words(k)}"
                for k in dict.fromkeys(r[2] for r in suppressed_runs(supp))
            )  # fmt: skip
            + "."
        )
    ax.set_xticks(s.year)
    _title(ax, m.label)
    ax.set_ylabel(m.unit)
    ax.legend(fontsize=7.5, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    footer = None
    if notes:
        footer = fig.supxlabel("\n".join(notes), fontsize=7.5, color="#333333", ha="left",
                               x=0.01, wrap=True)  # fmt: skip
    with _ticks_once(ax):
        _fit_axes(fig, ax, footer)
        png = png_bytes(fig)
    shown = [low_text(measure) if is_low else _fmt(measure, v) for v, is_low in zip(s.value, low)]
    has_value = s.value.notna().to_numpy()
    if has_value.any():
        i = int(np.flatnonzero(has_value)[-1])
        last = f"{shown[i]} in {int(s.year.iloc[i])}"
    else:
        last = "no published value"
    compared = (
        "on its own scale (a count; comparators are in the table)"
        if own_scale
        else f"with {region + ', ' if region else ''}England and the statistical neighbours' range"
    )
    alt = (
        f"Line chart of {m.label.lower()} for {area}, {int(s.year.min())} to "
        f"{int(s.year.max())}, {compared}; latest {last}."
    )
    alt += "".join(f" {n}" for n in notes if "lies under" in n)
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
                status if pd.isna(value) and status else text
                for value, status, text in zip(s.value, s.status, shown)
            ],
            **({region: [_fmt(measure, v) for v in s.region]} if region else {}),
            "England": [_fmt(measure, v) for v in s.england],
            "Neighbours (min-max)": [
                f"{_fmt(measure, a)} - {_fmt(measure, b)}" if pd.notna(a) else "n/a"
                for a, b in zip(s.neighbours_min, s.neighbours_max)
            ],
        }
    )
    return _finish(fig, alt, table, f"{m.label}: {area}", own_row=area, png=png)


def starters_leavers_chart(starters: pd.DataFrame, leavers: pd.DataFrame, area: str) -> Chart:
    """Starters and leavers (FTE) side by side each year."""
    style()
    years = starters.year.to_numpy()
    fig, ax = _one_axes((7.2, 3.0))
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
    _title(ax, "Starters and leavers")
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
    with _ticks_once(ax):
        _fit_axes(fig, ax)
        png = png_bytes(fig)
    return _finish(fig, alt, table, f"Starters and leavers: {area}", png=png)


@dataclass
class _StripBase:
    """A strip chart drawn once without any council highlighted, and its pixels."""

    fig: Figure
    ax: plt.Axes
    order: list[str]
    background: object  # the Agg canvas's saved region: the whole figure


#: Strip charts already drawn, keyed by measure, year and the values themselves: every
#: council's report shows the same dots and differs only in the one it highlights.
_STRIP_BASES: dict[tuple, _StripBase] = {}
_STRIP_CACHE_SIZE = 8


def _strip_base(v: pd.DataFrame, m, year: int) -> _StripBase:
    key = (
        m.name,
        year,
        tuple(v.area_id.astype(str)),
        tuple(v.region_name.astype(str)),
        tuple(v.value.astype(float)),
    )
    if key in _STRIP_BASES:
        return _STRIP_BASES[key]
    style()
    order = sorted(v.region_name.unique())
    # a Figure outside pyplot: closing pyplot's figures between reports leaves it alone
    fig = Figure(figsize=(7.2, 3.6), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    # jitter from a seeded generator: the same picture every time, whatever ran before
    jitter = np.random.default_rng(0).uniform(-0.25, 0.25, len(v))
    ypos = np.array([order.index(r) for r in v.region_name]) + jitter
    ax.scatter(v.value, ypos, color=OKABE_ITO["grey"], s=16, alpha=0.7)
    ax.set_yticks(range(len(order)), order)
    ax.invert_yaxis()
    ax.set_xlabel(f"{m.label} ({m.unit}); each grey dot is a council")
    ax.set_ylabel("")
    ax.set_title(f"{m.label}, every council, {year}")
    fig.canvas.draw()  # lays out and draws once
    fig.set_layout_engine("none")  # the highlight goes inside the axes: layout stays
    ax.set_autoscale_on(False)
    base = _StripBase(fig, ax, order, fig.canvas.copy_from_bbox(fig.bbox))
    if len(_STRIP_BASES) >= _STRIP_CACHE_SIZE:
        _STRIP_BASES.pop(next(iter(_STRIP_BASES)))
    _STRIP_BASES[key] = base
    return base


def highlight_marks(base: _StripBase, h: pd.DataFrame) -> list:
    """The council's own dot, drawn at its value on its region's row, with its name beside
    it (no legend: a key inside the plot reads as one more council). Returns the artists,
    added to ``base.ax``; the caller draws and removes them."""
    if not len(h):
        return []
    style()
    x = float(h.value.iloc[0])
    y = base.order.index(h.region_name.iloc[0])
    dot = base.ax.scatter(
        [x], [y], s=110, color=OKABE_ITO["orange"], edgecolor="black", zorder=5, label="_"
    )
    lo, hi = base.ax.get_xlim()
    right = x > lo + 0.7 * (hi - lo)  # near the right edge the name goes to the left
    label = base.ax.annotate(
        h.area_name.iloc[0],
        (x, y),
        xytext=(-9 if right else 9, 0),
        textcoords="offset points",
        ha="right" if right else "left",
        va="center",
        fontsize=8.5,
        fontweight="bold",
        zorder=6,
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "black", "lw": 0.6},
        annotation_clip=False,
    )
    return [dot, label]


def _highlighted_png(base: _StripBase, h: pd.DataFrame) -> bytes:
    """The cached strip chart with ``h`` drawn over it, as PNG; the base is left as it was."""
    canvas = base.fig.canvas
    canvas.restore_region(base.background)
    extra = highlight_marks(base, h)
    for artist in extra:
        base.ax.draw_artist(artist)
    png = _quantized(canvas)
    for artist in extra:
        artist.remove()
    return png


#: The status a table gives a figure that covers part of the year (shown, not compared).
PART_YEAR_STATUS = "covers part of the year: not compared"


@dataclass(frozen=True)
class _StripParts:
    """What a strip chart shows that does not depend on the council it highlights."""

    values: pd.DataFrame  # `low` at zero
    drawn: pd.DataFrame  # the dots: no part year, no missing value
    shown: pd.Series  # each value as the table shows it
    n_supp: int
    parts: list[str]  # councils not drawn: their figure covers part of the year
    table: pd.DataFrame


#: :class:`_StripParts` by measure, year and the values themselves (pickled: the same
#: bytes, the same frame; equal values laid out otherwise in memory are worked out
#: again), as every council's report asks for the same few.
_STRIP_PARTS: dict[tuple, _StripParts] = {}


def _strip_parts(values: pd.DataFrame, measure: str, year: int) -> _StripParts:
    key = (measure, year, pickle.dumps(values, protocol=5))
    kept = _STRIP_PARTS.get(key)
    if kept is not None:
        return kept
    m = MEASURES[measure]
    low = is_low(values.status)
    values = values.assign(value=values.value.where(~low, 0.0))  # rounds to zero: at zero
    part = values.get("part_year", pd.Series(False, index=values.index)).fillna(False)
    part = part.astype(bool)
    v = values[~part].dropna(subset=["value"])  # a part year is listed, never drawn among them
    n_supp = int((values.value.isna() & ~part).sum())
    parts = values.area_name[part & values.value.notna()].tolist()
    shown = pd.Series(
        [low_text(measure) if is_low else _fmt(measure, x) for x, is_low in zip(values.value, low)],
        index=values.index,
    )
    order = values.value.where(~part).sort_values(na_position="last").index
    status = values.status.where(~part, PART_YEAR_STATUS)
    table = pd.DataFrame(
        {
            "Council": values.area_name[order],
            "Region": values.region_name[order],
            m.label: shown[order],
            "Status": status[order],
        }
    )
    kept = _StripParts(values, v, shown, n_supp, parts, table)
    if len(_STRIP_PARTS) >= _STRIP_CACHE_SIZE:
        _STRIP_PARTS.pop(next(iter(_STRIP_PARTS)))
    _STRIP_PARTS[key] = kept
    return kept


def strip_chart(values: pd.DataFrame, measure: str, highlight: str | None, year: int) -> Chart:
    """Every council's value by region as dots; the highlighted council stands out.

    The dots are drawn once per measure, year and set of values (a council report draws
    only its own highlight over them); the picture is the same however many came before.
    What does not depend on the highlighted council (the values as shown, the table) is
    worked out once per measure, year and values too (:func:`_strip_parts`); each chart
    has its own copy of the table.
    """
    m = MEASURES[measure]
    kept = _strip_parts(values, measure, year)
    values, v, shown, parts = kept.values, kept.drawn, kept.shown, kept.parts
    h = v[v.area_id == highlight]
    name = h.area_name.iloc[0] if len(h) else ""
    png = _highlighted_png(_strip_base(v, m, year), h)
    alt = (
        f"Strip chart of {m.label.lower()} for {len(v)} councils in {year}, grouped by "
        f"region"
        + (f", with {name} highlighted at {shown[h.index[0]]}" if len(h) else "")
        + f"; {kept.n_supp} councils without a published value"
        + (
            f"; not drawn: {', '.join(parts)} (figure covers part of the year, not compared)"
            if parts
            else ""
        )
        + "."
    )
    own = name or (values.area_name[values.area_id == highlight].iloc[0] if highlight in
                   set(values.area_id) else None)  # fmt: skip
    return Chart(
        png, alt, kept.table.copy(), f"{m.label}: all councils, {year}", own_row=own or None
    )


#: Worse (vermillion) to better (blue) than most councils, through white: Okabe-Ito ends,
#: readable by colour-blind readers; the words are on the colour bar.
GOOD_BAD = LinearSegmentedColormap.from_list(
    "worse_better", [OKABE_ITO["vermillion"], "#FFFFFF", OKABE_ITO["blue"]]
)


def _measure_by_label(label: str):
    return next((m for m in MEASURES.values() if m.label == label), None)


def goodness(percentiles: pd.DataFrame) -> pd.DataFrame:
    """England percentiles (rows: measure labels) turned so that 1 is better than every
    council and 0 worse, by each measure's direction; NaN for a measure with no better
    direction (a size is not graded).

    >>> p = pd.DataFrame({"A": [0.9, 0.9]}, index=["Turnover rate", "Social workers in post (FTE)"])
    >>> goodness(p)["A"].round(2).tolist()
    [0.1, nan]
    """
    out = percentiles.astype(float).copy()
    for label in out.index:
        m = _measure_by_label(str(label))
        if m is None or m.direction == "neutral":
            out.loc[label] = np.nan
        elif m.direction == "lower_is_better":
            out.loc[label] = 1 - out.loc[label]
    return out


def heatmap(
    table: pd.DataFrame,
    title: str,
    percentiles: pd.DataFrame,
    status: pd.DataFrame | None = None,
) -> Chart:
    """Measures (rows) x councils (columns): colour says better or worse than most English
    councils (by each measure's direction, in words on the colour bar); numbers are the
    values. A cell with no value shows why: DfE's symbol from ``status`` (same shape as
    ``table``), explained under the chart, or ``n/a``."""
    style()
    fig, ax = _subplots(
        figsize=(max(6.5, 0.62 * table.shape[1] + 2.5), 0.45 * table.shape[0] + 2.2)
    )
    marks = (
        status.reindex_like(table).map(lambda v: symbols.symbol_of(v) or "")
        if status is not None
        else pd.DataFrame("", index=table.index, columns=table.columns)
    )
    missing = marks.where(marks.ne(""), "n/a")
    # `low` rounds to zero: its cell says so rather than 0.0
    annot = table.astype(object).where(table.notna() & marks.ne("low"), missing)
    good = goodness(percentiles).reindex_like(table)
    sns.heatmap(
        good,
        annot=False,
        cmap=GOOD_BAD,
        vmin=0,
        vmax=1,
        cbar_kws={"label": "Compared with English councils", "ticks": [0.05, 0.5, 0.95]},
        linewidths=0.5,
        linecolor="#DDDDDD",
        ax=ax,
    )
    ax.grid(False)
    for i in range(table.shape[0]):  # every cell's text, also where the colour is blank
        for j in range(table.shape[1]):
            g = good.iat[i, j]
            dark = pd.notna(g) and abs(g - 0.5) > 0.3
            ax.text(j + 0.5, i + 0.5, str(annot.iat[i, j]), ha="center", va="center",
                    fontsize=7, color="white" if dark else "black")  # fmt: skip
    bar = ax.collections[0].colorbar
    bar.ax.set_yticklabels(["worse than most", "middle", "better than most"], fontsize=8)
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    plt.setp(ax.get_xticklabels(), rotation=40, ha="right")
    used = sorted(set(missing.where(table.isna() | marks.eq("low")).stack().dropna()))
    graded = pd.Series({r: _measure_by_label(str(r)) for r in table.index}).map(
        lambda m: m is not None and m.direction != "neutral"
    )
    ungraded = table.notna() & good.isna() & marks.ne("low")  # a value not compared
    if bool(ungraded[graded.reindex(table.index).fillna(False).to_numpy()].any().any()):
        key = [
            "White cells: no value, a size that is not graded better or worse, or a figure "
            "covering part of the year (not compared)."
        ]
    else:
        key = ["White cells: no value, or a size that is not graded better or worse."]
    if used:
        key.append("No value: " + "; ".join(f"{k} = {symbols.words(k)}" for k in used) + ".")
    fig.supxlabel(" ".join(key), fontsize=7.5, color="#333333")
    alt = (
        f"Heatmap of {table.shape[0]} measures for {table.shape[1]} councils; colour shows "
        "whether each council is better or worse than most English councils on that measure "
        "(blue better, vermillion worse, white the middle or not graded"
        + (", or a figure covering part of the year, not compared" if "part" in key[0] else "")
        + "), numbers the values"
        + (f"; cells without a value show why ({'; '.join(key[1:])})" if used else "")
        + "."
    )
    return _finish(fig, alt, annot.reset_index(), title)


def small_multiples(frames: dict[str, pd.DataFrame], measure: str, title: str) -> Chart:
    """One small line chart per council (value by year) on a shared scale.

    The grid is laid out by hand (:func:`_grid_layout`), not by constrained layout: its
    cells are alike, so a few text sizes place them all, where constrained layout measures
    every axes twice (about 2 s for London's 33 councils)."""
    style()
    m = MEASURES[measure]
    n = len(frames)
    cols = 4
    rows = int(np.ceil(n / cols))
    fig, axes = _grid(rows, cols)
    for ax, (name, s) in zip(axes.flat, frames.items()):
        ax.plot(s.year, s.england, color=ENGLAND, ls=":", lw=1)
        ax.plot(s.year, s.value, color=AREA, lw=1.8, marker="o", ms=2.5)
        _title(ax, name if len(name) < 28 else name[:26] + "...", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    suptitle = fig.suptitle(
        f"{title}\n(solid blue: the council; dotted black: England)", fontweight="bold"
    )
    with _ticks_once(axes):
        _grid_layout(fig, axes, suptitle)
        png = png_bytes(fig)
    table = pd.DataFrame({name: s.set_index("year").value for name, s in frames.items()})
    table = table.map(lambda v: _fmt(measure, v)).reset_index().rename(columns={"year": "Year"})
    alt = (
        f"Small multiple line charts of {m.label.lower()} by year for {n} councils, each "
        f"with England as a dotted line."
    )
    return _finish(fig, alt, table, title, png=png)


#: Constrained layout's space (points) around an axes' decorations, and between axes as
#: a share of an axes' size (``figure.constrained_layout.w_pad``, ``hspace``).
_PAD = 3.0
_SPACE = 0.02


def _yticks_shown(ax) -> list[str]:
    return [t.get_text() for t in ax.yaxis.get_majorticklabels()]  # (computes the ticks)


def _fit_axes(fig, ax, footer=None) -> None:
    """Lay out a figure of one axes (and a footnote, ``footer``: its supxlabel) as
    constrained layout does, and leave it so.

    Constrained layout measures everything around the axes (title, tick labels, legend,
    annotations) twice, in case the first resize changes the tick labels; here the second
    measure is taken only if it did (the labels are compared, which costs a fraction).
    """
    fig.set_layout_engine("none")
    renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    pad = _PAD * fig.dpi / 72
    floor = 0.0
    if footer is not None:  # at the bottom, a pad above the edge, as constrained layout puts it
        footer.set_y(pad / height)
        floor = footer.get_window_extent(renderer).height + 2 * pad
    for _ in range(2):
        pos = ax.get_position().transformed(fig.transFigure)
        tight = ax.get_tightbbox(renderer, for_layout_only=True)
        ticks = _yticks_shown(ax)
        left = pos.x0 - tight.x0 + pad
        right = tight.x1 - pos.x1 + pad
        top = tight.y1 - pos.y1 + pad
        bottom = pos.y0 - tight.y0 + pad + floor
        box = [left / width, bottom / height, 1 - (left + right) / width]
        ax.set_position([*box, 1 - (top + bottom) / height])
        if _yticks_shown(ax) == ticks:
            return


def _grid_layout(fig, axes: np.ndarray, suptitle) -> None:
    """Place a grid of alike axes (shared scales, tick labels on the outer ones only, a
    title over each) under ``suptitle`` as constrained layout would: margins from the
    widest tick label, room for a title between rows."""
    renderer = fig.canvas.get_renderer()
    px = fig.dpi / 72  # pixels a point
    width, height = fig.bbox.width, fig.bbox.height
    first, last = axes.flat[0], axes[-1, 0]

    def extent(texts, attr: str) -> float:
        boxes = [t.get_window_extent(renderer) for t in texts if t.get_visible() and t.get_text()]
        return max((getattr(b, attr) for b in boxes), default=0.0)

    lo, hi = sorted(first.get_ylim())
    labels = first.yaxis.get_majorticklabels()  # (computes the ticks)
    shown = [t for t, y in zip(labels, first.yaxis.get_majorticklocs()) if lo <= y <= hi]
    tick = max(first.yaxis.get_major_ticks()[0].get_tick_padding(), 0) * px
    left = extent(shown, "width") + tick
    left += (_PAD + plt.rcParams["ytick.major.pad"]) * px
    bottom = extent(last.get_xticklabels(), "height") + tick
    bottom += (_PAD + plt.rcParams["xtick.major.pad"]) * px
    title = extent([first.title], "height") + plt.rcParams["axes.titlepad"] * px
    suptitle.set_y(1 - _PAD * px / height)  # its top, a pad under the figure's edge
    top = extent([suptitle], "height") + 2 * _PAD * px + title
    right = _PAD * px
    rows, cols = axes.shape
    gap = title + 2 * _PAD * px  # a row's bottom to the next row's top, but the share
    cell_h = (height - top - bottom - (rows - 1) * gap) / (rows + (rows - 1) * _SPACE)
    cell_w = (width - left - right - (cols - 1) * 2 * _PAD * px) / cols
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
        hspace=gap / cell_h + _SPACE,
        wspace=2 * _PAD * px / cell_w,
    )


def bar_chart(
    data: pd.DataFrame,
    label: str,
    measure: str,
    title: str,
    highlight: str | None = None,
    reference: float | None = None,
    reference_label: str = "England",
) -> Chart:
    """Horizontal bars of one measure for a few areas (regions, groups); ``reference``
    (England's figure, say) drawn as a labelled line across them."""
    style()
    m = MEASURES[measure]
    d = data.sort_values("value")
    fig, ax = _subplots(figsize=(7.2, 0.32 * len(d) + 1.2))
    colours = [OKABE_ITO["orange"] if x == highlight else OKABE_ITO["blue"] for x in d[label]]
    ax.barh(d[label], d.value.astype(float), color=colours)
    if reference is not None and pd.notna(reference):
        ax.axvline(float(reference), color=ENGLAND, ls="--", lw=1.2)
        ax.annotate(
            f"{reference_label} {_fmt(measure, reference)}",
            (float(reference), 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    labels = [
        ax.annotate(
            _fmt(measure, v),
            (float(v), y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
        for y, v in enumerate(d.value)
        if pd.notna(v)
    ]
    ax.set_xlabel(f"{m.label} ({m.unit})")
    ax.set_title(title, pad=16 if reference is not None else 6)  # room for the line's label
    if reference is not None and pd.notna(reference):
        _clear_of_line(fig, ax, labels, float(reference))
    alt = (
        f"Bar chart of {m.label.lower()} for {len(d)} areas: "
        + "; ".join(f"{a} {_fmt(measure, v)}" for a, v in zip(d[label], d.value))
        + "."
        + (
            f" Dashed line: {reference_label} {_fmt(measure, reference)}."
            if reference is not None and pd.notna(reference)
            else ""
        )
    )
    table = (
        d[[label, "value"]]
        .assign(value=[_fmt(measure, v) for v in d.value])
        .rename(columns={"value": m.label})
    )
    return _finish(fig, alt, table, title, own_row=highlight)


#: Gap in points between a bar's value label and the reference line it would touch.
LABEL_GAP = 3


def _clear_of_line(fig, ax, labels: list, x: float) -> None:
    """Move each bar's value label that would touch the vertical line at ``x`` to just
    past it (``LABEL_GAP`` points right of the line), widening the axes to keep every
    label inside them; labels clear of the line stay at their bar's end."""
    renderer = fig.canvas.get_renderer()
    pad = LABEL_GAP * fig.dpi / 72
    for _ in range(3):  # widening the axes moves the line: check again
        moved = False
        line_px = ax.transData.transform((x, 0))[0]
        for label in labels:
            box = label.get_window_extent(renderer)
            if box.x0 - pad < line_px < box.x1 + pad:
                label.xy = (x, label.xy[1])
                label.set_position((LABEL_GAP, 0))
                moved = True
        right = max(lab.get_window_extent(renderer).x1 for lab in labels) if labels else 0
        lo, hi = ax.get_xlim()
        edge = ax.transData.transform((hi, 0))[0]
        if right + pad > edge:  # a label past the axes: make room and check again
            to_data = ax.transData.inverted()
            ax.set_xlim(lo, to_data.transform((right + 2 * pad, 0))[0] + 0.02 * (hi - lo))
            moved = True
        if not moved:
            return


def distribution_chart(long: pd.DataFrame, measure: str) -> Chart:
    """Councils' values each year as box plots (median, quartiles, range)."""
    style()
    m = MEASURES[measure]
    d = long.dropna(subset=["value"])
    years = sorted(d.year.unique())
    fig, ax = _subplots(figsize=(7.2, 3.2))
    ax.boxplot(
        [d.loc[d.year == y, "value"].astype(float) for y in years],
        tick_labels=years,
        patch_artist=True,
        boxprops={"facecolor": BAND, "alpha": 0.6},
        medianprops={"color": ENGLAND},
    )
    ax.set_ylabel(m.unit)
    ax.set_title(f"{m.label}: councils' spread by year")
    fig.supxlabel(
        "Box: the middle half of councils; line in the box: the median; whiskers: the rest "
        "within 1.5 box-lengths; circles: councils beyond that.",
        fontsize=7.5,
        color="#333333",
    )
    q = d.groupby("year").value.describe()[["count", "min", "25%", "50%", "75%", "max"]]
    table = q.reset_index().rename(columns={"year": "Year", "count": "Councils", "50%": "median"})
    alt = (
        f"Box plots of {m.label.lower()} across councils for each year {years[0]} to "
        f"{years[-1]}; medians from {_fmt(measure, q['50%'].iloc[0])} to "
        f"{_fmt(measure, q['50%'].iloc[-1])}."
    )
    return _finish(fig, alt, table.round(1), f"{m.label}: distribution across councils")


# ---------------------------------------------------------------- HR extract charts
SUPPRESSED_MARK = "c"


def _shown_text(value, status: str, fmt) -> str:
    """A cell as a reader sees it: the number, or ``c`` / the reason it is not shown."""
    if status:
        return SUPPRESSED_MARK if status.startswith(f"{SUPPRESSED_MARK}:") else status
    return fmt(value)


def monthly_chart(
    values: pd.DataFrame, status: pd.DataFrame, measures: tuple[str, ...], title: str
) -> Chart:
    """Rolling 12-month measures by month end; suppressed months left as gaps and marked."""
    style()
    fig, ax = _subplots(figsize=(7.2, 3.2))
    colours = [AREA, REGION, OKABE_ITO["green"], OKABE_ITO["purple"]]
    months = values.index
    for name, colour in zip(measures, colours):
        ax.plot(months, values[name].astype(float), color=colour, lw=2, marker="o", ms=3,
                label=MEASURES[name].label)  # fmt: skip
    hidden = status[list(measures)].apply(lambda c: c.str.startswith(f"{SUPPRESSED_MARK}:"))
    for i, month in enumerate(months[hidden.any(axis=1).to_numpy()]):
        ax.axvline(month, color=OKABE_ITO["vermillion"], lw=0.8, ls=(0, (2, 2)), alpha=0.6,
                   label="Month not shown (c: suppressed to protect confidentiality)"
                   if i == 0 else None)  # fmt: skip
    unit = MEASURES[measures[0]].unit
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.autofmt_xdate()
    if hidden.any(axis=None):
        fig.supxlabel(
            "Dashed red lines: months not shown (c), to protect individuals; see the table.",
            fontsize=7.5,
            color="#333333",
        )
    table = pd.DataFrame({"Month end": [f"{m:%b %Y}" for m in months]})
    for name in measures:
        m = MEASURES[name]
        table[m.label] = [_shown_text(v, st, m.format) for v, st in zip(values[name], status[name])]
    last = table.iloc[-1]
    alt = (
        f"Line chart of {', '.join(MEASURES[n].label.lower() for n in measures)} over the 12 "
        f"months to each month end, {table['Month end'].iloc[0]} to {last['Month end']}; "
        + "; ".join(f"{MEASURES[n].label} {last[MEASURES[n].label]}" for n in measures)
        + f" at {last['Month end']}."
        + (
            f" {int(hidden.any(axis=1).sum())} months suppressed (too few people behind a "
            "figure or its change from the last month shown) are left as gaps."
            if hidden.any(axis=None)
            else ""
        )
    )
    return _finish(fig, alt, table, title)


def flows_chart(table: pd.DataFrame, status: pd.DataFrame, title: str) -> Chart:
    """Starters and leavers (people) by month; a suppressed month shows ``c``, no bar."""
    style()
    fig, ax = _subplots(figsize=(7.2, 3.0))
    x = np.arange(len(table))
    w = 0.38
    for offset, col, colour in (
        (-w / 2, "starters", OKABE_ITO["green"]),
        (w / 2, "leavers", OKABE_ITO["vermillion"]),
    ):
        ax.bar(x + offset, table[col].fillna(0).astype(float), w, color=colour,
               label=col.capitalize())  # fmt: skip
        for i in np.flatnonzero(table[col].isna().to_numpy()):
            ax.annotate(SUPPRESSED_MARK, (x[i] + offset, 0), ha="center", va="bottom",
                        fontsize=8, color="#555555")  # fmt: skip
    ax.set_xticks(x, [pd.Period(p).strftime("%b %y") for p in table.index], fontsize=8)
    ax.set_ylabel("people")
    ax.set_title(title)
    ax.legend(fontsize=8, frameon=False)
    shown = pd.DataFrame(
        {
            "Month": list(table.index),
            "Starters": [_shown_text(v, s, lambda v: f"{v:.0f}")
                         for v, s in zip(table.starters, status.starters)],
            "Leavers": [_shown_text(v, s, lambda v: f"{v:.0f}")
                        for v, s in zip(table.leavers, status.leavers)],
        }
    )  # fmt: skip
    alt = (
        f"Bar chart of permanent starters and leavers (people) in each month from "
        f"{shown.Month.iloc[0]} to {shown.Month.iloc[-1]}; months marked c have fewer "
        "people than the disclosure threshold and are not shown."
    )
    return _finish(fig, alt, shown, title)


def band_chart(
    table: pd.DataFrame, status: pd.DataFrame, column: str, title: str, xlabel: str
) -> Chart:
    """Horizontal bars of a banded count (length of service, caseload); ``c`` where
    suppressed."""
    style()
    fig, ax = _subplots(figsize=(7.2, 0.42 * len(table) + 1.2))
    labels = [str(i) for i in table.index]
    vals = table[column].astype(float)
    ax.barh(labels, vals.fillna(0), color=AREA)
    for y, (v, st) in enumerate(zip(vals, status[column])):
        text = _shown_text(v, st, lambda v: f"{v:.0f}")
        ax.annotate(text, (0 if pd.isna(v) else v, y), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8)  # fmt: skip
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    shown = pd.DataFrame(
        {
            table.index.name or "band": labels,
            xlabel: [_shown_text(v, s, lambda v: f"{v:.0f}") for v, s in zip(vals, status[column])],
        }
    )
    alt = (
        f"Bar chart: {title.lower()}; "
        + "; ".join(f"{a} {b}" for a, b in zip(shown.iloc[:, 0], shown.iloc[:, 1]))
        + ". c marks a count suppressed to protect individuals."
    )
    return _finish(fig, alt, shown, title)


# ---------------------------------------------------------------- scenario charts
SCENARIO_COLOURS = {
    "baseline": OKABE_ITO["black"],
    "agency_rate_cap": OKABE_ITO["orange"],
    "convert_agency": OKABE_ITO["sky"],
    "cut_turnover": OKABE_ITO["green"],
    "asye_intake": OKABE_ITO["purple"],
    "combined": OKABE_ITO["blue"],
}


def fan_chart(result, series: str, label: str, scenarios=("baseline", "combined")) -> Chart:
    """History, then each scenario's projection with its range as a shaded band."""
    from workforce_lib.published.scenario import scenario_name

    style()
    fig, ax = _subplots(figsize=(7.2, 3.4))
    hist = result.history[series].dropna()
    ax.plot(hist.index, hist.to_numpy(float), color="#555555", lw=2, marker="o", ms=3,
            label="Published")  # fmt: skip
    years = result.years
    rows = []
    for name in scenarios:
        p = getattr(result.projections[name], series)
        band = result.ranges[name][series]
        colour = SCENARIO_COLOURS.get(name, AREA)
        ax.fill_between(years, band["low"], band["high"], color=colour, alpha=0.15)
        ax.plot(years, p, color=colour, lw=2, ls="--", label=scenario_name(name))
        rows += [
            {"Scenario": scenario_name(name), "Year": y, label: f"{v:,.1f}",
             "Range": f"{lo:,.1f} to {hi:,.1f}"}
            for y, v, lo, hi in zip(years, p, band["low"], band["high"])
        ]  # fmt: skip
    ax.axvline(years[0], color=OKABE_ITO["grey"], lw=1)
    fig.supxlabel(
        f"Grey line: the projection starts ({years[0]}). Shaded: each scenario's range under "
        "its assumptions' low and high values.",
        fontsize=7.5,
        color="#333333",
    )
    ax.set_ylabel("FTE")
    title = f"{label}: published and projected"
    ax.set_title(title)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    end = {n: getattr(result.projections[n], series)[-1] for n in scenarios}
    alt = (
        f"Line chart of {label.lower()} for {result.area}: published {int(hist.index.min())}"
        f"-{int(hist.index.max())}, then projected to {years[-1]} with shaded ranges; in "
        f"{years[-1]}: " + "; ".join(f"{scenario_name(n)} {v:,.0f}" for n, v in end.items()) + "."
    )
    return _finish(fig, alt, pd.DataFrame(rows), title)


def cost_chart(result) -> Chart:
    """Permanent and agency cost over the projected years, stacked, for each scenario."""
    from workforce_lib.published.scenario import millions, scenario_name

    style()
    names = list(result.projections)
    perm = [sum(result.projections[n].cost_permanent[1:]) / 1e6 for n in names]
    agency = [sum(result.projections[n].cost_agency[1:]) / 1e6 for n in names]
    fig, ax = _subplots(figsize=(7.2, 3.2))
    labels = [scenario_name(n) for n in names]
    ax.barh(labels, perm, color=OKABE_ITO["blue"], label="Permanent staff")
    ax.barh(labels, agency, left=perm, color=OKABE_ITO["vermillion"], label="Agency staff")
    for y, (p, g) in enumerate(zip(perm, agency)):
        ax.annotate(f"£{millions(1e6 * (p + g))}m ({100 * g / (p + g):.0f}% agency)", (p + g, y),
                    xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)  # fmt: skip
    ax.invert_yaxis()
    first, last = result.years[1], result.years[-1]
    ax.set_xlabel(f"£ million, {first}-{last}")
    ax.set_xlim(0, max(p + g for p, g in zip(perm, agency)) * 1.6)
    title = f"Cost of the workforce, {first}-{last}, by scenario"
    ax.set_title(title, loc="right")  # centred, the long scenario names push it off the page
    # under the chart: beside it, the long scenario names leave it on the bars' labels
    ax.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=2)
    table = pd.DataFrame(
        {"Scenario": labels, "Permanent (£m)": [millions(1e6 * v) for v in perm],
         "Agency (£m)": [millions(1e6 * v) for v in agency],
         "Total (£m)": [millions(1e6 * (p + g)) for p, g in zip(perm, agency)]}
    )  # fmt: skip
    alt = (
        f"Stacked bar chart of permanent and agency staff cost over {first}-{last}: "
        + "; ".join(
            f"{lab} £{millions(1e6 * (p + g))}m of which agency £{millions(1e6 * g)}m"
            for lab, p, g in zip(labels, perm, agency)
        )
        + "."
    )
    return _finish(fig, alt, table, title)
