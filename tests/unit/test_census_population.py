"""Social workers by ethnic group beside the children of the same council(s).

Every figure is worked out by hand from returns built here (a few dozen fictional
workers, counts chosen per test) and the hand-written children's files in
tests/fixtures/children/.
"""

import itertools

import numpy as np
import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib.errors import DataNotFoundError, DataValidationError
from workforce_lib.measures import round_half_up
from workforce_lib.records import disclosure
from workforce_lib.records.census import population
from workforce_lib.records.census.population import ALL, KNOWN, NOT_KNOWN, NOT_RECORDED
from workforce_lib.records.census.records import CensusReturn, empty_workers

CHILDREN = FIXTURES / "children"
DAY = pd.Timestamp(2025, 9, 30)


def workers(codes: dict, council_prefix: str = "p") -> pd.DataFrame:
    """One permanent worker in post per person: ``{"WBRI": 30, None: 2, ...}`` (None: no
    ethnicity recorded)."""
    rows = []
    for code, n in codes.items():
        for _ in range(n):
            rows.append({"ethnicity": code})
    w = empty_workers()
    n = len(rows)
    w = pd.DataFrame({
        "person": [f"{council_prefix}{i}" for i in range(n)],
        "agency": False,
        "fte": 1.0,
        "birth_date": pd.Timestamp(1985, 1, 1),
        "gender": pd.array([2] * n, dtype="Int64"),
        "ethnicity": [r["ethnicity"] for r in rows],
        "qual_level": pd.array([1] * n, dtype="Int64"),
        "org_role": pd.array([5] * n, dtype="Int64"),
        "start_date": pd.Timestamp(2015, 1, 1),
        "start_origin": pd.array([2] * n, dtype="Int64"),
        "end_date": pd.NaT,
        "leaver_destination": pd.array([pd.NA] * n, dtype="Int64"),
        "reason_leave": pd.array([pd.NA] * n, dtype="Int64"),
        "cases30": 10.0,
        "days_lost": 0.0,
        "contract_weeks": np.nan,
        "absent_30sep": False,
        "absence_reason": None,
        "pq_status": pd.array([2] * n, dtype="Int64"),
        "step_up": pd.array([False] * n, dtype="boolean"),
        "frontline": pd.array([False] * n, dtype="boolean"),
        "line": range(10, 10 + n),
    }, columns=list(w.columns))  # fmt: skip
    return w


def a_return(codes: dict, council: str = "901", extra: pd.DataFrame | None = None):
    w = workers(codes, council)
    if extra is not None:
        w = pd.concat([w, extra], ignore_index=True)
    return CensusReturn(council, 2025, DAY, FIXTURES / "none.xml", w)


@pytest.fixture(scope="module")
def kids():
    return population.read_children_by_ethnicity(CHILDREN / "children_la.csv")


# ---------------------------------------------------------------- labels
@pytest.mark.parametrize(
    "label, group",
    [
        ("White", "White"),
        ("White: English, Welsh, Scottish, Northern Irish or British", "White"),
        ("White: Gypsy or Irish Traveller", "White"),
        ("Mixed or Multiple ethnic groups", "Mixed"),
        ("Asian, Asian British or Asian Welsh", "Asian"),
        ("Asian, Asian British or Asian Welsh: Indian", "Asian"),
        ("Asian, Asian British or Asian Welsh: Chinese", "Other"),  # DfE's CHNE is Other
        ("Black, Black British, Black Welsh, Caribbean or African: African", "Black"),
        ("Other ethnic group: Arab", "Other"),
        ("Not known", NOT_KNOWN),
        ("Refused", NOT_KNOWN),
        ("Does not apply", population.DOES_NOT_APPLY),
        ("Purple", None),
        ("", None),
    ],
)
def test_ons_and_dfe_group_names(label, group):
    assert population.major_group(label) == group


@pytest.mark.parametrize(
    "label, band",
    [("Aged 4 years and under", (0, 4)), ("Aged 16 to 17 years", (16, 17)),
     ("Aged 1 year", (1, 1)), ("0", (0, 0)), ("5-9", (5, 9)), ("Aged 85 years and over",
     (85, 200)), ("Total", None), ("Aged 9 to 5 years", None), ("lots", None)],
)  # fmt: skip
def test_age_labels(label, band):
    assert population.age_band(label) == band


