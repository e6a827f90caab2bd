"""Ofsted files of any year's layout, several files, and files that cannot be read."""

from __future__ import annotations

import datetime
import shutil
import zipfile
from xml.sax.saxutils import escape

import pytest

from workforce_lib.published import ofsted


def _cell(v) -> str:
    if v is None:
        return "<table:table-cell/>"
    if isinstance(v, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{v:%Y-%m-%d}">'
            f"<text:p>{v:%d/%m/%Y}</text:p></table:table-cell>"
        )
    if isinstance(v, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{v}"/>'
    text = f"<text:p>{escape(v)}</text:p>"
    return f'<table:table-cell office:value-type="string">{text}</table:table-cell>'


def _write_ods(path, sheets: dict[str, list[list]]) -> None:
    """A small .ods written by hand: the OpenDocument zip (mimetype first, stored) with a
    content.xml holding one table per sheet, rows of values (text, dates, numbers, None)."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(f"<table:table-row>{''.join(map(_cell, r))}</table:table-row>" for r in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="{ODS}"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", ODS, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


ODS = "application/vnd.oasis.opendocument.spreadsheet"


#: Another year's layout: its own sheet name, a cover sheet, two title rows, other header
#: texts and another column order than the 2025 file.
LAYOUT_2023 = {
    "Cover": [["Local authority inspection outcomes as at 31 March 2023"], ["Published", "2023"]],
    "LA_outcomes_March_2023": [
        ["Table 1: most recent inspection"],
        ["Source: Ofsted"],
        [
            "Overall effectiveness judgement",
            "LA code",
            "Local authority",
            "Region",
            "Date of inspection",
            "Date published",
        ],
        ["Good", "E06000901", "Alderbury", "North East", "2022-01-10", "2022-03-01"],
        ["Inadequate", "E06000902", "Brackwater", "North East", "2022-06-06", "2022-08-01"],
    ],
}
#: The 2025 layout, with a newer judgement for Alderbury published after 30 September 2024.
LAYOUT_2025 = {
    "Inspections_as_at_31_March": [
        ["This worksheet contains one table."],
        ["Local authority inspection outcomes"],
        [
            "Web link",
            "Local authority area code",
            "Local authority name",
            "Ofsted region",
            "Inspection date",
            "Publication date",
            "Overall effectiveness",
        ],
        ["link", "E06000901", "Alderbury", "North East", "2024-10-07", "2024-11-20", "Outstanding"],
        ["link", "E06000902", "Brackwater", "North East", "2022-06-06", "2022-08-01", "Inadequate"],
    ],
}


D = datetime.date
#: The 2024 layout: no council code, no publication date; a cover sheet, the header row
#: lower down, a byte-order mark and a stray space in header texts, dates as date cells,
#: names as Ofsted spells them. Alderbury's 2022 inspection is also in LAYOUT_2023.
LAYOUT_2024 = {
    "Cover": [["Local authority inspection outcomes as at 31 March 2024"]],
    "Inspections_31_March_2024": [
        ["This worksheet contains one table."],
        [None],
        ["Local authority inspection judgements as at 31 March 2024"],
        [
            "Web link",
            "\ufeffLocal authority name",
            "Ofsted region",
            "Inspection date ",
            "Overall effectiveness",
            "The impact of leaders on social work practice with children and families",
        ],
        ["link", "Alderbury", "North East", D(2022, 1, 10), "Good", "Good"],
        ["link", "BRACKWATER ", "North East", D(2023, 11, 6), "Requires improvement to be good"],
        ["link", "Castleton", "North East", D(2019, 5, 13), "Outstanding", "Outstanding"],
        ["Source: Ofsted"],
    ],
}
NAME_2024 = "LA_Inspection_Outcomes_as_at_31_March_2024.ods"


def _notes(t) -> str:
    return " ".join(t.loc[t.Council == "Note", "Overall effectiveness"])


def test_2024_layout_is_read_by_name_and_dated_by_inspection(small_csv, small_release):
    _write_ods(small_csv.parent / NAME_2024, LAYOUT_2024)
    t = ofsted.ofsted_table(small_release, "902", 2024, small_csv.parent)
    judged = t[t.Council != "Note"]
    assert judged[["Council", "Inspected", "Overall effectiveness"]].values.tolist() == [
        ["BRACKWATER", "6 November 2023", "Requires improvement to be good"]
    ]
    assert judged.Published.tolist() == ["not given (published by 31 March 2024)"]
    assert judged["From file"].tolist() == [f"{NAME_2024} (as at 31 March 2024)"]
    assert (
        f"{NAME_2024} gives no publication dates: BRACKWATER's judgement is dated by its "
        "inspection (6 November 2023) and counted as published by 31 March 2024, the file's date."
    ) in _notes(t)
    assert ofsted.read_ofsted(small_csv.parent).findings == []


def test_2024_layout_judgement_is_not_shown_before_its_file_date(small_csv, small_release):
    # Castleton's 2019 inspection: the file only shows it was published by 31 March 2024
    _write_ods(small_csv.parent / NAME_2024, LAYOUT_2024)
    t = ofsted.ofsted_table(small_release, "903", 2023, small_csv.parent)
    assert list(t.Council) == ["Note", "Note"]
    notes = _notes(t)
    assert "Castleton's inspection of 13 May 2019 is certainly published only by 31 March 2024" in (
        notes
    )
    assert "that judgement is not shown" in notes and "Outstanding" not in notes
    assert (
        ofsted.ofsted_table(small_release, "903", 2024, small_csv.parent)[
            "Overall effectiveness"
        ].iloc[0]
        == "Outstanding"
    )


def test_both_layouts_together_the_publication_date_comes_from_the_other_file(
    small_csv, small_release
):
    _write_ods(small_csv.parent / "LA_Inspection_Outcomes_as_at_31_March_2023.ods", LAYOUT_2023)
    _write_ods(small_csv.parent / NAME_2024, LAYOUT_2024)
    # Alderbury's 10 January 2022 inspection: published 1 March 2022 says the 2023 file
    t = ofsted.ofsted_table(small_release, "901", 2022, small_csv.parent)
    assert t[["Overall effectiveness", "Published"]].values.tolist() == [["Good", "1 March 2022"]]
    # Brackwater: the 2022 judgement (2023 file) in 2023; the November 2023 one (2024 file,
    # undated) not before the 2024 file's date, so in 2024
    t23 = ofsted.ofsted_table(small_release, "902", 2023, small_csv.parent)
    assert t23["Overall effectiveness"].tolist() == ["Inadequate"]
    t24 = ofsted.ofsted_table(small_release, "902", 2024, small_csv.parent)
    assert t24["Overall effectiveness"].iloc[0] == "Requires improvement to be good"
    assert NAME_2024 in t24["From file"].iloc[0]


def test_names_no_council_matches_are_all_listed(small_csv, small_release):
    layout = {k: [list(r) for r in v] for k, v in LAYOUT_2024.items()}
    sheet = layout["Inspections_31_March_2024"]
    sheet.insert(5, ["link", "Nowhereshire", "North East", D(2023, 1, 9), "Good"])
    sheet.append(["link", "Zedford", "North East", D(2021, 2, 1), "Inadequate"])
    _write_ods(small_csv.parent / NAME_2024, layout)
    t = ofsted.ofsted_table(small_release, "901", 2024, small_csv.parent)
    assert t["Overall effectiveness"].iloc[0] == "Good"  # the known councils are still used
    assert (
        f"{NAME_2024}: 2 council code(s) or name(s) match no council of the release, so their "
        "judgements are not used: 'Nowhereshire' (sheet Inspections_31_March_2024, row 6), "
        "'Zedford' (sheet Inspections_31_March_2024, row 10)."
    ) in _notes(t)


def test_a_date_that_cannot_be_read_names_its_sheet_and_row(small_csv, small_release):
    layout = {k: [list(r) for r in v] for k, v in LAYOUT_2024.items()}
    layout["Inspections_31_March_2024"][5][3] = "sometime in 2023"
    _write_ods(small_csv.parent / NAME_2024, layout)
    t = ofsted.ofsted_table(small_release, "901", 2024, small_csv.parent)
    assert (
        f"{NAME_2024} could not be used: dates that cannot be read: sheet "
        "Inspections_31_March_2024 row 6 inspection date."
    ) in _notes(t)


def test_another_years_layout_is_read_by_content(small_csv, small_release):
    _write_ods(small_csv.parent / "LA_Inspection_Outcomes_as_at_31_March_2023.ods", LAYOUT_2023)
    t = ofsted.ofsted_table(small_release, "901", 2024, small_csv.parent)
    assert t["Overall effectiveness"].tolist() == ["Good"]
    assert t["Published"].tolist() == ["1 March 2022"]
    assert t["From file"].tolist() == [
        "LA_Inspection_Outcomes_as_at_31_March_2023.ods (as at 31 March 2023)"
    ]


def test_judgement_in_force_at_30_september_from_whichever_file(small_csv, small_release):
    _write_ods(small_csv.parent / "LA_Inspection_Outcomes_as_at_31_March_2023.ods", LAYOUT_2023)
    _write_ods(small_csv.parent / "LA_Inspection_Outcomes_as_at_31_March_2025.ods", LAYOUT_2025)
    # 2024: Alderbury's 2024 inspection was published on 20 November 2024, after the census day
    t24 = ofsted.ofsted_table(small_release, "901", 2024, small_csv.parent)
    assert t24["Overall effectiveness"].tolist() == ["Good"]
    assert "31_March_2023" in t24["From file"].iloc[0]
    t25 = ofsted.ofsted_table(small_release, "901", 2025, small_csv.parent)
    assert t25["Overall effectiveness"].tolist() == ["Outstanding"]
    assert "31_March_2025.ods (as at 31 March 2025)" in t25["From file"].iloc[0]
    # Brackwater's one judgement is in both files: one row, from the newer file
    tb = ofsted.ofsted_table(small_release, "902", 2025, small_csv.parent)
    assert tb["Overall effectiveness"].tolist() == ["Inadequate"]
    assert "31_March_2025" in tb["From file"].iloc[0]


def test_unreadable_file_is_a_finding_and_the_rest_is_used(small_csv, small_release):
    folder = small_csv.parent
    _write_ods(folder / "LA_Inspection_Outcomes_as_at_31_March_2023.ods", LAYOUT_2023)
    (folder / "LA_Inspection_Outcomes_as_at_31_March_2024.ods").write_bytes(b"not a spreadsheet")
    _write_ods(
        folder / "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
        {"Sheet1": [["LA code", "Local authority", "Inspection date", "Judgement"]]},
    )
    t = ofsted.ofsted_table(small_release, "901", 2024, folder)
    assert t["Overall effectiveness"].iloc[0] == "Good"
    notes = " ".join(t.loc[t.Council == "Note", "Overall effectiveness"])
    assert "LA_Inspection_Outcomes_as_at_31_March_2024.ods could not be used" in notes
    assert "not a readable .ods" in notes
    assert "LA_Inspection_Outcomes_as_at_31_March_2025.ods could not be used" in notes
    # a publication date is read where there is one, but is not needed (the 2024 layout)
    assert "(closest: sheet Sheet1, missing overall effectiveness)" in notes


def test_no_file_says_which_and_how_to_get_it(small_csv, small_release):
    t = ofsted.ofsted_table(small_release, "901", 2025, small_csv.parent)
    note = t["Overall effectiveness"].iloc[0]
    assert "LA_Inspection_Outcomes_*.ods" in note and "workforce data fetch" in note


def test_nothing_published_by_the_census_day_is_said(small_csv, small_release):
    _write_ods(small_csv.parent / "LA_Inspection_Outcomes_as_at_31_March_2025.ods", LAYOUT_2025)
    t = ofsted.ofsted_table(small_release, "901", 2024, small_csv.parent)
    assert list(t.Council) == ["Note"]
    assert "No judgement published by 30 September 2024" in t["Overall effectiveness"].iloc[0]


@pytest.mark.realdata
def test_real_2025_file(release, tmp_path):
    src = release.source.parent / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
    t = ofsted.ofsted_table(release, "929", 2025, release.source.parent)
    assert t[["Council", "Overall effectiveness", "Published"]].values.tolist() == [
        ["Northumberland", "Outstanding", "12 July 2024"]
    ]
    # 2022: the judgement then in force, from the same file's inspection history
    t = ofsted.ofsted_table(release, "929", 2022, release.source.parent)
    assert t["Overall effectiveness"].tolist() == ["Good"]
    # the same file under another year's name and a 2024-style sheet name still reads
    shutil.copy(src, tmp_path / "LA_Inspection_Outcomes_as_at_March_2024.ods")
    data = ofsted.read_ofsted(tmp_path)
    assert not data.findings and data.judgements.ons_code.nunique() >= 153


def test_council_report_shows_a_judgement_from_another_years_layout(small_csv):
    from workforce_lib.reports.report import council_report

    _write_ods(small_csv.parent / "LA_Inspection_Outcomes_as_at_31_March_2023.ods", LAYOUT_2023)
    rep = council_report("Brackwater", 2024, str(small_csv.parent))
    t = rep.ofsted()
    assert t[["Council", "Overall effectiveness"]].values.tolist() == [["Brackwater", "Inadequate"]]


def test_an_ods_that_is_a_zip_bomb_is_not_expanded(small_csv, small_release):
    bomb = small_csv.parent / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("content.xml", "w") as member:
            for _ in range(32):
                member.write(b" " * 2**20)
    t = ofsted.ofsted_table(small_release, "901", 2025, small_csv.parent)
    note = t["Overall effectiveness"].iloc[0]
    assert "LA_Inspection_Outcomes_as_at_31_March_2025.ods could not be used" in note
    assert "zip bomb" in note


@pytest.mark.realdata
def test_real_2025_main_sheet_in_the_2024_layout_is_read_by_name(release, tmp_path):
    import pandas as pd

    src = release.source.parent / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
    raw = pd.read_excel(
        src, engine="calamine", sheet_name="Inspections_as_at_31_March", header=None
    )
    header = next(i for i in range(10) if "Web link" in raw.iloc[i].tolist())
    table = raw.iloc[header + 1 :].set_axis(raw.iloc[header].tolist(), axis=1)
    table = table[table["Local authority area code"].astype(str).str.match(r"^E\d{8}$")]
    # Ofsted's own short names (Bristol, Durham, St Helens ...) and two area aliases
    aliases = {"Kingston upon Hull": "Hull", "Bournemouth, Christchurch & Poole": "BCP"}
    assert set(aliases) <= set(table["Local authority name"])
    names = [aliases.get(n, n) for n in table["Local authority name"]]
    rows = [
        ["link", n, r, d.date(), o]
        for n, r, d, o in zip(
            names, table["Ofsted region"], table["Inspection date"], table["Overall effectiveness"]
        )
    ]
    head = ["Web link", "Local authority name", "Ofsted region", "Inspection date"]
    _write_ods(tmp_path / NAME_2024, {"Sheet": [head + ["Overall effectiveness"]] + rows})
    data = ofsted.read_ofsted(tmp_path)
    by_name, unknown = ofsted.resolve(release, data.judgements)
    assert data.findings == [] and unknown == [] and len(by_name) == len(table)
    # the same councils and judgements as the file read by code (Barnsley and Sheffield
    # by their older codes there, the release's newer ones here)
    coded = ofsted.read_ofsted(release.source.parent).judgements
    by_code, _ = ofsted.resolve(release, coded[coded.sheet == "Inspections_as_at_31_March"])
    assert len(by_code) == len(by_name)
    key = ["area_id", "council", "inspection_date", "overall"]
    assert by_name[key].sort_values(key).values.tolist() == (
        by_code[key].sort_values(key).values.tolist()
    )


def test_an_ods_declaring_entities_is_refused_not_expanded(small_csv, small_release):
    path = small_csv.parent / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
    _write_ods(path, LAYOUT_2025)
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    dtd = b'<!DOCTYPE d [<!ENTITY a "Outstanding"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    members["content.xml"] = (
        members["content.xml"]
        .replace(b"?>", b"?>" + dtd, 1)
        .replace(b"<text:p>Outstanding</text:p>", b"<text:p>&b;</text:p>")
    )
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    t = ofsted.ofsted_table(small_release, "901", 2025, small_csv.parent)
    assert list(t.Council) == ["Note"]
    assert "could not be used: not a readable .ods spreadsheet" in t["Overall effectiveness"][0]
