"""The independent interval attacker (``tests/audit.py``) on an HR extract's outputs.

A reader runs ``workforce hr summary`` (and the monthly flows) at every as-at date they
may ask for and pools every figure shown. What they know: each breakdown adds up to its
total; each as-at date's starters and leavers are its twelve months added up; and in
post now + leavers in the year = in post a year before + starters in the year. The
attacker takes the figures at threshold 5 as shown and the same outputs with disclosure
control off as the truth (what the attacker tries to learn), and by linear programming
finds each hidden figure's least and greatest value. No hidden count may be pinned to an
interval narrower than the threshold, nor be unable to reach it; any other hidden figure
must not be known exactly unless it is 0 (a zero describes nobody): the audit's
guarantee in its ``sensitive`` reading, which the engine gives the release
(``hr._protect``). (That two dates of one group a few people apart are not both shown is
the differencing rule, tested by ``test_hr.py``'s attack.)

On main's hand-written rules the leaky extract's one leaver is pinned to 0 or 1 over the
last 13 month ends (its month is hidden, but the starters' months and the in-post
figures bound the leavers' total: the months' rule checked each kind on its own and knew
nothing of the in-post identity), and a demo extract's (seed 7) in post at 30 April 2025,
hidden for its difference from another month end, is given exactly by the others.
"""

import numpy as np
import pandas as pd
import pytest

from tests.audit import narrow, pinned
from tests.unit.test_hr import leaky_extract
from workforce_lib.records import disclosure, hr
from workforce_lib.records.extract import read_extract, write_extract

OFF = disclosure.OFF


def _observe(ex, days, t=5):
    """``(values, lines, shown)`` of every headcount the outputs at ``days`` show."""
    values: dict = {}
    shown: set = set()
    lines: list = []

    def put(key, true, seen):
        v = int(round(float(true)))
        assert values.setdefault(key, v) == v, key  # one figure, one value everywhere
        if seen:
            shown.add(key)

    for day in map(pd.Timestamp, days):
        before = hr.headline_dates(day)[0]
        m, m0 = hr.measures_at(ex, day, t).values, hr.measures_at(ex, day, OFF).values
        for kind in ("inpost", "starters", "leavers", "agency"):
            for d in (before, day):
                col = f"{kind}_headcount"
                put((kind, d), m0.at[d, col], pd.notna(m.at[d, col]))
        x = values[("inpost", before)] + values[("starters", day)]
        if x == values[("inpost", day)] + values[("leavers", day)]:
            values[("x", day)] = x  # shown by nothing: the identity's two sides
            lines += [([("inpost", before), ("starters", day)], ("x", day)),
                      ([("inpost", day), ("leavers", day)], ("x", day))]  # fmt: skip
        tm, tm0 = hr.teams(ex, day, t)[0], hr.teams(ex, day, OFF)[0]
        for col, kind in (("inpost_headcount", "inpost"), ("leavers_headcount", "leavers")):
            parts = [("team", kind, team, day) for team in tm0.index]
            for key in parts:
                put(key, tm0.at[key[2], col], pd.notna(tm.at[key[2], col]))
            lines.append((parts, (kind, day)))
        for fn, name in ((hr.length_of_service, "band"), (hr.leavers_by_reason, "reason")):
            tb, tb0 = fn(ex, day, t)[0], fn(ex, day, OFF)[0]
            parts = [(name, r, day) for r in tb0.index[:-1]]
            for key in parts:
                put(key, tb0.at[key[1], "leavers"], pd.notna(tb.at[key[1], "leavers"]))
            lines.append((parts, ("leavers", day)))
        fm, fm0 = hr.flows_by_month(ex, day, t)[0], hr.flows_by_month(ex, day, OFF)[0]
        start = before + pd.Timedelta(days=1)  # a first month begun on its 29th is a part
        part = start.day != 1 and f"{start:%Y-%m}"
        for kind in ("starters", "leavers"):
            parts = [("month", kind, mo, *([day] if mo == part else [])) for mo in fm0.index]
            for key in parts:
                put(key, fm0.at[key[2], kind], pd.notna(fm.at[key[2], kind]))
            assert sum(values[p] for p in parts) == values[(kind, day)]
            lines.append((parts, (kind, day)))
    return values, lines, shown


def _pinned(ex, days, t=5):
    """Hidden figures the attacker pins: counts of 1 to ``t - 1`` narrower than ``t`` or
    unable to reach it, others known exactly and not 0."""
    return pinned(*_observe(ex, days), t, skip=("x",))


def test_the_one_leaver_is_not_pinned_by_months_and_in_post(tmp_path):
    ex = read_extract(leaky_extract(tmp_path))
    days = hr.allowed_as_at(ex)[-13:]
    assert _pinned(ex, days) == {}


