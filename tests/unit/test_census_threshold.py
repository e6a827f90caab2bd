"""No census output below a threshold of 5 (a threshold of 1 to 4 shows small counts)."""

import pytest

from tests.conftest import FIXTURES
from workforce_lib.records.census.regional import census_region_report
from workforce_lib.records.census.threshold import ThresholdError, check_census_threshold


@pytest.mark.parametrize("bad", [0, 1, 4, -5, "3", "five", 4.5])
def test_below_5_or_not_whole_is_refused(bad):
    with pytest.raises(ThresholdError, match="--threshold"):
        check_census_threshold(bad)


@pytest.mark.parametrize("good", [5, "6", 10])
def test_5_and_more_are_accepted(good):
    assert check_census_threshold(good) == int(good)


def test_the_regional_report_refuses_a_threshold_below_5_before_reading(tmp_path):
    # the report's entry point (the notebook's parameter): refused before the key is read
    with pytest.raises(ThresholdError):
        census_region_report(str(FIXTURES / "census" / "region"), str(tmp_path / "no.key"), 2)


def test_census_and_staff_record_outputs_raise_one_threshold_error():
    # one class for every output of councils' own records: a caller catching the HR
    # extract's error catches the census one (two unrelated classes before)
    from workforce_lib.records import disclosure

    with pytest.raises(disclosure.ThresholdError, match="--threshold 4"):
        check_census_threshold(4)
    with pytest.raises(ThresholdError, match="from 5 to 20"):
        disclosure.check_shown_threshold(3)
