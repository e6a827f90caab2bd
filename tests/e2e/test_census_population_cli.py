"""`workforce census summary --children-by-ethnicity` and `workforce render census
--children-by-ethnicity`, run as a council and a region run them."""

import json
import shutil

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from tests.e2e.test_cli import run
from workforce_lib.records.census.demo import generate_region
from workforce_lib.records.census.pseudonym import write_key
from workforce_lib.records.census.regional import leaks_count_below

CHILDREN = FIXTURES / "children"
REGION = FIXTURES / "census" / "region"


def kids_file(path, councils):
    rows = ["la_code,ethnic_group,children,year"]
    for la in councils:
        rows += [f"{la},White,8000,2021", f"{la},Mixed,600,2021", f"{la},Asian,1000,2021",
                 f"{la},Black,300,2021", f"{la},Other,100,2021"]  # fmt: skip
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    d = tmp_path_factory.mktemp("census_population")
    generate_region(d / "returns", councils=3, years=1, seed=8, size=220)
    (d / "no_release").mkdir()  # the fictional councils 001-003 are in no DfE release
    return d


def test_summary_json_has_the_comparison(region):
    kids = kids_file(region / "kids.csv", ["001"])
    ret = next((region / "returns").glob("*001_2025.xml"))
    r = run("census", "summary", str(ret), "--json", "--children-by-ethnicity", str(kids),
            "--data-dir", str(region / "no_release"))  # fmt: skip
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    eth = doc["ethnicity_against_children"]
    assert eth["children_compared"] is True and eth["area"] == "LA 001"
    rows = {row["group"]: row for row in eth["rows"]}
    assert rows["White"]["children"] == 8000 and rows["White"]["children_share"] == 80.0
    assert rows["All"]["children"] == 10000
    # the social workers' counts are those of the summary's own ethnicity table
    table = {row["group"]: row for row in doc["tables"]["ethnicity"]}
    for g in ("White", "Mixed", "Asian", "Black", "Other", "Not known", "All"):
        assert rows[g]["people"] == table[g]["people"], g
    for row in eth["rows"]:  # no count of 1 to 4 social workers, nor a share of a hidden one
        p = row["people"]
        assert p is None or p == 0 or p >= 5
        if p is None and row["group"] != "All with a known group":
            assert row["share"] is None and row.get("share_known") is None
    assert any("Gender is not compared" in n for n in eth["notes"])


def test_summary_text_without_a_file_says_why_not(region):
    ret = next((region / "returns").glob("*001_2025.xml"))
    r = run("census", "summary", str(ret))
    assert r.returncode == 0, r.stderr
    assert "Ethnic group against the council's children:" in r.stdout
    assert "no children's file was given (--children-by-ethnicity FILE" in r.stdout
    assert "Gender is not compared" in r.stdout


def test_ons_codes_matched_through_the_release(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "indicators_small.csv", data / "csww_indicators_2024_to_2025.csv")
    ons = CHILDREN / "ons_rm032_small.csv"
    r = run("census", "summary", str(REGION / "901_2025.xml"), "--json", "--data-dir",
            str(data), "--children-by-ethnicity", str(ons))  # fmt: skip
    assert r.returncode == 0, r.stderr
    eth = json.loads(r.stdout)["ethnicity_against_children"]
    rows = {row["group"]: row for row in eth["rows"]}
    assert rows["White"]["children"] == 374 and rows["Other"]["children"] == 6  # by hand
    assert rows["All"]["people"] is None  # 6 records: every count of social workers hidden
    assert "ONS Census 2021" in " ".join(eth["notes"])


def test_fictional_councils_are_refused_against_dfes_release(region, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / "indicators_small.csv", data / "csww_indicators_2024_to_2025.csv")
    kids = kids_file(region / "kids_001.csv", ["001"])
    ret = next((region / "returns").glob("*001_2025.xml"))
    r = run("census", "summary", str(ret), "--children-by-ethnicity", str(kids),
            "--data-dir", str(data))  # fmt: skip
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "row 2, column 'la_code', value '001': not the LA number of any council" in r.stderr


