import pandas as pd

from workforce_lib.reports import plotting


def _series():
    return pd.DataFrame(
        {
            "year": [2023, 2024, 2025],
            "value": [12.0, None, 14.0],
            "status": [None, "u: low reliability", None],
            "predecessor": [None] * 3,
            "predecessor_value": [None] * 3,
            "region": [13.0, 13.5, 13.2],
            "england": [15.0, 14.0, 13.0],
            "neighbours_min": [10.0, 10.5, 11.0],
            "neighbours_median": [12.0, 12.5, 13.0],
            "neighbours_max": [15.0, 16.0, 17.0],
            "neighbours_with_data": [10, 10, 9],
        }
    )


def test_trend_chart_has_png_alt_and_table_and_marks_suppression():
    c = plotting.trend_chart(_series(), "turnover_rate_fte", "Testshire", "North East")
    assert c.png.startswith(b"\x89PNG")
    assert "Suppressed years: 2024 (u: low reliability)" in c.alt
    assert "latest 14.0% in 2025" in c.alt
    assert list(c.table["Testshire"]) == ["12.0%", "u: low reliability", "14.0%"]
    html = c.to_html()
    assert 'alt="Line chart of turnover rate for Testshire' in html
    assert "<summary>View as table</summary>" in html


def test_strip_chart_counts_councils_without_values():
    v = pd.DataFrame(
        {
            "area_id": ["1", "2", "3"],
            "area_name": ["A", "B", "C"],
            "region_name": ["R1", "R1", "R2"],
            "value": [10.0, None, 12.0],
            "status": ["", "x", ""],
        }
    )
    c = plotting.strip_chart(v, "turnover_rate_fte", "3", 2025)
    assert "2 councils" in c.alt and "C highlighted at 12.0%" in c.alt
    assert "1 councils without a published value" in c.alt


def test_palette_is_okabe_ito():
    assert plotting.AREA == "#0072B2" and plotting.REGION == "#E69F00"


def _strip_values():
    return pd.DataFrame(
        {
            "area_id": ["1", "2", "3", "4"],
            "area_name": ["A", "B", "C", "D"],
            "region_name": ["R1", "R1", "R2", "R2"],
            "value": [10.0, 11.0, 12.0, 30.0],
            "status": ["", "", "", ""],
        }
    )


def test_strip_chart_reuses_its_dots_without_leaving_a_highlight_behind():
    plotting._STRIP_BASES.clear()
    first = plotting.strip_chart(_strip_values(), "turnover_rate_fte", "1", 2025).png
    assert len(plotting._STRIP_BASES) == 1  # drawn once ...
    other = plotting.strip_chart(_strip_values(), "turnover_rate_fte", "4", 2025).png
    assert len(plotting._STRIP_BASES) == 1  # ... and reused for another council
    assert other != first
    again = plotting.strip_chart(_strip_values(), "turnover_rate_fte", "1", 2025).png
    assert again == first  # D's highlight has gone
    plotting._STRIP_BASES.clear()
    assert plotting.strip_chart(_strip_values(), "turnover_rate_fte", "1", 2025).png == first


def test_strip_chart_redraws_when_the_values_change():
    plotting._STRIP_BASES.clear()
    v = _strip_values()
    a = plotting.strip_chart(v, "turnover_rate_fte", "1", 2025).png
    v.loc[3, "value"] = 5.0
    b = plotting.strip_chart(v, "turnover_rate_fte", "1", 2025).png
    assert a != b and len(plotting._STRIP_BASES) == 2


def test_chart_repr_is_one_short_line_not_its_bytes():
    c = plotting.trend_chart(_series(), "turnover_rate_fte", "Testshire", "North East")
    text = repr(c)
    assert text.startswith("<Chart 'Turnover rate: Testshire': PNG ") and "3 rows" in text
    assert len(text) < 100 and "\n" not in text


