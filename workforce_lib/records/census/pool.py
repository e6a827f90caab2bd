"""A region's pooled census returns: every member council's returns in one folder, read
with the region's key, in one table.

Each file is read by :func:`workforce_lib.records.census.reader.scan_return`, which replaces each
SWE number by its keyed pseudonym as the record is read; the number itself is never kept,
so nothing here (the pooled table, a problem message, any output) can hold one. Every file
is checked and every problem of every file is reported together, with two more that only
the folder can show: two files for the same council and year, and a folder with no return.

A file with a problem blocks the pool unless the caller asks to leave it out
(``skip_invalid``): then the valid council-years are pooled and :attr:`Pool.excluded` says
which files (and council-years, where the header could be read) are out, and why.

Placeholder SWE numbers (``XX`` and digits, written by ``census from-extract`` when a
worker's number is not known) are not people's numbers: two councils' placeholders, or one
council's in two years, would link unrelated workers. Their records stay in the pool (each
council's own measures count them, as DfE counts the records) but are marked
``placeholder`` and left out of linking (:attr:`Pool.linkable_workers`);
:attr:`Pool.placeholders` counts them per council-year. Leaving them out rather than
refusing the folder: a regional analyst can still see every other council's moves, and is
told how many records are missing from them.

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
from typing import NamedTuple

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

#: Columns the pool adds to each worker record (``placeholder``: True where the record's SWE
#: number is a placeholder, added last).
POOL_COLUMNS = ("council", "year", "reference_date")


@dataclass(frozen=True)
class Excluded:
    """A file left out of the pool (``skip_invalid``), and why.

    >>> Excluded("a/301_2025.xml", "301", 2025, 2).label()
    'a/301_2025.xml (LA 301, census year 2025): 2 problems'
    >>> Excluded("x.xml", "", None, 1, "not a census return").label()
    'x.xml (council and year not readable): not a census return'
    """

    file: str
    council: str
    year: int | None
    problems: int
    reason: str = ""

    @property
    def council_year(self) -> str:
        """``LA 301, census year 2025``, or that the header could not be read."""
        if self.council and self.year:
            return f"LA {self.council}, census year {self.year}"
        return "council and year not readable"

    def label(self) -> str:
        """File, council-year and why it is out."""
        why = self.reason or f"{self.problems} problem{'s' if self.problems != 1 else ''}"
        return f"{self.file} ({self.council_year}): {why}"

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "council": self.council or None,
            "year": self.year,
            "problems": self.problems,
            "why": self.label().split("): ", 1)[1],
        }


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
    excluded : the files left out (``skip_invalid``), in file order; empty otherwise.
    placeholders : records with a placeholder SWE number, by (council, year); only
        council-years that have some.
    """

    directory: Path
    returns: list[CensusReturn]
    workers: pd.DataFrame = field(repr=False)
    vacancies: pd.DataFrame = field(repr=False)
    excluded: list[Excluded] = field(default_factory=list)
    placeholders: dict[tuple[str, int], int] = field(default_factory=dict)

    @property
    def linkable_workers(self) -> pd.DataFrame:
        """The worker records that may be linked across councils and years: all but those
        with a placeholder SWE number."""
        w = self.workers
        if w is None or "placeholder" not in w.columns:
            return w
        return w[~w["placeholder"].to_numpy(bool)].reset_index(drop=True)

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


class _Read(NamedTuple):
    """What reading one file gave the pool."""

    ret: CensusReturn | None
    problems: list[XmlProblem]
    council: str
    year: int | None
    #: the ``line`` of each record whose SWE number is a placeholder
    placeholder_lines: list[int]


def _read(path: Path, key: bytes) -> _Read:
    scan = scan_return(path, key)
    year = int(scan.year) if scan.year else None
    if scan.problems:
        return _Read(None, scan.problems, scan.council, year, [])
    return _Read(to_return(scan), [], scan.council, year, sorted(set(scan.placeholder_records)))


def _name(path: Path, folder: Path) -> str:
    try:
        return str(path.relative_to(folder))
    except ValueError:
        return path.name


