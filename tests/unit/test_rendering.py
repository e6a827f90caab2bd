import re

import pytest

from workforce_lib import rendering
from workforce_lib.errors import WorkforceError


def test_every_template_has_one_documented_parameters_cell():
    import nbformat

    for name in set(rendering.TEMPLATES.values()):
        nb = nbformat.read(rendering.TEMPLATE_DIR / name, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        for line in tagged[0].source.splitlines():
            assert ": " in line and " = " in line and "  # " in line, line


def test_unknown_parameter_is_refused():
    with pytest.raises(WorkforceError, match="has no parameter colour"):
        rendering.check_parameters(
            rendering.TEMPLATE_DIR / "council_report.ipynb", {"council": "X", "colour": "red"}
        )


def test_write_atomic_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "a" / "r.html"
    rendering.write_atomic(target, "one")
    rendering.write_atomic(target, "two")
    assert target.read_text() == "two"
    assert [p.name for p in target.parent.iterdir()] == ["r.html"]
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def _tiny_notebook(title_cell: str):
    import nbformat

    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output("display_data", data={"text/html": title_cell, "text/plain": "x"})
    code = nbformat.v4.new_code_cell("x", outputs=[out])
    nb.cells = [code, nbformat.v4.new_markdown_cell("## B")]
    return nb


def test_exported_page_is_light_british_and_fetches_nothing():
    page = rendering.to_html(_tiny_notebook("<p>hello</p>"), "A <title>")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page
    assert "<title>A &lt;title&gt;</title>" in page
    assert "<main>" in page and "<p>hello</p>" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", page)
    assert "jp-Notebook" not in page.split("<body")[0]  # no JupyterLab stylesheet
    assert len(page.encode()) < 10_000  # was ~270 KB of CSS and loaders


def test_plan_covers_every_council_region_group_and_england(release, tmp_path):
    jobs = rendering.plan(release, 2025, tmp_path)
    kinds = [j.kind for j in jobs]
    assert kinds.count("council") == len(release.council_ids(2025)) == 151
    assert kinds.count("region") == 9 and kinds.count("group") == 1
    assert kinds.count("england") == 1
    assert [j.name for j in jobs if j.kind == "scenario"] == ["North East", "Eastern MoU"]
    assert len({j.out_html for j in jobs}) == len(jobs)  # no two reports share a file


def test_plan_passes_unambiguous_la_numbers(release, tmp_path):
    jobs = rendering.plan(release, 2025, tmp_path)
    dorset = [j for j in jobs if j.name == "Dorset"]
    assert [j.params["council"] for j in dorset] == ["838"]


def test_scenario_job_resolves_groups_then_councils_and_types_settings(release, tmp_path):
    job = rendering.scenario_job(release, "eastern mou", 2025, tmp_path, {"years": "3"})
    assert (job.name, job.params["group"], job.params["council"]) == ("Eastern MoU",) * 2 + ("",)
    assert job.params["years"] == 3 and job.out_html == tmp_path / "2025/scenarios/eastern-mou.html"
    job = rendering.scenario_job(release, "Dorset", 2025, tmp_path, {"turnover_cut_points": "3"})
    assert job.params["council"] == "838" and job.params["turnover_cut_points"] == 3.0


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"turnover_cut": "3"}, "has no parameter turnover_cut; it takes"),
        ({"years": "five"}, "parameter years takes a value of type int, not 'five'"),
        ({"group": "London"}, "--set cannot change group"),
    ],
)
def test_scenario_job_refuses_bad_settings(release, tmp_path, settings, message):
    with pytest.raises(WorkforceError, match=message):
        rendering.scenario_job(release, "Leeds", 2025, tmp_path, settings)


def test_scenario_job_unknown_area(release, tmp_path):
    with pytest.raises(WorkforceError, match="No council matches 'Atlantis'.*No region or group"):
        rendering.scenario_job(release, "Atlantis", 2025, tmp_path)


def test_plan_keeps_an_unknown_scenario_area_to_fail_at_render(release, tmp_path):
    config = {"councils": [], "regions": [], "scenarios": ["Atlantis", "North East"],
              "england": False}  # fmt: skip
    jobs = rendering.plan(release, 2025, tmp_path, config)
    assert [(j.kind, j.name) for j in jobs] == [
        ("scenario", "Atlantis"),
        ("scenario", "North East"),
    ]
    assert rendering._job_params(jobs[0], "")["group"] == "Atlantis"


def test_index_grades_in_words_sorts_low_as_zero_and_escapes_names(release, tmp_path):
    bad = rendering.Job("group", "<img src=x onerror=alert(1)>", 2025, tmp_path / "g.html")
    failed = rendering.Result(bad, ok=False, seconds=0.0, error="<b>boom</b>")
    page = rendering.build_index(release, 2025, tmp_path, [failed]).read_text()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>boom" not in page and "&lt;b&gt;boom&lt;/b&gt;" in page
    assert "<main>" in page and '<html lang="en-GB">' in page
    assert '<th scope="col" data-col="0"><button type="button">Council</button></th>' in page
    row = re.search(
        r"<tr data-region=\"North East\"><th scope=\"row\">Sunderland.*?</tr>", page, re.S
    )
    cells = re.findall(r'<td class="num[^"]*" data-sort="([^"]*)">([^<]*)', row.group(0))
    assert cells[1] == ("0", "less than 0.5%")  # agency rate `low`: rounds to zero
    graded = re.findall(r'<td class="num (q\d)" data-sort="[^"]+">[^<]+<span class="q">(Q\d)', page)
    assert graded and all(cls[1] == q[1] for cls, q in graded)  # colour and words agree
