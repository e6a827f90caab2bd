"""What would it take to stabilise the workforce? A stock-and-flow model with costs.

Each year, for a council or a group of councils:

* permanent social workers in post (FTE) = last year's + starters + conversions of agency
  workers to permanent - leavers, exactly (no other change is projected);
* leavers = turnover rate x in post at 30 September (DfE's definition of the rate), plus
  the ASYE cohorts' own leavers, which follow a retention curve for their first 3 years;
* starters = external hires (recent years' level, never beyond the establishment) plus an
  ASYE intake;
* the establishment (posts) = in post + vacancies in the base year, growing at a set rate;
  vacancies = establishment - in post; agency workers = agency FTE per vacancy x vacancies;
* cost = in post x permanent cost per FTE + agency x agency cost per FTE (capped by a pay-
  rate cap, if set), so the agency premium and its share of spend are explicit.

The agency model is deliberately simple: agency workers follow vacancies, so a council
that fills its posts needs none (agency cover of sickness or extra capacity is not
modelled). A pay-rate cap changes the price of agency cover, not how many agency workers
are available. Every assumption is a named field of :class:`Assumptions`, calibrated from the area's
published history by default (rates from summed components, never averaged) and
overridable by name (``--set name=value``). The range around each projection comes from
the history's own variability (turnover and hiring), by seeded simulation.

Examples
--------
>>> a = Assumptions(base_year=2025, inpost_fte=100.0, vacancy_fte=10.0, agency_fte=8.0,
...                 starters_fte=15.0, leavers_fte=14.0, turnover_rate=14.0,
...                 hires_fte=15.0, agency_per_vacancy=0.8)
>>> p = project(a)
>>> round(p.inpost_fte[1] - p.inpost_fte[0], 6) == round(
...     p.starters_fte[1] + p.conversions_fte[1] - p.leavers_fte[1], 6)
True
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np
import pandas as pd

from workforce_lib.constants import ROUNDS_TO_ZERO
from workforce_lib.errors import WorkforceError
from workforce_lib.measures import round_half_up
from workforce_lib.published import areas as areas_mod
from workforce_lib.published import comparison
from workforce_lib.published.release import Release

#: Published components the model is calibrated from.
FLOWS: tuple[str, ...] = ("inpost_fte", "starters_fte", "leavers_fte", "agency_fte", "vacancy_fte")

#: Years of history the central assumptions are calibrated from.
CALIBRATION_YEARS = 3

#: Cost defaults (2025/26 prices). Illustrative assumptions, not published figures: set
#: your own council's with ``--set``.
#: Permanent: a children's social worker on about £42,000 (the middle of the pay ranges
#: councils advertised in 2025) plus employer on-costs of about 33% (employer National
#: Insurance at 15% from April 2025, and a local government pension contribution).
DEFAULT_PERMANENT_COST = 56_000.0
#: Agency: a charge rate of about £48 an hour (worker's pay plus the agency's margin),
#: 37 hours a week, 48 weeks a year.
DEFAULT_AGENCY_COST = 85_000.0

#: ASYE retention (share of an intake still in post 1, 2, 3 years after starting): an
#: assumption; replace it with your own from ``workforce hr summary`` (ASYE cohorts).
DEFAULT_ASYE_RETENTION: tuple[float, float, float] = (0.85, 0.72, 0.63)

#: Settings of the named scenarios (each alone, then all together as "combined").
SCENARIO_LEVERS: dict[str, dict[str, float]] = {
    "agency_rate_cap": {"agency_cost_cap": 70_000.0},
    "convert_agency": {"conversion_share": 0.2},
    "cut_turnover": {"turnover_cut_points": 2.0},
    "asye_intake": {"asye_intake_fte": -1.0},  # -1: 5% of base in-post FTE, whole FTE
}
SCENARIOS: tuple[str, ...] = ("baseline", *SCENARIO_LEVERS, "combined")

#: The lists every scenario carries (index 0 is the base year).
SERIES: tuple[str, ...] = (
    "inpost_fte",
    "agency_fte",
    "vacancy_fte",
    "starters_fte",
    "leavers_fte",
    "conversions_fte",
    "cost_total",
    "cost_agency",
)


class ScenarioError(WorkforceError, ValueError):
    """An impossible or unknown setting; the message says which and why."""


_MILLION = 1_000_000.0
#: Every setting's sane range, inclusive, named in the error. FTE and £ bounds are far
#: beyond England's totals (36,000 FTE in post), so they only stop nonsense (1e308
#: simulations never end; inf years overflow); ``simulations`` is capped where a run
#: still takes seconds.
BOUNDS: dict[str, tuple[float, float]] = {
    "base_year": (2000, 2100),
    "inpost_fte": (0, _MILLION),
    "vacancy_fte": (0, _MILLION),
    "agency_fte": (0, _MILLION),
    "starters_fte": (0, _MILLION),
    "leavers_fte": (0, _MILLION),
    "turnover_rate": (0, 100),
    "hires_fte": (0, _MILLION),
    "agency_per_vacancy": (0, _MILLION),
    "turnover_sd": (0, 100),
    "hires_sd": (0, _MILLION),
    "years": (1, 30),
    "establishment_growth": (-99, 100),
    "permanent_cost_per_fte": (0, 10 * _MILLION),
    "agency_cost_per_fte": (0, 10 * _MILLION),
    "asye_retention_1": (0, 1),
    "asye_retention_2": (0, 1),
    "asye_retention_3": (0, 1),
    "agency_cost_cap": (0, 10 * _MILLION),
    "conversion_share": (0, 1),
    "turnover_cut_points": (0, 100),
    "asye_intake_fte": (0, _MILLION),
    "simulations": (0, 10_000),
    "seed": (0, 2**32 - 1),
    "range_low": (0, 100),
    "range_high": (0, 100),
}


#: What a range means, where the number alone does not say.
_WHY = {
    "conversion_share": " (a share of agency FTE: more than 1 would convert more than the "
    "agency stock)",
    "simulations": " (more take minutes and do not change the range)",
}


def setting_value(name: str, raw: object, whole: bool = False) -> float | int:
    """A setting as a number in its range (:data:`BOUNDS`); ``whole`` for a count or year.

    Raises
    ------
    ScenarioError
        Not a number, NaN or infinite, not whole when it must be, or outside its range;
        naming the setting, the value and the range.

    Examples
    --------
    >>> setting_value("years", "10", whole=True)
    10
    >>> setting_value("simulations", "1e308", whole=True)
    Traceback (most recent call last):
    ...
    workforce_lib.published.scenario.ScenarioError: simulations must be from 0 to \
