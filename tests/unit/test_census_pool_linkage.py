"""Issue 20's pooling parts, on hand-written returns (counts worked out by hand here, never
by the project's writer): a second job is not a move, a mistyped SWE number is a possible
unlinked move (counted, not merged), placeholder SWE numbers are never linked, and one
bad council-year is left out only when asked, every output saying so.

``tests/fixtures/census/linkage`` (councils 921 and 922, 2024 and 2025):

A 921 since 2015 and 922 since 2020; leaves 921 31 Jan 2025, keeps 922
    -> kept a post at another member council (a second job), not a move
B 921 since 2016; leaves 31 Mar 2025; 922 from 17 Mar 2025 (14 days' overlap) -> a move
C 921 since 2019; leaves 30 May 2025; 922 since 3 Feb 2025 (116 days before) -> second job
D 921, leaves 30 Jun 2025 -> not seen again; 922's SW920040 (D's number mistyped: same
    birth date, gender, ethnicity) starts 4 Aug 2025 -> one possible unlinked move
E 921, leaves 30 Apr 2025 -> not seen; SW920050 starts at 922 on 12 May 2025 but was born
    a day later -> no match
F 921, leaves 31 Jan 2025 -> not seen; SW920060 (same traits) starts at 922 122 days later
    -> outside 90 days, no match
G 922 throughout.

921's leavers in 2025: 6 people. Before issue 20, A and C were "permanent, another
council": three moves 921 -> 922 (A, B, C); now one (B).
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from tests import census_returns as cr
from tests.conftest import FIXTURES
from workforce_lib.errors import DataValidationError
from workforce_lib.records.census import movements as mv
from workforce_lib.records.census.pool import pool_returns
from workforce_lib.records.census.records import person_key
from workforce_lib.records.census.regional import leaks_count_below, regional_tables

LINKAGE = FIXTURES / "census" / "linkage"
PLACEHOLDERS = FIXTURES / "census" / "placeholders"
INVALID = FIXTURES / "census" / "linkage_invalid" / "923_2025.xml"
KEY = bytes(range(40, 72))
NAMES = {f"SW92000{i}": "ABCDEFG"[i - 1] for i in range(1, 8)} | {
    "SW920040": "D'",
    "SW920050": "E'",
    "SW920060": "F'",
}


@pytest.fixture(scope="module")
def pool():
    return pool_returns(LINKAGE, KEY)


@pytest.fixture(scope="module")
def who():
    return {person_key(swe, KEY): name for swe, name in NAMES.items()}


@pytest.fixture(scope="module")
def moves(pool, who):
    m = mv.leaver_moves(pool.workers)
    return m.assign(who=m["person"].map(who))


def test_a_post_kept_at_another_council_is_not_a_move(moves):
    got = sorted(
        (r.who, r.from_council, r.year, str(r.outcome),
         r.to_council if pd.notna(r.to_council) else "")
        for r in moves.itertuples()
    )  # fmt: skip
    assert got == [
        ("A", "921", 2025, mv.SECOND_JOB, "922"),  # held 922 since 2020
        ("B", "921", 2025, mv.TO_PERMANENT_OTHER, "922"),  # 14 days' overlap: a move
        ("C", "921", 2025, mv.SECOND_JOB, "922"),  # 922 begun 116 days before leaving
        ("D", "921", 2025, mv.NOT_SEEN, ""),
        ("E", "921", 2025, mv.NOT_SEEN, ""),
        ("F", "921", 2025, mv.NOT_SEEN, ""),
    ]


def test_moves_between_councils_count_only_the_move(moves):
    assert mv.movement_matrix(moves, 2025, ["921", "922"]).values.tolist() == [[0, 1], [0, 0]]
    f = mv.net_flows(moves, ["921", "922"], [2025]).set_index("council")
    assert f.loc["921", ["in", "out", "net"]].tolist() == [0, 1, -1]  # old code: 0, 3, -3


def test_a_move_with_a_gap_of_days_before_the_end_is_a_move():
    """p's new post at 102 began 31 days before the leaving date (the overlap allowed),
    q's 32 days before (held at the same time: a second job)."""
    recs = [  # council, person, start, end
        ("101", "p", "2019-01-01", "2025-03-31"),
        ("102", "p", "2025-02-28", None),
        ("101", "q", "2018-01-01", "2025-03-31"),
        ("102", "q", "2025-02-27", None),
    ]
    w = pd.DataFrame(recs, columns=["council", "person", "start_date", "end_date"])
    w = w.assign(
        year=2025, reference_date=pd.Timestamp("2025-09-30"), agency=False,
        start_date=pd.to_datetime(w["start_date"]), end_date=pd.to_datetime(w["end_date"]),
        reason_leave=pd.array([1, pd.NA, 1, pd.NA], "Int64"), contract_weeks=float("nan"),
    )  # fmt: skip
    m = mv.leaver_moves(w).set_index("person")
    assert m.at["p", "outcome"] == mv.TO_PERMANENT_OTHER
    assert m.at["q", "outcome"] == mv.SECOND_JOB


