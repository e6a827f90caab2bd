"""Finding and reading the release files in a data directory.

The data directory is ``--data-dir`` if given, else ``$WORKFORCE_DATA_DIR``, else the
project's ``data/raw/``. Files are read as published; :mod:`workforce_lib.published.cleaning`
validates and converts them.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd

from workforce_lib.constants import INDICATORS_GLOB, PROJECT_ROOT
from workforce_lib.errors import DataNotFoundError

ENV_DATA_DIR = "WORKFORCE_DATA_DIR"


def default_data_dir() -> Path:
    """``data/raw`` of the project checkout, or of the working directory otherwise."""
    if (PROJECT_ROOT / "pyproject.toml").exists():
        return PROJECT_ROOT / "data" / "raw"
    return Path.cwd() / "data" / "raw"


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The data directory: the argument, else ``$WORKFORCE_DATA_DIR``, else ``data/raw``."""
    if data_dir:
        return Path(data_dir).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def _end_year(path: Path) -> int:
    """The latest year (20xx) in a file's name, 0 if none."""
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", path.name)]
    return max(years) if years else 0


def parse_time_period(text: str) -> int | None:
    """The calendar year a DfE ``time_period`` ends in: ``202324`` -> 2024, ``2024`` -> 2024.

    >>> parse_time_period("202324"), parse_time_period("2024"), parse_time_period("2019/20")
    (2024, 2024, 2020)
    >>> parse_time_period("202325"), parse_time_period("24")
    (None, None)
    """
    t = re.sub(r"[\s/-]", "", str(text))
    if re.fullmatch(r"(19|20)\d\d", t):
        return int(t)
    if re.fullmatch(r"(19|20)\d{4}", t):
        start, end = int(t[:4]), int(t[4:])
        if (start + 1) % 100 == end:
            return start + 1
    return None


#: Column names (letters and digits only, any case) a file's period and publication date
#: are read from when vintages are ordered by content.
PERIOD_COLUMNS = ("timeperiod",)
PUBLISHED_COLUMNS = ("publicationdate", "publishedon", "published", "releasedate")
#: A file larger than this is ordered by its name only (its content is not read for it).
MAX_ORDER_BYTES = 100 * 2**20


@dataclass(frozen=True)
class Vintage:
    """What orders one file among others of the same source, newest last: the latest period
    it holds (``time_period``; else the latest year in its name), the publication date it
    states (if it has such a column), its modification time, its name."""

    path: Path
    latest_period: int
    period_from: str  # "content" or "name"
    published: str  # ISO date, "" if the file states none
    mtime_ns: int

    @property
    def key(self) -> tuple[int, str, int, str]:
        return (self.latest_period, self.published, self.mtime_ns, self.path.name)


def _column_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).replace("\ufeff", "").casefold())


@lru_cache(maxsize=64)
def _vintage(path: Path, mtime_ns: int, size: int) -> Vintage:
    name_year = _end_year(path)
    if path.suffix.casefold() != ".csv" or size > MAX_ORDER_BYTES:
        return Vintage(path, name_year, "name", "", mtime_ns)
    wanted = PERIOD_COLUMNS + PUBLISHED_COLUMNS
    try:
        df = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            usecols=lambda c: _column_key(c) in wanted,
        )
    except (ValueError, UnicodeDecodeError, OSError, pd.errors.ParserError):
        return Vintage(path, name_year, "name", "", mtime_ns)
    cols = {_column_key(c): c for c in df.columns}
    period = next((cols[k] for k in PERIOD_COLUMNS if k in cols), None)
    years = [y for y in map(parse_time_period, df[period])] if period else []
    years = [y for y in years if y is not None]
    published = ""
    pub = next((cols[k] for k in PUBLISHED_COLUMNS if k in cols), None)
    if pub:
        # ISO (2026-02-26) or as DfE writes dates (26/02/2026); anything else is not a date
        text = df[pub].str.strip()
        iso = pd.to_datetime(text, errors="coerce", format="%Y-%m-%d")
        dates = iso.fillna(pd.to_datetime(text, errors="coerce", format="%d/%m/%Y")).dropna()
        published = dates.max().date().isoformat() if len(dates) else ""
    if not years:
        return Vintage(path, name_year, "name", published, mtime_ns)
    return Vintage(path, max(years), "content", published, mtime_ns)


