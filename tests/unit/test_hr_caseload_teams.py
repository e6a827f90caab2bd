"""Case holders with more than one post: a person holding cases in two teams, and a
person holding two posts with cases in one team (an extract with a ``person`` column,
as a census return has: one person, several records).

The caseload bands, the total of case holders and the counts within a desired caseload
count posts holding cases; a team's figure (``("team", name)``, on which its average
caseload rests) counts the people holding cases in it. So a person in two teams is in
each team's figure and twice in the total, and the teams still add up to the total; a
person with two posts in one team is once in the team's figure and twice in the total,
and the teams add up to less than the total, by those second posts.

The attacker (``tests/audit.py``) pools every figure the caseload outputs show at
thresholds 5 and 6 for every desired caseload from 1 to 40: the bands, the total, the
counts within, and, as ``test_sdc_hr_attack.py`` does, a team's case holders wherever
its average caseload is shown. Its relations, worked out here from the hand-written
rows and not from the code under test: the posts at each cases-per-FTE value add up to
each band, to each count within and to the total; the bands add up to the total; the
teams and the second posts (``("twice",)``, shown by no output) add up to the total.
"""

import dataclasses

import pandas as pd

from tests.audit import narrow
from tests.unit.test_sdc_hr_attack import _extract
from workforce_lib.records import hr

THRESHOLDS = (5, 6)
DESIRED = range(1, 41)


def _build(tmp_path, posts, name):
    """An extract at 30 September 2025 from ``(person, team, cases)`` posts, each a
    permanent social worker of FTE 1 in post since 2015, and a ``person`` column."""
    ex = _extract(tmp_path, [{"cases": str(c), "team": t} for _p, t, c in posts], name)
    w = ex.workers.copy()
    w["person"] = [p for p, _t, _c in posts]
    return dataclasses.replace(ex, workers=w)


def _truth(posts):
    """Every figure and relation, counted by hand from the posts: ``(values, lines)``."""
    cases = pd.Series([c for _p, _t, c in posts], dtype=float)  # FTE 1: cases per FTE
    xs = sorted(cases.unique())
    values = {("at", x): int((cases == x).sum()) for x in xs}
    values[("total",)] = len(posts)
    lines = [([("at", x) for x in xs], ("total",))]
    bands = []
    for label, lo, hi in hr.CASELOAD_BANDS:
        values[("band", label)] = int(((cases > lo) & (cases <= hi)).sum())
        inside = [("at", x) for x in xs if lo < x <= hi]
        lines.append((inside or [("band", label)] * 2, ("band", label)))
        bands.append(("band", label))
    lines.append((bands, ("total",)))
    people = {}
    for p, t, _c in posts:
        people.setdefault(t, set()).add(p)
    team_cells = [("team", t) for t in sorted(people)]
    values.update({("team", t): len(people[t]) for t in people})
    values[("twice",)] = len(posts) - sum(len(s) for s in people.values())
    lines.append(([*team_cells, ("twice",)], ("total",)))
    for d in DESIRED:
        values[("within", d)] = int((cases <= d).sum())
        lines.append(([("at", x) for x in xs if x <= d] or [("within", d)] * 2, ("within", d)))
    return values, lines


def _shown(ex, values):
    """The figures the caseload outputs show at :data:`THRESHOLDS`, each checked
    against the count by hand."""
    shown: set = set()
    for t in THRESHOLDS:
        table, _st, summary = hr.caseload_distribution(ex, 18, t)
        for b in table.index:
            if pd.notna(table.at[b, "case_holders"]):
                assert table.at[b, "case_holders"] == values[("band", b)]
                shown.add(("band", b))
        if summary["case_holders"] is not None:
            assert summary["case_holders"] == values[("total",)]
            shown.add(("total",))
        tm = hr.teams(ex, None, t)[0]
        shown |= {("team", x) for x in tm.index if pd.notna(tm.at[x, "caseload_fte"])}
        for d in DESIRED:
            s = hr.caseload_distribution(ex, d, t)[2]
            if s["within_desired"] is not None:
                assert s["within_desired"] == values[("within", d)]
                shown.add(("within", d))
    return shown


def _small(values, found):
    """The attacker's finds that are counts of 1 to 4."""
    return {k: v for k, v in found.items() if 0 < values[k] < 5}


def test_a_person_holding_cases_in_two_teams_is_in_each_teams_figure(tmp_path):
    # a0 holds 8 cases in team A and 12 in team B: 20 posts, 19 people
    posts = [(f"a{i}", "A", 8) for i in range(10)]
    posts += [("a0", "B", 12)] + [(f"b{i}", "B", 12) for i in range(1, 8)]
    posts += [("b8", "B", 17), ("b9", "B", 17)]  # two in a band: hidden, protected
    ex = _build(tmp_path, posts, "two_teams.csv")
    values, lines = _truth(posts)
    assert values[("team", "A")] == values[("team", "B")] == 10  # a0 in each
    assert values[("total",)] == 20 and values[("twice",)] == 0  # the teams add up to it
    _per_fte, _people, teams, got, got_lines, _cost = hr._caseload_problem(ex)
    assert teams.to_dict() == {"A": 10, "B": 10}
    assert ([("team", "A"), ("team", "B")], ("holders", 20)) in got_lines
    assert ("teams",) not in got and ("twice",) not in got
    tm = hr.teams(ex, None, 5)[0]
    assert tm["inpost_headcount"].tolist() == [10.0, 10.0]  # each team's own records
    assert tm["caseload_fte"].tolist() == [8.0, 13.0]  # a0's 8 in A, 12 in B (130 / 10)
    shown = _shown(ex, values)
    assert {("team", "A"), ("team", "B"), ("total",)} <= shown
    assert values[("band", "Over 15, up to 20")] == 2  # b8, b9: a count the attack is after
    assert ("band", "Over 15, up to 20") not in shown
    assert _small(values, narrow(values, lines, shown, 5)) == {}


def test_a_second_post_in_one_team_is_not_given_by_the_teams_and_the_total(tmp_path):
    # a0 holds two posts with cases in team A: A counts 9 people, the total 20 posts.
    # Before the fix the teams' figure (19, "taken as known") was tied to nothing, the
    # total (20) and both teams' caseloads were shown, and 20 - 10 - 9 gave the one
    # second post (a person with two posts with cases in team A): pinned to (1, 1).
    posts = [("a0", "A", 8)] + [(f"a{i}", "A", 8) for i in range(9)]
    posts += [(f"b{i}", "B", 12) for i in range(10)]
    ex = _build(tmp_path, posts, "same_team.csv")
    values, lines = _truth(posts)
    assert values[("team", "A")] == 9 and values[("team", "B")] == 10
    assert values[("total",)] == 20 and values[("twice",)] == 1
    shown = _shown(ex, values)
    assert {("team", "A"), ("team", "B")} <= shown  # both teams' caseloads still shown
    assert _small(values, narrow(values, lines, shown, 5)) == {}
    _per_fte, _people, _teams, got, got_lines, _cost = hr._caseload_problem(ex)
    assert got[("teams",)] == 19 and got[("twice",)] == 1  # not modelled as the total
    assert ([("team", "A"), ("team", "B")], ("teams",)) in got_lines
    assert ([("team", "A"), ("team", "B")], ("holders", 20)) not in got_lines
    assert ([("teams",), ("twice",)], ("holders", 20)) in got_lines
