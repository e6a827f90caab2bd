import pandas as pd

from workforce_lib import plotting


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
