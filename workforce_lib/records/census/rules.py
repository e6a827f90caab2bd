"""The national agency rules a region checks, from its pooled census returns.

DfE's statutory guidance on agency social workers (in force from 31 October 2024):

* **cooling-off**: a council should not engage, as an agency worker, someone who left a
  substantive children's social work post at that council or another council of the same
  region in the previous 3 months. Here: an agency engagement at a member council whose
  start falls before 3 calendar months have passed since the same person left a member
  council (their last permanent post there ended, end date on or before the start; one
  of two posts ending while the other is kept is not leaving, as in the movement
  tables). DfE's exceptions that the return shows: redundancy (``ReasonLeave`` 2
  voluntary or 3 compulsory) is marked exempt. The others (leaving during probation,
  agreement between the councils) are not in the return and cannot be checked; moving to
  another region is outside a regional pool by definition.
* **3 years' post-qualifying experience** for agency social workers. The return holds no
  qualification date. What the pool can show: a permanent post in the region begun as
  newly qualified (``StartOrigin`` 1) or a record in the Assessed and Supported Year in
  Employment (``CFKSSstatus`` 1) at a 30 September. Both mean the person qualified before
  that date (a lower bound on experience); on the assumption that newly qualified and
  ASYE mean qualified within the 12 months before, they also bound it from above. For
  every other agency worker, experience cannot be known from the returns.

An engagement whose start the return does not give (no ``RoleStartDate``, no
``ContractWeeks``) cannot be checked against the cooling-off rule; it is counted as such.

The list of engagements (:func:`engagements`) names people by pseudonym: it is
operational data for the councils' HR teams, written only where the user asks
(``--restricted-out``), never in a report; reports show counts per council, through
disclosure control.

Examples
--------
>>> cooling_off_ends(pd.Timestamp("2024-11-30"))
Timestamp('2025-02-28 00:00:00')
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from workforce_lib.errors import WorkforceError
from workforce_lib.records.census.movements import AGENCY, PERMANENT, census_year, leavings, spells

#: The rules came into force on this day (DfE statutory guidance).
IN_FORCE = pd.Timestamp("2024-10-31")
COOLING_OFF_MONTHS = 3
PQE_YEARS = 3
#: ``ReasonLeave`` codes that exempt a leaver from the cooling-off period.
REDUNDANCY = (2, 3)
#: ``StartOrigin`` newly qualified; ``CFKSSstatus`` ASYE.
NEWLY_QUALIFIED = 1
ASYE = 1

# cooling-off status of an engagement
WITHIN = "within cooling-off"
EXEMPT = "within cooling-off, exempt (redundancy)"
CLEAR = "no substantive post left in the 3 months before"
START_UNKNOWN = "start not known: cannot be checked"
COOLING_STATUSES = (WITHIN, EXEMPT, CLEAR, START_UNKNOWN)

# post-qualifying experience of an agency worker
PQE_AT_LEAST = "at least 3 years"
PQE_UNDER = "under 3 years (indicated)"
PQE_UNKNOWN = "not known from the returns"
PQE_STATUSES = (PQE_AT_LEAST, PQE_UNDER, PQE_UNKNOWN)

NOT_KNOWABLE = (
    "The census return holds no qualification date. Post-qualifying experience is known "
    "only for agency workers who held a permanent post in the region as newly qualified, "
    "or were recorded in their ASYE at a 30 September; for the others it cannot be known "
    "from the returns, and 'not known' does not mean under 3 years.",
    "Cooling-off exceptions other than redundancy (leaving during probation, agreement "
    "between the councils) are not in the return: such engagements are counted as within "
    "cooling-off. A substantive post left at a council outside the region is not seen.",
    "Only agency workers at 30 September are in a return: an engagement that began and "
    "ended between two 30 Septembers is not seen.",
)


def cooling_off_ends(left: pd.Timestamp) -> pd.Timestamp:
    """The first day an agency engagement is outside the cooling-off period after a post
    that ended on ``left``: 3 calendar months later (month ends clip)."""
    return left + pd.DateOffset(months=COOLING_OFF_MONTHS)


def engagements(workers: pd.DataFrame, spells_: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every agency engagement in the pool, checked against both rules.

    Returns
    -------
    DataFrame, one row per engagement: ``person``, ``council`` (engaging), ``started``
    (NaT if not known), ``year`` (census year of the start, else of the first return it
    is in), ``seen`` and ``last_seen`` (first and last 30 September in a return),
    ``in_force`` (started on or after
    :data:`IN_FORCE`), ``cooling_off`` (one of :data:`COOLING_STATUSES`), ``left_council``
    and ``left`` (the substantive post that ended in the 3 months before, if any),
    ``reason_leave``, ``pqe`` (one of :data:`PQE_STATUSES`), ``pqe_evidence`` (what it
    rests on).
    """
    s = spells_ if spells_ is not None else spells(workers)
    ag = s[s["kind"] == AGENCY].copy()
    ag["eng"] = ag.index
    ag["started"] = ag["begins"].where(ag["begins_known"])
    ag["year"] = census_year(ag["begins"]).where(ag["begins_known"], census_year(ag["first_seen"]))
    ag["year"] = ag["year"].astype("int64")
    lv = leavings(s)  # a person who keeps another post at that council has not left it
    left = pd.DataFrame({
        "person": lv["person"], "left_council": lv["council"], "left": lv["left"],
        "reason_leave": s.loc[lv["spell"], "reason_leave"].to_numpy(),
    })  # fmt: skip
    c = ag[ag["begins_known"]][["eng", "person", "started"]].merge(left, on="person")
    c = c[(c["left"] <= c["started"]) & (c["started"] < c["left"] + _months(c["left"]))]
    c = c.sort_values(["eng", "left", "left_council"], kind="stable").drop_duplicates(
        "eng", keep="last"
    )  # the most recent post left
    ag = ag.merge(c[["eng", "left_council", "left", "reason_leave"]], on="eng", how="left",
                  suffixes=("_own", ""))  # fmt: skip
    ag["reason_leave"] = ag["reason_leave"].astype("Int64")
    redundancy = ag["reason_leave"].isin(REDUNDANCY).fillna(False).astype(bool)
    ag["cooling_off"] = np.select(
        [~ag["begins_known"], ag["left"].isna(), redundancy],
        [START_UNKNOWN, CLEAR, EXEMPT],
        default=WITHIN,
    )
    ag["in_force"] = (ag["started"] >= IN_FORCE).fillna(False).astype(bool)
    pqe = _pqe(ag, s, workers)
    ag = ag.join(pqe)
    cols = [
        "person",
        "council",
        "started",
        "year",
        "first_seen",
        "last_seen",
        "in_force",
        "cooling_off",
        "left_council",
        "left",
        "reason_leave",
        "pqe",
        "pqe_evidence",
    ]
    out = ag[cols].rename(columns={"first_seen": "seen"})
    return out.sort_values(["year", "council", "seen", "started"], kind="stable").reset_index(
        drop=True
    )


