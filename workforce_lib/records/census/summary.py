"""One council's census returns: DfE's measures by DfE's rules, the year-on-year trend,
the starters and leavers checked against the change in post, and what DfE does not
publish (leavers by reason and destination, starters by origin, length of service,
age, gender, ethnicity, post-qualifying status, absence at 30 September).

Every DfE measure comes from :func:`workforce_lib.records.hr.components_at` and
:func:`workforce_lib.records.hr.measures_from` on the return as the one internal worker table
(:func:`workforce_lib.records.census.convert.to_extract`); every count is disclosure-controlled
(:mod:`workforce_lib.records.disclosure`, threshold 5 by default, with secondary suppression),
the tables of one return audited together by the disclosure engine
(:mod:`workforce_lib.records.sdc`, :func:`_beside_one_another`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from workforce_lib.errors import WorkforceError
from workforce_lib.measures import round_half_up
from workforce_lib.published.comparison import MeasureComparison, json_safe
from workforce_lib.records import disclosure, hr, sdc
from workforce_lib.records.census import movements as mv
from workforce_lib.records.census.convert import to_extract
from workforce_lib.records.census.records import (
    ABSENCE_REASONS,
    DESTINATION_AGENCY,
    ETHNICITIES,
    GENDERS,
    LEAVER_DESTINATIONS,
    LEAVING_REASONS,
    ORIGIN_AGENCY,
    PQ_STATUSES,
    START_ORIGINS,
    CensusReturn,
)
from workforce_lib.records.census.validate import no_start_lines

#: Age bands (years at the reference date), lower bound inclusive.
AGE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("Under 30", 0, 30),
    ("30 to 39", 30, 40),
    ("40 to 49", 40, 50),
    ("50 to 59", 50, 60),
    ("60 and over", 60, np.inf),
)
#: Which records' sickness the absence rate counts. DfE publishes the rate as working days
#: lost over FTE in post at 30 September x 253 (254), but not, in any source found, whether
#: the days lost of the year's leavers are in it; the return holds ``WorkingDaysLost`` on
#: every record, leavers' included. Assumed: they are (as a council's own HR sickness
#: figures usually count everyone employed in the year).
ABSENCE_ASSUMPTION = (
    "Assumption: the sickness absence rate counts the working days lost by every permanent "
    "record in the return, the year's leavers included, over the FTE in post at 30 "
    "September x 253 (254 in a leap year); DfE's published methodology does not say "
    "whether leavers' days are in it."
)
#: How starters and leavers beyond DfE's measures count a person with two posts.
LEAVERS_RULE = (
    "The year-on-year check and the leavers and starters tables count people: a person "
    "who leaves one of two posts and keeps the other is not a leaver, one who leaves both "
    "is one (on the later date). DfE's measures above follow DfE's methodology: its "
    "leavers headcount is de-duplicated on the person and the leaving date, its starters "
    "headcount on the person and the start date, and agency records are not "
    "de-duplicated."
)
NOT_KNOWN = "Not known"
NOT_RECORDED = "Not recorded"
ALL = "All"

#: The tables beyond DfE's, in the order a report shows them: name -> (title, who).
TABLES: dict[str, tuple[str, str]] = {
    "leavers_by_reason": ("Leavers in the year by reason for leaving", "leavers"),
    "leavers_by_destination": ("Leavers in the year by destination", "leavers"),
    "starters_by_origin": ("Starters in the year by where they came from", "starters"),
    "age": ("In post at 30 September by age", "in post"),
    "gender": ("In post at 30 September by gender", "in post"),
    "ethnicity": ("In post at 30 September by ethnic group", "in post"),
    "post_qualifying_status": ("In post at 30 September by post-qualifying status", "in post"),
    "absence_at_30_september": ("In post and absent at 30 September, by reason", "absent"),
}


# ---------------------------------------------------------------- returns of one council
def check_one_council(returns: list[CensusReturn]) -> list[CensusReturn]:
    """The returns in year order; refused unless they are one council's, one a year."""
    if not returns:
        raise WorkforceError("No census return given.")
    councils = sorted({r.council for r in returns})
    if len(councils) > 1:
        raise WorkforceError(
            f"The returns are of {len(councils)} councils (LA {', '.join(councils)}): "
            "`workforce census summary` reads one council's returns; pool a region's with "
            "`workforce census pool`."
        )
    seen: dict[int, str] = {}
    for r in returns:
        if r.year in seen:
            raise WorkforceError(
                f"Two returns for census year {r.year}: {seen[r.year]} and {r.source.name}."
            )
        seen[r.year] = r.source.name
    return sorted(returns, key=lambda r: r.year)


