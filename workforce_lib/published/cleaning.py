"""Validate the indicators file against its declared schema, then turn it into numbers.

Validation uses pandera, lazily, so one run reports every problem at once, each with
file, row, column and value. Cleaning turns DfE symbols into missing numbers and keeps
the symbol beside them, so a report can say "suppressed (c: confidential)".
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from workforce_lib.constants import (
    ENGLAND_NAME,
    GEOGRAPHIC_LEVELS,
    LEVEL_COUNCIL,
    LEVEL_NATIONAL,
    LEVEL_REGIONAL,
    LONDON_CODE,
    LONDON_SUBREGIONS,
    REGIONS,
    SYMBOLS,
)
from workforce_lib.errors import DataValidationError, Problem
from workforce_lib.measures import MEASURES, NUMERIC_COLUMNS

ID_COLUMNS: tuple[str, ...] = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
REQUIRED_COLUMNS: tuple[str, ...] = ID_COLUMNS + NUMERIC_COLUMNS

_NUMBER = r"\d+(?:\.\d+)?"
_SYMBOL_ALTERNATIVES = "|".join(re.escape(s) for s in SYMBOLS)
NUMERIC_CELL = rf"^(?:{_NUMBER}|{_SYMBOL_ALTERNATIVES})$"
_KNOWN_REGION_CODES = set(REGIONS) | set(LONDON_SUBREGIONS)
#: Columns that are shares of 100 by definition (a ratio such as caseload is not).
PERCENT_COLUMNS: tuple[str, ...] = tuple(m.name for m in MEASURES.values() if m.is_percent)
#: What identifies a row at its level: two rows of one year may not share any of these.
_ROW_KEYS: tuple[tuple[str, str, str], ...] = (
    (LEVEL_COUNCIL, "old_la_code", "LA number"),
    (LEVEL_COUNCIL, "new_la_code", "ONS code"),
    (LEVEL_REGIONAL, "region_code", "region code"),
    (LEVEL_NATIONAL, "country_code", "country code"),
)

_MESSAGES = {
    "time_period": "not a four-digit year",
    "time_identifier": "not 'Reporting year'",
    "geographic_level": "unknown geographic level (expected one of "
    + ", ".join(GEOGRAPHIC_LEVELS)
    + ")",
    "numeric": "not a non-negative number or a known DfE symbol (" + ", ".join(SYMBOLS) + ")",
    "council_ids": "a Local authority row needs la_name, old_la_code, new_la_code and a known "
    "region_code",
    "region_ids": "a Regional row needs a known region_code and region_name",
    "percent": "a percentage over 100",
}


def _percent_ok(cells: pd.Series) -> pd.Series:
    """A number no more than 100, or a symbol (checked by the numeric check)."""
    number = pd.to_numeric(cells.where(cells.str.fullmatch(_NUMBER), None), errors="coerce")
    return number.isna() | (number <= 100)


def _row_check(name: str, fn) -> pa.Check:
    return pa.Check(fn, name=name, error=_MESSAGES[name])


def _council_ids_ok(df: pd.DataFrame) -> pd.Series:
    council = df["geographic_level"] == LEVEL_COUNCIL
    filled = (df[["la_name", "old_la_code", "new_la_code"]] != "").all(axis=1)
    return ~council | (filled & df["region_code"].isin(_KNOWN_REGION_CODES))


def _region_ids_ok(df: pd.DataFrame) -> pd.Series:
    regional = df["geographic_level"] == LEVEL_REGIONAL
    return ~regional | (df["region_code"].isin(_KNOWN_REGION_CODES) & (df["region_name"] != ""))


def indicators_schema() -> pa.DataFrameSchema:
    """The declared schema of ``csww_indicators_*.csv`` (every cell read as text)."""
    numeric = pa.Check.str_matches(NUMERIC_CELL, name="numeric", error=_MESSAGES["numeric"])
    columns = {
        "time_period": pa.Column(
            str,
            pa.Check.str_matches(r"^\d{4}$", name="time_period", error=_MESSAGES["time_period"]),
        ),
        "time_identifier": pa.Column(
            str,
            pa.Check.isin(["Reporting year"], name="time_identifier"),
        ),
        "geographic_level": pa.Column(
            str, pa.Check.isin(list(GEOGRAPHIC_LEVELS), name="geographic_level")
        ),
        **{c: pa.Column(str) for c in ID_COLUMNS[3:]},
        **{
            c: pa.Column(
                str,
                [numeric, pa.Check(_percent_ok, name="percent", error=_MESSAGES["percent"])]
                if c in PERCENT_COLUMNS
                else numeric,
            )
            for c in NUMERIC_COLUMNS
        },
    }
    return pa.DataFrameSchema(
        columns,
        checks=[
            _row_check("council_ids", _council_ids_ok),
            _row_check("region_ids", _region_ids_ok),
        ],
        strict=False,
        coerce=False,
    )


def _problems_from(err: pa.errors.SchemaErrors, raw: pd.DataFrame, source: str) -> list[Problem]:
    """One Problem per bad cell, or per bad row for row-wise checks and duplicates."""
    by_message = {msg: name for name, msg in _MESSAGES.items()}
    problems: list[Problem] = []
    seen_rows: set[tuple[int, str]] = set()
    for case in err.failure_cases.itertuples(index=False):
        check = str(case.check)
        name = by_message.get(check, check.split("(")[0])
        row = None if case.index is None or pd.isna(case.index) else int(case.index)
        line = None if row is None else row + 2  # header is line 1
        if name == "column_in_dataframe":
            problems.append(Problem(source, None, str(case.failure_case), None, "column missing"))
            continue
        if case.schema_context == "DataFrameSchema":  # a row-wise check or duplicate rows
            if (row, name) in seen_rows:
                continue
            seen_rows.add((row, name))
            r = raw.loc[row]
            cols = (
                ["la_name", "old_la_code", "new_la_code", "region_code"]
                if name == "council_ids"
                else ["region_code", "region_name"]
            )
            bad = ", ".join(f"{c}={r[c]!r}" for c in cols)
            problems.append(Problem(source, line, ", ".join(cols), bad, _MESSAGES[name]))
            continue
        key = name if name in _MESSAGES else str(case.column)
        msg = _MESSAGES.get(key, f"failed check {check}")
        problems.append(Problem(source, line, str(case.column), case.failure_case, msg))
    return problems


def _describe(r: pd.Series, line: int) -> str:
    if r["geographic_level"] == LEVEL_COUNCIL:
        return f"row {line} ({r['la_name']}, LA number {r['old_la_code']}, {r['new_la_code']})"
    return f"row {line} ({r['region_name'] or r['country_name']})"


def duplicate_rows(raw: pd.DataFrame, source: str) -> list[Problem]:
    """Two rows of one year for one area: the same LA number (even under a different ONS
    code), ONS code, region code or country code. Each problem names every row involved.

    Examples
    --------
    >>> raw = pd.DataFrame({"time_period": ["2025"] * 2, "geographic_level": [LEVEL_COUNCIL] * 2,
    ...     "old_la_code": ["841", "841"], "new_la_code": ["E06000047", "E06000099"],
    ...     "la_name": ["County Durham", "Durham"], "region_code": ["E12000001"] * 2,
    ...     "region_name": ["North East"] * 2, "country_code": ["E92000001"] * 2,
    ...     "country_name": ["England"] * 2})
    >>> print(duplicate_rows(raw, "f.csv")[0])  # doctest: +NORMALIZE_WHITESPACE
    f.csv, row 2, column 'time_period, old_la_code', value '2025, County Durham':
    duplicate (year, LA number): also row 3 (Durham, LA number 841, E06000099)
    """
    problems: list[Problem] = []
    seen: set[frozenset[int]] = set()
    level = raw["geographic_level"]
    for lvl, column, what in _ROW_KEYS:
        rows = raw[(level == lvl) & (raw[column] != "")]
        dup = rows[rows.duplicated(["time_period", column], keep=False)]
        for _, same in dup.groupby(["time_period", column], sort=False):
            labels = frozenset(int(i) for i in same.index)
            if labels in seen:  # the same rows clash on another code too: said once
                continue
            seen.add(labels)
            for i in sorted(labels):
                r = raw.loc[i]
                others = "; ".join(_describe(raw.loc[j], j + 2) for j in sorted(labels - {i}))
                area = r["la_name"] or r["region_name"] or r["country_name"]
                problems.append(
                    Problem(
                        source,
                        i + 2,
                        f"time_period, {column}",
                        f"{r['time_period']}, {area}",
                        f"duplicate (year, {what}): also {others}",
                    )
                )
    return problems


def validate_indicators(raw: pd.DataFrame, source: str | Path = "<data>") -> None:
    """Check a raw (all-text) indicators table; raise one error listing every problem.

    Raises
    ------
    DataValidationError
        Missing columns, no data rows, two rows of a year for one area (by LA number, ONS
        code, region or country code; every row involved is named), cells that are neither
        a number nor a known symbol, a percentage over 100, unknown geographic levels or
        region codes; each with file, row, column and value.
    """
    source = Path(source).name if not isinstance(source, str) else source
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        # Nothing else can be checked reliably without the columns.
        raise DataValidationError(
            source, [Problem(source, None, c, None, "column missing") for c in missing]
        )
    if raw.empty:
        raise DataValidationError(
            source, [Problem(source, None, None, None, "the file has a header but no data rows")]
        )
    problems = duplicate_rows(raw, source)
    try:
        indicators_schema().validate(raw, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems += _problems_from(err, raw, source)
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise DataValidationError(source, problems)


def split_values(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Numeric columns as floats (NaN where a symbol stands) and the symbols beside them.

    Returns
    -------
    values : float columns, NaN where not published.
    status : same shape; the DfE symbol where not published, "" where a number is.
    """
    text = raw[list(NUMERIC_COLUMNS)]
    is_symbol = text.isin(list(SYMBOLS))
    status = text.where(is_symbol, "").astype(object)
    values = text.mask(is_symbol).apply(pd.to_numeric).astype(float)
    return values, status