def _months(left: pd.Series) -> pd.Series:
    return cooling_off_ends(left) - left if len(left) else pd.Series([], dtype="timedelta64[ns]")


def _pqe(ag: pd.DataFrame, s: pd.DataFrame, workers: pd.DataFrame) -> pd.DataFrame:
    """Each engagement's post-qualifying experience at its start (or first 30 September
    seen, when the start is not known), and what it rests on."""
    at = ag["started"].fillna(ag["first_seen"])
    who = pd.DataFrame({"eng": ag.index, "person": ag["person"].to_numpy(), "at": at.to_numpy()})
    nq = s[(s["kind"] == PERMANENT) & s["begins_known"] & (s["start_origin"] == NEWLY_QUALIFIED)]
    nq = nq[["person", "begins"]].rename(columns={"begins": "when"}).assign(what="newly qualified")
    asye = workers.loc[workers["pq_status"].eq(ASYE).fillna(False).astype(bool)]
    asye = pd.DataFrame(
        {"person": asye["person"].astype(str), "when": asye["reference_date"], "what": "ASYE"}
    )
    ev = who.merge(pd.concat([nq, asye], ignore_index=True).drop_duplicates(), on="person")
    year = pd.Timedelta(days=365)
    # qualified before `when`: at least (at - when) of experience if when <= at;
    # assumed within the 12 months before `when`: at most (at - when) + 1 year
    ev["lower"] = (ev["at"] - ev["when"]).where(ev["when"] <= ev["at"])
    ev["upper"] = ev["at"] - ev["when"] + year
    g = ev.groupby("eng")
    lower, upper = g["lower"].max(), g["upper"].min()
    three = pd.Timedelta(days=round(365.25 * PQE_YEARS))
    status = pd.Series(PQE_UNKNOWN, index=ag.index, dtype=object)
    status[upper.index[upper < three]] = PQE_UNDER
    status[lower.index[lower >= three]] = PQE_AT_LEAST
    ev = ev.sort_values(["eng", "when", "what"], kind="stable")
    text = ev["what"] + " " + ev["when"].dt.strftime("%Y-%m-%d")
    evidence = text.groupby(ev["eng"]).agg("; ".join)
    return pd.DataFrame(
        {"pqe": status, "pqe_evidence": evidence.reindex(ag.index).fillna("")}, index=ag.index
    )


