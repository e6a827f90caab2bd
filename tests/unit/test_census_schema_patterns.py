"""The reader's one-match check of a CSWWWorker record, held to the schema it is derived
from: whatever it accepts, libxml2 and xmlschema accept too (so no invalid record can
slip past the schema), and it accepts the plain values every real return holds (so the
reader stays fast). A change to ``csww.xsd`` moves the check with it."""

import random
import re

import pytest
from lxml import etree

from workforce_lib.records.census import reader
from workforce_lib.records.census.records import ETHNICITIES
from workforce_lib.records.census.schema_patterns import (
    Unsupported,
    element_pattern,
    element_source,
    int_range,
)

#: A record with every element, each with a plain valid value.
FULL = {
    "AgencyWorker": "0",
    "SWENo": "SW123456",
    "FTE": "0.5",
    "PersonBirthDate": "1980-02-28",
    "GenderCurrent": "2",
    "Ethnicity": "WBRI",
    "QualInst": "University A",
    "QualLevel": "2",
    "StepUpGrad": "0",
    "OrgRole": "5",
    "RoleStartDate": "2020-01-06",
    "StartOrigin": "10",
    "RoleEndDate": "2025-03-31",
    "LeaverDestination": "9",
    "ReasonLeave": "1",
    "FTE30": "1",
    "Cases30": "10000",
    "WorkingDaysLost": "4.27",
    "ContractWeeks": "52.5",
    "FrontlineGrad": "1",
    "Absat30Sept": "1",
    "ReasonAbsence": "SIC",
    "CFKSSstatus": "4",
}
REQUIRED = ("AgencyWorker", "SWENo", "QualInst")

#: Values the schema accepts and the fast check must accept too (per element).
PLAIN = {
    "AgencyWorker": ["0", "1"],
    "SWENo": ["SW1234", "sw123456789012", "XX000001", "Ab9999"],
    "FTE": ["0", "1", "0.5", "0.123456", "1.0", "1.000000", "0.000001"],
    "PersonBirthDate": [
        "1900-01-01",
        "2099-12-31",
        "1999-01-31",
        "2001-04-30",
        "2003-02-28",
        "1980-12-29",
        "1972-08-31",
    ],  # fmt: skip
    "GenderCurrent": ["0", "1", "2", "9"],
    "Ethnicity": list(ETHNICITIES),
    "QualInst": ["U", "x" * 200, "Université de Genève", "A-B (C), d.e/f", " padded "],
    "QualLevel": ["1", "2", "3"],
    "OrgRole": ["1", "6"],
    "StartOrigin": ["1", "9", "10"],
    "LeaverDestination": ["1", "9"],
    "ReasonLeave": ["1", "10"],
    "Cases30": ["0", "9", "10", "99", "100", "9999", "10000"],
    "WorkingDaysLost": ["0", "0.5", "4.27", "253", "253.00", "123456789.99"],
    "ContractWeeks": ["0", "52", "52.1", "0.0"],
    "ReasonAbsence": ["MAT", "OTH", "PUB", "SIC", "TRN", "UNA", "UNP"],
    "CFKSSstatus": ["1", "4"],
}