# ---------------------------------------------------------------- reading
def test_plain_file_by_la_number(kids):
    assert kids.year == 2021 and not kids.ons_census
    assert kids.counts.loc["901"].to_dict() == {
        "White": 8000, "Mixed": 600, "Asian": 1000, "Black": 300, "Other": 100, NOT_KNOWN: 0
    }  # fmt: skip
    assert kids.counts.loc["902", "Black"] == 200


def test_ons_census_table_as_downloaded(small_release):
    c = population.read_children_by_ethnicity(CHILDREN / "ons_rm032_small.csv", small_release)
    assert c.ons_census and c.year == 2021 and "ONS Census 2021" in c.describe()
    # E06000901 is Alderbury, LA 901; ages 0-4, 5-9, 10-15, 16-17 kept, 18-19 left out
    # Asian (Bangladeshi) 10 + 12 + 14 + 4; Chinese moves to Other: 3 + 2 + 0 + 1
    # White 100 + 110 + 120 + 40 and Roma 1 + 1 + 1 + 1; "Does not apply" 0
    assert c.counts.loc["901"].to_dict() == {
        "White": 374, "Mixed": 0, "Asian": 40, "Black": 0, "Other": 6, NOT_KNOWN: 0
    }  # fmt: skip
    assert list(c.counts.index) == ["901"]  # Anglesey (W06...) is not an English council
    assert any("1 area outside England" in n for n in c.notes)
    assert any("4 rows of ons_rm032_small.csv for ages 18 and over" in n for n in c.notes)
    assert not c.chinese_in_asian


def test_six_group_table_says_chinese_children_are_asian(tmp_path, small_release):
    f = tmp_path / "six.csv"
    f.write_text(
        "Upper tier local authorities Code,Upper tier local authorities,"
        "Ethnic group (6 categories) Code,Ethnic group (6 categories),Age (101 categories) "
        "Code,Age (101 categories),Observation\n"
        + "".join(f'E06000902,Brackwater,1,"Asian, Asian British or Asian Welsh",{a},'
                  f"Aged {a} years,{a + 1}\n" for a in range(0, 19))
    )  # fmt: skip
    c = population.read_children_by_ethnicity(f, small_release)
    assert c.chinese_in_asian
    assert c.counts.at["902", "Asian"] == sum(a + 1 for a in range(18))  # 0-17: 171; 18 out


def test_every_problem_in_one_pass(small_release):
    with pytest.raises(DataValidationError) as e:
        population.read_children_by_ethnicity(CHILDREN / "bad_hostile.csv", small_release)
    text = str(e.value)
    assert "7 problems" in text
    for expected in (
        "row 4, column 'la_code', value '999x': not an English council",
        "value 'E07000001': a district (lower-tier) area",
        "row 3, column 'ethnic_group', value 'Martian': unknown ethnic group",
        "row 5, column 'children', value '-3'",
        "row 6, column 'children', value 'lots'",
        "row 7, column 'children', value '99999999999'",
        "value 'rows 2 and 8': a second row for the same council",
    ):
        assert expected in text


def test_ages_must_cover_0_to_17_exactly(tmp_path):
    f = tmp_path / "gap.csv"
    f.write_text("la_code,ethnic_group,age,children,year\n"
                 "901,White,0 to 4,10,2021\n901,White,5 to 14,10,2021\n"
                 "901,White,16 to 17,10,2021\n902,White,0 to 17,5,2021\n"
                 "902,White,15 to 19,5,2021\n")  # fmt: skip
    with pytest.raises(DataValidationError) as e:
        population.read_children_by_ethnicity(f)
    text = str(e.value)
    assert "value '15 to 19': an age band across 17 and 18" in text
    assert "value '901: 0-4, 5-14, 16-17': the ages kept do not cover 0 to 17" in text


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty file"),
        (b"la_code,ethnic_group,children,year\n", "no rows after the header"),
        (b"la_code,children,year\n901,5,2021\n", "column 'ethnic group': column not found"),
        (b"la_code,ethnic_group,children\n901,White,5\n", "column 'year'"),
        (b"la_code,ethnic_group,children,year\n901,White,5,2021\n901,Black,5,2022\n",
         "more than one year"),
        ("la_code,ethnic_group,children,year\n901,Blanc \xe9,5,2021\n".encode("latin-1"),
         "not UTF-8"),
        (b"la_code,ethnic_group,children,year\n901,White,5.5,2021\n", "not a whole number"),
        (b"la_code,ethnic_group,population,year\n901,White,5,2021\n",
         "with no age column the counts must be children aged 0 to 17"),
        (b"Upper tier local authorities Code,Ethnic group (20 categories),Observation\n"
         b"901,White: Irish,5\n", "counts people of every age (TS021?)"),
        (b"la_code,ethnic_group,children,year\n901,=cmd|' /C calc'!A0,5,2021\n",
         "unknown ethnic group"),
    ],
)  # fmt: skip
def test_hostile_files_are_refused_with_a_clear_error(tmp_path, content, message):
    f = tmp_path / "kids.csv"
    f.write_bytes(content)
    with pytest.raises(DataValidationError) as e:
        population.read_children_by_ethnicity(f)
    assert message in str(e.value) and "kids.csv" in str(e.value)


