"""The cleaned DfE release: one object the rest of the library and the notebooks use.

With the release in ``WORKFORCE_DATA_DIR`` (run as a test in CI):

>>> from workforce_lib.published.release import load_release
>>> rel = load_release()
>>> rel.cell("929", 2022, "turnover_rate_fte").display()  # Northumberland
'15.9%'
"""

from __future__ import annotations

import codecs
import os
import secrets
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from workforce_lib.constants import SYMBOLS
from workforce_lib.errors import WorkforceError
from workforce_lib.measures import MEASURES, NUMERIC_COLUMNS
from workforce_lib.published import cleaning, loading, symbols

#: Bump when cleaning changes, so cached releases are rebuilt.
CACHE_VERSION = "2"  # 2: duplicate LA numbers and percentages over 100 refused
ENV_CACHE_DIR = "WORKFORCE_CACHE_DIR"
_STATUS_PREFIX = "status__"


@dataclass(frozen=True)
class Cell:
    """One published figure: a number, or the reason there is none."""

    measure: str
    value: float | None
    status: str | None  # a DfE symbol, or None when the number is published

    @property
    def reason(self) -> str | None:
        """``"u: low reliability"`` for a cell published as a symbol, else None."""
        if not self.status:
            return None
        return symbols.reason(self.status)

    def display(self) -> str:
        """``15.9%``, ``low reliability (u)`` or ``less than 0.5%`` (DfE's symbols in words,
        :func:`workforce_lib.published.symbols.shown`); never a blank or an invented 0."""
        return symbols.shown(MEASURES[self.measure], self.value, self.status)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity
class Release:
    """The indicators file, validated and cleaned.

    Attributes
    ----------
    areas : one row per input row: ``year``, ``level`` (england/region/council), ``area_id``,
        ``area_name``, ``ons_code``, ``la_code``, ``region_code``, ``region_name``, ``subregion``.
    values : numeric columns as floats; NaN where DfE published a symbol.
    status : the symbol where a value is not published, "" where it is.
    source : the file read.
    sha256 : its checksum (printed on every report).
    """

    areas: pd.DataFrame
    values: pd.DataFrame
    status: pd.DataFrame
    source: Path
    sha256: str

    @cached_property
    def years(self) -> list[int]:
        return sorted(self.areas["year"].unique().tolist())

    @property
    def latest_year(self) -> int:
        return self.years[-1]

    def require_year(self, year: int | None) -> int:
        """``year``, or the latest if None; a year the release does not hold is an error.

        Raises
        ------
        WorkforceError
            Naming the file and the years it holds.
        """
        if year is None:
            return self.latest_year
        if year not in self.years:
            raise WorkforceError(
                f"No {year} in {self.source.name}: it holds {self.years[0]}-{self.years[-1]}."
            )
        return year

    @cached_property
    def _index(self) -> dict[tuple[str, int], int]:
        return {(a, y): i for i, a, y in zip(self.areas.index, self.areas.area_id, self.areas.year)}

    @cached_property
    def _frames(self) -> dict[tuple[str | None, int | None], pd.DataFrame]:
        return {}

    def frame(self, level: str | None = None, year: int | None = None) -> pd.DataFrame:
        """Areas and values side by side, optionally for one level and/or year (a copy:
        the caller may change it)."""
        key = (level, year)
        if key not in self._frames:
            mask = pd.Series(True, index=self.areas.index)
            if level is not None:
                mask &= self.areas["level"] == level
            if year is not None:
                mask &= self.areas["year"] == year
            self._frames[key] = pd.concat([self.areas[mask], self.values[mask]], axis=1)
        return self._frames[key].copy()

    def row(self, area_id: str, year: int) -> int | None:
        """Index label of an area's row in a year, or None if it has none."""
        return self._index.get((area_id, year))

    @cached_property
    def _positions(self) -> dict:
        """Each row's position in :attr:`values` and :attr:`status` (they share an index)."""
        return {label: n for n, label in enumerate(self.values.index)}

    @cached_property
    def _cell_columns(self) -> dict:
        return {}

    def _cell_column(self, measure: str):
        """A measure's values and statuses as arrays, taken once (a report asks for
        thousands of cells; ``DataFrame.at`` costs about 30 times a list's lookup)."""
        got = self._cell_columns.get(measure)
        if got is None:
            got = (self.values[measure].to_numpy(), self.status[measure].to_numpy(object))
            self._cell_columns[measure] = got
        return got

    def cell(self, area_id: str, year: int, measure: str) -> Cell:
        """One figure with its status; status ``"no row"`` if the area has no row that year."""
        i = self.row(area_id, year)
        if i is None:
            return Cell(measure, None, None)
        values, statuses = self._cell_column(measure)
        n = self._positions[i]
        status = statuses[n] or None
        value = values[n]
        return Cell(measure, None if pd.isna(value) else float(value), status)

    def council_ids(self, year: int) -> list[str]:
        a = self.areas
        return a.loc[(a.level == "council") & (a.year == year), "area_id"].tolist()

    def suppressed(self) -> pd.DataFrame:
        """Every unpublished cell: year, area, column, symbol and reason."""
        long = self.status.stack()
        long = long[long != ""]
        idx = long.index.get_level_values(0)
        out = pd.DataFrame(
            {
                "year": self.areas.loc[idx, "year"].to_numpy(),
                "level": self.areas.loc[idx, "level"].to_numpy(),
                "area_id": self.areas.loc[idx, "area_id"].to_numpy(),
                "area_name": self.areas.loc[idx, "area_name"].to_numpy(),
                "column": long.index.get_level_values(1),
                "symbol": long.to_numpy(),
            }
        )
        out["reason"] = out["symbol"].map(SYMBOLS)
        return out.sort_values(["year", "area_name", "column"], ignore_index=True)


