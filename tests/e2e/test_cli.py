"""The installed `workforce` command, run as a user runs it."""

import json
import os
import re
import shutil
import subprocess
import sys

from tests.conftest import NORTH_EAST_2025
from tests.unit.test_areas import BILLION_LAUGHS


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


# ---------------------------------------------------------------- hostile inputs: one clear
# message, a non-zero exit, never a traceback (each of these gave one, or hung, before)
def _data(tmp_path, text: bytes | None = None):
    from tests.conftest import FIXTURES

    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    body = (FIXTURES / "indicators_small.csv").read_bytes() if text is None else text
    (folder / "csww_indicators_2024_to_2025.csv").write_bytes(body)
    return folder


def _clean_failure(r, rc: int, *needles: str):
    assert r.returncode == rc, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, r.stderr
    for needle in needles:
        assert needle in r.stderr, (needle, r.stderr)


def test_quality_for_a_year_not_in_the_file(tmp_path):
    r = run("quality", "--year", "2030", "--data-dir", str(_data(tmp_path)))
    _clean_failure(r, 2, "No 2030 in csww_indicators_2024_to_2025.csv: it holds 2024-2025")


def test_header_only_release_is_one_error_for_every_command(tmp_path):
    from tests.conftest import FIXTURES

    header = (FIXTURES / "indicators_small.csv").read_bytes().splitlines(keepends=True)[0]
    data = str(_data(tmp_path, header))
    for args in (
        ["quality"],
        ["summary", "--group", "North East"],
        ["render", "all", "--out", str(tmp_path / "out")],
    ):
        _clean_failure(run(*args, "--data-dir", data), 2, "header but no data rows")


def test_unreadable_release_files_are_named(tmp_path):
    from tests.conftest import FIXTURES

    text = (FIXTURES / "indicators_small.csv").read_text().replace("Castleton", "Castletón")
    for body, needle in (
        (text.encode("latin-1"), "byte 0xf3 on line 6 is not UTF-8"),
        (text.encode("utf-16"), "cannot read it as UTF-8: it is UTF-16 text"),
    ):  # an empty file and more: tests/unit/test_release.py
        data = _data(tmp_path, body)
        r = run("quality", "--data-dir", str(data))
        _clean_failure(r, 2, str(data / "csww_indicators_2024_to_2025.csv"), needle)


def test_a_closed_pipe_is_not_a_traceback(tmp_path):
    """`workforce quality | head`: before, BrokenPipeError and a traceback."""
    exe = shutil.which("workforce") or f"{sys.prefix}/bin/workforce"
    p = subprocess.Popen(
        [exe, "quality", "--data-dir", str(_data(tmp_path))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    p.stdout.close()  # the reader goes away before the first line is written
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_an_unwritable_output_folder_lists_the_failures_then_one_error(tmp_path):
    """Before: a traceback writing the index, and the failures never listed."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the output folder should be")
    config = tmp_path / "reports.yaml"
    config.write_text("councils: [Alderbury]\nregions: []\nengland: false\n")
    r = run("render", "all", "--out", str(blocker / "reports"), "--config", str(config),
            "--fresh-kernels", "--workers", "1", "--data-dir", str(_data(tmp_path)))  # fmt: skip
    _clean_failure(r, 1, "could not write the index or summary")
    assert "0 of 1 reports rendered" in r.stdout
    assert "FAILED council Alderbury: could not write the report (Not a directory" in r.stdout


def test_scenario_settings_out_of_range(tmp_path):
    data = str(_data(tmp_path))
    for setting, needle in (
        ("years=inf", "years must be from 1 to 30, not 'inf'"),
        ("simulations=1e308", "simulations must be from 0 to 10,000, not '1e308'"),
        ("establishment_growth=nan", "establishment_growth must be from -99 to 100"),
    ):  # every setting's range: tests/unit/test_scenario.py
        r = run("scenario", "--council", "Alderbury", "--set", setting, "--data-dir", data)
        _clean_failure(r, 2, needle)


def test_hostile_groups_files(tmp_path):
    data = str(_data(tmp_path))
    laughs = tmp_path / "laughs.yaml"
    laughs.write_text(BILLION_LAUGHS + "groups:\n  X:\n    councils: *i\n")
    r = run("summary", "--group", "X", "--groups", str(laughs), "--data-dir", data)
    _clean_failure(r, 2, f"{laughs}: line 1, column 4: YAML anchors and aliases")
    listed = tmp_path / "list.yaml"
    listed.write_text("- North East\n")
    r = run("summary", "--group", "X", "--groups", str(listed), "--data-dir", data)
    _clean_failure(r, 2, f"{listed}: the file holds a list")


def test_empty_reports_config_is_an_error_not_everything(tmp_path):
    empty = tmp_path / "reports.yaml"
    empty.write_text("")
    r = run("render", "all", "--config", str(empty), "--out", str(tmp_path / "out"),
            "--data-dir", str(_data(tmp_path)))  # fmt: skip
    _clean_failure(r, 2, f"{empty}: the file is empty")
    assert not (tmp_path / "out").exists()


def test_relative_out_keeps_every_table(real_data_dir, tmp_path):
    """`render council Leeds --out relreports` from a folder outside the checkout: before,
    the HTML was written but every CSV table went to the kernel's temporary folder."""
    exe = shutil.which("workforce") or f"{sys.prefix}/bin/workforce"
    r = subprocess.run([exe, "render", "council", "Leeds", "--year", "2025", "--out",
                        "relreports"], capture_output=True, text=True, cwd=tmp_path,
                       timeout=600)  # fmt: skip
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "relreports/2025/councils/leeds.html").read_text()
    tables = tmp_path / "relreports/2025/councils/leeds_tables"
    links = set(re.findall(r'href="leeds_tables/([^"]+\.csv)"', html))
    assert links and links <= {p.name for p in tables.glob("*.csv")}  # no dead link