10,000, not '1e308' (more take minutes and do not change the range)
    """
    lo, hi = BOUNDS[name]
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ScenarioError(f"{name} must be a number, not {raw!r}") from None
    span = "from {} to {}".format(
        *(f"{x:,.0f}" if abs(x) >= 10_000 else f"{x:g}" for x in (lo, hi))
    )
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ScenarioError(f"{name} must be {span}, not {raw!r}{_WHY.get(name, '')}")
    if whole:
        if value != int(value):
            raise ScenarioError(f"{name} must be a whole number ({span}), not {raw!r}")
        return int(value)
    return value


@dataclass(frozen=True)
class Assumptions:
    """Every number the model uses; the docs of each field say what it is.

    Base year (observed): ``base_year``, ``inpost_fte``, ``vacancy_fte``, ``agency_fte``,
    ``starters_fte``, ``leavers_fte``.

    Calibrated from history (overridable): ``turnover_rate`` (% of in post, from summed
    leavers over summed in post in the last 3 years), ``hires_fte`` (external starters a
    year, mean of the last 3 years), ``agency_per_vacancy`` (summed agency FTE over
    summed vacancies, last 3 years), ``turnover_sd`` (points) and ``hires_sd`` (FTE): the
    year-to-year spread behind the range; ``establishment_growth`` (% a year: the
    compound growth of in post + vacancies over the last 3 years).

    Set by you: ``years`` projected,
    ``permanent_cost_per_fte`` and ``agency_cost_per_fte`` (£ a year),
    ``asye_retention_1..3``, and the scenario levers ``agency_cost_cap`` (£ a year per
    agency FTE; 0 = no cap), ``conversion_share`` (of agency FTE converted to permanent
    each year, 0-1), ``turnover_cut_points``, ``asye_intake_fte`` (a year); and
    ``simulations``, ``seed``, ``range_low``/``range_high`` (percentiles) for the range.
    """

    base_year: int
    inpost_fte: float
    vacancy_fte: float
    agency_fte: float
    starters_fte: float
    leavers_fte: float
    turnover_rate: float
    hires_fte: float
    agency_per_vacancy: float
    turnover_sd: float = 0.0
    hires_sd: float = 0.0
    years: int = 5
    establishment_growth: float = 0.0
    permanent_cost_per_fte: float = DEFAULT_PERMANENT_COST
    agency_cost_per_fte: float = DEFAULT_AGENCY_COST
    asye_retention_1: float = DEFAULT_ASYE_RETENTION[0]
    asye_retention_2: float = DEFAULT_ASYE_RETENTION[1]
    asye_retention_3: float = DEFAULT_ASYE_RETENTION[2]
    agency_cost_cap: float = 0.0
    conversion_share: float = 0.0
    turnover_cut_points: float = 0.0
    asye_intake_fte: float = 0.0
    simulations: int = 400
    seed: int = 0
    range_low: float = 10.0
    range_high: float = 90.0

    def check(self) -> Assumptions:
        """Refuse impossible settings with a message naming the setting and its value."""
        for f in fields(self):
            setting_value(f.name, getattr(self, f.name), whole=f.type == "int")
        if self.conversion_share > 1:
            raise ScenarioError(
                f"conversion_share {self.conversion_share!r} would convert more than the agency "
                "stock (it is a share of agency FTE, at most 1)"
            )
        if self.turnover_cut_points > self.turnover_rate:
            raise ScenarioError(
                f"turnover_cut_points {self.turnover_cut_points!r} is more than the turnover rate "
                f"({self.turnover_rate:.1f}%): turnover cannot go below 0"
            )
        r = (1.0, self.asye_retention_1, self.asye_retention_2, self.asye_retention_3)
        if any(not 0 <= x <= 1 for x in r) or any(b > a for a, b in zip(r, r[1:])):
            raise ScenarioError(
                f"asye_retention_1..3 must be shares between 0 and 1 that do not rise: got {r[1:]}"
            )
        if not self.range_low < self.range_high:
            raise ScenarioError("range_low and range_high must be percentiles, low < high")
        return self

    @property
    def effective_turnover(self) -> float:
        """The turnover rate (%) the model runs on: the rate less any cut, never below 0."""
        return max(self.turnover_rate - self.turnover_cut_points, 0.0)

    @property
    def agency_cost(self) -> float:
        """Cost of an agency FTE a year in projected years: capped if a cap is set."""
        if self.agency_cost_cap > 0:
            return min(self.agency_cost_per_fte, self.agency_cost_cap)
        return self.agency_cost_per_fte

    def with_settings(self, settings: dict[str, str | float]) -> Assumptions:
        """A copy with named fields set (``--set name=value``); unknown names refused."""
        known = {f.name: f.type for f in fields(self)}
        changes = {}
        for name, raw in settings.items():
            if name not in known:
                raise ScenarioError(
                    f"unknown setting {name!r}; the settings are: {', '.join(sorted(known))}"
                )
            changes[name] = setting_value(name, raw, whole=known[name] == "int")
        return replace(self, **changes).check()


@dataclass
class Projection:
    """One scenario's years; lists indexed like ``years`` (index 0: the base year)."""

    years: list[int]
    inpost_fte: list[float]
    agency_fte: list[float]
    vacancy_fte: list[float]
    starters_fte: list[float]
    leavers_fte: list[float]
    conversions_fte: list[float]
    cost_total: list[float]
    cost_agency: list[float]
    cost_permanent: list[float] = field(default_factory=list)
    establishment_fte: list[float] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({k: v for k, v in asdict(self).items() if v}).set_index("years")