def _cache_dir() -> Path:
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env)
    return loading.PROJECT_ROOT / "data" / "processed"


def _encoding_problem(path: Path) -> str:
    """Which encoding problem a file has, in words a user can act on."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        found = "it is UTF-32 text"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        found = "it is UTF-16 text"
    else:
        try:
            data.decode("utf-8-sig")
            found = "it is not UTF-8 text"  # not reached: pandas found a bad byte
        except UnicodeDecodeError as err:
            bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
            at = err.start + bom  # the position in the file, not in pandas's chunk
            line = data.count(b"\n", 0, at) + 1
            found = (
                f"byte 0x{data[at]:02x} on line {line} is not UTF-8 "
                "(probably Latin-1 or Windows-1252 text)"
            )
    return (
        f"{path}: cannot read it as UTF-8: {found}. Save it as UTF-8 (in Excel: "
        "'CSV UTF-8'), as DfE publishes it."
    )


def read_indicators(path: Path) -> pd.DataFrame:
    """The indicators file as text, every read problem an error naming the file.

    Raises
    ------
    WorkforceError
        An empty file, a file that is not UTF-8 (UTF-8 with a byte-order mark is fine), or a
        row with more cells than the header; each naming the file.
    """
    try:
        return loading.read_csv_as_text(path)
    except UnicodeDecodeError:
        raise WorkforceError(_encoding_problem(path)) from None
    except pd.errors.EmptyDataError:
        raise WorkforceError(f"{path}: the file is empty (not even a header row).") from None
    except pd.errors.ParserError as err:
        raise WorkforceError(f"{path}: not a well-formed CSV: {str(err).strip()}") from None


def _build(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    raw = read_indicators(path)
    cleaning.validate_indicators(raw, path.name)
    values, status = cleaning.split_values(raw)
    return cleaning.tidy_areas(raw), values, status


def load_release(
    data_dir: str | os.PathLike | None = None,
    *,
    path: str | os.PathLike | None = None,
    cache: bool = True,
) -> Release:
    """Load, validate and clean the newest indicators file in the data directory.

    Parameters
    ----------
    data_dir : folder holding ``csww_indicators_*.csv`` (default: see
        :func:`workforce_lib.published.loading.resolve_data_dir`).
    path : a specific file instead.
    cache : keep the cleaned release as parquet keyed by the file's checksum, so the next
        load takes milliseconds. A changed file has a new checksum and is validated afresh.

    Raises
    ------
    DataNotFoundError, DataValidationError
    """
    src = Path(path) if path else loading.indicators_path(data_dir)
    digest = loading.sha256(src)
    cached = _cache_dir() / f"release-{digest[:16]}-v{CACHE_VERSION}.parquet"
    key = (str(src.absolute()), digest, str(cached.absolute()), _stat_key(cached))
    if cache and key in _LOADED:  # the same file and cache as last time: the same Release
        return _LOADED[key]
    if cache and cached.exists():
        got = _read_cache(cached, src, digest)
        if got is not None:
            _LOADED.clear()  # one release kept: a report run reads one file
            _LOADED[key] = got
            return got
    areas, values, status = _build(src)
    if cache:
        _write_cache(cached, pd.concat([areas, values, status.add_prefix(_STATUS_PREFIX)], axis=1))
    return Release(areas, values, status, src, digest)


#: The release :func:`load_release` read last from its cache file, by file, checksum and
#: cache file (its time and size: a cache rewritten or damaged since is read again): a
#: process rendering report after report (a warm kernel) reads it once, and the caches
#: keyed by a release (ranks, context, Ofsted, group figures) then serve every report.
_LOADED: dict[tuple, Release] = {}


def _stat_key(path: Path) -> tuple[int, int] | None:
    """The cache file's modification time and size (None when it is missing): a cache
    file removed or rewritten since is read afresh."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _read_cache(cached: Path, src: Path, digest: str) -> Release | None:
    """The release kept in ``cached``, or None where that file cannot be read as one (a
    damaged cache is rebuilt from the published file, never trusted or fatal)."""
    try:
        both = pd.read_parquet(cached)
        areas = both[list(both.columns[: both.columns.get_loc("inpost_fte")])]
        values = both[list(NUMERIC_COLUMNS)]
        status = both[[_STATUS_PREFIX + c for c in NUMERIC_COLUMNS]]
        status.columns = list(NUMERIC_COLUMNS)
        return Release(
            areas.astype(object).assign(year=areas.year.astype(int)),
            values.astype(float),
            status.astype(object),
            src,
            digest,
        )
    except Exception:  # noqa: BLE001 - any unreadable cache is rebuilt
        return None


def _write_cache(cached: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` to ``cached`` through a file of this process's own (two processes
    building the same release at once never write one file), then rename it into place."""
    tmp = cached.with_name(f".{cached.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(tmp)
        tmp.replace(cached)
    except OSError:
        pass  # a read-only checkout still works, just without the cache
    finally:
        tmp.unlink(missing_ok=True)
