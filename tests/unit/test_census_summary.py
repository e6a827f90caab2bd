"""A council's census returns: DfE's measures by DfE's rules through the same measure
code, the trend, the year-on-year check and the tables DfE does not publish. Every
figure is worked out by hand from tests/fixtures/census/small_2024.xml and small_2025.xml.
"""

import pandas as pd
import pytest

from tests.conftest import FIXTURES
from workforce_lib.errors import WorkforceError
from workforce_lib.published.comparison import AreaSummary, MeasureComparison
from workforce_lib.records import disclosure, hr
from workforce_lib.records.census import summary
from workforce_lib.records.census.convert import to_extract
from workforce_lib.records.census.reader import read_return

CENSUS = FIXTURES / "census"
KEY = b"k"


def returns(*names):
    return [read_return(CENSUS / n, KEY) for n in names]


@pytest.fixture(scope="module")
def two_years():
    return summary.summarise(returns("small_2025.xml", "small_2024.xml"), threshold=1)


def test_dfe_rules_by_hand(two_years):
    m = {k: v.value for k, v in two_years.measures.items()}
    # in post: W1 1 + W2 0.5 + W2 0.4 (a second post) + W3 1 + W4 0.8 = 3.7 FTE, 4 people
    assert m["inpost_fte"] == 3.7 and m["inpost_headcount"] == 4
    assert m["starters_fte"] == 1.8 and m["starters_headcount"] == 2  # W3, W4
    assert m["leavers_fte"] == 1.6 and m["leavers_headcount"] == 2  # W5, W6 (on 30 Sep)
    assert m["turnover_rate_fte"] == 43.2  # 1.6 / 3.7
    # agency: A1 1.0 FTE; A2 has no FTE: counted in the headcount, left out of FTE
    assert m["agency_headcount"] == 2 and m["agency_fte"] == 1.0
    assert m["agency_rate_fte"] == 21.3  # 1 / 4.7
    assert m["vacancy_fte"] == 2.5 and m["vacancy_rate_fte"] == 40.3  # 2.5 / 6.2
    assert m["agency_cover_fte"] == 1.0 and m["vacancy_agency_cover_rate_fte"] == 40.0
    # case holders incl. agency: 15 + 6 + 12 + 10 + 18 + 5 cases; FTE 1+.5+1+.8+1 (A2 none)
    assert m["cases"] == 66 and m["case_holders_fte"] == 4.3 and m["caseload_fte"] == 15.3
    # days lost by permanent staff 4 + 2.5 + 5 = 11.5; 11.5 / (3.7 x 253) = 1.23%
    assert m["working_days_lost_fte"] == 11.5 and m["absence_rate_fte"] == 1.2


def test_previous_year_and_change(two_years):
    m = two_years.measures
    # 2024: 1 + 0.5 + 0.4 + 1 + 0.6 = 3.5 FTE; one leaver (1 FTE) -> 28.6%
    assert m["inpost_fte"].previous == 3.5 and m["inpost_fte"].change == 0.2
    assert m["turnover_rate_fte"].previous == 28.6
    # 67 cases over 4.1 FTE = 16.3; 11 days / (3.5 x 254: 2024 has 29 February) = 1.24%
    assert m["caseload_fte"].previous == 16.3 and m["caseload_fte"].change == -1.0
    assert m["absence_rate_fte"].previous == 1.2
    assert list(two_years.trend.index) == [2024, 2025]
    assert two_years.trend.at[2024, "vacancy_rate_fte"] == 46.2  # 3 / 6.5


def test_a_single_return_has_no_previous_year():
    s = summary.summarise(returns("small_2025.xml"), threshold=1)
    assert s.measures["inpost_fte"].previous is None
    assert s.measures["inpost_fte"].previous_status.startswith("x: not available")


def test_headcount_counts_a_person_once_but_fte_every_record():
    # W2 holds two posts: through hr's own counting, 5 records are 4 people, 3.7 FTE
    ret = returns("small_2025.xml")[0]
    comp = hr.components_at(to_extract(ret), ret.reference_date).iloc[0]
    assert comp["inpost_headcount"] == 4 and comp["inpost_fte"] == pytest.approx(3.7)
    assert comp["case_holders_headcount"] == 6


def test_json_has_the_keys_of_workforce_summary(two_years):
    doc = two_years.to_json()
    published = AreaSummary("x", "council", 2025, None, "x", {"a": MeasureComparison(1.0)})
    assert set(published.to_json()) <= set(doc)
    assert set(doc["measures"]) == set(published_measures())
    fields = set(published.to_json()["measures"]["a"])
    assert all(set(v) == fields for v in doc["measures"].values())
    assert doc["area_id"] == "990" and doc["year"] == 2025 and doc["kind"] == "census_return"