# ---------------------------------------------------------------- history and calibration
def history(release: Release, council: str | None = None, group: str | None = None):
    """The area's published flows by year (FTE), and its name.

    A council, England or a region: its own published rows (DfE's regional and England
    totals cover councils whose own figures are suppressed). Another group: each year
    sums the councils whose five flows are all published (``low`` counts as 0), so every
    year's figures describe one set of councils. ``councils`` says how many councils are
    behind a year and ``members`` which (codes), so that years are compared like for like
    only when the same ones are.
    """
    if (council is None) == (group is None):
        raise ScenarioError("give a council or a group, not both")
    g = None
    if council is not None:
        ids = [areas_mod.find_council(release, council)]
        name = areas_mod.council_name(release, ids[0])
    else:
        g = areas_mod.find_group(group)
        name = g.name
        published = comparison.published_id(g)
        ids = [published] if published else []
    rows = []
    for year in release.years:
        members = ids or areas_mod.group_members(release, g, year)
        idx = [i for i in (release.row(a, year) for a in members) if i is not None]
        if not idx:
            continue
        vals = release.values.loc[idx, list(FLOWS)]
        vals = vals.mask(release.status.loc[idx, list(FLOWS)].eq(ROUNDS_TO_ZERO), 0.0)
        complete = vals.notna().all(axis=1)
        if g is not None and ids:  # a published total: the group's councils are behind it
            behind = len(areas_mod.group_members(release, g, year))
        else:
            behind = int(complete.sum())
        if not complete.any():
            rows.append({"year": year, **{c: np.nan for c in FLOWS}, "councils": 0, "members": ""})
            continue
        ids_in = sorted(str(release.areas.at[i, "area_id"]) for i in vals.index[complete])
        rows.append(
            {"year": year, **vals[complete].sum().to_dict(), "councils": behind,
             "members": " ".join(ids_in)}
        )  # fmt: skip
    frame = pd.DataFrame(rows).set_index("year")
    return frame, name


def calibrate(hist: pd.DataFrame, base_year: int | None = None) -> Assumptions:
    """Central assumptions from the last :data:`CALIBRATION_YEARS` complete years.

    Rates come from summed components (sum of leavers / sum of in post), never from
    averaged rates; the spread is the standard deviation of the yearly values. For a
    group, only years with the same councils behind them as the base year count (a year
    in which one council did not publish all five flows would pull hires and growth down).
    """
    complete = hist.dropna(subset=list(FLOWS))
    if base_year is not None:
        complete = complete[complete.index <= base_year]
    if complete.empty:
        raise ScenarioError("no year with all of in post, starters, leavers, agency and vacancies")
    base = complete.index.max()
    if base_year is not None and base != base_year:
        raise ScenarioError(f"{base_year} is not a complete year for this area (latest: {base})")
    if "members" in complete:
        complete = complete[complete["members"] == complete.at[base, "members"]]
    recent = complete.tail(CALIBRATION_YEARS)
    b = complete.loc[base]
    turnover = 100 * recent.leavers_fte.sum() / recent.inpost_fte.sum()
    yearly_turnover = 100 * complete.leavers_fte / complete.inpost_fte
    vac = recent.vacancy_fte.sum()
    posts = recent.inpost_fte + recent.vacancy_fte
    span = int(recent.index[-1] - recent.index[0])
    growth = 100 * ((posts.iloc[-1] / posts.iloc[0]) ** (1 / span) - 1) if span else 0.0
    return Assumptions(
        base_year=int(base),
        inpost_fte=float(b.inpost_fte),
        vacancy_fte=float(b.vacancy_fte),
        agency_fte=float(b.agency_fte),
        starters_fte=float(b.starters_fte),
        leavers_fte=float(b.leavers_fte),
        turnover_rate=float(turnover),
        hires_fte=float(recent.starters_fte.mean()),
        agency_per_vacancy=float(recent.agency_fte.sum() / vac) if vac > 0 else 0.0,
        turnover_sd=float(yearly_turnover.std(ddof=1)) if len(complete) > 2 else 0.0,
        hires_sd=float(complete.starters_fte.std(ddof=1)) if len(complete) > 2 else 0.0,
        establishment_growth=float(growth),
    ).check()


