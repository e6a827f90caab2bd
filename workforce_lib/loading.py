"""Finding and reading the release files in a data directory.

The data directory is ``--data-dir`` if given, else ``$WORKFORCE_DATA_DIR``, else the
project's ``data/raw/``. Files are read as published; :mod:`workforce_lib.cleaning`
validates and converts them.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pandas as pd

from workforce_lib.constants import INDICATORS_GLOB
from workforce_lib.errors import DataNotFoundError

ENV_DATA_DIR = "WORKFORCE_DATA_DIR"

#: The project root when the package runs from a checkout (editable install).
PROJECT_ROOT = Path(__file__).resolve().parent.parent


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


def _end_year(path: Path) -> tuple[int, str]:
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", path.name)]
    return (max(years) if years else 0, path.name)


HOW_TO_SUPPLY = (
    "Put the DfE release files in that folder, or point {env} at a folder that holds them "
    "(for example: export {env}=../shared/data/dfe), or run `workforce data fetch` "
    "on a machine that can reach the DfE statistics service."
)


def find_file(pattern: str, data_dir: str | os.PathLike | None = None) -> Path:
    """The newest file matching ``pattern`` in the data directory (by the latest year in its name).

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
    """Every file matching ``pattern`` in the data directory, oldest first (by the latest
    year in its name, then name); ``[]`` if none.

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
    return sorted((p for p in folder.glob(pattern) if p.is_file()), key=_end_year)


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
    from workforce_lib.sources import load_manifest

    return find_file(load_manifest().sources[kind].pattern, data_dir)


def source_paths(kind: str, data_dir: str | os.PathLike | None = None) -> list[Path]:
    """Every file of a manifest entry in the data directory, oldest first."""
    from workforce_lib.sources import load_manifest

    return find_files(load_manifest().sources[kind].pattern, data_dir)


def missing_note(kind: str, data_dir: str | os.PathLike | None = None) -> str:
    """What a report says when an optional input is missing: the file and how to get it.

    >>> missing_note("ofsted", "/nowhere")  # doctest: +NORMALIZE_WHITESPACE
    'Not shown: no file matching LA_Inspection_Outcomes_*.ods (Local authority inspection
    outcomes as at 31 March 2025 (underlying data), Ofsted (official statistics)) in /nowhere.
    Run `workforce data fetch` to get it, or copy it into that folder.'
    """
    from workforce_lib.sources import load_manifest

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