def published_measures():
    from workforce_lib.measures import MEASURES

    return MEASURES


def test_starters_and_leavers_explain_the_change_in_post(two_years):
    (check,) = two_years.flows
    # 2024 in post W1 W2 W5 W6 (4) + starters W3 W4 - leavers W5 W6 = 4 = in post 2025
    assert (check.inpost_before, check.starters, check.leavers, check.inpost_now) == (4, 2, 2, 4)
    assert check.agrees and check.unlinked_leavers == "0"


def test_a_record_that_does_not_link_is_a_finding():
    s = summary.summarise(returns("small_2025.xml", "small_2024_unlinked.xml"))
    (check,) = s.flows
    assert check.agrees is False
    assert check.unlinked_leavers is None  # one person: neither the number nor the kind
    assert "do not link" in check.finding and "neither in post" not in check.finding
    assert check.inpost_before is None  # 5 people: shown only at threshold 1
    assert (
        summary.summarise(returns("small_2025.xml", "small_2024_unlinked.xml"), threshold=1)
        .flows[0]
        .inpost_before
        == 5
    )


def test_tables_beyond_dfe_by_hand(two_years):
    t = {k: v[0] for k, v in two_years.tables.items()}
    assert t["leavers_by_reason"].at["Resignation", "people"] == 1  # W5
    assert t["leavers_by_reason"].at["Retired", "people"] == 1  # W6
    dest = t["leavers_by_destination"]
    assert dest.at["Agency or consultancy in social work (England)", "people"] == 1  # W5
    orig = t["starters_by_origin"]
    assert orig.at["Agency or consultancy in social work (England)", "people"] == 1  # W4
    assert orig.at["Newly qualified", "people"] == 1  # W3
    # ages at 30 Sep 2025: W3 25, W2 35, W4 49, W1 45
    assert t["age"]["people"].tolist() == [1, 1, 2, 0, 0, 0, 4]
    assert t["gender"].at["Female", "people"] == 3 and t["gender"].at["Male", "people"] == 1
    assert t["ethnicity"].at["White", "people"] == 2 and t["ethnicity"].at["Black", "people"] == 1
    # W2 counted once, in the more senior post (first line manager, practice supervisor)
    pq = t["post_qualifying_status"]
    assert pq.at["ASYE", "people"] == 1 and pq.at["Practice supervisor", "people"] == 2
    ab = t["absence_at_30_september"]
    assert ab.at["Sickness", "people"] == 1 and ab.at["Maternity or paternity leave", "people"] == 1
    assert summary.left_for_agency(two_years).startswith("1 of the year's leavers")


def test_tables_are_disclosure_controlled():
    s = summary.summarise(returns("small_2025.xml"))  # threshold 5: everything is small
    for table, status in s.tables.values():
        shown = table["people"].dropna()
        assert not ((shown > 0) & (shown < 5)).any()
        assert status["people"].ne("").any()
    assert s.measures["inpost_headcount"].value is None
    assert "not shown" in summary.left_for_agency(s)


def test_count_table_secondary_suppression():
    labels = pd.Series(["a"] * 7 + ["b"] * 2 + ["c"] * 6)
    t, st = summary.count_table(labels, ["a", "b", "c", "d"], 5)
    assert t.at["b", "people"] != t.at["b", "people"]  # NaN: 2 people
    # c (6, the smallest other) is hidden too, and says exactly what b says: a reader
    # cannot tell the cell of fewer than 5 from the one hidden to protect it
    assert st.at["c", "people"] == st.at["b", "people"] == disclosure.STATUS
    assert t.at["a", "people"] == 7 and t.at["d", "people"] == 0 and t.at["All", "people"] == 15


def test_returns_of_two_councils_or_one_year_twice_are_refused(tmp_path):
    r = returns("small_2025.xml")[0]
    other = summary.CensusReturn("991", 2024, pd.Timestamp("2024-09-30"), r.source, r.workers)
    with pytest.raises(WorkforceError, match="2 councils"):
        summary.summarise([r, other])
    with pytest.raises(WorkforceError, match="Two returns for census year 2025"):
        summary.summarise([r, r])