# ---------------------------------------------------------------- the model
def project(
    a: Assumptions,
    turnover: np.ndarray | None = None,
    hires: np.ndarray | None = None,
    other_change: np.ndarray | None = None,
    cap_hires: bool = True,
) -> Projection:
    """Run the model for ``a.years`` years after the base year.

    ``turnover`` (%), ``hires`` (FTE) and ``other_change`` (FTE) may be given year by year
    (length ``a.years``) to drive the model with observed or simulated flows; by default
    they are the assumptions' constant values and no other change. ``other_change`` is
    only for replaying history (DfE's figures also move with FTE changes and reclassified
    staff); projections never use it, so in post = last year + starters + conversions -
    leavers, exactly.
    """
    a.check()
    n = int(a.years)
    tau = np.full(n, a.effective_turnover) if turnover is None else turnover
    h = np.full(n, a.hires_fte) if hires is None else np.asarray(hires, float)
    other = np.zeros(n) if other_change is None else np.asarray(other_change, float)
    retention = (1.0, a.asye_retention_1, a.asye_retention_2, a.asye_retention_3)
    establishment = a.inpost_fte + a.vacancy_fte
    pool, agency = a.inpost_fte, a.agency_fte
    # ASYE intakes in their first 3 years: [intake, years since intake]; one of age k holds
    # intake x retention[k] people; at age 3 the rest join the pool (general turnover)
    cohorts: list[list[float]] = []
    out = {k: [] for k in ("inpost", "agency", "vacancy", "starters", "leavers", "conv", "est")}

    def record(*values: float) -> None:
        for k, v in zip(out, values):
            out[k].append(float(v))

    record(a.inpost_fte, a.agency_fte, a.vacancy_fte, a.starters_fte, a.leavers_fte, 0.0,
           establishment)  # fmt: skip
    for t in range(n):
        rate = tau[t] / 100
        establishment *= 1 + a.establishment_growth / 100
        conv = a.conversion_share * agency
        intake = a.asye_intake_fte
        cohort_leavers, merged = 0.0, 0.0
        for c in cohorts:  # each cohort ages a year
            cohort_leavers += c[0] * (retention[int(c[1])] - retention[int(c[1]) + 1])
            c[1] += 1
            if c[1] == 3:
                merged += c[0] * retention[3]
        cohorts = [c for c in cohorts if c[1] < 3] + ([[intake, 0]] if intake > 0 else [])
        in_cohorts = sum(size * retention[int(age)] for size, age in cohorts)
        hires_t = max(float(h[t]), 0.0)
        pool_t = (pool + hires_t + conv + other[t]) / (1 + rate)
        excess = pool_t + merged + in_cohorts - establishment
        if cap_hires and excess > 0:  # never recruit beyond the establishment
            hires_t = max(0.0, hires_t - excess * (1 + rate))
            pool_t = (pool + hires_t + conv + other[t]) / (1 + rate)
        leavers = rate * pool_t + cohort_leavers
        pool = pool_t + merged
        inpost = pool + in_cohorts
        vacancy = max(establishment - inpost, 0.0)
        agency = a.agency_per_vacancy * vacancy
        record(inpost, agency, vacancy, hires_t + intake, leavers, conv, establishment)
    perm = [x * a.permanent_cost_per_fte for x in out["inpost"]]
    # the base year is costed at the uncapped rate: a cap starts in the first projected year
    ag = [
        x * (a.agency_cost_per_fte if i == 0 else a.agency_cost)
        for i, x in enumerate(out["agency"])
    ]
    return Projection(
        years=[a.base_year + i for i in range(n + 1)],
        inpost_fte=out["inpost"],
        agency_fte=out["agency"],
        vacancy_fte=out["vacancy"],
        starters_fte=out["starters"],
        leavers_fte=out["leavers"],
        conversions_fte=out["conv"],
        cost_total=[p + g for p, g in zip(perm, ag)],
        cost_agency=ag,
        cost_permanent=perm,
        establishment_fte=out["est"],
    )