def _drawn(monkeypatch):
    """Keep each figure a chart draws (its artists are what a reader sees)."""
    figs = []
    real = plotting.png_bytes

    def keep(fig):
        figs.append(fig)
        return real(fig)

    monkeypatch.setattr(plotting, "png_bytes", keep)
    return figs


def test_strip_highlight_is_drawn_on_the_councils_own_value_with_its_name():
    # hand-made: C (area 3) is 12.0 in region R2, the second row; no legend anywhere
    v = _strip_values()
    base = plotting._strip_base(v, plotting.MEASURES["turnover_rate_fte"], 2025)
    dot, label = plotting.highlight_marks(base, v[v.area_id == "3"])
    try:
        assert dot.get_offsets().tolist() == [[12.0, 1.0]]  # x = value, y = R2's row
        assert label.get_text() == "C" and tuple(label.xy) == (12.0, 1)
        assert base.ax.get_legend() is None
    finally:
        dot.remove()
        label.remove()


def test_strip_chart_has_no_legend_inside_the_plot():
    plotting._STRIP_BASES.clear()
    plotting.strip_chart(_strip_values(), "turnover_rate_fte", "3", 2025)
    (base,) = plotting._STRIP_BASES.values()
    assert base.ax.get_legend() is None and len(base.ax.texts) == 0  # highlight removed
    assert "grey dot is a council" in base.ax.get_xlabel()


def test_text_is_never_parsed_as_maths():
    name = "$\\frac{1}{$ Council"  # broken TeX: mathtext would raise on it
    c = plotting.trend_chart(_series(), "turnover_rate_fte", name, "North East")
    assert c.png.startswith(b"\x89PNG") and name in c.alt
    v = _strip_values().assign(area_name=["A", "B", name, "D"])
    assert plotting.strip_chart(v, "turnover_rate_fte", "3", 2025).png.startswith(b"\x89PNG")
    plotting.style()
    assert plotting.plt.rcParams["text.parse_math"] is False


def test_a_count_is_drawn_on_the_councils_own_scale(monkeypatch):
    figs = _drawn(monkeypatch)
    s = _series().assign(
        value=[180.0, 190.0, 200.0], region=[2000.0] * 3, england=[36000.0] * 3,
        neighbours_min=[150.0] * 3, neighbours_max=[400.0] * 3,
    )  # fmt: skip
    c = plotting.trend_chart(s, "inpost_fte", "Testshire", "North East")
    ax = figs[0].axes[0]
    assert ax.get_ylim()[1] < 300  # England's 36,000 would flatten the council's line
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Testshire"]
    assert "own scale" in c.alt and "36,000" in c.table["England"].iloc[0]


def test_a_line_hidden_under_the_areas_is_left_out_of_the_legend_and_explained(monkeypatch):
    figs = _drawn(monkeypatch)
    s = _series().assign(value=[13.0, 13.5, 13.2])  # same as the region in every year
    plotting.trend_chart(s, "turnover_rate_fte", "Group", "DfE published")
    fig = figs[0]
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "DfE published" not in labels and "Group" in labels
    assert "DfE published is the same as Group" in fig._supxlabel.get_text()


def test_heatmap_colours_by_direction_and_says_why_a_cell_is_empty(monkeypatch):
    figs = _drawn(monkeypatch)
    index = ["Turnover rate", "Social workers in post (FTE)"]
    table = pd.DataFrame({"A": [30.0, 200.0], "B": [None, 150.0]}, index=index)
    pct = pd.DataFrame({"A": [0.9, 0.8], "B": [None, 0.3]}, index=index)
    status = pd.DataFrame({"A": ["", ""], "B": ["c", ""]}, index=index)
    c = plotting.heatmap(table, "Group", pct, status)
    ax = figs[0].axes[0]
    mesh = ax.collections[0].get_array().reshape(2, 2)
    assert abs(mesh[0, 0] - 0.1) < 1e-9  # high turnover is worse: near the "worse" end
    assert mesh.mask[1, 0]  # a size is not graded
    texts = [t.get_text() for t in ax.texts]
    assert "c" in texts and "200.0" in texts
    bar_words = [t.get_text() for t in figs[0].axes[1].get_yticklabels()]
    assert bar_words == ["worse than most", "middle", "better than most"]
    assert "c = " in figs[0]._supxlabel.get_text() and "why" in c.alt


