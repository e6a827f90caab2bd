"""Docstring examples that read the real DfE release follow the rule of tests marked
``realdata`` (tests/conftest.py): in CI a missing release fails them; elsewhere they skip
and say why."""

from __future__ import annotations

import os

import pytest
from _pytest.doctest import DoctestItem

from workforce_lib.constants import INDICATORS_GLOB
from workforce_lib.published.loading import resolve_data_dir


def _reads_release(item: DoctestItem) -> bool:
    return any("load_release(" in ex.source for ex in item.dtest.examples)


def pytest_collection_modifyitems(config, items) -> None:
    if os.environ.get("CI") or list(resolve_data_dir().glob(INDICATORS_GLOB)):
        return
    skip = pytest.mark.skip(
        reason=f"the real DfE release ({INDICATORS_GLOB}) is not in {resolve_data_dir()}; "
        "set WORKFORCE_DATA_DIR (e.g. ../shared/data/dfe)"
    )
    for item in items:
        if isinstance(item, DoctestItem) and _reads_release(item):
            item.add_marker(skip)