def replay(hist: pd.DataFrame) -> pd.DataFrame:
    """Drive the model with an area's observed flows, year by year.

    Turnover each year is DfE's (leavers / in post); hires are the observed starters; the
    difference between the published in-post figures and last year + starters - leavers
    (FTE changes, reclassifications, revisions) enters as ``other_change``. The model then
    gives back the published in post, leavers, vacancies and agency: a check that it
    counts as DfE does.

    A group's year whose councils differ from the year before's (``members``) is not
    like for like: its row is blank and ``like_for_like`` is False, never a change
    made of a council coming or going.
    """
    h = hist.dropna(subset=list(FLOWS))
    years = h.index.to_numpy()
    if len(years) < 2 or (np.diff(years) != 1).any():
        raise ScenarioError("replay needs consecutive complete years")
    if (h.inpost_fte <= 0).any():
        zero = ", ".join(str(y) for y in h.index[h.inpost_fte <= 0])
        raise ScenarioError(f"no social workers in post in {zero}: turnover is undefined")
    turnover = (100 * h.leavers_fte / h.inpost_fte).to_numpy()[1:]
    other = (h.inpost_fte - (h.inpost_fte.shift() + h.starters_fte - h.leavers_fte)).to_numpy()[1:]
    same = (h["members"] == h["members"].shift()) if "members" in h else pd.Series(True, h.index)
    rows = []
    for t in range(1, len(h)):  # establishment and agency ratio are each year's own
        prev, cur = h.iloc[t - 1], h.iloc[t]
        if not same.iloc[t]:
            rows.append({"year": int(years[t]), **{k: np.nan for k in SERIES[:6]},
                         "other_change_fte": np.nan, "like_for_like": False})  # fmt: skip
            continue
        a = Assumptions(
            base_year=int(years[t - 1]), inpost_fte=prev.inpost_fte, vacancy_fte=prev.vacancy_fte,
            agency_fte=prev.agency_fte, starters_fte=prev.starters_fte,
            leavers_fte=prev.leavers_fte, turnover_rate=float(turnover[t - 1]),
            hires_fte=float(cur.starters_fte),
            agency_per_vacancy=float(cur.agency_fte / cur.vacancy_fte) if cur.vacancy_fte else 0.0,
            establishment_growth=100 * ((cur.inpost_fte + cur.vacancy_fte)
                                        / (prev.inpost_fte + prev.vacancy_fte) - 1),
            years=1,
        )  # fmt: skip
        p = project(a, other_change=np.array([other[t - 1]]), cap_hires=False)
        rows.append({"year": int(years[t]), **{k: getattr(p, k)[1] for k in SERIES[:6]},
                     "other_change_fte": float(other[t - 1]), "like_for_like": True})  # fmt: skip
    return pd.DataFrame(rows).set_index("year")


# ---------------------------------------------------------------- scenarios and ranges
def scenario_assumptions(base: Assumptions) -> dict[str, Assumptions]:
    """Each named scenario's assumptions: the baseline, each lever alone, all combined.

    A lever the user set (non-zero on ``base``) keeps the user's value.
    """
    off = {lever: 0.0 for levers in SCENARIO_LEVERS.values() for lever in levers}
    out = {"baseline": replace(base, **off)}
    combined: dict[str, float] = {}
    for name, levers in SCENARIO_LEVERS.items():
        settings = {}
        for lever, default in levers.items():
            value = getattr(base, lever) or default
            if lever == "asye_intake_fte" and value < 0:
                value = float(max(1, round(0.05 * base.inpost_fte)))
            settings[lever] = value
        combined.update(settings)
        out[name] = replace(out["baseline"], **settings).check()
    out["combined"] = replace(out["baseline"], **combined).check()
    return out


def ranges(a: Assumptions) -> dict[str, dict[str, list[float]]]:
    """Low and high percentiles of each series over simulated years in which turnover and
    hiring vary as they have in the area's history (seeded: the same every run)."""
    if a.simulations == 0 or (a.turnover_sd == 0 and a.hires_sd == 0):
        p = project(a)
        return {k: {"low": getattr(p, k), "high": getattr(p, k)} for k in SERIES}
    rng = np.random.default_rng(a.seed)
    n = int(a.years)
    runs = {k: [] for k in SERIES}
    for _ in range(a.simulations):
        tau = np.clip(a.effective_turnover + rng.normal(0, a.turnover_sd, n), 0, None)
        hires = np.clip(a.hires_fte + rng.normal(0, a.hires_sd, n), 0, None)
        p = project(a, turnover=tau, hires=hires)
        for k in SERIES:
            runs[k].append(getattr(p, k))
    return {
        k: {
            "low": np.percentile(np.array(v), a.range_low, axis=0).tolist(),
            "high": np.percentile(np.array(v), a.range_high, axis=0).tolist(),
        }
        for k, v in runs.items()
    }


