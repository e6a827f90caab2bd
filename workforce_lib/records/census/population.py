"""The workforce's ethnic groups beside the children's population it serves.

A council's (or a pooled region's) permanent social workers in post at 30 September, each
person once, by DfE's major ethnic groups (the census return's ``Ethnicity`` codes, as in
:func:`workforce_lib.records.census.summary.beyond_dfe`), beside the children aged 0 to 17 of the
same council(s) by the same groups, from a file the user gives: the data folder's ONS
mid-year estimates count children in total only, not by ethnic group or sex.

The children's file (:func:`read_children_by_ethnicity`) is either ONS's Census 2021 table
as downloaded ("Ethnic group by age", e.g. RM032, or a custom dataset of ethnic group by
age by upper-tier local authority: columns such as ``Upper tier local authorities Code``,
``Ethnic group (20 categories)``, ``Age (101 categories)``, ``Observation``), or a plain
CSV of council, ethnic group, count and year. Columns are found by their names, not their
positions; ONS's groups are mapped to DfE's (Chinese, Asian in the 2021 census, is "Other"
in DfE's groups, so it moves when the 20-group table says who is Chinese); ages are read
from the age labels and only a set that covers 0 to 17 exactly is accepted.

Disclosure control: the social workers' counts are those of the existing ethnicity table,
suppressed by the same code (threshold 5 or more, secondary suppression); a share is
shown only beside its shown count; the share among those with a known group is shown only
when the number with a known group reveals no hidden count (:func:`known_total_safe`).
Children's counts are published figures, shown as published.

Examples
--------
>>> major_group("Asian, Asian British or Asian Welsh: Chinese"), major_group("White: Roma")
('Other', 'White')
>>> age_band("Aged 16 to 17 years"), age_band("Aged under 1 year"), age_band("Aged 4 years and under")
((16, 17), (0, 0), (0, 4))
"""  # noqa: E501

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workforce_lib.errors import DataNotFoundError, DataValidationError, Problem, WorkforceError
from workforce_lib.measures import round_half_up
from workforce_lib.records import disclosure
from workforce_lib.records.census.records import ETHNICITIES, CensusReturn

#: DfE's major ethnic groups, in the census tables' order (records.ETHNICITIES).
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(g for _, g in ETHNICITIES.values()))
NOT_KNOWN = "Not known"
KNOWN_GROUPS: tuple[str, ...] = tuple(g for g in GROUPS if g != NOT_KNOWN)
NOT_RECORDED = "Not recorded"  # as summary.NOT_RECORDED
ALL = "All"  # as summary.ALL
KNOWN = "All with a known group"

#: Largest children's file read (ONS's table of single years of age for every English
#: upper-tier council, 20 groups, by sex, filtered to ages 0 to 17 is about 10 MB).
MAX_BYTES = 64 * 1024 * 1024
MAX_ROWS = 1_000_000
#: No cell or council holds more children than England does (about 12 million).
MAX_COUNT = 15_000_000
CHILD_AGES = (0, 17)
#: ONS Census 2021: census day.
ONS_CENSUS = "ONS Census 2021 (census day 21 March 2021, usual residents)"
ONS_YEAR = 2021

DOES_NOT_APPLY = "does not apply"

#: Column roles: normalised header names that hold them (any case, punctuation, BOM).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "area_code": ("lacode", "lanumber", "oldlacode", "newlacode", "onscode", "areacode",
                  "geographycode", "councilcode"),
    "area_name": ("laname", "localauthority", "council", "councilname", "area", "areaname",
                  "geography"),
    "group": ("ethnicgroup", "ethnicity", "group", "majorgroup"),
    "count": ("observation", "children", "count", "population", "number", "value"),
    "year": ("year", "timeperiod", "censusyear"),
    "age": ("age", "ageband", "agegroup"),
    "sex": ("sex", "gender"),
}  # fmt: skip

#: What the comparison table's columns hold, in order: (column, heading, decimals).
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("people", "Social workers", 0),
    ("share", "Share of all (%)", 1),
    ("share_known", "Share with a known group (%)", 1),
    ("children", "Children aged 0 to 17", 0),
    ("children_share", "Children's share (%)", 1),
    ("difference", "Difference (points)", 1),
)

GENDER_NOTE = (
    "Gender is not compared with the children's population: the children's figures in the "
    "data folder (ONS mid-year estimates, as DfE republishes them) count children aged 0 to "
    "17 in total, not by sex, and no figure is invented here; a sex split of children would "
    "not say whether a mostly female profession reflects the children it serves. The "
    "workforce's own gender table is shown on its own."
)
SHARES_NOTE = (
    "Shares are shares of people, not rates: a group's share of social workers beside its "
    "share of children says whether the workforce's make-up resembles the children's, not "
    "how likely anyone is to be a social worker or to need one."
)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).replace("\ufeff", "").casefold())