def test_bom_and_size_bounds(tmp_path, monkeypatch):
    f = tmp_path / "kids.csv"
    f.write_bytes(b"\xef\xbb\xbfla_code,ethnic_group,children,year\n901,White,5,2021\n")
    assert population.read_children_by_ethnicity(f).counts.at["901", "White"] == 5
    monkeypatch.setattr(population, "MAX_BYTES", 20)
    with pytest.raises(DataValidationError, match="larger than"):
        population.read_children_by_ethnicity(f)
    monkeypatch.undo()
    monkeypatch.setattr(population, "MAX_ROWS", 1)
    f.write_text("la_code,ethnic_group,children,year\n901,White,5,2021\n901,Black,5,2021\n")
    with pytest.raises(DataValidationError, match="more than 1 rows"):
        population.read_children_by_ethnicity(f)
    with pytest.raises(DataNotFoundError):
        population.read_children_by_ethnicity(tmp_path / "missing.csv")


def test_codes_and_names_need_the_release(tmp_path, small_release):
    f = tmp_path / "kids.csv"
    f.write_text("la_name,ethnic_group,children,year\nAlderbury,White,5,2021\n"
                 "Castelton,White,5,2021\n")  # fmt: skip
    with pytest.raises(DataValidationError, match="needs DfE's release"):
        population.read_children_by_ethnicity(f)
    with pytest.raises(DataValidationError) as e:
        population.read_children_by_ethnicity(f, small_release)
    assert "'Castelton': not an English council" in str(e.value)
    assert "did you mean: castleton" in str(e.value)


# ---------------------------------------------------------------- the comparison
def cell(comp, group, col):
    return comp.table.at[group, col], comp.status.at[group, col]


def test_comparison_by_hand(kids):
    # White 36 (30 WBRI + 6 WOTH), Mixed 2, Asian 8 (5 AIND + 3 APKN), Black 7, none
    # Other, 9 with no ethnicity recorded; 62 people. Mixed (2) is hidden, and Black (7,
    # the smallest other count) with it: 9 people between them.
    ret = a_return({"WBRI": 30, "WOTH": 6, "MWBC": 2, "AIND": 5, "APKN": 3, "BAFR": 7,
                    None: 9})  # fmt: skip
    comp = population.council_comparison(ret, kids, 5)
    t, st = comp.table, comp.status
    assert comp.children_shown
    assert t["people"].to_dict() == pytest.approx({
        "White": 36, "Mixed": np.nan, "Asian": 8, "Black": np.nan, "Other": 0,
        KNOWN: 53, NOT_KNOWN: 0, NOT_RECORDED: 9, ALL: 62}, nan_ok=True)  # fmt: skip
    assert st.at["Mixed", "people"] == st.at["Black", "people"] == disclosure.STATUS
    # shares of all 62 people; of the 53 with a known group (DfE's basis)
    assert cell(comp, "White", "share")[0] == 58.1  # 36 / 62
    assert cell(comp, "White", "share_known")[0] == 67.9  # 36 / 53
    assert cell(comp, "Asian", "share_known")[0] == 15.1  # 8 / 53
    assert cell(comp, KNOWN, "share")[0] == 85.5  # 53 / 62
    for g in ("Mixed", "Black"):  # a hidden count's shares are hidden too
        for col in ("share", "share_known", "difference"):
            assert st.at[g, col] == disclosure.STATUS, (g, col)
    # children of LA 901: 8000, 600, 1000, 300, 100 of 10,000
    assert t.at["White", "children"] == 8000 and t.at[KNOWN, "children"] == 10000
    assert t.at["White", "children_share"] == 80.0 and t.at["Black", "children_share"] == 3.0
    # differences from unrounded shares: 36/53 - 80% = -12.08; 8/53 - 10% = +5.09
    assert t.at["White", "difference"] == -12.1 and t.at["Asian", "difference"] == 5.1
    assert t.at["Other", "difference"] == -1.0  # 0% of social workers, 1% of children
    assert st.at[NOT_RECORDED, "children"] == "z"
    shown = comp.shown()
    assert shown.columns[0] == "Ethnic group"
    row = shown[shown["Ethnic group"] == "Mixed"].iloc[0]
    assert set(row.iloc[1:4]) == {"c"} and row["Children aged 0 to 17"] == "600"