@pytest.mark.parametrize("seed", [2025, 7])
def test_no_figure_of_a_demo_extract_is_pinned(tmp_path, seed):
    from workforce_lib.records.demo import demo_extract

    ex = read_extract(write_extract(demo_extract(seed=seed, posts=60), tmp_path / "d.csv"))
    days = hr.allowed_as_at(ex)[-7:]  # seed 7 on main: in post at 30 April 2025 pinned
    assert _pinned(ex, days) == {}


def test_the_attack_finds_a_pinned_leaver_when_the_months_are_shown(tmp_path):
    # the attacker is not blind: the same outputs with the leaver's month shown give it
    ex = read_extract(leaky_extract(tmp_path))
    day = pd.Timestamp("2025-09-30")
    values, lines, shown = _observe(ex, [day])
    months = {k for k in values if k[0] == "month"}
    got = narrow(values, lines, shown | months)
    assert got[("leavers", day)] == (1.0, 1.0)
    assert np.isfinite(got[("leavers", day)][1])


# ---------------------------------------------------------------- caseloads and ASYE
def _extract(tmp_path, rows, name="x.csv"):
    """An extract at 30 September 2025 from worker rows (permanent social workers of
    FTE 1 unless a row says otherwise)."""
    from workforce_lib.records.extract import COLUMN_NAMES

    base = {"record_type": "worker", "extract_date": "2025-09-30", "role": "social_worker",
            "fte": "1", "employment_type": "permanent", "start_date": "2015-01-05"}  # fmt: skip
    frame = pd.DataFrame([{**base, "worker_id": f"W{i:03d}", **r} for i, r in enumerate(rows)])
    frame = frame.reindex(columns=list(COLUMN_NAMES)).astype(object).fillna("")
    return read_extract(write_extract(frame, tmp_path / name))


def caseload_extract(tmp_path):
    """35 case holders (one FTE each): 6 hold 2 cases, 4 hold 4, 5 hold 8 and 20 hold 12,
    in two teams. At threshold 5 the bands show 10 up to 5 cases per FTE; at 6 the band
    of 5 is hidden with the 10 beside it, and main's counts "within the desired caseload"
    at 6, built from that band table, show the 6 within 2 cases: 10 - 6 = the 4 holding 4.
    """
    rows = [{"cases": "2", "team": "A"} for _ in range(6)]
    rows += [{"cases": "4", "team": "A"} for _ in range(4)]
    rows += [{"cases": "8", "team": "B"} for _ in range(5)]
    rows += [{"cases": "12", "team": "B"} for _ in range(20)]
    return _extract(tmp_path, rows, "caseload.csv")


def _caseload_observe(ex, thresholds, desired):
    """Every case-holder count the caseload outputs show at ``thresholds`` and each
    desired caseload: ``(values, lines, shown)``. Cells: the bands, the total, the teams'
    case holders (their average caseload shown or not), the count within each desired
    caseload, and the people at each cases-per-FTE value (``("at", x)``, shown by none:
    what the attacker is after); the lines: bands, teams and those people add up to the
    total, and each count within is the people at values up to it."""
    w = ex.workers
    holders = hr._case_holders(ex)
    per_fte = (w.loc[holders, "cases"] / w.loc[holders, "fte"]).astype(float)
    xs = sorted(per_fte.unique())
    values = {("at", x): int((per_fte == x).sum()) for x in xs}
    table0, _s, sum0 = hr.caseload_distribution(ex, 18, OFF)
    values[("total",)] = sum0["case_holders"]
    lines = [([("at", x) for x in xs], ("total",))]
    edges = [b[1] for b in hr.CASELOAD_BANDS] + [np.inf]
    for j, label in enumerate(table0.index):
        values[("band", label)] = int(table0.at[label, "case_holders"])
        inside = [("at", x) for x in xs if edges[j] < x <= edges[j + 1]]
        lines.append((inside, ("band", label)) if inside else ([("band", label)] * 2,
                                                              ("band", label)))  # fmt: skip
    lines.append(([("band", b) for b in table0.index], ("total",)))
    teams0 = hr.teams(ex, None, OFF)
    team_of = w.loc[holders, "team"]
    for team in teams0[0].index:
        values[("team", team)] = int((team_of == team).sum())
    lines.append(([("team", team) for team in teams0[0].index], ("total",)))
    for d in desired:
        n = int((per_fte <= d).sum())
        values[("within", d)] = n
        lines.append(([("at", x) for x in xs if x <= d] or [("within", d)] * 2, ("within", d)))
    shown: set = set()
    for t in thresholds:
        table, _st, summary = hr.caseload_distribution(ex, 18, t)
        shown |= {("band", b) for b in table.index if pd.notna(table.at[b, "case_holders"])}
        if summary["case_holders"] is not None:
            shown.add(("total",))
        tm = hr.teams(ex, None, t)[0]
        shown |= {("team", x) for x in tm.index if pd.notna(tm.at[x, "caseload_fte"])}
        for d in desired:
            s = hr.caseload_distribution(ex, d, t)[2]
            if s["within_desired"] is not None:
                assert s["within_desired"] == values[("within", d)]
                shown.add(("within", d))
    return values, lines, shown