def test_a_mistyped_number_is_a_possible_unlinked_move_never_merged(pool, moves, who):
    u = mv.possible_unlinked_moves(pool.workers, moves)
    got = [
        (who[r.person], r.from_council, r.year, f"{r.joined:%Y-%m-%d}", r.to_council, r.starters)
        for r in u.itertuples()
    ]
    assert got == [("D", "921", 2025, "2025-08-04", "922", 1)]  # not E (birth), not F (122 d)
    n = mv.unlinked_counts(u, ["921", "922"], [2024, 2025]).set_index(["council", "year"])
    assert n["possible"].to_dict() == {
        ("921", 2024): 0, ("921", 2025): 1, ("922", 2024): 0, ("922", 2025): 0
    }  # fmt: skip
    # never merged: D is still a leaver not seen again, D' a separate person at 922
    assert moves.set_index("who").at["D", "outcome"] == mv.NOT_SEEN
    assert pool.workers["person"].nunique() == 10  # A-G and D', E', F'


def test_regional_tables_show_possible_unlinked_moves_protected(pool):
    pool = cr.followed_up(pool)  # 2025's leavers followed to 30 September 2026
    t = regional_tables(pool, 5, registry=cr.registered(pool))
    u = t.possible_unlinked[2025].set_index("Council left")
    col = u.columns[0]
    assert u[col].to_dict() == {"921": "c", "922": "0", "Total": "c"}  # 1 person: hidden
    o = t.leaver_outcomes[2025].set_index("Council left")
    assert o.at["921", mv.SECOND_JOB] == "c" and o.at["921", mv.NOT_SEEN] == "c"
    assert leaks_count_below(t.all_tables(), 5) == []
    doc = t.to_json()
    assert doc["possible_unlinked"]["2025"][0][col] == "c"
    assert mv.UNLINKED_MEANING in doc["notes"]
    assert any("second job" in n for n in doc["notes"])


# ---------------------------------------------------------------- placeholders
"""``tests/fixtures/census/placeholders``: 931 (2025) has five records with placeholder
numbers XX0000000001-05 and SW930001, who leaves on 28 Feb 2025; 932 (2025) has three,
XX0000000001-03 (other people), and SW930001 from 1 Apr 2025. 931's XX...01 leaves on 31
Jan 2025 and 932's XX...01 starts on 3 Mar 2025. Linked by number, three "people" are in
both councils and XX...01 "moved" (two moves with SW930001's); only SW930001 is real."""


@pytest.fixture(scope="module")
def ph_pool():
    return pool_returns(PLACEHOLDERS, KEY)


def test_placeholders_are_counted_and_never_linked(ph_pool):
    assert ph_pool.placeholders == {("931", 2025): 5, ("932", 2025): 3}
    assert int(ph_pool.workers["placeholder"].sum()) == 8
    linked = ph_pool.linkable_workers
    assert len(linked) == 2 and set(linked["person"]) == {person_key("SW930001", KEY)}
    both = linked.groupby("person")["council"].nunique()
    assert int((both > 1).sum()) == 1  # by number, 4 (XX...01-03 too)
    m = mv.leaver_moves(linked)
    assert m["outcome"].astype(str).tolist() == [mv.TO_PERMANENT_OTHER]  # by number, 2
    # each council's own return keeps every record (its own measures count them)
    assert [len(r.workers) for r in ph_pool.returns] == [6, 4]


def test_placeholders_said_in_the_regional_output(ph_pool):
    ph_pool = cr.followed_up(ph_pool)  # 2025's leavers followed to 30 September 2026
    t = regional_tables(ph_pool, 5, registry=cr.registered(ph_pool))
    doc = t.to_json()
    col = "Records with placeholder SWE numbers"
    assert [(r["Council"], r["Census year"], r[col]) for r in doc["placeholder_records"]] == [
        ("931", 2025, "5"),
        ("932", 2025, "c"),  # 3 records: fewer than 5
    ]
    assert any("931 2025: 5; 932 2025: c" in line for line in doc["left_out"])
    m = t.movement_matrix[2025].set_index("From \\ to")
    assert m.at["931", "932"] == "c"  # one real move (not two), hidden as fewer than 5
    assert t.records == 10 and "records" not in doc  # never shown (review 19)


# ---------------------------------------------------------------- an invalid council-year
@pytest.fixture()
def region_with_bad(tmp_path):
    d = tmp_path / "r"
    shutil.copytree(LINKAGE, d)
    shutil.copy(INVALID, d / "923_2025.xml")
    (d / "notes.xml").write_text("<Message><Header>")  # unreadable: no council, no year
    return d