def test_known_total_hidden_when_it_would_give_away_the_not_known(kids):
    # Mixed 2 and 4 not known: hidden together (6 people). The number with a known group
    # would be All - 4: not shown, nor any share of it.
    ret = a_return({"WBRI": 36, "MWBC": 2, "AIND": 8, "BAFR": 7, "REFU": 4})
    comp = population.council_comparison(ret, kids, 5)
    st = comp.status
    assert st.at[NOT_KNOWN, "people"] == st.at["Mixed", "people"] == disclosure.STATUS
    assert st.at[KNOWN, "people"] == disclosure.STATUS
    assert (st.loc[[*population.KNOWN_GROUPS, KNOWN], "share_known"] == disclosure.STATUS).all()
    assert comp.table["share_known"].isna().all() and comp.table["difference"].isna().all()
    assert comp.table.at[ALL, "people"] == 57  # 36 + 2 + 8 + 7 + 4
    assert comp.table.at["White", "children"] == 8000  # the children are still shown


def test_a_person_with_two_posts_and_agency_workers_and_leavers(kids):
    ret = a_return({"WBRI": 10, "AIND": 5})
    second = workers({"WBRI": 1}, "901")  # p0's second post: the same person
    agency = workers({"BAFR": 3}, "ag").assign(agency=True)
    leaver = workers({"BCRB": 2}, "lv").assign(end_date=pd.Timestamp(2025, 6, 30))
    ret.workers = pd.concat([ret.workers, second, agency, leaver], ignore_index=True)
    comp = population.council_comparison(ret, kids, 5)
    assert comp.table.at["White", "people"] == 10 and comp.table.at["Asian", "people"] == 5
    assert comp.table.at["Black", "people"] == 0 and comp.table.at[ALL, "people"] == 15


def test_children_not_compared_says_why(kids, tmp_path):
    ret = a_return({"WBRI": 20})
    none = population.council_comparison(ret, None, 5)
    assert not none.children_shown and "no children's file was given" in " ".join(none.notes)
    assert set(none.status["children"]) == {"x"}
    other = a_return({"WBRI": 20}, council="903")
    miss = population.council_comparison(other, kids, 5)
    assert "no children's figures for LA 903" in " ".join(miss.notes)
    f = tmp_path / "later.csv"
    f.write_text("la_code,ethnic_group,children,year\n901,White,5,2026\n")
    later = population.council_comparison(ret, population.read_children_by_ethnicity(f), 5)
    assert not later.children_shown and "after 2025" in " ".join(later.notes)
    for c in (none, miss, later):
        assert population.GENDER_NOTE in c.notes


def test_region_sums_childrens_counts_of_the_same_councils(kids):
    class Pool:  # the two attributes region_comparison reads
        directory = FIXTURES
        returns = [a_return({"WBRI": 20, "AIND": 6}, "901"),
                   a_return({"WBRI": 12, "BAFR": 5, "AIND": 2}, "902")]  # fmt: skip

    comp = population.region_comparison(Pool(), 2025, kids, 5)
    t = comp.table
    # children 901 + 902: White 8000 + 4000, Asian 1000 + 500, of 10,000 + 5,000
    assert t.at["White", "children"] == 12000 and t.at[KNOWN, "children"] == 15000
    assert t.at["White", "children_share"] == 80.0 and t.at["Asian", "children_share"] == 10.0
    # workers: White 32, Asian 8, Black 5; 45 people. LA 902's own table hides its Asian
    # (2) and Black (5): the region hides them too (else region less 901 gives 902's)
    assert t.at["White", "people"] == 32 and t.at[ALL, "people"] == 45
    assert comp.status.at["Asian", "people"] == comp.status.at["Black", "people"] != ""
    assert t.at[KNOWN, "people"] == 45
    assert t.at["White", "share_known"] == 71.1  # 32 / 45, never an average of the councils
    assert "Summed over the 2 councils" in " ".join(comp.notes)
    # LA 903 hides its Mixed (2) and not known (4): its number with a known group is
    # hidden, so the region's is too (region less the others would give it)
    Pool.returns = [*Pool.returns, a_return({"WBRI": 10, "MWBC": 2, "REFU": 4}, "903")]
    three = population.region_comparison(Pool(), 2025, kids, 5)
    assert not three.children_shown  # no children's figures for 903
    assert three.status.at[KNOWN, "people"] == disclosure.STATUS
    assert (three.status.loc[list(population.KNOWN_GROUPS), "share_known"] != "").all()