# ---------------------------------------------------------------- labels
def major_group(label: str) -> str | None:
    """DfE's major group for an ethnic group as ONS or DfE names it; ``NOT_KNOWN`` for a
    group not known or refused; :data:`DOES_NOT_APPLY` for ONS's "Does not apply"; None
    for anything else.

    >>> major_group("Black, Black British, Black Welsh, Caribbean or African")
    'Black'
    >>> major_group("Mixed or Multiple ethnic groups: White and Asian"), major_group("Refused")
    ('Mixed', 'Not known')
    >>> major_group("Martian") is None
    True
    """
    text = re.sub(r"\s+", " ", str(label).replace("\ufeff", "")).strip().casefold()
    head, _, detail = text.partition(":")
    detail = detail.strip()
    if text == DOES_NOT_APPLY:
        return DOES_NOT_APPLY
    if text in ("not known", "refused", "not stated", "not yet obtained", "unknown",
                "information not yet obtained", "not known or refused"):  # fmt: skip
        return NOT_KNOWN
    if head == "chinese" or (head.startswith("asian") and detail == "chinese"):
        return "Other"  # DfE's groups (the census return's CHNE) put Chinese in Other
    for start, group in (("white", "White"), ("mixed", "Mixed"), ("asian", "Asian"),
                         ("black", "Black"), ("other", "Other"), ("any other", "Other"),
                         ("arab", "Other")):  # fmt: skip
        if head.startswith(start):
            return group
    return None


def age_band(label: str) -> tuple[int, int] | None:
    """The ages (first, last; last 200 for "and over") an age label covers, or None.

    >>> age_band("17"), age_band("Aged 15 to 19 years"), age_band("Aged 90 years and over")
    ((17, 17), (15, 19), (90, 200))
    >>> age_band("Total") is None
    True
    """
    t = re.sub(r"\s+", " ", str(label)).strip().casefold()
    t = re.sub(r"^(aged|age) ", "", t)
    if re.fullmatch(r"under (1|one)( years?)?", t):
        return (0, 0)
    m = re.fullmatch(r"(\d{1,3})( years?)? and under", t)
    if m:
        return (0, int(m[1]))
    m = re.fullmatch(r"(\d{1,3})( years?)? ?(to|-) ?(\d{1,3})( years?)?", t)
    if m and int(m[1]) <= int(m[4]):
        return (int(m[1]), int(m[4]))
    m = re.fullmatch(r"(\d{1,3})(( years?)? and over|\+)", t)
    if m:
        return (int(m[1]), 200)
    m = re.fullmatch(r"(\d{1,3})( years?)?", t)
    if m:
        return (int(m[1]), int(m[1]))
    return None


def _covers_children(bands: set[tuple[int, int]]) -> bool:
    """True when ``bands`` tile ages 0 to 17 exactly (no gap, no overlap)."""
    nxt = CHILD_AGES[0]
    for lo, hi in sorted(bands):
        if lo != nxt:
            return False
        nxt = hi + 1
    return nxt == CHILD_AGES[1] + 1


# ---------------------------------------------------------------- councils
def council_lookup(release) -> dict[str, str]:
    """Every council's LA number, ONS code and name (normalised) -> its LA number, one
    per council of a jointly reported row ("314 / 318"). A name two authorities have had
    means the one that existed latest."""
    from workforce_lib.published.areas import JOINT_SEPARATOR, aliases, normalise

    if release is None:
        return {}
    a = release.areas[release.areas.level == "council"].sort_values("year")
    out: dict[str, str] = {}
    for area_id, name, ons in zip(a.area_id, a.area_name, a.ons_code, strict=True):
        ids = area_id.split(JOINT_SEPARATOR)
        names = name.split(JOINT_SEPARATOR)
        codes = ons.split(JOINT_SEPARATOR)
        for i, la in enumerate(ids):
            out[normalise(la)] = la
            if len(names) == len(ids):
                out[normalise(names[i])] = la  # later years overwrite: the latest wins
            if len(codes) == len(ids):
                out[normalise(codes[i])] = la
    for alias, la in aliases().items():
        out.setdefault(alias, la)
    return out


def council_keys(release) -> dict[str, set[str]]:
    """Each council's LA number -> every LA number, ONS code and name (normalised) the
    release has given it in any year, its aliases and its re-coded ONS codes: what a
    second column naming the same council on a row may hold."""
    from workforce_lib.published.areas import JOINT_SEPARATOR, aliases, normalise, recoded_codes

    out: dict[str, set[str]] = {}
    if release is None:
        return out
    a = release.areas[release.areas.level == "council"]
    for area_id, name, ons in zip(a.area_id, a.area_name, a.ons_code, strict=True):
        ids = area_id.split(JOINT_SEPARATOR)
        names, codes = name.split(JOINT_SEPARATOR), ons.split(JOINT_SEPARATOR)
        for i, la in enumerate(ids):
            keys = out.setdefault(la, set())
            keys |= {normalise(la), normalise(name), normalise(ons)}
            keys |= {normalise(names[i])} if len(names) == len(ids) else set()
            keys |= {normalise(codes[i])} if len(codes) == len(ids) else set()
    for alias, la in aliases().items():
        for part in la.split(JOINT_SEPARATOR):
            out.setdefault(part, set()).add(alias)
    for code, (la, _) in recoded_codes().items():
        out.setdefault(la, set()).add(normalise(code))
    return out