def test_chart_html_escapes_labels_and_links_its_table_as_csv():
    c = plotting.bar_chart(
        pd.DataFrame({"Area": ["<script>x</script>", "B & C"], "value": [10.0, 12.0]}),
        "Area", "turnover_rate_fte", "Title <b>", highlight="B & C",
    )  # fmt: skip
    html = c.to_html()
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "Title &lt;b&gt;" in html
    assert '<tr class="own"><td>B &amp; C</td><td class="num">12.0%</td></tr>' in html
    assert 'href="data:text/csv;charset=utf-8,' in html and 'download="title-b.csv"' in html


def test_bar_chart_draws_a_labelled_reference_line(monkeypatch):
    figs = _drawn(monkeypatch)
    d = pd.DataFrame({"Region": ["A", "B"], "value": [10.0, 14.0]})
    c = plotting.bar_chart(d, "Region", "turnover_rate_fte", "T", reference=12.5)
    ax = figs[0].axes[0]
    lines = [ln for ln in ax.get_lines() if list(ln.get_xdata()) == [12.5, 12.5]]
    assert len(lines) == 1 and "England 12.5%" in [t.get_text() for t in ax.texts]
    assert "Dashed line: England 12.5%." in c.alt


def test_a_value_that_rounds_to_zero_is_drawn_at_zero_and_labelled(monkeypatch):
    figs = _drawn(monkeypatch)
    s = _series().assign(value=[2.0, 1.0, None], status=[None, None, "low"])
    c = plotting.trend_chart(s, "agency_rate_fte", "Testshire", "North East")
    area_line = [ln for ln in figs[0].axes[0].get_lines() if ln.get_label() == "Testshire"][0]
    assert list(area_line.get_ydata())[-1] == 0.0  # at zero, not a gap
    assert "less than 0.5%" in [t.get_text() for t in figs[0].axes[0].texts]
    assert list(c.table["Testshire"]) == ["2.0%", "1.0%", "less than 0.5%"]
    assert "latest less than 0.5% in 2025" in c.alt and "Suppressed" not in c.alt
    v = _strip_values().assign(value=[10.0, 11.0, None, 30.0], status=["", "", "low", ""])
    strip = plotting.strip_chart(v, "agency_rate_fte", "3", 2025)
    assert "C highlighted at less than 0.5%" in strip.alt
    assert strip.table.set_index("Council").at["C", "Agency rate"] == "less than 0.5%"


def test_low_handed_over_as_zero_by_trends_is_still_labelled(monkeypatch):
    # trends.area_series gives `low` as 0 with its status kept, not as NaN
    figs = _drawn(monkeypatch)
    s = _series().assign(value=[2.0, 1.0, 0.0], status=[None, None, "low"])
    c = plotting.trend_chart(s, "agency_rate_fte", "Testshire", "North East")
    assert "less than 0.5%" in [t.get_text() for t in figs[0].axes[0].texts]
    assert list(c.table["Testshire"]) == ["2.0%", "1.0%", "less than 0.5%"]
    assert "latest less than 0.5% in 2025" in c.alt


def test_heatmap_cells_without_a_value_say_which_symbol(monkeypatch):
    _drawn(monkeypatch)
    t = pd.DataFrame(
        {"A": [12.0, None], "B": [None, 3.0], "C": [0.0, 4.0]},
        index=["Turnover rate", "Agency rate"],
    )
    st = pd.DataFrame(
        {"A": ["", "c"], "B": ["u: low reliability", None], "C": ["low", ""]}, index=t.index
    )
    c = plotting.heatmap(t, "T", pd.DataFrame(0.5, index=t.index, columns=t.columns), st)
    cells = c.table.set_index(c.table.columns[0])
    assert cells.at["Agency rate", "A"] == "c" and cells.at["Turnover rate", "B"] == "u"
    assert "c = suppressed to protect confidentiality" in c.alt and "n/a" not in c.alt
    assert cells.at["Turnover rate", "C"] == "low" and "low = less than 0.5" in c.alt  # not 0.0


