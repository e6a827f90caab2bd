import re

import pandas as pd

from workforce_lib.reports import presentation


def test_slug():
    assert presentation.slug("Kingston upon Hull, City of") == "kingston-upon-hull-city-of"
    assert presentation.slug("Kingston upon Thames / Richmond upon Thames") == (
        "kingston-upon-thames-richmond-upon-thames"
    )


def test_header_names_source_licence_and_checksum(small_release):
    h = presentation.header("Title", small_release, 2025).data
    assert small_release.sha256[:16] in h and "Open Government Licence v3.0" in h
    assert "30 September 2025" in h and "Generated" in h
    assert "'Liberation Sans'" in h  # the stylesheet is not escaped


def test_table_writes_csv_and_links_it(tmp_path):
    df = pd.DataFrame({"a": [1, 2]})
    out = presentation.table(df, "My Table", tmp_path / "x_tables").data
    assert (tmp_path / "x_tables" / "my-table.csv").read_text().splitlines() == ["a", "1", "2"]
    assert 'href="x_tables/my-table.csv"' in out


def test_definitions_list_every_symbol():
    d = presentation.definitions().data
    for sym in ("x", "z", "c", "u", "low"):
        assert f"<code>{sym}</code>" in d


HOSTILE = '<script>alert("x")</script> & Co'
ESCAPED = "&lt;script&gt;alert("


def _summary(quartile=1):
    from workforce_lib.measures import HEADLINE_MEASURES
    from workforce_lib.published.comparison import AreaSummary, MeasureComparison

    measures = {
        m: MeasureComparison(
            value=10.0, previous=9.0, change=1.0, region=11.0, england=12.0,
            neighbours_median=10.5, quartile=quartile, neighbours_with_data=9,
            neighbours_total=10,
        )
        for m in HEADLINE_MEASURES
    }  # fmt: skip
    measures["agency_rate_fte"] = MeasureComparison(value=None, status=HOSTILE)
    return AreaSummary(HOSTILE, "council", 2025, HOSTILE, "E1", measures)


def test_every_piece_of_html_escapes_a_hostile_label(small_release):
    pieces = [
        presentation.header(HOSTILE, small_release, 2025, HOSTILE).data,
        presentation.headline_panel(_summary()).data,
        presentation.paragraphs([HOSTILE]).data,
        presentation.notes([HOSTILE]).data,
        presentation.table(pd.DataFrame({HOSTILE: [HOSTILE]}), "t").data,
    ]
    for h in pieces:
        assert "<script>alert" not in h and ESCAPED in h and "&amp; Co" in h


def test_count_cards_carry_no_quartile_colour():
    h = presentation.headline_panel(_summary(quartile=1)).data
    cards = h.split('<div class="wf-card')[1:]
    by_label = {c.split('class="label">')[1].split("<")[0]: c.split('"')[0] for c in cards}
    assert by_label["Turnover rate"] == " q1"  # lowest turnover: the best quarter
    for label in ("Social workers in post (FTE)", "Starters (FTE)", "Leavers (FTE)"):
        assert by_label[label] == " count", label  # a size, not a grade
    assert "Quartile 1" not in cards[5]


def test_table_aligns_text_left_numbers_right_and_marks_the_own_row(tmp_path):
    df = pd.DataFrame(
        {"Council": ["A", "B"], "Turnover": ["12.3%", "c"], "Posts": [1234.0, 56.0],
         "rank_in_region": [1.0, None]}
    )  # fmt: skip
    h = presentation.table(df, "ranks", tmp_path / "r_tables", own="B").data
    assert '<th scope="col">Council</th><th scope="col" class="num">Turnover</th>' in h
    assert '<tr class="own"><td>B</td><td class="num">c</td><td class="num">56.0</td>' in h
    assert '<td class="num">1,234.0</td><td class="num">1</td>' in h  # separators; rank whole
    csv = (tmp_path / "r_tables" / "ranks.csv").read_text().splitlines()
    assert csv == ["Council,Turnover,Posts,rank_in_region", "A,12.3%,1234.0,1", "B,c,56.0,"]
    assert 'href="r_tables/ranks.csv" download="ranks.csv"' in h


def test_a_value_that_rounds_to_zero_is_not_called_suppressed():
    from workforce_lib.published.comparison import MeasureComparison

    s = _summary()
    s.measures["agency_rate_fte"] = MeasureComparison(value=None, status="low: rounds to zero")
    s.measures["vacancy_rate_fte"] = MeasureComparison(value=None, status="c: confidential")
    h = presentation.headline_panel(s).data
    assert '<div class="value">less than 0.5%</div>' in h
    assert '<div class="value">suppressed to protect confidentiality (c)</div>' in h
    assert h.count("suppressed") == 2


def test_cards_show_comparisons_own_words_and_colour_only_graded_measures():
    # comparison hands `low` over as 0 with shown "less than 0.5%": the card must not say 0.0%
    from workforce_lib.published.comparison import MeasureComparison

    s = _summary(quartile=4)
    s.measures["agency_rate_fte"] = MeasureComparison(
        value=0.0, change=0.0, status="low: rounds to zero", shown="less than 0.5%", quartile=1
    )
    s.measures["turnover_rate_fte"] = MeasureComparison(
        value=20.0, change=1.0, shown="20.0%", quartile=4, graded=False
    )
    h = presentation.headline_panel(s).data
    assert '<div class="value">less than 0.5%</div>' in h and ">0.0%</div>" not in h
    turnover = next(c for c in h.split('<div class="wf-card') if "Turnover rate" in c)
    assert "q1" not in turnover and "q4" not in turnover and "Quartile" not in turnover


def test_a_number_that_rounds_to_zero_shows_no_sign(tmp_path):
    # a float column is shown to 1 dp: -0.04 was "-0.0"
    df = pd.DataFrame({"Council": ["A", "B", "C"], "change (points)": [-0.04, -0.06, 0.0]})
    html = presentation.table(df, "t", tmp_path).data
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    assert cells == ["0.0", "-0.1", "0.0"]


def test_ranking_shows_why_a_council_has_no_rank_and_keeps_csv_ranks_numbers(tmp_path):
    df = pd.DataFrame(
        {
            "Rank (turnover rate)": pd.array([1, 2, None, None], dtype="Int64"),
            "Council": ["A", "B", "C", "D"],
            "Turnover rate": [10.0, 12.0, "u", None],
            "Not ranked because": ["", "", "low reliability (u)", ""],
        }
    )
    html = presentation.ranking(df, "rank", tmp_path).data
    firsts = re.findall(r"<tr[^>]*>\s*<td[^>]*>([^<]*)</td>", html)
    assert firsts == ["1", "2", "not ranked: low reliability (u)", "not ranked: no data"]
    csv = pd.read_csv(tmp_path / "rank.csv", dtype=str, keep_default_na=False)
    assert list(csv.iloc[:, 0]) == ["1", "2", "", ""]