def _resolve_area(value: str, lookup: dict[str, str], have_release: bool) -> tuple[str, str]:
    """(LA number, "") or ("", why not) or ("skip", why) for an area outside England.

    With the release (``have_release``), an LA number must be one of its councils' (in
    any year), and an ONS code it does not hold is matched through the project's
    re-coding facts (:func:`workforce_lib.published.areas.recoded_codes`)."""
    from workforce_lib.published.areas import normalise, recoded_codes

    v = value.strip()
    if not v:
        return "", "empty council"
    if re.fullmatch(r"\d{3}", v):
        if have_release and v not in lookup:
            return "", (
                "not the LA number of any council in DfE's release (in any year): check "
                "the number against DfE's list of councils (a fictional council's is in no "
                "release: give --data-dir a folder without one)"
            )
        return v, ""  # as the returns name councils (a number no return has is not used)
    if re.fullmatch(r"[WSN]\d{8}", v.upper()):
        return "skip", ""
    if re.fullmatch(r"E07\d{6}", v.upper()):
        return "", (
            "a district (lower-tier) area: children's services are the county council's; "
            "use ONS's table by upper-tier local authorities"
        )
    hit = lookup.get(normalise(v))
    if hit:
        return hit, ""
    if have_release and v.upper() in recoded_codes():
        return recoded_codes()[v.upper()][0], ""
    if not have_release:
        return "", (
            "not an LA number; matching ONS codes and names needs DfE's release in the "
            "data folder (--data-dir or WORKFORCE_DATA_DIR)"
        )
    close = difflib.get_close_matches(normalise(v), [k for k in lookup if not k.isdigit()], 3)
    hint = f" (did you mean: {'; '.join(close)}?)" if close else ""
    return "", f"not an English council with children's services{hint}"


def _second_columns(cols: list[str], area: str) -> list[str]:
    """Columns other than ``area`` that name the council too (an LA number, ONS code or
    name beside it): each must name the same council on every row."""
    names = set(_COLUMNS["area_code"]) | set(_COLUMNS["area_name"])
    return [
        c
        for c in cols
        if c != area and (_key(c) in names or re.fullmatch(r".*local authorities( code)?", c, re.I))
    ]


def _same_council(path: Path, raw: pd.DataFrame, area: str, areas: pd.Series, la: pd.Series,
                  seconds: list[str], release, lookup: dict[str, str]
                  ) -> tuple[list[Problem], list[str]]:  # fmt: skip
    """Problems where a second column names another council (or none) than ``area`` on
    the same row (with the release only), and notes for every ONS code matched through
    the re-coding facts (an old or a new code), said once each."""
    from workforce_lib.published.areas import normalise, recoded_codes

    problems: list[Problem] = []
    notes: list[str] = []
    if release is None:
        return problems, notes
    keys = council_keys(release)
    ok = ~la.isin(["", "skip"])
    for col in seconds:
        values = raw[col].str.strip()
        pairs = pd.DataFrame({"a": areas[ok], "v": values[ok], "la": la[ok]})
        for (a, v, mine), rows in pairs.groupby(["a", "v", "la"], sort=False).groups.items():
            if normalise(v) in keys.get(mine, set()):
                continue
            other, why = _resolve_area(v, lookup, True)
            said = (
                f"is LA {other} in DfE's release" if other and other != "skip"
                else "is outside England" if other == "skip" else why
            )  # fmt: skip
            n = len(rows)
            problems.append(Problem(
                path.name, int(rows[0]) + 2, col, v,
                f"{said}, but {area} {a!r} on the same row is LA {mine}: the two columns "
                f"name different councils{f' ({n} rows)' if n > 1 else ''}"))  # fmt: skip
    used = [*areas[ok].unique(), *(v for c in seconds for v in raw[c].str.strip()[ok].unique())]
    for v in dict.fromkeys(u.upper() for u in used):
        if v in recoded_codes():
            la_, words = recoded_codes()[v]
            notes.append(
                f"{v} in {path.name} is {words}: matched to LA {la_} by the project's "
                "re-coding facts (data/reference/area_changes.csv)."
            )
    return problems, notes


# ---------------------------------------------------------------- the children's file
@dataclass
class ChildrenByEthnicity:
    """Children aged 0 to 17 per council by DfE's major group (and ``Not known``)."""

    source: Path
    year: int
    ons_census: bool
    counts: pd.DataFrame  # index: LA number; columns: GROUPS
    chinese_in_asian: bool = False
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """Where the children's figures come from, in words."""
        what = ONS_CENSUS if self.ons_census else f"the file's own figures for {self.year}"
        return f"Children aged 0 to 17 by ethnic group: {what}, from {self.source.name}."


def _find_column(columns: list[str], role: str) -> str | None:
    keys = {_key(c): c for c in columns}
    for k in _COLUMNS[role]:
        if k in keys:
            return keys[k]
    return None


def _ons_column(columns: list[str], pattern: str) -> str | None:
    """ONS's own header (``Ethnic group (20 categories)``; not its ``... Code`` twin)."""
    hits = [c for c in columns if re.fullmatch(pattern, c.strip(), re.I)]
    return hits[0] if len(hits) == 1 else None


