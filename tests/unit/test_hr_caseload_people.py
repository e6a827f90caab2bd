"""The caseload outputs count people: a person holding cases in several posts (a census
return has a ``person`` column: one person, several records) is one case holder.

The outputs are labelled "Case holders (people)". Every figure they show (each band,
the total, the count within each desired caseload, and a team's case holders wherever
its average caseload is shown) must equal the people counted here by hand, and none may
rest on 1 to 4 people, shown or worked out by the independent attacker
(``tests/audit.py``) from everything shown at thresholds 5 and 6 for every desired
caseload from 1 to 40.

How a person is counted (worked out here from the hand-written posts, not by the code
under test): once, at their cases per FTE over the posts in which they hold cases (all
those cases over all those posts' FTE, as the average caseload divides all cases by all
case holders' FTE); in each team where they hold cases. The attacker's relations: the
people at each cases-per-FTE value add up to each band, to each count within and to the
total; the bands add up to the total; the teams add up to the total plus the people's
teams beyond their first (``("again",)``, shown by no output).

Before the fix the bands, the total and the counts within counted posts: the band
"Over 25, up to 30" below showed 5 (threshold 5) while resting on 4 people, one of whom
holds two posts there.
"""

import dataclasses

import pandas as pd

from tests.audit import pinned
from tests.unit.test_sdc_hr_attack import _extract
from workforce_lib.records import disclosure, hr

THRESHOLDS = (5, 6)
DESIRED = range(1, 41)


def _build(tmp_path, posts, name):
    """An extract at 30 September 2025 from ``(person, team, cases, fte)`` posts, each a
    permanent social worker in post since 2015, and a ``person`` column."""
    rows = [{"cases": str(c), "team": t, "fte": str(f)} for _p, t, c, f in posts]
    ex = _extract(tmp_path, rows, name)
    w = ex.workers.copy()
    w["person"] = [p for p, _t, _c, _f in posts]
    return dataclasses.replace(ex, workers=w)


def _truth(posts):
    """Every figure, in people, and every relation, counted by hand: ``(values, lines)``."""
    cases: dict = {}
    fte: dict = {}
    teams: dict = {}
    for p, t, c, f in posts:
        cases[p] = cases.get(p, 0) + c
        fte[p] = fte.get(p, 0) + f
        teams.setdefault(t, set()).add(p)
    per = pd.Series({p: cases[p] / fte[p] for p in cases})  # one value a person
    xs = sorted(per.unique())
    values = {("at", x): int((per == x).sum()) for x in xs}
    values[("total",)] = len(per)
    lines = [([("at", x) for x in xs], ("total",))]
    bands = []
    for label, lo, hi in hr.CASELOAD_BANDS:
        values[("band", label)] = int(((per > lo) & (per <= hi)).sum())
        inside = [("at", x) for x in xs if lo < x <= hi]
        lines.append((inside or [("band", label)] * 2, ("band", label)))
        bands.append(("band", label))
    lines.append((bands, ("total",)))
    team_cells = [("team", t) for t in sorted(teams)]
    values.update({("team", t): len(teams[t]) for t in teams})
    values[("teams",)] = sum(len(s) for s in teams.values())
    values[("again",)] = values[("teams",)] - len(per)
    lines.append((team_cells, ("teams",)))
    lines.append(([("total",), ("again",)], ("teams",)))
    for d in DESIRED:
        values[("within", d)] = int((per <= d).sum())
        lines.append(([("at", x) for x in xs if x <= d] or [("within", d)] * 2, ("within", d)))
    return values, lines


def _observe(ex, values):
    """What the caseload outputs show at :data:`THRESHOLDS`: ``(shown cells, wrong)``,
    ``wrong`` each shown figure that is not the people it is labelled as, with the
    people it rests on (a shown 5 resting on 4 people is a count of 4 shown)."""
    shown: set = set()
    wrong: dict = {}

    def see(cell, figure):
        shown.add(cell)
        if figure != values[cell]:
            wrong[cell] = (figure, values[cell])

    for t in THRESHOLDS:
        table, _st, summary = hr.caseload_distribution(ex, 18, t)
        for b in table.index:
            if pd.notna(table.at[b, "case_holders"]):
                see(("band", b), int(table.at[b, "case_holders"]))
        if summary["case_holders"] is not None:
            see(("total",), summary["case_holders"])
        tm = hr.teams(ex, None, t)[0]
        shown |= {("team", x) for x in tm.index if pd.notna(tm.at[x, "caseload_fte"])}
        for d in DESIRED:
            s = hr.caseload_distribution(ex, d, t)[2]
            if s["within_desired"] is not None:
                see(("within", d), s["within_desired"])
    return shown, wrong


