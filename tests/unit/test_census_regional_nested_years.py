"""Nested registered groups' reports over different years set side by side: the region
and the north (:mod:`tests.unit.test_census_regional_nested`'s registry) each pooled over
2022-2025 and over 2023-2025, four reports. A year's cell is the same in two reports of
one group (the same returns), and a cell of the region the same as the north's where
:func:`tests.unit.test_census_regional_nested._same` says so and the two are equal. The
inner group's tables the region is protected beside are made over the region's years
(:func:`workforce_lib.records.census.regional._inner_exports`), so the north's own
report over other years (another year's possible unlinked moves beside a year's) is
checked here too."""

import pytest

from tests import census_returns as cr
from tests.audit import pinned
from tests.unit.test_census_regional_nested import (
    GROUPS,
    REGISTRY,
    _lines,
    _report,
    _same,
    demo_region,
)
from workforce_lib.records.census.regional import regional_tables

SPANS = ((2022, 2023, 2024, 2025), (2023, 2024, 2025))
NAMES = ("region", "north")


@pytest.fixture(scope="module", params=[1])
def whole(request, tmp_path_factory):
    return demo_region(tmp_path_factory, request.param)


def test_two_groups_over_two_spans_of_years_pin_no_count_below_5(whole):
    values, lines, shown, each = {}, [], set(), {}
    for name in NAMES:
        members = GROUPS[name]
        for span in SPANS:
            pool = cr.pool([r for r in whole.returns if r.council in members and r.year in span])
            truth, published = (
                _report(regional_tables(pool, t, registry=REGISTRY)) for t in (1, 5)
            )
            assert truth.keys() == published.keys()
            tag = f"{name} {span[0]}"
            v, ls = _lines(tag, truth, sorted(members))
            values |= v
            lines += ls
            shown |= {(tag, *k) for k, x in published.items() if x != "c"}
            each[(name, span)] = (tag, v)
    links = 0
    keys = list(each)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            (_, va), (tb, vb) = each[a], each[b]
            for k, v in va.items():
                other = (tb, *k[1:])
                same = a[0] == b[0] or _same(k[1:], GROUPS["north"])
                if same and vb.get(other) == v:
                    lines.append(([k], other))
                    links += 1
    assert links > 100
    got = pinned(values, lines, shown)
    assert {k: x for k, x in got.items() if 0 < x[0] < 5} == {}
