"""Throughput of `render all`'s machinery against one fresh kernel per report.

    python benchmarks/bench_render.py [--sample 12] [--workers 2] [--repeat 1] [--all]
                                      [--keep DIR]

Renders the same sample of council reports twice, side by side in one run: one at a time
with a fresh kernel each (papermill's default way), then with warm kernels on ``workers``
threads. Prints seconds per report, the speed-up and the reports' page weights (bytes of
each self-contained HTML file: images, styles and tables included). ``--sample 0`` skips
this part.

``--all`` then times every report `render all` makes (the target: under 100 s on 2 cores),
printing wall time, CPU seconds (this process and its kernels, which are its children),
the load average before and after (the machine may be shared: a timing means little
without it) and each kind of report's seconds (median, slowest). ``--keep DIR`` renders
into DIR and keeps it (to compare with another version's reports:
``benchmarks/compare_reports.py``).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from workforce_lib.published.release import load_release
from workforce_lib.reports import rendering


def page_weights(results) -> str:
    """Median and largest HTML file per kind of report, in KB."""
    by_kind: dict[str, list[tuple[int, str]]] = {}
    for r in results:
        if r.ok and r.job.out_html.exists():
            by_kind.setdefault(r.job.kind, []).append((r.job.out_html.stat().st_size, r.job.name))
    lines = []
    for kind, sizes in sorted(by_kind.items()):
        big, name = max(sizes)
        median = statistics.median(size for size, _ in sizes)
        lines.append(
            f"page weight, {kind} ({len(sizes)}): median {median / 1000:.0f} KB, "
            f"largest {big / 1000:.0f} KB ({name})"
        )
    return "\n".join(lines)


def cpu_seconds() -> float:
    """User and system CPU of this process and of its children that have ended (kernels
    are shut down, and so counted, when :func:`rendering.render_jobs` returns)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, e.g. ``"0.52 0.61 0.70"``."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def per_report(results) -> str:
    """Seconds per report by kind (median and slowest) and the five slowest reports."""
    by_kind: dict[str, list[tuple[float, str]]] = {}
    for r in results:
        by_kind.setdefault(r.job.kind, []).append((r.seconds, r.job.name))
    lines = []
    for kind, times in sorted(by_kind.items()):
        slow, name = max(times)
        median = statistics.median(t for t, _ in times)
        lines.append(
            f"  {kind} ({len(times)}): median {median:.2f} s, slowest {slow:.2f} s ({name})"
        )
    slowest = sorted(results, key=lambda r: -r.seconds)[:5]
    lines.append(
        "  slowest: " + ", ".join(f"{r.job.kind} {r.job.name} {r.seconds:.2f} s" for r in slowest)
    )
    return "\n".join(lines)


def time_all(release, year: int, data_dir: str, out: Path, workers: int) -> None:
    """Render every report `render all` makes into ``out`` and print the figures."""
    jobs = rendering.plan(release, year, out)
    load_before, cpu0, t = load_average(), cpu_seconds(), time.perf_counter()
    res = rendering.render_jobs(jobs, data_dir, workers=workers, progress=False)
    total, cpu = time.perf_counter() - t, cpu_seconds() - cpu0
    ok = sum(r.ok for r in res)
    print(
        f"render all: {ok} of {len(jobs)} reports in {total:.0f} s wall "
        f"({total / len(jobs):.2f} s/report), {cpu:.0f} s CPU "
        f"({cpu / len(jobs):.2f} s/report), {workers} workers"
    )
    print(f"load average before: {load_before}; after: {load_average()}")
    print("seconds per report (one worker's wall time):")
    print(per_report(res))
    print(page_weights(res))
    for r in res:
        if not r.ok:
            print(f"FAILED {r.job.kind} {r.job.name}: {r.error}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=12)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--repeat", type=int, default=1, help="rounds of fresh then warm")
    ap.add_argument("--all", action="store_true", help="also time every report (render all)")
    ap.add_argument("--keep", help="render --all into this folder and keep it")
    args = ap.parse_args()
    release = load_release()
    year = release.latest_year
    data_dir = str(release.source.parent)
    with tempfile.TemporaryDirectory() as tmp:
        if args.sample > 0:
            sample(release, year, data_dir, Path(tmp), args)
        if args.all:
            out = Path(args.keep).absolute() if args.keep else Path(tmp) / "all"
            time_all(release, year, data_dir, out, args.workers)


def sample(release, year: int, data_dir: str, tmp: Path, args) -> None:
    """A sample of council reports, fresh kernels one at a time against warm ones."""
    fresh_times, warm_times = [], []
    for round_ in range(args.repeat):  # alternated, so drift in machine speed hits both
        jobs = rendering.plan(release, year, tmp / f"fresh{round_}")[: args.sample]
        t = time.perf_counter()
        fresh = rendering.render_jobs(jobs, data_dir, workers=1, warm=False, progress=False)
        fresh_times.append(time.perf_counter() - t)
        jobs = rendering.plan(release, year, tmp / f"warm{round_}")[: args.sample]
        t = time.perf_counter()
        warm = rendering.render_jobs(
            jobs, data_dir, workers=args.workers, warm=True, progress=False
        )
        warm_times.append(time.perf_counter() - t)
        assert all(r.ok for r in fresh + warm), [r.error for r in fresh + warm if not r.ok]
    n = len(jobs)
    t_fresh, t_warm = statistics.median(fresh_times), statistics.median(warm_times)
    print(f"sample: {n} council reports, {year}; median of {args.repeat} round(s)")
    print(f"load average: {load_average()}")
    print(f"fresh kernel per report, one at a time: {t_fresh / n:.2f} s/report")
    print(f"warm kernels, {args.workers} workers: {t_warm / n:.2f} s/report")
    print(f"throughput: {t_fresh / t_warm:.1f}x")
    if args.repeat > 1:
        ratios = ", ".join(f"{f / w:.1f}x" for f, w in zip(fresh_times, warm_times))
        print(f"each round: {ratios}")
    print(page_weights(warm))


if __name__ == "__main__":
    main()
