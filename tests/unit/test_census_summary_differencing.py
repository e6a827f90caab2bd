"""`workforce census summary` on overlapping sets of one council's returns (2021-2024 vs
2021-2025, a gap, one year alone): comparing the outputs gives nothing, because every
figure of a census year comes from that year's return (and, for the year-on-year check,
the year before's) and is controlled on its own, whatever else is given. The attack: every
pair of outputs, every figure both show for the same year, differenced."""

import itertools

import pytest

from tests import census_returns as cr
from workforce_lib.records.census import summary

YEARS = [2021, 2022, 2023, 2024, 2025]
# small counts on purpose: leavers of 2, 3 and 6, agency workers of 1 and 4
COUNTS = {2021: (12, 2, 1, 3), 2022: (30, 6, 4, 0), 2023: (9, 3, 0, 1),
          2024: (25, 7, 6, 5), 2025: (26, 4, 2, 2)}  # fmt: skip


@pytest.fixture(scope="module")
def returns():
    return {y: cr.census_return("901", y, in_post=i, leavers=lv, agency=a, absent=ab)
            for y, (i, lv, a, ab) in COUNTS.items()}  # fmt: skip


def _figures(doc: dict) -> dict:
    """Every figure of one output by (what, year, row, field)."""
    out = {}
    for row in doc["trend"]:
        for k, v in row.items():
            out[("trend", row.get("year"), k)] = v
    for f in doc["flow_checks"]:
        for k, v in f.items():
            out[("flow", f["year"], k)] = v
    for name, rows in doc["tables"].items():
        for i, row in enumerate(rows):
            for k, v in row.items():
                out[(name, doc["year"], i, k)] = v
    return out


def test_overlapping_sets_of_returns_differ_in_nothing_they_both_show(returns):
    sets = [YEARS[i:j] for i in range(5) for j in range(i + 1, 6)]
    sets += [[2021, 2023, 2025], [2022, 2025], [2021, 2024]]
    docs = [_figures(summary.summarise([returns[y] for y in s]).to_json()) for s in sets]
    differing = []
    for a, b in itertools.combinations(docs, 2):
        for key in a.keys() & b.keys():
            if a[key] != b[key]:
                differing.append((key, a[key], b[key]))
    assert differing == []
    # and the years do hold figures a differencing attack would want: hidden ones
    assert any("c: suppressed" in str(v) for d in docs for v in d.values())
