"""`workforce render census` end to end: the regional census report of a generated region
holds no SWE number, no pseudonym and no count of fewer than 5 people, in its HTML or in
the CSV tables beside it."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.e2e.test_cli import run
from tests.e2e.test_reports import _text
from workforce_lib.records.census.demo import generate_region
from workforce_lib.records.census.pseudonym import read_key, write_key
from workforce_lib.records.census.records import person_key
from workforce_lib.records.census.regional import leaks_count_below


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    d = tmp_path_factory.mktemp("census")
    generate_region(d / "returns", councils=4, years=3, seed=8, size=220)
    key_file = write_key(d / "region.key")
    r = run("render", "census", str(d / "returns"), "--key-file", str(key_file),
            "--out", str(d / "out"))  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    html_path = d / "out" / "census" / "returns.html"
    swe = set()
    for f in (d / "returns").glob("*.xml"):
        swe |= set(re.findall(r"<SWENo>([^<]+)</SWENo>", f.read_text()))
    return html_path, read_key(key_file), swe


def test_report_rendered_with_its_tables(rendered):
    html_path, _, _ = rendered
    html = html_path.read_text()
    text = _text(html)
    assert "Traceback" not in html and "Error" not in text
    for heading in ("Moves between member councils", "Flows into and out of agency work",
                    "The national agency rules", "What the returns cannot show"):  # fmt: skip
        assert heading in text
    assert "no published figures" in text or "none is shown" in text  # fictional LA numbers
    # 2023-2025 pooled: the fixed pair 2023 and 2024 is complete
    assert "Moves between member councils, two years pooled" in text
    assert "Years to 30 September 2023 and 2024" in text
    csvs = sorted((html_path.parent / "returns_tables").glob("*.csv"))
    assert len(csvs) >= 15
    assert any(p.name == "moves-between-councils-2023-and-2024.csv" for p in csvs), csvs


def test_no_swe_number_and_no_pseudonym_anywhere(rendered):
    html_path, key, swe = rendered
    assert len(swe) > 500
    outputs = [html_path.read_text()] + [
        p.read_text() for p in (html_path.parent / "returns_tables").glob("*.csv")
    ]
    digits = {s[2:] for s in swe}
    pseudonyms = {person_key(s, key) for s in swe}
    for text in outputs:
        assert not re.search(r"[0-9a-f]{64}", text)  # no pseudonym of any key
        found = set(re.findall(r"SW\d{4,12}", text)) & swe
        assert not found
        numbers = set(re.findall(r"\d{6,12}", text))
        assert not numbers & digits
        assert not any(p[:16] in text for p in pseudonyms)


def test_no_count_below_five_in_any_table(rendered):
    html_path, _, _ = rendered
    tables = {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in (html_path.parent / "returns_tables").glob("*.csv")
    }
    assert leaks_count_below(tables, 5) == []
    shown = [v for t in tables.values() for c in t.columns[1:] for v in t[c]]
    assert "c" in shown  # some counts were suppressed
    assert any(v.replace(",", "").isdigit() and int(v.replace(",", "")) >= 5 for v in shown)
    in_html = pd.read_html(html_path)
    assert leaks_count_below({str(i): t.astype(str) for i, t in enumerate(in_html)}, 5) == []
