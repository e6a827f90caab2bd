"""Movements within a region, year by year, from its pooled census returns.

A worker's records are linked across councils and years by their keyed pseudonym
(``person``). From the linked records:

* **spells**: each permanent post (a person at a council with a start date; the same post
  appears in every return until its end date) and each agency engagement (a person as an
  agency worker at a council at 30 September, starting on its ``RoleStartDate``, else
  ``ContractWeeks`` weeks before 30 September, else not known);
* **leavings and joinings** (:func:`leavings`, :func:`joinings`): the tables count
  people, not posts. A person *leaves* a council when they no longer hold any permanent
  post there: on the end date of their last post, if no other post of theirs at that
  council is still held the day after. A person who leaves one of two posts and keeps
  the other has not left; one who leaves both is one leaver, on the later end date (the
  day they were last in post there; reason and destination from that post). A person
  *joins* a council when they begin a permanent post there holding no other;
* **leavers' next step**: each leaving in census year *Y* (12 months to 30 September *Y*)
  is followed to the person's next spell in the region by 30 September *Y + 1* (the next
  return): the first that begins on or after the leaving day, or one at another council
  (or an agency engagement) already under way then and still held after it. A post
  elsewhere held at the same time as the one left (begun before it, or more than
  :data:`OVERLAP_DAYS` days before the leaving date) is a second job: the person *kept a
  post at another member council*, which is not a move; one begun within those days is
  a move whose new post overlapped the old one's last days. The next step is a permanent
  post at another member council, an agency engagement at another member council or at
  the same one, back in a permanent post at the same council, a post kept elsewhere, or
  not seen again in the region's returns by then;
* **possible unlinked moves** (:func:`possible_unlinked_moves`): leavers not seen again
  who look like a starter new to the region at another member council soon after
  (same birth date, gender and ethnicity): counted, never linked;
* **conversions**: agency workers in the region at 30 September *Y - 1* who join a member
  council as permanent staff in census year *Y* (the same council or another).

Counting people, not records. DfE's published headcounts de-duplicate a person (council,
SWE number, birth date, gender, ethnicity): in post once per person; starters once per
person *and start date*, leavers once per person *and leaving date* (DfE, "Children's social
work workforce" methodology, Headcount). The spec (``csww-census-return.md``) says only
that a person counts once. By DfE's leaver rule a person who leaves one of two posts, or
both on different days, is a leaver once per leaving date, although they have not left
the council, or left it once. A movement between councils is a person leaving a council,
so the movement tables use the per-person rule above instead. They count each person
once per council left and census year (:func:`leaver_moves` keeps the last leaving of
the year: a person who left, came back and left again is followed from the second
time), and every cell of :func:`movement_matrix`, :func:`net_flows` and
:func:`agency_flows` counts distinct people.

What the returns cannot show, said in every report: an agency engagement that began and
ended between two 30 Septembers is in no return (only agency workers at 30 September are
recorded), so a leaver who worked as an agency worker for a few months only, or an agency
worker who converted after such an engagement, is not seen; leavers of the last year in
the pool are followed to that year's 30 September only (the regional tables show a year's
leavers only once the next year's returns are pooled); a council missing a year's return
hides the moves into it that year (the regional tables show no movements then).

Examples
--------
>>> import pandas as pd
>>> w = pd.DataFrame({
...     "council": ["101", "101", "102"], "year": [2024, 2025, 2025],
...     "reference_date": pd.to_datetime(["2024-09-30", "2025-09-30", "2025-09-30"]),
...     "person": ["p", "p", "p"], "agency": [False, False, True],
...     "start_date": pd.to_datetime(["2019-01-01", "2019-01-01", "2025-03-01"]),
...     "end_date": pd.to_datetime([None, "2025-01-31", None]),
...     "reason_leave": pd.array([pd.NA, 1, pd.NA], "Int64"),
...     "contract_weeks": [float("nan")] * 3})
>>> m = leaver_moves(w)
>>> m[["from_council", "year", "outcome", "to_council"]].to_dict("records")
[{'from_council': '101', 'year': 2025, 'outcome': 'agency, another council', 'to_council': '102'}]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PERMANENT = "permanent"
AGENCY = "agency"

#: What became of a permanent leaver, in the order reports list them.
TO_PERMANENT_OTHER = "permanent, another council"
TO_AGENCY_OTHER = "agency, another council"
TO_AGENCY_SAME = "agency, same council"
REJOINED = "permanent again, same council"
SECOND_JOB = "kept a post at another member council (not a move)"
NOT_SEEN = "not seen again in the region"
OUTCOMES = (TO_PERMANENT_OTHER, TO_AGENCY_OTHER, TO_AGENCY_SAME, REJOINED, SECOND_JOB, NOT_SEEN)
#: The outcomes that are a move between two member councils.
BETWEEN_COUNCILS = (TO_PERMANENT_OTHER, TO_AGENCY_OTHER)
#: The outcomes in which a permanent worker reappears as an agency worker.
INTO_AGENCY = (TO_AGENCY_OTHER, TO_AGENCY_SAME)

#: A post (or agency engagement) at another member council begun up to this many days
#: before the leaving date, and still held after it, is a move whose new post overlapped
#: the last days of the old (notice, leave taken at the end); begun earlier (or before the
#: post left), it is a second job held at the same time: not a move.
OVERLAP_DAYS = 31
#: A starter this many days after a leaving (or up to :data:`OVERLAP_DAYS` before it) may
#: be the leaver under a mistyped SWE number (:func:`possible_unlinked_moves`).
UNLINKED_WINDOW_DAYS = 90

LIMITS = (
    "Only agency workers in post at 30 September are in a return: an agency engagement "
    "that began and ended between two 30 Septembers is in no return, so moves through "
    "short agency work are not seen.",
    "A leaver is followed to the next return (30 September of the following year), so a "
    "year's leavers are shown once the following year's returns are pooled.",
    "A person in posts at two member councils who leaves one keeps the other: that is a "
    "second job ending, shown as 'kept a post at another member council', not a move. A "
    f"post elsewhere that began up to {OVERLAP_DAYS} days before the leaving date (an "
    "overlap at the end of notice) counts as a move; one begun earlier, or before the "
    "post left, was held at the same time.",
)

#: What "possible unlinked moves" are, said wherever they are shown.
UNLINKED_MEANING = (
    "Possible unlinked moves: permanent leavers not seen again in the region for whom a "
    "starter at another member council, new to the region's returns, began a permanent "
    f"post from {OVERLAP_DAYS} days before to {UNLINKED_WINDOW_DAYS} days after the "
    "leaving date with the same birth date, gender and ethnicity: perhaps the same "
    "person under a mistyped SWE number. They are counted, never linked: the moves "
    "tables and 'not seen again' are as the numbers say, and may miss these moves."
)


def census_year(days: pd.Series) -> pd.Series:
    """The census year (12 months to 30 September) each date falls in.

    >>> census_year(pd.Series(pd.to_datetime(["2024-09-30", "2024-10-01"]))).tolist()
    [2024, 2025]
    """
    return (days.dt.year + (days.dt.month >= 10).astype(int)).astype("Int64")


def spells(workers: pd.DataFrame) -> pd.DataFrame:
    """Each permanent post and each agency engagement once, from the pooled records.

    A permanent post is a person, council and start date (a record with no start date
    joins the person's other undated post at that council, if any; two posts begun the
    same day are one spell, ended only when the latest return has no record of it in
    post); an agency engagement
    is a person, council and start (``start_date``, else ``reference_date`` minus
    ``contract_weeks``); engagements with no start at all are one per person and council.

    Returns
    -------
    DataFrame, one row per spell: ``person``, ``council``, ``kind`` (permanent|agency),
    ``begins`` (when it began; for an undated post, the day after the 30 September before
    the first return it is in; for an undated engagement, the first 30 September it is
    seen), ``begins_known`` (bool), ``ends`` (a permanent leaver's end date, else NaT),
    ``first_seen`` and ``last_seen`` (census dates of the first and last return it is in),
    ``reason_leave``, ``start_origin`` (of the first record).
    """
    w = workers
    agency = w["agency"].astype(bool).to_numpy()
    start = w["start_date"]
    if "contract_weeks" in w:
        from_weeks = w["reference_date"] - pd.to_timedelta(
            (w["contract_weeks"] * 7).round(), unit="D"
        )
        start = start.where(start.notna() | ~agency, from_weeks)
    frame = pd.DataFrame(
        {
            "person": w["person"].astype(str).to_numpy(),
            "council": w["council"].astype(str).to_numpy(),
            "kind": np.where(agency, AGENCY, PERMANENT),
            "start": start.to_numpy("datetime64[ns]"),
            "ref": w["reference_date"].to_numpy("datetime64[ns]"),
            "end": w["end_date"].to_numpy("datetime64[ns]"),
            "reason_leave": w["reason_leave"].astype("Int64").to_numpy()
            if "reason_leave" in w
            else pd.array([pd.NA] * len(w), "Int64"),
            "start_origin": w["start_origin"].astype("Int64").to_numpy()
            if "start_origin" in w
            else pd.array([pd.NA] * len(w), "Int64"),
        }
    )
    # one group per person, council, kind and start (records with no start together),
    # found on integer codes: grouping 300,000 rows on four text and date keys is slow
    person_code = pd.factorize(frame["person"])[0]
    council_code = pd.factorize(frame["council"])[0]
    start_day = frame["start"].to_numpy("datetime64[D]").astype("int64")  # NaT: one value
    order = np.lexsort((frame["ref"].to_numpy(), start_day, agency, council_code, person_code))
    key = np.stack([person_code, council_code, agency.astype("int64"), start_day])[:, order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (key[:, 1:] != key[:, :-1]).any(axis=0)
    frame = frame.iloc[order].reset_index(drop=True)
    gid = np.cumsum(first) - 1
    # a post ends on the end date its latest return gives; two posts begun the same day
    # share a spell, and one still in post in that return keeps the spell open
    at_last = frame["ref"].to_numpy() == frame.groupby(gid)["ref"].transform("max").to_numpy()
    frame["end"] = frame["end"].where(at_last)
    frame["open_last"] = at_last & frame["end"].isna().to_numpy()
    g = frame.groupby(gid, sort=False)
    out = g.agg(
        person=("person", "first"),
        council=("council", "first"),
        kind=("kind", "first"),
        start=("start", "first"),
        first_seen=("ref", "min"),
        last_seen=("ref", "max"),
        ends=("end", "max"),
        open_last=("open_last", "any"),
        reason_leave=("reason_leave", "last"),
        start_origin=("start_origin", "first"),
    ).reset_index(drop=True)
    out["ends"] = out["ends"].where((out["kind"] == PERMANENT) & ~out["open_last"])
    out["begins_known"] = out["start"].notna()
    undated = out["first_seen"].where(out["kind"] == AGENCY, _day_after_year_before(out))
    out["begins"] = out["start"].fillna(undated)
    cols = [
        "person",
        "council",
        "kind",
        "begins",
        "begins_known",
        "ends",
        "first_seen",
        "last_seen",
        "reason_leave",
        "start_origin",
    ]
    return out[cols].reset_index(drop=True)


def _day_after_year_before(s: pd.DataFrame) -> pd.Series:
    """The first day of the census year of each spell's first return."""
    return s["first_seen"] - pd.DateOffset(years=1) + pd.Timedelta(days=1)


def _permanent(s: pd.DataFrame) -> pd.DataFrame:
    """The permanent spells, with their index as ``spell``."""
    p = s[s["kind"] == PERMANENT]
    return p[["person", "council", "begins", "begins_known", "ends", "last_seen"]].assign(
        spell=p.index
    )


def _held_after(ends: pd.Series, last_seen: pd.Series, day: pd.Series) -> pd.Series:
    """Whether a permanent post was still held the day after ``day``: it ended later, or it
    has no end and is in a return dated on or after ``day``."""
    return (ends > day) | (ends.isna() & (last_seen >= day))


def leavings(spells_: pd.DataFrame) -> pd.DataFrame:
    """Each time a person left a council: their last permanent post there ended and no
    other post of theirs there was held the day after (one of two posts ending is not a
    leaving; two ending on different days is one, on the later day).

    Returns
    -------
    DataFrame, one row per leaving: ``person``, ``council``, ``left`` (the end date),
    ``spell`` (the index in ``spells_`` of the post that ended then; the earliest begun
    when several ended that day), ``posts`` (how many ended that day).

    Examples
    --------
    >>> s = pd.DataFrame({"person": ["p", "p", "q"], "council": ["1", "1", "1"],
    ...     "kind": [PERMANENT] * 3, "begins": pd.to_datetime(["2020-01-01"] * 3),
    ...     "begins_known": [True] * 3,
    ...     "ends": pd.to_datetime(["2025-01-31", "2025-05-31", "2025-01-31"]),
    ...     "last_seen": pd.to_datetime(["2025-09-30"] * 3)})
    >>> leavings(s)[["person", "left", "posts"]].astype(str).values.tolist()
    [['p', '2025-05-31', '1'], ['q', '2025-01-31', '1']]
    """
    p = _permanent(spells_)
    ended = p[p["ends"].notna()]
    pairs = ended[["person", "council", "spell", "ends"]].merge(
        p[["person", "council", "spell", "begins", "ends", "last_seen"]],
        on=["person", "council"],
        suffixes=("", "_other"),
    )
    pairs = pairs[pairs["spell"] != pairs["spell_other"]]
    kept = (pairs["begins"] <= pairs["ends"]) & _held_after(
        pairs["ends_other"], pairs["last_seen"], pairs["ends"]
    )
    still_in_post = set(pairs.loc[kept, "spell"])
    out = ended[~ended["spell"].isin(still_in_post)].rename(columns={"ends": "left"})
    out = out.sort_values(["person", "council", "left", "begins", "spell"], kind="stable")
    posts = out.groupby(["person", "council", "left"], observed=True)["spell"].transform("size")
    out = out.assign(posts=posts).drop_duplicates(["person", "council", "left"])
    cols = ["person", "council", "left", "spell", "posts"]
    return out[cols].reset_index(drop=True)


def joinings(spells_: pd.DataFrame) -> pd.DataFrame:
    """Each time a person joined a council: a permanent post began (start known) while
    they held no other permanent post there (a second post is not a joining; two begun
    the same day are one).

    Returns
    -------
    DataFrame, one row per joining: ``person``, ``council``, ``joined`` (the start date),
    ``spell`` (the post begun; the first when several began that day).

    Examples
    --------
    >>> s = pd.DataFrame({"person": ["p", "p"], "council": ["1", "1"],
    ...     "kind": [PERMANENT] * 2, "begins": pd.to_datetime(["2020-01-01", "2025-03-01"]),
    ...     "begins_known": [True, True], "ends": pd.to_datetime([None, None]),
    ...     "last_seen": pd.to_datetime(["2025-09-30"] * 2)})
    >>> joinings(s)["joined"].astype(str).tolist()  # the second post is not a joining
    ['2020-01-01']
    """
    p = _permanent(spells_)
    began = p[p["begins_known"]]
    pairs = began[["person", "council", "spell", "begins"]].merge(
        p[["person", "council", "spell", "begins", "ends", "last_seen"]],
        on=["person", "council"],
        suffixes=("", "_other"),
    )
    pairs = pairs[pairs["spell"] != pairs["spell_other"]]
    day_before = pairs["begins"] - pd.Timedelta(days=1)
    held = (pairs["begins_other"] < pairs["begins"]) & _held_after(
        pairs["ends"], pairs["last_seen"], day_before
    )
    already = set(pairs.loc[held, "spell"])
    out = began[~began["spell"].isin(already)].rename(columns={"begins": "joined"})
    out = out.sort_values(["person", "council", "joined", "spell"], kind="stable")
    out = out.drop_duplicates(["person", "council", "joined"])
    return out[["person", "council", "joined", "spell"]].reset_index(drop=True)


def leaver_moves(workers: pd.DataFrame, spells_: pd.DataFrame | None = None) -> pd.DataFrame:
    """The people who left each member council in each census year (:func:`leavings`:
    people, not posts) and what became of them in the region: one row per person,
    council and year, from their last leaving of that council that year (one who left,
    came back and left again within the year is followed from the second time).

    Parameters
    ----------
    workers : the pooled worker records (:attr:`Pool.workers`).
    spells_ : :func:`spells` of them, if already made.

    Returns
    -------
    DataFrame, one row per person, council left and year: ``person``, ``from_council``,
    ``year`` (census year of the leaving day), ``left`` (the end date of the person's last
    post there),
    ``reason_leave`` (of that post), ``outcome`` (one of :data:`OUTCOMES`), ``to_council``
    and ``to_begins`` (the next spell's council and start; empty when not seen),
    ``followed_to`` (the last day the pool could show a next spell: 30 September of the
    next year, or of the last year).
    """
    s = spells_ if spells_ is not None else spells(workers)
    last_ref = pd.Timestamp(workers["reference_date"].max())
    lv = leavings(s)
    leavers = lv.rename(columns={"council": "from_council"})
    leavers["reason_leave"] = s.loc[lv["spell"], "reason_leave"].to_numpy()
    leavers["year"] = census_year(leavers["left"]).astype("int64")
    follow = pd.to_datetime(leavers["year"].astype(str) + "-09-30") + pd.DateOffset(years=1)
    leavers["followed_to"] = follow.where(follow <= last_ref, last_ref)
    leavers["leave_id"] = leavers.index
    leavers["left_begins"] = s.loc[lv["spell"], "begins"].to_numpy()
    nxt = s[["person", "council", "kind", "begins", "ends", "last_seen"]].rename(
        columns={"council": "to_council", "kind": "to_kind", "begins": "to_begins"}
    )
    cand = leavers[
        ["leave_id", "person", "from_council", "left", "left_begins", "followed_to"]
    ].merge(nxt, on="person")
    perm = cand["to_kind"] == PERMANENT
    same_post_kind = perm & (cand["to_council"] == cand["from_council"])
    # a permanent post at the same council begun by the leaving day ended by it (else
    # the person did not leave): only a later one is a return; elsewhere, from that day
    begins, left = cand["to_begins"], cand["left"]
    later = np.where(same_post_kind, begins > left, begins >= left)
    later = later & (begins <= cand["followed_to"]).to_numpy()
    held_on = np.where(
        perm,
        _held_after(cand["ends"], cand["last_seen"], cand["left"]),
        cand["last_seen"] >= cand["left"],
    )
    under_way = ~same_post_kind & (cand["to_begins"] < cand["left"]) & held_on
    # held at the same time, not a move: at another council, begun before the post left
    # began or more than OVERLAP_DAYS before the leaving date, and still held after it
    elsewhere = (cand["to_council"] != cand["from_council"]).to_numpy()
    overlap_from = cand["left"] - pd.Timedelta(days=OVERLAP_DAYS)
    early = (cand["to_begins"] < overlap_from) | (cand["to_begins"] <= cand["left_begins"])
    concurrent = under_way & elsewhere & early.to_numpy()
    keep = later | under_way
    cand = cand[keep].assign(concurrent=concurrent[keep])
    cand["effective"] = cand["to_begins"].where(~under_way[keep], cand["left"])
    cand["kind_order"] = (cand["to_kind"] != PERMANENT).astype(int)  # same day: permanent
    cand["held_order"] = (~cand["concurrent"]).astype(int)  # a post kept comes first
    order = ["leave_id", "effective", "held_order", "kind_order", "to_council"]
    cand = cand.sort_values(order, kind="stable")
    first = cand.drop_duplicates("leave_id").set_index("leave_id")
    out = leavers.set_index("leave_id")
    out = out.join(first[["to_council", "to_kind", "to_begins", "concurrent"]])
    same = out["to_council"] == out["from_council"]
    to_perm = out["to_kind"] == PERMANENT
    kept = out["concurrent"].fillna(False).astype(bool)
    outcome = np.select(
        [
            out["to_kind"].isna(),
            kept,
            to_perm & ~same,
            ~to_perm & ~same,
            ~to_perm & same,
        ],
        [NOT_SEEN, SECOND_JOB, TO_PERMANENT_OTHER, TO_AGENCY_OTHER, TO_AGENCY_SAME],
        default=REJOINED,
    )
    out["reason_leave"] = out["reason_leave"].astype("Int64")
    out["outcome"] = pd.Categorical(outcome, categories=list(OUTCOMES))
    cols = [
        "person",
        "from_council",
        "year",
        "left",
        "reason_leave",
        "outcome",
        "to_council",
        "to_begins",
        "followed_to",
    ]
    out = out[cols].sort_values(["year", "from_council", "left"], kind="stable")
    out = out.drop_duplicates(["person", "from_council", "year"], keep="last")
    return out.reset_index(drop=True)


def possible_unlinked_moves(
    workers: pd.DataFrame,
    moves: pd.DataFrame,
    spells_: pd.DataFrame | None = None,
    window_days: int = UNLINKED_WINDOW_DAYS,
) -> pd.DataFrame:
    """Leavers not seen again who may have moved under a mistyped SWE number: a permanent
    leaver (``moves``: :func:`leaver_moves`) whose outcome is :data:`NOT_SEEN`, and a
    person new to the region's returns (:func:`_new_to_returns`) who joined
    another member council (:func:`joinings`) from :data:`OVERLAP_DAYS` days before the
    leaving date to ``window_days`` after it, with the same birth date, gender and
    ethnicity, each known. Nothing is merged: the two stay two people.

    Returns
    -------
    DataFrame, one row per such leaver: ``person`` (the leaver), ``from_council``,
    ``year``, ``left``, ``to_council`` and ``joined`` (the earliest matching starter;
    the lowest LA number on the same day), ``starters`` (how many starters match).

    Examples
    --------
    >>> w = pd.DataFrame({"person": ["a", "b"], "council": ["1", "2"],
    ...     "birth_date": pd.to_datetime(["1980-05-01"] * 2), "gender": [1, 1],
    ...     "ethnicity": ["WBRI", "WBRI"]})
    >>> mv_ = pd.DataFrame({"person": ["a"], "from_council": ["1"], "year": [2025],
    ...     "left": pd.to_datetime(["2025-01-31"]), "outcome": [NOT_SEEN]})
    >>> sp = pd.DataFrame({"person": ["a", "b"], "council": ["1", "2"],
    ...     "kind": [PERMANENT] * 2, "begins": pd.to_datetime(["2018-01-01", "2025-03-03"]),
    ...     "begins_known": [True, True], "ends": pd.to_datetime(["2025-01-31", None]),
    ...     "first_seen": pd.to_datetime(["2024-09-30", "2025-09-30"]),
    ...     "last_seen": pd.to_datetime(["2025-09-30"] * 2)})
    >>> possible_unlinked_moves(w, mv_, sp)[["from_council", "to_council", "starters"]].values.tolist()
    [['1', '2', 1]]
    """  # noqa: E501
    cols = ["person", "from_council", "year", "left", "to_council", "joined", "starters"]
    s = spells_ if spells_ is not None else spells(workers)
    gone = moves[moves["outcome"].astype(str) == NOT_SEEN]
    if gone.empty or s.empty:
        return pd.DataFrame(columns=cols)
    who = ["birth_date", "gender", "ethnicity"]
    traits = workers[["person", *who]].dropna().drop_duplicates("person")
    j = joinings(s)
    j = j[_new_to_returns(j, s)]
    starters = j.rename(columns={"person": "starter", "council": "to_council"})
    starters = starters.merge(traits.rename(columns={"person": "starter"}), on="starter")
    leavers = gone[["person", "from_council", "year", "left"]].merge(traits, on="person")
    m = leavers.merge(starters[["starter", "to_council", "joined", *who]], on=who)
    lo = m["left"] - pd.Timedelta(days=OVERLAP_DAYS)
    hi = m["left"] + pd.Timedelta(days=window_days)
    m = m[
        (m["to_council"].astype(str) != m["from_council"].astype(str))
        & (m["starter"] != m["person"])
        & (m["joined"] >= lo)
        & (m["joined"] <= hi)
    ]
    if m.empty:
        return pd.DataFrame(columns=cols)
    m = m.sort_values(["person", "from_council", "year", "joined", "to_council"], kind="stable")
    n = m.groupby(["person", "from_council", "year"], observed=True)["starter"].transform("nunique")
    m = m.assign(starters=n.astype("int64")).drop_duplicates(["person", "from_council", "year"])
    return (
        m[cols].sort_values(["year", "from_council", "left"], kind="stable").reset_index(drop=True)
    )


def _new_to_returns(joins: pd.DataFrame, spells_: pd.DataFrame) -> np.ndarray:
    """Whether each joining (:func:`joinings`) is new to the region's returns: no spell of
    the person that began before it is in the return of the joining's census year or of
    the year before. Only those two returns are asked (every pool that shows the year's
    possible unlinked moves holds both), so the answer is the same in each: a spell seen
    only in older returns, which a pool beginning later would not hold, does not count.

    >>> j = pd.DataFrame({"person": ["s", "s"], "joined": pd.to_datetime(["2024-03-01",
    ...     "2025-03-01"])})
    >>> sp = pd.DataFrame({"person": ["s"], "begins": pd.to_datetime(["2015-01-01"]),
    ...     "first_seen": pd.to_datetime(["2022-09-30"]),
    ...     "last_seen": pd.to_datetime(["2023-09-30"])})
    >>> _new_to_returns(j, sp).tolist()  # seen in 2023's return: not new in 2024
    [False, True]
    """
    if joins.empty:
        return np.zeros(0, dtype=bool)
    year = census_year(joins["joined"]).astype("int64")
    k = np.arange(len(joins))
    m = pd.DataFrame({
        "k": k, "person": joins["person"].to_numpy(), "joined": joins["joined"].to_numpy(),
        "lo": pd.to_datetime((year - 1).astype(str) + "-09-30").to_numpy(),
        "hi": pd.to_datetime(year.astype(str) + "-09-30").to_numpy(),
    }).merge(spells_[["person", "begins", "first_seen", "last_seen"]], on="person")  # fmt: skip
    earlier = (
        (m["begins"] < m["joined"]) & (m["first_seen"] <= m["hi"]) & (m["last_seen"] >= m["lo"])
    )
    return ~np.isin(k, m.loc[earlier, "k"].to_numpy())


def unlinked_counts(unlinked: pd.DataFrame, councils: list[str], years: list[int]) -> pd.DataFrame:
    """Possible unlinked moves (:func:`possible_unlinked_moves`) per member council left and
    census year: distinct leavers, every council and year present (zeros shown)."""
    idx = pd.MultiIndex.from_product([councils, years], names=["council", "year"])
    n = _people(unlinked, ["from_council", "year"])
    n.index.names = ["council", "year"]
    return n.rename("possible").reindex(idx, fill_value=0).astype("int64").reset_index()


def conversions(workers: pd.DataFrame, spells_: pd.DataFrame | None = None) -> pd.DataFrame:
    """Agency workers in the region at one 30 September who join a member council as
    permanent staff (:func:`joinings`: a first permanent post there, not a second one) in
    the next census year.

    Returns
    -------
    DataFrame, one row per person, council joined and census year: ``person``, ``year``
    (census year of the joining), ``agency_council`` (where they were an agency worker at
    30 September ``year - 1``; the lowest LA number if at several), ``to_council``,
    ``started`` (the first joining that year) and ``same_council`` (bool).
    """
    s = spells_ if spells_ is not None else spells(workers)
    perm = joinings(s).rename(columns={"joined": "begins"})
    perm["year"] = census_year(perm["begins"]).astype("int64")
    perm["before"] = pd.to_datetime((perm["year"] - 1).astype(str) + "-09-30")
    w = workers
    agency = pd.DataFrame(
        {
            "person": w.loc[w["agency"].astype(bool), "person"].astype(str),
            "agency_council": w.loc[w["agency"].astype(bool), "council"].astype(str),
            "before": w.loc[w["agency"].astype(bool), "reference_date"],
        }
    ).drop_duplicates()
    m = perm.merge(agency, on=["person", "before"])
    m = m.sort_values(["person", "begins", "council", "agency_council"], kind="stable")
    m = m.drop_duplicates(["person", "council", "year"])
    out = pd.DataFrame(
        {
            "person": m["person"],
            "year": m["year"],
            "agency_council": m["agency_council"],
            "to_council": m["council"],
            "started": m["begins"],
            "same_council": m["agency_council"] == m["council"],
        }
    )
    return out.sort_values(["year", "to_council", "started"], kind="stable").reset_index(drop=True)


def _people(frame: pd.DataFrame, by: list[str]) -> pd.Series:
    """Distinct people per group (a person in a group twice counts once); a frame with no
    ``person`` column is taken to hold one row per person."""
    if frame.empty:
        return pd.Series(dtype="int64", index=pd.MultiIndex.from_tuples([], names=by))
    g = frame.groupby(by, observed=True)
    return g["person"].nunique() if "person" in frame.columns else g.size()


def movement_matrix(moves: pd.DataFrame, year: int, councils: list[str]) -> pd.DataFrame:
    """People who left a member council (rows) in census ``year`` and were next at
    another (columns), as a permanent or an agency worker (distinct people per cell).

    Every member council is a row and a column (zeros shown); the diagonal is always 0.
    """
    m = moves[(moves["year"] == year) & moves["outcome"].isin(BETWEEN_COUNCILS)]
    if "person" in m.columns:
        m = m.drop_duplicates(["person", "from_council", "to_council"])
    table = pd.crosstab(m["from_council"], m["to_council"])
    table = table.reindex(index=councils, columns=councils, fill_value=0).astype("int64")
    table.index.name, table.columns.name = "from", "to"
    return table


def net_flows(moves: pd.DataFrame, councils: list[str], years: list[int]) -> pd.DataFrame:
    """For each member council and census year: people who came from another member
    council (``in``), who left for another (``out``) and ``net`` = in - out (distinct
    people: a person who came from two member councils in the year is one in).

    >>> m = pd.DataFrame({"person": ["a", "b", "c"], "from_council": ["1", "1", "2"],
    ...                   "to_council": ["2", "2", "1"],
    ...                   "year": [2025] * 3, "outcome": [TO_PERMANENT_OTHER] * 3})
    >>> net_flows(m, ["1", "2"], [2025]).to_dict("records")
    [{'council': '1', 'year': 2025, 'in': 1, 'out': 2, 'net': -1}, {'council': '2', 'year': 2025, 'in': 2, 'out': 1, 'net': 1}]
    """  # noqa: E501
    m = moves[moves["outcome"].isin(BETWEEN_COUNCILS)]
    idx = pd.MultiIndex.from_product([councils, years], names=["council", "year"])
    out_ = _people(m, ["from_council", "year"])
    in_ = _people(m, ["to_council", "year"])
    out_.index.names = in_.index.names = ["council", "year"]
    t = pd.DataFrame({"in": in_, "out": out_}).reindex(idx, fill_value=0).fillna(0)
    t = t.astype("int64")
    t["net"] = t["in"] - t["out"]
    return t.reset_index()


def agency_flows(
    moves: pd.DataFrame, conv: pd.DataFrame, councils: list[str], years: list[int]
) -> pd.DataFrame:
    """For each member council and census year: the people who left it and were next
    agency workers in the region (``to_agency``: at the same council or another) and the
    agency workers in the region who joined it as permanent staff (``from_agency``),
    distinct people each."""
    idx = pd.MultiIndex.from_product([councils, years], names=["council", "year"])
    to_ag = _people(moves[moves["outcome"].isin(INTO_AGENCY)], ["from_council", "year"])
    from_ag = _people(conv, ["to_council", "year"])
    to_ag.index.names = from_ag.index.names = ["council", "year"]
    t = pd.DataFrame({"to_agency": to_ag, "from_agency": from_ag})
    return t.reindex(idx, fill_value=0).fillna(0).astype("int64").reset_index()