def _read_text(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise DataNotFoundError(f"{path}: no such file (the children's file).")
    size = path.stat().st_size
    if size == 0:
        raise DataValidationError(path.name, [Problem(path.name, None, None, None, "empty file")])
    if size > MAX_BYTES:
        raise DataValidationError(path.name, [Problem(
            path.name, None, None, size,
            f"file larger than {MAX_BYTES // 2**20} MB: filter ONS's table to ages 0 to 17 "
            "and to England's upper-tier councils before downloading")])  # fmt: skip
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                          encoding="utf-8-sig", nrows=MAX_ROWS + 1)  # fmt: skip
    except UnicodeDecodeError as err:
        raise DataValidationError(
            path.name,
            [Problem(path.name, None, None, None, "not UTF-8 text (save the CSV as UTF-8)")],
        ) from err
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise DataValidationError(
            path.name, [Problem(path.name, None, None, None, f"not a readable CSV: {first}")]
        ) from err
    if len(raw) > MAX_ROWS:
        raise DataValidationError(path.name, [Problem(
            path.name, None, None, None, f"more than {MAX_ROWS:,} rows: filter ONS's table "
            "to ages 0 to 17 before downloading")])  # fmt: skip
    raw.columns = [str(c).replace("\ufeff", "").strip() for c in raw.columns]
    return raw


def _count(text: str) -> int | None:
    t = str(text).strip().replace(",", "")
    if not re.fullmatch(r"\d{1,9}", t):
        return None
    v = int(t)
    return v if v <= MAX_COUNT else None


def _first_rows(raw_index: pd.Index, mask: np.ndarray) -> tuple[int, int]:
    rows = raw_index[mask]
    return int(rows[0]) + 2, len(rows)


def _bad_values(path: Path, col: str, values: pd.Series, bad: dict[str, str]) -> list[Problem]:
    """One problem per bad distinct value: its first row, and how many rows hold it."""
    out = []
    for v, why in bad.items():
        row, n = _first_rows(values.index, (values == v).to_numpy())
        more = f" ({n} rows hold it)" if n > 1 else ""
        out.append(Problem(path.name, row, col, v, why + more))
    return out


