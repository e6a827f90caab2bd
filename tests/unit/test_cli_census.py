"""What `workforce census ...` does, called without a subprocess."""

import pytest

from workforce_lib import cli_census
from workforce_lib.errors import WorkforceError


def test_from_extract_never_overwrites_a_return(tmp_path):
    # the --out file may be the return the council submitted: refused before anything runs
    out = tmp_path / "csww_2025.xml"
    out.write_text("<Message>the submitted return</Message>")
    with pytest.raises(WorkforceError, match="exists already; not overwritten"):
        cli_census.from_extract(str(tmp_path / "no_extract.csv"), str(out), "990", None)
    assert out.read_text() == "<Message>the submitted return</Message>"


def test_summary_refuses_a_threshold_below_5_before_reading(tmp_path):
    with pytest.raises(WorkforceError, match="fewer than 5 people"):
        cli_census.summary([str(tmp_path / "missing.xml")], as_json=True, threshold=3)


def test_summary_text_says_suppressed_in_the_one_wording_of_disclosure():
    # the text printed its own "c = not shown to protect individuals: fewer than 5 people,
    # ... or a month whose change ..." (an HR wording; months are not in a census summary)
    from tests.conftest import FIXTURES
    from workforce_lib.records import disclosure
    from workforce_lib.records.census import summary
    from workforce_lib.records.census.reader import read_return

    s = summary.summarise([read_return(FIXTURES / "census" / "small_2025.xml", b"k")])
    text = cli_census._text(s)
    assert disclosure.STATUS in text.splitlines()
    assert "not shown to protect individuals" not in text and "a month whose" not in text
