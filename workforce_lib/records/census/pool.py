"""A region's pooled census returns: every member council's returns in one folder, read
with the region's key, in one table.

Each file is read by :func:`workforce_lib.records.census.reader.scan_return`, which replaces each
SWE number by its keyed pseudonym as the record is read; the number itself is never kept,
so nothing here (the pooled table, a problem message, any output) can hold one. Every file
is checked and every problem of every file is reported together, with two more that only
the folder can show: two files for the same council and year, and a folder with no return.

Examples
--------
>>> pool_returns("no/such/folder", b"k" * 32)
Traceback (most recent call last):
...
workforce_lib.errors.DataNotFoundError: no/such/folder: no such folder of census returns.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workforce_lib.errors import DataNotFoundError, DataValidationError, WorkforceError
from workforce_lib.records.census.reader import scan_return, to_return
from workforce_lib.records.census.records import CensusReturn
from workforce_lib.records.census.validate import XmlProblem

#: Most files read from one folder (153 councils x 10 years is 1,530).
MAX_FILES = 5000
#: What a return's file name ends with.
SUFFIX = ".xml"

#: Columns the pool adds to each worker record.
POOL_COLUMNS = ("council", "year", "reference_date")


@dataclass
class Pool:
    """The returns of a region's councils, read with the region's key.

    Attributes
    ----------
    directory : the folder read.
    returns : one :class:`CensusReturn` per file, ordered by council then year.
    workers : every worker record of every return, with ``council``, ``year`` and
        ``reference_date`` first; ``person`` is the keyed pseudonym.
    vacancies : one row per return: council, year and its ``LALevelVacancies``.
    """

    directory: Path
    returns: list[CensusReturn]
    workers: pd.DataFrame = field(repr=False)
    vacancies: pd.DataFrame = field(repr=False)

    @property
    def councils(self) -> list[str]:
        """The member councils' LA numbers, sorted."""
        return sorted({r.council for r in self.returns})

    @property
    def years(self) -> list[int]:
        """Every census year any return covers, sorted."""
        return sorted({r.year for r in self.returns})

    def coverage(self) -> pd.DataFrame:
        """Which council sent a return for which year (True/False), councils as rows.

        >>> import pandas as pd
        >>> r = lambda c, y: CensusReturn(c, y, pd.Timestamp(y, 9, 30), Path("x"), None)
        >>> p = Pool(Path("."), [r("101", 2024), r("101", 2025), r("102", 2025)], None, None)
        >>> p.coverage().to_dict("index")
        {'101': {2024: True, 2025: True}, '102': {2024: False, 2025: True}}
        """
        have = {(r.council, r.year) for r in self.returns}
        return pd.DataFrame(
            {y: [(c, y) in have for c in self.councils] for y in self.years},
            index=pd.Index(self.councils, name="council"),
        )