#: Edge values for every facet: each is tried in every element; whatever the fast
#: check accepts, the schema must accept.
EDGES = [
    "", " ", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "-1", "-0", "+1",
    "01", "00", " 1", "1 ", "\t1", "1\n", "1.", ".5", "0.5", "1.5", "1.0", "1.00000", "1.000000",
    "1.0000000", "1.0000001", "0.1234567", "0.0000001", "1e0", "1E1", "NaN", "INF", "inf",
    "0x1", "1_0", "٣", "１", "9999", "10000", "10001", "99999", "1000000000", "12345678901",
    "4.27", "4.271", "4.2", "52.05", "52.0", "-0.5", "0.", "2000", "2100", "2101", "1999",
    "1900-01-01", "1899-12-31", "2099-12-31", "2100-01-01", "0000-01-01", "0001-01-01",
    "2021-02-28", "2021-02-29", "2020-02-29", "2000-02-29", "1900-02-29", "2021-02-30",
    "2021-04-30", "2021-04-31", "2021-06-31", "2021-12-31", "2021-13-01", "2021-00-10",
    "2021-01-00", "2021-1-1", "21-01-01", "2021-01-01Z", "2021-01-01+01:00", "2021-01-01T00:00:00",
    " 2021-01-01", "2021-01-01 ", "WBRI", "wbri", " WBRI", "WBRI ", "WBR", "WBRIX", "MAT", "mat",
    "SW1234", "SW123", "SW1234567890123", "S1234", "SWW1234", "sw99999", "SW 1234", "SW1234 ",
    "ÄB1234", "SW١٢٣٤", "x" * 199, "x" * 200, "x" * 201, "é" * 200, "é" * 201, "a&b", "a<b",
    "a>b", "\r", "a\rb", "\n", "CSWW", "L", "001",
]  # fmt: skip

STRUCTURES = [  # a record changed around its values: (old, new) replacements
    ("<FTE>", '<FTE a="1">'),
    ("<CSWWWorker>", '<CSWWWorker id="1">'),
    ("<CSWWWorker>", '<CSWWWorker xmlns:q="urn:q">'),
    ("<CSWWWorker>", '<CSWWWorker xmlns="urn:q">'),
    ("<CSWWWorker>", "<CSWWWorker>text"),
    ("</FTE>", "</FTE>text"),
    ("</FTE>", "</FTE>\n\t "),
    ("<FTE>0.5</FTE>", "<FTE>0.5</FTE><FTE>0.5</FTE>"),
    ("<FTE>0.5</FTE>", "<FTE><b>0.5</b></FTE>"),
    ("<FTE>0.5</FTE>", "<FTE>0<!-- c -->.5</FTE>"),
    ("<FTE>0.5</FTE>", "<FTE><![CDATA[0.5]]></FTE>"),
    ("<FTE>0.5</FTE>", "<FTE/>"),
    ("<FTE>0.5</FTE>", "<q:FTE xmlns:q='urn:q'>0.5</q:FTE>"),
    ("<FTE>0.5</FTE>", "<Extra>1</Extra>"),
    ("<FTE>0.5</FTE>", "<FTE>0.5</FTE><?pi x?>"),
    ("<QualInst>University A</QualInst>", "<QualInst>A &amp; B</QualInst>"),
    ("<QualInst>University A</QualInst>", "<QualInst>A&#13;B</QualInst>"),
    ("<GenderCurrent>2</GenderCurrent><Ethnicity>WBRI</Ethnicity>",
     "<Ethnicity>WBRI</Ethnicity><GenderCurrent>2</GenderCurrent>"),
    ("</CSWWWorker>", "<CSWWWorker/></CSWWWorker>"),
]  # fmt: skip

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                         remove_comments=True, remove_pis=True)  # fmt: skip
XSD = reader.SCHEMA_PATH


def _record(values: dict[str, str | None], newline: bool = False) -> etree._Element:
    """A record from element values (None: element left out), parsed as the reader
    parses (comments and processing instructions dropped)."""
    sep = "\n    " if newline else ""
    inner = sep.join(f"<{tag}>{_escape(v)}</{tag}>" for tag, v in values.items() if v is not None)
    return etree.fromstring(f"<CSWWWorker>{sep}{inner}{sep}</CSWWWorker>", PARSER)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _fast(elem) -> bool:
    return (
        reader.fast_worker().fullmatch(etree.tostring(elem, encoding="unicode", with_tail=False))
        is not None
    )


def _valid(elem) -> tuple[bool, bool]:
    """(libxml2, xmlschema): does the schema accept the record?"""
    return (
        reader.fast_schema().validate(elem),
        reader.schema().elements["CSWWWorker"].is_valid(elem),
    )


