"""Every census table, old code against new: identical values and identical hidden cells.

    python benchmarks/compare_census_tables.py --base REV [--returns DIR] [--sample 200]
                                               [--thresholds 5 7]

Extracts ``workforce_lib`` as it is at git revision ``REV`` into a temporary folder (as the
package ``workforce_lib_base``) and runs both versions on the same pooled returns:

* every census fixture (``tests/fixtures/census``: the region, the multi-post returns and
  the single files), hand-made returns (``tests/census_returns.py``: a grid of counts from
  0 to 12 people, so small counts and secondary suppression are exercised), and seeded
  fictional regions (``workforce demo census``) of several sizes;
* with ``--returns``, ``--sample`` returns of that folder (whole councils, every year),
  e.g. the national benchmark's.

For each pool and threshold it compares every table of ``regional_tables`` (its JSON and
each shown table: the ``c`` cells are the hidden ones), each return's ``beyond_dfe`` tables
and their status (which cells are hidden, and why), each council's ``census summary``
JSON, and the region's ethnicity comparison. Exits non-zero on any difference. A speed
change to the table code must leave this silent; it is a check run by hand (it needs git
and the old code), not a test.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
BASE = "workforce_lib_base"
KEY = b"compare-census-tables-key-000001"


def extract_base(rev: str, into: Path) -> None:
    """``workforce_lib`` at ``rev`` as the package ``workforce_lib_base`` under ``into``."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "workforce_lib"],
                          check=True, capture_output=True).stdout  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    (into / "workforce_lib").rename(into / BASE)
    for path in (into / BASE).rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\bworkforce_lib\b", BASE, text), encoding="utf-8")


class Differences:
    def __init__(self) -> None:
        self.count = 0
        self.checked = 0

    def frame(self, what: str, a: pd.DataFrame, b: pd.DataFrame) -> None:
        self.checked += 1
        try:
            pd.testing.assert_frame_equal(a, b, check_exact=True)
        except AssertionError as err:
            self.count += 1
            print(f"DIFFERS {what}: {str(err).splitlines()[0:3]}", flush=True)

    def same(self, what: str, a, b) -> None:
        self.checked += 1
        if a != b:
            self.count += 1
            print(f"DIFFERS {what}", flush=True)


def _mods(pkg: str) -> dict:
    names = ["records.census.regional", "records.census.summary", "records.census.population"]
    return {n.split(".")[-1]: importlib.import_module(f"{pkg}.{n}") for n in names}


def compare_pool(name: str, pool, thresholds: list[int], old: dict, new: dict,
                 diff: Differences) -> None:  # fmt: skip
    for t in thresholds:
        a = old["regional"].regional_tables(pool, t)
        b = new["regional"].regional_tables(pool, t)
        diff.same(f"{name} t={t} regional JSON", json.dumps(a.to_json()), json.dumps(b.to_json()))
        ta, tb = a.all_tables(), b.all_tables()
        diff.same(f"{name} t={t} table titles", list(ta), list(tb))
        for k in ta:
            if k in tb:
                diff.frame(f"{name} t={t} {k}", ta[k], tb[k])
        for r in pool.returns:
            for th in (1, t):
                x = old["summary"].beyond_dfe(r, th)
                y = new["summary"].beyond_dfe(r, th)
                diff.same(f"{name} {r.council} {r.year} t={th} beyond_dfe names", list(x), list(y))
                for k in x:
                    for part, u, v in zip(("table", "status"), x[k], y[k], strict=True):
                        diff.frame(f"{name} {r.council} {r.year} t={th} {k} {part}", u, v)
        for c in pool.councils:
            mine = [r for r in pool.returns if r.council == c]
            x = old["summary"].summarise(mine, t).to_json()
            y = new["summary"].summarise(mine, t).to_json()
            diff.same(f"{name} {c} t={t} census summary JSON", json.dumps(x, default=str),
                      json.dumps(y, default=str))  # fmt: skip
        for y_ in pool.years:
            x = old["population"].region_comparison(pool, y_, None, t).to_json()
            y = new["population"].region_comparison(pool, y_, None, t).to_json()
            diff.same(f"{name} {y_} t={t} region ethnicity comparison", json.dumps(x, default=str),
                      json.dumps(y, default=str))  # fmt: skip