def test_many_returns_at_once_are_each_counted_on_their_own():
    """people_tables counts several returns in one pass (the regional characteristics'
    councils at once), each by its own records only, although people move between them:
    P, S and T leave 911 and start at 912 in 2025 (counted across returns, P would not be
    911's leaver, nor 912's starter)."""
    d = CENSUS / "multipost"
    rets = [read_return(d / f"{c}_{y}.xml", KEY) for c in (911, 912) for y in (2024, 2025)]
    rets.append(read_return(CENSUS / "small_2025.xml", KEY))
    batch = summary.people_tables(rets, disclosure.OFF)
    t911 = {k: v[0] for k, v in batch.tables(1).items()}
    # as test_leavers_and_starters_tables_count_people_not_posts counts 911 2025 alone
    assert t911["leavers_by_reason"].at["Resignation", "people"] == 3
    assert t911["leavers_by_reason"].at[summary.ALL, "people"] == 4  # P R T W
    assert t911["starters_by_origin"].at[summary.ALL, "people"] == 2  # U W
    t912 = {k: v[0] for k, v in batch.tables(3).items()}
    assert t912["leavers_by_reason"].at[summary.ALL, "people"] == 0  # X kept a post
    assert t912["starters_by_origin"].at[summary.ALL, "people"] == 3  # T S P
    for threshold in (disclosure.OFF, 5, 7):
        batch = summary.people_tables(rets, threshold)
        for i, r in enumerate(rets):
            alone = summary.beyond_dfe(r, threshold)
            assert list(batch.tables(i)) == list(alone)
            for name, (table, status) in batch.tables(i).items():
                pd.testing.assert_frame_equal(table, alone[name][0], check_exact=True)
                pd.testing.assert_frame_equal(status, alone[name][1], check_exact=True)


# ---------------------------------------------------------------- people, not posts
def multipost():
    """Council 911's returns of tests/fixtures/census/multipost (people P to W, worked out
    in tests/unit/test_census_movements.py)."""
    d = CENSUS / "multipost"
    return [read_return(d / "911_2024.xml", KEY), read_return(d / "911_2025.xml", KEY)]


def test_year_on_year_check_counts_people_not_posts():
    (check,) = summary.flow_checks(multipost(), threshold=1)
    # in post 30 Sep 2024: P Q R S T W (6). Leavers: P (both posts, once), R (two posts,
    # one day), T, W twice (left, came back, left again) = 5; Q and S kept a post: not
    # leavers. Starters: U (two posts, once), W (came back) = 2. In post 30 Sep 2025:
    # Q S U (3) = 6 + 2 - 5. Counting posts gave 6 leavers and "do not explain".
    assert (check.inpost_before, check.starters, check.leavers, check.inpost_now) == (6, 2, 5, 3)
    assert check.agrees and "every record links" in check.finding


def test_two_posts_begun_the_same_day_one_kept():
    d = CENSUS / "multipost"
    r912 = [read_return(d / "912_2024.xml", KEY), read_return(d / "912_2025.xml", KEY)]
    (check,) = summary.flow_checks(r912, threshold=1)
    # in post 30 Sep 2024: V X (2); starters T (1 Nov), S (3 Feb), P (2 Jun); no leaver: X
    # left one of two posts begun the same day and kept the other; in post: V X T S P (5)
    assert (check.inpost_before, check.starters, check.leavers, check.inpost_now) == (2, 3, 0, 5)
    assert check.agrees
    t = summary.summarise(r912, threshold=1).tables["leavers_by_reason"][0]
    assert t.at[summary.ALL, "people"] == 0


def test_leavers_and_starters_tables_count_people_not_posts():
    s = summary.summarise(multipost(), threshold=1)
    t = {k: v[0] for k, v in s.tables.items()}
    reason = t["leavers_by_reason"]
    # P (by the post that ended last: resignation), R (voluntary redundancy), T, W
    assert reason.at["Resignation", "people"] == 3
    assert reason.at["Voluntary redundancy", "people"] == 1
    assert reason.at[summary.ALL, "people"] == 4  # not Q or S, who kept a post
    dest = t["leavers_by_destination"]
    assert dest.at["Social work role in another English council", "people"] == 2  # P, T
    assert dest.at["Agency or consultancy in social work (England)", "people"] == 1  # R
    assert dest.at["Not known", "people"] == 1  # W, by the later post
    assert dest.at["Other", "people"] == 0  # Q's post, Q still in post
    orig = t["starters_by_origin"]
    assert orig.at["Agency or consultancy in social work (England)", "people"] == 1  # U once
    assert orig.at["Other", "people"] == 1  # W, back in January
    assert orig.at[summary.ALL, "people"] == 2