def read_children_by_ethnicity(path: str | Path, release=None) -> ChildrenByEthnicity:
    """Children aged 0 to 17 per council by DfE's major ethnic group, from ONS's Census
    2021 table as downloaded or a plain CSV (council, ethnic group, count, year).

    Every problem in the file is listed in one :class:`DataValidationError`: file, row,
    column and value. Councils are given by LA number, ONS code or name (codes and names
    need ``release``); rows of Welsh, Scottish or Northern Irish areas are left out and
    said so; ages, when the file has them, must cover 0 to 17 exactly (older ages are
    left out; a band across 17 and 18 is refused); a sex column is summed over.
    """
    path = Path(path)
    raw = _read_text(path)
    cols = list(raw.columns)
    problems: list[Problem] = []
    ons_group = _ons_column(cols, r"ethnic group \(\d+ categories\)")
    group = ons_group or _find_column(cols, "group")
    count = _find_column(cols, "count")
    area = next((c for c in cols if re.fullmatch(r".*local authorities code", c, re.I)), None)
    area = area or _find_column(cols, "area_code")
    area = area or next((c for c in cols if re.fullmatch(r".*local authorities", c, re.I)), None)
    area = area or _find_column(cols, "area_name")
    age = _ons_column(cols, r"age( \([a-z]\))? \(\d+ categories\)") or _find_column(cols, "age")
    sex = _ons_column(cols, r"sex \(\d+ categories\)") or _find_column(cols, "sex")
    year_col = _find_column(cols, "year")
    ons = bool(ons_group) and count is not None and _key(count) == "observation"
    for role, col, expected in (
        ("council", area, "an LA number, ONS code or council name"),
        ("ethnic group", group, "ethnic_group, or ONS's 'Ethnic group (N categories)'"),
        ("count", count, "children, count or ONS's 'Observation'"),
    ):
        if col is None:
            problems.append(Problem(path.name, 1, role, None, f"column not found ({expected})"))
    if not ons and year_col is None:
        problems.append(
            Problem(
                path.name,
                1,
                "year",
                None,
                "column not found (the year the "
                "children were counted; ONS's Census 2021 table needs none)",
            )
        )
    if age is None and ons:
        problems.append(
            Problem(
                path.name,
                1,
                "age",
                None,
                (
                    "column not found: this ONS table counts people of every age (TS021?); use "
                    "ONS's ethnic group by age (RM032, or a custom dataset with Age), ages 0 to 17"
                ),
            )
        )
    elif age is None and count is not None and not _key(count).startswith("children"):
        problems.append(Problem(path.name, 1, count, None, (
            "with no age column the counts must be children aged 0 to 17: name the column "
            "'children', or add an age column")))  # fmt: skip
    if problems:
        raise DataValidationError(path.name, problems)
    if raw.empty:
        raise DataValidationError(
            path.name, [Problem(path.name, None, None, None, "no rows after the header")]
        )

    # years
    year = ONS_YEAR
    if year_col is not None:
        years = raw[year_col].str.strip()
        ok = years.str.fullmatch(r"(19|20)\d\d")
        problems += _bad_values(
            path, year_col, years[~ok], {v: "not a year (2021)" for v in years[~ok].unique()}
        )
        seen = sorted(set(years[ok]))
        if len(seen) > 1:
            problems.append(
                Problem(
                    path.name,
                    None,
                    year_col,
                    ", ".join(seen),
                    "more than one year: give one year's children",
                )
            )
        elif seen:
            year = int(seen[0])
    # councils
    lookup = council_lookup(release)
    areas = raw[area].str.strip()
    resolved = {v: _resolve_area(v, lookup, release is not None) for v in areas.unique()}
    problems += _bad_values(path, area, areas, {v: why for v, (la, why) in resolved.items() if why})
    la = areas.map({v: r[0] for v, r in resolved.items()})
    outside = sorted({v for v, r in resolved.items() if r[0] == "skip"})
    seconds = _second_columns(cols, area)
    agree, recoded = _same_council(path, raw, area, areas, la, seconds, release, lookup)
    problems += agree
    # groups
    labels = raw[group].str.strip()
    mapped = {v: major_group(v) for v in labels.unique()}
    accepted = "White, Mixed, Asian, Black, Other or Not known, or ONS's names"
    problems += _bad_values(
        path,
        group,
        labels,
        {v: f"unknown ethnic group ({accepted})" for v, g in mapped.items() if g is None},
    )
    major = labels.map(mapped)
    chinese_in_asian = ons_group is not None and "6 categories" in ons_group.casefold()
    # counts
    numbers = raw[count].map(_count)
    bad_count = numbers.isna()
    for i in raw.index[bad_count.to_numpy()][:200]:
        problems.append(
            Problem(
                path.name,
                int(i) + 2,
                count,
                raw.at[i, count],
                f"not a whole number of children from 0 to {MAX_COUNT:,}",
            )
        )
    if bad_count.sum() > 200:
        problems.append(
            Problem(
                path.name,
                None,
                count,
                None,
                f"... {int(bad_count.sum()) - 200} more rows with a bad count",
            )
        )
    # ages
    keep = pd.Series(True, index=raw.index)
    band = pd.Series([CHILD_AGES] * len(raw), index=raw.index, dtype=object)
    if age is not None:
        ages = raw[age].str.strip()
        bands = {v: age_band(v) for v in ages.unique()}
        bad = {
            v: "not an age or age band (Aged 5 years, Aged 16 to 17 years)"
            for v, b in bands.items()
            if b is None
        }
        bad |= {
            v: "an age band across 17 and 18: choose ONS's ages in single years (or "
            "23 categories) so that children aged 0 to 17 can be counted"
            for v, b in bands.items()
            if b and b[0] <= CHILD_AGES[1] < b[1]
        }
        problems += _bad_values(path, age, ages, bad)
        band = ages.map(bands)
        keep = band.map(lambda b: b is not None and b[1] <= CHILD_AGES[1])
    # duplicates: the same council, group, age and sex twice
    key_cols = (
        [la, labels]
        + ([raw[age].str.strip()] if age else [])
        + ([raw[sex].str.strip()] if sex else [])
    )
    keys = pd.DataFrame({i: c for i, c in enumerate(key_cols)})
    dup = keys.duplicated(keep=False) & (la != "") & (la != "skip")
    for _, rows in keys[dup].groupby(list(keys.columns), sort=False).groups.items():
        r = [int(i) + 2 for i in rows]
        problems.append(
            Problem(
                path.name,
                r[1],
                None,
                f"rows {r[0]} and {r[1]}",
                "a second row for the same council, group, age and sex",
            )
        )
    # the rows whose every cell is good (problems above are all kept and raised below)
    use = keep & ~la.isin(["", "skip"]) & major.notna() & (major != DOES_NOT_APPLY)
    use &= numbers.notna()
    frame = pd.DataFrame({"la": la[use], "group": major[use], "n": numbers[use].astype("int64")})
    if age is not None:  # each council's ages must cover 0 to 17 exactly
        bands_by_la = band[use].groupby(la[use]).agg(lambda s: set(s))
        for council, got in bands_by_la.items():
            if not _covers_children(got):
                shown = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in sorted(got))
                problems.append(
                    Problem(
                        path.name,
                        None,
                        age,
                        f"{council}: {shown}",
                        "the ages kept do not cover 0 to 17 exactly once",
                    )
                )
    counts = (
        frame.groupby(["la", "group"])["n"].sum().unstack("group")
        .reindex(columns=list(GROUPS)).fillna(0).astype("int64")
    )  # fmt: skip
    for council, total in counts.sum(axis=1).items():
        if total > MAX_COUNT:
            problems.append(
                Problem(
                    path.name,
                    None,
                    count,
                    f"{council}: {total:,}",
                    f"more than {MAX_COUNT:,} children in one council",
                )
            )
    if problems:
        raise DataValidationError(path.name, problems)
    if counts.empty:
        raise DataValidationError(
            path.name,
            [
                Problem(
                    path.name, None, None, None, "no children aged 0 to 17 of an English council"
                )
            ],
        )
    counts.index.name = "la"
    counts.columns.name = None
    notes = recoded
    if seconds and release is None:
        notes.append(
            f"Column{'s' if len(seconds) > 1 else ''} {', '.join(map(repr, seconds))} of "
            f"{path.name} not checked against {area!r}: that needs DfE's release in the data "
            "folder (--data-dir or WORKFORCE_DATA_DIR)."
        )
    if outside:
        notes.append(
            f"{len(outside)} area{'s' if len(outside) > 1 else ''} outside England "
            f"in {path.name} not used."
        )
    older = int((~keep & band.notna() & ~la.isin(["", "skip"])).sum()) if age else 0
    if older:
        notes.append(f"{older:,} rows of {path.name} for ages 18 and over are not used.")
    dna = int(numbers[keep & (major == DOES_NOT_APPLY)].sum())
    if dna:
        notes.append(f"{dna:,} people counted as 'Does not apply' in {path.name} are in no group.")
    return ChildrenByEthnicity(path, year, ons, counts, chinese_in_asian, notes)


