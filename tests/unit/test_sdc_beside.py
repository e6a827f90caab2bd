"""A table published beside tables already protected (:func:`workforce_lib.records.sdc.
protect_beside`): the two years of leaver tables stay exactly as they were, and the
pooled table's cells are hidden so that everything published together passes the
tests' own attacker (:mod:`tests.audit`)."""

import numpy as np
import pytest

from tests.audit import narrow, random_table
from workforce_lib.records import sdc


def _two_years_and_pooled(seed: int):
    """Two random years of one table (cells ``(year, row, column)``), each protected on
    its own as a report protects it, and the table of both years added up
    (``("p", row, column)``) with the lines tying each pooled cell to its two parts."""
    rng = np.random.default_rng(seed)
    values, lines, stages = {}, [], {}
    for y in (1, 2):
        v, ls = random_table(rng, 4, 4)
        hidden = sdc.protect(v, ls, 5)
        values |= {(y, *k): n for k, n in v.items()}
        lines += [([(y, *c) for c in parts], (y, *tot)) for parts, tot in ls]
        stages[y] = {(y, *c) for c in hidden}
    cells = {k[1:] for k in values}
    values |= {("p", *k): values[(1, *k)] + values[(2, *k)] for k in cells}
    rows = sorted({r for r, _ in cells}, key=str)
    cols = sorted({c for _, c in cells}, key=str)
    lines += [([("p", r, c) for c in cols if c != "T"], ("p", r, "T")) for r in rows]
    lines += [([("p", r, c) for r in rows if r != "T"], ("p", "T", c)) for c in cols]
    lines += [([(1, *k), (2, *k)], ("p", *k)) for k in cells]
    return values, lines, stages


@pytest.mark.parametrize("seed", range(8))
def test_the_years_stay_as_they_were_and_together_nothing_is_narrowed(seed):
    values, lines, stages = _two_years_and_pooled(seed)
    later = {k for k in values if k[0] == "p"}
    fixed = stages[1] | stages[2]
    hidden = sdc.protect_beside(values, lines, 5, lambda t: fixed, later)
    assert hidden - later == fixed  # every shown cell of the years still shown
    assert narrow(values, lines, set(values) - hidden) == {}


def test_the_pooled_table_shows_what_it_can():
    """Over the seeds the pooled table shows cells the years hide (one year's 3 and the
    other's 4 make a 7 that may be shown): the engine is not hiding it all."""
    gained = 0
    for seed in range(8):
        values, lines, stages = _two_years_and_pooled(seed)
        later = {k for k in values if k[0] == "p"}
        fixed = stages[1] | stages[2]
        hidden = sdc.protect_beside(values, lines, 5, lambda t, f=fixed: f, later)
        gained += sum(1 for k in later - hidden
                      if (1, *k[1:]) in fixed and (2, *k[1:]) in fixed)  # fmt: skip
    assert gained > 0


def test_showing_a_pooled_cell_beside_one_years_shown_part_is_refused():
    """Beside a year's shown part, a pooled cell gives the other year's part: the naive
    table (pooled cells hidden only where they are small themselves) leaks, the engine's
    does not."""
    values = {(1, "a"): 3, (1, "b"): 9, (1, "T"): 12,
              (2, "a"): 6, (2, "b"): 7, (2, "T"): 13,
              ("p", "a"): 9, ("p", "b"): 16, ("p", "T"): 25}  # fmt: skip
    lines = [([(y, "a"), (y, "b")], (y, "T")) for y in (1, 2, "p")]
    lines += [([(1, k), (2, k)], ("p", k)) for k in ("a", "b", "T")]
    fixed = {(1, "a"), (1, "b")}  # year 1's 3 with its partner; year 2 shown whole
    later = {("p", "a"), ("p", "b"), ("p", "T")}
    naive = fixed | sdc.primary(values, 5)
    assert narrow(values, lines, set(values) - naive)  # 9 - 6 = 3
    hidden = sdc.protect_beside(values, lines, 5, lambda t: fixed, later)
    assert hidden == fixed | {("p", "a"), ("p", "b")}
    assert narrow(values, lines, set(values) - hidden) == {}


def test_each_threshold_keeps_what_the_one_below_hid():
    values, lines, _ = _two_years_and_pooled(3)
    later = {k for k in values if k[0] == "p"}
    years = {k: v for k, v in values.items() if k[0] != "p"}
    year_lines = [(p, t) for p, t in lines if t[0] != "p"]
    by_t: dict = {}
    sdc.protect(years, year_lines, 7, stages=by_t)
    at = {t: sdc.protect_beside(values, lines, t, by_t.get, later) for t in (5, 6, 7)}
    assert at[5] <= at[6] <= at[7]
    for t in (5, 6, 7):
        assert at[t] - later == by_t[t]
        assert narrow(values, lines, set(values) - at[t], t) == {}


def test_where_the_years_cannot_stay_as_they_were_the_pooled_table_is_hidden():
    """A cell of the new table that must be hidden (forced) and can be covered only by a
    shown cell of the years: every cell of the new table is hidden instead."""
    values = {(1, "a"): 8, (1, "b"): 9, (1, "T"): 17, ("p", "a"): 8, ("p", "x"): 0}
    lines = [([(1, "a"), (1, "b")], (1, "T")), ([(1, "a")], ("p", "a"))]
    later = {("p", "a"), ("p", "x")}
    hidden = sdc.protect_beside(values, lines, 5, lambda t: set(), later,
                                forced=lambda t: {("p", "a")})  # fmt: skip
    assert hidden == later
