"""Rendered reports, end to end: papermill smoke runs, HTML checks, batch semantics,
kernel reuse, and a real browser."""

from __future__ import annotations

import html as html_mod
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.browser import ConsoleErrors, axe, open_file, print_pdf
from workforce_lib.reports import rendering

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def _text(html: str) -> str:
    """The words a reader sees: tags and styles out, entities (``&#39;``) decoded."""
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", html_mod.unescape(re.sub(r"<[^>]+>", " ", html)))


def _check_html(html: str, licensed: bool = True) -> None:
    """No error shown, every image embedded with alt text; DfE data carries its licence."""
    text = _text(html)
    assert "Traceback" not in html and "Error" not in text.replace("Errors", "")
    imgs = re.findall(r"<img[^>]*>", html)
    assert imgs, "no images"
    for img in imgs:
        assert re.search(r'alt="[^"]{20,}"', img), img[:120]
        assert 'src="data:image/png;base64,' in img  # embedded: opens offline
    assert "SHA-256" in text
    if licensed:
        assert "Open Government Licence v3.0" in text


@pytest.fixture(scope="module")
def rendered(release, tmp_path_factory):
    """Council, region, group, England, scenario and HR (demo extract) reports rendered
    once, on 2 warm workers."""
    from workforce_lib.records.demo import demo_extract

    out = tmp_path_factory.mktemp("reports")
    extract = out / "demo_extract.csv"
    demo_extract(seed=3).to_csv(extract, index=False)
    y = 2022
    jobs = [
        rendering.Job("council", "Northumberland", y, out / f"{y}/councils/northumberland.html"),
        rendering.Job("region", "North East", y, out / f"{y}/regions/north-east.html"),
        rendering.Job("group", "Eastern MoU", y, out / f"{y}/groups/eastern-mou.html"),
        rendering.Job("england", "England", y, out / f"{y}/england.html"),
        rendering.Job("council", "Nowhereshire", y, out / f"{y}/councils/nowhereshire.html"),
        rendering.scenario_job(
            release, "Eastern MoU", y, out, {"turnover_cut_points": "3"}, base_year=y
        ),
        rendering.hr_job(str(extract), str(out / "hr" / "demo.html")),
    ]
    results = rendering.render_jobs(jobs, str(release.source.parent), workers=2, progress=False)
    index = rendering.build_index(release, y, out, results)
    return out, results, index


def test_each_kind_renders(rendered):
    _, results, _ = rendered
    ok = {r.job.kind + ":" + r.job.name: r.ok for r in results}
    assert ok == {
        "council:Northumberland": True,
        "region:North East": True,
        "group:Eastern MoU": True,
        "england:England": True,
        "council:Nowhereshire": False,
        "scenario:Eastern MoU": True,
        "hr:demo_extract": True,
    }
    for r in results:
        if r.ok:  # an HR report is the council's own data: no DfE licence line
            _check_html(r.job.out_html.read_text(), licensed=r.job.kind != "hr")


def test_northumberland_2022_states_scrutiny_figures(rendered):
    out, _, _ = rendered
    text = _text((out / "2022/councils/northumberland.html").read_text())
    for figure in ["15.9%", "28.8", "6.2%", "10.0%", "1.9%", "3.6%"]:
        assert figure in text, figure
    assert "about the same as last year (up 0.1 points from 15.8%)" in text
    assert "deterioration" not in text.split("Turnover")[1].split(".")[0]
    assert "Ofsted" in text
    # a 2022 report shows nothing after 2022 (the names of its source files and of DfE's
    # 2025 neighbour model aside)
    sources = r"\S+\.(?:csv|ods)|\(as at 31 March 20\d\d\)|DfE's 2025 statistical-neighbour model"
    later = re.findall(r"20(?:23|24|25)", re.sub(sources, "", text))
    assert not later, later


