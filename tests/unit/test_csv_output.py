"""No CSV the project writes holds a cell a spreadsheet would run as a formula (OWASP)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib.csv_output import neutralise, safe_frame, write_csv
from workforce_lib.records import hr
from workforce_lib.records.extract import read_extract, write_extract
from workforce_lib.reports import presentation

HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1+1", "=cmd|' /C calc'!A0"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cells(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("text", [*HOSTILE, "-2+3+cmd|' /C calc'!A0", "\tx", "\r=1", "-", "@"])
def test_a_formula_gets_a_leading_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["-12.5", "+3", "-1e3", "", "Child Protection - East", -4, 2.5])
def test_numbers_and_plain_text_are_kept(value):
    assert neutralise(value) == value


def test_write_csv_keeps_numbers_numbers_and_quotes_text(tmp_path):
    df = pd.DataFrame(
        {
            "team": HOSTILE,
            "change": [-1.5, -2.0, 0.0, 3.0],
            "count": pd.array([-1, None, 3, 4], dtype="Int64"),
            "note": pd.Categorical(["-x", "ok", "=A1", None]),
        }
    )
    rows = _cells(write_csv(df, tmp_path / "t.csv"))
    assert rows[0] == ["team", "change", "count", "note"]
    assert [r[0] for r in rows[1:]] == ["'" + t for t in HOSTILE]
    assert [r[1] for r in rows[1:]] == ["-1.5", "-2.0", "0.0", "3.0"]
    assert [r[2] for r in rows[1:]] == ["-1", "", "3", "4"]
    assert [r[3] for r in rows[1:]] == ["'-x", "ok", "'=A1", ""]
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed, not left


def test_column_names_are_neutralised_too():
    df = pd.DataFrame({"=A1": [1], "@x": ["y"]})
    assert list(safe_frame(df).columns) == ["'=A1", "'@x"]


def test_teams_table_csv_of_an_hr_report_holds_no_formula(tmp_path):
    """A hostile team name goes from an HR extract into the report's teams.csv as text."""
    raw = pd.read_csv(FIXTURES / "hr_extract_small.csv", dtype=str, keep_default_na=False)
    raw["team"] = raw["team"].map({"Alpha": HOSTILE[0], "Beta": HOSTILE[3]})
    source = tmp_path / "extract.csv"
    raw.to_csv(source, index=False)
    summary = hr.summarise(read_extract(source, today=pd.Timestamp("2025-10-01").date()))
    presentation.table(summary.teams_table(), "teams", tmp_path / "r_tables")
    rows = _cells(tmp_path / "r_tables" / "teams.csv")
    teams = {r[0] for r in rows[1:]}
    assert {"'" + HOSTILE[0], "'" + HOSTILE[3]} <= teams
    assert not any(cell.startswith(FORMULA_START) for r in rows for cell in r if cell)


def test_a_written_extract_holds_no_formula(tmp_path):
    frame = pd.DataFrame({"team": HOSTILE, "fte": ["1", "-0.5", "0.5", "1"]})
    rows = _cells(write_extract(frame, tmp_path / "x.csv"))
    assert [r[0] for r in rows[1:]] == ["'" + t for t in HOSTILE]
    assert [r[1] for r in rows[1:]] == ["1", "-0.5", "0.5", "1"]


def test_a_tables_download_link_holds_no_formula():
    """Report tables also download from a data: link (templating.csv_data_uri)."""
    from urllib.parse import unquote

    from workforce_lib.reports import templating

    uri = templating.csv_data_uri(pd.DataFrame({"team": HOSTILE, "fte": [-1.0, 1.0, 2.0, 3.0]}))
    rows = list(csv.reader(unquote(uri.split(",", 1)[1]).splitlines()))
    assert [r[0] for r in rows[1:]] == ["'" + t for t in HOSTILE]
    assert [r[1] for r in rows[1:]] == ["-1.0", "1.0", "2.0", "3.0"]


def test_a_private_file_is_private_from_creation(tmp_path):
    path = write_csv(pd.DataFrame({"a": [1]}), tmp_path / "p.csv", mode=0o600)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