def return_files(directory: str | os.PathLike) -> list[Path]:
    """The ``.xml`` files in a folder and its subfolders, sorted; at most :data:`MAX_FILES`.

    Raises
    ------
    DataNotFoundError
        No such folder, or no ``.xml`` file in it.
    DataValidationError
        More than :data:`MAX_FILES` files.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise DataNotFoundError(f"{folder}: no such folder of census returns.")
    files: list[Path] = []
    broken: list[XmlProblem] = []
    for path in sorted(folder.rglob(f"*{SUFFIX}")):
        if path.is_symlink() and not path.exists() and not path.name.startswith("."):
            broken.append(  # a return the region meant to pool, that cannot be read
                XmlProblem(
                    str(path.relative_to(folder)),
                    None,
                    None,
                    None,
                    "a symbolic link to nothing, or a loop of links: not read",
                )
            )
        elif path.is_file() and not path.name.startswith("."):
            files.append(path)
            if len(files) > MAX_FILES:
                raise DataValidationError(
                    str(folder),
                    [
                        XmlProblem(
                            str(folder),
                            None,
                            None,
                            None,
                            f"more than {MAX_FILES} .xml files: not a region's returns "
                            "(one file per council per year)",
                        )
                    ],
                )
    if broken:
        raise DataValidationError(str(folder), broken)
    if not files:
        raise DataNotFoundError(
            f"{folder}: no census return (.xml file) in this folder or its subfolders."
        )
    return files


def _read(path: Path, key: bytes) -> tuple[CensusReturn | None, list[XmlProblem]]:
    scan = scan_return(path, key)
    if scan.problems:
        return None, scan.problems
    return to_return(scan), []


def _name(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return path.name


#: The most processes ``pool_returns`` starts (each holds a few returns at a time).
MAX_WORKERS = 16


def pool_returns(directory: str | os.PathLike, key: bytes, workers: int = 1) -> Pool:
    """Read, check and pool every council's returns in a folder.

    Parameters
    ----------
    directory : the folder of returns (``*.xml``, subfolders too).
    key : the region's secret (:func:`workforce_lib.records.census.pseudonym.read_key`).
    workers : processes reading files side by side (1: read here, one by one), at most
        :data:`MAX_WORKERS`.

    Raises
    ------
    DataValidationError
        Every problem in every file, and every council-year sent twice, in one error.
    """
    if not isinstance(key, bytes) or not key:
        raise WorkforceError("Pooling returns needs the region's key (--key-file KEY).")
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        raise WorkforceError(
            f"--workers must be a whole number from 1 to {MAX_WORKERS}, not {workers!r}."
        )
    folder = Path(directory)
    files = return_files(folder)
    if workers > 1 and len(files) > 1:
        with ProcessPoolExecutor(max_workers=min(workers, len(files))) as ex:
            results = list(ex.map(_read, files, [key] * len(files), chunksize=4))
    else:
        results = [_read(f, key) for f in files]
    problems: list[XmlProblem] = []
    returns: list[CensusReturn] = []
    first: dict[tuple[str, int], Path] = {}
    for path, (ret, found) in zip(files, results, strict=True):
        name = _name(path, folder)
        problems += [
            XmlProblem(name, p.row, p.column, p.value, p.message) for p in found
        ]  # named by the path inside the folder: two councils' files may share a name
        if ret is None:
            continue
        where = (ret.council, ret.year)
        if where in first:
            problems.append(
                XmlProblem(
                    name,
                    None,
                    "LEA",
                    ret.council,
                    f"a second return for council {ret.council}, census year {ret.year} "
                    f"(the first is {_name(first[where], folder)}): keep one",
                )
            )
            continue
        first[where] = path
        returns.append(ret)
    if problems:
        raise DataValidationError(f"{folder} ({len(files)} returns)", problems)
    returns.sort(key=lambda r: (r.council, r.year))
    return Pool(folder, returns, _pooled_workers(returns), _vacancies(returns))


def _pooled_workers(returns: list[CensusReturn]) -> pd.DataFrame:
    """Every return's workers in one table, ``council``, ``year`` and ``reference_date``
    first: one concatenation of the returns' tables and the three columns repeated per
    return (not a frame per return)."""
    lengths = [len(r.workers) for r in returns]
    body = pd.concat([r.workers for r in returns], ignore_index=True)
    council = np.repeat(np.array([r.council for r in returns], dtype=object), lengths)
    head = {
        "council": pd.Series(council, dtype=object).astype("category"),
        "year": pd.Series(np.repeat(np.array([r.year for r in returns], dtype="int64"), lengths)),
        "reference_date": pd.Series([r.reference_date for r in returns])
        .repeat(lengths)
        .reset_index(drop=True),
    }
    return pd.concat([pd.DataFrame(head), body], axis=1)


def _vacancies(returns: list[CensusReturn]) -> pd.DataFrame:
    rows = [{"council": r.council, "year": r.year, **r.vacancies} for r in returns]
    return pd.DataFrame(rows)


def latest_year(files: list[Path]) -> int:
    """The latest census year the files' headers name (0 if none does), read from each
    file's ``Header`` only, with the reader's safe parser settings; a file that cannot
    be read is left for :func:`pool_returns` to report."""
    from lxml import etree

    from workforce_lib.records.census.reader import prolog_problem

    best = 0
    for path in files:
        try:
            if prolog_problem(path) is not None:
                continue  # a DTD, never given to libxml2
            for _, elem in etree.iterparse(str(path), events=("end",), tag="Year",
                                           resolve_entities=False, no_network=True,
                                           load_dtd=False, huge_tree=False):  # fmt: skip
                text = (elem.text or "").strip()
                best = max(best, int(text)) if text.isdigit() and len(text) == 4 else best
                break
        except (etree.XMLSyntaxError, OSError):
            continue
    return best
