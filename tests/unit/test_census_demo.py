"""The fictional region: valid returns, the same files for the same seed, and every
planted movement visible in the returns it was planted in."""

import pandas as pd
import pytest

from workforce_lib.errors import WorkforceError
from workforce_lib.records.census.demo import generate_region
from workforce_lib.records.census.reader import read_return
from workforce_lib.records.census.records import person_key

KEY = b"region key"


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    out = tmp_path_factory.mktemp("region")
    made = generate_region(out / "returns", councils=4, years=3, seed=11, size=60,
                           truth=out / "truth.csv")  # fmt: skip
    returns = {(r.council, r.year): r for r in (read_return(f, KEY) for f in made.files)}
    return made, returns, pd.read_csv(out / "truth.csv", dtype={"from_council": str,
                                                                "to_council": str})  # fmt: skip


def census_year(day: pd.Timestamp) -> int:
    return day.year + (day.month >= 10)


def test_every_return_is_valid_and_the_region_is_as_asked(region):
    made, returns, _ = region
    assert len(made.files) == 12 and sorted({y for _, y in returns}) == [2023, 2024, 2025]
    assert made.records == sum(len(r.workers) for r in returns.values())


def test_planted_movements_are_in_the_returns(region):
    _, returns, truth = region
    assert set(truth["kind"]) == {"council_to_council", "permanent_to_agency",
                                  "agency_to_permanent"}  # fmt: skip
    assert truth["cooling_off_breach"].any() and not truth["cooling_off_breach"].all()
    for m in truth.itertuples(index=False):
        who = person_key(m.swe_number, KEY)
        left, started = pd.Timestamp(m.left_on), pd.Timestamp(m.started_on)
        w = returns[(m.from_council, census_year(left))].workers
        old = w[(w["person"] == who) & (w["end_date"] == left)]
        arrives_as_agency = m.kind == "permanent_to_agency"
        if m.kind == "agency_to_permanent":  # an agency worker at a 30 September before
            w = returns[(m.from_council, census_year(left) - 1)].workers
            old = w[(w["person"] == who) & w["agency"]]
        else:
            assert not old["agency"].any()
        assert len(old) == 1, m
        w = returns[(m.to_council, census_year(started))].workers
        new = w[(w["person"] == who) & (w["start_date"] == started)]
        assert len(new) == 1 and bool(new["agency"].iloc[0]) == arrives_as_agency, m
        breach = arrives_as_agency and m.gap_days <= 80 and m.reason_leave not in (2, 3)
        assert m.cooling_off_breach == breach


def test_same_seed_same_files(tmp_path):
    a = generate_region(tmp_path / "a", councils=2, years=2, seed=3, size=30)
    b = generate_region(tmp_path / "b", councils=2, years=2, seed=3, size=30)
    c = generate_region(tmp_path / "c", councils=2, years=2, seed=4, size=30)
    assert [f.read_bytes() for f in a.files] == [f.read_bytes() for f in b.files]
    assert [f.read_bytes() for f in a.files] != [f.read_bytes() for f in c.files]
    assert not list(tmp_path.rglob("*.csv"))  # no answer file unless asked


def test_settings_are_bounded(tmp_path):
    with pytest.raises(WorkforceError, match="--councils must be 1 to 200"):
        generate_region(tmp_path, councils=100000)
    with pytest.raises(WorkforceError, match="--years must be 1 to 10"):
        generate_region(tmp_path, years=0)
