"""Facts that are named once and used everywhere: symbols, levels, regions, working days.

Measure definitions live in :mod:`workforce_lib.measures`, not here.
"""

from __future__ import annotations

from pathlib import Path

#: The project root when the package runs from a checkout (editable install).
PROJECT_ROOT = Path(__file__).resolve().parents[1]

#: DfE's statistical-neighbour models a report can use, newest first: the name a user gives
#: (``--neighbours 2021``), the file kind in data/sources.yaml, and how a report names it.
#: Here, not in :mod:`workforce_lib.published.comparison`, so that the command's parser
#: offers them without importing pandas.
NEIGHBOUR_MODELS: dict[str, tuple[str, str]] = {
    "2025": ("neighbours_2025", "DfE's 2025 statistical-neighbour model"),
    "2021": ("neighbours_2021", "DfE's April 2021 statistical-neighbour groupings"),
}
DEFAULT_NEIGHBOUR_MODEL = "2025"

#: DfE's symbols for values that are not published as a number, in the words a report
#: shows (the one place they are written; :mod:`workforce_lib.published.symbols` uses them).
#: ``x``/``z``/``c``/``u``/``low`` are used in the workforce release; ``:`` and ``.``
#: appear in other DfE tables and are accepted with their usual meanings. Only ``c`` is
#: suppression; ``low`` is a published figure that rounds to zero.
SYMBOLS: dict[str, str] = {
    "x": "not available",
    "z": "not applicable",
    "c": "suppressed to protect confidentiality",
    "u": "low reliability",
    "low": "less than 0.5 (rounds to zero)",
    ":": "not available",
    ".": "not applicable",
}

#: Symbols that mean a figure was withheld to protect confidentiality ("suppressed").
WITHHELD_SYMBOLS: frozenset[str] = frozenset({"c"})

#: Symbol for a value that is published but rounds to zero. DfE counts it as zero when
#: it builds regional and England totals (North East 2023-2025: Sunderland's agency FTE).
ROUNDS_TO_ZERO = "low"

#: Geographic levels in the release, and the short names the library uses for them.
LEVEL_NATIONAL = "National"
LEVEL_REGIONAL = "Regional"
LEVEL_COUNCIL = "Local authority"
GEOGRAPHIC_LEVELS: tuple[str, ...] = (LEVEL_NATIONAL, LEVEL_REGIONAL, LEVEL_COUNCIL)

ENGLAND_CODE = "E92000001"
ENGLAND_NAME = "England"

#: The nine English regions (ONS codes). London's councils are filed under the
#: sub-regions Inner and Outer London in the release; the library files them under London.
REGIONS: dict[str, str] = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}
LONDON_CODE = "E12000007"
LONDON_SUBREGIONS: dict[str, str] = {"E13000001": "Inner London", "E13000002": "Outer London"}

#: Working days in a year to 30 September, the basis of DfE's absence rate.
#: A year that holds 29 February has one more (checked against the published rates:
#: tests/unit/test_measures.py).
WORKING_DAYS = 253
WORKING_DAYS_LEAP = 254

#: DfE publishes rates and FTE to one decimal place, rounding halves up.
DECIMALS = 1

#: Census date of every figure.
CENSUS_DAY = "30 September"

SOURCE_NAME = "Department for Education, Children's social work workforce statistics"
SOURCE_URL = (
    "https://explore-education-statistics.service.gov.uk/find-statistics/"
    "children-s-social-work-workforce"
)
LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."

#: File-name pattern of the indicators file (every input's pattern: data/sources.yaml).
INDICATORS_GLOB = "csww_indicators_*.csv"

#: Counts of people below this are suppressed in anything made from councils' own
#: records; the least threshold any such output accepts.
DEFAULT_THRESHOLD = 5
