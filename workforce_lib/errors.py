"""Errors the library raises, each saying what is wrong and where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


class WorkforceError(Exception):
    """Base class: a problem the user can act on (the CLI prints it without a traceback)."""


@dataclass(frozen=True)
class Problem:
    """One bad cell or row in an input file."""

    file: str
    row: int | None  # 1-based line in the file, header = 1; None for the whole file
    column: str | None
    value: object
    message: str

    #: what a row and a column are called in the message (an XML file: line, element)
    ROW: ClassVar[str] = "row"
    COLUMN: ClassVar[str] = "column"

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"{self.ROW} {self.row}")
        if self.column is not None:
            where.append(f"{self.COLUMN} '{self.column}'")
        value = "" if self.value is None else f", value {self.value!r}"
        return f"{', '.join(where)}{value}: {self.message}"


class DataValidationError(WorkforceError, ValueError):
    """An input file broke its schema; ``problems`` lists every problem found in one pass."""

    MAX_SHOWN = 25

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[: self.MAX_SHOWN])
        more = len(problems) - self.MAX_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"{source}: {len(problems)} {noun}\n{shown}{tail}")


class DataNotFoundError(WorkforceError, FileNotFoundError):
    """A release file is not in the data directory."""


class UnknownAreaError(WorkforceError, LookupError):
    """A council, region or group name that matches nothing; carries close suggestions."""

    def __init__(self, query: str, kind: str, suggestions: list[str], ambiguous: bool = False):
        self.query = query
        self.suggestions = suggestions
        hint = f" Did you mean: {'; '.join(suggestions)}?" if suggestions else ""
        what = (
            f"{query!r} matches more than one {kind}."
            if ambiguous
            else (f"No {kind} matches {query!r}.")
        )
        super().__init__(what + hint)


class FetchError(WorkforceError):
    """Downloading the release failed."""


class ThresholdError(WorkforceError, ValueError):
    """A disclosure threshold outside the accepted range: the one error every output of
    councils' own records raises for it (HR extract, census summary, pool, reports).
    Defined here, beside the other errors, so that checking a ``--threshold`` argument
    imports no data stack (``workforce --help`` stays fast)."""