def components_by_year(returns: list[CensusReturn]) -> pd.DataFrame:
    """Raw components of every return at its own reference date (rows: dates)."""
    frames = [hr.components_at(to_extract(r), r.reference_date) for r in returns]
    return pd.concat(frames)


# ---------------------------------------------------------------- year-on-year check
@dataclass
class FlowCheck:
    """Starters and leavers of one year against the change in post since the year before."""

    year: int
    inpost_before: float | None
    starters: float | None
    leavers: float | None
    inpost_now: float | None
    agrees: bool | None
    unlinked_leavers: str | None  # in post last year, in neither part of this return
    unlinked_starters: str | None  # in post now, not last year, yet not a starter
    finding: str


def _people_text(n: int, threshold: int) -> str:
    return f"fewer than {threshold}" if disclosure.too_few(n, threshold) else str(n)


def _linked(*returns: CensusReturn) -> pd.DataFrame:
    """The records of one council's returns as one table, as :mod:`.movements` reads it."""
    frames = [
        r.workers.assign(council=r.council, year=r.year, reference_date=r.reference_date)
        for r in returns
    ]
    return pd.concat(frames, ignore_index=True)


def flow_checks(returns: list[CensusReturn], threshold: int) -> list[FlowCheck]:
    """For each pair of consecutive years: in post last year + starters - leavers
    against in post this year (people, permanent), and which records do not link.

    People, not records, by the rule of the regional movement tables
    (:func:`workforce_lib.records.census.movements.leavings` and ``joinings``): a person leaves
    the council when their last permanent post there ends (one of two posts ending is
    not a leaving; two ending on different days are one leaving, on the later day) and
    starts when they begin a post while holding no other there. A person who leaves and
    comes back within the year is a leaver and a starter, and one who leaves twice is two
    leavings, so in post now = in post a year before + starters - leavers exactly.

    A person in post at the last reference date must be in this year's return, in post
    or as a leaver; a person in post now who was not in post then must be a starter.
    Counts of people below ``threshold`` are given as "fewer than N".
    """
    out = []
    by_year = {r.year: r for r in returns}
    for r in returns:
        prev = by_year.get(r.year - 1)
        if prev is None:
            continue
        w0, w1 = prev.workers, r.workers
        perm0, perm1 = w0[~w0["agency"]], w1[~w1["agency"]]
        p0 = set(perm0.loc[perm0["end_date"].isna(), "person"])
        now = set(perm1.loc[perm1["end_date"].isna(), "person"])
        s = mv.spells(_linked(prev, r))
        start_from, day = prev.reference_date, r.reference_date
        lv, jn = mv.leavings(s), mv.joinings(s)
        leavings = lv[(lv["left"] > start_from) & (lv["left"] <= day)]
        joinings = jn[(jn["joined"] > start_from) & (jn["joined"] <= day)]
        starters = set(joinings["person"])
        in_return = set(perm1["person"])
        lost = p0 - in_return
        unexplained = (now - p0) - starters
        n_start, n_leave = len(joinings), len(leavings)
        expected = len(p0) + n_start - n_leave
        agrees = expected == len(now) and not lost and not unexplained
        counts = [len(p0), n_start, n_leave, len(now)]
        few = [disclosure.too_few(len(g), threshold) for g in (lost, unexplained)]
        # the four counts give in post + starters - leavers - in post now: beside "fewer
        # than 5 missing leavers" that difference would be their exact number
        hide = any(disclosure.too_few(c, threshold) for c in counts) or any(few)
        if agrees:
            finding = (
                f"{r.year}: in post a year before, plus starters, less leavers, gives in "
                "post at 30 September, and every record links."
            )
        elif any(few):
            finding = (
                f"{r.year}: starters and leavers do not explain the change in post: some "
                f"people's records do not link between the two returns (a missing leaver "
                f"record, a missing record last year or a wrong start date?). Fewer than "
                f"{threshold} people are involved in at least one of these, so which and "
                "how many are not shown, nor the counts that would give them."
            )
        else:
            parts = []
            if lost:
                parts.append(
                    f"{_people_text(len(lost), threshold)} people in post at "
                    f"{prev.reference_date:%d %B %Y} are in this return neither in post nor "
                    "as leavers (a missing leaver record?)"
                )
            if unexplained:
                parts.append(
                    f"{_people_text(len(unexplained), threshold)} people in post now were "
                    f"not in post at {prev.reference_date:%d %B %Y} and have a start date "
                    "before it (a missing record last year, or a wrong start date?)"
                )
            if expected != len(now) and not parts:
                parts.append("the counts disagree (a post with no end date that is missing "
                             "from this return?)")  # fmt: skip
            finding = f"{r.year}: starters and leavers do not explain the change in post: " + (
                "; ".join(parts) + "."
            )
        out.append(
            FlowCheck(
                year=r.year,
                inpost_before=None if hide else float(len(p0)),
                starters=None if hide else float(n_start),
                leavers=None if hide else float(n_leave),
                inpost_now=None if hide else float(len(now)),
                agrees=agrees,
                unlinked_leavers=None if any(few) else _people_text(len(lost), threshold),
                unlinked_starters=None if any(few) else _people_text(len(unexplained), threshold),
                finding=finding,
            )
        )
    return out


