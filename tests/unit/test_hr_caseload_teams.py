"""Case holders with more than one post: a person holding cases in two teams, and a
person holding two posts with cases in one team (an extract with a ``person`` column,
as a census return has: one person, several records).

Every caseload figure counts people (see ``test_hr_caseload_people.py``, whose hand
count and attacker these tests share): the bands, the total and the counts within a
desired caseload count each person once, at their cases per FTE over their posts
holding cases; a team's figure (``("team", name)``, on which its average caseload
rests) counts the people holding cases in it. So a person in two teams is in each
team's figure and once in the total: the teams add up to the total and the teams
beyond each person's first (``("again",)``, shown by no output, a count of people to
protect); a person with two posts in one team is once in the team's figure and once in
the total, and the teams add up to the total.

The attacker (``tests/audit.py``) pools every figure the caseload outputs show at
thresholds 5 and 6 for every desired caseload from 1 to 40.
"""

from tests.unit.test_hr_caseload_people import _build, _found, _observe, _truth
from workforce_lib.records import hr


def test_a_person_holding_cases_in_two_teams_is_in_each_teams_figure(tmp_path):
    # a0 holds 8 cases in team A and 12 in team B: 20 posts, 19 people (a0 at 10 per FTE)
    posts = [(f"a{i}", "A", 8, 1) for i in range(10)]
    posts += [("a0", "B", 12, 1)] + [(f"b{i}", "B", 12, 1) for i in range(1, 8)]
    posts += [("b8", "B", 17, 1), ("b9", "B", 17, 1)]  # two in a band: hidden, protected
    ex = _build(tmp_path, posts, "two_teams.csv")
    values, lines = _truth(posts)
    assert values[("team", "A")] == values[("team", "B")] == 10  # a0 in each
    assert values[("total",)] == 19 and values[("again",)] == 1  # a0 once in the total
    _per_fte, _people, teams, got, got_lines, _cost, rests = hr._caseload_problem(ex)
    assert teams.to_dict() == {"A": 10, "B": 10}
    assert got[("teams",)] == 20 and got[("again",)] == 1 and rests == {("again",): 1}
    assert ([("team", "A"), ("team", "B")], ("teams",)) in got_lines
    assert ([("holders", 19), ("again",)], ("teams",)) in got_lines
    tm = hr.teams(ex, None, 5)[0]
    assert tm["inpost_headcount"].tolist() == [10.0, 10.0]  # each team's own records
    shown, wrong = _observe(ex, values)
    assert wrong == {}
    # both teams' caseloads and the total would give the one person in both teams
    assert not {("team", "A"), ("team", "B"), ("total",)} <= shown
    assert values[("band", "Over 15, up to 20")] == 2  # b8, b9: a count the attack is after
    assert ("band", "Over 15, up to 20") not in shown
    assert _found(values, lines, shown) == {}


def test_a_second_post_in_one_team_is_one_person_in_the_team_and_the_total(tmp_path):
    # a0 holds two posts with cases in team A: 9 people in A, 10 in B, 19 in all. Before
    # caseloads counted people the total counted 20 posts, and a second post's cell,
    # ("twice",), had to be protected beside the teams and the total
    posts = [("a0", "A", 8, 1)] + [(f"a{i}", "A", 8, 1) for i in range(9)]
    posts += [(f"b{i}", "B", 12, 1) for i in range(10)]
    ex = _build(tmp_path, posts, "same_team.csv")
    values, lines = _truth(posts)
    assert values[("team", "A")] == 9 and values[("team", "B")] == 10
    assert values[("total",)] == 19 and values[("again",)] == 0
    _per_fte, _people, _teams, got, got_lines, _cost, _rests = hr._caseload_problem(ex)
    assert ("teams",) not in got and ("again",) not in got  # the teams add up to the total
    assert ([("team", "A"), ("team", "B")], ("holders", 19)) in got_lines
    shown, wrong = _observe(ex, values)
    assert wrong == {}
    assert {("team", "A"), ("team", "B"), ("total",)} <= shown  # nothing to hide
    assert _found(values, lines, shown) == {}