def test_first_page_is_said_once_and_no_zero_carries_a_sign(rendered):
    out, results, _ = rendered
    text = _text((out / "2022/councils/northumberland.html").read_text())
    # the "every headline measure" paragraphs said the first page again, word for word
    assert text.count("about the same as last year (up 0.1 points from 15.8%)") == 1
    assert "Turnover rate, 2017 to 2022: 2017 6.9%" in text  # what the later section adds
    zero = re.compile(r"(?<![\d.])[-\u2212]0(?:\.0+)?(?![\d.])%?")
    pages = [r.job.out_html for r in results if r.ok]
    assert len(pages) == 6
    for path in pages + sorted(out.rglob("*.csv")):
        shown = path.read_text()
        if path.suffix == ".html":  # the page as read: no embedded images or CSV links
            shown = _text(re.sub(r'(src|href)="data:[^"]*"', "", shown))
        assert not zero.findall(shown), (path.name, zero.findall(shown))


def test_scenario_report_uses_its_settings(rendered):
    out, _, index = rendered
    text = _text((out / "2022/scenarios/eastern-mou.html").read_text())
    assert "Eastern MoU: what would it take to stabilise the workforce?" in text
    assert "Figures as at 30 September 2022" in text and "over 2023-2027" in text  # base year
    assert "Cut turnover: cutting turnover by 3 points" in text
    assert "illustrative default costs" in text
    # base year 2022: the history shown stops there
    assert not re.findall(r"20(?:23|24|25) \d", text.split("Does the model count")[1])
    assert "e+0" not in text  # settings read as numbers, not 7e+04
    assert "scenarios/eastern-mou.html" in index.read_text()


def test_tables_written_as_csv_and_linked(rendered):
    out, _, _ = rendered
    html = (out / "2022/councils/northumberland.html").read_text()
    tables = out / "2022/councils/northumberland_tables"
    names = {p.name for p in tables.glob("*.csv")}
    assert {"headlines.csv", "rank-in-region.csv", "statistical-neighbours.csv"} <= names
    assert 'href="northumberland_tables/rank-in-region.csv"' in html


def test_failure_is_recorded_and_others_still_render(rendered):
    out, results, index = rendered
    bad = next(r for r in results if not r.ok)
    assert "Nowhereshire" in bad.error
    assert bad.failed_notebook and bad.failed_notebook.exists()
    assert not bad.job.out_html.exists()  # never a half-written report
    page = index.read_text()
    assert "Nowhereshire" in page and "failed" in page


def _strip_time(html: str) -> str:
    return re.sub(r"Generated \d+ \w+ \d{4} \d\d:\d\d UTC", "Generated", html)


def test_reused_kernel_gives_identical_report(release, tmp_path):
    """No state leaks between councils: a report rendered after others in the same
    kernel (one of another year, one of the same year, whose strip charts it reuses) is
    byte-identical (bar the clock) to one rendered in a fresh kernel."""
    data = str(release.source.parent)
    fresh = rendering.Job("council", "Northumberland", 2022, tmp_path / "fresh.html")
    assert rendering.run_job(fresh, data).ok
    with rendering.WarmKernel() as kernel:
        for year in (2024, 2022):
            other = rendering.Job("council", "Sunderland", year, tmp_path / f"other{year}.html")
            assert rendering.run_job(other, data, kernel).ok
        again = rendering.Job("council", "Northumberland", 2022, tmp_path / "warm.html")
        assert rendering.run_job(again, data, kernel).ok
    a, b = (_strip_time(p.read_text()) for p in (tmp_path / "fresh.html", tmp_path / "warm.html"))
    a = a.replace("fresh_tables", "X_tables")
    b = b.replace("warm_tables", "X_tables")
    assert a == b


