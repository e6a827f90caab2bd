"""What a region may show of its pooled returns: movement, agency-flow and agency-rule
tables per council and year, with disclosure control.

Every table here counts people. A count of 1 to ``threshold - 1`` is suppressed
(primary), and more cells are suppressed wherever a shown total would let a reader work
one out (secondary): in each row and column of a table with its totals, the suppressed
cells must be none, or at least two, and when the line's total is shown they must add up
to 0 or to at least the threshold; the cells are chosen by the disclosure engine
(:mod:`workforce_lib.records.sdc`: fewest people hidden, then every hidden cell's interval
audited by linear programming; :func:`protect_table`). Each year is its own table and
no total across years is shown, so no figure is the difference of two shown ones. Figures
that appear in two tables (a council's moves out and in are the movement matrix's totals)
are taken from the one protected table, so the two agree.

Nothing here holds a pseudonym: tables are counts, and :func:`regional_tables` returns
strings only (``c`` where suppressed).

Examples
--------
>>> t = pd.DataFrame({"x": [12, 3], "y": [6, 0]}, index=["a", "b"])
>>> protect_table(t).to_dict("list")
{'x': ['c', 'c', '15'], 'y': ['6', '0', '6'], 'Total': ['c', 'c', '21']}
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from workforce_lib.records import disclosure, sdc
from workforce_lib.records.census import membership as ms
from workforce_lib.records.census import movements as mv
from workforce_lib.records.census import rules
from workforce_lib.records.census.pool import Pool
from workforce_lib.records.sdc.secondary import FIRST_THRESHOLD

TOTAL = "Total"
#: The by-year tables' titles.
TITLES = {
    "movement_matrix": "Moves between member councils, {y}",
    "net_flows": "Net flows between member councils, {y}",
    "leaver_outcomes": "Permanent leavers' next step in the region, {y}",
    "agency_flows": "Flows into and out of agency work, {y}",
    "cooling_off": "Agency engagements and the cooling-off rule, {y}",
    "possible_unlinked": "Possible unlinked moves (leavers not seen again), {y}",
    "pooled_matrix": "Moves between member councils, {y} pooled",
    "pooled_net_flows": "Net flows between member councils, {y} pooled",
}
#: The possible-unlinked-moves table's column.
UNLINKED_COLUMN = "Leavers not seen again who may be a starter at another member council"
REGION = "Region"


def with_totals(counts: pd.DataFrame, row_totals: bool = True, col_totals: bool = True):
    """``counts`` with a ``Total`` column (row totals) and a ``Total`` row (column totals)
    as asked; the corner is the grand total when both are."""
    full = counts.astype("int64").copy()
    if row_totals:
        full[TOTAL] = full.sum(axis=1)
    if col_totals:
        full.loc[TOTAL] = full.sum(axis=0)
    return full


def table_lines(name: str, full: pd.DataFrame, row_totals: bool = True,
                col_totals: bool = True) -> list[tuple[list, tuple | None]]:  # fmt: skip
    """Each row and column of a table made by :func:`with_totals` as (its cells, the cell
    holding their total or None); a cell is ``(name, row label, column label)``."""
    rows, cols = list(full.index), list(full.columns)
    part_rows = rows[:-1] if col_totals else rows
    part_cols = cols[:-1] if row_totals else cols
    lines = []
    for r in rows:
        lines.append(([(name, r, c) for c in part_cols], (name, r, TOTAL) if row_totals else None))
    for c in cols:
        lines.append(([(name, r, c) for r in part_rows], (name, TOTAL, c) if col_totals else None))
    return lines


def council_sums(lines: list) -> list:
    """The lines of :func:`table_lines` that add up rows (member councils) to the total
    row: the parts of a total over councils."""
    return [(cells, total) for cells, total in lines if total is not None and total[1] == TOTAL]


def suppress(values: dict, lines: list, threshold: int, forced=None, sums=(),
             cost: dict | None = None, stages: dict | None = None) -> set:  # fmt: skip
    """Which cells to hide so that no count of 1 to ``threshold - 1`` people is shown or
    can be narrowed to fewer than ``threshold`` possible values from the lines (a set of
    cells and the cell holding their sum, in one table or across tables): the disclosure
    engine (:func:`workforce_lib.records.sdc.protect`) hides the fewest people it can,
    council totals and region totals last (:func:`suppression_cost`), and audits every
    hidden cell's interval by linear programming.

    Built threshold by threshold from 5: the cells hidden at ``threshold`` are those
    hidden at ``threshold - 1`` and more, so no output at one threshold shows what
    another hides (a cell hidden at 5 to cover a 3 must not be shown at 6). ``forced``
    (a function of the threshold giving a set of cells, growing with it) names cells
    hidden whatever their value: those that pools of other member councils would give
    away (:func:`leaver_membership`). ``sums`` are lines whose total is a sum over
    member councils (a table's column totals): a pool without one council shows the
    total less that council's cell, so the total is hidden wherever a part is.

    >>> v = {"a": 12, "b": 3, "t": 15}
    >>> sorted(suppress(v, [(["a", "b"], "t")], 5))
    ['a', 'b']
    """
    threshold = disclosure.check_threshold(threshold)
    cost = cost if cost is not None else suppression_cost(values)
    return sdc.protect(values, lines, threshold, forced, cost, sums, stages=stages)


#: What hiding a council's total (a row's) and a region's total (the Total row's) costs
#: beside the people in it: any number of parts is hidden before one of them.
COUNCIL_TOTAL_COST = 1_000
REGION_TOTAL_COST = 10_000
#: The cooling-off table's column of engagements with no post left in the 3 months
#: before: the rest of the engagements, its region figure hidden before the others'.
COOLING_REST = "No post left in the 3 months before"
#: The cooling-off table's column of engagements whose start is not known.
COOLING_UNKNOWN = "Start not known"
#: DfE's symbol for a figure not available (the first year's conversions: the agency
#: workers of the 30 September before are in no return of the pool).
NOT_AVAILABLE = "x"
#: Years whose leaver tables are solved at once (threads: the solver runs outside the GIL).
SOLVER_THREADS = 2


def suppression_cost(values: dict) -> dict:
    """The cost of hiding each cell of tables made by :func:`table_lines` (cells
    ``(table, row, column)``): its people plus one, more for a council's total and most
    for the region's, so the engine hides parts first.

    >>> suppression_cost({("m", "901", "902"): 3, ("m", "901", TOTAL): 9, ("m", TOTAL, "x"): 4})
    {('m', '901', '902'): 4.0, ('m', '901', 'Total'): 1010.0, ('m', 'Total', 'x'): 10005.0}
    """
    out = {}
    for cell, v in values.items():
        extra = 0
        if isinstance(cell, tuple) and len(cell) == 3:
            extra = REGION_TOTAL_COST if cell[1] == TOTAL else (
                COUNCIL_TOTAL_COST if cell[2] == TOTAL else 0)  # fmt: skip
        out[cell] = float(v) + 1.0 + extra
    return out


def determined(values: dict, lines: list, hidden: set) -> list:
    """Hidden cells, other than zeros, whose value follows from the shown cells and the
    lines taken together (the relations' row space holds the cell's unit vector), not
    only from one line: e.g. a cell hidden in a column whose other hidden cells are
    each paired, in their rows, with the hidden cells of one other column.

    >>> v = {"a": 2, "b": 3, "c": 9, "t": 14}
    >>> determined(v, [(["a", "b", "c"], "t"), (["a"], "x")], {"a", "b"})
    ['a', 'b']
    """
    cells = sorted((c for c in hidden if c in values), key=str)
    if not cells:
        return []
    col = {c: i for i, c in enumerate(cells)}
    # the relations as a sparse matrix A (one row per line whose total is shown and that
    # holds a hidden cell; a line holding one cell twice counts it twice)
    relations = []
    for parts, total in lines:
        if total is None:
            continue
        a: dict[int, int] = {}
        for c in parts:
            i = col.get(c)
            if i is not None:
                a[i] = a.get(i, 0) + 1
        i = col.get(total)
        if i is not None:
            a[i] = a.get(i, 0) - 1
        nz = {i: v for i, v in a.items() if v}
        if nz:
            relations.append(nz)
    if not relations:
        return []
    # The projection onto the relations' row space keeps a unit vector whole exactly
    # when that cell's value is known: its diagonal. Relations on cells no other of them
    # holds (a table's rows, say) are orthogonal, so their part of the diagonal is
    # direct (a^2 / |row|^2); the others, less their projection onto those, need an
    # orthonormal basis (eigenvectors of C C^T): a far smaller eigenproblem than all the
    # relations', which took most of the time of the national pool's tables.
    n = len(cells)
    owner = np.full(n, -1)  # the disjoint relation holding each cell
    own_coef = np.zeros(n)
    norms = []
    rest = []
    for rel in relations:
        i = np.fromiter(rel, dtype=np.int64, count=len(rel))
        if (owner[i] >= 0).any():
            rest.append(rel)
            continue
        owner[i] = len(norms)
        own_coef[i] = np.fromiter(rel.values(), dtype=float, count=len(rel))
        norms.append(float((own_coef[i] ** 2).sum()))
    owned = owner >= 0
    diag = np.zeros(n)
    diag[owned] = own_coef[owned] ** 2 / np.asarray(norms)[owner[owned]]
    if rest:
        # C' = C (I - P_B), never formed: C'C'^T = C C^T - M D^-1 M^T with M = C B^T and
        # D = B B^T (diagonal), and C'^T V = C^T V - B^T D^-1 M^T V, each cell's few
        # entries gathered (small products instead of dense relations x cells ones)
        ent = [(r, i, v) for r, rel in enumerate(rest) for i, v in rel.items()]
        rows_, cols_, coefs_ = (np.array(x) for x in zip(*ent, strict=True))
        coefs_ = coefs_.astype(float)
        order = np.lexsort((rows_, cols_))
        rows_, cols_, coefs_ = rows_[order], cols_[order], coefs_[order]
        slot = np.arange(len(cols_)) - np.searchsorted(cols_, cols_)
        idx = np.full((n, slot.max() + 1), len(rest))  # a dummy relation pads the slots
        val = np.zeros(idx.shape)
        idx[cols_, slot], val[cols_, slot] = rows_, coefs_
        gram = np.zeros((len(rest) + 1, len(rest) + 1))
        for s_ in range(idx.shape[1]):
            for t_ in range(idx.shape[1]):
                np.add.at(gram, (idx[:, s_], idx[:, t_]), val[:, s_] * val[:, t_])
        norm = np.asarray(norms)
        m = np.zeros((len(rest), len(norms)))
        mine = owned[cols_]
        np.add.at(m, (rows_[mine], owner[cols_[mine]]), coefs_[mine] * own_coef[cols_[mine]])
        # one BLAS thread: on a shared 2-core machine OpenBLAS's threads wait on each
        # other (an 800-relation eigh took 0.7 s with two threads under load, 0.12 s
        # with one)
        with threadpool_limits(limits=1, user_api="blas"):
            w, v = np.linalg.eigh(gram[:-1, :-1] - (m / norm) @ m.T)
            keep = w > w.max() * 1e-10 if w.max() > 0 else np.zeros(len(w), bool)
            vk = np.vstack([v[:, keep], np.zeros((1, int(keep.sum())))])
            ct_v = sum(val[:, s_, None] * vk[idx[:, s_]] for s_ in range(idx.shape[1]))
            mt_v = (m.T @ vk[:-1]) / norm[:, None]
        ct_v[owned] -= own_coef[owned, None] * mt_v[owner[owned]]
        diag += (ct_v**2 / w[keep]).sum(axis=1)
    known = diag > 1 - 1e-6
    return [c for c in cells if known[col[c]] and values[c] != 0]


def _cells(name: str, full: pd.DataFrame) -> dict:
    values = full.to_numpy().astype(int).tolist()
    cols = list(full.columns)
    return {(name, r, c): v for r, row in zip(full.index, values) for c, v in zip(cols, row)}


def _mask(name: str, full: pd.DataFrame, hidden: set) -> pd.DataFrame:
    return pd.DataFrame(
        [[(name, r, c) in hidden for c in full.columns] for r in full.index],
        index=full.index,
        columns=full.columns,
    )


def protection_mask(
    counts: pd.DataFrame,
    threshold: int = disclosure.DEFAULT_THRESHOLD,
    row_totals: bool = True,
    col_totals: bool = True,
    forced=None,
    by_council: bool = False,
    residual: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table with its totals added (:func:`with_totals`), and which of its cells to
    suppress (:func:`suppress` over its rows and columns; ``forced``: a function of the
    threshold giving (row, column) labels hidden whatever their value; ``by_council``:
    rows are member councils, so a column's total is hidden wherever a part is;
    ``residual``: a column that is the rest of the total, whose region figure is hidden
    before the region's figures of the other columns)."""
    full = with_totals(counts, row_totals, col_totals)
    more = (lambda t: {("t", r, c) for r, c in forced(t)}) if forced else None
    lines = table_lines("t", full, row_totals, col_totals)
    sums = council_sums(lines) if by_council else ()
    values = _cells("t", full)
    cost = suppression_cost(values)
    if residual is not None:
        cell = ("t", TOTAL, residual)
        cost[cell] = cost[cell] - REGION_TOTAL_COST + COUNCIL_TOTAL_COST
    hidden = suppress(values, lines, threshold, more, sums, cost)
    return full, _mask("t", full, hidden)


def protect_table(
    counts: pd.DataFrame,
    threshold: int = disclosure.DEFAULT_THRESHOLD,
    row_totals: bool = True,
    col_totals: bool = True,
    forced=None,
    by_council: bool = False,
) -> pd.DataFrame:
    """A table of counts of people as a reader may see it: totals added, whole numbers
    as text, ``c`` where suppressed (:func:`protection_mask`)."""
    return shown_table(
        *protection_mask(counts, threshold, row_totals, col_totals, forced, by_council)
    )


def shown_table(full: pd.DataFrame, mask: pd.DataFrame) -> pd.DataFrame:
    """Whole numbers as text, ``c`` where ``mask`` is True."""
    text = np.array([f"{int(v):,}" for v in full.to_numpy().ravel()], dtype=object)
    text = np.where(mask.to_numpy().ravel(), disclosure.SUPPRESSED, text)
    return pd.DataFrame(text.reshape(full.shape), index=full.index, columns=full.columns)


def _named(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Council LA numbers as names (``"901 Northshire"``) in the index and columns."""
    rename = {c: names.get(c, c) for c in names}
    return table.rename(index=rename, columns=rename)


def council_labels(councils: list[str], names: dict[str, str] | None = None) -> dict[str, str]:
    """``{"301": "301 Barking and Dagenham"}``: the LA number and, when known, its name."""
    names = names or {}
    return {c: f"{c} {names[c]}" if c in names else c for c in councils}


@dataclass
class RegionalTables:
    """Every table a region's report or ``census pool`` shows, disclosure-controlled.

    Each value is a DataFrame of strings (``c`` where suppressed), first column the row
    label. ``by_year`` tables are keyed by census year.
    """

    councils: list[str]
    years: list[int]
    threshold: int
    #: worker records pooled (never shown: beside another pool's, a council's records)
    records: int
    coverage: pd.DataFrame
    movement_matrix: dict[int, pd.DataFrame] = field(default_factory=dict)
    net_flows: dict[int, pd.DataFrame] = field(default_factory=dict)
    leaver_outcomes: dict[int, pd.DataFrame] = field(default_factory=dict)
    agency_flows: dict[int, pd.DataFrame] = field(default_factory=dict)
    cooling_off: dict[int, pd.DataFrame] = field(default_factory=dict)
    experience: pd.DataFrame | None = None
    characteristics: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: cells hidden over the tables by year, and of them the primary ones (never shown)
    hidden_cells: tuple[int, int] = (0, 0)
    possible_unlinked: dict[int, pd.DataFrame] = field(default_factory=dict)
    #: the movement matrix and net flows of fixed pairs of years pooled (:func:`period_of`),
    #: keyed by :func:`period_label`
    pooled_matrix: dict[str, pd.DataFrame] = field(default_factory=dict)
    pooled_net_flows: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: files left out of the pool (``skip_invalid``): one line each, file, council-year, why
    excluded: list[str] = field(default_factory=list)
    excluded_json: list[dict] = field(default_factory=list)
    #: records with placeholder SWE numbers per council-year, as shown (``c`` if few)
    placeholders: pd.DataFrame | None = None
    #: whether the figures that depend on which councils are members are shown, and why
    membership: ms.Membership | None = None

    def withheld_lines(self, kind: str | None = None) -> list[str]:
        """Why the figures that depend on which councils are members are not shown (none
        when they are); with ``kind`` (a by-year table), why a year pooled has no such
        table (the returns it reads are not all pooled)."""
        m = self.membership
        if m is None or not m.shown:
            return [m.why] if m is not None else []
        if kind is None or not self.years:
            return []
        have = getattr(self, kind)
        if kind in ("pooled_matrix", "pooled_net_flows"):
            if have:
                return []
            if len(self.councils) > PERIOD_MAX_COUNCILS:
                return [
                    f"Not made for a pool of more than {PERIOD_MAX_COUNCILS} councils: "
                    f"between so many, a pair of councils rarely sees {self.threshold} "
                    "moves even in two years, and each council's totals are hidden with "
                    "its parts (on a national demo pool not one non-zero figure could be "
                    "shown)."
                ]
            return [f"No pair of years is complete in this pool: two years are pooled only in "
                    f"fixed pairs ({period_label(period_of(self.years[0]))}, and so on), "
                    "never overlapping, so no two reports' pooled figures can be set "
                    "against each other; a pair is shown once both years' leavers are "
                    "followed (the returns of both years and the year after pooled)."]  # fmt: skip
        gone = [y for y in self.years if y not in have]
        if not gone:
            return []
        first, last = self.years[0], self.years[-1]
        if kind == "cooling_off":
            return [f"Not shown for {first}: an engagement within cooling-off may follow a "
                    f"post left in the year before, whose returns ({first - 1}) are not "
                    "pooled."]  # fmt: skip
        out = []
        if kind == "possible_unlinked" and first in gone and len(self.years) > 1:
            before = first - 1
            out.append(
                f"Not shown for {first}: whether a starter is new to the region's "
                f"returns is asked of the year before's ({before}): not pooled."
            )
            gone = [y for y in gone if y != first]
        if gone:
            out.append(f"Not shown for {', '.join(map(str, gone))}: leavers are followed to "
                       "the next 30 September, so a year's are shown once the following "
                       f"year's returns are pooled ({last + 1} for {last}).")  # fmt: skip
        return out

    def left_out_lines(self) -> list[str]:
        """What is not in the linked tables, in words (first in every output): the files
        left out and the records with placeholder SWE numbers."""
        out = []
        if self.excluded:
            out.append(
                f"Left out of this pool ({len(self.excluded)} file"
                f"{'s' if len(self.excluded) != 1 else ''} with problems, --skip-invalid): "
                + "; ".join(self.excluded)
                + ". No figure here counts their records. Movements touching a council-year "
                "left out cannot be seen: that council's leavers of the year are missing, "
                "people who moved to it that year show as not seen again (or by a later "
                "step), and its leavers of the year before are followed without its return."
            )
        if self.placeholders is not None and len(self.placeholders):
            rows = self.placeholders.itertuples(index=False)
            listed = "; ".join(f"{r[0]} {r[1]}: {r[2]}" for r in rows)
            out.append(
                "Records with placeholder SWE numbers (XX..., written from an HR extract) "
                f"by council and census year: {listed}. They count in each council's own "
                "measures and in the region's social workers, but are left out of every "
                "table that links people (moves, leavers' next step, agency flows, "
                "cooling-off, post-qualifying experience, possible unlinked moves): those "
                "people's moves cannot be seen."
            )
        return out

    def to_json(self) -> dict:
        """Plain data for ``census pool --json``: every table as records."""

        def rec(df: pd.DataFrame) -> list[dict]:
            return json.loads(df.to_json(orient="records"))

        return {
            "councils": self.councils,
            "years": self.years,
            "registered_group": self.membership.group if self.membership else None,
            "membership_figures_shown": bool(self.membership and self.membership.shown),
            "membership_note": self.membership.why if self.membership else "",
            "threshold": self.threshold,
            "coverage": rec(self.coverage),
            "movement_matrix": {str(y): rec(t) for y, t in self.movement_matrix.items()},
            "net_flows": {str(y): rec(t) for y, t in self.net_flows.items()},
            "leaver_outcomes": {str(y): rec(t) for y, t in self.leaver_outcomes.items()},
            "agency_flows": {str(y): rec(t) for y, t in self.agency_flows.items()},
            "cooling_off": {str(y): rec(t) for y, t in self.cooling_off.items()},
            "experience": rec(self.experience) if self.experience is not None else [],
            "characteristics": {k: rec(t) for k, t in self.characteristics.items()},
            "possible_unlinked": {str(y): rec(t) for y, t in self.possible_unlinked.items()},
            "pooled_movement_matrix": {
                k.replace(" and ", "-"): rec(t) for k, t in self.pooled_matrix.items()
            },
            "pooled_net_flows": {
                k.replace(" and ", "-"): rec(t) for k, t in self.pooled_net_flows.items()
            },
            "excluded": self.excluded_json,
            "placeholder_records": rec(self.placeholders) if self.placeholders is not None else [],
            "left_out": self.left_out_lines(),
            "notes": self.notes,
        }

    def all_tables(self) -> dict[str, pd.DataFrame]:
        """Every table under its title (for text output, CSV and tests)."""
        out = {"Returns received": self.coverage}
        for kind, title in TITLES.items():
            for y, t in getattr(self, kind).items():
                out[title.format(y=y)] = t
        if self.experience is not None:
            out[f"Agency workers' post-qualifying experience, {self.years[-1]}"] = self.experience
        for k, t in self.characteristics.items():
            out[f"The region's social workers: {k}, {self.years[-1]}"] = t
        return out


def _leaver_tables(moves: pd.DataFrame, year: int, councils: list[str], threshold: int,
                   forced=None, unlinked: pd.DataFrame | None = None,
                   tied_totals: bool = True, problem: dict | None = None,
                   world: dict | None = None):  # fmt: skip
    """The three tables of one year's permanent leavers, protected together: the movement
    matrix (its row totals are each council's leavers to another member council, permanent
    or agency), their next step by outcome, and how many were next in agency work (the
    same or another council). Each is a sum of the others' cells, so a cell hidden in
    one could be worked out from the others unless hidden in all (:func:`suppress` over
    every table's lines and the lines joining them).

    With ``unlinked`` (:func:`workforce_lib.records.census.movements.unlinked_counts`), a
    fourth: each council's possible unlinked moves, a part of its leavers not seen again
    (its other part, the leavers not seen again less these, is never shown). The three
    tables are solved alone first, so they are the same in every pool that shows the
    year (a pool without the year before shows no fourth table: protected together,
    the three came out differently with and without it, and a reader of both reports
    pinned counts of 1-4); the fourth is then protected beside them
    (:func:`workforce_lib.records.sdc.protect_beside`: the three stay as they are), a
    council's parts hidden wherever its leavers not seen again are; the audit is over
    all four. ``tied_totals``: a pool of a registered group inside this one shows the
    region's totals less some councils' parts, so a total is hidden wherever a part is
    (:func:`suppress`'s ``sums``). ``problem``, when given, is filled with the cells
    (``values``), ``lines`` and the cells hidden at each threshold (``stages``): the
    two years pooled are protected beside them (:func:`_period_table`); ``problem["full"]``
    the same with the fourth table. ``world`` (:func:`_world`): the same year's tables of
    the registered groups inside this one, as their own reports protect them; this pool's
    tables are then protected beside them (:func:`workforce_lib.records.sdc.
    protect_beside`), each cell counted alike in both and holding the same people taken
    as one (:func:`_links`), so the two reports set side by side narrow no hidden cell."""
    m = with_totals(mv.movement_matrix(moves, year, councils))
    ly = moves[moves["year"] == year]
    oc = pd.crosstab(ly["from_council"], ly["outcome"].astype(str))
    oc = with_totals(oc.reindex(index=councils, columns=list(mv.OUTCOMES), fill_value=0))
    ag = with_totals(
        oc[[mv.TO_AGENCY_OTHER, mv.TO_AGENCY_SAME]].drop(index=TOTAL).sum(axis=1)
        .to_frame("to_agency"), row_totals=False,
    )  # fmt: skip
    values = {**_cells("m", m), **_cells("o", oc), **_cells("a", ag)}
    lines = table_lines("m", m) + table_lines("o", oc) + table_lines("a", ag, row_totals=False)
    for r in [*councils, TOTAL]:
        lines.append(([("o", r, mv.TO_PERMANENT_OTHER), ("o", r, mv.TO_AGENCY_OTHER)],
                      ("m", r, TOTAL)))  # fmt: skip
        lines.append(([("o", r, mv.TO_AGENCY_OTHER), ("o", r, mv.TO_AGENCY_SAME)],
                      ("a", r, "to_agency")))  # fmt: skip
    sums = []
    stages: dict = {}
    if tied_totals:
        sums = council_sums(table_lines("m", m) + table_lines("o", oc))
        sums += council_sums(table_lines("a", ag, row_totals=False))
    tables = [("m", m), ("o", oc), ("a", ag)]
    # the three tables alone first: they are the same in every pool that shows the year,
    # whether or not it shows the possible unlinked moves (which need the year before)
    base = (lambda t: {c for c in forced(t) if c[0] != "u"}) if forced else None
    own_values, own_lines = dict(values), list(lines)
    if world:
        values.update(world["values"])
        lines += world["lines"] + _links(own_values, world, (year,))
        everything: dict = {}
        hidden = sdc.protect_beside(values, lines, disclosure.check_threshold(threshold),
                                    lambda t: world["stages"].get(t, set()), set(own_values),
                                    base, suppression_cost(values), sums, stages=everything,
                                    free=_known(lines, world))  # fmt: skip
        stages = {t: h & own_values.keys() for t, h in everything.items()}
    else:
        hidden = suppress(values, lines, threshold, base, sums, stages=stages)
    if problem is not None:
        problem.update(values=own_values, lines=own_lines, stages=dict(stages))
        problem["full"] = {"values": own_values, "lines": own_lines, "stages": dict(stages)}
    if unlinked is not None:
        uy = unlinked[unlinked["year"] == year].set_index("council")["possible"]
        u = pd.DataFrame({"possible": uy.reindex(councils, fill_value=0)})
        u["rest"] = oc[mv.NOT_SEEN].drop(index=TOTAL).to_numpy() - u["possible"].to_numpy()
        u = with_totals(u, row_totals=False)
        u_values = _cells("u", u)
        values.update(u_values)
        u_lines = table_lines("u", u, row_totals=False)
        u_lines += [([("u", r, "possible"), ("u", r, "rest")], ("o", r, mv.NOT_SEEN))
                    for r in [*councils, TOTAL]]  # fmt: skip
        lines += u_lines
        tables.append(("u", u))
        later = set(u_values)
        lines += _links(u_values, world, (year,)) if world else []

        def u_forced(t: int) -> set:
            mine = {c for c in forced(t) if c[0] == "u"} if forced else set()
            return mine | _unlinked_tied(stages[t])

        def fixed(t: int) -> set:
            return stages[t] | (world["stages"].get(t, set()) if world else set())

        u_stages: dict = {}
        hidden = sdc.protect_beside(values, lines, disclosure.check_threshold(threshold),
                                    fixed, later, u_forced, _unlinked_cost(values),
                                    council_sums(table_lines("u", u, row_totals=False))
                                    if tied_totals else (), stages=u_stages,
                                    free=_known(lines, world) if world else None)  # fmt: skip
        if problem is not None:
            problem["full"] = {
                "values": {**own_values, **u_values},
                "lines": own_lines + u_lines,
                "stages": {t: h & (own_values.keys() | later) for t, h in u_stages.items()},
            }
    return [(f, _mask(n, f, hidden)) for n, f in tables]


#: Years pooled in the two-year tables: fixed pairs of census years, the first odd
#: (2021 and 2022, 2023 and 2024, ...). Pairs never overlap, so no two reports' pooled
#: figures differ by one year's (a rolling pair would: 2023-2024 less 2024-2025 is
#: 2023's cell less 2025's, and a year's hidden cell would follow).
PERIOD_YEARS = 2
#: Pools of more councils than this (a DfE region has at most 33) have no two-year
#: tables: on a national demo pool (153 councils) not one non-zero pooled cell could be
#: shown (a pair of councils rarely sees 5 moves in two years, and a council's totals
#: are hidden with its parts), while protecting them took longer than every other table.
PERIOD_MAX_COUNCILS = 40


def period_of(year: int) -> tuple[int, ...]:
    """The fixed pair of census years (:data:`PERIOD_YEARS`) that ``year`` belongs to.

    >>> period_of(2023), period_of(2024), period_of(2025)
    ((2023, 2024), (2023, 2024), (2025, 2026))
    """
    first = year - (year - 1) % PERIOD_YEARS
    return tuple(range(first, first + PERIOD_YEARS))


def period_label(period: tuple[int, ...]) -> str:
    """``2023 and 2024``."""
    return " and ".join(map(str, period))


def _period_table(moves: pd.DataFrame, paths: pd.Series, period: tuple[int, ...],
                  problems: dict, councils: list[str], threshold: int,
                  membership: ms.Membership, tied_totals: bool,
                  world: dict | None = None, problem: dict | None = None):  # fmt: skip
    """The movement matrix of the years of ``period`` pooled (cells added up year by
    year), protected beside those years' leaver tables: their cells hidden at each
    threshold stay as they are (``problems``: each year's cells, lines and hidden cells
    by threshold, from :func:`_leaver_tables`), so every report showing a year shows it
    alike, and the pooled matrix's cells are hidden so that the audit over every table
    of both years and the pooled one passes (:func:`workforce_lib.records.sdc.
    protect_beside`). Beside a registered group's pool inside this one, its cells are
    hidden where a group of leavers whose cell differs between the pools numbers 1 to
    ``t - 1`` over the two years (:func:`leaver_membership`); beside the tables of the
    registered groups inside it (``world``: their years' and pairs', :func:`_world`),
    as :func:`_leaver_tables`. Returns the matrix with its totals and its mask;
    ``problem``, when given, is filled with the pooled cells, their lines (the years'
    cells named ``(year, *cell)``) and those hidden at each threshold."""
    pm = sum(mv.movement_matrix(moves, y, councils) for y in period)
    pm = with_totals(pm)
    values = _cells("p", pm)
    later = set(values)
    own_lines = table_lines("p", pm)
    own_lines += [([(y, "m", r, c) for y in period], ("p", r, c))
                  for r in pm.index for c in pm.columns]  # fmt: skip
    lines = list(own_lines)
    both = _empty_world()  # the years' tables, cells named (year, *cell)
    for y in period:
        _put(both, problems[y], lambda c, y=y: (y, *c))
    years_values = both["values"]
    lines += both["lines"]
    if world:
        lines += world["lines"] + _links(values, world, (period,))
        lines += _links(years_values, world, ())
    values.update(years_values)
    values.update(world["values"] if world else {})
    pooled = moves[moves["year"].isin(period)].assign(year=period[0])
    by_group = leaver_membership(pooled, paths, period[0], membership)

    def forced(t: int) -> set:
        return {("p", r, c) for n, r, c in by_group(t) if n == "m"}

    def fixed(t: int) -> set:
        return both["stages"][t] | (world["stages"].get(t, set()) if world else set())

    sums = council_sums(table_lines("p", pm)) if tied_totals else ()
    stages: dict = {}
    hidden = sdc.protect_beside(values, lines, disclosure.check_threshold(threshold), fixed,
                                later, forced, suppression_cost(values), sums,
                                stages=stages,
                                free=_known(lines, world) if world else None)  # fmt: skip
    if problem is not None:
        problem.update(values={c: values[c] for c in later}, lines=own_lines,
                       stages={t: h & later for t, h in stages.items()})  # fmt: skip
    return pm, _mask("p", pm, hidden)


def _world(exports: dict, years: set, period: tuple[int, ...]) -> dict | None:
    """The tables of the registered groups inside a pool (``exports``: each group's own,
    :func:`_protected_leavers`), as their reports protect them, that a table of this
    pool is published beside: each group's leaver tables of ``years`` and its pair
    ``period`` (with the pair's years), where it shows them. Cells are named
    ``("in", group, year or pair, *cell)``; ``stages``: those hidden at each threshold.
    None where no group shows any."""
    world = _empty_world()
    for g, ex in exports.items():
        tag = _tag(g)
        world["tags"].append(tag)
        pair = ex["pairs"].get(period)
        wanted = set(years) | (set(period) if pair is not None else set())
        parts = [(ex["years"][y], (y,)) for y in sorted(wanted) if y in ex["years"]]
        if pair is not None:
            parts.append((pair, (period,)))
        for pr, prefix in parts:

            def named(c, tag=tag, prefix=prefix):
                # a pair's lines name its years' cells (year, *cell)
                return ("in", tag, *c) if isinstance(c[0], int) else ("in", tag, *prefix, *c)

            _put(world, pr, named)
    return world if world["values"] else None


def _empty_world() -> dict:
    """Cells, lines, hidden cells at each threshold and group names of :func:`_world`."""
    return {"values": {}, "lines": [], "stages": {}, "tags": []}


def _put(world: dict, problem: dict, named) -> None:
    """Add a protected table's cells, lines and hidden cells at each threshold
    (``problem``) to ``world`` under new names (``named``: a cell's name there).

    >>> w = _empty_world()
    >>> _put(w, {"values": {"a": 1, "t": 1}, "lines": [(["a"], "t")], "stages": {5: {"a"}}},
    ...      lambda c: ("g", c))
    >>> w["lines"], w["stages"]
    ([([('g', 'a')], ('g', 't'))], {5: {('g', 'a')}})
    """
    world["values"].update({named(c): v for c, v in problem["values"].items()})
    world["lines"] += [([named(c) for c in cells], None if tot is None else named(tot))
                       for cells, tot in problem["lines"]]  # fmt: skip
    for t, h in problem["stages"].items():
        world["stages"].setdefault(t, set()).update(named(c) for c in h)


#: The leaver outcomes a council's leavers count in alike in a pool and in a registered
#: group's pool inside it, unless their path went through a council outside the group
#: first: those back at the same council (permanent or agency), and all its leavers.
SAME_IN_GROUP = (mv.REJOINED, mv.TO_AGENCY_SAME, TOTAL)


def _same_cell(cell: tuple) -> bool:
    """Whether a leaver table's cell (``(table, row, column)``, or a year's ``(year,
    table, row, column)``) counts the same people in a pool and in a registered group's
    pool holding its council(s), unless they passed through a council outside the group
    first: a move between two councils (a year's or two years' pooled), a council's
    leavers back at the same council, and all its leavers. The rest depend on which
    councils are members by their meaning (totals over member councils, moves to
    "another member council", leavers not seen again at any, possible unlinked moves).

    >>> _same_cell(("m", "901", "902")), _same_cell((2023, "m", "901", TOTAL))
    (True, False)
    >>> _same_cell(("o", "901", TOTAL)), _same_cell(("o", TOTAL, TOTAL))
    (True, False)
    """
    kind, row, col = cell[1:] if isinstance(cell[0], int) else cell
    if row == TOTAL:
        return False
    if kind in ("m", "p"):
        return col not in (TOTAL, row)
    return kind == "o" and col in SAME_IN_GROUP


def _links(mine: dict, world: dict, prefix: tuple) -> list:
    """Lines saying a cell of this pool (``mine``: cells and their people) is the same
    cell of a registered group's table inside it (:func:`_world`, the cell named with
    ``prefix``), wherever the two count the same people by their meaning
    (:func:`_same_cell`) and hold the same number: a reader who takes the two as one
    learns nothing (where they differ, leavers passed through a council outside the
    group first, and the two are not one; :func:`leaver_membership` hides such
    groups of fewer people than the threshold).

    >>> w = {"values": {("in", "g", 2023, "m", "1", "2"): 3}, "tags": ["g"]}
    >>> _links({("m", "1", "2"): 3, ("m", "2", "1"): 4}, w, (2023,))
    [([('m', '1', '2')], ('in', 'g', 2023, 'm', '1', '2'))]
    """
    out = []
    for tag in world["tags"]:
        for c, v in mine.items():
            other = ("in", tag, *prefix, *c)
            if _same_cell(c) and world["values"].get(other, -1) == v:
                out.append(([c], other))
    return out


def _known(lines: list, world: dict):
    """The cells of this pool (a function of the threshold) that the reports of the
    registered groups inside it give whatever this pool shows: each cell the world
    shows at ``t`` (:func:`_world`), and every cell ``lines`` then fix one by one (a
    line's last unknown cell; :func:`_links` make a cell counted alike one of them).
    Hidden here they need no interval (:func:`workforce_lib.records.sdc.secondary`'s
    ``free``): a reader has them from the other reports.

    >>> w = {"values": {("in", "g", 1): 3, ("in", "g", 2): 4}, "stages": {5: set()}}
    >>> lines = [([("a",)], ("in", "g", 1)), ([("a",), ("b",)], ("t",))]
    >>> sorted(_known(lines, w)(5))
    [('a',)]
    """
    touching: dict = {}
    for k, (parts, total) in enumerate(lines):
        if total is not None:
            for c in {*parts, total}:
                touching.setdefault(c, []).append(k)

    def at(t: int) -> set:
        hidden = world["stages"].get(t, set())
        known = {c for c in world["values"] if c not in hidden}
        todo = [k for c in known for k in touching.get(c, ())]
        while todo:
            parts, total = lines[todo.pop()]
            unknown = {c for c in (*parts, total) if c not in known}
            if len(unknown) == 1:
                (c,) = unknown
                known.add(c)
                todo += touching.get(c, ())
        return {c for c in known if c not in world["values"]}

    return at


def _inner_exports(w: pd.DataFrame, years: list[int], leaver_years: list[int],
                   threshold: int, membership: ms.Membership, done: dict) -> dict:  # fmt: skip
    """Each registered group inside this pool's leaver tables and pairs as its own
    report protects them (:func:`_protected_leavers` over its councils' records: the
    same returns of the same years), smallest first (a group inside another is
    protected first; ``done`` keeps each once). None for a pool of fictional councils
    (every set of them is a group: the rule of :func:`leaver_membership` stands)."""
    if (not membership.shown or membership.group == ms.FICTIONAL_GROUP
            or not membership.inside or not leaver_years):  # fmt: skip
        return {}
    for g in sorted(membership.inside, key=lambda g: (len(g), sorted(g))):
        if g not in done:  # a group inside another first
            done[g] = _inner_export(w, g, years, leaver_years, threshold, membership, done)
    return {g: done[g] for g in membership.inside}


def _inner_export(w: pd.DataFrame, g: frozenset, years: list[int], leaver_years: list[int],
                  threshold: int, membership: ms.Membership, done: dict) -> dict:  # fmt: skip
    """One registered group's export (:func:`_inner_exports`), the groups inside it
    already in ``done``."""
    inner = ms.Membership(_tag(g), True, "", tuple(h for h in membership.inside if h < g))
    wg = w[w["council"].isin(g)].reset_index(drop=True)
    sg = mv.spells(wg)
    mg = mv.leaver_moves(wg, sg)
    ug = mv.possible_unlinked_moves(wg, mg, sg)
    cg = sorted(g)
    ung = mv.unlinked_counts(ug, cg, years)
    flows = (wg, sg, mg, ug, ung, leaver_paths(mg, sg))
    _, _, export, _ = _protected_leavers(*flows, cg, years, leaver_years, threshold, inner,
                                         done=done)  # fmt: skip
    export["unlinked_n"] = ung  # :func:`_unlinked_inside` of a pool holding it
    problems = _agency_problems(wg, sg, mg, rules.engagements(wg, sg), cg, years, inner)
    theirs = {h: done[h] for h in inner.inside}
    _, export["agency"] = _protect_agency(problems, threshold, bool(inner.inside), theirs)
    return export


def _agency_problems(w: pd.DataFrame, s: pd.DataFrame, moves: pd.DataFrame,
                     eng: pd.DataFrame, councils: list[str], years: list[int],
                     membership: ms.Membership) -> dict:  # fmt: skip
    """A pool's tables of agency work that rest on its members' records (``w``, their
    spells ``s``, leavers ``moves`` and agency engagements ``eng``): each year's agency
    workers who started a permanent post and cooling-off (with the year before pooled:
    they look back), and the last year's agency workers' experience (with the year
    before). ``{key: (counts, forced, residual column or None, columns linked, row
    totals)}``, keys ``("conv", year)``, ``("cool", year)`` and ``("exp", year)``;
    none where the pool shows no figure that depends on its members. Linked columns:
    a council's figures that count the same people in a pool of a registered group
    inside this one where the two are equal (:func:`_protect_agency`): its agency
    engagements (starting, or running at 30 September) and those whose start is not
    known count the same people whatever the members; its agency workers who took a
    permanent post came from agency work at any member council, so the group's are
    some of this pool's, and all of them where the numbers are equal (review 22)."""
    out: dict = {}
    if not membership.shown:
        return out
    conv = mv.conversions(w, s)
    agency_f = mv.agency_flows(moves, conv, councils, years)
    coolf = rules.cooling_off_counts(eng, councils, years)
    for y in years:
        if y - 1 not in years:
            continue
        af = agency_f[agency_f["year"] == y].set_index("council")[["from_agency"]]
        forced = _pair_membership(conv[conv["year"] == y], "to_council", "agency_council",
                                  ["from_agency"], membership)  # fmt: skip
        out[("conv", y)] = (af, forced, None, ("from_agency",), False)
        cy = coolf[coolf["year"] == y].set_index("council")
        cool = pd.DataFrame(
            {
                "Within cooling-off (rules in force)": cy["within"],
                "Within cooling-off, exempt: redundancy": cy["exempt"],
                "Within 3 months, before 31 Oct 2024": cy["before_rules"],
                COOLING_REST: cy["engagements"]
                - cy[["within", "exempt", "before_rules", "start_unknown"]].sum(axis=1),
                COOLING_UNKNOWN: cy["start_unknown"],
            }
        )
        forced = _pair_membership(eng[eng["year"] == y], "council", "left_council",
                                  list(cool.columns[:-1]), membership)  # fmt: skip
        out[("cool", y)] = (cool, forced, COOLING_REST, (TOTAL, COOLING_UNKNOWN), True)
    last = years[-1]
    if last - 1 in years:
        recent = w[w["year"] >= last - 1].reset_index(drop=True)
        eng_recent = rules.engagements(recent, mv.spells(recent))
        pqe = rules.pqe_counts(eng_recent, councils, last)
        forced = _experience_membership(eng_recent, recent, last, membership)
        out[("exp", last)] = (pqe, forced, None, (TOTAL,), True)
    return out


def _protect_agency(problems: dict, threshold: int, tied: bool, exports: dict):
    """Each agency table (:func:`_agency_problems`) protected (:func:`suppress` over its
    rows and columns; a column's total hidden wherever a part is where ``tied``; the
    residual column's region figure hidden before the others'), beside the same table
    of each registered group inside the pool (``exports``: theirs, as their reports
    protect them), a council's figures in the linked columns taken as the group's where
    equal (:func:`_agency_problems`): ``({key: (full, mask)}, {key: cells, lines and
    those hidden at each threshold})``."""
    masks, export = {}, {}
    for key, (counts, forced, residual, same, row_totals) in problems.items():
        full = with_totals(counts, row_totals=row_totals)
        values = _cells("t", full)
        lines = table_lines("t", full, row_totals=row_totals)
        sums = council_sums(lines) if tied else ()
        cost = suppression_cost(values)
        if residual is not None:
            cell = ("t", TOTAL, residual)
            cost[cell] = cost[cell] - REGION_TOTAL_COST + COUNCIL_TOTAL_COST

        def more(t: int, forced=forced) -> set:
            return {("t", r, c) for r, c in forced(t)}

        world = _agency_world(exports, key)
        stages: dict = {}
        if world is None:
            hidden = suppress(values, lines, threshold, more, sums, cost, stages=stages)
        else:
            links = [([c], other) for tag in world["tags"] for c, v in values.items()
                     if c[1] != TOTAL and c[2] in same
                     and world["values"].get(other := ("in", tag, key, *c), -1) == v]  # fmt: skip
            every = {**values, **world["values"]}
            all_lines = lines + world["lines"] + links
            cost.update({c: v + 1.0 for c, v in world["values"].items()})
            everything: dict = {}
            hidden = sdc.protect_beside(every, all_lines, disclosure.check_threshold(threshold),
                                        lambda t: world["stages"].get(t, set()), set(values),
                                        more, cost, sums, stages=everything,
                                        free=_known(all_lines, world))  # fmt: skip
            stages = {t: h & values.keys() for t, h in everything.items()}
        masks[key] = (full, _mask("t", full, hidden))
        export[key] = {"values": values, "lines": lines, "stages": stages}
    return masks, export


def _agency_world(exports: dict, key: tuple) -> dict | None:
    """The agency table ``key`` of each registered group inside a pool, as their reports
    protect it (:func:`_protect_agency`), cells named ``("in", group, key, *cell)``."""
    world = _empty_world()
    for g, ex in exports.items():
        pr = ex.get("agency", {}).get(key)
        if pr is None:
            continue
        tag = _tag(g)
        world["tags"].append(tag)
        _put(world, pr, lambda c, tag=tag: ("in", tag, key, *c))
    return world if world["values"] else None


def _protected_leavers(w, s, moves, unlinked, unlinked_n, paths, councils: list[str],
                       years: list[int], leaver_years: list[int], threshold: int,
                       membership: ms.Membership, meanwhile=None,
                       done: dict | None = None):  # fmt: skip
    """Every year's leaver tables (:func:`_leaver_tables`) and the pairs of years pooled
    (:func:`_period_table`) of a pool (its records ``w``, spells ``s``, leavers
    ``moves`` and their ``paths``, possible unlinked moves and their counts), each
    beside the same tables of the registered groups inside it (:func:`_inner_exports`).
    Returns ``(leaver tables by year, pooled matrices by pair, export, meanwhile())``:
    the export is what a group holding this one is protected beside (:func:`_world`);
    ``meanwhile`` is run on the calling thread while the years are solved."""
    exports = _inner_exports(w, years, leaver_years, threshold, membership,
                             {} if done is None else done)  # fmt: skip
    tied = bool(membership.inside)
    theirs = {g: e["unlinked_n"] for g, e in exports.items()}
    inside_u = (_unlinked_inside(w, unlinked_n, membership, years, theirs)
                if membership.shown else {})  # fmt: skip
    problems: dict[int, dict] = {y: {} for y in years}

    def leavers_of(y: int, moves: pd.DataFrame, paths: pd.Series, unlinked, unlinked_n):
        forced = leaver_membership(moves, paths, y, membership)
        world = _world(exports, {y}, period_of(y))
        if y - 1 not in years:  # "new to the region's returns" asks the year before's
            return _leaver_tables(moves, y, councils, threshold, forced, None, tied,
                                  problems[y], world)  # fmt: skip
        uy = unlinked[unlinked["year"] == y]
        pairs = _pair_membership(uy, "from_council", "to_council", ["possible", "rest"], membership)
        inside = inside_u.get(y, _below([]))
        both = _with_unlinked(forced, lambda t: pairs(t) | inside(t))
        return _leaver_tables(moves, y, councils, threshold, both, unlinked_n, tied,
                              problems[y], world)  # fmt: skip

    # each year's leaver tables are one problem apart from the others; HiGHS lets go of
    # the interpreter while it solves, so two years are solved at once on two cores
    # (each with its own copies of the frames; a copy's index shares its lazily built
    # cache with the original, which is safe here: these frames have a RangeIndex,
    # for which pandas builds no hash table)
    with ThreadPoolExecutor(max_workers=max(1, min(SOLVER_THREADS, len(leaver_years)))) as ex:
        jobs = [ex.submit(leavers_of, y, moves.copy(), paths.copy(), unlinked.copy(),
                          unlinked_n.copy()) for y in leaver_years]  # fmt: skip
        # meanwhile, on this thread, the region's social workers (its own tables)
        extra = meanwhile() if meanwhile is not None else None
        leaver_tables = {y: job.result() for y, job in zip(leaver_years, jobs, strict=True)}
        # fixed pairs of years pooled, each once both its years' tables are protected
        periods = sorted({period_of(y) for y in leaver_years
                          if set(period_of(y)) <= set(leaver_years)})  # fmt: skip
        if len(councils) > PERIOD_MAX_COUNCILS:
            periods = []
        pair_problems: dict = {p: {} for p in periods}
        pjobs = [ex.submit(_period_table, moves.copy(), paths.copy(), p, problems, councils,
                           threshold, membership, tied, _world(exports, set(p), p),
                           pair_problems[p]) for p in periods]  # fmt: skip
        pooled = {p: job.result() for p, job in zip(periods, pjobs, strict=True)}
    export = {"years": {y: problems[y]["full"] for y in leaver_years}, "pairs": pair_problems}
    return leaver_tables, pooled, export, extra


def _unlinked_tied(hidden: set) -> set:
    """The possible-unlinked table's cells of each council (and the region) whose leavers
    not seen again are hidden: both parts hidden, the table's relation to the leaver
    tables narrows none of their hidden cells."""
    return {("u", r, c) for n, r, o in hidden if n == "o" and o == mv.NOT_SEEN
            for c in ("possible", "rest")}  # fmt: skip


def _unlinked_cost(values: dict) -> dict:
    """:func:`suppression_cost`, the never-shown ``rest`` column (leavers not seen again
    less the possible unlinked moves) costing 1 a cell: hiding it hides nothing shown."""
    cost = suppression_cost(values)
    cost.update({c: 1.0 for c in values if c[0] == "u" and c[2] == "rest"})
    return cost


def leaver_paths(moves: pd.DataFrame, spells_: pd.DataFrame) -> pd.Series:
    """Each leaver's spells in the region from leaving to the day they are followed to,
    in the order :func:`workforce_lib.records.census.movements.leaver_moves` takes them, as a
    tuple of (council, kind): which member councils decide their outcome.

    >>> mv_ = pd.DataFrame({"person": ["p"], "from_council": ["1"],
    ...     "left": pd.to_datetime(["2025-01-31"]), "followed_to": pd.to_datetime(["2025-09-30"])})
    >>> sp = pd.DataFrame({"person": ["p", "p"], "council": ["2", "3"], "kind": ["agency",
    ...     "permanent"], "begins": pd.to_datetime(["2025-03-01", "2025-06-01"])})
    >>> leaver_paths(mv_, sp).tolist()
    [(('2', 'agency'), ('3', 'permanent'))]
    """
    lv = pd.DataFrame({"row": np.arange(len(moves)), "person": moves["person"].to_numpy(),
                       "left": moves["left"].to_numpy(),
                       "followed_to": moves["followed_to"].to_numpy()})  # fmt: skip
    held_cols = [c for c in ("ends", "last_seen") if c in spells_.columns]
    c = lv.merge(spells_[["person", "council", "kind", "begins", *held_cols]], on="person")
    after = (c["begins"] >= c["left"]) & (c["begins"] <= c["followed_to"])
    if len(held_cols) == 2 and "from_council" in moves.columns:
        # a post elsewhere under way on the leaving day (a second job, or a move that
        # overlapped it) decides the outcome as much as a later one
        home = moves["from_council"].astype(str).to_numpy()[c["row"].to_numpy()]
        held = (c["ends"] > c["left"]) | (c["ends"].isna() & (c["last_seen"] >= c["left"]))
        after |= (c["begins"] < c["left"]) & held & (c["council"].astype(str) != home)
    c = c[after]
    c = c.sort_values(["row", "begins", "kind", "council"], kind="stable")
    steps = pd.Series(list(zip(c["council"], c["kind"], strict=True)), index=c["row"].to_numpy())
    paths = steps.groupby(level=0).agg(tuple)
    return pd.Series([paths.get(i, ()) for i in range(len(moves))], index=moves.index)


def _outcome_of(step: tuple, home: str) -> str:
    """The outcome a step of a leaver's path gives when its council is a member (a post
    elsewhere held on the leaving day may give :data:`~workforce_lib.records.census.
    movements.SECOND_JOB` as well: :func:`leaver_membership` adds it)."""
    council, kind = step
    if council == home:
        return mv.REJOINED if kind == mv.PERMANENT else mv.TO_AGENCY_SAME
    return mv.TO_PERMANENT_OTHER if kind == mv.PERMANENT else mv.TO_AGENCY_OTHER


def _below(groups: list[tuple[int, set]]):
    """The forced cells at a threshold: those of every group of 1 to ``t - 1`` people."""
    return lambda t: set().union(set(), *(cells for n, cells in groups if n < t))


def leaver_membership(moves: pd.DataFrame, paths: pd.Series, year: int,
                      membership: ms.Membership):  # fmt: skip
    """The leaver tables' cells (:func:`_leaver_tables`) hidden because the pool of a
    registered group inside this one (``membership``) would give away a count below the
    threshold beside it (a function of the threshold).

    A leaver's outcome depends on which councils are members only through the other
    councils on their path (:func:`leaver_paths`). A council's leavers with the same path
    are one group: two pools put the whole group in the same cell, or each in one
    fixed cell, so a figure's difference between two pools is a sum of whole groups.
    Where a group whose cells differ between this pool and a registered group's inside
    it (:meth:`~workforce_lib.records.census.membership.Membership.varies`) numbers 1 to
    ``t - 1``, every cell it can land in over the pools is hidden: the council's moves to
    member councils, its outcomes on the path and "not seen", its leavers into agency
    work, and the region's totals of those; a move to the second council on a path too
    (it counts only when the first is not a member). A pool holding no registered group
    hides nothing here: no other pool shows these figures for a set of its councils.
    """
    ly = moves[moves["year"] == year]
    if ly.empty:
        return _below([])
    sizes = pd.Series(1, index=ly.index).groupby(
        [ly["from_council"].to_numpy(), paths.loc[ly.index].to_numpy()]).size()  # fmt: skip
    groups = []
    for (home, path), n in sizes.items():
        others = [c for c, _ in path if c != home]
        if not others or not membership.varies(home, others):
            continue
        outs = {_outcome_of(step, home) for step in path} | {mv.NOT_SEEN, mv.SECOND_JOB}
        cells = {("m", home, TOTAL), ("m", TOTAL, TOTAL)}
        cells |= {("m", TOTAL, x) for x in others}
        cells |= {("m", home, x) for x in others[1:]}
        cells |= {(("o", r, o)) for r in (home, TOTAL) for o in outs}
        if outs & set(mv.INTO_AGENCY):
            cells |= {("a", home, "to_agency"), ("a", TOTAL, "to_agency")}
        groups.append((int(n), cells))
    return _below(groups)


def _pair_membership(pairs: pd.DataFrame, home: str, other: str, columns: list,
                     membership: ms.Membership) -> object:  # fmt: skip
    """Cells (row, column) hidden at a threshold where a council's count that comes
    through another member council (``pairs``: one row per person, the council ``home``
    counted at and the ``other`` it came through) numbers 1 to ``t - 1`` and a registered
    group inside this pool holds one of the two councils but not both (``membership``):
    that council's ``columns`` and the region's (the two pools differ by it)."""
    p = pairs[pairs[other].notna() & (pairs[other] != pairs[home])]
    sizes = p.groupby([p[home], p[other]]).size()
    groups = [(int(n), {(r, c) for r in (h, TOTAL) for c in columns})
              for (h, o), n in sizes.items() if membership.varies(h, [o])]  # fmt: skip
    return _below(groups)


def _unlinked_inside(workers: pd.DataFrame, unlinked_n: pd.DataFrame,
                     membership: ms.Membership, years: list[int],
                     counted: dict | None = None) -> dict:  # fmt: skip
    """Each year's possible-unlinked cells (row, column) hidden at a threshold because the
    pool of a registered group inside this one counts a council's possible unlinked moves
    differently by 1 to ``t - 1``: a starter matching a leaver is "new to the region"
    only if no spell of theirs begins earlier at a member council, so a starter once at a
    council outside the group is new in its pool and not in this one (that leaver is no
    pair of :func:`_pair_membership`: not possible here, possible there). Counted
    exactly, from each group's own pool of these records (``counted``: each group's
    counts where already made, :func:`_inner_exports`)."""
    mine = unlinked_n.set_index(["council", "year"])["possible"]
    groups: dict[int, list] = {y: [] for y in years}
    for g in membership.inside:
        theirs = (counted or {}).get(g)
        if theirs is None:
            wg = workers[workers["council"].isin(g)]
            sg = mv.spells(wg)
            mg = mv.leaver_moves(wg, sg)
            theirs = mv.unlinked_counts(mv.possible_unlinked_moves(wg, mg, sg), sorted(g), years)
        for c, y, n in theirs[["council", "year", "possible"]].itertuples(index=False):
            d = abs(int(mine.get((c, y), 0)) - int(n))
            if d:
                groups[y].append((d, {(r, col) for r in (c, TOTAL)
                                      for col in ("possible", "rest")}))  # fmt: skip
    return {y: _below(gs) for y, gs in groups.items()}


def _experience_membership(eng: pd.DataFrame, workers: pd.DataFrame, year: int,
                           membership: ms.Membership) -> object:  # fmt: skip
    """The experience table's cells (:func:`rules.pqe_counts`) hidden at a threshold: an
    engagement's experience rests on the worker's records at any member council (newly
    qualified there, or in the ASYE), so where 1 to ``t - 1`` of a council's engagements
    are of people with records at another council that a registered group inside this
    pool holds apart from it (:func:`_pair_membership`), its row and the region's."""
    ref = pd.Timestamp(year, 9, 30)
    on = eng[(eng["seen"] <= ref) & (eng["last_seen"] >= ref)]
    where = workers[["person", "council"]].drop_duplicates()
    pairs = on[["council", "person"]].merge(
        where.rename(columns={"council": "record_council"}), on="person"
    )
    return _pair_membership(pairs, "council", "record_council", list(rules.PQE_STATUSES),
                            membership)  # fmt: skip


def _tally(tally: list[int], full: pd.DataFrame, mask: pd.DataFrame, threshold: int) -> None:
    """Add a protected table's hidden cells to ``tally`` ([hidden, of which fewer than
    ``threshold`` people]; the second is for tests and benchmarks, never shown)."""
    m = mask.to_numpy()
    v = full.to_numpy()
    tally[0] += int(m.sum())
    tally[1] += int((m & (v > 0) & (v < threshold)).sum())


def hidden_note(hidden: int, threshold: int) -> str:
    """The report's words on its hidden cells. How many are primary is not said: beside
    a line's shown total, "one of these two is below 5" narrows what each can be.

    >>> hidden_note(12, 5)[:72]
    '12 figures of the tables of moves and flows are shown as c. Some count f'
    """
    return (
        f"{hidden:,} figures of the tables of moves and flows are shown as c. Some count "
        "fewer than "
        f"{threshold} people (primary suppression); the others are hidden to protect "
        "those (secondary suppression: chosen to hide as few people as possible, so that "
        "no figure shown here, alone or with the others, with this report at another "
        "threshold or with a pool of other member councils, lets a reader narrow a "
        f"hidden figure to fewer than {threshold} possible values). Which is which is "
        "not said: that too would narrow them."
    )


def _signed(n: int) -> str:
    """``+3``, ``-2``, ``0``."""
    return f"{n:+,}" if n else "0"


def _labelled(shown: pd.DataFrame, label: str) -> pd.DataFrame:
    out = shown.reset_index()
    out.columns = [label, *[str(c) for c in shown.columns]]
    return out


def _with_unlinked(forced, unlinked_forced):
    """The leaver tables' forced cells (:func:`leaver_membership`) and those of the
    possible-unlinked table (``unlinked_forced``: (row, column) pairs), as one function of
    the threshold."""
    return lambda t: forced(t) | {("u", *cell) for cell in unlinked_forced(t)}


def placeholder_table(pool: Pool, labels: dict[str, str], threshold: int) -> pd.DataFrame:
    """Records with a placeholder SWE number per council-year that has any
    (:attr:`Pool.placeholders`): council, census year, records (``c`` for 1 to
    ``threshold - 1``, as any count of people)."""
    rows = [
        {"Council": labels.get(c, c), "Census year": y,
         "Records with placeholder SWE numbers": disclosure.SUPPRESSED
         if 0 < n < threshold else f"{n:,}"}
        for (c, y), n in sorted(pool.placeholders.items())
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["Council", "Census year",
                                       "Records with placeholder SWE numbers"])  # fmt: skip


def _matrix_and_flows(full: pd.DataFrame, mask: pd.DataFrame, councils: list[str],
                      labels: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """A protected movement matrix as a reader sees it, and its net flows: each council's
    moves in and out (the matrix's totals) and the difference, shown only where both
    are."""
    shown = shown_table(full, mask)
    out_ = shown[TOTAL].drop(TOTAL)
    in_ = shown.loc[TOTAL].drop(TOTAL)
    net = [
        _signed(int(full.at[TOTAL, c]) - int(full.at[c, TOTAL]))
        if not mask.at[c, TOTAL] and not mask.at[TOTAL, c]
        else disclosure.SUPPRESSED
        for c in councils
    ]
    flows = pd.DataFrame(
        {"Came from a member council": in_.to_numpy(), "Left for a member council":
         out_.to_numpy(), "Net": net}, index=[labels[c] for c in councils],
    )  # fmt: skip
    return _labelled(_named(shown, labels), "From \\ to"), _labelled(flows, "Council")


def _leaver_year(
    t: RegionalTables, tables: list, y: int, councils: list[str], labels: dict[str, str],
    threshold: int, tally: list[int],
) -> pd.Series:  # fmt: skip
    """Put one year's protected leaver tables (:func:`_leaver_tables`) into ``t`` as a
    reader sees them (movement matrix, net flows, next steps, possible unlinked moves);
    return the column of leavers next in agency work."""
    (full, mask), (oc_full, oc_mask), (ag_full, ag_mask), *unlinked = tables
    parts = [(full, mask), (oc_full, oc_mask), (ag_full, ag_mask)]
    if unlinked:  # not for the first year pooled (:func:`regional_tables`)
        ((u_full, u_mask),) = unlinked
        u_shown = shown_table(u_full, u_mask)[["possible"]].rename(
            columns={"possible": UNLINKED_COLUMN}
        )
        t.possible_unlinked[y] = _labelled(_named(u_shown, labels), "Council left")
        parts.append((u_full[["possible"]], u_mask[["possible"]]))  # "rest" is never shown
    for f_, m_ in parts:
        _tally(tally, f_, m_, threshold)
    t.movement_matrix[y], t.net_flows[y] = _matrix_and_flows(full, mask, councils, labels)
    t.leaver_outcomes[y] = _labelled(_named(shown_table(oc_full, oc_mask), labels), "Council left")
    return shown_table(ag_full, ag_mask)["to_agency"]


def regional_tables(
    pool: Pool,
    threshold: int = disclosure.DEFAULT_THRESHOLD,
    names: dict[str, str] | None = None,
    registry: ms.Registry | None = None,
) -> RegionalTables:
    """Every disclosure-controlled table of a pooled region.

    Parameters
    ----------
    pool : the region's returns (:func:`workforce_lib.records.census.pool.pool_returns`).
    threshold : counts of 1 to ``threshold - 1`` people are suppressed.
    names : council names by LA number, where known (shown beside the number).
    registry : the registered groups (:func:`workforce_lib.records.census.membership.
        registry_from_release`): the figures that depend on which councils are members
        are shown only for a pool that is one of them, complete (:func:`~workforce_lib.
        records.census.membership.decide`; a pool of fictional councils is one). None:
        no registered group is known.
    """
    threshold = disclosure.check_threshold(threshold)
    membership = ms.of_pool(pool, registry if registry is not None else ms.Registry())
    councils, years = pool.councils, pool.years
    labels = council_labels(councils, names)
    w = pool.linkable_workers  # placeholder SWE numbers are never linked
    s = mv.spells(w)
    moves = mv.leaver_moves(w, s)
    unlinked = mv.possible_unlinked_moves(w, moves, s)
    unlinked_n = mv.unlinked_counts(unlinked, councils, years)
    eng = rules.engagements(w, s)
    cov = pool.coverage().map(lambda b: "return" if b else "no return")
    cov.columns = [str(y) for y in cov.columns]
    for e in pool.excluded:
        if e.council in councils and str(e.year) in cov.columns:
            cov.at[e.council, str(e.year)] = "left out (problems)"
    t = RegionalTables(
        councils, years, threshold, len(pool.workers), _labelled(_named(cov, labels), "Council")
    )
    t.membership = membership
    t.excluded = [e.label() for e in pool.excluded]
    t.excluded_json = [e.to_json() for e in pool.excluded]
    t.placeholders = placeholder_table(pool, labels, threshold)
    paths = leaver_paths(moves, s)

    tied = bool(membership.inside)
    shown_years = years if membership.shown else []
    # a year's figures are shown only when every return they read is pooled, so they are
    # the same in every pool that shows them (last year's report beside this year's, or
    # a pool over other years, gives nothing away): leavers are followed to the next
    # 30 September (year + 1); conversions and cooling-off look back to the year before
    leaver_years = [y for y in shown_years if y + 1 in years]
    back_years = {y for y in shown_years if y - 1 in years}
    done: dict = {}  # the registered groups inside, as their reports protect them
    exports = _inner_exports(w, years, leaver_years, threshold, membership, done)
    leaver_tables, pooled, _, people = _protected_leavers(
        w, s, moves, unlinked, unlinked_n, paths, councils, years, leaver_years, threshold,
        membership, lambda: characteristics(pool, years[-1], threshold, membership), done,
    )  # fmt: skip
    problems = _agency_problems(w, s, moves, eng, councils, years, membership)
    agency_tables, _ = _protect_agency(problems, threshold, tied, exports)
    tally = [0, 0]
    for p, (full, mask) in pooled.items():
        _tally(tally, full, mask, threshold)
        label = period_label(p)
        t.pooled_matrix[label], t.pooled_net_flows[label] = _matrix_and_flows(
            full, mask, councils, labels
        )
    not_available = pd.Series(NOT_AVAILABLE, index=[*councils, TOTAL])
    for y in shown_years:
        to_agency = not_available
        if y in leaver_tables:
            to_agency = _leaver_year(t, leaver_tables[y], y, councils, labels, threshold, tally)
        from_agency = not_available
        if y in back_years:
            conv_mask = agency_tables[("conv", y)]
            _tally(tally, *conv_mask, threshold)
            from_agency = shown_table(*conv_mask)["from_agency"]
        if y in leaver_tables or y in back_years:
            agency = pd.DataFrame(
                {
                    "Permanent leavers next in agency work in the region": to_agency,
                    "Agency workers who started a permanent post": from_agency,
                }
            )
            t.agency_flows[y] = _labelled(_named(agency, labels), "Council")
        if y not in back_years:
            continue
        full, mask = agency_tables[("cool", y)]
        _tally(tally, full, mask, threshold)
        shown_cool = shown_table(full, mask).rename(columns={TOTAL: "Agency engagements starting"})
        t.cooling_off[y] = _labelled(_named(shown_cool, labels), "Engaging council")
    last = years[-1]
    if ("exp", last) in agency_tables:
        # experience from the last two years' returns only (every pool that shows it holds
        # both, so each shows the same); it rests on the members' records
        t.experience = _labelled(_named(shown_table(*agency_tables[("exp", last)]), labels),
                                 "Council")  # fmt: skip
    t.characteristics = people
    t.hidden_cells = (tally[0], tally[1])
    t.notes = [
        *(mv.LIMITS + rules.NOT_KNOWABLE if membership.shown else ()),
        *([hidden_note(tally[0], threshold)] if membership.shown else []),
        f"Counts of fewer than {threshold} people are shown as c, as is any figure from "
        "which one could be worked out, from one table, from several together, or from "
        "this report beside one at another threshold or a council's own census summary; "
        "each year is a separate table, and moves between member councils are also "
        "given for fixed pairs of years pooled (protected with both years' tables).",
        membership.why,
        "Figures that depend on which councils are members (moves between them, leavers "
        "not seen again, flows into and out of agency work, cooling-off, agency workers' "
        "experience) are shown only for a pool that is one registered group (England, a "
        "DfE region or a group in the project's groups.yaml) with every member's returns, "
        "so no pool of another set of councils can be set beside them.",
        _people_note(membership, len(councils)),
    ]
    if membership.shown:
        t.notes += [
            f"Post-qualifying experience: agency engagements running at 30 September {last}, "
            "at the start of each engagement.",
            "A year's figures are shown only when every return they read is in the pool, "
            "so they are the same in every report that shows them: permanent leavers are "
            "followed to the next 30 September, so a year's moves, next steps and leavers "
            "into agency work are shown once the following year's returns are pooled "
            f"(not yet for {years[-1]}); agency workers who took a permanent post and "
            "cooling-off look back to the year before, so they are not shown for "
            f"{years[0]}. x: not available for that reason. Agency workers' experience "
            f"rests on the returns of {years[-1] - 1} and {years[-1]} only (shown only "
            "with both pooled).",
            mv.UNLINKED_MEANING,
            "Two years pooled: moves between member councils over a fixed pair of census "
            "years (2021 and 2022, 2023 and 2024, and so on), each cell the two years' "
            "cells added up, so a pair of councils with a few moves each year may be "
            "shown. Pairs are fixed and never overlap, so pooled figures of two reports "
            "cannot be set against each other; the years' own tables are the same with "
            "or without them, and a pooled cell is hidden wherever it, with the years' "
            "tables, would narrow a hidden figure.",
        ]
    have = pool.coverage()
    out_ = {(e.council, e.year) for e in pool.excluded}
    missing = [
        f"{labels[c]} {y}"
        for c in councils
        for y in years
        if not have.at[c, y] and (c, y) not in out_
    ]
    if missing:
        t.notes.append("No return for: " + ", ".join(missing) + ".")
    return t


#: Tables of the region's people (one council's tables, over the region's returns).
REGION_PEOPLE = (
    "leavers_by_destination",
    "starters_by_origin",
    "age",
    "gender",
    "ethnicity",
    "post_qualifying_status",
)


def characteristics(
    pool: Pool, year: int, threshold: int, membership: ms.Membership | None = None
) -> dict[str, pd.DataFrame]:
    """The region's permanent social workers in ``year``'s returns: leavers by
    destination, starters by origin, and those in post at 30 September by age, gender,
    ethnic group and post-qualifying status. Each council's people are counted as its
    own ``census summary`` counts them (:func:`workforce_lib.records.census.summary.
    people_tables`) and the region's table is their sum: a person working in two member
    councils counts in each, as in DfE's regional figures (counted once, the councils'
    figures less the region's would be the number in two councils). Hidden as
    :func:`region_people_hidden` says (``membership``: the pool's, :func:`workforce_lib.
    records.census.membership.of_pool`; None: no registered group)."""
    from workforce_lib.records.census.summary import TABLES, people_tables
    from workforce_lib.records.disclosure import shown_frame

    mine = [r for r in pool.returns if r.year == year]
    # every council's own tables at once (each counted on its own, as its census summary)
    each = people_tables(mine, disclosure.DEFAULT_THRESHOLD)
    hidden = region_people_hidden(each, threshold, [r.council for r in mine], membership)
    out = {}
    for name in REGION_PEOPLE:
        table, status = region_frames(each.summed(name), hidden[name])
        shown = shown_frame(table, status, {"people": ("People", 0), "share": ("Share (%)", 1)})
        shown.columns = [TABLES[name][0], *shown.columns[1:]]
        out[name.replace("_", " ")] = shown
    return out


def region_people_hidden(
    each,
    threshold: int,
    councils: list[str],
    membership: ms.Membership | None = None,
    names: tuple[str, ...] = REGION_PEOPLE,
) -> dict[str, np.ndarray]:
    """:func:`region_people_hidden_by_threshold` at ``threshold`` alone."""
    return region_people_hidden_by_threshold(each, threshold, councils, membership, names)[
        threshold
    ]


def region_people_hidden_by_threshold(
    each,
    threshold: int,
    councils: list[str],
    membership: ms.Membership | None = None,
    names: tuple[str, ...] = REGION_PEOPLE,
) -> dict[int, dict[str, np.ndarray]]:
    """Which cells of the region's tables of its people (``names``) to hide, one flag
    per label and a last for the total (and, with the ethnicity table, under
    :data:`REGION_KNOWN`, whether the number with a known group is hidden), at each
    threshold from 5 to ``threshold`` (the engine solves once, at 5).

    The region's cell is its councils' cells added up (``each``: every member council's
    own tables, :func:`workforce_lib.records.census.summary.people_tables`, hidden as
    its ``census summary`` hides them at 5, the threshold showing most; ``councils``:
    their LA numbers, in order).

    For a pool that is a registered group (``membership.shown``), by the disclosure
    engine: the region's tables are protected beside every council's
    (:func:`workforce_lib.records.sdc.protect_beside`), the councils' tables staying as
    they are, with every relation their summaries publish
    (:func:`workforce_lib.records.census.summary.council_problem`) and each council's
    number with a known group where ``census summary --children-by-ethnicity`` shows it
    (:func:`workforce_lib.records.census.population.known_total_safe` at 5), and beside
    the same tables of every registered group inside it (``membership.inside``, each
    protected the same way first, as its own report protects it): a region's cell is
    hidden wherever it would narrow a hidden cell to fewer than ``threshold`` possible
    values (the region less the other councils would give a council's hidden count; two
    councils' hidden counts added up may be shown when the sum leaves each wide enough).
    Each threshold from 5 keeps what the one below hid.

    Any other pool (some set of councils no one registered, or of fictional councils:
    every set of them is their one group, so each would be protected on its own), and a
    pool of more than :data:`PEOPLE_ENGINE_MAX_COUNCILS` councils, hides a group wherever
    any of its councils' summaries hides it (:func:`_hidden_by_any_council`): its figures
    then are sums of shown council figures only, so no pool of other councils, set beside
    it, gives anything away; the engine's way would not be (a pool less one council is
    that council).
    """
    threshold = disclosure.check_threshold(threshold)
    if (membership is None or not membership.shown or membership.group == ms.FICTIONAL_GROUP
            or len(councils) > PEOPLE_ENGINE_MAX_COUNCILS):  # fmt: skip
        # every set of fictional councils (001-200) is that group, so every pool of them
        # would be protected on its own: the pool less one council would give that
        # council's hidden count (real returns re-numbered 001-200 are taken for them)
        steps = range(min(threshold, FIRST_THRESHOLD), threshold + 1)
        return {t: _hidden_by_any_council(each, t, names) for t in steps}
    rows = {c: i for i, c in enumerate(councils)}
    inside = [g for g in membership.inside if g <= set(councils)]
    first = min(threshold, FIRST_THRESHOLD)
    done: dict = {}

    def pattern(group: frozenset) -> tuple[dict, set, dict]:
        # a group's cells hidden at 5, beside each group inside it as its own report at 5
        # hides them (at 5 it shows most: every report at a higher threshold less)
        if group not in done:
            inner = [pattern(g) for g in inside if g < group]
            done[group] = _people_beside(each, first, [rows[c] for c in sorted(group)],
                                         names, _tag(group), inner)  # fmt: skip
        return done[group]

    later, hidden, problem = pattern(frozenset(councils))
    # above 5, the group's own tables by their rule on top: each threshold's outputs
    # show less than those at 5, whose audit covered everything, and a count of 5 to
    # t - 1 hidden at t is no count below 5 (the councils' summaries at 5 may show it)
    out = {}
    for t in range(first, threshold + 1):
        if t > first:
            hidden = _above_first(problem["values"], later, hidden, t,
                                  each.order.get("ethnicity", []))  # fmt: skip
        out[t] = {name: np.array([c in hidden for c in cells]) for name, cells in later.items()}
    return out


def _tag(group: frozenset) -> str:
    """The name of a group's cells in :func:`_people_beside`'s problem."""
    return "group " + ",".join(sorted(group))


def _people_beside(
    each,
    first: int,
    rows: list[int],
    names: tuple[str, ...],
    tag: str,
    inner: list[tuple[dict, set, dict]],
) -> tuple[dict, set, dict]:
    """One group's tables of its people (the councils ``rows`` of ``each``), protected
    at ``first`` (5, where the councils' summaries are: they show most there; lower
    only to show the true counts) beside its councils' and the groups' ``inner`` (each
    :func:`_people_beside`'s answer): (its cells by table, those hidden, its cells'
    values and their lines)."""
    from workforce_lib.records.census.population import KNOWN_GROUPS, known_total_safe
    from workforce_lib.records.census.summary import ALL, IN_POST_TABLES, council_problem

    values: dict = {}
    lines: list = []
    silent: set = set()
    fixed: set = set()
    for i in rows:
        cells, v, ls, sil = council_problem(each, i)

        def key(c, i=i):
            return (i, *c) if isinstance(c, tuple) else (i, c)

        values.update({key(c): x for c, x in v.items()})
        lines += [([key(c) for c in parts], None if tot is None else key(tot))
                  for parts, tot in ls]  # fmt: skip
        silent |= {key(c) for c in sil}
        for name, flags in each.hidden.items():
            fixed |= {key(c) for c, h in zip(cells[name], flags[i], strict=True) if h}
        if "ethnicity" in names:
            order = each.order["ethnicity"]
            known = [(i, "ethnicity", k) for k, g in enumerate(order) if g in KNOWN_GROUPS]
            values[(i, "ethnicity", KNOWN)] = sum(values[c] for c in known)
            lines.append((known, (i, "ethnicity", KNOWN)))
            flags = each.hidden["ethnicity"][i]
            people = pd.Series(each.people["ethnicity"][i], index=order)
            if flags[-1] or not known_total_safe(people, pd.Series(flags[:-1], index=order),
                                                 disclosure.DEFAULT_THRESHOLD):  # fmt: skip
                fixed.add((i, "ethnicity", KNOWN))
    # registered groups inside, as protected (their cells hidden as their reports hide)
    for _, inner_hidden, problem in inner:
        values.update(problem["values"])
        lines += problem["lines"]
        fixed |= inner_hidden
    later: dict[str, list] = {}
    for name in names:
        later[name] = [(tag, name, k) for k in [*range(len(each.order[name])), ALL]]
    if "ethnicity" in names:
        later[REGION_KNOWN] = [(tag, "ethnicity", KNOWN)]
    mine_lines = []
    for cell in (c for cs in later.values() for c in cs):
        parts = [(i, cell[1], cell[2]) for i in rows]
        values[cell] = sum(values[c] for c in parts)
        mine_lines.append((parts, cell))
    for name in names:
        mine_lines.append((later[name][:-1], later[name][-1]))
    if "ethnicity" in names:
        order = each.order["ethnicity"]
        mine_lines.append(([(tag, "ethnicity", k) for k, g in enumerate(order)
                            if g in KNOWN_GROUPS], (tag, "ethnicity", KNOWN)))  # fmt: skip
    totals = [(tag, x, ALL) for x in IN_POST_TABLES if x in later]
    mine_lines += [([a], b) for a, b in zip(totals, totals[1:])]
    lines += mine_lines
    cost = {c: x + 1.0 + (1_000 if c[-1] in (ALL, KNOWN) else 0) for c, x in values.items()}
    mine = {c for cs in later.values() for c in cs}
    hidden = sdc.protect_beside(values, lines, first, lambda t: fixed, mine, None, cost,
                                silent=silent) & mine  # fmt: skip
    # what a group holding this one adds of it: its cells (hidden as here) and their lines
    problem = {"values": {c: values[c] for c in mine}, "lines": mine_lines}
    return later, hidden, problem


def _above_first(values: dict, later: dict[str, list], hidden: set, t: int,
                 ethnic_groups: list[str]) -> set:  # fmt: skip
    """A group's cells of its people hidden at ``t`` above 5 (:func:`region_people_hidden`):
    those hidden below, each table's counts of 1 to ``t - 1``, and more parts while its
    total would give the hidden ones away (smallest first); a total of fewer than ``t``
    hides its table; the number with a known group is hidden unless the ethnicity table's
    hidden groups (``ethnic_groups``: its labels) leave it safe at ``t``."""
    from workforce_lib.records.census.population import known_total_safe

    out = set(hidden)
    for name, cells in later.items():
        if name == REGION_KNOWN:
            continue
        people = np.array([values[c] for c in cells[:-1]])
        flags = np.array([c in out for c in cells[:-1]]) | disclosure.too_few(people, t)
        flags = disclosure.protect_parts(people, flags, t)
        if cells[-1] in out or disclosure.too_few(int(people.sum()), t):
            flags[:] = True
            out.add(cells[-1])
        out |= {c for c, h in zip(cells[:-1], flags, strict=True) if h}
    if REGION_KNOWN in later:
        cells = later["ethnicity"]
        people = pd.Series([values[c] for c in cells[:-1]], index=ethnic_groups)
        flags = pd.Series([c in out for c in cells[:-1]], index=ethnic_groups)
        if cells[-1] in out or not known_total_safe(people, flags, t):
            out |= set(later[REGION_KNOWN])
    return out


def _hidden_by_any_council(each, threshold: int, names: tuple[str, ...]) -> dict:
    """:func:`region_people_hidden` for a pool that is no registered group: a group is
    hidden for the region wherever any council's own summary (at 5) hides it, or the
    region's total would give the hidden ones away (parts hidden smallest first until
    they are none, or two or more holding at least ``threshold`` people, threshold by
    threshold from 5); a council's whole table hidden hides the region's. The number
    with a known group is hidden unless every council's is shown (at 5) and the region's
    hidden groups leave it safe (:func:`workforce_lib.records.census.population.
    known_total_safe`)."""
    from workforce_lib.records.census.population import known_total_safe

    out = {}
    for name in names:
        people = each.people[name].sum(0)
        flags = np.asarray(each.hidden[name], bool)
        hidden = flags[:, :-1].any(axis=0)
        for t in range(disclosure.DEFAULT_THRESHOLD, threshold + 1):
            hidden = disclosure.protect_parts(people, hidden | disclosure.too_few(people, t), t)
        whole = bool(flags[:, -1].any()) or bool(disclosure.too_few(int(people.sum()), threshold))
        out[name] = np.append(hidden | whole, whole)
    if "ethnicity" in names:
        order = each.order["ethnicity"]
        safe = [
            not f[-1] and known_total_safe(pd.Series(p, index=order),
                                           pd.Series(f[:-1], index=order),
                                           disclosure.DEFAULT_THRESHOLD)
            for p, f in zip(each.people["ethnicity"], each.hidden["ethnicity"], strict=True)
        ]  # fmt: skip
        region = out["ethnicity"]
        safe.append(not region[-1] and known_total_safe(
            pd.Series(each.people["ethnicity"].sum(0), index=order),
            pd.Series(region[:-1], index=order), threshold))  # fmt: skip
        out[REGION_KNOWN] = np.array([not all(safe)])
    return out


#: Registered groups of more councils than this (a DfE region has at most 33) hide the
#: region's people by the rule (:func:`_hidden_by_any_council`): on the national demo
#: pool (153 councils, England holding 9 regions) the engine showed 37 of 42 groups of
#: 5 or more people (the rule 13) but took 29 s against 2 s; England's figures are
#: DfE's to publish. A region beside England's rule gives nothing away (England's
#: shown figures are sums of shown council figures).
PEOPLE_ENGINE_MAX_COUNCILS = 40


def _people_note(membership: ms.Membership | None, councils: int) -> str:
    """How the region's social workers are protected, in words (:func:`region_people_hidden`).

    >>> _people_note(None, 12)[:60]
    "The region's social workers: a group is shown as c for the r"
    """
    if (membership is not None and membership.shown and membership.group != ms.FICTIONAL_GROUP
            and councils <= PEOPLE_ENGINE_MAX_COUNCILS):  # fmt: skip
        return (
            "The region's social workers: the region's figure is its councils' own figures "
            "added up. It is shown as c wherever, beside the councils' own census "
            "summaries (and the same tables of any registered group inside the region), "
            "it would narrow a hidden council figure to fewer than the threshold's "
            "possible values: the region less the other councils would give a council's "
            "count, but two or more councils' hidden counts added up may be shown when "
            "each could still be anything over a wide enough range."
        )
    return (
        "The region's social workers: a group is shown as c for the region wherever a "
        "member council's own figure for it is c (the region less the other councils "
        "would give it)"
        + (
            ""
            if membership is not None and membership.shown
            else "; a pool of no registered group shows only such sums of councils' shown "
            "figures, so that no pool of other councils set beside it gives anything "
            "away"
        )  # fmt: skip
        + "."
    )


#: :func:`region_people_hidden`'s key for the region's number with a known ethnic group.
REGION_KNOWN = "ethnicity: all with a known group"
#: That number's cell (beside the ethnicity table's labels).
KNOWN = "known"


def region_frames(raw: pd.DataFrame, hidden: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A region's table of :func:`workforce_lib.records.census.summary.beyond_dfe`
    (``raw``: its councils' counts added up, not controlled) and its status, blank where
    ``hidden`` (:func:`region_people_hidden`: a flag per group and a last for the total;
    a hidden total hides every row: the shares rest on it)."""
    table = raw.copy()
    status = pd.DataFrame("", index=raw.index, columns=raw.columns, dtype=object)
    rows = list(raw.index) if hidden[-1] else list(raw.index[:-1][hidden[:-1]])
    table.loc[rows] = np.nan
    status.loc[rows] = disclosure.STATUS
    return table, status


def leaks_count_below(tables: dict[str, pd.DataFrame], threshold: int) -> list[str]:
    """Cells of shown tables that are a whole count of 1 to ``threshold - 1`` (a check
    for tests and for the report's last cell; net flows are differences, not counts).

    >>> leaks_count_below({"t": pd.DataFrame({"a": ["c", "7", "0"], "Net": ["-2", "1", "0"]})}, 5)
    []
    """
    bad = []
    for name, df in tables.items():
        for col in df.columns[1:]:
            if str(col) == "Net":
                continue
            for v in df[col].astype(str):
                text = v.replace(",", "")
                if text.isdigit() and 0 < int(text) < threshold:
                    bad.append(f"{name}: {col} = {v}")
    return bad


__all__ = [
    "RegionalTables",
    "characteristics",
    "council_labels",
    "leaks_count_below",
    "protect_table",
    "protection_mask",
    "regional_tables",
]


# ---------------------------------------------------------------- measures and report
#: The measures set beside DfE's published figures.
COMPARED = ("turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte", "caseload_fte",
            "absence_rate_fte")  # fmt: skip


def _shown_value(name: str, value, status) -> str:
    from workforce_lib.measures import MEASURES

    if status:
        return disclosure.SUPPRESSED if str(status).startswith("c") else f"n/a ({status})"
    return "n/a" if value is None or pd.isna(value) else MEASURES[name].format(value)


def region_hidden(rows_comp: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Which components not to show, one row per council then the region's (the sum of
    the councils' rows): a council's where the people behind it number 1 to
    ``threshold - 1`` (starters and leavers together), as its own ``census summary``
    hides them; the region's where its own are that few, or where any council's is
    hidden.

    The region's figure is the sum of its councils', so beside it one hidden council
    would be the region less the others (rate x denominator gives each component). The
    complement must be the region's figure: every council's own figures are shown by
    its ``census summary``, so hiding a second council here would hide nothing.

    >>> i = pd.DatetimeIndex(["2025-09-30"] * 3)
    >>> c = pd.DataFrame({"leavers_people": [2.0, 9.0, 11.0], "inpost_people":
    ...                   [20.0, 30.0, 50.0]}, index=i)
    >>> h = region_hidden(c, 5)
    >>> h["leavers_fte"].tolist(), h["inpost_fte"].tolist()
    ([True, False, True], [False, False, False])
    """
    from workforce_lib.records import hr

    full = rows_comp.reindex(columns=sorted({p for p in hr.PEOPLE.values() if p}))
    hidden = hr._people_hidden(full, threshold).to_numpy().copy()
    hidden[-1] |= hidden[:-1].any(axis=0)
    return pd.DataFrame(hidden, index=rows_comp.index, columns=list(hr.PEOPLE))


def measures_beside_published(
    pool: Pool, year: int, threshold: int, release=None, labels: dict[str, str] | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """DfE's measures from each council's own return for ``year`` and for the region
    (components summed over its councils, never rates averaged), each beside the figure
    DfE published for the same council (and the same councils together), when the
    return's LA number is a council in the release.

    Returns the table as shown (strings; ``c`` where suppressed) and notes.
    """
    from workforce_lib.measures import MEASURES
    from workforce_lib.published.comparison import group_figures
    from workforce_lib.records import hr
    from workforce_lib.records.census.summary import components_by_year

    labels = labels or council_labels(pool.councils)
    mine = [r for r in pool.returns if r.year == year]
    comps = {r.council: components_by_year([r]) for r in mine}
    rows_comp = pd.concat([*comps.values(), sum(c.reset_index(drop=True) for c in comps.values())])
    # one row per council, then the region (components summed); every row at the same date
    rows_comp.index = pd.DatetimeIndex([mine[0].reference_date] * len(rows_comp))
    hm = hr.measures_from(rows_comp, threshold, region_hidden(rows_comp, threshold))
    published = set(release.council_ids(year)) if release is not None else set()
    matched = [c for c in comps if c in published]
    fig = group_figures(release, matched, year) if matched else None
    rows = []
    for i, council in enumerate([*comps, REGION]):
        row = {"Council": labels.get(council, f"{REGION} (its councils' returns)")}
        for m in COMPARED:
            label = MEASURES[m].label
            value, status = hm.values[m].iloc[i], hm.status[m].iloc[i]
            row[f"{label}: returns"] = _shown_value(m, value, status)
            if council == REGION and fig is not None:
                pub = fig.at[m, "value"]
                row[f"{label}: DfE"] = _shown_value(m, pub, "" if pd.notna(pub) else "x")
            elif council in published:
                cell = release.cell(council, year, m)
                row[f"{label}: DfE"] = _shown_value(m, cell.value, cell.status)
            else:
                row[f"{label}: DfE"] = "none"
        rows.append(row)
    notes = []
    if release is None:
        notes.append(
            "DfE's published figures were not read (no release in the data folder): none "
            "is shown beside the returns' figures."
        )
    elif not matched:
        notes.append(
            f"None of the pool's LA numbers ({', '.join(pool.councils)}) is a council in "
            f"DfE's {year} release: there are no published figures for these councils."
        )
    else:
        other = sorted(set(comps) - set(matched))
        notes.append(
            f"DfE's {year} figures ({release.source.name}) for the {len(matched)} councils "
            "whose LA numbers match; the region's DfE figure is recomputed from those "
            "councils' published components, as DfE recomputes regions."
            + (f" No published figures for LA {', '.join(other)}." if other else "")
        )
    notes.append(
        "A measure is shown as c where the people behind it number fewer than "
        f"{threshold}, and for the region wherever it is c for a member council: the "
        "region's figure is its councils' figures added up."
    )
    return pd.DataFrame(rows), notes


@dataclass
class CensusRegionReport:
    """What the regional census report shows (every table disclosure-controlled)."""

    title: str
    source: str
    tables: RegionalTables
    measures: pd.DataFrame
    measure_notes: list[str]
    demo: bool
    #: the pooled returns behind the tables (census-population: the ethnicity comparison
    #: reads the same records); never shown
    pool: Pool | None = field(default=None, repr=False)

    @property
    def year(self) -> int:
        return self.tables.years[-1]

    def header_lines(self) -> list[str]:
        t = self.tables
        return [
            *t.left_out_lines(),
            f"{len(t.councils)} councils' census returns, census years {t.years[0]} to "
            f"{t.years[-1]}, from {self.source}.",
            "Workers are linked across councils and years by a keyed pseudonym of their "
            "Social Work England number, made as each record was read with the region's "
            "secret key; no registration number or pseudonym appears in this report.",
            f"Counts of fewer than {t.threshold} people are shown as c.",
        ]


def census_region_report(
    returns_dir: str = "",
    key_file: str = "",
    threshold: int = disclosure.DEFAULT_THRESHOLD,
    data_dir: str = "",
    workers: int = 1,
    skip_invalid: bool = False,
) -> CensusRegionReport:
    """Everything the regional census report shows (``skip_invalid``: pool the valid
    returns only, the report saying which are left out and why).

    With no ``returns_dir``, a seeded fictional region (6 councils, 3 years) is written
    to a temporary folder and read with a random key, so the template runs anywhere.
    """
    import tempfile

    from workforce_lib.records.census.pool import pool_returns
    from workforce_lib.records.census.pseudonym import read_key
    from workforce_lib.records.census.reader import run_key
    from workforce_lib.records.census.threshold import check_census_threshold

    threshold = check_census_threshold(threshold)  # a report never goes below 5
    if returns_dir:
        pool = pool_returns(
            returns_dir, read_key(key_file), workers=workers, skip_invalid=skip_invalid
        )
        source = f"folder {pool.directory.name}"
        demo = False
    else:
        from workforce_lib.records.census.demo import generate_region

        with tempfile.TemporaryDirectory() as d:
            generate_region(d, councils=6, years=3, seed=2025, size=300)
            pool = pool_returns(d, run_key())
        source = "a fictional region (workforce demo census, seed 2025)"
        demo = True
    try:
        from workforce_lib.published.release import load_release

        release = load_release(data_dir or None)
    except Exception:  # no release: the report says none is compared
        release = None
    names = {}
    if release is not None:
        f = release.frame("council")
        names = dict(zip(f["area_id"], f["area_name"], strict=True))
    registry = ms.registry_for(pool, release=release) if release is not None else None
    tables = regional_tables(pool, threshold, names, registry)
    labels = council_labels(pool.councils, names)
    measures, notes = measures_beside_published(pool, pool.years[-1], threshold, release,
                                                labels)  # fmt: skip
    title = "A region's pooled census returns" + (" (fictional demo)" if demo else "")
    return CensusRegionReport(title, source, tables, measures, notes, demo, pool=pool)
