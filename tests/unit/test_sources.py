"""The manifest of inputs: a typed model, and each file checked as present, missing or
invalid."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES
from workforce_lib.constants import INDICATORS_GLOB
from workforce_lib.errors import WorkforceError
from workforce_lib.published.loading import sha256
from workforce_lib.published.sources import check_folder, load_manifest, parse_manifest


def test_manifest_lists_every_input_and_only_indicators_is_required():
    m = load_manifest()
    assert set(m.sources) == {
        "indicators",
        "neighbours_2025",
        "neighbours_2021",
        "ofsted",
        "population",
        "cla_social_workers",
        "children_in_need",
    }
    assert [k for k, s in m.sources.items() if s.required] == ["indicators"]
    assert m.sources["indicators"].pattern == INDICATORS_GLOB
    for s in m.sources.values():
        assert s.licence == "Open Government Licence v3.0"
        assert s.url.startswith("https://") and s.page.startswith("https://")


MANIFEST_TEXT = (FIXTURES.parent.parent / "data" / "sources.yaml").read_text()


def test_manifest_refuses_unknown_keys_aliases_and_wrong_shapes():
    with pytest.raises(WorkforceError, match="sources.x.colour: unknown key"):
        parse_manifest("sources: {x: {colour: red}}")
    with pytest.raises(WorkforceError, match="aliases"):
        parse_manifest("a: &x [1, 2]\nb: [*x, *x]\n")
    with pytest.raises(WorkforceError, match="it must be a mapping"):
        parse_manifest("- just\n- a list\n")
    with pytest.raises(WorkforceError, match="sha256"):
        parse_manifest(MANIFEST_TEXT.replace("sha256: 9e058bac", "sha256: zz058bac"))


def _hostile(old: str, new: str) -> str:
    """The project's manifest with one line of the indicators entry changed."""
    assert old in MANIFEST_TEXT
    return MANIFEST_TEXT.replace(old, new, 1)