# ---------------------------------------------------------------- the comparison
def known_total_safe(people: pd.Series, hidden: pd.Series, threshold: int) -> bool:
    """Whether the number with a known group may be shown beside a disclosure-controlled
    table of groups (it is ``All`` minus the not known and not recorded, and a share of
    it gives it away): the hidden known groups, and the hidden unknown ones, must each be
    none or two or more holding at least ``threshold`` people, and it must not itself be
    1 to ``threshold - 1``.

    >>> p = pd.Series({"White": 30, "Mixed": 3, "Asian": 6, "Black": 0, "Other": 0,
    ...                "Not known": 0, "Not recorded": 0})
    >>> known_total_safe(p, p.isin([3, 6]), 5)
    True
    >>> p["Not known"], p["Asian"] = 2, 40  # hidden: Mixed 3 and Not known 2
    >>> known_total_safe(p, p.isin([3, 2]), 5)
    False
    """
    known = [g for g in KNOWN_GROUPS]
    unknown = [g for g in people.index if g not in known]

    def ok(cells: list[str]) -> bool:
        h = [c for c in cells if hidden[c]]
        return not h or (len(h) >= 2 and int(people[h].sum()) >= threshold)

    k = int(people[known].sum())
    return ok(known) and ok(unknown) and not disclosure.too_few(k, threshold)


@dataclass
class EthnicityComparison:
    """Social workers by ethnic group beside children aged 0 to 17, one area."""

    area: str
    year: int
    table: pd.DataFrame  # COLUMNS' keys; NaN where not shown
    status: pd.DataFrame  # why a cell is not shown ("c: ...", "x", "z")
    children_shown: bool
    notes: list[str]
    councils_word: str = "council"

    def shown(self) -> pd.DataFrame:
        """The table as a reader sees it (strings; ``c`` where suppressed)."""
        from workforce_lib.records.disclosure import shown_frame

        out = shown_frame(self.table, self.status, {c: (h, d) for c, h, d in COLUMNS})
        out.columns = ["Ethnic group", *out.columns[1:]]
        return out

    def lead(self) -> list[str]:
        return [
            f"{self.area}: permanent social workers in post at 30 September {self.year} "
            "(each person once in each council) by ethnic group"
            + (f", beside the children aged 0 to 17 of the same {self.councils_word}."
               if self.children_shown
               else "; the children's population is not compared (see the notes).")
        ]  # fmt: skip

    def to_json(self) -> dict:
        from workforce_lib.records.hr import _records

        return {
            "area": self.area,
            "year": self.year,
            "children_compared": self.children_shown,
            "rows": _records(self.table, self.status),
            "notes": self.notes,
        }


def _ethnicity_counts(ret: CensusReturn, threshold: int):
    """The existing ethnicity table's people: true counts, and which are suppressed (the
    same code and threshold as ``census summary`` and the regional characteristics)."""
    from workforce_lib.records.census.summary import beyond_dfe

    raw, _ = beyond_dfe(ret, disclosure.OFF)["ethnicity"]
    shown, status = beyond_dfe(ret, threshold)["ethnicity"]
    return raw, shown, status