def _check(elem, where: str) -> bool:
    fast = _fast(elem)
    if fast:
        assert _valid(elem) == (True, True), f"fast check accepts an invalid record: {where}"
    return fast


def test_the_reader_has_a_fast_check_for_its_records():
    assert reader.fast_worker() is not None
    _, names = element_source(XSD, "CSWWWorker")
    assert names == tuple(reader.FIELDS)  # the reader's fields, in the schema's order


def test_plain_values_pass_the_fast_check_and_the_schema():
    for layout in (False, True):
        assert _check(_record(FULL, layout), "the full record")
        bare = {t: (v if t in REQUIRED else None) for t, v in FULL.items()}
        assert _check(_record(bare, layout), "only required elements")
    for tag, values in PLAIN.items():
        for value in values:
            rec = _record({**FULL, tag: value})
            assert _valid(rec) == (True, True), (tag, value)
            assert _fast(rec), f"{tag}={value!r}: valid and plain, but refused by the fast check"


@pytest.mark.parametrize("tag", list(FULL))
def test_no_edge_value_passes_the_fast_check_unless_the_schema_accepts_it(tag):
    for value in EDGES:
        _check(_record({**FULL, tag: value}), f"{tag}={value!r}")
    if tag not in REQUIRED:
        assert _check(_record({**FULL, tag: None}), f"{tag} left out")
    else:
        assert not _check(_record({**FULL, tag: None}), f"{tag} left out")


def test_random_values_never_pass_the_fast_check_unless_the_schema_accepts_them():
    rnd = random.Random(13)
    alphabet = "0123456789.-+ eEWBRIXSsw:TZ\t\né"
    accepted = 0
    for tag in FULL:
        for _ in range(150):
            value = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 12)))
            accepted += _check(_record({**FULL, tag: value}), f"{tag}={value!r}")
    assert accepted > 0  # some random values are plain and valid (the test can fail)


@pytest.mark.parametrize("old,new", STRUCTURES)
def test_structure_beyond_plain_goes_to_the_schema(old, new):
    text = etree.tostring(_record(FULL), encoding="unicode")
    assert old in text
    elem = etree.fromstring(text.replace(old, new, 1), PARSER)
    _check(elem, new)


def test_missing_or_extra_elements_are_never_plain():
    for tag in REQUIRED:
        assert not _check(_record({**FULL, tag: None}), f"no {tag}")
    reordered = dict(reversed(list(FULL.items())))
    assert not _check(_record(reordered), "elements in reverse order")


@pytest.mark.parametrize("lo,hi", [(0, 0), (0, 9), (3, 3), (0, 10), (7, 12), (1, 10), (0, 10000),
                                   (2000, 2100), (15, 987), (99, 1001), (123, 4567)])  # fmt: skip
def test_int_range_matches_exactly_the_canonical_integers_in_range(lo, hi):
    pattern = re.compile(int_range(lo, hi))
    for i in range(0, 12000):
        assert bool(pattern.fullmatch(str(i))) == (lo <= i <= hi), i
    for text in (f"0{lo}", f"+{lo}", f"-{lo}", f" {lo}", ""):
        assert not pattern.fullmatch(text)


def _edited(tmp_path, old: str, new: str):
    text = XSD.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "csww.xsd"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_check_follows_the_schema_it_is_read_from(tmp_path):
    cases = '<xs:maxInclusive value="10000"/>'
    narrower = element_pattern(_edited(tmp_path, cases, '<xs:maxInclusive value="50"/>'),
                               "CSWWWorker")  # fmt: skip
    record = etree.tostring(_record({**FULL, "Cases30": "51"}), encoding="unicode")
    assert reader.fast_worker().fullmatch(record)
    assert narrower is not None and not narrower.fullmatch(record)
    assert narrower.fullmatch(record.replace(">51<", ">50<"))
    fewer = element_pattern(_edited(tmp_path, '<xs:enumeration value="SIC"/>', ""),
                            "CSWWWorker")  # fmt: skip
    assert not fewer.fullmatch(etree.tostring(_record(FULL), encoding="unicode"))


