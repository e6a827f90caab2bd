"""A census return as the project's one internal worker table (:class:`extract.Extract`).

Every DfE measure is computed by :func:`workforce_lib.records.hr.components_at` and
:data:`workforce_lib.measures.MEASURES` from an ``Extract``; a return reaches them by
becoming one here, so no measure is written twice. The worker rows keep the census-only
columns (``person``, ``gender``, ``start_origin`` ...) beside the extract's own; the
vacancies become two rows (covered by agency workers, and not).

How census fields map to the extract's:

* ``AgencyWorker`` -> ``employment_type`` (agency / permanent);
* ``RoleStartDate``, ``RoleEndDate`` -> ``start_date``, ``leaving_date``;
* ``Cases30`` -> ``cases`` (blank 0), ``WorkingDaysLost`` -> ``sickness_days`` (blank 0);
* ``OrgRole`` and ``CFKSSstatus`` -> ``role`` (:func:`role_of`);
* ``ReasonLeave`` -> ``leaving_reason`` (:data:`REASON_TO_EXTRACT`);
* ``StartOrigin`` 1 (newly qualified) or ``CFKSSstatus`` 1 (ASYE) -> ``joined_as_asye``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workforce_lib.records.census.records import CensusReturn
from workforce_lib.records.extract import AGENCY, PERMANENT, Extract

#: ``ReasonLeave`` code -> the extract's ``leaving_reason``.
REASON_TO_EXTRACT: dict[int, str] = {
    1: "resignation",
    2: "redundancy",
    3: "redundancy",
    4: "dismissal",
    5: "retirement",
    6: "other",
    7: "other",
    8: "other",
    9: "other",
    10: "other",
}

#: ``OrgRole`` code -> the extract's ``role``.
ROLE_TO_EXTRACT: dict[int, str] = {
    1: "service_manager",
    2: "service_manager",
    3: "team_manager",
    4: "senior_practitioner",
    5: "social_worker",
    6: "social_worker",
}

#: The team every census record is put in (a return has no teams).
TEAM = "Children and family social work"


def role_of(org_role: pd.Series, pq_status: pd.Series) -> pd.Series:
    """The extract's role: ASYE when ``CFKSSstatus`` says so, else by ``OrgRole``
    (social worker when not given).

    >>> role_of(pd.Series([3, 5, pd.NA], dtype="Int64"),
    ...         pd.Series([2, 1, pd.NA], dtype="Int64")).tolist()
    ['team_manager', 'asye', 'social_worker']
    """
    role = org_role.map(ROLE_TO_EXTRACT).astype(object).where(org_role.notna(), "social_worker")
    return role.where(~pq_status.eq(1).fillna(False).astype(bool), "asye")


def to_extract(ret: CensusReturn) -> Extract:
    """The return as an :class:`Extract` dated at its reference date.

    ``worker_id`` is ``L<line>`` (one per record); ``person`` (the pseudonym) is what
    headcounts count once.
    """
    w = ret.workers
    reason = w["reason_leave"].map(REASON_TO_EXTRACT).astype(object)
    workers = pd.DataFrame(
        {
            "worker_id": "L" + w["line"].astype(str),
            "team": TEAM,
            "role": role_of(w["org_role"], w["pq_status"]),
            "fte": w["fte"].astype(float),
            "employment_type": np.where(w["agency"], AGENCY, PERMANENT),
            "start_date": w["start_date"],
            "leaving_date": w["end_date"],
            "leaving_reason": reason.where(w["end_date"].notna(), "").fillna("other"),
            "sickness_days": w["days_lost"].fillna(0.0).astype(float),
            "cases": w["cases30"].fillna(0).astype(int),
            "joined_as_asye": (w["start_origin"].eq(1) | w["pq_status"].eq(1))
            .fillna(False)
            .astype(bool),
            "row": w["line"],
        }
    )
    extra = w.drop(columns=["fte", "start_date", "line"])
    workers = pd.concat([workers, extra.set_index(workers.index)], axis=1)
    v = ret.vacancies
    cover = float(v.get("agency_cover_fte", 0.0))
    total = float(v.get("vacancies_fte", 0.0))
    vacancies = pd.DataFrame(
        {
            "team": [TEAM, TEAM],
            "role": ["social_worker", "social_worker"],
            "fte": [cover, total - cover],
            "agency_cover": [True, False],
            "row": [0, 0],
        }
    )
    return Extract(workers, vacancies, pd.Timestamp(ret.reference_date), ret.source)