def cooling_off_counts(eng: pd.DataFrame, councils: list[str], years: list[int]) -> pd.DataFrame:
    """Engagements per engaging council and census year of their start, by cooling-off
    status, counting only engagements starting on or after :data:`IN_FORCE` in the
    ``within`` columns (earlier ones are counted apart: the rule was not yet in force).

    Columns: council, year, engagements, within, exempt, before_rules (within the period
    but before 31 October 2024), start_unknown.
    """
    idx = pd.MultiIndex.from_product([councils, years], names=["council", "year"])
    e = eng.assign(
        within=(eng["cooling_off"] == WITHIN) & eng["in_force"],
        exempt=(eng["cooling_off"] == EXEMPT) & eng["in_force"],
        before_rules=eng["cooling_off"].isin([WITHIN, EXEMPT]) & ~eng["in_force"],
        start_unknown=eng["cooling_off"] == START_UNKNOWN,
        engagements=True,
    )
    cols = ["engagements", "within", "exempt", "before_rules", "start_unknown"]
    t = e.groupby(["council", "year"])[cols].sum()
    return t.reindex(idx, fill_value=0).astype("int64").reset_index()


def pqe_counts(eng: pd.DataFrame, councils: list[str], year: int) -> pd.DataFrame:
    """Agency engagements running at 30 September ``year`` (in that year's returns) per
    council, by what the pool shows of the worker's post-qualifying experience at the
    engagement's start."""
    ref = pd.Timestamp(year, 9, 30)
    on = eng[(eng["seen"] <= ref) & (eng["last_seen"] >= ref)]
    t = pd.crosstab(on["council"], on["pqe"])
    t = t.reindex(index=councils, columns=list(PQE_STATUSES), fill_value=0).astype("int64")
    t.index.name, t.columns.name = "council", None
    return t


#: The restricted list's columns: pseudonyms, councils, dates and the rules' findings.
RESTRICTED_COLUMNS = {
    "person": "pseudonym",
    "council": "engaging_council",
    "started": "engagement_started",
    "seen": "first_30_september_seen",
    "cooling_off": "cooling_off",
    "left_council": "substantive_post_council",
    "left": "substantive_post_ended",
    "reason_leave": "reason_leave_code",
    "pqe": "post_qualifying_experience",
    "pqe_evidence": "experience_evidence",
}


def write_restricted(eng: pd.DataFrame, path) -> Path:
    """Write the engagements within the cooling-off period, or whose experience is
    indicated under 3 years, or whose start is not known (the ones a council's HR team
    has to look at) to a new CSV file only its owner can read.

    This is operational data (pseudonyms with dates): never part of a report. An existing
    file is not overwritten.
    """
    out = Path(path)
    if out.exists():
        raise WorkforceError(f"--restricted-out {out}: the file exists already; not overwritten.")
    if not out.parent.is_dir():
        raise WorkforceError(f"--restricted-out {out}: no folder {out.parent}.")
    look = eng[eng["cooling_off"].isin([WITHIN, EXEMPT, START_UNKNOWN]) | (eng["pqe"] == PQE_UNDER)]
    table = look[list(RESTRICTED_COLUMNS)].rename(columns=RESTRICTED_COLUMNS)
    for col in ("engagement_started", "first_30_september_seen", "substantive_post_ended"):
        table[col] = table[col].dt.strftime("%Y-%m-%d").fillna("")
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        from workforce_lib.csv_output import write_csv
    except ImportError:  # the project's safe CSV writer is not on this branch yet: every
        # cell here is a hex pseudonym, an LA number, a date, a code or our own words
        table.to_csv(out, index=False)
    else:
        write_csv(table, out, mode=0o600)  # private from the moment it exists
    os.chmod(out, 0o600)
    return out
