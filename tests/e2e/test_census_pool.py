"""`workforce census keygen` and `census pool` end to end: no key, no pooling; no SWE
number or pseudonym in any output; the restricted list only where asked."""

from __future__ import annotations

import json
import re
import stat

from tests import census_returns as cr
from tests.conftest import FIXTURES
from tests.e2e.test_cli import run
from workforce_lib.records.census.pseudonym import read_key
from workforce_lib.records.census.records import person_key

REGION = str(FIXTURES / "census" / "region")


def _fictional_region(tmp_path) -> str:
    """The hand-written region as councils 101-103 (a fictional pool: a registered group)."""
    files = sorted((FIXTURES / "census" / "region").glob("*.xml"))
    return str(cr.fictional_copy(files, tmp_path / "fictional"))


SWE = [f"SW9000{i:02d}" for i in range(1, 13)]


def _no_swe_and_no_pseudonym(text: str, key: bytes) -> None:
    for swe in SWE:
        assert swe not in text and swe[2:] not in text
        assert person_key(swe, key) not in text
    assert not re.search(r"[0-9a-f]{64}", text)


def test_keygen_then_pool_json(tmp_path):
    key_file = tmp_path / "region.key"
    r = run("census", "keygen", "--out", str(key_file))
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    r = run("census", "pool", _fictional_region(tmp_path), "--key-file", str(key_file), "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["councils"] == ["101", "102", "103"] and doc["years"] == [2024, 2025]
    assert "records" not in doc and doc["membership_figures_shown"] is True
    # 2024's leavers, followed into 2025's returns: 101 -> 102 one person (fewer than 5);
    # 2025's are shown once 2026's returns are pooled
    m = {row["From \\ to"]: row for row in doc["movement_matrix"]["2024"]}
    assert m["101"]["102"] == "c" and m["101"]["103"] == "0"
    assert list(doc["movement_matrix"]) == ["2024"] and list(doc["cooling_off"]) == ["2025"]
    assert any("(not yet for 2025)" in n for n in doc["notes"])
    _no_swe_and_no_pseudonym(r.stdout + r.stderr, read_key(key_file))
    assert not (tmp_path / "restricted.csv").exists()


def test_pool_text_and_restricted_list(tmp_path):
    key_file = tmp_path / "k"
    run("census", "keygen", "--out", str(key_file))
    key = read_key(key_file)
    out = tmp_path / "restricted.csv"
    region = _fictional_region(tmp_path)
    r = run("census", "pool", region, "--key-file", str(key_file), "--restricted-out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Moves between member councils, 2024" in r.stdout
    assert "Agency engagements and the cooling-off rule, 2025" in r.stdout
    _no_swe_and_no_pseudonym(r.stdout + r.stderr, key)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = out.read_text().splitlines()
    # by hand: B and C within, E exempt, K start not known, I under 3 years' experience
    assert len(rows) == 1 + 5
    assert person_key("SW900003", key) in out.read_text()  # pseudonyms, never numbers
    assert not any(swe in out.read_text() for swe in SWE)
    again = run("census", "pool", region, "--key-file", str(key_file), "--restricted-out",
                str(out))  # fmt: skip
    assert again.returncode == 2 and "exists already" in again.stderr


def test_a_pool_of_no_registered_group_shows_no_figure_that_depends_on_its_members(
    tmp_path, real_data_dir
):
    """Councils 901-903 are no registered group (England, a DfE region or a group of the
    project's groups.yaml, as DfE's release has them): the moves, leavers' next steps,
    agency flows, cooling-off and experience are not shown, and every output says why;
    the region's own social workers are."""
    key_file = tmp_path / "k"
    run("census", "keygen", "--out", str(key_file))
    r = run("census", "pool", REGION, "--key-file", str(key_file), "--data-dir", str(real_data_dir))
    assert r.returncode == 0, r.stderr
    head = r.stdout.split("Returns received")[0]
    assert "not one registered group" in head and "groups.yaml" in head
    withheld = (
        "Moves between member councils",
        "Net flows between member councils",
        "Permanent leavers' next step in the region",
        "Flows into and out of agency work",
        "Agency engagements and the cooling-off rule",
        "Possible unlinked moves (leavers not seen again)",
        "Agency workers' post-qualifying experience",
    )
    for kind in withheld:
        assert f"{kind}, 2025" not in r.stdout and f"{kind}, 2024" not in r.stdout
    assert "The region's social workers: age" in r.stdout
    j = run("census", "pool", REGION, "--key-file", str(key_file), "--data-dir",
            str(real_data_dir), "--json")  # fmt: skip
    doc = json.loads(j.stdout)
    assert doc["membership_figures_shown"] is False and doc["registered_group"] is None
    assert doc["movement_matrix"] == {} and doc["cooling_off"] == {} and doc["experience"] == []


def test_no_key_no_pooling(tmp_path):
    r = run("census", "pool", REGION, "--key-file", str(tmp_path / "none"))
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr
    weak = tmp_path / "weak"
    weak.write_text("ab" * 8)
    weak.chmod(0o600)
    r = run("census", "pool", REGION, "--key-file", str(weak))
    assert r.returncode == 2 and "fewer than 32" in r.stderr
    assert run("census", "pool", REGION).returncode == 2  # --key-file is required


def test_bad_returns_listed_together(tmp_path):
    key_file = tmp_path / "k"
    run("census", "keygen", "--out", str(key_file))
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "a.xml").write_text("<Message>")
    (folder / "b.xml").write_text("<Other/>")
    r = run("census", "pool", str(folder), "--key-file", str(key_file))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "a.xml" in r.stderr and "b.xml" in r.stderr and "2 problems" in r.stderr


def test_skip_invalid_pools_the_rest_and_every_output_names_what_is_out(tmp_path):
    """Hand-written region (tests/fixtures/census/linkage) and a return of council 923 with
    two records whose SWENo is empty: refused without --skip-invalid (naming the file and
    its 2 problems), pooled without it with the flag, text and JSON saying so."""
    key_file = tmp_path / "k"
    run("census", "keygen", "--out", str(key_file))
    files = sorted((FIXTURES / "census" / "linkage").glob("*.xml"))
    folder = cr.fictional_copy(
        [*files, FIXTURES / "census" / "linkage_invalid" / "923_2025.xml"], tmp_path / "returns"
    )
    r = run("census", "pool", str(folder), "--key-file", str(key_file))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "1 with problems: 123_2025.xml (2)" in r.stderr and "--skip-invalid" in r.stderr
    r = run("census", "pool", str(folder), "--key-file", str(key_file), "--skip-invalid")
    assert r.returncode == 0, r.stderr
    head = r.stdout.split("Returns received")[0]
    assert "Left out of this pool" in head
    assert "123_2025.xml (LA 123, census year 2025): 2 problems" in head
    assert "cannot be seen" in head
    # a member's returns missing: nothing that depends on which councils are members
    assert "No usable return from every member in every year (123 2024, 2025)" in head
    assert "Possible unlinked moves (leavers not seen again), 2025" not in r.stdout
    assert "Moves between member councils, 2025" not in r.stdout
    j = run("census", "pool", str(folder), "--key-file", str(key_file), "--skip-invalid",
            "--json")  # fmt: skip
    doc = json.loads(j.stdout)
    assert doc["councils"] == ["121", "122"] and "records" not in doc
    assert [e["file"] for e in doc["excluded"]] == ["123_2025.xml"]
    assert "123_2025.xml" in doc["left_out"][0]
    assert doc["membership_figures_shown"] is False and doc["possible_unlinked"] == {}
    assert not re.search(r"[0-9a-f]{64}", r.stdout + j.stdout)
    assert "SW9200" not in r.stdout + j.stdout
