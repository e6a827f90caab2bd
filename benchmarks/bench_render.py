"""Throughput of `render all`'s machinery against one fresh kernel per report.

    python benchmarks/bench_render.py [--sample 12] [--workers 2] [--repeat 1] [--all]

Renders the same sample of council reports twice, side by side in one run: one at a time
with a fresh kernel each (papermill's default way), then with warm kernels on ``workers``
threads. Prints seconds per report, the speed-up and the reports' page weights (bytes of
each self-contained HTML file: images, styles and tables included).
"""

from __future__ import annotations

import argparse
import os
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=12)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--repeat", type=int, default=1, help="rounds of fresh then warm")
    ap.add_argument("--all", action="store_true", help="also time every report (render all)")
    args = ap.parse_args()
    release = load_release()
    year = release.latest_year
    data_dir = str(release.source.parent)
    with tempfile.TemporaryDirectory() as tmp:
        fresh_times, warm_times = [], []
        for round_ in range(args.repeat):  # alternated, so drift in machine speed hits both
            jobs = rendering.plan(release, year, Path(tmp) / f"fresh{round_}")[: args.sample]
            t = time.perf_counter()
            fresh = rendering.render_jobs(jobs, data_dir, workers=1, warm=False, progress=False)
            fresh_times.append(time.perf_counter() - t)
            jobs = rendering.plan(release, year, Path(tmp) / f"warm{round_}")[: args.sample]
            t = time.perf_counter()
            warm = rendering.render_jobs(
                jobs, data_dir, workers=args.workers, warm=True, progress=False
            )
            warm_times.append(time.perf_counter() - t)
            assert all(r.ok for r in fresh + warm), [r.error for r in fresh + warm if not r.ok]
        n = len(jobs)
        t_fresh, t_warm = statistics.median(fresh_times), statistics.median(warm_times)
        print(f"sample: {n} council reports, {year}; median of {args.repeat} round(s)")
        print(f"fresh kernel per report, one at a time: {t_fresh / n:.2f} s/report")
        print(f"warm kernels, {args.workers} workers: {t_warm / n:.2f} s/report")
        print(f"throughput: {t_fresh / t_warm:.1f}x")
        if args.repeat > 1:
            ratios = ", ".join(f"{f / w:.1f}x" for f, w in zip(fresh_times, warm_times))
            print(f"each round: {ratios}")
        print(page_weights(warm))
        if args.all:
            jobs = rendering.plan(release, year, Path(tmp) / "all")
            t = time.perf_counter()
            res = rendering.render_jobs(jobs, data_dir, workers=args.workers, progress=False)
            total = time.perf_counter() - t
            ok = sum(r.ok for r in res)
            print(
                f"render all: {ok} of {len(jobs)} reports in {total:.0f} s "
                f"({total / len(jobs):.2f} s/report)"
            )
            print(page_weights(res))


if __name__ == "__main__":
    main()
