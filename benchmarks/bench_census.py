"""A national-scale pool of census returns: validate, pseudonymise and make every regional
and movement table (target: under 30 s and under 2 GB peak memory).

    python benchmarks/bench_census.py [--councils 153] [--years 5] [--size 300]
                                      [--workers 2] [--returns DIR] [--stage pool]
                                      [--regions 9]

Generates ``--councils`` x ``--years`` fictional returns (``workforce_lib.records.census.demo``,
about 300,000 worker records at the defaults) in a separate process, unless ``--returns``
names a folder of them, then measures in a fresh process:

* pool: every file read as a stream, checked against the schema and the business rules,
  SWE numbers replaced by keyed pseudonyms (``pool_returns``, ``--workers`` processes);
* tables: spells, leavers' next steps, conversions, agency engagements and both agency
  rules, every disclosure-controlled table of the report (``regional_tables``); and, timed apart,
  each council's DfE measures from its latest return (``measures_beside_published``),
  through census-core's conversion to the HR-extract table.

The pool is registered as England holding ``--regions`` regions (the councils in order,
split as evenly as can be), as a real national pool is: what England hides beside each
region's pool is part of the work (``--regions 0``: a pool holding no registered group,
as the demo's fictional councils alone are).

``--stage pool`` measures the reading stage alone (no tables), with its CPU time per
record over every process.

Peak memory is the resident-set high-water mark (``resource.getrusage``) of the measuring
process plus that of its largest reading process (an upper bound on their sum at any one
time). The generator's own memory is not counted. The machine is shared: say so when
reporting the figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _generate(folder: Path, councils: int, years: int, size: int) -> None:
    from workforce_lib.records.census.demo import generate_region

    t0 = time.perf_counter()
    made = generate_region(folder, councils=councils, years=years, seed=2025, size=size)
    print(
        f"generated {len(made.files)} returns, {made.records:,} worker records in "
        f"{time.perf_counter() - t0:.1f} s (not timed)",
        flush=True,
    )


def _registry(councils: list[str], regions: int):
    """England (every council) and ``regions`` regions of consecutive councils."""
    from workforce_lib.records.census.membership import Registry

    groups = {"England": frozenset(councils)}
    for i in range(regions):
        part = councils[i * len(councils) // regions : (i + 1) * len(councils) // regions]
        groups[f"Region {i + 1}"] = frozenset(part)
    return Registry(groups, f"England and {regions} regions (benchmark)")


def _measure(folder: Path, workers: int, stage: str = "all", regions: int = 9) -> dict:
    from workforce_lib.records.census.pool import pool_returns
    from workforce_lib.records.census.reader import run_key
    from workforce_lib.records.census.regional import measures_beside_published, regional_tables

    cpu0 = _cpu()
    t0 = time.perf_counter()
    pool = pool_returns(folder, run_key(), workers=workers)
    t1 = time.perf_counter()
    cpu_pool = _cpu() - cpu0
    n_tables = 0
    solver = _time_solver()
    if stage == "all":
        tables = regional_tables(pool, registry=_registry(pool.councils, regions))
        n_tables = len(tables.all_tables()) + 1
    t2 = time.perf_counter()
    if stage == "all":
        measures_beside_published(pool, pool.years[-1], 5, release=None)
    t3 = time.perf_counter()
    mb = 1024  # ru_maxrss is in kilobytes on Linux
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
        "cpu_pool_s": cpu_pool,
        "files": len(pool.returns),
        "records": len(pool.workers),
        "people": int(pool.workers["person"].nunique()),
        "tables": n_tables,
        "pool_s": t1 - t0,
        "tables_s": t2 - t1,
        "milp_s": solver["milp"],
        "audit_lp_s": solver["audit"],
        "audits_s": solver["audits"],
        "total_s": t2 - t0,
        "measures_s": t3 - t2,
        "peak_mb_self": me.ru_maxrss / mb,
        "peak_mb_reader": kids.ru_maxrss / mb,
    }


def _time_solver() -> dict:
    """Seconds spent in the disclosure engine's solver, summed over its threads (they
    may overlap): HiGHS's MILP (secondary suppression), the audit's linear programmes,
    and the audit as a whole (its programmes and the Python around them)."""
    import importlib
    import threading

    secondary = importlib.import_module("workforce_lib.records.sdc.secondary")
    audit = importlib.import_module("workforce_lib.records.sdc.audit")
    spent = {"milp": 0.0, "audit": 0.0, "audits": 0.0}
    lock = threading.Lock()

    def timed(fn, key):
        def run(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                with lock:
                    spent[key] += time.perf_counter() - t

        return run

    secondary.milp = timed(secondary.milp, "milp")
    secondary.audit = timed(secondary.audit, "audits")
    audit._Programme.solve = timed(audit._Programme.solve, "audit")
    return spent


def _cpu() -> float:
    """CPU seconds so far of this process and its finished reading processes."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--councils", type=int, default=153)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--size", type=int, default=300, help="typical establishment")
    ap.add_argument("--workers", type=int, default=2, help="processes reading returns")
    ap.add_argument("--returns", help="an existing folder of returns (skip generating)")
    ap.add_argument(
        "--stage",
        choices=("all", "pool"),
        default="all",
        help="pool: time only the reading stage (validate, pseudonymise), no tables",
    )
    ap.add_argument("--regions", type=int, default=9, help="registered regions inside England")
    ap.add_argument("--generate-only", help=argparse.SUPPRESS)
    ap.add_argument("--measure-only", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate_only:
        _generate(Path(args.generate_only), args.councils, args.years, args.size)
        return
    if args.measure_only:
        m = _measure(Path(args.measure_only), args.workers, args.stage, args.regions)
        print(json.dumps(m))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.returns) if args.returns else Path(tmp) / "returns"
        me = [sys.executable, __file__]
        if not args.returns:
            subprocess.run([*me, "--generate-only", str(folder), "--councils",
                            str(args.councils), "--years", str(args.years), "--size",
                            str(args.size)], check=True)  # fmt: skip
        out = subprocess.run([*me, "--measure-only", str(folder), "--workers",
                              str(args.workers), "--stage", args.stage, "--regions",
                              str(args.regions)], check=True,
                             capture_output=True, text=True)  # fmt: skip
    r = json.loads(out.stdout.strip().splitlines()[-1])
    peak = r["peak_mb_self"] + r["peak_mb_reader"]
    print(f"{r['files']} returns, {r['records']:,} worker records, {r['people']:,} people; "
          f"registered as England holding {args.regions} regions")  # fmt: skip
    print(f"  pool (read, validate, pseudonymise), {args.workers} processes: {r['pool_s']:.1f} s")
    if args.stage == "pool":
        print(f"  pool CPU time {r['cpu_pool_s']:.1f} s over all processes, "
              f"{r['cpu_pool_s'] / r['records'] * 1e6:.0f} us a record")  # fmt: skip
    else:
        print(f"  every regional and movement table ({r['tables']} tables): "
              f"{r['tables_s']:.1f} s")  # fmt: skip
        print(f"  of which the disclosure engine's solver (HiGHS, summed over its threads): MILP "
              f"{r['milp_s']:.1f} s, audit programmes {r['audit_lp_s']:.1f} s (whole audits "
              f"{r['audits_s']:.1f} s)")  # fmt: skip
        print(f"  (apart) each council's DfE measures from its return: {r['measures_s']:.1f} s")
        print(f"  total {r['total_s']:.1f} s (target under 30 s): "
              f"{'met' if r['total_s'] < 30 else 'NOT met'}")  # fmt: skip
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[0]
    print(
        f"  CPU time {r['cpu_s']:.1f} s over all processes (load average {load} at the end;"
        " wall time on a shared machine is at least CPU time / cores)"
    )
    print(f"  peak memory {peak:,.0f} MB (main {r['peak_mb_self']:,.0f} MB + largest reader "
          f"{r['peak_mb_reader']:,.0f} MB; target under 2,048 MB): "
          f"{'met' if peak < 2048 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
