"""Pooling a region's returns: every file checked, every problem reported at once, no SWE
number kept."""

import re
import shutil

import pytest

from tests.conftest import FIXTURES
from workforce_lib.errors import DataNotFoundError, DataValidationError
from workforce_lib.records.census.pool import pool_returns
from workforce_lib.records.census.records import person_key

REGION = FIXTURES / "census" / "region"
KEY = bytes(range(32))
SWE = [f"SW9000{i:02d}" for i in range(1, 13)]


@pytest.fixture(scope="module")
def pool():
    return pool_returns(REGION, KEY)


def test_every_return_pooled(pool):
    assert pool.councils == ["901", "902", "903"] and pool.years == [2024, 2025]
    assert len(pool.returns) == 6
    # records by hand: 6 + 4 + 4 in 2024, 6 + 6 + 5 in 2025
    assert len(pool.workers) == 31
    sizes = pool.workers.groupby(["council", "year"], observed=True).size().to_dict()
    assert sizes == {
        ("901", 2024): 6, ("901", 2025): 6, ("902", 2024): 4,
        ("902", 2025): 6, ("903", 2024): 4, ("903", 2025): 5,
    }  # fmt: skip
    assert pool.workers["person"].nunique() == 12
    assert pool.coverage().all().all()
    assert pool.vacancies[["council", "year"]].values.tolist()[0] == ["901", 2024]


def test_the_same_person_links_across_councils(pool):
    w = pool.workers
    a = w[w["person"] == person_key("SW900001", KEY)]
    assert sorted(zip(a["council"], a["year"], strict=True)) == [
        ("901", 2024), ("901", 2025), ("902", 2025)
    ]  # fmt: skip


def test_no_swe_number_in_the_pooled_table(pool):
    text = pool.workers.to_csv() + pool.vacancies.to_csv() + repr(pool)
    for swe in SWE:
        assert swe not in text and swe[2:] not in text
    assert not re.search(r"SW9\d{5}", text, re.I)


def test_every_problem_of_every_file_in_one_error(tmp_path):
    shutil.copytree(REGION, tmp_path / "r")
    bad = (tmp_path / "r" / "902_2025.xml").read_text()
    (tmp_path / "r" / "902_2025.xml").write_text(bad.replace("<FTE>1</FTE>", "<FTE>7</FTE>", 1))
    broken = tmp_path / "r" / "sub"
    broken.mkdir()
    (broken / "a.xml").write_text("<Message><Header>")
    shutil.copy(REGION / "901_2024.xml", broken / "again.xml")
    with pytest.raises(DataValidationError) as err:
        pool_returns(tmp_path / "r", KEY)
    files = {p.file for p in err.value.problems}
    assert files == {"902_2025.xml", "sub/a.xml", "sub/again.xml"}
    text = str(err.value)
    assert "a second return for council 901, census year 2024" in text
    assert "not well-formed" in text and "element 'FTE', value '7'" in text


def test_no_folder_no_returns_no_key(tmp_path):
    with pytest.raises(DataNotFoundError, match="no such folder"):
        pool_returns(tmp_path / "none", KEY)
    with pytest.raises(DataNotFoundError, match="no census return"):
        pool_returns(tmp_path, KEY)
    with pytest.raises(Exception, match="key"):
        pool_returns(REGION, b"")


def test_two_processes_give_the_same_pool(pool):
    again = pool_returns(REGION, KEY, workers=2)
    assert again.workers.equals(pool.workers)


def test_a_return_that_is_a_broken_link_or_a_loop_is_not_silently_left_out(tmp_path):
    folder = tmp_path / "r"
    shutil.copytree(FIXTURES / "census" / "region", folder)
    (folder / "904_2025.xml").symlink_to(tmp_path / "moved_away.xml")
    (folder / "a.xml").symlink_to(folder / "b.xml")
    (folder / "b.xml").symlink_to(folder / "a.xml")
    (folder / "self").symlink_to(folder)  # a link back up: no endless walk
    with pytest.raises(DataValidationError) as err:
        pool_returns(folder, bytes(range(32)))
    assert [p.file for p in err.value.problems] == ["904_2025.xml", "a.xml", "b.xml"]
    assert "loop of links" in str(err.value)


@pytest.mark.parametrize("workers", [0, -1, 17, 100_000, 2.5, True])
def test_reading_processes_are_bounded(workers):
    """--workers 100000 would start 100,000 processes: refused by name before any file is
    read, like every other setting."""
    from workforce_lib.errors import WorkforceError

    with pytest.raises(WorkforceError, match=r"--workers must be a whole number from 1 to 16"):
        pool_returns(FIXTURES / "census" / "region", bytes(range(1, 33)), workers=workers)