# ---------------------------------------------------------------- beyond DfE
#: Which return a record of :func:`_pooled` is from (its position in the list given).
GROUP = "_return"


def _pooled(returns: list[CensusReturn]) -> pd.DataFrame:
    """The records of several returns as one table: each return's records in their own
    order, with the return's position (:data:`GROUP`) and ``reference_date``."""
    frames = [
        r.workers.assign(**{GROUP: i, "reference_date": r.reference_date})
        for i, r in enumerate(returns)
    ]
    return pd.concat(frames, ignore_index=True)


def _seniority(w: pd.DataFrame) -> pd.DataFrame:
    """``w`` with ``_o``: the post's rank, most senior first (``OrgRole``, none last)."""
    return w.assign(_o=w["org_role"].fillna(99).astype(int))


def _one_per_person(w: pd.DataFrame) -> pd.DataFrame:
    """One record per person and return: the most senior post (lowest ``OrgRole``), as
    DfE counts (two equally senior: the earlier line)."""
    return (
        _seniority(w)
        .sort_values([GROUP, "_o", "line"])
        .drop_duplicates([GROUP, "person"])
        .drop(columns="_o")
    )


def _in_post(w: pd.DataFrame) -> pd.DataFrame:
    return w[~w["agency"] & w["end_date"].isna()]


def _person_keys(w: pd.DataFrame) -> pd.MultiIndex:
    return pd.MultiIndex.from_arrays([w[GROUP].to_numpy(), w["person"].to_numpy()])


def _leavers(w: pd.DataFrame) -> pd.DataFrame:
    """The permanent records of the people who left in the year (the per-person rule of
    :func:`workforce_lib.records.census.movements.leavings`: a person still holding a post at 30
    September has not left, whatever other post ended): one per person and return, the
    post that ended last (the more senior of two that ended that day)."""
    perm = w[~w["agency"]]
    staying = _person_keys(perm[perm["end_date"].isna()])
    gone = perm[perm["end_date"].notna() & ~_person_keys(perm).isin(staying)]
    gone = _seniority(gone).sort_values(
        [GROUP, "end_date", "_o", "line"], ascending=[True, False, True, True]
    )
    return gone.drop_duplicates([GROUP, "person"]).drop(columns="_o")