def vintage(path: str | os.PathLike) -> Vintage:
    """How ``path`` is ordered among files of the same source (read once per file version)."""
    p = Path(path)
    st = p.stat()
    return _vintage(p, st.st_mtime_ns, st.st_size)


def _utc(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def why_chosen(paths: list[Path]) -> str:
    """Why the last of ``paths`` (as :func:`find_files` orders them) is used rather than
    the one before it, naming the first thing that tells them apart.

    >>> import os, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> a, b = d / "x_2025_b.csv", d / "x_2025_a.csv"
    >>> _ = a.write_text("time_period\\n2024\\n"); _ = b.write_text("time_period\\n2025\\n")
    >>> print(why_chosen(find_files("x_*.csv", d)))
    it holds the latest period: time_period up to 2025 (x_2025_b.csv: time_period up to 2024)
    """
    if len(paths) < 2:
        return "it is the only file"
    new, old = vintage(paths[-1]), vintage(paths[-2])

    def held(v: Vintage) -> str:
        return (
            f"time_period up to {v.latest_period}"
            if v.period_from == "content"
            else (f"{v.latest_period or 'no year'} in its name (time_period not read)")
        )

    if new.latest_period != old.latest_period:
        return f"it holds the latest period: {held(new)} ({old.path.name}: {held(old)})"
    same = (
        f"both hold {held(new)}"
        if new.period_from == old.period_from
        else (f"{new.path.name}: {held(new)}; {old.path.name}: {held(old)}")
    )
    if new.published != old.published:
        return (
            f"{same}; it states the later publication date, {new.published} "
            f"({old.path.name}: {old.published or 'none stated'})"
        )
    pub = (
        f"both state publication date {new.published}"
        if new.published
        else ("neither states a publication date")
    )
    if new.mtime_ns != old.mtime_ns:
        return (
            f"{same}; {pub}; it was modified later, {_utc(new.mtime_ns)} "
            f"({old.path.name}: {_utc(old.mtime_ns)})"
        )
    return f"{same}; {pub}; both were modified at the same time; its name sorts last"


HOW_TO_SUPPLY = (
    "Put the DfE release files in that folder, or point {env} at a folder that holds them "
    "(for example: export {env}=../shared/data/dfe), or run `workforce data fetch` "
    "on a machine that can reach the DfE statistics service."
)


def find_file(pattern: str, data_dir: str | os.PathLike | None = None) -> Path:
    """The newest file matching ``pattern`` in the data directory (as :func:`find_files`
    orders them: by content first, see :class:`Vintage`).

    Raises
    ------
    DataNotFoundError
        If no file matches, with instructions for supplying one.
    """
    folder = resolve_data_dir(data_dir)
    found = find_files(pattern, folder)
    if not found:
        raise DataNotFoundError(
            f"No file matching {pattern} in {folder}. " + HOW_TO_SUPPLY.format(env=ENV_DATA_DIR)
        )
    return found[-1]


def find_files(pattern: str, data_dir: str | os.PathLike | None = None) -> list[Path]:
    """Every file matching ``pattern`` in the data directory, oldest first; ``[]`` if none.

    Files are ordered by what they hold (:class:`Vintage`): the latest ``time_period`` in
    a CSV (else the latest year in the name), then the publication date the file states (if
    it has a column for one), then modification time, then name. :func:`why_chosen` says
    what put the last one last.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for n in ("csww_indicators_2017_to_2025.csv", "csww_indicators_2017_to_2024.csv"):
    ...     _ = (d / n).write_text("")
    >>> [p.name for p in find_files("csww_indicators_*.csv", d)]
    ['csww_indicators_2017_to_2024.csv', 'csww_indicators_2017_to_2025.csv']
    """
    folder = resolve_data_dir(data_dir)
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(pattern) if p.is_file()]
    if len(found) < 2:  # nothing to order: no file is read
        return found
    return sorted(found, key=lambda p: vintage(p).key)


