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

from workforce_lib.constants import INDICATORS_GLOB, NEIGHBOURS_GLOB, OFSTED_GLOB
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
    found = sorted(folder.glob(pattern), key=_end_year) if folder.is_dir() else []
    if not found:
        raise DataNotFoundError(
            f"No file matching {pattern} in {folder}. " + HOW_TO_SUPPLY.format(env=ENV_DATA_DIR)
        )
    return found[-1]


def indicators_path(data_dir: str | os.PathLike | None = None) -> Path:
    """Path of the newest ``csww_indicators_*.csv`` in the data directory."""
    return find_file(INDICATORS_GLOB, data_dir)


def neighbours_path(data_dir: str | os.PathLike | None = None) -> Path:
    return find_file(NEIGHBOURS_GLOB, data_dir)


def ofsted_path(data_dir: str | os.PathLike | None = None) -> Path:
    return find_file(OFSTED_GLOB, data_dir)


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