# each: the edit, then text the error must hold (the file's name and the key)
HOSTILE = {
    # a second copy of a source would silently replace the first
    "duplicate source": (
        "  neighbours_2021:",
        "  neighbours_2025:\n    pattern: x.csv\n  neighbours_2021:",
        "key 'neighbours_2025' is given twice",
    ),
    "duplicate field": (
        "    required: true\n",
        "    required: true\n    required: false\n",
        "key 'required' is given twice",
    ),
    "anchor and alias": (
        "    used_for: every report\n",
        "    used_for: &u every report\n    title: *u\n",
        "anchors and aliases",
    ),
    "unknown key": ("    required: true\n", "    required: true\n    mirror: x\n", "mirror"),
    "wrong type, bool": ("    required: true", "    required: maybe", "indicators.required"),
    "bool as text": ("    required: true", '    required: "yes"', "sources.indicators.required"),
    "wrong type, list": (
        "    title: Children's social work workforce indicators",
        "    title:\n      - Children's social work workforce indicators",
        "sources.indicators.title",
    ),
    "wrong type, columns": (
        "    columns: [old_la_code, la_name, SN_1",
        "    columns: 5\n    x_columns: [old_la_code, la_name, SN_1",
        "sources.neighbours_2025.columns",
    ),
    "sha256 upper case": (
        "sha256: 9e058bac193cc5b03f0d21ebe4259c8935d236dbf59f09d90b3e0916bfbca95f",
        "sha256: 9E058BAC193CC5B03F0D21EBE4259C8935D236DBF59F09D90B3E0916BFBCA95F",
        "sources.indicators.sha256",
    ),
    "sha256 short": (
        "sha256: 9e058bac193cc5b03f0d21ebe4259c8935d236dbf59f09d90b3e0916bfbca95f",
        "sha256: 9e058bac193cc5b03f0d21ebe4259c8935d236dbf59f09d90b3e0916bfbca95",
        "sources.indicators.sha256",
    ),
    "sha256 a number": (
        "sha256: 9e058bac193cc5b03f0d21ebe4259c8935d236dbf59f09d90b3e0916bfbca95f",
        "sha256: 1234",
        "sources.indicators.sha256",
    ),
    "http url": (
        "    url: https://content.explore",
        "    url: http://content.explore",
        "sources.indicators.url: Value error, must be an https:// address",
    ),
    "ftp url": (
        "    url: https://content.explore",
        "    url: ftp://content.explore",
        "sources.indicators.url",
    ),
    "http page": (
        "    page: https://explore-education",
        "    page: http://explore-education",
        "sources.indicators.page",
    ),
    "url with a password": (
        "    url: https://content.explore",
        "    url: https://me:secret@content.explore",
        "sources.indicators.url",
    ),
    "file is a path": (
        "    file: csww_indicators_2017_to_2025.csv",
        "    file: ../../etc/passwd",
        "sources.indicators.file",
    ),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_manifest_is_refused_naming_file_and_key(tmp_path, case):
    old, new, expected = HOSTILE[case]
    path = tmp_path / "sources.yaml"
    path.write_text(_hostile(old, new))
    with pytest.raises(WorkforceError) as err:
        load_manifest(path)
    assert "sources.yaml" in str(err.value) and expected in str(err.value)


def test_manifest_plain_http_only_to_this_machine():
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000"):
        local = _hostile("    url: https://content.", f"    url: http://{host}/")
        assert parse_manifest(local).sources["indicators"].url.startswith(f"http://{host}/")
    with pytest.raises(WorkforceError, match="must be an https:// address"):
        parse_manifest(_hostile("    url: https://content.", "    url: http://127.0.0.1.nip.io/"))


def test_every_problem_in_one_error(tmp_path):
    text = _hostile("    required: true", "    required: maybe\n    colour: red")
    text = text.replace("    url: https://raw", "    url: http://raw", 1)
    with pytest.raises(WorkforceError) as err:
        parse_manifest(text)
    msg = str(err.value)
    assert "3 problems" in msg
    assert "required" in msg and "colour: unknown key" in msg and "neighbours_2025.url" in msg


def test_huge_manifest_is_refused_unread(tmp_path):
    huge = tmp_path / "sources.yaml"
    with open(huge, "wb") as fh:  # sparse: nothing to read, nothing parsed
        fh.truncate(50 * 2**20)
    with pytest.raises(WorkforceError, match="sources.yaml: 52,428,800 bytes"):
        load_manifest(huge)
    with pytest.raises(WorkforceError, match="bytes; a config file may be at most"):
        parse_manifest("sources: {}\n" + "#" * 2_000_000)


@pytest.mark.realdata
def test_manifest_checksums_are_those_of_the_shared_copies(real_data_dir):
    for kind, s in load_manifest().sources.items():
        assert sha256(real_data_dir / s.file) == s.sha256, kind


def test_check_folder_present_missing_invalid(small_csv):
    folder = small_csv.parent
    shutil.copy(FIXTURES / "sn_model_small_wide.csv", folder / "sn_model_2025_wide.csv")
    (folder / "la_cla_swcount.csv").write_text("time_period,old_la_code\n2024,901\n")
    status = {c.kind: c for c in check_folder(folder)}
    assert status["indicators"].status == "present"
    assert "checksum differs" in status["indicators"].message  # not the published file
    assert status["neighbours_2025"].status == "present"
    assert status["ofsted"].status == "missing" and status["ofsted"].ok  # optional
    bad = status["cla_social_workers"]
    assert bad.status == "invalid" and not bad.ok
    assert "la_cla_swcount.csv: columns missing: geographic_level, la_name" in bad.message


def test_check_folder_invalid_indicators_names_file_and_columns(tmp_path):
    text = (FIXTURES / "indicators_small.csv").read_text()
    text = text.replace("caseload_fte,", "caseload,", 1)
    (tmp_path / "csww_indicators_2024_to_2025.csv").write_text(text)
    c = {c.kind: c for c in check_folder(tmp_path)}["indicators"]
    assert c.status == "invalid" and not c.ok
    assert "csww_indicators_2024_to_2025.csv" in c.message and "caseload_fte" in c.message


def test_check_folder_does_not_read_an_oversized_file(tmp_path):
    big = tmp_path / "csww_indicators_2017_to_2025.csv"
    with open(big, "wb") as fh:  # sparse: no disk used, nothing read
        fh.truncate(200 * 2**20)
    c = {c.kind: c for c in check_folder(tmp_path)}["indicators"]
    assert c.status == "invalid" and "more than the 104857600" in c.message
