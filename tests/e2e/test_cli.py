"""The installed `workforce` command, run as a user runs it."""

import json
import os
import shutil
import subprocess
import sys

from tests.conftest import NORTH_EAST_2025


def run(*args, env=None):
    exe = shutil.which("workforce") or f"{sys.prefix}/bin/workforce"
    return subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=120)


def test_summary_json_northumberland_2022(real_data_dir):
    r = run("summary", "--council", "Northumberland", "--year", "2022", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["area"], doc["kind"], doc["year"], doc["region"]) == (
        "Northumberland",
        "council",
        2022,
        "North East",
    )
    m = doc["measures"]
    assert set(m["turnover_rate_fte"]) >= {
        "value",
        "previous",
        "change",
        "region",
        "england",
        "neighbours_median",
        "rank_in_region",
        "rank_in_england",
        "quartile",
        "status",
    }
    assert (m["turnover_rate_fte"]["value"], m["turnover_rate_fte"]["previous"]) == (15.9, 15.8)
    assert m["leavers_fte"]["value"] == 28.8
    assert (m["agency_rate_fte"]["value"], m["agency_rate_fte"]["previous"]) == (6.2, 10.0)
    assert (m["absence_rate_fte"]["value"], m["absence_rate_fte"]["previous"]) == (1.9, 3.6)
    for col in [
        "inpost_fte",
        "starters_fte",
        "agency_cover_rate_fte",
        "vacancy_fte",
        "vacancy_rate_fte",
        "caseload_fte",
    ]:
        assert col in m


def test_summary_group_table_north_east_2025(real_data_dir):
    r = run("summary", "--group", "North East", "--year", "2025")
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith("Turnover rate "))
    assert line.split()[2] == "11.7%"
    j = json.loads(run("summary", "--group", "North East", "--year", "2025", "--json").stdout)
    got = {k: j["measures"][k]["value"] for k in NORTH_EAST_2025}
    assert got == NORTH_EAST_2025
    assert j["kind"] == "group" and len(j["members"]) == 12


def test_summary_default_year_is_latest(real_data_dir):
    j = json.loads(run("summary", "--council", "E08000008", "--json").stdout)
    assert j["area"] == "Tameside" and j["year"] == 2025


def test_unknown_council_exit_code_and_suggestion(real_data_dir):
    r = run("summary", "--council", "Northumbria")
    assert r.returncode == 2
    assert "Northumberland" in r.stderr and "Traceback" not in r.stderr


def test_symbols_in_words_in_table(real_data_dir):
    r = run("summary", "--council", "Sunderland", "--year", "2024")
    line = next(x for x in r.stdout.splitlines() if x.startswith("Turnover rate "))
    assert "low reliability (u)" in line and "suppressed" not in line and "unranked" in line
    r = run("summary", "--council", "Sunderland", "--year", "2025")
    line = next(x for x in r.stdout.splitlines() if x.startswith("Agency rate "))
    assert "less than 0.5%" in line and "suppressed" not in line


def test_summary_group_json_changes_like_for_like(real_data_dir):
    # North East 2024 leavers: DfE published 271.5 (the councils' sum, without
    # Sunderland's 'u', was 269.5): 2025's 269.9 is down 1.6, not up 0.4
    j = json.loads(run("summary", "--group", "North East", "--year", "2025", "--json").stdout)
    leavers = j["measures"]["leavers_fte"]
    assert (leavers["previous"], leavers["change"]) == (271.5, -1.6)
    j = json.loads(run("summary", "--council", "Westminster", "--year", "2025", "--json").stdout)
    assert j["measures"]["turnover_rate_fte"]["rank_in_region"] is None
    assert j["measures"]["turnover_rate_fte"]["rank_in_england"] is None


def test_quality_command(real_data_dir):
    r = run("quality", "--year", "2025")
    assert r.returncode == 0, r.stderr
    assert "reproduced within rounding" in r.stdout
    assert "DfE used their 2024 returns" in r.stdout


def test_missing_data_dir_is_a_clear_error(tmp_path):
    env = {**os.environ, "WORKFORCE_DATA_DIR": str(tmp_path)}
    r = run("summary", "--council", "Northumberland", env=env)
    assert r.returncode == 2 and "WORKFORCE_DATA_DIR" in r.stderr


def test_data_check(real_data_dir):
    r = run("data", "check")
    assert r.returncode == 0 and "csww_indicators_2017_to_2025.csv" in r.stdout


def test_data_fetch_offline_names_the_data_dir(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "WORKFORCE_DATA_DIR": str(tmp_path / "dfe")}
    r = run("data", "fetch", "--url", f"http://127.0.0.1:{port}/x.zip", env=env)
    assert r.returncode == 2
    assert str(tmp_path / "dfe") in r.stderr and "WORKFORCE_DATA_DIR" in r.stderr


def test_scenario_json_and_settings(real_data_dir):
    r = run("scenario", "--council", "Northumberland", "--set", "turnover_cut_points=3", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["area"] == "Northumberland" and doc["years"][0] == doc["base_year"]
    assert doc["scenario_settings"]["cut_turnover"] == {"turnover_cut_points": 3.0}
    s = doc["scenarios"]["combined"]
    for t in range(1, len(doc["years"])):  # conservation, on the rounded JSON figures
        flow = s["starters_fte"][t] + s["conversions_fte"][t] - s["leavers_fte"][t]
        assert abs(s["inpost_fte"][t] - (s["inpost_fte"][t - 1] + flow)) <= 0.2


def test_scenario_table_and_refusals(real_data_dir):
    r = run("scenario", "--group", "Eastern MoU")
    assert r.returncode == 0, r.stderr
    assert "baseline" in r.stdout and "combined" in r.stdout and "£" in r.stdout
    r = run("scenario", "--council", "Leeds", "--set", "conversion_share=2")
    assert r.returncode == 2 and "more than the agency stock" in r.stderr
    r = run("scenario", "--council", "Leeds", "--set", "nonsense")
    assert r.returncode == 2 and "name=value" in r.stderr
