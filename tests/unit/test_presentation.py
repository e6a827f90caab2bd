import pandas as pd

from workforce_lib import presentation


def test_slug():
    assert presentation.slug("Kingston upon Hull, City of") == "kingston-upon-hull-city-of"
    assert presentation.slug("Kingston upon Thames / Richmond upon Thames") == (
        "kingston-upon-thames-richmond-upon-thames"
    )


def test_header_names_source_licence_and_checksum(small_release):
    h = presentation.header("Title", small_release, 2025).data
    assert small_release.sha256[:16] in h and "Open Government Licence v3.0" in h
    assert "30 September 2025" in h and "Generated" in h


def test_table_writes_csv_and_links_it(tmp_path):
    df = pd.DataFrame({"a": [1, 2]})
    out = presentation.table(df, "My Table", tmp_path / "x_tables").data
    assert (tmp_path / "x_tables" / "my-table.csv").read_text().splitlines() == ["a", "1", "2"]
    assert 'href="x_tables/my-table.csv"' in out


def test_definitions_list_every_symbol():
    d = presentation.definitions().data
    for sym in ("x", "z", "c", "u", "low"):
        assert f"<code>{sym}</code>" in d
