"""The one way the project writes a CSV: no cell a spreadsheet would run as a formula.

A spreadsheet opening a CSV treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some, a tab or carriage return) as a formula: a team named ``=HYPERLINK("http://x","y")``
becomes a live link, ``=cmd|' /C calc'!A0`` a command. Following OWASP's rule ("CSV
Injection"), every text cell (and column name) that starts with one of those characters is
prefixed with a single quote, which spreadsheets show as text. Numbers stay numbers: numeric
columns are untouched, and a text cell that is exactly a number (``"-1.5"``) is kept as it is.

Every CSV the project writes goes through :func:`write_csv`.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import pandas as pd

#: The characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(value: object) -> object:
    """One cell made safe: text a spreadsheet would run as a formula gets a leading ``'``.

    Parameters
    ----------
    value
        A cell; only ``str`` values can change.

    Returns
    -------
    object
        The value itself, or the text with ``'`` in front.

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise("@SUM(1)"), neutralise("+1+1"), neutralise("\\tx")
    ("'@SUM(1)", "'+1+1", "'\\tx")
    >>> neutralise("-12.5"), neutralise(-3), neutralise("Child Protection - East")
    ('-12.5', -3, 'Child Protection - East')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        if _NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


def _label(label: object) -> object:
    if isinstance(label, tuple):
        return tuple(neutralise(part) for part in label)
    return neutralise(label)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name neutralised.

    Numeric, boolean and date columns are left as they are (a number is never a formula).

    Examples
    --------
    >>> df = pd.DataFrame({"team": ["=1+1", "East"], "fte": [-1.5, 2.0]})
    >>> safe_frame(df).to_dict("list")
    {'team': ["'=1+1", 'East'], 'fte': [-1.5, 2.0]}
    """
    out = frame.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        dtype = column.dtype
        if (
            pd.api.types.is_numeric_dtype(dtype)
            or pd.api.types.is_bool_dtype(dtype)
            or pd.api.types.is_datetime64_any_dtype(dtype)
            or pd.api.types.is_timedelta64_dtype(dtype)
        ):
            continue
        if isinstance(dtype, pd.CategoricalDtype):
            column = column.astype(object)
        elif isinstance(dtype, pd.StringDtype) and not any(
            isinstance(v, str) and v.startswith(FORMULA_START) for v in column.tolist()
        ):
            # a text column with nothing to neutralise is written as mapping it writes it
            # (a column of objects is not: mapping may make numbers of it, 1 to 1.0)
            continue
        out.isetitem(i, column.map(neutralise, na_action="ignore"))
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples([_label(c) for c in out.columns])
    else:
        out.columns = [_label(c) for c in out.columns]
    if out.index.dtype == object:
        out.index = out.index.map(_label)
    return out


def csv_text(frame: pd.DataFrame, *, index: bool = False) -> str:
    """``frame`` as CSV text with no formula cells (for a download link or a file).

    Examples
    --------
    >>> print(csv_text(pd.DataFrame({"team": ["+1+1", "East"], "fte": [-1.0, 2.5]})), end="")
    team,fte
    '+1+1,-1.0
    East,2.5
    """
    return safe_frame(frame).to_csv(index=index)


def write_csv(
    frame: pd.DataFrame, path: str | Path, *, index: bool = False, mode: int = 0o666
) -> Path:
    """Write ``frame`` as UTF-8 CSV with no formula cells, atomically (temporary file + rename).

    Parameters
    ----------
    frame
        The table.
    path
        Where to write it; its folder is created if missing.
    index
        Write the index as the first column(s).
    mode
        Permissions of the new file (less the umask): ``0o600`` for a file of personal data,
        private from the moment it exists.

    Returns
    -------
    Path
        ``path``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> df = pd.DataFrame({"team": ["@SUM(1)"], "in_post": [-2]})
    >>> print(write_csv(df, folder / "teams.csv").read_text(), end="")
    team,in_post
    '@SUM(1),-2
    >>> oct(write_csv(df, folder / "private.csv", mode=0o600).stat().st_mode & 0o777)
    '0o600'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = csv_text(frame, index=index)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