def indicators_path(data_dir: str | os.PathLike | None = None) -> Path:
    """Path of the newest ``csww_indicators_*.csv`` in the data directory."""
    return find_file(INDICATORS_GLOB, data_dir)


def indicator_vintages(data_dir: str | os.PathLike | None = None) -> list[Path]:
    """Every ``csww_indicators_*.csv`` in the data directory, oldest first; the last is used."""
    return find_files(INDICATORS_GLOB, data_dir)


def source_path(kind: str, data_dir: str | os.PathLike | None = None) -> Path:
    """The newest file of a manifest entry (``"ofsted"``, ``"neighbours_2025"`` ...).

    Raises
    ------
    DataNotFoundError
        If none is in the data directory, naming the file and the command that gets it.
    """
    from workforce_lib.published.sources import load_manifest

    return find_file(load_manifest().sources[kind].pattern, data_dir)


def source_paths(kind: str, data_dir: str | os.PathLike | None = None) -> list[Path]:
    """Every file of a manifest entry in the data directory, oldest first."""
    from workforce_lib.published.sources import load_manifest

    return find_files(load_manifest().sources[kind].pattern, data_dir)


def missing_note(kind: str, data_dir: str | os.PathLike | None = None) -> str:
    """What a report says when an optional input is missing: the file and how to get it.

    >>> missing_note("ofsted", "/nowhere")  # doctest: +NORMALIZE_WHITESPACE
    'Not shown: no file matching LA_Inspection_Outcomes_*.ods (Local authority inspection
    outcomes as at 31 March 2025 (underlying data), Ofsted (official statistics)) in /nowhere.
    Run `workforce data fetch` to get it, or copy it into that folder.'
    """
    from workforce_lib.published.sources import load_manifest

    s = load_manifest().sources[kind]
    return (
        f"Not shown: no file matching {s.pattern} ({s.title}, {s.publisher}) in "
        f"{resolve_data_dir(data_dir)}. Run `workforce data fetch` to get it, or copy it "
        "into that folder."
    )


def zip_problem(
    path: str | os.PathLike, max_total: int, max_ratio: float, members=None
) -> str | None:
    """Why a zip (or a zip-based file such as .ods) is refused before it is expanded: over
    ``max_total`` bytes expanded in all, or any member over ``max_ratio`` times its
    compressed size (a zip bomb); None if within both, or if it is not a zip at all.

    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("zeros", bytes(10**6))
    >>> zip_problem(buf, 10**7, 100).endswith("over 100 times; refused as a zip bomb")
    True
    >>> zip_problem(buf, 10**5, 10**4)
    'would expand to 1000000 bytes, more than the 100000 allowed'
    >>> zip_problem(buf, 10**7, 10**4) is None
    True
    """
    import zipfile

    try:
        infos = members if members is not None else zipfile.ZipFile(path).infolist()
    except (zipfile.BadZipFile, OSError):
        return None
    total = sum(i.file_size for i in infos)
    if total > max_total:
        return f"would expand to {total} bytes, more than the {max_total} allowed"
    for i in infos:
        if i.file_size > max_ratio * max(i.compress_size, 1):
            return (
                f"member {i.filename} expands to {i.file_size} bytes from {i.compress_size}: "
                f"over {max_ratio:g} times; refused as a zip bomb"
            )
    return None


def sha256(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file (reports print it so a reader can tell releases apart)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_csv_as_text(path: str | os.PathLike) -> pd.DataFrame:
    """Read a CSV with every cell as text, blanks as "" (nothing guessed, nothing dropped)."""
    return pd.read_csv(
        path, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
    )
