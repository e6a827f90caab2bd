"""HR extracts end to end: the commands, and the rendered report never disclosing anyone."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.test_cli import run
from tests.e2e.test_reports import _check_html, _text
from tests.unit.test_hr import leaky_extract
from workforce_lib.measures import MEASURES
from workforce_lib.published.comparison import MeasureComparison

BAD = "tests/fixtures/hr_extract_bad.csv"


@pytest.fixture(scope="module")
def demo_csv(tmp_path_factory):
    """One demo extract (`workforce demo hr-extract`, default seed) for the tests that read
    it and do not change it."""
    path = tmp_path_factory.mktemp("demo") / "demo.csv"
    r = run("demo", "hr-extract", "--out", str(path))
    assert r.returncode == 0, r.stderr
    return path


def test_demo_then_summary_json(tmp_path):
    out = tmp_path / "demo.xlsx"
    r = run("demo", "hr-extract", "--out", str(out), "--seed", "3")
    assert r.returncode == 0, r.stderr
    assert "fictional" in r.stdout and out.exists()
    r = run("hr", "summary", str(out), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert set(doc) >= {"measures", "length_of_service", "caseload_distribution", "teams",
                        "asye_cohorts", "as_at", "disclosure_threshold"}  # fmt: skip
    assert set(doc["measures"]) == set(MEASURES)
    fields = set(MeasureComparison.__dataclass_fields__)
    assert all(set(v) == fields for v in doc["measures"].values())
    assert doc["as_at"] == "2025-09-30" and doc["disclosure_threshold"] == 5
    assert "DEMO-" not in r.stdout


def test_hr_json_measures_have_the_shape_of_summary_json(real_data_dir, demo_csv):
    council = json.loads(run("summary", "--council", "Leeds", "--json").stdout)
    doc = json.loads(run("hr", "summary", str(demo_csv), "--json").stdout)
    assert set(doc["measures"]) == set(council["measures"])
    for name in MEASURES:
        assert set(doc["measures"][name]) == set(council["measures"][name])


def test_bad_extract_exit_code_and_every_problem(tmp_path):
    r = run("hr", "summary", BAD)
    assert r.returncode == 2
    assert "11 problems" in r.stderr
    assert "row 7, column 'role', value 'wizard'" in r.stderr
    assert "Traceback" not in r.stderr


def test_as_at_after_extract_is_a_clear_error():
    r = run("hr", "summary", "tests/fixtures/hr_extract_small.csv", "--as-at", "2026-01-01")
    assert r.returncode == 2 and "after the extract date" in r.stderr


def test_rendered_report_discloses_nobody(tmp_path):
    extract = leaky_extract(tmp_path)
    out = tmp_path / "leaky.html"
    r = run("render", "hr", str(extract), "--out", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    page = out.read_text()
    _check_html(page, licensed=False)  # the council's own data: no DfE licence line
    text = _text(page)
    assert "LEAKID" not in page and "dismissal" not in page  # reasons are shown in words
    assert "Counts of fewer than 5 people are suppressed" in text
    assert re.search(r"Leavers \(headcount\)\s+c\s", text)
    assert re.search(r"Solo Team( \S+)*? c c", text)
    tables = out.with_name("leaky_tables")
    csvs = list(tables.glob("*.csv"))
    assert len(csvs) >= 5
    for csv in csvs:
        body = csv.read_text()
        assert "LEAKID" not in body
    teams = (tables / "teams.csv").read_text().splitlines()
    solo = next(line for line in teams if line.startswith("Solo Team"))
    assert solo.split(",")[1:3] == ["c", "c"]


def test_notebook_threshold_parameter_changes_the_report(tmp_path):
    extract = leaky_extract(tmp_path)
    out = tmp_path / "six.html"
    r = run("render", "hr", str(extract), "--out", str(out), "--threshold", "6")
    assert r.returncode == 0, r.stdout + r.stderr
    text = _text(out.read_text())
    assert "Counts of fewer than 6 people are suppressed" in text
    assert "LEAKID" not in out.read_text()  # ids never, whatever the threshold


def test_the_day_apart_attack_is_refused(demo_csv):
    demo = demo_csv
    for day in ("2025-06-06", "2025-06-07"):
        r = run("hr", "summary", str(demo), "--as-at", day, "--json")
        assert r.returncode == 2 and "not a month end" in r.stderr, r.stderr
        assert "Traceback" not in r.stderr and r.stdout == ""
    r = run("hr", "summary", str(demo), "--as-at", "2025-05-31", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["as_at"] == "2025-05-31"


def test_thresholds_below_five_and_a_nan_desired_caseload_are_refused(tmp_path, demo_csv):
    demo = demo_csv
    for args, words in (
        (("--threshold", "1"), "from 5 to 20"),
        (("--threshold", "4"), "from 5 to 20"),
        (("--desired-caseload", "nan"), "desired caseload"),
        (("--desired-caseload", "inf"), "desired caseload"),
    ):
        r = run("hr", "summary", str(demo), *args)
        assert r.returncode == 2 and words in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.stderr
    r = run("render", "hr", str(demo), "--out", str(tmp_path / "x.html"), "--threshold", "3")
    assert r.returncode == 2 and "from 5 to 20" in r.stderr
    assert not (tmp_path / "x.html").exists()


def test_hostile_extract_values_are_listed_not_garbled():
    r = run("hr", "summary", "tests/fixtures/hr_extract_hostile.csv")
    assert r.returncode == 2 and "9 problems" in r.stderr
    assert "row 2, column 'leaving_date', value '9999-12-31': out of range" in r.stderr
    assert "column 'None'" not in r.stderr and "Traceback" not in r.stderr