def test_scenario_charts_name_scenarios_in_words(monkeypatch, small_release):
    from workforce_lib.published import scenario

    _drawn(monkeypatch)
    result = scenario.run_scenarios(small_release, council="Alderbury")
    fan = plotting.fan_chart(result, "agency_fte", "Agency", tuple(result.projections))
    cost = plotting.cost_chart(result)
    for chart in (fan, cost):
        names = set(chart.table["Scenario"])
        assert "Cut turnover" in names and not any("_" in n for n in names)
        assert "cut_turnover" not in chart.alt and "cut turnover" not in chart.alt


def test_a_comparator_with_no_values_is_not_in_the_legend(monkeypatch):
    # England's own report hands trend_chart an all-NaN England column: no empty legend entry
    figs = _drawn(monkeypatch)
    s = _series().assign(england=float("nan"))
    plotting.trend_chart(s, "turnover_rate_fte", "England (published)", None)
    labels = [t.get_text() for t in figs[0].axes[0].get_legend().get_texts()]
    assert "England" not in labels and "England (published)" in labels


def _value_labels_and_line(fig, reference: float):
    """The bars' value labels (text extents, pixels) and the reference line's x (pixels)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    ax = fig.axes[0]
    canvas = FigureCanvasAgg(fig)  # the chart closed its figure: draw it again
    canvas.draw()
    renderer = canvas.get_renderer()
    line_x = ax.transData.transform((reference, 0))[0]
    labels = [t for t in ax.texts if not t.get_text().startswith("England")]
    return [t.get_window_extent(renderer) for t in labels], line_x


def test_bar_labels_never_sit_on_the_reference_line(monkeypatch):
    figs = _drawn(monkeypatch)
    # the label of the 14.9 bar starts at its end, just left of England's 15.0 line: before,
    # it was drawn across the line
    regions = ["A", "B", "C", "D", "E", "F", "G", "H", "I"]
    values = [9.8, 11.2, 12.4, 13.0, 14.9, 14.95, 16.0, 17.5, 21.3]
    d = pd.DataFrame({"Region": regions, "value": values})
    plotting.bar_chart(d, "Region", "turnover_rate_fte", "T", reference=15.0)
    boxes, line_x = _value_labels_and_line(figs[0], 15.0)
    assert len(boxes) == len(values)
    for box in boxes:
        assert not (box.x0 <= line_x <= box.x1), (box, line_x)
    ax = figs[0].axes[0]
    edge = ax.transData.transform((ax.get_xlim()[1], 0))[0]
    assert max(b.x1 for b in boxes) <= edge  # every label inside the plot


def test_bar_labels_clear_of_the_line_for_caseload_too(monkeypatch):
    figs = _drawn(monkeypatch)
    d = pd.DataFrame({"Region": list("ABCDE"), "value": [15.2, 15.9, 16.1, 16.4, 18.0]})
    plotting.bar_chart(d, "Region", "caseload_fte", "T", reference=16.3)
    boxes, line_x = _value_labels_and_line(figs[0], 16.3)
    assert all(not (b.x0 <= line_x <= b.x1) for b in boxes)


def _pixels(png: bytes):
    import io

    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _busy_series():
    """Everything a trend chart can add: a predecessor, a suppressed run, `low`, notes."""
    return _series().assign(
        year=[2023, 2024, 2025],
        value=[None, 0.0, 14.0],
        status=["no row", "low", None],
        predecessor=["Old Shire", None, None],
        predecessor_value=[11.0, None, None],
    )


def _fresh(monkeypatch):
    """Draw as before the kept axes and renderers: a new figure, Agg's own renderer."""
    from matplotlib.backends.backend_agg import RendererAgg

    monkeypatch.setattr(plotting, "_Renderer", RendererAgg)
    monkeypatch.setattr(plotting, "_RENDERERS", {})
    monkeypatch.setattr(plotting, "_KEPT_AXES", {})