@dataclass
class ScenarioSet:
    area: str
    base: Assumptions
    assumptions: dict[str, Assumptions]
    projections: dict[str, Projection]
    ranges: dict[str, dict[str, dict[str, list[float]]]]
    history: pd.DataFrame

    @property
    def years(self) -> list[int]:
        return self.projections["baseline"].years

    def summary(self) -> dict[str, dict[str, float]]:
        """Per scenario: total and agency cost over the projected years, the final year's
        agency premium (agency over permanent cost of the same FTE) and agency share of
        spend, and in post, agency and vacancies in the final year."""
        out = {}
        for name, p in self.projections.items():
            a = self.assumptions[name]
            out[name] = {
                "cost_total_projected": sum(p.cost_total[1:]),
                "cost_agency_projected": sum(p.cost_agency[1:]),
                "agency_premium_final_year": p.agency_fte[-1]
                * (a.agency_cost - a.permanent_cost_per_fte),
                "agency_share_of_spend_final_year": 100 * p.cost_agency[-1] / p.cost_total[-1]
                if p.cost_total[-1]
                else 0.0,
                "inpost_fte_final_year": p.inpost_fte[-1],
                "agency_fte_final_year": p.agency_fte[-1],
                "vacancy_fte_final_year": p.vacancy_fte[-1],
            }
        return out

    def to_json(self) -> dict:
        """The ``workforce scenario --json`` document."""
        r1 = lambda xs: [float(round_half_up(x, 1)) for x in xs]  # noqa: E731
        r0 = lambda xs: [float(round_half_up(x, 0)) for x in xs]  # noqa: E731
        money = {"cost_total", "cost_agency"}
        return {
            "area": self.area,
            "base_year": self.base.base_year,
            "years": self.years,
            "assumptions": asdict(self.base),
            "scenarios": {
                name: {k: (r0 if k in money else r1)(getattr(p, k)) for k in SERIES}
                for name, p in self.projections.items()
            },
            "scenario_settings": {
                name: {
                    k: v
                    for k, v in asdict(a).items()
                    if getattr(self.assumptions["baseline"], k) != v
                }
                for name, a in self.assumptions.items()
            },
            "ranges": {
                name: {
                    k: {b: (r0 if k in money else r1)(v) for b, v in bands.items()}
                    for k, bands in rng.items()
                }
                for name, rng in self.ranges.items()
            },
            "summary": {
                name: {k: float(round_half_up(v, 1)) for k, v in s.items()}
                for name, s in self.summary().items()
            },
            "notes": [
                "Projections are what the assumptions imply, not forecasts; the range spans "
                f"the {self.base.range_low:g}th to {self.base.range_high:g}th percentiles of "
                f"{self.base.simulations} simulated futures in which turnover and hiring vary "
                "as they have in this area's history.",
                f"Costs per FTE a year: permanent £{self.base.permanent_cost_per_fte:,.0f}, "
                f"agency £{self.base.agency_cost_per_fte:,.0f}"
                + (
                    " (the illustrative 2025/26 defaults; set your own with --set)."
                    if (self.base.permanent_cost_per_fte, self.base.agency_cost_per_fte)
                    == (DEFAULT_PERMANENT_COST, DEFAULT_AGENCY_COST)
                    else " (as set)."
                ),
            ],
        }


def run_scenarios(
    release: Release,
    council: str | None = None,
    group: str | None = None,
    settings: dict[str, str | float] | None = None,
) -> ScenarioSet:
    """Calibrate on the area's history, apply settings, project every scenario with ranges."""
    hist, name = history(release, council, group)
    settings = dict(settings or {})
    base_year = settings.pop("base_year", None)
    if str(settings.get("asye_intake_fte", "")).strip() in ("-1", "-1.0"):
        settings.pop("asye_intake_fte")  # -1: the scenario's default intake
    if base_year is not None:
        base_year = setting_value("base_year", base_year, whole=True)
    base = calibrate(hist, base_year)
    base = base.with_settings(settings)
    per = scenario_assumptions(base)
    return ScenarioSet(
        area=name,
        base=base,
        assumptions=per,
        projections={k: project(a) for k, a in per.items()},
        ranges={k: ranges(a) for k, a in per.items()},
        history=hist.loc[: base.base_year],  # a report for base year Y shows nothing after Y
    )


def parse_settings(items: list[str] | None) -> dict[str, str]:
    """``["name=value", ...]`` from ``--set``, refusing anything without an ``=``."""
    out = {}
    for item in items or []:
        if "=" not in item:
            raise ScenarioError(f"--set takes name=value, not {item!r}")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


#: Each scenario's name in words, for every report, table and chart (one place).
SCENARIO_NAMES: dict[str, str] = {
    "baseline": "Baseline (no change)",
    "agency_rate_cap": "Cap on agency pay rates",
    "convert_agency": "Convert agency workers to permanent",
    "cut_turnover": "Cut turnover",
    "asye_intake": "ASYE intake (newly qualified social workers)",
    "combined": "All four together",
}

#: Assumptions that are illustrative defaults, not calibrated from the area's history: a
#: figure resting on them says so. (Everything else is observed in the base year or
#: calibrated from the last :data:`CALIBRATION_YEARS` years.)
ILLUSTRATIVE: dict[str, float] = {
    "permanent_cost_per_fte": DEFAULT_PERMANENT_COST,
    "agency_cost_per_fte": DEFAULT_AGENCY_COST,
    "asye_retention_1": DEFAULT_ASYE_RETENTION[0],
    "asye_retention_2": DEFAULT_ASYE_RETENTION[1],
    "asye_retention_3": DEFAULT_ASYE_RETENTION[2],
}
_OBSERVED = ("base_year", "inpost_fte", "vacancy_fte", "agency_fte", "starters_fte", "leavers_fte")
_CALIBRATED = (
    "turnover_rate", "hires_fte", "agency_per_vacancy", "turnover_sd", "hires_sd",
    "establishment_growth",
)  # fmt: skip


def scenario_name(name: str) -> str:
    """A scenario's name in words (:data:`SCENARIO_NAMES`).

    >>> scenario_name("baseline"), scenario_name("cut_turnover")
    ('Baseline (no change)', 'Cut turnover')
    """
    return SCENARIO_NAMES.get(name, name.replace("_", " "))


#: Decimal places of a money figure in £ million: the text, the tables and the charts
#: all round to this (a figure is never 12.35 in a table and 12.3 in a chart).
MILLIONS_DECIMALS = 1


def millions(pounds: float) -> str:
    """An amount in £ million as every table and chart shows it, rounded (half away from
    zero) to :data:`MILLIONS_DECIMALS`, then signed: never ``-0.0``.

    >>> millions(12_345_678), millions(-40_000), millions(2_450_000)
    ('12.3', '0.0', '2.5')
    """
    m = round_half_up(pounds / 1e6, MILLIONS_DECIMALS)
    return f"{m:,.{MILLIONS_DECIMALS}f}"