def test_json_has_no_hidden_count(kids):
    ret = a_return({"WBRI": 36, "MWBC": 2, "AIND": 8, "BAFR": 7, "REFU": 4})
    doc = population.council_comparison(ret, kids, 5).to_json()
    rows = {r["group"]: r for r in doc["rows"]}
    assert rows["Mixed"]["people"] is None and rows["Mixed"]["share"] is None
    assert rows["Mixed"]["status"]["people"].startswith("c:")
    assert doc["children_compared"] is True


# ---------------------------------------------------------------- leak test
GROUP_CODES = {"White": "WBRI", "Mixed": "MWBC", "Asian": "AIND", "Black": "BAFR",
               "Other": "OOTH", NOT_KNOWN: "REFU", NOT_RECORDED: None}  # fmt: skip
PARTS = list(GROUP_CODES)


def compositions(total: int, parts: int):
    """Every way to share ``total`` among ``parts`` non-negative whole numbers."""
    if parts == 0:
        if total == 0:
            yield ()
        return
    for first in range(total + 1):
        for rest in compositions(total - first, parts - 1):
            yield (first, *rest)


def feasible(comp) -> list[dict]:
    """Every assignment of the hidden worker counts consistent with everything shown:
    the total, the number with a known group, and every share (of all, of the known)
    and difference shown, rounded as shown."""
    t, st = comp.table, comp.status
    assert not st.at[ALL, "people"]  # the tests' totals are all 5 or more
    shown = {g: int(t.at[g, "people"]) for g in PARTS if not st.at[g, "people"]}
    hidden = [g for g in PARTS if st.at[g, "people"]]
    total = int(t.at[ALL, "people"])
    out = []
    for values in compositions(total - sum(shown.values()), len(hidden)):
        people = {**shown, **dict(zip(hidden, values, strict=True))}
        k = sum(people[g] for g in population.KNOWN_GROUPS)
        ok = bool(st.at[KNOWN, "people"]) or int(t.at[KNOWN, "people"]) == k
        for g in PARTS:
            if ok and not st.at[g, "share"]:
                ok = round_half_up(100 * people[g] / total, 1) == t.at[g, "share"]
            if ok and g in population.KNOWN_GROUPS and not st.at[g, "share_known"] and k:
                ok = round_half_up(100 * people[g] / k, 1) == t.at[g, "share_known"]
        if ok:
            out.append(people)
    return out


@pytest.mark.parametrize("seed", range(25))
def test_no_count_of_1_to_4_can_be_worked_out(kids, seed):
    rng = np.random.default_rng(seed)
    counts = dict(zip(PARTS, rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9], size=7), strict=True))
    counts["White"] = int(rng.integers(5, 16))
    codes = {GROUP_CODES[g]: int(n) for g, n in counts.items()}
    comp = population.council_comparison(a_return(codes), kids, 5)
    t, st = comp.table, comp.status
    for g in PARTS:  # nothing shown is a count of 1 to 4, nor a share of one
        if not st.at[g, "people"]:
            assert not disclosure.too_few(t.at[g, "people"], 5)
        else:
            assert all(st.at[g, c] for c in ("share", "share_known", "difference"))
    hidden = [g for g in PARTS if st.at[g, "people"]]
    worlds = feasible(comp)
    assert {tuple(w[g] for g in PARTS) for w in worlds} >= {tuple(counts[g] for g in PARTS)}
    for r in range(1, len(hidden) + 1):
        for subset in itertools.combinations(hidden, r):
            sums = {sum(w[g] for g in subset) for w in worlds}
            assert not (len(sums) == 1 and disclosure.too_few(next(iter(sums)), 5)), (
                counts,
                subset,
                sums,
            )


# ---------------------------------------------------------------- a region's pool
def pooled(counts: dict[str, dict[str, int]], year: int = 2025):
    """A pool of hand-made returns: ``{"911": {"WBRI": 12, "AIND": 6}, ...}`` in post."""
    from tests import census_returns as cr

    rets = []
    for la, codes in counts.items():
        eth = tuple(code for code, n in codes.items() for _ in range(n))
        rets.append(cr.census_return(la, year, in_post=len(eth), ethnicity=eth))
    return cr.pool(rets)


@pytest.fixture(scope="module")
def pool_kids():
    return population.read_children_by_ethnicity(CHILDREN / "children_pool.csv")


