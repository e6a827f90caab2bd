"""Hand-made census returns for the disclosure attack tests: a council's workers as
counts (so every count in a test is the one written there), built straight into the
internal table a read return gives (no XML: the reader has its own tests)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workforce_lib.records.census.pool import Pool
from workforce_lib.records.census.records import WORKER_COLUMNS, CensusReturn


def workers(council: str, year: int, in_post: int, leavers: int = 0, agency: int = 0,
            absent: int = 0, gender: tuple = (),
            ethnicity: tuple = ()) -> pd.DataFrame:  # fmt: skip
    """``in_post`` permanent workers at 30 September ``year`` (1 FTE, 10 cases, each with
    2 days lost if among the first ``absent``), ``leavers`` who left in the year, and
    ``agency`` agency workers; ``gender`` and ``ethnicity`` give the in-post workers'
    codes in order (else female, WBRI)."""
    day = pd.Timestamp(year, 9, 30)
    rows = []
    for i in range(in_post + leavers + agency):
        kind = "in" if i < in_post else "left" if i < in_post + leavers else "agency"
        rows.append({
            "person": f"{council}-{kind}-{i}", "agency": kind == "agency", "fte": 1.0,
            "birth_date": pd.Timestamp(1980, 1, 1), "gender": gender[i] if i < len(gender)
            else 2, "ethnicity": ethnicity[i] if i < len(ethnicity) else "WBRI",
            "qual_level": 1, "org_role": 5,
            "start_date": pd.Timestamp(2015, 1, 1), "start_origin": 2,
            "end_date": day - pd.Timedelta(days=30) if kind == "left" else pd.NaT,
            "leaver_destination": 1 if kind == "left" else pd.NA,
            "reason_leave": 1 if kind == "left" else pd.NA,
            "cases30": 10.0 if kind == "in" else 0.0,
            "days_lost": 2.0 if kind == "in" and i < absent else 0.0,
            "contract_weeks": float("nan"), "absent_30sep": False, "absence_reason": None,
            "pq_status": 2, "step_up": pd.NA, "frontline": pd.NA, "line": i + 1,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=list(WORKER_COLUMNS)).astype(WORKER_COLUMNS)


def census_return(council: str, year: int, vacancies: float = 3.0, **counts) -> CensusReturn:
    """One council's return for ``year`` from :func:`workers`' counts."""
    return CensusReturn(council, year, pd.Timestamp(year, 9, 30), Path(f"{council}_{year}.xml"),
                        workers(council, year, **counts),
                        {"vacancies_fte": vacancies, "agency_cover_fte": 0.0})  # fmt: skip


def pool(returns: list[CensusReturn]) -> Pool:
    """The returns as a region's pool (as :func:`workforce_lib.records.census.pool.pool_returns`
    would give them)."""
    from workforce_lib.records.census.pool import _pooled_workers, _vacancies

    returns = sorted(returns, key=lambda r: (r.council, r.year))
    return Pool(Path("hand-made"), returns, _pooled_workers(returns), _vacancies(returns))


def registered(pool: Pool):
    """A registry in which ``pool``'s councils (with any left out) are one registered
    group, as a region's are in the project's groups (tests of the tables a registered
    group's pool shows)."""
    from workforce_lib.records.census.membership import Registry

    members = set(pool.councils) | {e.council for e in pool.excluded if e.council}
    return Registry({"the test region": frozenset(members)}, "the test's registry")


def recoded(files: list[Path], folder: Path, first: str, to: str) -> Path:
    """Copies of returns whose councils' LA numbers begin with digit ``first`` as the same
    numbers beginning with ``to`` (``<LEA>`` and the number in the file's name)."""
    import re

    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        text = f.read_text("utf-8")
        assert text.count(f"<LEA>{first}") == 1, f
        name = re.sub(rf"(?<!\d){first}(\d\d)(?!\d)", rf"{to}\1", f.name)
        (folder / name).write_text(text.replace(f"<LEA>{first}", f"<LEA>{to}"), "utf-8")
    return folder


def fictional_copy(files: list[Path], folder: Path) -> Path:
    """Copies of hand-written returns of councils 9xx as councils 1xx, which no council
    has: a pool of them is treated as a registered group
    (:mod:`workforce_lib.records.census.membership`), as the demo's is."""
    return recoded(files, folder, "9", "1")


def followed_up(p: Pool) -> Pool:
    """``p`` with a return of no workers from each council for the year after its last:
    its last year's leavers are then followed to the next 30 September (a year's moves
    are shown only then), none of them seen again that year."""
    last = max(r.year for r in p.returns)
    more = [census_return(c, last + 1, in_post=0) for c in p.councils]
    out = pool([*p.returns, *more])
    out.excluded, out.placeholders = p.excluded, p.placeholders
    return out