def money(pounds: float) -> str:
    """Money as a report writes it: totals in £m to one decimal place, amounts under £1m
    in £k.

    >>> money(12_345_678), money(85_000), money(-2_400_000), money(450_000), money(0.0)
    ('£12.3m', '£85k', '-£2.4m', '£450k', '£0')
    """
    sign = "-" if pounds < 0 else ""
    x = abs(pounds)
    if x < 500:
        return "£0"
    if x >= 1e6:
        return f"{sign}£{millions(x)}m"
    return f"{sign}£{x / 1e3:,.0f}k"


def assumption_source(a: Assumptions, name: str) -> str:
    """Where an assumption's value comes from: "observed in <year>", "calibrated from the
    area's history", "illustrative default" or "set by you"."""
    if name in _OBSERVED:
        return f"observed in {a.base_year}"
    if name in _CALIBRATED:
        return f"calibrated from the area's history ({CALIBRATION_YEARS} years to {a.base_year})"
    if name in ILLUSTRATIVE:
        same = math.isclose(getattr(a, name), ILLUSTRATIVE[name])
        return "illustrative default" if same else "set by you"
    return "scenario setting"


def cost_basis(a: Assumptions) -> str:
    """The words beside every money figure: which costs it rests on, and whether they are
    the area's own or illustrative defaults."""
    perm, agency = a.permanent_cost_per_fte, a.agency_cost_per_fte
    kind = (
        assumption_source(a, "permanent_cost_per_fte"),
        assumption_source(a, "agency_cost_per_fte"),
    )
    if kind == ("illustrative default", "illustrative default"):
        which = "illustrative default costs, not this area's own"
    elif "illustrative default" in kind:
        which = "costs partly set by you, partly illustrative defaults"
    else:
        which = "costs set by you"
    return f"at {which}: {money(perm)} a permanent and {money(agency)} an agency FTE a year"


def retention_basis(a: Assumptions) -> str:
    """The words beside a figure that rests on ASYE retention."""
    r = (a.asye_retention_1, a.asye_retention_2, a.asye_retention_3)
    which = (
        "illustrative default"
        if all(assumption_source(a, f"asye_retention_{i}") == "illustrative default"
               for i in (1, 2, 3))
        else "as set by you"
    )  # fmt: skip
    return (
        f"ASYE retention {', '.join(f'{100 * x:.0f}%' for x in r)} after 1, 2 and 3 years "
        f"({which}; replace it with your own from `workforce hr summary`)"
    )


def scenarios_that_change(result: ScenarioSet, series: str) -> tuple[str, ...]:
    """The baseline and every scenario whose ``series`` differs from the baseline's (a
    chart of ``series`` draws these: a line on top of the baseline's cannot be seen).

    The report passes these to :func:`workforce_lib.reports.plotting.fan_chart`, so a scenario
    the text names for that series is one the chart draws.
    """
    base = np.asarray(getattr(result.projections["baseline"], series), dtype=float)
    out = ["baseline"]
    for name, p in result.projections.items():
        if name != "baseline" and not np.allclose(getattr(p, series), base):
            out.append(name)
    return tuple(out)


def sentences(result: ScenarioSet) -> list[str]:
    """The scenarios in plain English: what each does to in post, agency and cost.

    Every money figure says which costs it rests on (:func:`cost_basis`: calibrated
    figures are the area's own, costs are illustrative defaults unless set), and the ASYE
    scenario says its retention is an assumption. Scenarios are named in words
    (:data:`SCENARIO_NAMES`); each appears in the cost chart, and in the agency chart
    when its agency numbers differ from the baseline's (:func:`scenarios_that_change`).
    """
    s = result.summary()
    base = s["baseline"]
    last, first = result.years[-1], result.years[1]
    a = result.base
    band = result.ranges["baseline"]["inpost_fte"]
    costs = cost_basis(a)
    out = [
        f"{scenario_name('baseline')}: if recent years continue (turnover {a.turnover_rate:.1f}% "
        f"and about {a.hires_fte:.0f} FTE recruited a year, both calibrated from "
        f"{result.area}'s published history), {result.area} would have "
        f"{base['inpost_fte_final_year']:,.0f} FTE social workers in post in {last} (range "
        f"{band['low'][-1]:,.0f} to {band['high'][-1]:,.0f}), "
        f"{base['agency_fte_final_year']:,.0f} agency FTE and "
        f"{base['vacancy_fte_final_year']:,.0f} vacancies, at a cost of "
        f"{money(base['cost_total_projected'])} over {first}-{last}, "
        f"{money(base['cost_agency_projected'])} of it on agency staff ({costs}).",
    ]
    words = {
        "agency_rate_cap": "capping agency pay rates at "
        f"{money(result.assumptions['agency_rate_cap'].agency_cost_cap)} per FTE a year",
        "convert_agency": "converting "
        f"{100 * result.assumptions['convert_agency'].conversion_share:.0f}% of agency workers "
        "to permanent each year",
        "cut_turnover": "cutting turnover by "
        f"{result.assumptions['cut_turnover'].turnover_cut_points:g} points",
        "asye_intake": "an intake of "
        f"{result.assumptions['asye_intake'].asye_intake_fte:,.0f} FTE newly qualified social "
        "workers a year",
        "combined": "making all four changes together",
    }
    agency_changes = scenarios_that_change(result, "agency_fte")
    for name, lead in words.items():
        d = s[name]
        saving = base["cost_total_projected"] - d["cost_total_projected"]
        staff = (
            f"would leave {d['agency_fte_final_year']:,.0f} agency FTE and "
            f"{d['vacancy_fte_final_year']:,.0f} vacancies in {last}"
            if name in agency_changes
            else "would leave the numbers of staff as in the baseline"
        )
        rests_on = costs
        if name in ("asye_intake", "combined"):
            rests_on += f"; {retention_basis(result.assumptions[name])}"
        if abs(saving) < 500:
            effect = f"cost the same as the baseline over {first}-{last}"
        elif saving > 0:
            effect = f"save {money(saving)} over {first}-{last} against the baseline"
        else:
            effect = f"cost {money(-saving)} more over {first}-{last} than the baseline"
        out.append(f"{scenario_name(name)}: {lead} {staff} and {effect} ({rests_on}).")
    return out


