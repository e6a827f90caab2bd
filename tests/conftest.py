"""Shared fixtures.

Tests marked ``realdata`` read the real DfE release from WORKFORCE_DATA_DIR. In CI a
missing release is a failure, never a skip; on a laptop without it they skip and say why.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workforce_lib.constants import INDICATORS_GLOB
from workforce_lib.published.loading import resolve_data_dir

FIXTURES = Path(__file__).parent / "fixtures"

#: The North East's 2025 rates as DfE publishes them (csww_indicators_2017_to_2025.csv,
#: region E12000001), which a recomputation from its 12 councils must give back.
NORTH_EAST_2025 = {
    "turnover_rate_fte": 11.7,
    "agency_rate_fte": 8.2,
    "vacancy_rate_fte": 8.9,
    "caseload_fte": 16.5,
}


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Keep cleaned-release caches out of the checkout while testing."""
    os.environ["WORKFORCE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's ``page`` is a tab of the system Chromium (tests/e2e/browser.py):
    no browser download; in CI a missing Chromium fails the browser tests."""
    from tests.e2e.browser import launch_args

    return {**browser_type_launch_args, **launch_args()}


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    folder = resolve_data_dir()
    if not list(folder.glob(INDICATORS_GLOB)):
        msg = (
            f"The real DfE release ({INDICATORS_GLOB}) is not in {folder}. "
            "Set WORKFORCE_DATA_DIR (e.g. ../shared/data/dfe)."
        )
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return folder


@pytest.fixture(scope="session")
def release(real_data_dir):
    from workforce_lib.published.release import load_release

    return load_release(real_data_dir)


@pytest.fixture(scope="session")
def neighbours(real_data_dir):
    from workforce_lib.published.comparison import read_neighbours

    return read_neighbours(real_data_dir)


@pytest.fixture
def small_csv(tmp_path) -> Path:
    """A copy of the hand-written 3-council fixture in a fresh data directory."""
    target = tmp_path / "csww_indicators_2024_to_2025.csv"
    target.write_text((FIXTURES / "indicators_small.csv").read_text())
    return target


@pytest.fixture
def small_release(small_csv):
    from workforce_lib.published.release import load_release

    return load_release(path=small_csv, cache=False)


def assert_councils_reproduced(release, rebuild, at_least: int = 100) -> int:
    """Rebuild each council of the latest year whose components are all published with
    ``rebuild(row: dict, year) -> dict | None`` (None: the row cannot be expressed) and
    check the result against DfE's figures: every component exactly, each rate the
    published one or, where DfE rounded the components after computing the rate, a value
    those rounded components allow (the quality module's check). Returns how many.
    """
    from workforce_lib.measures import MEASURES
    from workforce_lib.published import quality

    year = release.latest_year
    councils = release.frame("council", year)
    components = sorted({c for m in MEASURES.values() for c in m.components})
    checked = 0
    for i, row in councils.iterrows():
        if release.status.loc[i, list(MEASURES)].ne("").any():
            continue
        got = rebuild(row.to_dict(), year)
        if got is None:
            continue
        for name in components:
            assert got[name] == pytest.approx(row[name], abs=1e-9), (row.area_name, name)
        for name in set(MEASURES) - set(components):
            m = MEASURES[name]
            sums = {c: got[c] for c in m.components}
            assert got[name] == row[name] or quality.reproduces(m, row[name], sums, 1, year), (
                row.area_name,
                name,
            )
        checked += 1
    assert checked >= at_least, checked
    return checked
