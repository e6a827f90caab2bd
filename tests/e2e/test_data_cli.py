"""`workforce data fetch | check | revisions`, `summary --neighbours`, and a council report
rendered from a folder holding only the indicators file."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES


def run(*args, env=None):
    exe = shutil.which("workforce") or f"{sys.prefix}/bin/workforce"
    return subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=600)


def test_data_check_fails_naming_file_and_missing_columns(tmp_path):
    text = (FIXTURES / "indicators_small.csv").read_text()
    header, rest = text.split("\n", 1)
    header = header.replace(",caseload_fte", "").replace(",absence_rate_fte", "")
    (tmp_path / "csww_indicators_2024_to_2025.csv").write_text(header + "\n" + rest)
    r = run("data", "check", "--data-dir", str(tmp_path))
    assert r.returncode != 0 and "Traceback" not in r.stderr
    out = r.stdout + r.stderr
    assert re.search(r"indicators\s+invalid\s+csww_indicators_2024_to_2025.csv", out)
    assert "caseload_fte" in out and "absence_rate_fte" in out
    assert re.search(r"ofsted\s+missing\s+LA_Inspection_Outcomes_\*\.ods", out)


def test_data_check_passes_with_only_the_required_file(small_csv):
    r = run("data", "check", "--data-dir", str(small_csv.parent))
    assert r.returncode == 0, r.stderr
    assert re.search(r"indicators\s+present", r.stdout)
    assert re.search(r"neighbours_2025\s+missing\s+sn_model_2025_wide.csv", r.stdout)


def test_data_revisions_lists_a_revised_value_with_both_values(tmp_path):
    shutil.copy(
        FIXTURES / "indicators_small_2024_vintage.csv",
        tmp_path / "csww_indicators_2017_to_2024.csv",
    )
    shutil.copy(FIXTURES / "indicators_small.csv", tmp_path / "csww_indicators_2017_to_2025.csv")
    r = run("data", "revisions", "--json", "--data-dir", str(tmp_path))  # the two newest
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {
        "year": 2024,
        "level": "Local authority",
        "area": "Alderbury",
        "old_la_code": "901",
        "column": "inpost_fte",
        "old": "98.5",
        "new": "100.0",
        "change": "value revised",
    } in rows
    r = run("data", "revisions", str(FIXTURES / "indicators_small.csv"))
    assert r.returncode != 0 and "two files" in r.stderr


def test_data_revisions_says_which_file_each_year_comes_from_and_why(tmp_path):
    shutil.copy(
        FIXTURES / "indicators_small_2024_vintage.csv",
        tmp_path / "csww_indicators_2017_to_2024.csv",
    )
    shutil.copy(FIXTURES / "indicators_small.csv", tmp_path / "csww_indicators_2017_to_2025.csv")
    r = run("data", "revisions", "--data-dir", str(tmp_path))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Used: csww_indicators_2017_to_2025.csv, the newest of 2 ")
    assert "it holds the latest period: time_period up to 2025" in lines[0]
    years = {line.split(":")[0].strip(): line for line in lines if line.startswith("  20")}
    assert years["2023"].startswith("  2023: -: not shown: only csww_indicators_2017_to_2024")
    assert years["2024"].startswith(
        "  2024: csww_indicators_2017_to_2025.csv: the newest file holding 2024 (the one the "
        "library reads); it revises csww_indicators_2017_to_2024.csv's 2024 figures: value "
        "revised: 1"
    )
    assert years["2025"].endswith("and the only one")


@pytest.mark.realdata
def test_summary_neighbours_model_choice(real_data_dir):
    r25 = run("summary", "--council", "Bedford", "--year", "2025", "--json")
    r21 = run("summary", "--council", "Bedford", "--year", "2025", "--json", "--neighbours", "2021")
    assert r25.returncode == 0 and r21.returncode == 0, r25.stderr + r21.stderr
    d25, d21 = json.loads(r25.stdout), json.loads(r21.stdout)
    assert d25["measures"]["turnover_rate_fte"]["neighbours_with_data"] == 10
    assert d21["measures"]["turnover_rate_fte"]["neighbours_total"] == 9
    assert any("2025 statistical-neighbour model" in n for n in d25["notes"])
    assert any("April 2021" in n and "counted once" in n for n in d21["notes"])


@pytest.mark.slow
@pytest.mark.realdata
def test_council_report_renders_from_only_the_indicators_file(real_data_dir, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(real_data_dir / "csww_indicators_2017_to_2025.csv", data)
    out = tmp_path / "reports"
    env = {**os.environ, "WORKFORCE_DATA_DIR": str(data)}
    r = run(
        "render",
        "council",
        "Bedford",
        "--year",
        "2025",
        "--out",
        str(out),
        "--data-dir",
        str(data),
        "--workers",
        "1",
        env=env,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    html = next(out.rglob("bedford.html")).read_text()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Traceback" not in html
    # each missing optional input is named, with the command that gets it
    for pattern in ("sn_model_2025_wide.csv", "LA_Inspection_Outcomes_*.ods"):
        assert f"no file matching {pattern}" in text, pattern
    assert text.count("workforce data fetch") >= 2