def test_a_chart_on_kept_axes_is_the_picture_a_new_figure_gives(monkeypatch):
    import numpy as np

    suppressed = _series().assign(value=[12.0, None, None], status=[None, "c", "c"])
    count = _series().assign(value=[180.0, 190.0, 200.0])
    charts = [
        lambda: plotting.trend_chart(_busy_series(), "agency_rate_fte", "Newshire", "North East"),
        lambda: plotting.trend_chart(suppressed, "turnover_rate_fte", "Testshire", "North East"),
        lambda: plotting.trend_chart(count, "inpost_fte", "Testshire", "North East"),
        lambda: plotting.trend_chart(_series(), "turnover_rate_fte", "Testshire", None),
        lambda: plotting.starters_leavers_chart(_series(), _series(), "Testshire"),
        lambda: plotting.starters_leavers_chart(count, _series(), "Testshire"),
    ]
    plotting._KEPT_AXES.clear()
    kept = [draw().png for draw in charts + charts]  # each after another on the same axes
    assert len(plotting._KEPT_AXES) == 2
    _fresh(monkeypatch)
    for i, draw in enumerate(charts):
        plotting._KEPT_AXES.clear()
        plotting._RENDERERS.clear()
        new = _pixels(draw().png)
        assert np.array_equal(_pixels(kept[i]), new), i
        assert np.array_equal(_pixels(kept[i + len(charts)]), new), i


def test_the_shared_renderer_draws_what_aggs_own_draws(monkeypatch):
    import numpy as np

    name = "Ünïcode & Sons — «quoted» ligatures ffi"
    ours = plotting.trend_chart(_busy_series(), "agency_rate_fte", name, "North East").png
    assert isinstance(next(iter(plotting._RENDERERS.values())), plotting._Renderer)
    _fresh(monkeypatch)
    theirs = plotting.trend_chart(_busy_series(), "agency_rate_fte", name, "North East").png
    assert np.array_equal(_pixels(ours), _pixels(theirs))


def test_every_chart_on_the_shared_canvas_is_the_picture_pyplot_gives(monkeypatch, small_release):
    """Each kind of chart drawn on a :class:`plotting._Canvas` (shared renderer, outside
    pyplot) has the pixels of the same chart drawn on a pyplot figure by Agg's renderer."""
    from workforce_lib.published import scenario

    index = ["Turnover rate", "Social workers in post (FTE)"]
    table = pd.DataFrame({"A": [30.0, 200.0], "B": [None, 150.0]}, index=index)
    pct = pd.DataFrame({"A": [0.9, 0.8], "B": [None, 0.3]}, index=index)
    status = pd.DataFrame({"A": ["", ""], "B": ["c", ""]}, index=index)
    regions = pd.DataFrame({"Region": ["A", "B", "C"], "value": [10.0, 14.0, 12.4]})
    frames = {f"Council {i}": _series().assign(value=[10.0 + i, 11.0, 12.0]) for i in range(6)}
    long = pd.DataFrame({"year": [2024] * 5 + [2025] * 5, "value": range(10)})
    flows = pd.DataFrame(
        {"starters": [3.0, None], "leavers": [5.0, 7.0]}, index=["2025-01", "2025-02"]
    )
    flows_status = pd.DataFrame(
        {"starters": ["", "c: fewer than 5"], "leavers": ["", ""]}, index=flows.index
    )
    bands = pd.DataFrame(
        {"people": [12.0, None]}, index=pd.Index(["<2 years", "2-5 years"], name="service")
    )
    bands_status = pd.DataFrame({"people": ["", "c: fewer than 5"]}, index=bands.index)
    result = scenario.run_scenarios(small_release, council="Alderbury")
    charts = [
        lambda: plotting.heatmap(table, "Group", pct, status),
        lambda: plotting.bar_chart(regions, "Region", "turnover_rate_fte", "T", "B", 12.5),
        lambda: plotting.small_multiples(frames, "turnover_rate_fte", "Turnover rate by council"),
        lambda: plotting.distribution_chart(long, "turnover_rate_fte"),
        lambda: plotting.flows_chart(flows, flows_status, "Flows"),
        lambda: plotting.band_chart(bands, bands_status, "people", "Length of service", "people"),
        lambda: plotting.fan_chart(result, "agency_fte", "Agency"),
        lambda: plotting.cost_chart(result),
    ]  # fmt: skip
    ours = [draw().png for draw in charts + charts]  # again: the shared renderers reused
    assert all(isinstance(r, plotting._Renderer) for r in plotting._RENDERERS.values())
    _fresh(monkeypatch)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    monkeypatch.setattr(plotting, "_Canvas", FigureCanvasAgg)

    def pyplot_subplots(*args, figsize, **kwargs):
        return plotting.plt.subplots(*args, figsize=figsize, **kwargs)

    monkeypatch.setattr(plotting, "_subplots", pyplot_subplots)
    _drawn_alike(ours, charts)