def compare(
    ret: CensusReturn,
    children: ChildrenByEthnicity | None,
    threshold: int,
    councils: list[str],
    area: str,
    controlled: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None = None,
    known_allowed: bool = True,
) -> EthnicityComparison:
    """One area's comparison: ``ret``'s permanent social workers in post (for a region,
    its councils' records as one return, as in the regional characteristics) beside the
    children of ``councils`` summed, when ``children`` has every one of them and counts
    them no later than the return's year.

    ``controlled``: the (true, shown, status) ethnicity table when it is not the one
    council's (a region's, hidden where its councils' are); ``known_allowed``: False
    where the number with a known group must not be shown whatever this table hides."""
    threshold = disclosure.check_threshold(threshold)
    raw, shown, status = controlled or _ethnicity_counts(ret, threshold)
    people = raw["people"].drop(ALL).astype(int)
    hidden = status["people"].drop(ALL).astype(bool)
    rows = [*KNOWN_GROUPS, KNOWN, NOT_KNOWN, NOT_RECORDED, ALL]
    table = pd.DataFrame(np.nan, index=pd.Index(rows, name="group"),
                         columns=[c for c, _, _ in COLUMNS])  # fmt: skip
    st = pd.DataFrame("", index=table.index, columns=table.columns, dtype=object)
    for g in shown.index:
        table.loc[g, ["people", "share"]] = shown.loc[g, ["people", "share"]].to_numpy()
        st.loc[g, ["people", "share"]] = status.loc[g, ["people", "share"]].to_numpy()
    st.loc[KNOWN, "share"] = "z"
    total_hidden = bool(status.at[ALL, "people"])
    k = int(people[list(KNOWN_GROUPS)].sum())
    if known_allowed and not total_hidden and known_total_safe(people, hidden, threshold):
        table.at[KNOWN, "people"] = k
        table.at[KNOWN, "share"] = round_half_up(100 * k / people.sum(), 1) if k else np.nan
        st.at[KNOWN, "share"] = ""
        for g in KNOWN_GROUPS:
            if hidden[g]:
                st.at[g, "share_known"] = disclosure.STATUS
            elif k:
                table.at[g, "share_known"] = round_half_up(100 * people[g] / k, 1)
        table.at[KNOWN, "share_known"] = 100.0 if k else np.nan
    else:
        st.loc[[*KNOWN_GROUPS, KNOWN], ["share_known"]] = disclosure.STATUS
        st.loc[KNOWN, ["people", "share"]] = disclosure.STATUS
    st.loc[[NOT_KNOWN, NOT_RECORDED, ALL], "share_known"] = "z"

    notes = []
    kids = None
    if children is None:
        why = ("no children's file was given (--children-by-ethnicity FILE: ONS's Census "
               "2021 ethnic group by age for children aged 0 to 17, or a CSV of council, "
               "ethnic group, children, year)")  # fmt: skip
        notes.append(f"The children's population is not compared: {why}.")
    elif children.year > ret.year:
        notes.append(
            f"The children's figures in {children.source.name} are for {children.year}, "
            f"after {ret.year}: not shown (a report for {ret.year} shows nothing after it)."
        )
    else:
        missing = [c for c in councils if c not in children.counts.index]
        if missing:
            notes.append(
                f"{children.source.name} has no children's figures for LA "
                f"{', '.join(missing)}: the children's population is not compared"
                + (" (it would not be the same councils as the workforce)." if len(councils)
                   > 1 else ".")
            )  # fmt: skip
        else:
            kids = children.counts.loc[councils].sum()
    if kids is None:
        st.loc[:, ["children", "children_share", "difference"]] = "x"
    else:
        kk = int(kids[list(KNOWN_GROUPS)].sum())
        for g in KNOWN_GROUPS:
            table.at[g, "children"] = int(kids[g])
            table.at[g, "children_share"] = round_half_up(100 * kids[g] / kk, 1) if kk else np.nan
            if not st.at[g, "share_known"] and kk and pd.notna(table.at[g, "share_known"]):
                diff = 100 * people[g] / k - 100 * kids[g] / kk
                table.at[g, "difference"] = round_half_up(diff, 1)
            else:
                st.at[g, "difference"] = st.at[g, "share_known"] or "x"
        table.at[KNOWN, "children"] = kk
        table.at[KNOWN, "children_share"] = 100.0 if kk else np.nan
        table.at[NOT_KNOWN, "children"] = int(kids[NOT_KNOWN])
        table.at[ALL, "children"] = int(kids.sum())
        st.loc[[NOT_RECORDED], "children"] = "z"
        st.loc[[NOT_KNOWN, NOT_RECORDED, ALL], "children_share"] = "z"
        st.loc[[KNOWN, NOT_KNOWN, NOT_RECORDED, ALL], "difference"] = "z"
        notes.append(children.describe() + (
            f" Summed over the {len(councils)} councils' children." if len(councils) > 1
            else ""))  # fmt: skip
        notes.append(
            f"{SHARES_NOTE} The two are counted at different dates: the children in "
            f"{children.year}, the social workers at 30 September {ret.year}."
        )
        if children.chinese_in_asian:
            notes.append(
                f"{children.source.name} gives ONS's 6 groups, in which Chinese children are "
                "Asian; the census return counts Chinese social workers as Other (DfE's "
                "groups). For like with like, give ONS's 20-group table (Chinese children "
                "are then counted as Other)."
            )
        notes += children.notes
    notes.append(
        "Shares of social workers with a known group leave out those whose group is not "
        "known, refused or not recorded, as DfE does; the share of all social workers "
        "counts them. The children's share is of children with a known group. Difference: "
        "the social workers' share with a known group minus the children's share, in "
        "percentage points."
    )
    notes.append(
        f"Counts of fewer than {threshold} social workers are suppressed (c), with a second "
        "figure where a total would reveal one; a share is shown only beside its count. "
        "z: not applicable; x: not available."
    )
    notes.append(GENDER_NOTE)
    word = "councils" if len(councils) > 1 else "council"
    return EthnicityComparison(area, ret.year, table, st, kids is not None, notes, word)


def _known_shown(raw: pd.DataFrame, status: pd.DataFrame, threshold: int) -> bool:
    """Whether a table's number with a known group may be shown at ``threshold``."""
    return not status.at[ALL, "people"] and known_total_safe(
        raw["people"].drop(ALL).astype(int), status["people"].drop(ALL).astype(bool), threshold
    )


def _lower_thresholds(threshold: int) -> range:
    """The thresholds below ``threshold`` another output may have used (5 up)."""
    return range(min(threshold, disclosure.DEFAULT_THRESHOLD), threshold)