def _starters(w: pd.DataFrame) -> pd.DataFrame:
    """The permanent records of the people who started in the year (joined: began a post
    while holding no other, :func:`workforce_lib.records.census.movements.joinings`): one per
    person and return, the first post begun (the more senior of two begun that day)."""
    day = w["reference_date"]
    before = day - pd.DateOffset(years=1)
    perm_rows = ~w["agency"]
    perm = w[perm_rows]
    in_year = (perm["start_date"] > before[perm_rows]) & (perm["start_date"] <= day[perm_rows])
    # a person with one permanent record joined when it began; only people with several
    # (rare) need the spells of movements.joinings, which are per person (and council:
    # here the return, so no two returns' posts are taken as one person's)
    several = pd.Series(_person_keys(perm).duplicated(keep=False), index=perm.index)
    began = perm[in_year & ~several]
    if several.any():
        many = w[_person_keys(w).isin(_person_keys(perm[several]))]
        linked = many.assign(council=many[GROUP].astype(str), year=0)
        jn = mv.joinings(mv.spells(linked))
        jn_group = jn["council"].astype(int).to_numpy()
        jn_day = pd.Series(linked.groupby(GROUP)["reference_date"].first())
        jn_day = pd.Series(jn_day.reindex(jn_group).to_numpy(), index=jn.index)
        jn = jn[(jn["joined"] > jn_day - pd.DateOffset(years=1)) & (jn["joined"] <= jn_day)]
        keys = pd.MultiIndex.from_arrays(
            [jn["council"].astype(int).to_numpy(), jn["person"].to_numpy(), jn["joined"]]
        )
        rest = perm[several]
        mine = pd.MultiIndex.from_arrays(
            [rest[GROUP].to_numpy(), rest["person"].to_numpy(), rest["start_date"]]
        )
        began = pd.concat([began, rest[mine.isin(keys)]])
    began = _seniority(began).sort_values([GROUP, "start_date", "_o", "line"])
    return began.drop_duplicates([GROUP, "person"]).drop(columns="_o")


def _protected(people: np.ndarray, threshold: int) -> np.ndarray:
    """Which cells of count tables (one row per table: people per label) to suppress, a
    column for each label and a last for the total: primary (1 to ``threshold - 1``
    people), secondary while the shown total would reveal them
    (:func:`workforce_lib.records.disclosure.protect_parts`), and everything where the total
    is itself too few."""
    threshold = disclosure.check_threshold(threshold)
    people = np.asarray(people, dtype=np.int64).reshape(-1, np.shape(people)[-1])
    hide = np.zeros((people.shape[0], people.shape[1] + 1), dtype=bool)
    for i, row in enumerate(people):
        hide[i, :-1] = disclosure.protect_parts(row, disclosure.too_few(row, threshold), threshold)
    hide[disclosure.too_few(people.sum(axis=1), threshold)] = True
    return hide