def test_without_the_flag_every_bad_file_is_named_and_the_pool_refused(region_with_bad):
    with pytest.raises(DataValidationError) as err:
        pool_returns(region_with_bad, KEY)
    text = str(err.value)
    first = text.splitlines()[0]
    assert "6 returns; 2 with problems: 923_2025.xml (2); notes.xml (1)" in first
    assert "--skip-invalid" in first
    assert sorted({p.file for p in err.value.problems}) == ["923_2025.xml", "notes.xml"]


def test_with_the_flag_the_valid_council_years_are_pooled_and_the_rest_named(region_with_bad):
    p = pool_returns(region_with_bad, KEY, skip_invalid=True)
    assert p.councils == ["921", "922"] and len(p.returns) == 4
    assert len(p.workers) == 21  # 6 + 6 + 2 + 7, none of 923's 3 records
    assert [e.label() for e in p.excluded] == [
        "923_2025.xml (LA 923, census year 2025): 2 problems",
        "notes.xml (council and year not readable): 1 problem",
    ]
    doc = json.loads(json.dumps(regional_tables(p, 5, registry=cr.registered(p)).to_json()))
    assert [(e["file"], e["council"], e["year"], e["problems"]) for e in doc["excluded"]] == [
        ("923_2025.xml", "923", 2025, 2),
        ("notes.xml", None, None, 1),
    ]
    assert "cannot be seen" in doc["left_out"][0] and "923_2025.xml" in doc["left_out"][0]


def test_a_council_year_left_out_is_marked_in_the_coverage(tmp_path):
    d = tmp_path / "r"
    shutil.copytree(LINKAGE, d)
    bad = (d / "922_2025.xml").read_text().replace("SW920007", "", 1)
    (d / "922_2025.xml").write_text(bad)
    with pytest.raises(DataValidationError):
        pool_returns(d, KEY)
    p = pool_returns(d, KEY, skip_invalid=True)
    assert [(e.council, e.year, e.problems) for e in p.excluded] == [("922", 2025, 1)]
    t = regional_tables(p, 5, registry=cr.registered(p))
    cov = t.coverage.set_index("Council")
    assert cov.at["922", "2025"] == "left out (problems)" and cov.at["922", "2024"] == "return"
    assert not any(n.startswith("No return for") for n in t.notes)


def test_two_returns_for_one_council_year_are_both_left_out_when_asked(tmp_path):
    d = tmp_path / "r"
    shutil.copytree(LINKAGE, d)
    shutil.copy(d / "921_2025.xml", d / "921_2025_again.xml")
    with pytest.raises(DataValidationError, match="a second return for council 921"):
        pool_returns(d, KEY)
    p = pool_returns(d, KEY, skip_invalid=True)
    assert [(e.file, e.council, e.year) for e in p.excluded] == [
        ("921_2025.xml", "921", 2025),
        ("921_2025_again.xml", "921", 2025),
    ]
    assert sorted((r.council, r.year) for r in p.returns) == [
        ("921", 2024), ("922", 2024), ("922", 2025)
    ]  # fmt: skip


def test_nothing_valid_left_is_still_refused(tmp_path):
    d = tmp_path / "r"
    d.mkdir()
    shutil.copy(INVALID, d / "923_2025.xml")
    with pytest.raises(DataValidationError, match="no valid return left to pool"):
        pool_returns(d, KEY, skip_invalid=True)


def test_the_regional_report_says_which_council_years_are_out(region_with_bad, tmp_path):
    from workforce_lib.records.census.pseudonym import write_key
    from workforce_lib.records.census.regional import census_region_report

    key_file = write_key(tmp_path / "region.key")
    with pytest.raises(DataValidationError, match="923_2025.xml"):
        census_region_report(str(region_with_bad), str(key_file))
    rep = census_region_report(str(region_with_bad), str(key_file), skip_invalid=True)
    head = rep.header_lines()
    assert head[0].startswith("Left out of this pool (2 files with problems")
    assert "923_2025.xml (LA 923, census year 2025): 2 problems" in head[0]
    assert "notes.xml (council and year not readable): 1 problem" in head[0]
    # these councils are no registered group, and two files are out: no movement shown
    assert not rep.tables.membership.shown and rep.tables.movement_matrix == {}
    assert "not one registered group" in rep.tables.withheld_lines()[0]
    assert mv.UNLINKED_MEANING not in rep.tables.notes


def test_render_census_passes_skip_invalid_to_the_report_template(tmp_path):
    from workforce_lib.cli import build_parser
    from workforce_lib.records.census.pseudonym import write_key
    from workforce_lib.reports import rendering

    key = write_key(tmp_path / "k")
    job = rendering.census_job(str(LINKAGE), str(key), str(tmp_path), skip_invalid=True)
    assert job.params["skip_invalid"] is True
    template = rendering.TEMPLATE_DIR / rendering.TEMPLATES["census"]
    rendering.check_parameters(template, job.params)  # the template declares it
    assert rendering.declared_parameters(template)["skip_invalid"] == "bool"
    args = build_parser().parse_args(["render", "census", str(LINKAGE), "--skip-invalid"])
    assert args.skip_invalid is True
