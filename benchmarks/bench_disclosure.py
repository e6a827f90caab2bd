"""What a region's board sees of its movements after disclosure control (utility), on
fictional regions the size of the North East: 11 councils x 3 years x ~200 staff.

    python benchmarks/bench_disclosure.py [--seeds 2025 1 2 3 4 5] [--councils 11]
                                          [--years 3] [--size 200] [--threshold 5]

For each seed, the region's returns are generated and pooled as a registered group
holding none (a DfE region of the North East's size), and ``regional_tables`` run
twice: at threshold 1 (nothing hidden: the true counts, never shown to anyone) and at
``--threshold``. It reports, per seed and over all seeds:

* movement-matrix cells between two councils shown with a non-zero count;
* net-flow cells shown;
* region-wide figures per year shown: moves between member councils, permanent leavers
  into agency work, agency workers into permanent posts, engagements within cooling-off;
* the share of council-level cells (member councils' rows of the movement matrix, the
  leavers' outcomes, the agency flows and cooling-off tables) holding ``--threshold`` or
  more people that are shown (target: at least 80%), and of the flow cells among them
  (``_is_flow``: people moving between two places in the region, counted for a council,
  including each council's starters from member councils, the matrix's Total row);
* the share of people hidden: people in hidden council-level cells (parts, no totals)
  over people in all of them;
* the time ``regional_tables`` took at ``--threshold``, and the cells hidden;
* two years pooled (``pooled_matrix``, fixed pairs of years, shown with ``--years`` 3 or
  more): its cells between two councils and its councils' totals holding ``--threshold``
  or more people that are shown, and of the pairs of councils with 1 to
  ``--threshold - 1`` moves in some year, how many the pooled table shows (what the
  years alone could not say), and its net flows shown.

Run it with ``PYTHONPATH`` on another checkout to compare code (before/after).
"""

from __future__ import annotations

import argparse
import tempfile
import time

TABLES = ("movement_matrix", "leaver_outcomes", "agency_flows", "cooling_off")
REGION_FIGURES = {
    "moves between member councils": ("movement_matrix", "Total"),
    "permanent -> agency": ("agency_flows", "Permanent leavers next in agency work in the region"),
    "agency -> permanent": ("agency_flows", "Agency workers who started a permanent post"),
    "within cooling-off": ("cooling_off", "Within cooling-off (rules in force)"),
}


def _num(text) -> int | None:
    t = str(text).replace(",", "")
    return int(t) if t.lstrip("-+").isdigit() else None


def _is_flow(kind: str, row: str, col: str) -> bool:
    """A council-level flow cell: people who went from one place in the region to another
    (a member council to another, permanent to agency work or back), counted for one
    council: the movement matrix's cells between two councils, each council's leavers to
    member councils (its row total) and its starters from them (the Total row), both
    agency flows, and engagements within the cooling-off period."""
    if kind == "movement_matrix":
        return not (row == "Total" and col == "Total")
    if kind == "agency_flows":
        return row != "Total"
    if kind == "cooling_off":
        return row != "Total" and col == "Within cooling-off (rules in force)"
    return False