def test_pool_compares_each_council_and_the_region_by_hand(pool_kids):
    pool = pooled({"911": {"WBRI": 12, "AIND": 6, "BAFR": 2}, "912": {"WBRI": 10, "AIND": 5},
                   "913": {"WBRI": 8, "BAFR": 10}})  # fmt: skip
    comp = population.pool_comparison(pool, pool_kids, 5)
    assert comp.year == 2025 and list(comp.councils) == ["911", "912", "913"]
    c911, c912, c913 = (comp.councils[c].table for c in ("911", "912", "913"))
    s911 = comp.councils["911"].status
    # 911: Black 2 hidden, and Asian 6 with it (else All less the rest gives 2)
    assert s911.at["Black", "people"] and s911.at["Asian", "people"]
    assert c911.at["White", "people"] == 12 and c911.at["White", "share_known"] == 60.0
    assert c911.at["White", "children_share"] == 70.0  # 7,000 of 10,000
    assert c911.at["White", "difference"] == -10.0
    assert (c912.at["Asian", "share_known"], c912.at["Asian", "children_share"]) == (33.3, 24.0)
    assert c912.at["Asian", "difference"] == 9.3  # 33.33 - 24.0, rounded once
    assert (c913.at["Black", "people"], c913.at["Black", "difference"]) == (10, 23.6)
    # the region: 53 people; Asian 11 and Black 12 hidden because 911's are (else the
    # region less 912 and 913 would give 911's 6 and 2)
    r, rs = comp.region.table, comp.region.status
    assert r.at[ALL, "people"] == 53 and r.at["White", "people"] == 30
    assert rs.at["Asian", "people"] and rs.at["Black", "people"]
    assert r.at[KNOWN, "people"] == 53 and r.at["White", "share_known"] == 56.6  # 30 / 53
    # children summed over the three councils (25,000), never shares averaged
    assert r.at[ALL, "children"] == 25000 and r.at["White", "children_share"] == 64.0
    assert r.at["Black", "children_share"] == 17.6 and r.at["White", "difference"] == -7.4
    # each council's comparison is the one its own census summary gives
    own = population.council_comparison(pool.returns[0], pool_kids, 5)
    pd.testing.assert_frame_equal(own.table, comp.councils["911"].table)
    doc = comp.to_json()
    assert set(doc["councils"]) == {"911", "912", "913"}
    assert set(doc["region"]) == set(own.to_json())  # the summary's shape
    text = comp.text()
    assert "LA 911" in text and "The region (3 councils)" in text
    assert text.count(population.GENDER_NOTE) == 1


def _two_councils_one_shared_worker():
    """911: 12 White British, 6 Indian; 912: 10 White British, 6 Indian, one of whom is
    also one of 911's Indian workers (same SWE number, birth date, gender)."""
    from tests import census_returns as cr

    a = cr.census_return("911", 2025, in_post=18, ethnicity=("WBRI",) * 12 + ("AIND",) * 6)
    b = cr.census_return("912", 2025, in_post=16, ethnicity=("WBRI",) * 10 + ("AIND",) * 6)
    b.workers.loc[10, "person"] = a.workers.at[12, "person"]  # both Indian, in post
    return [a, b]


def test_region_beside_its_councils_gives_away_nobody_in_two_councils(pool_kids):
    # Counted once across councils, the region showed Asian 11 and All 33 beside the
    # councils' 6 + 6 and 18 + 16: one Asian social worker works in both. The region's
    # figures must be the councils' added up, as DfE's regional figures are.
    from tests import census_returns as cr

    comp = population.pool_comparison(cr.pool(_two_councils_one_shared_worker()), pool_kids, 5)
    r, c911, c912 = comp.region.table, comp.councils["911"].table, comp.councils["912"].table
    for group in ("White", "Asian", ALL):
        assert r.at[group, "people"] == c911.at[group, "people"] + c912.at[group, "people"]
    assert (r.at["Asian", "people"], r.at[ALL, "people"]) == (12, 34)


def test_pool_says_which_councils_have_no_return_in_the_year(pool_kids):
    from tests import census_returns as cr

    pool = cr.pool([cr.census_return("911", 2024, in_post=20),
                    cr.census_return("911", 2025, in_post=20),
                    cr.census_return("912", 2024, in_post=20)])  # fmt: skip
    comp = population.pool_comparison(pool, pool_kids, 5)
    assert list(comp.councils) == ["911"] and "No return for 2025 from LA 912" in comp.notes[0]
    assert comp.region.table.at[ALL, "children"] == 10000  # 911's children only