def hand_made_pools():
    """Pools of hand-made returns: every council's counts small enough to be suppressed."""
    sys.path.insert(0, str(ROOT / "tests"))
    from census_returns import census_return, pool

    grid = [
        dict(in_post=3, leavers=1),
        dict(in_post=6, leavers=2, agency=1, absent=2, gender=(1, 1, 2, 9, 0, 1)),
        dict(in_post=12, leavers=5, agency=3, absent=4, gender=(1,) * 4),
        dict(in_post=7, leavers=0, agency=2, gender=(1, 2, 1, 2, 9, 9, 9)),
        dict(in_post=0, leavers=4),
        dict(in_post=5, leavers=7, agency=5, absent=5, gender=(1, 1, 1, 1, 1)),
    ]
    for n in (2, 3, 6):
        rets = [census_return(f"9{i:02d}", y, **grid[(i + y) % len(grid)])
                for i in range(n) for y in (2024, 2025)]  # fmt: skip
        yield f"hand-made {n} councils", pool(rets)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="git revision of the old code")
    ap.add_argument("--returns", help="a folder of returns to sample (e.g. the benchmark's)")
    ap.add_argument("--sample", type=int, default=200, help="returns taken from --returns")
    ap.add_argument("--thresholds", type=int, nargs="+", default=[5, 7])
    ap.add_argument("--no-small", action="store_true", help="only the --returns sample")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        extract_base(args.base, tmp / "base")
        sys.path.insert(0, str(tmp / "base"))
        old, new = _mods(BASE), _mods("workforce_lib")
        from workforce_lib.records.census.demo import generate_region
        from workforce_lib.records.census.pool import pool_returns

        diff = Differences()
        t0 = time.perf_counter()
        pools = []
        if not args.no_small:
            fx = ROOT / "tests" / "fixtures" / "census"
            for sub in ("region", "multipost"):
                pools.append((f"fixture {sub}", lambda s=sub: pool_returns(fx / s, KEY)))
            for f in ("small_2024.xml", "small_2025.xml", "good_two.xml",
                      "small_2024_unlinked.xml"):  # fmt: skip
                d = tmp / f"one_{f}"
                d.mkdir()
                os.symlink(fx / f, d / f)
                pools.append((f"fixture {f}", lambda d=d: pool_returns(d, KEY)))
            for label, p in hand_made_pools():
                pools.append((label, lambda p=p: p))
            for seed, councils, years, size in ((1, 4, 2, 12), (2, 6, 3, 30), (3, 5, 3, 80),
                                                (2025, 6, 3, 300), (7, 11, 3, 150)):  # fmt: skip
                d = tmp / f"demo_{seed}_{size}"
                generate_region(d, councils=councils, years=years, seed=seed, size=size)
                pools.append((f"demo seed {seed} size {size}",
                              lambda d=d: pool_returns(d, KEY)))  # fmt: skip
        if args.returns:
            files = sorted(Path(args.returns).glob("*.xml"))[: args.sample]
            d = tmp / "sample"
            d.mkdir()
            for f in files:
                os.symlink(f.resolve(), d / f.name)
            pools.append((f"{len(files)} returns of {args.returns}",
                          lambda: pool_returns(d, KEY, workers=2)))  # fmt: skip
        for label, make in pools:
            before = diff.count
            p = make()
            compare_pool(label, p, args.thresholds, old, new, diff)
            same = "identical" if diff.count == before else "DIFFERENT"
            print(f"{label}: {len(p.returns)} returns, {len(p.workers):,} records: {same}",
                  flush=True)  # fmt: skip
        print(f"{diff.checked:,} tables and documents compared, {diff.count} differ "
              f"({time.perf_counter() - t0:.0f} s)")  # fmt: skip
        sys.exit(1 if diff.count else 0)


if __name__ == "__main__":
    main()
