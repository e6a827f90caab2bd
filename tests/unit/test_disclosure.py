"""Disclosure control rules: primary suppression, parts beside a shown total, differencing."""

import numpy as np
import pandas as pd
import pytest

from workforce_lib.records import disclosure


def test_too_few_suppresses_one_to_threshold_minus_one_but_not_zero():
    people = pd.Series([0, 1, 4, 5, 30])
    assert disclosure.too_few(people, 5).tolist() == [False, True, True, False, False]
    assert disclosure.too_few(people, 1).tolist() == [False] * 5  # threshold 1: nothing hidden


def _protect(people: pd.Series, threshold: int) -> pd.Series:
    """Primary, then secondary while the shown total would reveal a part."""
    hidden = disclosure.too_few(people, threshold).to_numpy()
    return pd.Series(disclosure.protect_parts(people.to_numpy(), hidden, threshold))


def test_one_suppressed_part_of_a_total_gets_a_partner():
    people = pd.Series({"a": 20, "b": 2, "c": 9, "d": 7, "e": 0})
    mask = _protect(people, 5)
    assert people.index[mask].tolist() == ["b", "d"]  # d: the smallest other non-zero part


def test_two_suppressed_parts_need_no_partner_and_a_lone_one_takes_the_other():
    assert _protect(pd.Series({"a": 20, "b": 2, "c": 3}), 5).tolist() == [False, True, True]
    assert _protect(pd.Series({"a": 20, "b": 2}), 5).tolist() == [True, True]


@pytest.mark.parametrize("bad", [0, -1, 2.5, 1, 2, 4, 21, float("nan"), "5"])
def test_threshold_must_be_a_whole_number_from_five(bad):
    # below 5 a view would show 1-4 people, or difference against the default to show them
    with pytest.raises(disclosure.ThresholdError, match="threshold"):
        disclosure.check_shown_threshold(bad)
    assert [disclosure.check_shown_threshold(t) for t in (5, 6, 20)] == [5, 6, 20]


def test_hidden_parts_hold_at_least_threshold_people_between_them():
    # 1 and 2 hidden beside a shown total of 32: total minus the rest = 3 people
    people = pd.Series({"a": 20, "b": 1, "c": 2, "d": 9})
    assert _protect(people, 5).tolist() == [False, True, True, True]
    # a lone hidden zero is not safe either: total minus the rest shows it
    hidden = disclosure.protect_parts([30, 0, 8], [False, True, False], 5)
    assert hidden.tolist() == [False, True, True]


def test_one_reason_for_every_suppressed_cell():
    assert disclosure.STATUS == "c: suppressed to protect confidentiality"


def test_a_value_is_not_shown_beside_one_a_few_people_away():
    # eight people at four month ends; one leaves after the second, three join after the third
    members = np.array([[1, 1, 1, 1]] * 7 + [[1, 1, 0, 0]] + [[0, 0, 0, 1]] * 3, bool)
    assert disclosure.differing(members)[3, 0] == 4
    hidden = disclosure.hide_over_dates(members, np.zeros(4, bool), 5)
    # latest kept; the third is 3 people from it, the others 4: only the latest is shown
    assert hidden.tolist() == [True, True, True, False]
    shown = np.flatnonzero(~hidden)
    d = disclosure.differing(members)
    assert all(d[i, j] == 0 or d[i, j] >= 5 for i in shown for j in shown)


def test_a_higher_threshold_hides_everything_a_lower_one_hides():
    # every table of 3 parts, and 200 of 5, with counts 0-9 (and 12): what threshold t
    # hides, t + 1 hides too, so no output at t + 1 shows a part hidden at t (census
    # count tables rely on this; parts are hidden smallest first, so it holds)
    import itertools

    rng = np.random.default_rng(11)
    values = [0, 1, 2, 3, 4, 5, 6, 7, 9, 12]
    tables = [*itertools.product(values, repeat=3)]
    tables += [tuple(rng.choice(values, size=5)) for _ in range(200)]
    for counts in tables:
        people = pd.Series(counts)
        before = _protect(people, 5)
        for t in range(6, 11):
            now = _protect(people, t)
            assert not (before & ~now).any(), (counts, t)
            before = now
