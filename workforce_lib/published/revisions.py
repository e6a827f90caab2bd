"""Release vintages: which ``csww_indicators_*.csv`` is used, and what changed between two.

DfE revises earlier years in each new release. Two vintages are compared cell by cell over
the years both hold, rows matched on the LA number (``old_la_code``) for councils and the
region or country code otherwise: the ONS codes of some councils (North Yorkshire,
Somerset, Buckinghamshire, Barnsley, Sheffield) differ between vintages for the same years.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from workforce_lib.constants import LEVEL_COUNCIL, LEVEL_NATIONAL, SYMBOLS
from workforce_lib.errors import WorkforceError
from workforce_lib.measures import NUMERIC_COLUMNS
from workforce_lib.published import cleaning, loading
from workforce_lib.published.release import Release

CHANGE_COLUMNS = ["year", "level", "area", "old_la_code", "column", "old", "new", "change"]


def read_vintage(path: str | os.PathLike) -> pd.DataFrame:
    """An indicators file as text, checked with the same schema as loading."""
    path = Path(path)
    if not path.is_file():
        raise WorkforceError(f"No indicators file at {path}.")
    raw = loading.read_csv_as_text(path)
    cleaning.validate_indicators(raw, path.name)
    return raw


def _keyed(raw: pd.DataFrame) -> pd.DataFrame:
    level = raw["geographic_level"]
    code = raw["country_code"].where(level == LEVEL_NATIONAL, raw["region_code"])
    code = code.where(level != LEVEL_COUNCIL, raw["old_la_code"])
    area = raw["la_name"].where(level == LEVEL_COUNCIL, raw["region_name"])
    area = area.where(level != LEVEL_NATIONAL, raw["country_name"])
    return raw.assign(_key=raw["time_period"] + "|" + level + "|" + code, _area=area).set_index(
        "_key"
    )


def _kind(old: str, new: str) -> str | None:
    """How a published cell changed, or None if it did not.

    >>> _kind("12.0", "12"), _kind("12.0", "12.5"), _kind("c", "4")
    (None, 'value revised', 'symbol became a value (c: suppressed to protect confidentiality)')
    >>> _kind("3", "u"), _kind("c", "x")
    ('value became a symbol (u: low reliability)', 'symbol changed (x: not available)')
    """
    if old == new:
        return None
    old_sym, new_sym = old in SYMBOLS, new in SYMBOLS
    if not old_sym and not new_sym:
        return None if float(old) == float(new) else "value revised"
    if new_sym and not old_sym:
        return f"value became a symbol ({new}: {SYMBOLS[new]})"
    if old_sym and not new_sym:
        return f"symbol became a value ({old}: {SYMBOLS[old]})"
    return f"symbol changed ({new}: {SYMBOLS[new]})"


def compare_vintages(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Every cell that differs between two vintages over the years both hold.

    Returns
    -------
    One row per change: ``year, level, area, old_la_code, column, old, new, change``; a
    changed ONS code is listed as ``re-coded``, a row only one vintage has as
    ``row added`` or ``row removed``.
    """
    years = sorted(set(old["time_period"]) & set(new["time_period"]))
    a = _keyed(old[old["time_period"].isin(years)])
    b = _keyed(new[new["time_period"].isin(years)])
    rows = []

    def add(r, column, o, n, change):
        rows.append(
            {
                "year": int(r["time_period"]),
                "level": r["geographic_level"],
                "area": r["_area"],
                "old_la_code": r["old_la_code"],
                "column": column,
                "old": o,
                "new": n,
                "change": change,
            }
        )

    for key in a.index.difference(b.index, sort=False):
        add(a.loc[key], "(row)", "present", "", "row removed")
    for key in b.index.difference(a.index, sort=False):
        add(b.loc[key], "(row)", "", "present", "row added")
    common = a.index.intersection(b.index, sort=False)
    columns = [c for c in NUMERIC_COLUMNS if c in a.columns and c in b.columns]
    av, bv = a.loc[common], b.loc[common]
    recoded = common[av["new_la_code"] != bv["new_la_code"]]
    for key in recoded:
        add(
            b.loc[key],
            "new_la_code",
            a.at[key, "new_la_code"],
            b.at[key, "new_la_code"],
            "re-coded",
        )
    differs = av[columns].ne(bv[columns])
    for key, column in differs.stack()[lambda s: s].index:
        o, n = av.at[key, column], bv.at[key, column]
        kind = _kind(o, n)
        if kind:
            add(bv.loc[key], column, o, n, kind)
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    return out.sort_values(["year", "level", "area", "column"], ignore_index=True)


def revisions_between(
    old_path: str | os.PathLike, new_path: str | os.PathLike
) -> tuple[pd.DataFrame, list[int]]:
    """The changes between two indicators files and the years both hold."""
    old, new = read_vintage(old_path), read_vintage(new_path)
    for path, raw in ((old_path, old), (new_path, new)):
        dup = _keyed(raw).index.duplicated()
        if dup.any():
            line = int(dup.nonzero()[0][0]) + 2
            raise WorkforceError(
                f"{Path(path).name}, row {line}: a second row for the same year and LA number "
                "(old_la_code); the vintages cannot be compared row by row."
            )
    years = sorted(int(y) for y in set(old["time_period"]) & set(new["time_period"]))
    return compare_vintages(old, new), years


