"""The answers kept per extract (``hr._PerExtract``): the release and the caseload
figures are worked out once per extract object and threshold, and never served to
another extract object, even one with the same content at the same ``id``."""

import dataclasses

import pytest

from tests.unit.test_hr import SMALL
from workforce_lib.records import hr
from workforce_lib.records.extract import read_extract


@pytest.fixture()
def small():
    return read_extract(SMALL)


@pytest.mark.parametrize("work", [hr.build_release, hr._caseloads])
def test_one_answer_per_extract_object_and_threshold(small, work):
    first = work(small, 5)
    assert work(small, 5) is first  # the same object, not worked out again
    assert work(small, 6) is not first  # another threshold, another answer
    twin = dataclasses.replace(small)  # equal content, another object
    assert twin is not small and twin.workers is small.workers
    assert work(twin, 5) is not first


@pytest.mark.parametrize(
    ("name", "work"), [("_RELEASES", hr.build_release), ("_CASELOADS", hr._caseloads)]
)
def test_an_id_reused_by_another_extract_is_not_served_the_old_answer(
    small, name, work, monkeypatch
):
    # As when an extract is freed and a new one, equal in content, is given its address:
    # the slot of the twin's id holds the first extract's answer. Keyed on id alone, the
    # twin would be served it; the identity check makes it work out its own.
    held = hr._PerExtract()
    monkeypatch.setattr(hr, name, held)
    first = work(small, 5)
    twin = dataclasses.replace(small)
    held._held[(id(twin), 5)] = (small, first)
    got = work(twin, 5)
    assert got is not first
    assert work(twin, 5) is got  # and keeps it for the twin from then on
    assert held.get(small, 5) is first  # the first extract keeps its own


def test_more_than_eight_answers_are_dropped_together():
    held = hr._PerExtract()
    keys = [object() for _ in range(10)]
    for i, k in enumerate(keys[:9]):
        held.put(k, 5, i)
    assert [held.get(k, 5) for k in keys[:9]] == list(range(9))  # 9 held: not over 8 yet
    held.put(keys[9], 5, 9)  # 9 > 8: all dropped before the tenth is kept
    assert [held.get(k, 5) for k in keys] == [None] * 9 + [9]