def measure(pool, threshold: int) -> dict:
    """The utility figures of one pooled region (see the module's docstring)."""
    from workforce_lib.records.census.membership import Registry
    from workforce_lib.records.census.regional import regional_tables

    # the demo's councils registered as one group holding none, as a DfE region's are
    # (a pool of fictional councils alone is protected against each council left out)
    registry = Registry({"demo region": frozenset(pool.councils)}, "benchmark")
    truth = regional_tables(pool, 1, registry=registry)
    t0 = time.perf_counter()
    shown = regional_tables(pool, threshold, registry=registry)
    seconds = time.perf_counter() - t0
    out = {"seconds": seconds, "matrix_nonzero_shown": 0, "matrix_cells": 0,
           "net_shown": 0, "net_cells": 0, "region_shown": 0, "region_figures": 0,
           "big_cells": 0, "big_shown": 0, "people": 0, "people_hidden": 0,
           "cells_hidden": 0, "flow_big": 0, "flow_shown": 0, "pooled_big": 0,
           "pooled_shown": 0, "pooled_small_years": 0, "pooled_gained": 0,
           "pooled_net": 0, "pooled_net_shown": 0}  # fmt: skip
    for label, tt in truth.pooled_matrix.items():
        years = [int(y) for y in label.split(" and ")]
        ts = shown.pooled_matrix[label].set_index(tt.columns[0])
        tt = tt.set_index(tt.columns[0])
        by_year = [truth.movement_matrix[y].set_index(tt.index.name) for y in years]
        for r in tt.index:
            for c in tt.columns:
                v = _num(tt.at[r, c])
                if r == c or (r == "Total" and c == "Total") or v is None:
                    continue
                if v >= threshold:
                    out["pooled_big"] += 1
                    out["pooled_shown"] += ts.at[r, c] != "c"
                if any(0 < (_num(m.at[r, c]) or 0) < threshold for m in by_year):
                    out["pooled_small_years"] += 1
                    out["pooled_gained"] += ts.at[r, c] != "c"
        net = shown.pooled_net_flows[label]
        out["pooled_net"] += len(net)
        out["pooled_net_shown"] += int((net["Net"] != "c").sum())
    for y in pool.years:
        for kind in TABLES:
            if y not in getattr(truth, kind):  # not shown for that year (returns it reads)
                continue
            tt, ts = getattr(truth, kind)[y], getattr(shown, kind)[y]
            tt, ts = tt.set_index(tt.columns[0]), ts.set_index(ts.columns[0])
            for r in tt.index:
                for c in tt.columns:
                    v, s = _num(tt.at[r, c]), ts.at[r, c]
                    out["cells_hidden"] += s == "c"
                    if v is not None and v >= threshold and _is_flow(kind, r, c):
                        out["flow_big"] += 1
                        out["flow_shown"] += s != "c"
                    if r == "Total" or v is None:
                        continue
                    if v >= threshold:
                        out["big_cells"] += 1
                        out["big_shown"] += s != "c"
                    is_total = c == "Total" or (kind == "cooling_off" and c == tt.columns[-1])
                    if not is_total:
                        out["people"] += v
                        out["people_hidden"] += v if s == "c" else 0
                    if kind == "movement_matrix" and c != "Total" and c != r:
                        out["matrix_cells"] += 1
                        out["matrix_nonzero_shown"] += s not in ("c", "0")
        if y in shown.net_flows:
            net = shown.net_flows[y]
            out["net_cells"] += len(net)
            out["net_shown"] += int((net["Net"] != "c").sum())
        for kind, col in REGION_FIGURES.values():
            if y not in getattr(shown, kind):
                continue
            ts = getattr(shown, kind)[y].set_index(getattr(shown, kind)[y].columns[0])
            if ts.at["Total", col] == "x":  # not available that year
                continue
            out["region_figures"] += 1
            out["region_shown"] += ts.at["Total", col] != "c"
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[2025, 1, 2, 3, 4, 5])
    ap.add_argument("--councils", type=int, default=11)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--size", type=int, default=200)
    ap.add_argument("--threshold", type=int, default=5)
    args = ap.parse_args()
    from workforce_lib.records.census.demo import generate_region
    from workforce_lib.records.census.pool import pool_returns
    from workforce_lib.records.census.reader import run_key

    total: dict = {}
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as d:
            generate_region(d, councils=args.councils, years=args.years, seed=seed,
                            size=args.size)  # fmt: skip
            pool = pool_returns(d, run_key())
        m = measure(pool, args.threshold)
        for k, v in m.items():
            total[k] = total.get(k, 0) + v
        _print(f"seed {seed}", m)
    _print("all seeds", total)


def _print(label: str, m: dict) -> None:
    share = m["big_shown"] / m["big_cells"] if m["big_cells"] else float("nan")
    hidden = m["people_hidden"] / m["people"] if m["people"] else float("nan")
    flows = m["flow_shown"] / m["flow_big"] if m["flow_big"] else float("nan")
    print(
        f"{label}: matrix non-zero shown {m['matrix_nonzero_shown']}/{m['matrix_cells']}, "
        f"net flows shown {m['net_shown']}/{m['net_cells']}, region-wide figures shown "
        f"{m['region_shown']}/{m['region_figures']}, council cells >= threshold shown "
        f"{m['big_shown']}/{m['big_cells']} ({share:.0%}), flow cells >= threshold shown "
        f"{m['flow_shown']}/{m['flow_big']} ({flows:.0%}), people hidden {hidden:.0%}, "
        f"cells hidden {m['cells_hidden']}, tables {m['seconds']:.1f} s",
        flush=True,
    )
    if m["pooled_big"] or m["pooled_small_years"]:
        print(
            f"  two years pooled: cells >= threshold shown {m['pooled_shown']}/"
            f"{m['pooled_big']}, cells with 1 to threshold - 1 in a year shown pooled "
            f"{m['pooled_gained']}/{m['pooled_small_years']}, net flows shown "
            f"{m['pooled_net_shown']}/{m['pooled_net']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
