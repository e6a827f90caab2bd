"""What instability means for children, end to end: the summary command's JSON, the
council and England reports' new sections, and a council report whose data folder has
no context files."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.test_cli import run
from tests.e2e.test_reports import _text
from workforce_lib.reports import rendering


@pytest.mark.realdata
def test_summary_json_middlesbrough_2024_context(real_data_dir):
    r = run("summary", "--council", "Middlesbrough", "--year", "2024", "--json")
    assert r.returncode == 0, r.stderr
    ctx = json.loads(r.stdout)["context"]
    assert set(ctx) == {
        "cla_3plus_social_workers_pct",
        "children_in_need_per_case_holder_fte",
        "cin_started_per_case_holder_fte",
        "social_workers_per_10k_children",
    }
    cla = ctx["cla_3plus_social_workers_pct"]
    assert (cla["value"], cla["period"], cla["region"], cla["england"], cla["status"]) == (
        64.0,
        "year to 31 March 2024",
        25.0,
        27.0,
        None,
    )
    barnet = run("summary", "--council", "Barnet", "--year", "2024", "--json")
    cla = json.loads(barnet.stdout)["context"]["cla_3plus_social_workers_pct"]
    assert cla["value"] is None and cla["status"].startswith("x: not available")


@pytest.mark.realdata
def test_summary_text_shows_the_context_figures(real_data_dir):
    r = run("summary", "--council", "Middlesbrough", "--year", "2024")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()

    def row(label):
        return next(x for x in lines if x.startswith(label)).split("  ")

    def cells(label):
        return [c.strip() for c in row(label) if c.strip()]

    assert cells("Looked-after children with 3 or more")[1:6] == [
        "64%", "25%", "27%", "year to 31 March 2024", "la_cla_swcount.csv"
    ]  # fmt: skip
    assert cells("Children in need per case-holding")[1:4] == ["19.0", "18.3", "19.0"]
    # Started_episodes 1,880 in the year to 31 March 2024 / 102.8 case-holding FTE = 18.29
    started = cells("Children-in-need episodes started")
    assert started[1] == "18.3" and started[4].startswith("episodes started in the year to 31")
    assert cells("Social workers in post (FTE) per 10,000")[1] == "37.8"
    barnet = run("summary", "--council", "Barnet", "--year", "2024").stdout
    assert "Barnet, Looked-after children with 3 or more social workers in the year: x: not " in (
        barnet
    )


@pytest.fixture(scope="module")
def reports(real_data_dir, tmp_path_factory):
    """Middlesbrough and England 2024 from the real folder; Middlesbrough again from a
    folder holding the workforce and neighbour files but no context files."""
    out = tmp_path_factory.mktemp("context-reports")
    partial = tmp_path_factory.mktemp("partial-data")
    for pattern in ("csww_indicators_*.csv", "New_Statistical_Neighbour_Groupings_*.csv"):
        for f in real_data_dir.glob(pattern):
            (partial / f.name).symlink_to(f)
    full = [
        rendering.Job("council", "Middlesbrough", 2024, out / "middlesbrough.html"),
        rendering.Job("england", "England", 2024, out / "england.html"),
    ]
    lacking = [rendering.Job("council", "Middlesbrough", 2024, out / "partial.html")]
    results = rendering.render_jobs(full, str(real_data_dir), workers=1, progress=False)
    results += rendering.render_jobs(lacking, str(partial), workers=1, progress=False)
    assert all(r.ok for r in results), [r.error for r in results]
    return {p.stem: _text(p.read_text()) for p in out.glob("*.html")}


@pytest.mark.realdata
@pytest.mark.slow
def test_council_report_says_what_it_means_for_children(reports):
    t = reports["middlesbrough"]
    assert "What it means for children" in t
    assert (
        "In the year to 31 March 2024, 64% of the children Middlesbrough looked after at "
        "31 March had 3 or more social workers during the year, against 25% in the North East "
        "and 27% in England." in t
    )
    assert "do not show that one causes the other" in t


@pytest.mark.realdata
@pytest.mark.slow
def test_england_report_shows_the_stability_scatter(reports):
    t = reports["england"]
    assert "What instability means for children" in t
    assert "census of 30 September 2023" in t
    assert re.search(
        r"Spearman's rank correlation with the turnover rate: \+0\.\d\d across 1\d\d", t
    )
    assert "describe one year's pattern" in t


@pytest.mark.realdata
@pytest.mark.slow
def test_council_report_without_context_files_names_them(reports):
    t = reports["partial"]
    assert "What it means for children" in t
    assert "no file matching la_cla_swcount.csv" in t and "workforce data fetch" in t
    assert "no file matching b1_children_in_need_*.csv" in t