def test_a_bad_childrens_file_is_refused_before_any_return_is_read(tmp_path):
    r = run("census", "summary", str(tmp_path / "no_such_return.xml"),
            "--children-by-ethnicity", str(CHILDREN / "bad_hostile.csv"))  # fmt: skip
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert "bad_hostile.csv: 7 problems" in r.stderr
    assert "row 3, column 'ethnic_group', value 'Martian'" in r.stderr
    r = run("census", "summary", str(REGION / "901_2025.xml"),
            "--children-by-ethnicity", str(tmp_path / "missing.csv"))  # fmt: skip
    assert r.returncode != 0 and "missing.csv" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_render_census_with_children(region):
    kids = kids_file(region / "kids_all.csv", ["001", "002", "003"])
    key = write_key(region / "region.key")
    bad = run("render", "census", str(region / "returns"), "--key-file", str(key),
              "--out", str(region / "bad"), "--children-by-ethnicity",
              str(CHILDREN / "bad_hostile.csv"))  # fmt: skip
    assert bad.returncode == 2 and "bad_hostile.csv: 7 problems" in bad.stderr
    assert not (region / "bad").exists()  # refused before any kernel started
    r = run("render", "census", str(region / "returns"), "--key-file", str(key),
            "--out", str(region / "out"), "--children-by-ethnicity", str(kids),
            "--data-dir", str(region / "no_release"))  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    html = (region / "out" / "census" / "returns.html").read_text()
    assert "and its children, by ethnic group" in html and "Summed over the 3 councils" in html
    folder = region / "out" / "census" / "returns_tables"
    tables = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
              for p in folder.glob("*.csv")}  # fmt: skip
    eth = tables["region-ethnic-group-against-children"]
    assert eth.set_index("Ethnic group").at["White", "Children aged 0 to 17"] == "24,000"
    assert leaks_count_below({"eth": eth.drop(columns=["Children aged 0 to 17"])}, 5) == []
    people = tables["region-ethnicity"].set_index(tables["region-ethnicity"].columns[0])
    assert (eth.set_index("Ethnic group").loc[people.index, "Social workers"]
            == people["People"]).all()  # fmt: skip


def test_pool_json_and_text_have_each_council_and_the_region(tmp_path):
    kids = kids_file(tmp_path / "kids.csv", ["901", "902", "903"])
    key = write_key(tmp_path / "region.key")
    empty = tmp_path / "no_release"  # the hand-made councils 901-903 are not DfE's
    empty.mkdir()
    args = ["census", "pool", str(REGION), "--key-file", str(key), "--data-dir", str(empty),
            "--children-by-ethnicity", str(kids)]  # fmt: skip
    r = run(*args, "--json")
    assert r.returncode == 0, r.stderr
    eth = json.loads(r.stdout)["ethnicity_against_children"]
    assert eth["year"] == 2025 and set(eth["councils"]) == {"901", "902", "903"}
    one = eth["councils"]["901"]
    assert set(one) == {"area", "year", "children_compared", "rows", "notes"}  # as summary's
    assert one["area"] == "LA 901" and one["children_compared"] is True
    region = {row["group"]: row for row in eth["region"]["rows"]}
    assert region["White"]["children"] == 24000 and region["All"]["children"] == 30000
    for doc in [*eth["councils"].values(), eth["region"]]:
        for row in doc["rows"]:  # a few records each: no count of 1 to 4 shown
            assert row["people"] in (None, 0) or row["people"] >= 5
    # each council's comparison is what its own census summary shows
    own = run("census", "summary", str(REGION / "901_2025.xml"), "--json", "--data-dir",
              str(empty), "--children-by-ethnicity", str(kids))  # fmt: skip
    assert json.loads(own.stdout)["ethnicity_against_children"]["rows"] == one["rows"]
    text = run(*args)
    assert text.returncode == 0, text.stderr
    assert "Ethnic group against the children, 2025, by council and for the region:" in text.stdout
    assert "LA 903: permanent social workers" in text.stdout
    assert "The region (3 councils): permanent social workers" in text.stdout
    assert "Summed over the 3 councils' children" in text.stdout
    plain = run("census", "pool", str(REGION), "--key-file", str(key), "--json")
    assert "ethnicity_against_children" not in json.loads(plain.stdout)


def test_pool_refuses_a_bad_childrens_file_before_reading_returns(tmp_path):
    key = write_key(tmp_path / "region.key")
    r = run("census", "pool", str(tmp_path / "no_such_folder"), "--key-file", str(key),
            "--children-by-ethnicity", str(CHILDREN / "bad_hostile.csv"))  # fmt: skip
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert "bad_hostile.csv: 7 problems" in r.stderr
