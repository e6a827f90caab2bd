"""Attacks on the pooled region's outputs (review 19): two outputs the project can
produce whose comparison gives a count of 1 to 4 people that the tables hide."""

from __future__ import annotations

from tests import census_returns as cr
from workforce_lib.cli import _census_region_text
from workforce_lib.records.census.regional import regional_tables


def _outputs(pool) -> str:
    t = regional_tables(pool, 5, registry=cr.registered(pool))
    return _census_region_text(t), t.to_json()


def test_no_output_gives_a_pools_number_of_worker_records():
    """A pool's number of worker records, beside the same of a pool without one small
    council (or of that council alone), is that council's records: 3 here, which its own
    census summary gives only as "fewer than 5". Found by review 19; older than the
    registered groups (6e4580b shows it too)."""
    big = cr.census_return("801", 2025, in_post=40, leavers=6)
    small = cr.census_return("420", 2025, in_post=3)
    for p in (cr.pool([big, small]), cr.pool([big]), cr.pool([small])):
        text, doc = _outputs(p)
        assert "worker records" not in text
        assert "records" not in doc