def test_absence_counts_leavers_days_lost_a_stated_assumption(two_years):
    """DfE does not say whether leavers' days lost are in the absence rate: the project
    assumes they are, says so, and this pins it. small_2025.xml: W1 4 days, W2 2.5 (in
    post), W5 5 (left 31 Mar 2025); agency workers' days never count."""
    comp = hr.components_at(to_extract(returns("small_2025.xml")[0]), pd.Timestamp("2025-09-30"))
    assert comp["working_days_lost_fte"].iloc[0] == 11.5  # 6.5 without the leaver
    assert comp["inpost_fte"].iloc[0] == 3.7  # the denominator: in post at 30 September only
    assert two_years.measures["absence_rate_fte"].value == 1.2  # 11.5 / (3.7 x 253); not 0.7
    assert summary.ABSENCE_ASSUMPTION in two_years.notes
    assert "leavers included" in summary.ABSENCE_ASSUMPTION


def test_a_few_unlinked_people_are_not_given_away_by_the_counts():
    """30 in post in 2024; in 2025 six of them leave, six start, and one (the 30th) is in
    neither part of the 2025 return. Every count is at least 5, but 30 + 6 - 6 - 29 = 1
    beside "fewer than 5 missing leavers" was that one person: the counts are withheld and
    the finding says records do not link without saying which kind or how many."""
    from tests import census_returns as cr

    before = cr.census_return("901", 2024, in_post=30)
    w = cr.workers("901", 2025, in_post=29)
    left = w.index[:6]
    w.loc[left, "end_date"] = pd.Timestamp("2025-03-31")
    w.loc[left, ["reason_leave", "leaver_destination"]] = 1
    starters = cr.workers("901", 2025, in_post=6).assign(
        person=[f"new-{i}" for i in range(6)], start_date=pd.Timestamp("2025-01-06")
    )
    now = cr.census_return("901", 2025, in_post=0)
    now.workers = pd.concat([w, starters], ignore_index=True).astype(w.dtypes.to_dict())
    (check,) = summary.flow_checks([before, now], threshold=5)
    assert check.agrees is False
    shown = (check.inpost_before, check.starters, check.leavers, check.inpost_now)
    assert shown == (None, None, None, None)
    assert check.unlinked_leavers is None and check.unlinked_starters is None
    assert "neither in post" not in check.finding and "do not link" in check.finding
    (exact,) = summary.flow_checks([before, now], threshold=1)  # the figures behind it
    assert (exact.inpost_before, exact.starters, exact.leavers, exact.inpost_now) == (30, 6, 6, 29)
    assert exact.unlinked_leavers == "1"


# ---------------------------------------------------------------- hand-written, no start
def no_start():
    """tests/fixtures/census/hand_no_start_{2024,2025}.xml (council 991)."""
    return summary.summarise(
        returns("hand_no_start_2025.xml", "hand_no_start_2024.xml"), threshold=1
    )


def test_records_with_no_start_date_count_in_post_and_never_as_starters():
    """Every DfE measure of hand_no_start_2025.xml, by hand. P2 (in post), P4 (leaver)
    and A2 (agency) have no RoleStartDate; P5's post ended on 30 June 2025 after the
    same person's next post P6 began on 1 June; A3 has no FTE."""
    m = {k: v.value for k, v in no_start().measures.items()}
    # in post at 30 Sep 2025: P1 1 + P2 0.6 + P3 1 + P6 1 = 3.6 FTE; people P1 P2 P3 P5/6
    # (without P2, as before: 3.0 FTE, 3 people)
    assert m["inpost_fte"] == 3.6 and m["inpost_headcount"] == 4
    # starters (start in the 12 months): P3 (6 Jan), P6 (1 Jun): 2.0 FTE; DfE de-duplicates
    # on the person and the start date: 2. P2, with no start date, is not one.
    assert m["starters_fte"] == 2.0 and m["starters_headcount"] == 2
    # leavers (end in the 12 months): P4 0.8 (no start date) + P5 1 = 1.8 FTE, 2 records
    assert m["leavers_fte"] == 1.8 and m["leavers_headcount"] == 2
    assert m["turnover_rate_fte"] == 50.0  # 1.8 / 3.6
    assert m["turnover_rate_headcount"] == 50.0  # 2 / 4
    # agency at 30 Sep: A1 1 + A2 0.5 (no start date) + A3 (no FTE) = 1.5 FTE, 3 records
    assert m["agency_fte"] == 1.5 and m["agency_headcount"] == 3
    assert m["agency_rate_fte"] == 29.4  # 1.5 / (1.5 + 3.6) = 29.41
    assert m["agency_rate_headcount"] == 42.9  # 3 / (3 + 4) = 42.86
    # vacancies 3.00 FTE, 1.50 covered by agency workers
    assert m["vacancy_fte"] == 3.0 and m["vacancy_rate_fte"] == 45.5  # 3 / 6.6 = 45.45
    assert m["agency_cover_fte"] == 1.5
    assert m["agency_cover_rate_fte"] == 100.0  # 1.5 / agency 1.5 (150.0 without A2)
    assert m["vacancy_agency_cover_rate_fte"] == 50.0  # 1.5 / 3
    # case holders at 30 Sep, agency included (DfE: "all cases held"): P1 12, P2 8, P6 5,
    # A1 15, A2 9, A3 4 = 53 cases (P3 holds none; P5 has left); FTE 1 + 0.6 + 1 + 1 +
    # 0.5 = 4.1 (A3 has none); 53 / 4.1 = 12.93
    assert m["cases"] == 53 and m["case_holders_fte"] == 4.1 and m["caseload_fte"] == 12.9
    # days lost by permanent records, leavers included: 3 + 2 + 0 + 4 + 1 + 0 = 10;
    # 10 / (3.6 x 253) = 1.098% (the year to 30 Sep 2025 holds no 29 February)
    assert m["working_days_lost_fte"] == 10 and m["absence_rate_fte"] == 1.1