def council_comparison(
    ret: CensusReturn, children: ChildrenByEthnicity | None, threshold: int
) -> EthnicityComparison:
    """A council's social workers in its latest return beside its children.

    The number with a known group is shown at ``threshold`` only where it may be at every
    threshold from 5 up: beside the same table at 5 (which hides fewer groups) it would
    otherwise give away the groups hidden at 5 added up."""
    from workforce_lib.records.census.summary import beyond_dfe

    lower = _lower_thresholds(threshold)
    raw = beyond_dfe(ret, disclosure.OFF)["ethnicity"][0] if len(lower) else None
    known_allowed = all(_known_shown(raw, beyond_dfe(ret, t)["ethnicity"][1], t) for t in lower)
    return compare(ret, children, threshold, [ret.council], f"LA {ret.council}",
                   known_allowed=known_allowed)  # fmt: skip


def region_return(pool, year: int) -> tuple[CensusReturn, list[str]]:
    """The region's returns of ``year`` as one return (its year and date for
    :func:`compare`), and the councils they are from."""
    mine = [r for r in pool.returns if r.year == year]
    workers = pd.concat([r.workers for r in mine], ignore_index=True)
    one = CensusReturn("region", year, mine[0].reference_date, pool.directory, workers)
    return one, sorted({r.council for r in mine})


def region_comparison(
    pool, year: int, children: ChildrenByEthnicity | None, threshold: int, membership=None
) -> EthnicityComparison:
    """A pooled region's social workers (its councils' own counts added up, as the
    regional characteristics count them) beside the children of the councils with a
    return for ``year``, summed (never shares averaged). ``membership``: the pool's
    (:func:`workforce_lib.records.census.membership.of_pool`; None: no registered group):
    the region's groups are hidden as its characteristics are
    (:func:`workforce_lib.records.census.regional.region_people_hidden`)."""
    from workforce_lib.records.census.regional import (
        REGION_KNOWN,
        region_frames,
        region_people_hidden_by_threshold,
    )
    from workforce_lib.records.census.summary import people_tables

    one, councils = region_return(pool, year)
    returns = [r for r in pool.returns if r.year == year]
    each = people_tables(returns, disclosure.DEFAULT_THRESHOLD)
    raw = each.summed("ethnicity")

    # hidden exactly as the region's ethnicity table is (the regional characteristics:
    # the same problem, every table of the region's people and the number with a known
    # group); the number with a known group where it is shown at this threshold and at
    # every lower one (each hides more)
    las = [r.council for r in returns]
    at = region_people_hidden_by_threshold(each, threshold, las, membership)
    shown, status = region_frames(raw, at[threshold]["ethnicity"])
    known_allowed = not any(bool(h[REGION_KNOWN][0]) for h in at.values())
    return compare(one, children, threshold, councils, f"The region ({len(councils)} councils)",
                   (raw, shown, status), known_allowed)  # fmt: skip


@dataclass
class PoolComparison:
    """``census pool --children-by-ethnicity``: each member council's comparison (as its
    own ``census summary`` gives it) and the region's (hidden wherever a council's is),
    for the pool's latest census year."""

    year: int
    councils: dict[str, EthnicityComparison]
    region: EthnicityComparison
    notes: list[str]

    def to_json(self) -> dict:
        """Each comparison in the shape of ``census summary``'s
        ``ethnicity_against_children``, councils keyed by LA number."""
        return {
            "year": self.year,
            "councils": {la: c.to_json() for la, c in self.councils.items()},
            "region": self.region.to_json(),
            "notes": self.notes,
        }

    def text(self) -> str:
        """Every comparison as a table, then the notes once each."""
        out = [f"Ethnic group against the children, {self.year}, by council and for the region:"]
        notes: list[str] = list(self.notes)
        for comp in [*self.councils.values(), self.region]:
            out += ["", *comp.lead(), comp.shown().to_string(index=False)]
            notes += [n for n in comp.notes if n not in notes]
        return "\n".join([*out, "", *notes])


def pool_comparison(
    pool, children: ChildrenByEthnicity | None, threshold: int, membership=None
) -> PoolComparison:
    """Every member council's social workers in the pool's latest year beside its
    children (:func:`council_comparison`: what its own ``census summary`` shows at
    ``threshold``), and the region's (:func:`region_comparison`, hidden as the region's
    characteristics are: ``membership``, the pool's, decides how)."""
    year = pool.years[-1]
    mine = [r for r in pool.returns if r.year == year]
    councils = {r.council: council_comparison(r, children, threshold) for r in mine}
    notes = []
    absent = [c for c in pool.councils if c not in councils]
    if absent:
        notes.append(
            f"No return for {year} from LA {', '.join(absent)}: not compared, and not in "
            "the region's figures."
        )
    region = region_comparison(pool, year, children, threshold, membership)
    return PoolComparison(year, councils, region, notes)


def region_against_children(rep, children_file: str = "", data_dir: str = ""):
    """The census region report's comparison (``rep``: its
    :class:`~workforce_lib.records.census.regional.CensusRegionReport`)."""
    children = read_children(children_file, data_dir) if children_file else None
    return region_comparison(rep.pool, rep.year, children, rep.tables.threshold,
                             rep.tables.membership)  # fmt: skip


def read_children(path: str, data_dir: str | None = None) -> ChildrenByEthnicity:
    """:func:`read_children_by_ethnicity` with DfE's release, when the data folder holds
    one, to match ONS codes and names (LA numbers need none)."""
    try:
        from workforce_lib.published.release import load_release

        release = load_release(data_dir or None)
    except WorkforceError:  # no release: LA numbers still match; codes and names are refused
        release = None
    return read_children_by_ethnicity(path, release)