def tidy_areas(raw: pd.DataFrame) -> pd.DataFrame:
    """One row per input row: year, level, a stable area id, names and codes.

    ``area_id`` is the LA number for a council (stable when ONS recodes an authority,
    e.g. Barnsley 370 in 2024 and 2025), the region code for a region and the country
    code for England. Councils in Inner and Outer London are filed under London
    (``region_code`` E12000007) and keep their sub-region.
    """
    level = raw["geographic_level"]
    is_council = level == LEVEL_COUNCIL
    is_region = level == LEVEL_REGIONAL
    in_sub = is_council & raw["region_code"].isin(list(LONDON_SUBREGIONS))
    sub = raw["region_name"].where(in_sub, "")
    region_code = raw["region_code"].where(~in_sub, LONDON_CODE)
    region_name = raw["region_name"].where(~in_sub, REGIONS[LONDON_CODE])
    area_id = np.select(
        [is_council, is_region],
        [raw["old_la_code"], raw["region_code"]],
        raw["country_code"],
    )
    area_name = np.select(
        [is_council, is_region],
        [raw["la_name"], raw["region_name"]],
        ENGLAND_NAME,
    )
    return pd.DataFrame(
        {
            "year": raw["time_period"].astype(int),
            "level": level.map(
                {LEVEL_NATIONAL: "england", LEVEL_REGIONAL: "region", LEVEL_COUNCIL: "council"}
            ),
            "area_id": pd.Series(area_id, index=raw.index, dtype=object),
            "area_name": pd.Series(area_name, index=raw.index, dtype=object),
            "ons_code": raw["new_la_code"].where(is_council, raw["region_code"]).astype(object),
            "la_code": raw["old_la_code"].where(is_council, "").astype(object),
            "region_code": region_code.where(level != LEVEL_NATIONAL, "").astype(object),
            "region_name": region_name.where(level != LEVEL_NATIONAL, "").astype(object),
            "subregion": sub.where(is_council, "").astype(object),
        },
        index=raw.index,
    )
