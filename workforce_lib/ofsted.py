"""Ofsted's latest ILACS judgement per council (LA_Inspection_Outcomes_*.ods, via odfpy)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from workforce_lib import areas as areas_mod
from workforce_lib.errors import DataValidationError, Problem, UnknownAreaError
from workforce_lib.loading import ofsted_path
from workforce_lib.release import Release

SHEET = "Inspections_as_at_31_March"
COLUMNS = {
    "Local authority area code": "ons_code",
    "Local authority name": "la_name",
    "Inspection date": "inspection_date",
    "Publication date": "publication_date",
    "Overall effectiveness": "overall",
}


@lru_cache(maxsize=4)
def _read(path: Path) -> pd.DataFrame:
    raw = pd.read_excel(path, engine="odf", sheet_name=SHEET, header=None)
    header_rows = raw.index[raw.iloc[:, 1].astype(str).str.strip() == "Local authority area code"]
    if header_rows.empty:
        raise DataValidationError(
            path.name,
            [
                Problem(
                    path.name,
                    None,
                    "Local authority area code",
                    None,
                    f"header row not found in sheet {SHEET}",
                )
            ],
        )
    h = header_rows[0]
    df = raw.iloc[h + 1 :].set_axis([str(c).strip() for c in raw.iloc[h]], axis=1)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise DataValidationError(
            path.name, [Problem(path.name, h + 1, c, None, "column missing") for c in missing]
        )
    df = df.rename(columns=COLUMNS)[list(COLUMNS.values())].dropna(subset=["ons_code"])
    for c in ("inspection_date", "publication_date"):
        df[c] = pd.to_datetime(df[c], errors="coerce").dt.date
    return df.reset_index(drop=True)


def read_ofsted(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Latest judgement per council: ons_code, la_name, dates, overall effectiveness."""
    return _read(ofsted_path(data_dir))


def judgements_for(release: Release, area_id: str, table: pd.DataFrame) -> pd.DataFrame:
    """Rows of the Ofsted table for a council (two for a jointly reported area)."""
    keep = []
    for i, code in enumerate(table.ons_code):
        try:
            if areas_mod.find_council(release, code) == area_id:
                keep.append(i)
        except UnknownAreaError:
            continue
    return table.iloc[keep]