def test_cli_render_unknown_council_fails_at_top(real_data_dir, tmp_path):
    exe = Path(sys.prefix) / "bin" / "workforce"
    r = subprocess.run(
        [exe, "render", "council", "Atlantis", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2 and "No council matches 'Atlantis'" in r.stderr


def test_browser_report_and_index(rendered, release, page):
    out, _, index = rendered
    errors = ConsoleErrors(page)
    open_file(page, out / "2022/councils/northumberland.html")
    imgs = page.evaluate(
        "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt.length])"
    )
    assert imgs and all(c and w > 0 and a > 0 for c, w, a in imgs)
    # the report's stylesheet applies: text left, numbers right, a sans-serif font
    align = page.evaluate(
        "[...document.querySelectorAll('table.wf-table tbody tr:first-child td')]"
        ".map(td => [td.className, getComputedStyle(td).textAlign])"
    )
    assert ["num", "right"] in align and ["", "left"] in align
    assert "Arial" in page.evaluate("getComputedStyle(document.body).fontFamily")
    assert errors == []
    page.screenshot(path=ARTIFACTS / "council_report.png")

    open_file(page, index)
    total = page.evaluate("document.querySelectorAll('#councils tbody tr').length")
    f = release.frame("council", 2022)
    assert total == len(f) == 150

    def shown(query: str) -> list[str]:
        page.fill("#filter", query)  # types it: an input event, as a reader's typing
        return page.evaluate(
            "Array.from(document.querySelectorAll('#councils tbody tr'))"
            ".filter(r => !r.hidden).map(r => r.cells[0].textContent.trim())"
        )

    # whole names: a region is its councils, not North East Lincolnshire
    north_east = sorted(f.loc[f.region_name == "North East", "area_name"])
    assert sorted(shown("north east")) == north_east and len(north_east) == 12
    assert shown("hull") == ["Kingston upon Hull, City of"]  # not Solihull
    assert len(shown("")) == 150
    # sort by keyboard: tab to the heading's button and press Enter
    page.focus('th[data-col="2"] button')
    page.keyboard.press("Enter")
    assert page.get_attribute('th[data-col="2"]', "aria-sort") == "ascending"
    values = page.evaluate(
        "Array.from(document.querySelectorAll('#councils tbody tr'))"
        ".map(r => r.cells[2].dataset.sort)"
    )
    numbers = [float(v) for v in values if v != ""]
    assert numbers == sorted(numbers) and len(numbers) > 100
    assert all(v == "" for v in values[len(numbers) :])  # no figure: last
    assert errors == []
    page.screenshot(path=ARTIFACTS / "index.png")


def _pages(rendered) -> dict[str, Path]:
    out, results, index = rendered
    by = {r.job.kind: r.job.out_html for r in results if r.ok}
    return {**by, "index": index}


def test_axe_finds_no_accessibility_violations(rendered, page):
    pages = _pages(rendered)
    assert set(pages) >= {"council", "region", "england", "scenario", "hr", "index"}
    found = {}
    for kind, path in pages.items():
        open_file(page, path)
        found[kind] = axe(page)
    assert found == {kind: [] for kind in pages}


def test_printed_report_is_a4_and_holds_the_trend_tables(rendered, page):
    import io

    import pypdf

    path = _pages(rendered)["council"]
    html = path.read_text()
    first = re.search(r"<details>.*?</details>", html, re.S).group(0)  # the first trend table
    cells = [c.strip() for c in re.findall(r"<td[^>]*>([^<]*)</td>", first)]
    assert len(cells) > 20
    open_file(page, path)
    pdf = pypdf.PdfReader(io.BytesIO(print_pdf(page)))
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages}
    assert sizes == {(595, 842)}  # A4 in points
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
    assert "Neighbours (min-max)" in text
    missing = [c for c in cells if c not in text]
    assert missing == []


def test_reports_weigh_little_and_fetch_nothing(rendered):
    for kind, page in _pages(rendered).items():
        html = page.read_text()
        assert '<html lang="en-GB">' in html, kind
        assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(https?:)?//", html)
        if kind == "council":
            assert len(html.encode()) <= 400_000  # was ~860 KB