def scenario_table(result: ScenarioSet) -> pd.DataFrame:
    """Every scenario's every year, as a reader's table (FTE to 1 dp, money in £m to
    :data:`MILLIONS_DECIMALS`, as the cost chart and the text)."""
    rows = []
    for name, p in result.projections.items():
        frame = p.frame()
        for year, r in frame.iterrows():
            rows.append(
                {
                    "Scenario": scenario_name(name),
                    "Year": int(year),
                    "In post (FTE)": f"{r.inpost_fte:,.1f}",
                    "Agency (FTE)": f"{r.agency_fte:,.1f}",
                    "Vacancies (FTE)": f"{r.vacancy_fte:,.1f}",
                    "Starters (FTE)": f"{r.starters_fte:,.1f}",
                    "Leavers (FTE)": f"{r.leavers_fte:,.1f}",
                    "Conversions (FTE)": f"{r.conversions_fte:,.1f}",
                    "Cost (£m)": millions(r.cost_total),
                    "Agency cost (£m)": millions(r.cost_agency),
                }
            )
    return pd.DataFrame(rows)


def _plain(value) -> str:
    """A setting as a reader writes it: 70,000 not 7e+04; 0.514 not 0.51423.

    >>> _plain(70000.0), _plain(0.51423), _plain(-3.14159), _plain(2025)
    ('70,000', '0.514', '-3.14', '2025')
    """
    if not isinstance(value, float):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


#: Each assumption in words, for readers of a report (a test checks every field has one).
ASSUMPTION_LABELS: dict[str, str] = {
    "base_year": "Base year (the last published figures)",
    "inpost_fte": "Social workers in post in the base year (FTE)",
    "vacancy_fte": "Vacancies in the base year (FTE)",
    "agency_fte": "Agency workers in the base year (FTE)",
    "starters_fte": "Starters in the base year (FTE)",
    "leavers_fte": "Leavers in the base year (FTE)",
    "turnover_rate": "Turnover rate, % a year (leavers over in post, last 3 years summed)",
    "hires_fte": "Recruits a year (FTE; mean of the last 3 years)",
    "agency_per_vacancy": "Agency FTE per vacancy (last 3 years summed)",
    "turnover_sd": "Year-to-year spread of turnover (points), for the range",
    "hires_sd": "Year-to-year spread of recruits (FTE), for the range",
    "years": "Years projected",
    "establishment_growth": "Growth in posts (in post + vacancies), % a year",
    "permanent_cost_per_fte": "Cost of a permanent FTE a year, with on-costs (£)",
    "agency_cost_per_fte": "Cost of an agency FTE a year (£)",
    "asye_retention_1": "Share of an ASYE intake still in post after 1 year",
    "asye_retention_2": "Share of an ASYE intake still in post after 2 years",
    "asye_retention_3": "Share of an ASYE intake still in post after 3 years",
    "agency_cost_cap": "Agency cost per FTE a year under a pay-rate cap (£; 0 = no cap)",
    "conversion_share": "Share of agency FTE converted to permanent each year",
    "turnover_cut_points": "Cut in the turnover rate (points)",
    "asye_intake_fte": "ASYE intake a year (FTE)",
    "simulations": "Simulations behind the range",
    "seed": "Random seed (the same range every run)",
    "range_low": "Range shown: lower percentile",
    "range_high": "Range shown: upper percentile",
}


def assumptions_table(result: ScenarioSet) -> pd.DataFrame:
    """Each assumption in words, its setting's name, its value in the baseline, where that
    value comes from (observed, calibrated, illustrative default, set by you) and the
    scenarios that change it (to what)."""
    baseline = result.assumptions["baseline"]
    rows = []
    for f in fields(Assumptions):
        base = getattr(baseline, f.name)
        changed = {
            n: getattr(a, f.name)
            for n, a in result.assumptions.items()
            if getattr(a, f.name) != base and n != "baseline"
        }
        rows.append(
            {
                "Assumption": ASSUMPTION_LABELS[f.name],
                "Setting": f.name,
                "Baseline": _plain(base),
                "Source": assumption_source(baseline, f.name),
                "Scenarios that change it": "; ".join(
                    f"{scenario_name(n)}: {_plain(v)}" for n, v in changed.items()
                ),
            }
        )
    return pd.DataFrame(rows)