def _audit_lines(areas: list[str]):
    """What ties the cells together: each area's groups add up to its total and its known
    groups to its number with a known group; the councils' cells add up to the region's."""
    lines = []
    for a in areas:
        lines.append(([(a, g) for g in PARTS], (a, ALL)))
        lines.append(([(a, g) for g in population.KNOWN_GROUPS], (a, KNOWN)))
    for g in [*PARTS, KNOWN, ALL]:  # no one works at two councils: the region adds up
        lines.append(([(a, g) for a in areas if a != "region"], ("region", g)))
    return lines


ROWS = [*PARTS, KNOWN, ALL]


@pytest.mark.parametrize("threshold", [5, 6])
def test_pool_comparison_gives_no_count_below_5_away(pool_kids, threshold):
    """An attacker sees every council's comparison and the region's from ``census pool``,
    and each council's own ``census summary`` at 5, and knows they add up: no hidden
    count of 1 to 4 follows. The audit can fail: the same region protected on its own
    (like one council's table) gives counts away, and so did a council's number with a
    known group shown at 6 but not at 5 (its groups hidden at 5 added up to 4)."""
    from tests.audit import leaks

    rng = np.random.default_rng(13 + threshold)
    naive_leaks = found = 0
    for _ in range(20):
        counts = {}
        for la in ("911", "912", "913"):
            n = dict(zip(GROUP_CODES.values(), rng.choice([0, 0, 1, 2, 3, 6, 8], 7), strict=True))
            n["WBRI"] = int(rng.integers(5, 20))
            counts[la] = {code: int(k) for code, k in n.items() if k}
        pool = pooled(counts)
        rets = {r.council: r for r in pool.returns}
        comp = population.pool_comparison(pool, pool_kids, threshold)
        truth, shown = {}, set()
        for la in counts:
            true = population.council_comparison(rets[la], None, disclosure.OFF).table
            at5 = population.council_comparison(rets[la], None, 5).status  # its own summary
            for g in ROWS:
                truth[(la, g)] = int(true.at[g, "people"])
                if not comp.councils[la].status.at[g, "people"] or not at5.at[g, "people"]:
                    shown.add((la, g))
        for g in ROWS:
            truth[("region", g)] = sum(truth[(la, g)] for la in counts)
        lines = _audit_lines([*counts, "region"])
        region = {("region", g) for g in ROWS if not comp.region.status.at[g, "people"]}
        found += len(leaks(truth, lines, shown | region))
        one, _ = population.region_return(pool, 2025)
        naive = population.compare(one, pool_kids, threshold, list(counts), "region")
        alone = {("region", g) for g in ROWS if not naive.status.at[g, "people"]}
        naive_leaks += len(leaks(truth, lines, shown | alone))
    assert found == 0
    assert naive_leaks > 0


def test_number_with_a_known_group_not_shown_at_6_where_5_would_give_groups_away():
    # at 5: White 5 shown, Mixed 1, Asian 1, Black 2 hidden (4 together), Other 8 shown;
    # at 6 White is hidden too, and the number with a known group (17) would have been
    # safe on its own, but beside the table at 5 it gives Mixed + Asian + Black = 4
    ret = a_return({"WBRI": 5, "MWBC": 1, "AIND": 1, "BAFR": 2, "OOTH": 8, "REFU": 3, None: 3})
    at5 = population.council_comparison(ret, None, 5)
    at6 = population.council_comparison(ret, None, 6)
    assert at5.table.at["White", "people"] == 5 and at5.status.at[KNOWN, "people"]
    assert at6.status.at["White", "people"]
    assert at6.status.at[KNOWN, "people"] == disclosure.STATUS


# ---------------------------------------------------------------- councils against the release
def test_plain_file_number_and_name_must_name_the_same_council(tmp_path, small_release):
    f = tmp_path / "kids.csv"
    f.write_text(
        "la_code,la_name,ethnic_group,children,year\n"
        "901,Alderbury,White,100,2021\n"
        "902,Alderbury,White,50,2021\n"  # Alderbury is 901
        "903,Castelton,White,10,2021\n"  # no such council
        "944,Nowhere,White,5,2021\n"  # no council of the release has 944
        "902,Alderbury,Black,5,2021\n"
    )  # fmt: skip
    with pytest.raises(DataValidationError) as e:
        population.read_children_by_ethnicity(f, small_release)
    text = str(e.value)
    assert "3 problems" in text
    assert ("row 3, column 'la_name', value 'Alderbury': is LA 901 in DfE's release, but "
            "la_code '902' on the same row is LA 902: the two columns name different "
            "councils (2 rows)") in text  # fmt: skip
    assert "row 4, column 'la_name', value 'Castelton': not an English council" in text
    assert "did you mean: castleton" in text
    assert "row 5, column 'la_code', value '944': not the LA number of any council" in text
    # without the release an LA number is taken as given, and the names are not checked
    f.write_text("la_code,la_name,ethnic_group,children,year\n944,Nowhere,White,5,2021\n")
    c = population.read_children_by_ethnicity(f)
    assert list(c.counts.index) == ["944"]
    assert any("'la_name' of kids.csv not checked against 'la_code'" in n for n in c.notes)


