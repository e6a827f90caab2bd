"""Time load + validate + clean of the whole DfE release (target: under 0.3 s warm), and
the read of the Ofsted spreadsheet(s) in the same folder.

    python benchmarks/bench_load.py [--repeat 20] [--ofsted-repeat 3]

"Warm" means the libraries are imported and the file is in the OS cache; the first,
cold, run is reported separately. The cached path (parquet keyed by checksum) is timed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from importlib.util import find_spec

import pandas as pd

from workforce_lib.published import loading, ofsted
from workforce_lib.published.release import load_release


def bench_ofsted(data_dir: str | None, repeat: int) -> None:
    """Wall and CPU time of reading each Ofsted file: every sheet through each spreadsheet
    engine installed (calamine; odfpy, no longer a dependency, only if installed by hand
    for a comparison), and the module's own whole read."""
    paths = loading.source_paths(ofsted.KIND, data_dir)
    engines = [e for e, mod in (("calamine", "python_calamine"), ("odf", "odf")) if find_spec(mod)]
    for path in paths:
        size = path.stat().st_size / 2**20
        print(f"ofsted: {path.name} ({size:.2f} MB)")
        jobs = {
            f"pd.read_excel(engine={e!r}), all sheets": (
                lambda e=e: pd.read_excel(path, engine=e, sheet_name=None, header=None)
            )
            for e in engines
        }
        jobs["ofsted._read_file (read + find headers)"] = lambda: ofsted._read_file.__wrapped__(
            path, "x"
        )
        for label, job in jobs.items():
            wall, cpu = [], []
            for _ in range(repeat):
                w, c = time.perf_counter(), time.process_time()
                job()
                wall.append(time.perf_counter() - w)
                cpu.append(time.process_time() - c)
            print(
                f"  {label}: median wall {statistics.median(wall) * 1000:.0f} ms, "
                f"CPU {statistics.median(cpu) * 1000:.0f} ms over {repeat} runs"
            )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--ofsted-repeat", type=int, default=3)
    ap.add_argument("--data-dir")
    args = ap.parse_args()

    t0 = time.perf_counter()
    rel = load_release(args.data_dir, cache=False)
    cold = time.perf_counter() - t0

    def timed(**kw) -> list[float]:
        out = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            load_release(args.data_dir, **kw)
            out.append(time.perf_counter() - t)
        return out

    full = timed(cache=False)

    os.environ["WORKFORCE_CACHE_DIR"] = tempfile.mkdtemp()
    load_release(args.data_dir, cache=True)
    cached = timed(cache=True)
    rows = len(rel.areas)
    print(f"release: {rel.source.name} ({rows} rows, sha256 {rel.sha256[:12]})")
    print(f"first load (validate + clean): {cold * 1000:.0f} ms")
    print(
        f"warm load + validate + clean: median {statistics.median(full) * 1000:.0f} ms, "
        f"max {max(full) * 1000:.0f} ms over {args.repeat} runs (target < 300 ms)"
    )
    print(f"warm load from parquet cache: median {statistics.median(cached) * 1000:.0f} ms")
    bench_ofsted(args.data_dir, args.ofsted_repeat)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