def _found(values, lines, shown):
    """Shown figures of 1 to 4 people, and hidden ones the attacker pins (a count
    within a cut, 5 or more at one value, or the teams' figures added up may be known:
    none is 1 to 4 people)."""
    small = {k: values[k] for k in shown if 0 < values[k] < 5}
    got = pinned(values, lines, shown, 5, skip=("within", "teams"))
    small |= {k: v for k, v in got.items() if k[0] != "at" or v[0] < 5}
    return small


def test_a_band_of_five_posts_held_by_four_people_is_not_shown_as_five(tmp_path):
    # p0 holds two posts with cases, 28 in team A and 27 in team B (27.5 per FTE): with
    # p1 to p3 the band over 25 up to 30 has 5 posts and 4 people. Before the fix it was
    # shown as 5 at threshold 5 (and the total as 31, the counts within 26 and more)
    posts = [("p0", "A", 28, 1), ("p0", "B", 27, 1)]
    posts += [("p1", "B", 26, 1), ("p2", "B", 29, 1), ("p3", "B", 30, 1)]
    posts += [(f"a{i}", "A", 8, 1) for i in range(10)]
    posts += [(f"b{i}", "B", 12, 1) for i in range(10)]
    posts += [(f"c{i}", "A", 18, 1) for i in range(6)]
    ex = _build(tmp_path, posts, "two_posts.csv")
    values, lines = _truth(posts)
    assert values[("band", "Over 25, up to 30")] == 4  # 5 posts, 4 people
    assert values[("total",)] == 30 and values[("again",)] == 1  # 31 posts, 30 people
    table0, _s, sum0 = hr.caseload_distribution(ex, 18, disclosure.OFF)
    assert table0["case_holders"].tolist() == [0, 10, 10, 6, 0, 4, 0]  # people, unhidden
    assert sum0["case_holders"] == 30 and sum0["within_desired"] == 26
    shown, wrong = _observe(ex, values)
    assert wrong == {}  # each figure shown is the people it says
    assert _found(values, lines, shown) == {}
    assert ("band", "Over 25, up to 30") not in shown


def test_a_person_with_posts_in_two_bands_and_two_teams_is_one_case_holder(tmp_path):
    # q0 holds 4 cases in a half-time post in team A (8 per FTE) and 14 in a half-time
    # post in team B (28 per FTE): one person at 18 cases per FTE, in each team's figure
    posts = [("q0", "A", 4, 0.5), ("q0", "B", 14, 0.5)]
    posts += [(f"a{i}", "A", 8, 1) for i in range(9)]
    posts += [(f"b{i}", "B", 12, 1) for i in range(9)]
    posts += [(f"c{i}", "A", 18, 1) for i in range(5)]
    posts += [(f"d{i}", "B", 28, 1) for i in range(5)]
    ex = _build(tmp_path, posts, "two_bands.csv")
    values, lines = _truth(posts)
    assert values[("band", "Over 15, up to 20")] == 6  # q0 and the five at 18
    assert values[("band", "Over 5, up to 10")] == 9 and values[("band", "Over 25, up to 30")] == 5
    assert values[("team", "A")] == 15 and values[("team", "B")] == 15
    assert values[("total",)] == 29 and values[("again",)] == 1  # q0 in both teams
    table0, _s, sum0 = hr.caseload_distribution(ex, 18, disclosure.OFF)
    assert table0["case_holders"].tolist() == [0, 9, 9, 6, 0, 5, 0]
    assert sum0["case_holders"] == 29 and sum0["median_per_fte"] == 12.0
    shown, wrong = _observe(ex, values)
    assert wrong == {}
    assert _found(values, lines, shown) == {}  # nor the one person in both teams


def test_the_report_says_the_caseloads_count_people_once(tmp_path):
    posts = [("q0", "A", 4, 0.5), ("q0", "B", 14, 0.5)]
    posts += [(f"a{i}", "A", 8, 1) for i in range(9)] + [(f"b{i}", "B", 12, 1) for i in range(9)]
    s = hr.summarise(_build(tmp_path, posts, "words.csv"))
    assert "counted once" in hr.CASELOAD_COUNTED
    assert s.caseload_sentence().endswith(hr.CASELOAD_COUNTED)
    table = s.caseload_table()
    assert list(table.columns[:2]) == [hr.CASELOAD_BAND_HEADING, "Case holders (people)"]
    assert s.to_json()["caseload_distribution"]["bands"][0]["cases_per_fte"] == "Up to 5"