def _count_frames(
    people: np.ndarray, hide: np.ndarray, order: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One count table as :func:`count_table` gives it, from its people per label and
    which cells :func:`_protected` hides."""
    people = pd.Series(np.asarray(people, dtype=np.int64), index=order)
    total = int(people.sum())
    share = round_half_up(100 * people / total, 1) if total else np.nan
    index = pd.Index([*people.index, ALL], name="group")
    values = {
        "people": np.append(people.to_numpy(float), float(total)),
        "share": np.append(np.broadcast_to(np.asarray(share, float), len(people)),
                           100.0 if total else np.nan),
    }  # fmt: skip
    table = pd.DataFrame({k: np.where(hide, np.nan, v) for k, v in values.items()}, index=index)
    why = np.where(hide, disclosure.STATUS, "").astype(object)  # one reason, never two kinds
    status = pd.DataFrame({k: why.copy() for k in values}, index=index, dtype=object)
    return table, status


def count_table(
    labels: pd.Series, order: list[str], threshold: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """People per label (and the share of all), disclosure-controlled.

    Parameters
    ----------
    labels : one label per person.
    order : every label, in the order shown (labels with nobody show 0).

    Returns
    -------
    table : ``people`` and ``share`` (%) per label and an ``All`` row; NaN where
        suppressed.
    status : the same shape; why a cell is not shown.

    Examples
    --------
    >>> t, s = count_table(pd.Series(["a"] * 6 + ["b"] * 2 + ["c"] * 7), ["a", "b", "c"], 5)
    >>> t["people"].tolist(), s.at["b", "people"]
    ([nan, nan, 7.0, 15.0], 'c: suppressed to protect confidentiality')
    >>> s.at["a", "people"] == s.at["b", "people"]  # a hidden too (else b = 15 - 6 - 7), same words
    True
    """
    people = _people_per_label(labels, np.zeros(len(labels), dtype=np.int64), 1, order)[0]
    return _count_frames(people, _protected(people, threshold)[0], order)


def _people_per_label(labels: pd.Series, group: np.ndarray, groups: int,
                      order: list[str]) -> np.ndarray:  # fmt: skip
    """People per group (rows) and label of ``order`` (columns); labels not in ``order``
    are not counted."""
    code = pd.Categorical(labels, categories=order).codes.astype(np.int64)
    counted = code >= 0
    flat = np.asarray(group, dtype=np.int64)[counted] * len(order) + code[counted]
    return np.bincount(flat, minlength=groups * len(order)).reshape(groups, len(order))


def _coded(values: pd.Series, codes: dict, missing: str = NOT_RECORDED) -> pd.Series:
    return values.map(codes).astype(object).where(values.notna(), missing).fillna(missing)


def _age_band(birth: pd.Series, day) -> pd.Series:
    """Each birth date's age band at ``day`` (one date, or one per birth date)."""
    years = (day - birth).dt.days / 365.25
    labels = [b[0] for b in AGE_BANDS]
    band = pd.cut(years, [b[1] for b in AGE_BANDS] + [np.inf], labels=labels, right=False)
    return band.astype(object).where(band.notna(), NOT_KNOWN)


@dataclass
class PeopleTables:
    """The tables beyond DfE's (:data:`TABLES`) for several returns at once: for each
    table, its labels in order, the people per return (rows) and label, and which cells
    are suppressed (a last column for the total)."""

    order: dict[str, list[str]]
    people: dict[str, np.ndarray]
    hidden: dict[str, np.ndarray]

    def summed(self, name: str) -> pd.DataFrame:
        """Table ``name`` over all the returns added up, not controlled: each return
        counts its own people, so a person in two councils' returns counts in each (as
        DfE's regional figures add up its councils'). A region's table beside its
        councils' own must be this sum: counting a person once across councils would
        make the councils' figures, less the region's, the number in two councils."""
        people = self.people[name].sum(0)
        return _count_frames(people, np.zeros(len(people) + 1, dtype=bool), self.order[name])[0]

    def tables(self, i: int) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
        """The ``i``-th return's tables as :func:`beyond_dfe` gives them."""
        return {
            name: _count_frames(self.people[name][i], self.hidden[name][i], order)
            for name, order in self.order.items()
        }


def people_tables(returns: list[CensusReturn], threshold: int) -> PeopleTables:
    """The tables DfE does not publish, from each of ``returns`` (people, permanent
    staff; the absence table also permanent; a person with two posts in a return counted
    once: in post in the more senior, a leaver only when no post is left, by the post
    that ended last, a starter only when they held no other post, by the first post
    begun). Each return is counted on its own, as :func:`beyond_dfe` counts it: a region
    many councils' tables at once."""
    w = _pooled(returns)
    leavers = _leavers(w)
    starters = _starters(w)
    in_post = _one_per_person(_in_post(w))
    groups = list(dict.fromkeys(g for _, g in ETHNICITIES.values()))
    gender_labels = list(dict.fromkeys([*GENDERS.values(), NOT_RECORDED]))
    pq = [*PQ_STATUSES.values(), NOT_RECORDED]
    absent = in_post[in_post["absent_30sep"]]
    t = {
        "leavers_by_reason": (
            leavers,
            _coded(leavers["reason_leave"], LEAVING_REASONS),
            [*LEAVING_REASONS.values(), NOT_RECORDED],
        ),
        "leavers_by_destination": (
            leavers,
            _coded(leavers["leaver_destination"], LEAVER_DESTINATIONS),
            [*LEAVER_DESTINATIONS.values(), NOT_RECORDED],
        ),
        "starters_by_origin": (
            starters,
            _coded(starters["start_origin"], START_ORIGINS),
            [*START_ORIGINS.values(), NOT_RECORDED],
        ),
        "age": (
            in_post,
            _age_band(in_post["birth_date"], in_post["reference_date"]),
            [b[0] for b in AGE_BANDS] + [NOT_KNOWN],
        ),
        "gender": (in_post, _coded(in_post["gender"], GENDERS), gender_labels),
        "ethnicity": (
            in_post,
            _coded(in_post["ethnicity"], {k: g for k, (_, g) in ETHNICITIES.items()}),
            [*groups, NOT_RECORDED],
        ),
        "post_qualifying_status": (in_post, _coded(in_post["pq_status"], PQ_STATUSES), pq),
        "absence_at_30_september": (
            absent,
            _coded(absent["absence_reason"], ABSENCE_REASONS),
            [*ABSENCE_REASONS.values(), NOT_RECORDED],
        ),
    }
    out = PeopleTables({}, {}, {})
    for name, (who, labels, order) in t.items():
        people = _people_per_label(labels, who[GROUP].to_numpy(), len(returns), order)
        out.order[name] = order
        out.people[name] = people
        out.hidden[name] = _protected(people, threshold)
    if threshold > 1:
        for i in range(len(returns)):
            _beside_one_another(out, i, threshold)
    return out


#: The tables counting the same people: in post (their totals are one figure), leavers.
IN_POST_TABLES = ("age", "gender", "ethnicity", "post_qualifying_status")
LEAVER_TABLES = ("leavers_by_reason", "leavers_by_destination")


def council_problem(tables: PeopleTables, i: int) -> tuple[dict, dict, list, set]:
    """The ``i``-th return's tables as the disclosure engine sees them
    (:mod:`workforce_lib.records.sdc`): each table's cells ``(name, k)`` (``k`` the
    label's position, :data:`ALL` the total), people per cell, the relations published
    with them (each table's parts add up to its total; the in-post tables' totals are one
    figure, as are the leaver tables'; and in post now + leavers = in post a year before
    + starters, ``"before"`` known from last year's outputs, ``"x"`` the sum no output
    shows) and the cells no output shows (``"x"``; none, and no such relation, without
    the in-post, leaver and starter tables).

    Returns
    -------
    cells : each table's cells in order, its total last.
    values, lines, silent : as :func:`workforce_lib.records.sdc.secondary` reads them.

    >>> order = {"age": ["a", "b"], "leavers_by_reason": ["r"], "starters_by_origin": ["o"]}
    >>> people = {"age": np.array([[20, 6]]), "leavers_by_reason": np.array([[4]]),
    ...           "starters_by_origin": np.array([[3]])}
    >>> _, values, lines, silent = council_problem(PeopleTables(order, people, {}), 0)
    >>> values["before"], values["x"], silent
    (27, 30, {'x'})
    """
    names = list(tables.order)
    cells = {n: [*((n, k) for k in range(len(tables.order[n]))), (n, ALL)] for n in names}
    values: dict = {}
    lines: list = []
    for name in names:
        people = tables.people[name][i]
        values.update({c: int(v) for c, v in zip(cells[name], [*people, people.sum()])})
        lines.append((cells[name][:-1], (name, ALL)))
    for group in (IN_POST_TABLES, LEAVER_TABLES):
        totals = [(n, ALL) for n in group if n in tables.order]
        lines += [([a], b) for a, b in zip(totals, totals[1:]) if values[a] == values[b]]
    now, lv, st = (("age", ALL), ("leavers_by_reason", ALL), ("starters_by_origin", ALL))
    if not all(c in values for c in (now, lv, st)):
        return cells, values, lines, set()
    values["before"] = values[now] + values[lv] - values[st]  # known: never hidden
    values["x"] = values[now] + values[lv]
    lines += [(["before", st], "x"), ([now, lv], "x")]
    return cells, values, lines, {"x"}


def _beside_one_another(tables: PeopleTables, i: int, threshold: int) -> None:
    """The ``i``-th return's tables published together, on the disclosure engine
    (:mod:`workforce_lib.records.sdc`): each table's parts add up to its total; the
    in-post tables' totals are one figure, as are the leaver tables'; and in post now +
    leavers = in post a year before + starters, in post a year before taken as known
    (last year's outputs show it). The tables' own rules (:func:`_protected`) answer
    first; where the engine's audit finds a hidden cell too narrowly bounded (the
    leavers given by the starters and the in-post totals), the engine hides more, each
    threshold from 5 keeping what the one below hid.

    >>> order = {"age": ["a", "b"], "leavers_by_reason": ["r", "s"],
    ...          "starters_by_origin": ["o", "p"]}
    >>> people = {"age": np.array([[20, 6]]), "leavers_by_reason": np.array([[4, 0]]),
    ...           "starters_by_origin": np.array([[0, 0]])}
    >>> t = PeopleTables(order, people, {n: _protected(p, 5) for n, p in people.items()})
    >>> t.hidden["starters_by_origin"].tolist()
    [[False, False, False]]
    >>> _beside_one_another(t, 0, 5)
    >>> t.hidden["starters_by_origin"].tolist()  # 0 starters would give the 4 leavers
    [[False, True, True]]
    """
    names = list(tables.order)
    cells, values, lines, silent = council_problem(tables, i)
    if not silent:
        return
    cost = {c: v + 1.0 + (1_000 if c[-1] == ALL else 0) for c, v in values.items()}
    cost["before"] = 1e12
    got: set = set()
    for t in range(disclosure.DEFAULT_THRESHOLD, threshold + 1):
        rules = {
            c for n in names for c, h in zip(cells[n], _protected(tables.people[n][i], t)[0]) if h
        }
        first = got | rules | silent
        if sdc.audit(values, lines, first, t, silent=silent):
            first = sdc.secondary(values, lines, t, first, cost, silent=silent)
        got = first
    for name in names:
        tables.hidden[name][i] = [c in got for c in cells[name]]


def beyond_dfe(ret: CensusReturn, threshold: int) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """The tables DfE does not publish, from one return (:func:`people_tables` of it
    alone), each as (table, status) of :func:`count_table`."""
    return people_tables([ret], threshold).tables(0)


# ---------------------------------------------------------------- summary
def no_start_notes(returns: list[CensusReturn], threshold: int) -> list[str]:
    """A note for each return holding records with no ``RoleStartDate``: how many (fewer
    than ``threshold`` when 1 to ``threshold - 1``) and how they are counted."""
    notes = []
    for r in returns:
        n = len(no_start_lines(r.workers)[0])
        if not n:
            continue
        many = f"Fewer than {threshold}" if disclosure.too_few(n, threshold) else str(n)
        notes.append(
            f"{many} record{'' if n == 1 else 's'} of the {r.year} return ({r.source.name}) "
            "have no RoleStartDate: each is counted in post (an agency worker, among the "
            "agency workers) at 30 September while it has no end date, as a leaver on its "
            "end date, and never as a starter; `workforce census validate` lists their lines."
        )
    return notes


#: Status of every cell of the leavers-by-length-of-service table of a return in which a
#: leaver of the year has no start date (DfE's symbol for "not available"), and the note
#: that says why.
SERVICE_NOT_KNOWN = "x"
SERVICE_NOT_KNOWN_NOTE = (
    "Leavers by length of service (x) are not shown: a leaver in the year has no "
    "RoleStartDate, so their length of service is not known, and the table's total beside "
    "the leavers measure would give how many such leavers there are."
)


def _length_of_service(
    ret: CensusReturn, extract, threshold: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leavers by length of service (:func:`workforce_lib.records.hr.length_of_service`),
    withheld whole when a permanent leaver of the year has no start date: it would be in
    no band, and "All leavers" beside DfE's leavers headcount would give how many such
    leavers there are."""
    table, status = hr.length_of_service(extract, ret.reference_date, threshold)
    w = ret.workers
    day = ret.reference_date
    left = w["end_date"].gt(day - pd.DateOffset(years=1)) & w["end_date"].le(day)
    if (left & ~w["agency"] & w["start_date"].isna()).any():
        table = table.astype(float) * np.nan
        status = status.copy()
        status.loc[:, :] = SERVICE_NOT_KNOWN
    return table, status


@dataclass
class CensusSummary:
    """Everything ``workforce census summary`` prints."""

    council: str
    year: int
    years: list[int]
    threshold: int
    measures: dict[str, MeasureComparison]
    trend: pd.DataFrame  # measures by year (rows), NaN where not shown
    trend_status: pd.DataFrame
    flows: list[FlowCheck]
    tables: dict[str, tuple[pd.DataFrame, pd.DataFrame]]
    length_of_service: tuple[pd.DataFrame, pd.DataFrame]
    notes: list[str] = field(default_factory=list)

    @property
    def area(self) -> str:
        return f"LA {self.council}"

    def to_json(self) -> dict:
        """The ``workforce census summary --json`` document: the keys of ``workforce
        summary --json`` (``measures`` with the same fields), then the trend, the
        year-on-year checks and the tables DfE does not publish."""
        return {
            "area": self.area,
            "kind": "census_return",
            "year": self.year,
            "region": None,
            "area_id": self.council,
            "measures": {k: json_safe(asdict(v)) for k, v in self.measures.items()},
            "notes": self.notes,
            # what instability means for children comes from DfE's children's files,
            # not from a return: the key of `workforce summary --json`, with nothing in it
            "context": {},
            "disclosure_threshold": self.threshold,
            "years": self.years,
            "trend": hr._records(self.trend, self.trend_status),
            "flow_checks": [asdict(f) for f in self.flows],
            "length_of_service": hr._records(*self.length_of_service),
            "tables": {name: hr._records(*tbl) for name, tbl in self.tables.items()},
        }


def summarise(
    returns: list[CensusReturn], threshold: int = disclosure.DEFAULT_THRESHOLD
) -> CensusSummary:
    """DfE's measures for the latest return against the year before (when its return is
    given), the trend over every return, the year-on-year checks and the tables beyond
    DfE's, all disclosure-controlled."""
    threshold = disclosure.check_threshold(threshold)
    returns = check_one_council(returns)
    comp = components_by_year(returns)
    hm = hr.measures_from(comp, threshold)
    latest = returns[-1]
    day = latest.reference_date
    before = pd.Timestamp(day.year - 1, 9, 30)
    have_before = before in hm.values.index
    measures = hr.comparisons(
        hm, day, before if have_before else None,
        f"x: not available (no return for {day.year - 1} given)",
    )  # fmt: skip
    trend = hm.values.copy()
    trend_status = hm.status.copy()
    trend.index = trend_status.index = pd.Index([d.year for d in hm.values.index], name="year")
    extract = to_extract(latest)
    notes = [
        f"From the council's census return{'s' if len(returns) > 1 else ''} "
        f"({', '.join(str(r.year) for r in returns)}) by DfE's rules: a person is counted "
        "once in a headcount, FTE is summed over records, records with no FTE are left out "
        "of FTE figures, caseload is over case holders including agency workers.",
        f"Any count of fewer than {threshold} people is suppressed (c), with a second "
        "figure where a total would reveal it.",
        "FTE30 is read as the FTE at 30 September of the census year and is used in no "
        "measure (published descriptions disagree).",
        ABSENCE_ASSUMPTION,
        LEAVERS_RULE,
        *no_start_notes(returns, threshold),
    ]
    service = _length_of_service(latest, extract, threshold)
    if (service[1] == SERVICE_NOT_KNOWN).any().any():
        notes.append(SERVICE_NOT_KNOWN_NOTE)
    return CensusSummary(
        council=latest.council,
        year=latest.year,
        years=[r.year for r in returns],
        threshold=threshold,
        measures=measures,
        trend=trend,
        trend_status=trend_status,
        flows=flow_checks(returns, threshold),
        tables=beyond_dfe(latest, threshold),
        length_of_service=service,
        notes=notes,
    )


def _agency_sentence(summary: CensusSummary, table: str, label: str, who: str) -> str:
    t, st = summary.tables[table]
    if st.at[label, "people"]:
        return f"How many {who} agency work is not shown ({st.at[label, 'people']})."
    return f"{int(t.at[label, 'people'])} of the year's {who} agency work."


def left_for_agency(summary: CensusSummary) -> str:
    """How many leavers went to agency work, as a sentence (or why it is not shown)."""
    label = LEAVER_DESTINATIONS[DESTINATION_AGENCY]
    return _agency_sentence(summary, "leavers_by_destination", label, "leavers went to")


def came_from_agency(summary: CensusSummary) -> str:
    """How many starters came from agency work, as a sentence (or why it is not shown)."""
    label = START_ORIGINS[ORIGIN_AGENCY]
    return _agency_sentence(summary, "starters_by_origin", label, "starters came from")
