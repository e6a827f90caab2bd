"""Ofsted files of any year's layout, several files, and files that cannot be read."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from workforce_lib.published import ofsted


def _write_ods(path, sheets: dict[str, list[list]]) -> None:
    """A small .ods written cell by cell (rows of values), one sheet per entry."""
    with pd.ExcelWriter(path, engine="odf") as xw:
        for name, rows in sheets.items():
            width = max(map(len, rows))
            frame = pd.DataFrame([r + [None] * (width - len(r)) for r in rows])
            frame.to_excel(xw, sheet_name=name, header=False, index=False)


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
    assert "missing publication date, overall effectiveness" in notes


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
    import zipfile

    bomb = small_csv.parent / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("content.xml", "w") as member:
            for _ in range(32):
                member.write(b" " * 2**20)
    t = ofsted.ofsted_table(small_release, "901", 2025, small_csv.parent)
    note = t["Overall effectiveness"].iloc[0]
    assert "LA_Inspection_Outcomes_as_at_31_March_2025.ods could not be used" in note
    assert "zip bomb" in note
