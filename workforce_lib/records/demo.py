"""A realistic fictional council's HR extract, for demos, tests and benchmarks.

Every name and id is made up; the generator is seeded, so the same seed gives the same
file. Posts are filled by a chain of occupants (leaving, a gap, a new starter), so
turnover, starters, leavers, vacancies and length of service come out as they do in a
real council: most leavers have under five years' service. Agency workers churn through
short assignments, and each September brings an ASYE intake.

Examples
--------
>>> frame = demo_extract(seed=1, posts=60)
>>> sorted(frame["record_type"].unique())
['vacancy', 'worker']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workforce_lib.records.extract import (
    AGENCY,
    COLUMN_NAMES,
    NO,
    PERMANENT,
    VACANCY,
    WORKER,
    YES,
)

#: Fictional teams and their share of posts; the last is deliberately tiny (3 posts), so
#: a demo shows disclosure control at work.
DEMO_TEAMS: tuple[tuple[str, float], ...] = (
    ("Front Door and Assessment", 0.17),
    ("Child Protection East", 0.15),
    ("Child Protection West", 0.15),
    ("Children in Care", 0.16),
    ("Care Leavers and Pathway", 0.09),
    ("Disabled Children", 0.08),
    ("Fostering and Kinship", 0.08),
    ("Court and Proceedings", 0.07),
    ("Adolescent Support", 0.05),
)
TINY_TEAM = ("Independent Reviewing", 3)

_POST_ROLES = (
    ("social_worker", 0.62),
    ("senior_practitioner", 0.16),
    ("practice_supervisor", 0.07),
    ("team_manager", 0.11),
    ("service_manager", 0.04),
)
_REASONS = (
    ("resignation", 0.68),
    ("retirement", 0.08),
    ("dismissal", 0.03),
    ("end_of_contract", 0.08),
    ("career_break", 0.05),
    ("redundancy", 0.01),
    ("other", 0.07),
)
_FTES = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.6, 0.5)
YEARS = 5
DAYS_A_YEAR = 365.25


def _pick(rng: np.random.Generator, options, size=None):
    names, p = zip(*options)
    return rng.choice(names, size=size, p=np.array(p) / sum(p))


def _duration_years(rng: np.random.Generator) -> float:
    """How long a permanent worker stays: many leave within two years, some stay decades."""
    u = rng.random()
    if u < 0.5:
        return rng.uniform(0.2, 2.0)
    if u < 0.8:
        return rng.uniform(2.0, 5.0)
    return 5.0 + rng.exponential(7.0)


def demo_extract(
    seed: int = 2025,
    posts: int = 220,
    extract_date: str = "2025-09-30",
    agency_share: float = 0.13,
) -> pd.DataFrame:
    """A fictional council's extract as text columns in the documented order.

    Parameters
    ----------
    seed : random seed; the same seed gives the same extract.
    posts : permanent social worker posts (the establishment). About 220 gives a few
        hundred workers over five years; 3,000 gives about 5,000.
    extract_date : the extract's date (YYYY-MM-DD).
    agency_share : agency workers as a share of posts, at any one time.
    """
    rng = np.random.default_rng(seed)
    end = pd.Timestamp(extract_date)
    origin = end - pd.Timedelta(days=round(YEARS * DAYS_A_YEAR))
    day = pd.Timedelta(days=1)

    def years(x: float) -> pd.Timedelta:
        return pd.Timedelta(days=round(x * DAYS_A_YEAR))

    names, shares = zip(*DEMO_TEAMS)
    team_of_post = list(rng.choice(names, size=posts - TINY_TEAM[1], p=np.array(shares) / 1.0))
    team_of_post += [TINY_TEAM[0]] * TINY_TEAM[1]
    role_of_post = list(_pick(rng, _POST_ROLES, size=posts))
    rows: list[dict] = []
    vacancies: list[dict] = []
    n = 0

    def worker(**kw) -> None:
        nonlocal n
        n += 1
        rows.append({"worker_id": f"DEMO-{n:05d}", **kw})

    for post in range(posts):
        team, role = team_of_post[post], role_of_post[post]
        # the occupant at the start of the window has been there a while already
        start = origin - years(rng.uniform(0, 18))
        while start <= end:
            fte = float(rng.choice(_FTES))
            asye = role == "social_worker" and start >= origin and rng.random() < 0.5
            if asye:  # the post is held for the next September intake
                sept = pd.Timestamp(start.year, 9, 1)
                sept = sept if sept >= start else pd.Timestamp(start.year + 1, 9, 1)
                start = sept + pd.Timedelta(days=int(rng.integers(0, 21)))
                if start > end:
                    break
            leave = start + years(_duration_years(rng))
            if leave < origin:  # stayed before the window: this occupant is out of scope
                start = leave + day + years(rng.exponential(0.25))
                continue
            left = leave <= end
            worker(
                team=team,
                role=("asye" if asye and end - start < years(1) else role),
                fte=fte,
                employment_type=PERMANENT,
                start_date=start,
                leaving_date=leave if left else pd.NaT,
                leaving_reason=str(_pick(rng, _REASONS)) if left else "",
                joined_as_asye=YES if asye else NO,
            )
            if not left:
                break
            gap = years(rng.exponential(0.7))
            if leave + gap >= end:  # still vacant at the extract date
                vacancies.append({"team": team, "role": role, "fte": fte})
                break
            start = leave + day + gap

    # agency workers: short assignments, one after another in a number of slots
    for _slot in range(max(1, round(posts * agency_share))):
        team = str(rng.choice(names))
        start = origin - years(rng.uniform(0, 1))
        while start <= end:
            leave = start + years(rng.uniform(0.1, 1.2))
            left = leave <= end
            if leave >= origin:
                worker(
                    team=team,
                    role=str(_pick(rng, _POST_ROLES[:2])),
                    fte=1.0,
                    employment_type=AGENCY,
                    start_date=start,
                    leaving_date=leave if left else pd.NaT,
                    leaving_reason="end_of_assignment" if left else "",
                    joined_as_asye="",
                )
            if not left:
                break
            start = leave + day + years(rng.exponential(0.05))

    frame = pd.DataFrame(rows)
    in_post = frame["leaving_date"].isna()
    perm = frame["employment_type"] == PERMANENT
    # cases held now: case-holding roles, pro rata to FTE; ASYEs have protected caseloads
    base = frame["role"].map(
        {
            "asye": 11,
            "social_worker": 17,
            "senior_practitioner": 14,
            "practice_supervisor": 8,
            "team_manager": 0,
            "service_manager": 0,
        }
    )
    cases = rng.poisson(base.to_numpy(float) * frame["fte"].to_numpy())
    frame["cases"] = np.where(in_post, cases, 0)
    # FTE days lost to sickness in the 12 months to the extract date, permanent staff only
    year_start = end - years(1)
    exposure = (
        frame["leaving_date"].fillna(end).clip(upper=end)
        - frame["start_date"].clip(lower=year_start)
    ).dt.days.clip(lower=0) / DAYS_A_YEAR
    long_term = rng.random(len(frame)) < 0.06
    days = rng.gamma(0.7, 6.0, len(frame)) + np.where(long_term, rng.uniform(20, 90, len(frame)), 0)
    sick = np.round(days * exposure * frame["fte"], 1)
    frame["sickness_days"] = np.where(perm, sick, np.nan)

    out = pd.DataFrame(
        {
            "record_type": WORKER,
            "extract_date": f"{end:%Y-%m-%d}",
            "worker_id": frame["worker_id"],
            "team": frame["team"],
            "role": frame["role"],
            "fte": frame["fte"].map(lambda x: f"{x:g}"),
            "employment_type": frame["employment_type"],
            "start_date": frame["start_date"].dt.strftime("%Y-%m-%d"),
            "leaving_date": frame["leaving_date"].dt.strftime("%Y-%m-%d").fillna(""),
            "leaving_reason": frame["leaving_reason"],
            "sickness_days": frame["sickness_days"].map(lambda x: "" if pd.isna(x) else f"{x:g}"),
            "cases": frame["cases"].map(lambda x: str(int(x)) if x else ""),
            "joined_as_asye": frame["joined_as_asye"],
            "agency_cover": "",
        }
    )
    vac = pd.DataFrame(vacancies, columns=["team", "role", "fte"])
    covered = rng.random(len(vac)) < 0.55
    vac_rows = pd.DataFrame(
        {
            "record_type": VACANCY,
            "extract_date": f"{end:%Y-%m-%d}",
            "team": vac["team"],
            "role": vac["role"],
            "fte": vac["fte"].map(lambda x: f"{x:g}"),
            "agency_cover": np.where(covered, YES, NO),
        }
    )
    result = pd.concat([out, vac_rows], ignore_index=True).reindex(columns=list(COLUMN_NAMES))
    return result.fillna("").astype(str)