AGES = ("Aged 4 years and under", "Aged 5 to 9 years", "Aged 10 to 15 years",
        "Aged 16 to 17 years")  # fmt: skip


def _ons(rows: list[tuple[str, str]]) -> str:
    """ONS's layout (code, name, 6 groups, 4 ages), 10 White children per age band."""
    head = ("Upper tier local authorities Code,Upper tier local authorities,Ethnic group "
            "(6 categories),Age (4 categories),Observation\n")  # fmt: skip
    return head + "".join(f"{code},{name},White,{age},10\n" for code, name in rows for age in AGES)


def test_ons_layout_code_and_name_must_name_the_same_council(tmp_path, small_release):
    f = tmp_path / "ons.csv"
    f.write_text(_ons([("E06000901", "Alderbury"), ("E06000903", "Brackwater"),
                       ("E06000999", "Alderbury")]))  # fmt: skip
    with pytest.raises(DataValidationError) as e:
        population.read_children_by_ethnicity(f, small_release)
    text = str(e.value)
    assert "2 problems" in text
    assert ("row 6, column 'Upper tier local authorities', value 'Brackwater': is LA 902 in "
            "DfE's release, but Upper tier local authorities Code 'E06000903' on the same "
            "row is LA 903") in text  # fmt: skip
    assert "row 10, column 'Upper tier local authorities Code', value 'E06000999'" in text


@pytest.fixture
def recoded_release(tmp_path):
    """The small release with Castleton (903) written as Barnsley (370) under its ONS code
    before the 2025 re-coding (E08000016), as a release from before it would hold it."""
    from workforce_lib.published.release import load_release

    text = (FIXTURES / "indicators_small.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "csww_indicators_2024_to_2025.csv"
    path.write_text(text.replace("903,E06000903,Castleton", "370,E08000016,Barnsley"))
    return load_release(path=path, cache=False)


def test_re_coded_councils_are_matched_by_the_recoding_facts_and_said_so(tmp_path, recoded_release):
    f = tmp_path / "dfe.csv"  # DfE's own layout: LA number, ONS code, name
    f.write_text(
        "old_la_code,new_la_code,la_name,ethnic_group,children,year\n"
        "370,E08000038,Barnsley,White,100,2023\n"  # the new code: not in this release
        "901,E06000901,Alderbury,White,50,2023\n"
    )  # fmt: skip
    c = population.read_children_by_ethnicity(f, recoded_release)
    assert c.counts.at["370", "White"] == 100 and c.counts.at["901", "White"] == 50
    assert (
        "E08000038 in dfe.csv is Barnsley's ONS code from 2025 (E08000016 before): matched "
        "to LA 370 by the project's re-coding facts (data/reference/area_changes.csv)."
    ) in c.notes
    # ONS's layout, the new code alone and the old one (which the release holds)
    g = tmp_path / "ons.csv"
    g.write_text(_ons([("E08000038", "Barnsley")]))
    assert list(population.read_children_by_ethnicity(g, recoded_release).counts.index) == ["370"]
    g.write_text(_ons([("E08000016", "Barnsley")]))
    old = population.read_children_by_ethnicity(g, recoded_release)
    assert any("E08000016 in ons.csv is Barnsley's ONS code before 2025" in n for n in old.notes)
    # a re-coded code beside another council's number is still two councils
    f.write_text("old_la_code,new_la_code,la_name,ethnic_group,children,year\n"
                 "901,E08000038,Alderbury,White,100,2023\n")  # fmt: skip
    with pytest.raises(DataValidationError) as e:
        population.read_children_by_ethnicity(f, recoded_release)
    assert ("column 'new_la_code', value 'E08000038': is LA 370 in DfE's release, but "
            "old_la_code '901' on the same row is LA 901") in str(e.value)  # fmt: skip