#: The most processes ``pool_returns`` starts (each holds a few returns at a time).
MAX_WORKERS = 16


def pool_returns(
    directory: str | os.PathLike, key: bytes, workers: int = 1, skip_invalid: bool = False
) -> Pool:
    """Read, check and pool every council's returns in a folder.

    Parameters
    ----------
    directory : the folder of returns (``*.xml``, subfolders too).
    key : the region's secret (:func:`workforce_lib.records.census.pseudonym.read_key`).
    workers : processes reading files side by side (1: read here, one by one), at most
        :data:`MAX_WORKERS`.
    skip_invalid : pool the valid returns only, leaving out each file with a problem and
        each council-year sent twice (every file of it): :attr:`Pool.excluded` says which
        and why. False: any problem refuses the folder.

    Raises
    ------
    DataValidationError
        Every problem in every file, and every council-year sent twice, in one error, its
        first line naming each file with problems and how many (without
        ``skip_invalid``; with it, only when no valid return is left).
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
    per_file: dict[str, int] = {}
    excluded: list[Excluded] = []
    by_where: dict[tuple[str, int], list[tuple[str, _Read]]] = {}
    for path, got in zip(files, results, strict=True):
        name = _name(path, folder)
        found = [XmlProblem(name, p.row, p.column, p.value, p.message) for p in got.problems]
        problems += found  # named by the path inside the folder: two councils' files may
        # share a name
        if got.ret is None:
            per_file[name] = len(found)
            excluded.append(Excluded(name, got.council, got.year, len(found)))
            continue
        by_where.setdefault((got.ret.council, got.ret.year), []).append((name, got))
    kept: list[_Read] = []
    for (council, year), sent in by_where.items():
        if len(sent) == 1:
            kept.append(sent[0][1])
            continue
        first = sent[0][0]
        for name, _ in sent[1:]:
            problems.append(
                XmlProblem(
                    name,
                    None,
                    "LEA",
                    council,
                    f"a second return for council {council}, census year {year} "
                    f"(the first is {first}): keep one",
                )
            )
            per_file[name] = per_file.get(name, 0) + 1
        others = ", ".join(n for n, _ in sent)
        excluded += [
            Excluded(n, council, year, 0, f"one of {len(sent)} returns for this council-year "
                     f"({others}): keep one")
            for n, _ in sent
        ]  # fmt: skip
    if problems and (not skip_invalid or not kept):
        listed = "; ".join(f"{n} ({k})" for n, k in per_file.items())
        hint = (
            "no valid return left to pool"
            if skip_invalid
            else "--skip-invalid pools the valid returns only, saying which are left out"
        )
        raise DataValidationError(
            f"{folder} ({len(files)} returns; {len(per_file)} with problems: {listed}; {hint})",
            problems,
        )
    excluded.sort(key=lambda e: e.file)
    kept.sort(key=lambda g: (g.ret.council, g.ret.year))
    returns = [g.ret for g in kept]
    marks = {(g.ret.council, g.ret.year): g.placeholder_lines for g in kept}
    placeholders = {where: len(lines) for where, lines in marks.items() if lines}
    pooled = _pooled_workers(returns, [marks[(r.council, r.year)] for r in returns])
    return Pool(folder, returns, pooled, _vacancies(returns), excluded, placeholders)


def _pooled_workers(
    returns: list[CensusReturn], placeholders: list[list[int]] | None = None
) -> pd.DataFrame:
    """Every return's workers in one table, ``council``, ``year`` and ``reference_date``
    first: one concatenation of the returns' tables and the three columns repeated per
    return (not a frame per return); ``placeholder`` last, True for the records whose
    ``line`` is in that return's list of ``placeholders``."""
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
    out = pd.concat([pd.DataFrame(head), body], axis=1)
    marks = [
        r.workers["line"].isin(lines).to_numpy(bool)
        if lines and "line" in r.workers.columns
        else np.zeros(len(r.workers), bool)
        for r, lines in zip(returns, placeholders or [[]] * len(returns), strict=True)
    ]
    out["placeholder"] = np.concatenate(marks) if marks else np.zeros(0, bool)
    return out


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
