"""Two release vintages compared cell by cell; the newest is used and the findings say so."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib.published import revisions
from workforce_lib.published.release import load_release

OLD = FIXTURES / "indicators_small_2024_vintage.csv"  # an earlier vintage, 2023-2024
NEW = FIXTURES / "indicators_small.csv"  # 2024-2025


def _changes() -> pd.DataFrame:
    changes, years = revisions.revisions_between(OLD, NEW)
    assert years == [2024]  # 2023 is only in the old vintage, 2025 only in the new
    return changes


def test_a_revised_value_lists_both_values():
    c = _changes()
    row = c[(c.area == "Alderbury") & (c.column == "inpost_fte")].iloc[0]
    assert (row.year, row.old, row.new, row.change) == (2024, "98.5", "100.0", "value revised")


def test_a_value_turned_into_a_symbol_says_which():
    c = _changes()
    row = c[(c.area == "Brackwater") & (c.column == "leavers_fte")].iloc[0]
    assert (row.old, row.new) == ("12.0", "u")
    assert row.change == "value became a symbol (u: low reliability)"
    row = c[(c.area == "Castleton") & (c.column == "working_days_lost_fte")].iloc[0]
    assert row.change == "symbol changed (c: suppressed to protect confidentiality)"


def test_a_recoded_council_is_matched_on_its_la_number():
    c = _changes()
    brackwater = c[c.old_la_code == "902"]
    # matched, not listed as one row removed and another added
    assert "row added" not in set(c.change) and "row removed" not in set(c.change)
    recode = brackwater[brackwater.column == "new_la_code"].iloc[0]
    assert (recode.old, recode.new) == ("E10000902", "E06000902")
    # the same number written differently (300 and 300.0) is not a revision
    assert c[c.area == "England"].empty
    assert len(c) == 5


def test_newest_vintage_is_used_and_the_findings_say_so(tmp_path):
    shutil.copy(OLD, tmp_path / "csww_indicators_2017_to_2024.csv")
    shutil.copy(NEW, tmp_path / "csww_indicators_2017_to_2025.csv")
    release = load_release(tmp_path, cache=False)
    assert release.source.name == "csww_indicators_2017_to_2025.csv"
    note = revisions.vintages_note(tmp_path)
    assert "the newest, csww_indicators_2017_to_2025.csv, is used" in note
    assert "older: csww_indicators_2017_to_2024.csv" in note
    summary = revisions.revision_summary(release)
    assert set(summary["previous vintage"]) == {"csww_indicators_2017_to_2024.csv"}
    assert summary.cells.sum() == 5
    assert summary.set_index("column").at["inpost_fte", "change"] == "value revised"


def test_one_vintage_has_nothing_to_summarise(small_csv, small_release):
    assert revisions.vintages_note(small_csv.parent) is None
    assert revisions.revision_summary(small_release).empty


@pytest.mark.realdata
def test_real_release_against_an_edited_earlier_vintage(release, tmp_path):
    """The real file against a copy with one value revised and North Yorkshire's pre-2023
    ONS code: one revision and the re-code, nothing else."""
    raw = pd.read_csv(release.source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    old = raw.copy()
    leeds = (old.la_name == "Leeds") & (old.time_period == "2024")
    old.loc[leeds, "turnover_rate_fte"] = "99.9"
    ny = (old.old_la_code == "815") & (old.time_period == "2024")
    old.loc[ny, "new_la_code"] = "E10000023"
    old = old[old.time_period != "2025"]
    old_path = tmp_path / "csww_indicators_2017_to_2024.csv"
    old.to_csv(old_path, index=False)
    changes, years = revisions.revisions_between(old_path, release.source)
    assert years == list(range(2017, 2025))
    assert len(changes) == 2
    rev = changes[changes.column == "turnover_rate_fte"].iloc[0]
    published = raw.loc[leeds, "turnover_rate_fte"].item()
    assert (rev.area, rev.old, rev.new) == ("Leeds", "99.9", published)
    assert changes[changes.column == "new_la_code"].area.tolist() == ["North Yorkshire"]


def test_each_year_says_which_file_is_used_and_why(tmp_path):
    """Three vintages: the newest is read; a year only older files hold is not shown, a
    year both of the two newest hold is revised or not, a new year is the newest's only."""
    oldest = tmp_path / "oldest.csv"  # hand-written: only its years matter here
    oldest.write_text("time_period,geographic_level\n2022,National\n2023,National\n")
    changes, _ = revisions.revisions_between(OLD, NEW)
    got = revisions.year_sources([oldest, OLD, NEW], changes)
    assert [y for y, _, _ in got] == [2022, 2023, 2024, 2025]
    (_, f22, w22), (_, f23, w23), (_, f24, w24), (_, f25, w25) = got
    assert f22 == f23 == ""
    assert w22 == ("not shown: only oldest.csv holds 2022, and the library reads the newest "
                   "file, indicators_small.csv, which does not")  # fmt: skip
    assert "only oldest.csv, indicators_small_2024_vintage.csv hold 2023" in w23
    assert f24 == f25 == "indicators_small.csv"
    assert w24 == (
        "the newest file holding 2024 (the one the library reads); it revises "
        "indicators_small_2024_vintage.csv's 2024 figures: value revised: 1, value became "
        "a symbol: 2, re-coded: 1, symbol changed: 1"
    )
    assert w25.endswith("and the only one")
    # the same year, no change between the two newest: said so, not "revised"
    same = revisions.year_sources([OLD, NEW], changes.iloc[0:0], named=True)
    assert same[1][2] == (
        "the newer of the two files named; its 2024 figures are the same as "
        "indicators_small_2024_vintage.csv's"
    )
    assert same[0] == (2023, "", "not compared: only indicators_small_2024_vintage.csv holds 2023")