def test_the_year_before_and_the_people_tables_with_no_start_date_and_an_overlapping_post():
    s = no_start()
    # 30 Sep 2024: P1 1 + P2 0.6 + P4 0.8 + P5 1 (P2 and P4 have no start date) = 3.4
    assert s.measures["inpost_fte"].previous == 3.4
    assert s.measures["inpost_headcount"].previous == 4
    assert s.measures["vacancy_rate_fte"].previous == 37.0  # 2 / 5.4 = 37.04
    # people, not posts (the year-on-year check and the tables beyond DfE's; these alone
    # were right before records with no start date were counted in post)
    (check,) = s.flows
    # in post 2024: P1 P2 P4 P5 (4); starters: P3 only (P6 began while P5's post was
    # held, P2 has no start); leavers: P4 only (P5 kept P6); in post 2025: P1 P2 P3 P5/6
    assert (check.inpost_before, check.starters, check.leavers, check.inpost_now) == (4, 1, 1, 4)
    assert check.agrees and check.unlinked_starters == "0" and check.unlinked_leavers == "0"
    t = {k: v[0] for k, v in s.tables.items()}
    assert t["leavers_by_reason"].at[summary.ALL, "people"] == 1
    assert t["leavers_by_reason"].at["Resignation", "people"] == 1  # P4
    assert t["starters_by_origin"].at[summary.ALL, "people"] == 1
    assert t["starters_by_origin"].at["Social work role in another English council",
                                      "people"] == 1  # P3  # fmt: skip
    # in post by gender: P1 P3 female, P2 P5/6 male
    assert t["gender"].at["Female", "people"] == 2 and t["gender"].at["Male", "people"] == 2
    # P5/6 counted once, in the more senior post P6 (first line manager): practice supervisor
    pq = t["post_qualifying_status"]
    assert pq.at["Practitioner", "people"] == 3 and pq.at["Practice supervisor", "people"] == 1


def test_the_summary_notes_say_how_many_records_have_no_start_date():
    notes = [n for n in no_start().notes if "return (hand_no_start" in n]
    assert notes == [
        f"{n} records of the {y} return (hand_no_start_{y}.xml) have no RoleStartDate: each "
        "is counted in post (an agency worker, among the agency workers) at 30 September "
        "while it has no end date, as a leaver on its end date, and never as a starter; "
        "`workforce census validate` lists their lines."
        for n, y in ((2, 2024), (3, 2025))  # P2 P4; P2 P4 A2
    ]
    hidden = summary.summarise(returns("hand_no_start_2025.xml"), threshold=5).notes
    assert [n[:40] for n in hidden if "return (hand_no_start" in n] == [
        "Fewer than 5 records of the 2025 return "
    ]  # 3 records: the count is not given


def test_length_of_service_is_withheld_when_a_leaver_has_no_start_date():
    """P4 left in the year with no start date: in no band of length of service. Shown,
    the table's "All leavers" (P5 only: 1) beside DfE's leavers headcount (2) would give
    the number of such leavers, and its FTE (1.8) would not match its people."""
    s = no_start()
    t, st = s.length_of_service
    assert t.isna().all().all()
    assert (st == "x").all().all() and summary.SERVICE_NOT_KNOWN_NOTE in s.notes
    shown, _ = summary.summarise(returns("small_2025.xml"), threshold=1).length_of_service
    assert shown.at["All leavers", "leavers"] == 2  # every leaver there has a start date
