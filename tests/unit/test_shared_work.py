"""Work done once per run, not once per report: a warm kernel renders report after report
and must not read the release, resolve Ofsted judgements or recompute a group's figures
again for each, while each report still gets figures nothing before it has changed."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from workforce_lib.published import comparison, context, ofsted
from workforce_lib.published.release import load_release


def test_release_read_from_its_cache_is_read_once(small_csv, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path / "c"))
    built = load_release(path=small_csv)  # validated and cleaned, cache written
    first = load_release(path=small_csv)  # read from the cache
    assert first is not built
    assert load_release(path=small_csv) is first  # the next report: not read again
    pd.testing.assert_frame_equal(first.values, built.values)


def test_a_rewritten_cache_or_changed_file_is_read_again(small_csv, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_CACHE_DIR", str(tmp_path / "c"))
    load_release(path=small_csv)
    first = load_release(path=small_csv)
    (cached,) = (tmp_path / "c").glob("*.parquet")
    st = cached.stat()
    os.utime(cached, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # rewritten since
    again = load_release(path=small_csv)
    assert again is not first
    assert load_release(path=small_csv) is again
    small_csv.write_text(small_csv.read_text().replace("Alderbury,100.0", "Alderbury,101.0"))
    changed = load_release(path=small_csv)
    assert changed.sha256 != first.sha256
    assert load_release(path=small_csv, cache=False) is not load_release(
        path=small_csv, cache=False
    )


def test_frame_is_made_once_and_each_caller_gets_its_own(small_release, monkeypatch):
    calls = []
    real_concat = pd.concat
    monkeypatch.setattr(pd, "concat", lambda *a, **k: calls.append(1) or real_concat(*a, **k))
    year = small_release.latest_year
    f = small_release.frame("council", year)
    before = f.copy()
    f["turnover_rate_fte"] = -1.0  # a caller changing its frame changes nobody else's
    g = small_release.frame("council", year)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(g, before)


def test_group_figures_are_computed_once_per_group_and_year(small_release, monkeypatch):
    calls = []
    real = comparison.aggregate
    monkeypatch.setattr(comparison, "aggregate", lambda *a: calls.append(a) or real(*a))
    year = small_release.latest_year
    ids = small_release.council_ids(year)
    first = comparison.group_figures(small_release, ids, year)
    expected = first.copy()
    first.loc["turnover_rate_fte", "value"] = -1.0
    second = comparison.group_figures(small_release, list(ids), year)
    assert len(calls) == 1
    pd.testing.assert_frame_equal(second, expected)
    comparison.group_figures(small_release, ids[:1], year)  # another group: its own figures
    assert len(calls) == 2


@pytest.mark.realdata
def test_ofsted_judgements_are_resolved_once_for_every_council(release, real_data_dir, monkeypatch):
    calls = []
    real = ofsted.resolve
    monkeypatch.setattr(ofsted, "resolve", lambda *a: calls.append(1) or real(*a))
    getattr(ofsted, "_RESOLVED", {}).clear()  # what earlier tests resolved
    year = release.latest_year
    ids = release.council_ids(year)[:3]
    tables = [ofsted.ofsted_table(release, a, year, real_data_dir) for a in ids]
    assert len(calls) == 1
    assert len({t.Council.iloc[0] for t in tables}) == 3  # each council its own judgement
    tables[0].loc[0, "Overall effectiveness"] = "changed by one report"
    kept = [ofsted.ofsted_table(release, ids[0], year, real_data_dir), *tables[1:]]
    assert len(calls) == 1 and kept[0].loc[0, "Overall effectiveness"] != "changed by one report"
    ofsted._RESOLVED.clear()  # afresh: the same tables as the shared resolution gave
    for a, shared in zip(ids, kept):
        pd.testing.assert_frame_equal(ofsted.ofsted_table(release, a, year, real_data_dir), shared)
    assert len(calls) == 2


@pytest.mark.realdata
def test_context_files_and_region_figures_are_shared_between_reports(release, real_data_dir):
    first = context.load_context(real_data_dir)
    assert context.load_context(real_data_dir) is first  # its memo of region figures kept
    year = release.latest_year
    a, b = release.council_ids(year)[:2]  # two councils of one region
    context.council_context(release, a, year, first)
    n = len(first.memo)
    context.council_context(release, b, year, first)
    assert n and len(first.memo) == n  # the second council's region and England: reused
