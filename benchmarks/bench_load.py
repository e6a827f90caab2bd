"""Time load + validate + clean of the whole DfE release (target: under 0.3 s warm).

    python benchmarks/bench_load.py [--repeat 20]

"Warm" means the libraries are imported and the file is in the OS cache; the first,
cold, run is reported separately. The cached path (parquet keyed by checksum) is timed too.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from workforce_lib.published.release import load_release


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
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
    import os

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


if __name__ == "__main__":
    main()
