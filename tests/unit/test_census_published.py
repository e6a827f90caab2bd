"""Every council's 2025 published figures rebuilt as a census return: read back through
the census path, DfE's components come out exactly (as tests/unit/test_hr.py does for
HR extracts)."""

import math

import pytest

from tests.conftest import assert_councils_reproduced
from workforce_lib.records import hr
from workforce_lib.records.census.convert import to_extract
from workforce_lib.records.census.reader import read_return
from workforce_lib.records.census.writer import write_return


def split(total: float, n: int) -> list[str]:
    """``total`` FTE over ``n`` records, each at most 1 with at most 6 decimal places,
    summing to ``total`` exactly (in millionths)."""
    q, r = divmod(round(total * 1_000_000), n)
    return [f"{(q + (i < r)) / 1_000_000:.6f}" for i in range(n)]


def build_return(row: dict, year: int) -> list[dict] | None:
    """Records whose return would be the DfE row: case holders (the first of them in two
    posts, one person), other staff, starters, leavers and agency workers."""
    starters_h, starters_f = int(row["starters_headcount"]), row["starters_fte"]
    holders_f, cases = row["case_holders_fte"], int(row["cases"])
    holders_h = math.ceil(holders_f)
    rest_h = int(row["inpost_headcount"]) - starters_h - holders_h
    rest_f = round(row["inpost_fte"] - starters_f - holders_f, 6)
    leavers_h, agency_h = int(row["leavers_headcount"]), int(row["agency_headcount"])
    if rest_h < 0 or rest_f < 0 or rest_f > rest_h or (rest_h > 0) != (rest_f > 0):
        return None
    if row["agency_cover_fte"] > row["vacancy_fte"] or starters_f > starters_h:
        return None
    if row["leavers_fte"] > leavers_h or row["agency_fte"] > agency_h or holders_h < 1:
        return None
    numbers = iter(range(100000, 10_000_000))
    base = {"AgencyWorker": 0, "QualInst": "Fictional University", "OrgRole": 5}
    in_post = {**base, "RoleStartDate": f"{year - 8}-01-01"}
    records = []
    for i, fte in enumerate(split(holders_f, holders_h)):
        share = cases // holders_h + (i < cases % holders_h)
        records.append({**in_post, "SWENo": f"SW{next(numbers)}", "FTE": fte, "Cases30": share})
    first = records[0]  # one person in two posts: counted once, FTE summed
    micro = round(float(first["FTE"]) * 1_000_000)
    if first["Cases30"] >= 2 and micro >= 2:
        second = {**first, "OrgRole": 3, "RoleStartDate": f"{year - 6}-01-01"}
        first["FTE"], second["FTE"] = f"{micro // 2 / 1e6:.6f}", f"{(micro - micro // 2) / 1e6:.6f}"
        first["Cases30"], second["Cases30"] = first["Cases30"] - 1, 1
        records.insert(1, second)
    groups = [
        (rest_h, rest_f, in_post),
        (starters_h, starters_f, {**base, "RoleStartDate": f"{year}-01-15", "StartOrigin": 1}),
        (leavers_h, row["leavers_fte"],
         {**in_post, "RoleEndDate": f"{year}-03-31", "ReasonLeave": 1, "LeaverDestination": 8}),
        (agency_h, row["agency_fte"],
         {**base, "AgencyWorker": 1, "RoleStartDate": f"{year}-05-01"}),
    ]  # fmt: skip
    for n, fte, kind in groups:
        if n:
            records += [{**kind, "SWENo": f"SW{next(numbers)}", "FTE": f} for f in split(fte, n)]
    records[-1 - agency_h]["WorkingDaysLost"] = f"{row['working_days_lost_fte']:.2f}"
    return records


def reproduce(row: dict, year: int, path) -> dict | None:
    records = build_return(row, year)
    if records is None:
        return None
    vac = (row["vacancy_fte"], row["agency_cover_fte"], 0)
    write_return(path, "990", year, vac, records)
    ret = read_return(path)
    comp = hr.components_at(to_extract(ret), ret.reference_date)
    return hr.measures_from(comp, threshold=1).values.iloc[0].to_dict()


@pytest.mark.realdata
def test_every_council_return_reproduced_from_a_census_return(tmp_path, release):
    checked = assert_councils_reproduced(
        release, lambda row, year: reproduce(row, year, tmp_path / "r.xml")
    )
    print(f"{checked} councils' {release.latest_year} figures reproduced from census returns")


def test_split_is_exact():
    parts = split(12.3, 13)
    assert len(parts) == 13 and max(map(float, parts)) <= 1
    assert sum(round(float(p) * 1_000_000) for p in parts) == 12_300_000