def test_within_the_desired_caseload_at_two_thresholds_reveals_no_one(tmp_path):
    ex = caseload_extract(tmp_path)
    desired = [1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 18, 40]
    values, lines, shown = _caseload_observe(ex, (5, 6), desired)
    # the people at one caseload need only not be 1-4 pinned (5 at one value may be known)
    got = pinned(values, lines, shown, 5, skip=("within",))
    assert {k: v for k, v in got.items() if k[0] != "at" or v[0] < 5} == {}


def asye_extract(tmp_path):
    """An ASYE intake of 20 (started 1 September 2021): 5 leave in their first year, 1 in
    their second, 5 in their third. Main's chain (each figure against the last shown) at
    threshold 5 shows 15 after one year and hides 14 after two; at 6 it hides the 15 and
    shows the 14: the two reports together give the one who left in the second year."""
    rows = [{"start_date": "2021-09-01", "joined_as_asye": "yes", "team": "A"}] * 20
    leave = ["2022-03-01"] * 5 + ["2023-03-01"] + ["2024-03-01"] * 5 + [""] * 9
    rows = [{**r, "leaving_date": d, "leaving_reason": "resignation" * bool(d)}
            for r, d in zip(rows, leave)]  # fmt: skip
    rows += [{"team": "A", "cases": "12"} for _ in range(10)]
    return _extract(tmp_path, rows, "asye.csv")


def _asye_observe(ex, days, thresholds):
    """Every ASYE figure shown at ``days`` and ``thresholds``: ``(values, lines, shown)``,
    the leavers between two anniversaries (``("left", year, k)``, shown by none) with
    their lines: in post after k - 1 years = in post after k + those who left."""
    values: dict = {}
    lines: list = []
    shown: set = set()
    t0 = hr.asye_cohorts(ex, None, OFF)[0]
    for year in t0.index:
        values[("intake", year)] = int(t0.at[year, "intake"])
        prev = ("intake", year)
        for k in hr.ASYE_YEARS:
            v = t0.at[year, f"in_post_after_{k}"]
            if pd.isna(v):
                break
            values[("after", year, k)] = int(v)
            values[("left", year, k)] = values[prev] - int(v)
            lines.append(([("after", year, k), ("left", year, k)], prev))
            prev = ("after", year, k)
    for day in days:
        for t in thresholds:
            tb = hr.asye_cohorts(ex, day, t)[0]
            for year in tb.index:
                if pd.notna(tb.at[year, "intake"]):
                    assert tb.at[year, "intake"] == values[("intake", year)]
                    shown.add(("intake", year))
                for k in hr.ASYE_YEARS:
                    v = tb.at[year, f"in_post_after_{k}"]
                    if pd.notna(v):
                        assert v == values[("after", year, k)]
                        shown.add(("after", year, k))
    return values, lines, shown


def test_asye_retention_at_two_thresholds_reveals_no_leaver(tmp_path):
    ex = asye_extract(tmp_path)
    values, lines, shown = _asye_observe(ex, [None], (5, 6, 7))
    got = pinned(values, lines, shown, 5)  # 5 or more leavers may be known
    assert {k: v for k, v in got.items() if k[0] != "left" or v[0] < 5} == {}


@pytest.mark.parametrize("seed,posts", [(2025, 220), (11, 220)])
def test_no_caseload_figure_of_a_demo_extract_is_pinned(tmp_path, seed, posts):
    # main's counts within the desired caseload (each at least 5 from the others and
    # from the cumulative counts the bands show) knew nothing of the hidden bands: over
    # desired caseloads 0.5 to 60, seed 2025's 4 up to 5 cases per FTE came out exactly,
    # seed 11's one holding over 25 up to 30, at threshold 5 alone
    from workforce_lib.records.demo import demo_extract

    ex = read_extract(write_extract(demo_extract(seed=seed, posts=posts), tmp_path / "d.csv"))
    desired = list(np.arange(0.5, 60.01, 0.5))
    values, lines, shown = _caseload_observe(ex, (5, 6), desired)
    got = pinned(values, lines, shown, 5, skip=("within",))
    assert {k: v for k, v in got.items() if k[0] != "at" or v[0] < 5} == {}