def test_style_resets_whatever_changed_since_it_last_ran():
    plotting.style()
    styled = dict(plotting.plt.rcParams)
    plotting.plt.rcParams["axes.titleweight"] = "normal"
    plotting.plt.rcParams["axes.prop_cycle"] = plotting.matplotlib.cycler(color=["red"])
    plotting.plt.rcParams["figure.dpi"] = 72
    plotting.style()
    assert dict(plotting.plt.rcParams) == styled
    plotting.style()  # nothing changed: nothing to do
    assert dict(plotting.plt.rcParams) == styled
    plotting.matplotlib.rcdefaults()  # as a warm kernel's reset leaves it
    plotting.style()
    assert dict(plotting.plt.rcParams) == styled


def test_small_multiples_on_a_kept_grid_are_the_picture_a_new_grid_gives(monkeypatch):
    import numpy as np

    def frames(n, shift):
        return {
            f"Council {i}": _series().assign(value=[shift + i, 11.0, None if i % 3 else 12.0])
            for i in range(n)
        }

    # 7 then 5 councils on the same 2 x 4 grid (an axes hidden, then shown), then 8
    charts = [
        lambda: plotting.small_multiples(frames(7, 10.0), "turnover_rate_fte", "Turnover"),
        lambda: plotting.small_multiples(frames(5, 40.0), "agency_rate_fte", "Agency"),
        lambda: plotting.small_multiples(frames(8, 1.0), "vacancy_rate_fte", "Vacancy"),
    ]
    plotting._KEPT_GRIDS.clear()
    kept = [draw().png for draw in charts + charts]
    assert list(plotting._KEPT_GRIDS) == [(2, 4)]
    for i, draw in enumerate(charts):
        plotting._KEPT_GRIDS.clear()
        new = _pixels(draw().png)
        assert np.array_equal(_pixels(kept[i]), new), i
        assert np.array_equal(_pixels(kept[i + len(charts)]), new), i


