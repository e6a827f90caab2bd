"""The manifest of inputs: a typed model, and each file checked as present, missing or
invalid."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES
from workforce_lib.constants import INDICATORS_GLOB
from workforce_lib.errors import WorkforceError
from workforce_lib.loading import sha256
from workforce_lib.sources import check_folder, load_manifest, parse_manifest


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


def test_manifest_refuses_unknown_keys_aliases_and_wrong_shapes():
    with pytest.raises(WorkforceError, match="sources.x.colour: Extra inputs"):
        parse_manifest("sources: {x: {colour: red}}")
    with pytest.raises(WorkforceError, match="aliases"):
        parse_manifest("a: &x [1, 2]\nb: [*x, *x]\n")
    with pytest.raises(WorkforceError, match="expected a mapping"):
        parse_manifest("- just\n- a list\n")
    with pytest.raises(WorkforceError, match="sha256"):
        text = (FIXTURES.parent.parent / "data" / "sources.yaml").read_text()
        parse_manifest(text.replace("sha256: 9e058bac", "sha256: zz058bac"))


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
