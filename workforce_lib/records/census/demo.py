"""A seeded fictional region of census returns, with people moving between its councils
and into and out of agency work.

Each council has an establishment of permanent social workers and a pool of agency
workers. Year by year, about one in six permanent staff leave: some take a permanent
post in another council of the region, some return as agency workers (in the same council
or another; a few within three months of leaving, which breaks the national cooling-off
rule unless they left through redundancy), the rest leave the region. Councils replace
leavers with newly qualified and other recruits, and now and then convert an agency worker
to a permanent post. Every return holds what DfE's census would: permanent staff in post at
30 September or leaving in the year, agency workers in assignment on 30 September.

The planted movements (only those both of whose ends appear in the returns written) are
written to a CSV only when asked (``truth``): that file holds the fictional SWE numbers
and is for tests, never for a report.

Every name, number and date is made up; the same seed gives the same files.

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     made = generate_region(d, councils=2, years=2, seed=1, size=40)
...     sorted(p.name for p in made.files)[:2]
['csww_001_2024.xml', 'csww_001_2025.xml']
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from workforce_lib.errors import WorkforceError
from workforce_lib.records.census.writer import number, write_return

#: Bounds on the generator's settings (a demo, not a denial of service).
MAX_COUNCILS = 200
MAX_YEARS = 10
MAX_SIZE = 5000

#: Chance a permanent worker leaves in a year, and where leavers go.
LEAVE_RATE = 0.16
TO_OTHER_COUNCIL = 0.14
TO_AGENCY = 0.12
#: Of leavers returning as agency workers, the share who do so within 3 months.
QUICK_RETURN = 0.15
#: Chance a hire is an agency worker of the council converted to a permanent post.
CONVERSION = 0.10
#: Agency workers as a share of the establishment, at 30 September.
AGENCY_SHARE = 0.15
#: Chance a leaver's destination is recorded as "not known" though they moved.
DESTINATION_UNRECORDED = 0.25

_ROLES = ((5, 0.6), (4, 0.15), (3, 0.12), (2, 0.05), (1, 0.02), (6, 0.06))
_PQ_BY_ROLE = {1: 4, 2: 4, 3: 3, 4: 3, 5: 2, 6: 2}
_FTES = ((1.0, 0.72), (0.8, 0.12), (0.6, 0.08), (0.5, 0.06), (0.4, 0.02))
_REASONS = ((1, 0.66), (2, 0.03), (3, 0.02), (4, 0.03), (5, 0.09), (7, 0.03), (8, 0.1), (9, 0.04))
_OTHER_DESTINATIONS = ((2, 0.1), (4, 0.2), (5, 0.15), (6, 0.3), (7, 0.1), (8, 0.15))
_ORIGINS = ((1, 0.3), (3, 0.05), (5, 0.2), (6, 0.15), (7, 0.1), (8, 0.05), (9, 0.15))
_ETHNICITIES = (("WBRI", 0.7), ("WIRI", 0.02), ("WOTH", 0.05), ("MWBC", 0.02), ("MOTH", 0.01),
                ("AIND", 0.03), ("APKN", 0.02), ("ABAN", 0.01), ("AOTH", 0.01), ("BCRB", 0.03),
                ("BAFR", 0.06), ("BOTH", 0.01), ("CHNE", 0.005), ("OOTH", 0.01),
                ("REFU", 0.01), ("NOBT", 0.005))  # fmt: skip
_GENDERS = ((2, 0.82), (1, 0.165), (9, 0.01), (0, 0.005))
_INSTITUTIONS = tuple(f"Fictional University {c}" for c in "ABCDEFGHJK")
_ABSENCE = (("SIC", 0.55), ("MAT", 0.3), ("OTH", 0.05), ("TRN", 0.05), ("UNP", 0.05))


@dataclass
class Person:
    swe: str
    birth: int  # ordinal
    gender: int
    ethnicity: str
    qual_inst: str
    qual_level: int
    step_up: int
    frontline: int


@dataclass
class Job:
    person: int
    council: int
    agency: bool
    start: int
    end: int | None
    fte: float | None
    role: int
    origin: int | None = None
    destination: int | None = None
    reason: int | None = None


@dataclass
class Region:
    """What :func:`generate_region` wrote."""

    files: list[Path] = field(default_factory=list)
    records: int = 0
    movements: int = 0


@lru_cache(maxsize=8192)
def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


@lru_cache(maxsize=64)
def _cumulative(table) -> tuple[tuple, list[float]]:
    values, weights = zip(*table, strict=True)
    total, cum = 0.0, []
    for w in weights:
        total += w
        cum.append(total)
    return values, cum


def _pick(rng: random.Random, table) -> object:
    values, cum = _cumulative(table)
    return rng.choices(values, cum_weights=cum)[0]


class _Simulation:
    def __init__(self, councils: int, years: list[int], seed: int, size: int):
        self.rng = random.Random(seed)
        self.years = years
        self.people: list[Person] = []
        self.jobs: list[Job] = []
        self.moves: list[dict] = []
        self.codes = [f"{i + 1:03d}" for i in range(councils)]
        self.by_council: list[list[Job]] = [[] for _ in range(councils)]
        self.used: set[int] = set()
        rng = self.rng
        self.size = [max(20, min(MAX_SIZE, int(rng.lognormvariate(0, 0.45) * size))) for _ in
                     range(councils)]  # fmt: skip
        self.vacancies = [rng.uniform(0.05, 0.2) for _ in range(councils)]
        first = date(years[0] - 1, 9, 30).toordinal()
        for c, n in enumerate(self.size):
            for _ in range(n):
                start = first - int(rng.expovariate(1 / (6 * 365))) - 1
                self._job(self._person(start), c, False, start, origin=_pick(rng, _ORIGINS))
            for _ in range(int(n * AGENCY_SHARE)):
                start = first - rng.randint(1, 300)
                self._agency(self._person(start), c, start, first)

    # -- people and jobs
    def _person(self, start: int) -> int:
        rng = self.rng
        age = rng.uniform(22, 45)
        self.people.append(
            Person(
                swe=f"SW{self._number()}",
                birth=start - int(age * 365.25),
                gender=_pick(rng, _GENDERS),
                ethnicity=_pick(rng, _ETHNICITIES),
                qual_inst=rng.choice(_INSTITUTIONS),
                qual_level=rng.choice((1, 1, 2, 3)),
                step_up=int(rng.random() < 0.04),
                frontline=int(rng.random() < 0.06),
            )
        )
        return len(self.people) - 1

    def _number(self) -> int:
        while (n := self.rng.randint(100000, 9999999)) in self.used:
            pass
        self.used.add(n)
        return n

    def _job(self, person, council, agency, start, origin=None, role=None) -> Job:
        rng = self.rng
        job = Job(
            person=person,
            council=council,
            agency=agency,
            start=start,
            end=None,
            fte=1.0 if agency else _pick(rng, _FTES),
            role=role or (5 if agency else _pick(rng, _ROLES)),
            origin=None if agency else origin,
        )
        if agency and rng.random() < 0.01:
            job.fte = None  # a record with no FTE: left out of FTE figures
        self.jobs.append(job)
        self.by_council[council].append(job)
        return job

    def _agency(self, person, council, start, after) -> Job:
        """An agency assignment from ``start`` lasting past the 30 September ``after``
        it, so the return of that year holds it."""
        job = self._job(person, council, True, start)
        job.end = max(after, start) + self.rng.randint(30, 420)
        return job

    def _next_ref(self, day: int) -> int:
        d = date.fromordinal(day)
        year = d.year if (d.month, d.day) <= (9, 30) else d.year + 1
        return date(year, 9, 30).toordinal()

    # -- one census year
    def year(self, y: int) -> None:
        rng = self.rng
        r0, r1 = date(y - 1, 9, 30).toordinal(), date(y, 9, 30).toordinal()
        last = date(self.years[-1], 9, 30).toordinal()
        hires = [0] * len(self.size)
        for job in [j for j in self.jobs if not j.agency and j.end is None and j.start <= r0]:
            if rng.random() >= LEAVE_RATE:
                continue
            leave = rng.randint(r0 + 1, r1)
            job.end = leave
            job.reason = _pick(rng, _REASONS)
            hires[job.council] += 1
            u = rng.random()
            if u < TO_OTHER_COUNCIL and len(self.size) > 1 and job.reason not in (5, 7):
                other = rng.choice([c for c in range(len(self.size)) if c != job.council])
                start = leave + rng.randint(1, 90)
                new = self._job(job.person, other, False, start, origin=2)
                hires[other] -= 1
                job.destination = 1
                if start <= last:
                    self._move("council_to_council", job, new)
            elif u < TO_OTHER_COUNCIL + TO_AGENCY and job.reason not in (5, 7):
                quick = rng.random() < QUICK_RETURN
                start = leave + (rng.randint(7, 80) if quick else rng.randint(95, 330))
                here = rng.random() < 0.5 or len(self.size) == 1
                where = job.council if here else rng.randrange(len(self.size))
                new = self._agency(job.person, where, start, self._next_ref(start))
                job.destination = 3
                if start <= last:
                    self._move("permanent_to_agency", job, new)
            else:
                job.destination = _pick(rng, _OTHER_DESTINATIONS)
            if job.destination in (1, 3) and rng.random() < DESTINATION_UNRECORDED:
                job.destination = 8
        seen = y - 1 >= self.years[0]  # 30 September a year ago is in a return written
        for c, n in enumerate(hires):
            pool = [j for j in self.by_council[c] if j.agency and j.start <= r0
                    and (j.end or 0) > r0] if seen else []  # fmt: skip
            for _ in range(max(0, n + rng.randint(-2, 2))):
                start = rng.randint(r0 + 1, r1)
                if pool and rng.random() < CONVERSION and pool[-1].end > start:
                    was = pool.pop()
                    was.end = start - 1
                    new = self._job(was.person, c, False, start, origin=4)
                    self._move("agency_to_permanent", was, new)
                else:
                    origin = _pick(rng, _ORIGINS)
                    self._job(self._person(start), c, False, start, origin=origin,
                              role=5 if origin == 1 else None)  # fmt: skip
        active = [0] * len(self.size)
        for j in self.jobs:  # agency workers at 30 September
            if j.agency and j.start <= r1 and (j.end is None or j.end > r1):
                active[j.council] += 1
        for c, n in enumerate(self.size):
            for _ in range(max(0, int(n * AGENCY_SHARE) - active[c])):
                start = rng.randint(r0 + 1, r1)
                self._agency(self._person(start - 3000), c, start, r1)

    def _move(self, kind: str, old: Job, new: Job) -> None:
        p = self.people[old.person]
        gap = new.start - old.end
        self.moves.append(
            {
                "swe_number": p.swe,
                "kind": kind,
                "from_council": self.codes[old.council],
                "to_council": self.codes[new.council],
                "left_on": _iso(old.end),
                "started_on": _iso(new.start),
                "gap_days": gap,
                "reason_leave": old.reason if old.reason is not None else "",
                "redundancy": old.reason in (2, 3),
                "cooling_off_breach": kind == "permanent_to_agency"
                and gap <= 80
                and old.reason not in (2, 3),
            }
        )

    # -- the returns
    def records(self, c: int, y: int):
        rng = self.rng
        r0, r1 = date(y - 1, 9, 30).toordinal(), date(y, 9, 30).toordinal()
        for job in self.by_council[c]:
            if job.start > r1:
                continue
            if job.agency:
                if job.end is not None and job.end <= r1:
                    continue
            elif job.end is not None and job.end <= r0:
                continue
            p = self.people[job.person]
            left = not job.agency and job.end is not None and job.end <= r1
            in_post = not left
            rec = {
                "AgencyWorker": int(job.agency),
                "SWENo": p.swe,
                "FTE": None if job.fte is None else number(job.fte, 6),
                "PersonBirthDate": _iso(p.birth),
                "GenderCurrent": p.gender,
                "Ethnicity": p.ethnicity,
                "QualInst": p.qual_inst,
                "QualLevel": p.qual_level,
                "StepUpGrad": p.step_up,
                "OrgRole": job.role,
                "RoleStartDate": _iso(job.start),
                "FrontlineGrad": p.frontline,
                "CFKSSstatus": 1 if job.origin == 1 and job.start > r0 else _PQ_BY_ROLE[job.role],
            }
            if job.agency:
                rec["ContractWeeks"] = number((r1 - job.start) / 7, 1)
            else:
                rec["StartOrigin"] = job.origin or 9
                exposure = (min(job.end or r1, r1) - max(job.start, r0)) / 365
                if rng.random() < 0.45:
                    rec["WorkingDaysLost"] = number(rng.expovariate(1 / 12) * exposure, 2)
            if left:
                rec["RoleEndDate"] = _iso(job.end)
                rec["LeaverDestination"] = job.destination or 8
                rec["ReasonLeave"] = job.reason or 9
            if in_post:
                if job.role in (2, 3, 4, 5):
                    rec["Cases30"] = max(1, int(rng.gauss(16, 5))) if job.role != 2 else 0
                if rng.random() < 0.03:
                    rec["Absat30Sept"] = 1
                    rec["ReasonAbsence"] = _pick(rng, _ABSENCE)
                else:
                    rec["Absat30Sept"] = 0
            yield rec

    def vacancies_of(self, c: int) -> tuple[float, float, int]:
        vac = round(self.size[c] * self.vacancies[c] * self.rng.uniform(0.8, 1.2), 2)
        cover = round(vac * self.rng.uniform(0.4, 0.9), 2)
        return vac, cover, int(cover)


def generate_region(
    out: str | Path,
    councils: int = 11,
    years: int = 3,
    seed: int = 2025,
    size: int = 300,
    last_year: int = 2025,
    truth: str | Path | None = None,
) -> Region:
    """Write ``councils`` x ``years`` fictional returns into ``out``
    (``csww_<LA>_<year>.xml``; LA numbers 001, 002, ...).

    Parameters
    ----------
    size : typical permanent establishment of a council (people); councils vary about it.
    truth : write the planted movements here (CSV; fictional SWE numbers: tests only).
    """
    for name, value, top in (("councils", councils, MAX_COUNCILS), ("years", years, MAX_YEARS),
                             ("size", size, MAX_SIZE)):  # fmt: skip
        if not 1 <= int(value) <= top:
            raise WorkforceError(f"--{name} must be 1 to {top}, not {value!r}.")
    year_list = list(range(last_year - years + 1, last_year + 1))
    sim = _Simulation(councils, year_list, seed, size)
    for y in year_list:
        sim.year(y)
    out = Path(out)
    region = Region()
    for y in year_list:
        for c, code in enumerate(sim.codes):
            path = out / f"csww_{code}_{y}.xml"
            region.records += write_return(
                path, code, y, sim.vacancies_of(c), sim.records(c, y), software="workforce demo"
            )
            region.files.append(path)
    region.movements = len(sim.moves)
    if truth is not None:
        truth = Path(truth)
        truth.parent.mkdir(parents=True, exist_ok=True)
        with truth.open("w", newline="", encoding="utf-8") as f:
            cols = ["swe_number", "kind", "from_council", "to_council", "left_on", "started_on",
                    "gap_days", "reason_leave", "redundancy", "cooling_off_breach"]  # fmt: skip
            writer = csv.DictWriter(f, fieldnames=cols)
            writer.writeheader()
            writer.writerows(sim.moves)
    return region