def test_ticks_worked_out_once_give_the_picture_of_ticks_worked_out_at_every_ask(monkeypatch):
    import contextlib

    import numpy as np

    count = _series().assign(value=[180.0, 190.0, 200.0])
    grid = {f"Council {i}": _series().assign(value=[10.0 + i, 11.0, 12.0]) for i in range(6)}
    charts = [
        lambda: plotting.trend_chart(_busy_series(), "agency_rate_fte", "Newshire", "North East"),
        lambda: plotting.trend_chart(count, "inpost_fte", "Testshire", "North East"),
        lambda: plotting.starters_leavers_chart(_series(), count, "Testshire"),
        lambda: plotting.small_multiples(grid, "turnover_rate_fte", "Turnover"),
    ]
    once = [draw().png for draw in charts]
    for fig, ax, _ in plotting._KEPT_AXES.values():  # left as matplotlib has them
        assert "_update_ticks" not in vars(ax.xaxis) and "_update_ticks" not in vars(ax.yaxis)
    monkeypatch.setattr(plotting, "_ticks_once", lambda axes: contextlib.nullcontext())
    for i, draw in enumerate(charts):
        assert np.array_equal(_pixels(once[i]), _pixels(draw().png)), i


def test_glyphs_rasterised_once_give_the_pixels_of_glyphs_rasterised_each_time(monkeypatch):
    count = _series().assign(value=[180.0, 190.0, 200.0])
    name = "Ünïcode & Sons — «quoted» ligatures ffi"
    charts = [
        lambda: plotting.trend_chart(_busy_series(), "agency_rate_fte", name, "North East"),
        lambda: plotting.trend_chart(count, "inpost_fte", "Testshire", "North East"),
        lambda: plotting.starters_leavers_chart(_series(), count, "Testshire"),
    ]
    plotting._GLYPHS.clear()
    kept = [draw().png for draw in charts + charts]  # the second time, from what is kept
    assert plotting._GLYPHS_KEPT and plotting._GLYPHS
    monkeypatch.setattr(plotting, "_GLYPHS_KEPT", False)
    _drawn_alike(kept, charts)


def _drawn_alike(pngs: list, charts: list) -> None:
    """Each chart drawn now has the pixels of both its earlier drawings (``pngs``: the
    charts drawn twice over, in order)."""
    import numpy as np

    for i, draw in enumerate(charts):
        now = _pixels(draw().png)
        assert np.array_equal(_pixels(pngs[i]), now), i
        assert np.array_equal(_pixels(pngs[i + len(charts)]), now), i


def test_a_charts_table_cells_are_what_astype_and_where_give():
    import numpy as np

    table = pd.DataFrame(
        {
            "Year": [2024, 2025, 2026],
            "Rank": pd.array([1, None, 3], dtype="Int64"),
            "Kent": pd.array(["12.3%", None, "c"], dtype="string[pyarrow]"),
            "Value": [1.5, np.nan, 0.0],
            "Part": [True, False, True],
            "Note": ["a", None, "b"],
        }
    )
    old = table.astype(object).where(table.notna(), None)
    new = plotting._none_for_missing(table)
    assert list(new.columns) == list(old.columns) and new.index.equals(old.index)
    for j in range(table.shape[1]):
        a, b = old.iloc[:, j].tolist(), new.iloc[:, j].tolist()
        assert a == b and [type(x) for x in a] == [type(x) for x in b], table.columns[j]


def test_strip_chart_works_its_table_out_once_per_values_and_hands_out_copies():
    plotting._STRIP_PARTS.clear()

    def values():  # the same values, made afresh (as each report asks for them)
        return _strip_values().assign(status=["", "c", "", ""], value=[10.0, None, 12.0, 30.0])

    v = values()
    a = plotting.strip_chart(v, "turnover_rate_fte", "1", 2025)
    b = plotting.strip_chart(values(), "turnover_rate_fte", "4", 2025)
    assert len(plotting._STRIP_PARTS) == 1 and a.table is not b.table
    assert a.table.equals(b.table) and a.own_row == "A" and b.own_row == "D"
    a.table.iloc[0, 0] = "changed"  # one chart's table changed: the next is as it was
    assert plotting.strip_chart(v, "turnover_rate_fte", "1", 2025).table.equals(b.table)
    v.loc[3, "value"] = 5.0  # other values: worked out again
    c = plotting.strip_chart(v, "turnover_rate_fte", "1", 2025)
    assert len(plotting._STRIP_PARTS) == 2 and not c.table.equals(b.table)
