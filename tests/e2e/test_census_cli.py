"""`workforce census ...` and `workforce demo census`, run as a council runs them."""

import json

from tests.conftest import FIXTURES
from tests.e2e.test_cli import run
from workforce_lib.records import hr
from workforce_lib.records.census.convert import to_extract
from workforce_lib.records.census.reader import read_return
from workforce_lib.records.demo import demo_extract
from workforce_lib.records.extract import read_extract, write_extract

CENSUS = FIXTURES / "census"


def test_validate_lists_every_problem_and_exits_non_zero():
    r = run("census", "validate", str(CENSUS / "small_2025.xml"), str(CENSUS / "bad_many.xml"),
            str(CENSUS / "bomb.xml"), str(CENSUS / "empty.xml"))  # fmt: skip
    assert r.returncode == 2 and "Traceback" not in r.stderr
    out = r.stdout
    assert "small_2025.xml: valid (9 records, LA 990, census year 2025)" in out
    assert "bad_many.xml: 5 problem(s)" in out and out.count("error: bad_many.xml, line") == 5
    assert "bomb.xml, line 2: the file declares a DTD (<!DOCTYPE>): refused before parsing" in out
    assert "empty.xml: empty file" in out
    assert "SW100" not in out


def test_summary_json_and_text():
    files = [str(CENSUS / "small_2025.xml"), str(CENSUS / "small_2024.xml")]
    r = run("census", "summary", *files, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    # 4 people (W2's two posts are one person): fewer than 5, so never shown
    assert doc["measures"]["inpost_headcount"]["value"] is None
    assert doc["measures"]["inpost_fte"]["value"] is None  # nor its FTE
    assert doc["flow_checks"][0]["agrees"] is True  # the hand-counted figures: unit tests
    assert doc["flow_checks"][0]["inpost_now"] is None


def test_thresholds_below_5_are_refused_before_any_return_is_read(tmp_path):
    files = [str(CENSUS / "small_2025.xml"), str(CENSUS / "small_2024.xml")]
    for threshold in ("1", "4", "0", "-3", "x"):
        r = run("census", "summary", *files, "--json", "--threshold", threshold)
        assert r.returncode == 2 and "Traceback" not in r.stderr, (threshold, r.stderr)
        assert r.stdout == "" and "--threshold" in r.stderr
        assert "5 or more" in r.stderr
    key = tmp_path / "k.key"
    assert run("census", "keygen", "--out", str(key)).returncode == 0
    r = run("census", "pool", str(CENSUS / "region"), "--key-file", str(key), "--threshold", "4")
    assert r.returncode == 2 and r.stdout == "" and "fewer than 5 people" in r.stderr
    assert run("census", "summary", *files, "--threshold", "5").returncode == 0


def test_summary_text_and_a_bad_return():
    r = run("census", "summary", str(CENSUS / "small_2025.xml"), str(CENSUS / "bad_fte.xml"))
    assert r.returncode == 2 and "bad_fte.xml: 1 problem" in r.stderr
    assert "Traceback" not in r.stderr


def test_from_extract_round_trip(tmp_path):
    # an HR extract -> a return -> validated -> DfE's components equal the HR path's
    extract_path = write_extract(demo_extract(seed=4, posts=90), tmp_path / "x.csv")
    out = tmp_path / "return.xml"
    r = run("census", "from-extract", str(extract_path), "--out", str(out), "--council", "990")
    assert r.returncode == 0, r.stderr
    assert "NOT READY TO SUBMIT" in r.stdout  # no SWE numbers given: placeholders flagged
    v = run("census", "validate", str(out))
    assert v.returncode == 0 and "NOT ready to submit" in v.stdout
    ex = read_extract(extract_path)
    ret = read_return(out)
    want = hr.components_at(ex, ex.extract_date).iloc[0]
    got = hr.components_at(to_extract(ret), ret.reference_date).iloc[0]
    for name in want.index:
        assert abs(got[name] - want[name]) < 1e-6, name


def test_demo_census_writes_valid_returns(tmp_path):
    r = run("demo", "census", "--councils", "3", "--years", "2", "--size", "40",
            "--out", str(tmp_path / "region"))  # fmt: skip
    assert r.returncode == 0, r.stderr
    files = sorted((tmp_path / "region").glob("*.xml"))
    assert [f.name for f in files] == [f"csww_00{c}_{y}.xml" for c in (1, 2, 3)
                                       for y in (2024, 2025)]  # fmt: skip
    assert not list((tmp_path / "region").glob("*.csv"))  # no answer file unless asked
    v = run("census", "validate", *map(str, files))
    assert v.returncode == 0 and "6 ready to submit" in v.stdout