def years_held(path: str | os.PathLike) -> list[int]:
    """The census years an indicators file holds (its ``time_period`` values), sorted."""
    period = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig",
                         usecols=["time_period"])["time_period"]  # fmt: skip
    return sorted({y for y in map(loading.parse_time_period, period) if y is not None})


def _kinds(changes: pd.DataFrame) -> str:
    """``value revised: 3, re-coded: 1``: the changes by kind (without the symbols' words)."""
    kinds = changes["change"].str.replace(r" \(.*\)$", "", regex=True).value_counts(sort=False)
    return ", ".join(f"{k}: {n}" for k, n in kinds.items())


def year_sources(
    files: list[Path], changes: pd.DataFrame, named: bool = False
) -> list[tuple[int, str, str]]:
    """For every year any of ``files`` (oldest first, as :func:`loading.find_files` orders
    them) holds: (year, the file whose figures are used for it or "", why, in words).

    The last file is the one used (the library reads the newest file only); ``changes``
    are those from the file before it (:func:`compare_vintages`). ``named``: the two
    files were named by the user (the last as the newer), not found in the data folder.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for name, years in (("a.csv", "2023\\n2024"), ("b.csv", "2024\\n2025")):
    ...     _ = (d / name).write_text("time_period\\n" + years + "\\n")
    >>> ch = pd.DataFrame({"year": [2024], "change": ["value revised"]})
    >>> for y, f, why in year_sources([d / "a.csv", d / "b.csv"], ch):
    ...     print(y, f or "-", why)  # doctest: +NORMALIZE_WHITESPACE
    2023 - not shown: only a.csv holds 2023, and the library reads the newest file, b.csv,
      which does not
    2024 b.csv the newest file holding 2024 (the one the library reads); it revises a.csv's
      2024 figures: value revised: 1
    2025 b.csv the newest file holding 2025 (the one the library reads), and the only one
    """
    files = [Path(f) for f in files]
    used, before = files[-1], files[-2] if len(files) > 1 else None
    held = {f: set(years_held(f)) for f in files}
    what = (
        "the newer of the two files named"
        if named
        else "the newest file holding {y} (the one the library reads)"
    )
    out = []
    for y in sorted(set().union(*held.values())):
        holders = [f.name for f in files if y in held[f]]
        if y not in held[used]:
            verb = "holds" if len(holders) == 1 else "hold"
            why = (
                f"not compared: only {holders[0]} holds {y}"
                if named
                else f"not shown: only {', '.join(holders)} {verb} {y}, and the library "
                f"reads the newest file, {used.name}, which does not"
            )
            out.append((y, "", why))
            continue
        why = what.format(y=y)
        if len(holders) == 1:
            why += ", and the only one"
        elif before is not None and y in held[before]:
            mine = changes[changes["year"] == y]
            why += (
                f"; it revises {before.name}'s {y} figures: {_kinds(mine)}"
                if len(mine)
                else f"; its {y} figures are the same as {before.name}'s"
            )
        else:
            why += f"; {', '.join(h for h in holders if h != used.name)} also hold(s) {y}"
        out.append((y, used.name, why))
    return out


def vintages_note(data_dir: str | os.PathLike | None = None) -> str | None:
    """What the quality findings say when the folder holds more than one vintage."""
    found = loading.indicator_vintages(data_dir)
    if len(found) < 2:
        return None
    older = ", ".join(p.name for p in found[:-1])
    return (
        f"{len(found)} indicators files are in {found[-1].parent}: the newest, "
        f"{found[-1].name}, is used ({loading.why_chosen(found)}); older: {older}. "
        "`workforce data revisions` lists every value DfE has revised between them."
    )


def revision_summary(release: Release) -> pd.DataFrame:
    """For the England report: how many published cells the release revised since the
    previous vintage in its folder, by column and kind of change (empty if none is there)."""
    found = [p for p in loading.indicator_vintages(release.source.parent) if p != release.source]
    if not found:
        return pd.DataFrame(columns=["previous vintage", "column", "change", "cells", "years"])
    changes, _ = revisions_between(found[-1], release.source)
    if changes.empty:
        return pd.DataFrame(
            {"previous vintage": [found[-1].name], "column": ["(all)"], "change": ["none"]}
        ).assign(cells=0, years="")
    grouped = changes.groupby(["column", "change"])
    out = grouped.size().rename("cells").reset_index()
    out["years"] = grouped["year"].agg(lambda y: ", ".join(map(str, sorted(set(y))))).to_numpy()
    out.insert(0, "previous vintage", found[-1].name)
    return out.sort_values(["cells", "column"], ascending=[False, True], ignore_index=True)
