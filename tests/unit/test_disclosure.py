"""Disclosure control: primary suppression, secondary suppression, shares."""

import pandas as pd
import pytest

from workforce_lib import disclosure


def test_too_few_suppresses_one_to_threshold_minus_one_but_not_zero():
    people = pd.Series([0, 1, 4, 5, 30])
    assert disclosure.too_few(people, 5).tolist() == [False, True, True, False, False]
    assert disclosure.too_few(people, 1).tolist() == [False] * 5  # threshold 1: nothing hidden


def test_one_suppressed_part_of_a_total_gets_a_partner():
    people = pd.Series({"a": 20, "b": 2, "c": 9, "d": 7, "e": 0})
    mask = disclosure.protect(people, 5)
    assert mask[mask].index.tolist() == ["b", "d"]  # d: the smallest other non-zero part


def test_two_suppressed_parts_need_no_partner_and_no_total_no_partner():
    people = pd.Series({"a": 20, "b": 2, "c": 3})
    assert disclosure.protect(people, 5).tolist() == [False, True, True]
    alone = pd.Series({"a": 20, "b": 2})
    assert disclosure.protect(alone, 5, total_shown=False).tolist() == [False, True]
    assert disclosure.protect(alone, 5, total_shown=True).tolist() == [True, True]


def test_shares_that_reveal_the_complement_are_suppressed():
    assert disclosure.protect_share(11, 12, 5)  # one left
    assert disclosure.protect_share(2, 12, 5)
    assert not disclosure.protect_share(12, 12, 5)  # none left: describes nobody
    assert not disclosure.protect_share(6, 12, 5)
    assert disclosure.protect_share(4, 4, 5)  # a total of 4


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_threshold_must_be_a_whole_number_at_least_one(bad):
    with pytest.raises(ValueError, match="threshold"):
        disclosure.check_threshold(bad)