@pytest.mark.parametrize(
    "old,new",
    [
        ('<xs:fractionDigits value="6"/>', '<xs:totalDigits value="3"/>'),
        ('<xs:element name="FTE" type="Fraction" minOccurs="0"/>',
         '<xs:element name="FTE" type="Fraction" minOccurs="0" maxOccurs="2"/>'),
        ('<xs:pattern value="[A-Za-z]{2}[0-9]{4,12}"/>', '<xs:pattern value="\\p{L}{2}\\d+"/>'),
        ('type="xs:date" minOccurs="0"/>', 'type="xs:gYear" minOccurs="0"/>'),
        ('<xs:minInclusive value="0"/>\n      <xs:maxInclusive value="1"/>',
         '<xs:minInclusive value="-1"/>\n      <xs:maxInclusive value="1"/>'),
        ('<xs:element name="CSWWWorker">\n    <xs:complexType>',
         '<xs:element name="CSWWWorker">\n    <xs:complexType mixed="true">'),
    ],
)  # fmt: skip
def test_anything_beyond_the_fast_check_turns_it_off(tmp_path, old, new):
    path = _edited(tmp_path, old, new)
    with pytest.raises(Unsupported):
        element_source(path, "CSWWWorker")
    assert element_pattern(path, "CSWWWorker") is None


# ---------------------------------------------------------------- codes are strings
#: Each code element and DfE's list for it, exactly as written there.
CODES = {
    "AgencyWorker": ["0", "1"],
    "GenderCurrent": ["0", "1", "2", "9"],
    "QualLevel": ["1", "2", "3"],
    "StepUpGrad": ["0", "1"],
    "OrgRole": [str(i) for i in range(1, 7)],
    "StartOrigin": [str(i) for i in range(1, 11)],
    "LeaverDestination": [str(i) for i in range(1, 10)],
    "ReasonLeave": [str(i) for i in range(1, 11)],
    "FrontlineGrad": ["0", "1"],
    "Absat30Sept": ["0", "1"],
    "CFKSSstatus": ["1", "2", "3", "4"],
}


def _other_spellings(code: str) -> list[str]:
    """The same number written otherwise: an integer type takes every one of them."""
    return [f"0{code}", f" {code} ", f"+{code}", f"{code}\n", f"\t{code}", f"{code}.0"]


@pytest.mark.parametrize("tag", list(CODES))
def test_a_code_is_accepted_only_as_dfe_writes_it_by_both_schema_checks_and_the_fast_one(tag):
    for code in CODES[tag]:
        rec = _record({**FULL, tag: code})
        assert _valid(rec) == (True, True) and _fast(rec), (tag, code)
        for other in _other_spellings(code):
            rec = _record({**FULL, tag: other})
            assert _valid(rec) == (False, False), (tag, other)  # libxml2 and xmlschema
            assert not _fast(rec), (tag, other)
    for outside in ("-1", "11", "99", "", "one"):
        assert _valid(_record({**FULL, tag: outside})) == (False, False), (tag, outside)


def _header(year: str) -> etree._Element:
    return etree.fromstring(
        "<Header><CollectionDetails><Collection>CSWW</Collection>"
        f"<Year>{year}</Year><ReferenceDate>2022-09-30</ReferenceDate>"
        "</CollectionDetails></Header>",
        PARSER,
    )


@pytest.mark.parametrize("year", ["02022", " 2022 ", "+2022", "2022\n"])
def test_a_census_year_is_four_digits_as_written(year):
    for good in ("2000", "2022", "2100"):
        assert reader.fast_schema().validate(_header(good))
        assert reader.schema().elements["Header"].is_valid(_header(good))
    for bad in (year, "2022.0", "1999", "2101", "22"):
        assert not reader.fast_schema().validate(_header(bad)), bad
        assert not reader.schema().elements["Header"].is_valid(_header(bad)), bad
