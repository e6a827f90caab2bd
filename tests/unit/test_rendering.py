import re
from pathlib import Path

import pytest

from workforce_lib.errors import WorkforceError
from workforce_lib.reports import rendering
from workforce_lib.yaml_config import ConfigError


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


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the file is empty"),  # before: None, and `render all` rendered everything
        ("- councils\n", "the file holds a list"),
        ("councils: all\n", None),
        ("councils: all\ncouncil: [Leeds]\n", "council: unknown key"),
        ("councils: some\n", "councils"),
        ("groups: &g [Eastern MoU]\nscenarios: *g\n", "anchors and aliases"),
    ],
)
def test_report_config_is_checked(tmp_path, text, message):
    f = tmp_path / "reports.yaml"
    f.write_text(text)
    if message is None:
        config = rendering.load_report_config(f)
        assert (config.councils, config.regions, config.england) == ("all", "all", True)
        return
    with pytest.raises(ConfigError, match=message) as err:
        rendering.load_report_config(f)
    assert str(f) in str(err.value)


def test_project_report_config_loads():
    config = rendering.load_report_config()
    assert config.groups == ["Eastern MoU"] and config.scenarios == ["North East", "Eastern MoU"]


def test_plan_refuses_two_reports_with_one_file(small_release, tmp_path):
    """Groups a/b/c and a-b-c both slug to a-b-c.html: before, one overwrote the other
    ("5 of 5 rendered", 4 files)."""
    config = {"councils": [], "regions": [], "groups": ["a/b/c", "a-b-c"], "england": False}
    with pytest.raises(WorkforceError, match=r"group 'a/b/c', group 'a-b-c' -> .*a-b-c.html"):
        rendering.plan(small_release, 2025, tmp_path, config)


def test_plan_refuses_a_name_with_no_file_name(small_release, tmp_path):
    """A group named !!! wrote a hidden '.html'."""
    config = {"councils": [], "regions": [], "groups": ["!!!"], "england": False}
    with pytest.raises(WorkforceError, match="'!!!' has no letter or digit"):
        rendering.plan(small_release, 2025, tmp_path, config)


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"permanent_cost_per_fte": "nan"}, "permanent_cost_per_fte must be from 0 to 10,000,000"),
        ({"agency_cost_per_fte": "inf"}, "agency_cost_per_fte must be from 0 to 10,000,000"),
        ({"years": "31"}, "years must be from 1 to 30"),
        ({"conversion_share": "-0.5"}, "conversion_share must be from 0 to 1"),
    ],
)
def test_scenario_job_refuses_settings_out_of_range_before_a_kernel(
    small_release, tmp_path, settings, message
):
    with pytest.raises(WorkforceError, match=message):
        rendering.scenario_job(small_release, "Alderbury", 2025, tmp_path, settings)


# ---------------------------------------------------------------- the job machinery, with a
# tiny template (no DfE data): it writes a table; the "victim" report then waits to be killed
PROBE_SOURCE = """import os, pathlib, time
pathlib.Path(tables_dir).mkdir(parents=True, exist_ok=True)
(pathlib.Path(tables_dir) / "t.csv").write_text("a\\n1\\n")
if council == "victim":
    pathlib.Path(data_dir, "victim.pid").write_text(str(os.getpid()))
    time.sleep(300)
print(council)"""


def _probe_template(folder):
    import nbformat

    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'year: int = 0  # y\ndata_dir: str = ""  # d\ntables_dir: str = ""  # t\n'
        'council: str = ""  # c'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(PROBE_SOURCE)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / "probe.ipynb")


@pytest.fixture(scope="module")
def probe_run(tmp_path_factory):
    """Four reports on one warm worker: a, victim (its kernel is killed with SIGKILL while it
    runs; an earlier render left victim.html and its tables), b (a relative path, run from
    another folder) and c. Before: the batch waited for ever on the dead kernel."""
    import os
    import signal
    import threading
    import time

    tmp = tmp_path_factory.mktemp("probe")
    _probe_template(tmp)
    out = tmp / "out"
    (out / "victim_tables").mkdir(parents=True)
    (out / "victim_tables" / "old.csv").write_text("a\n0\n")
    (out / "victim.html").write_text("the previous report")
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    jobs = [
        rendering.Job("council", "a", 2025, out / "a.html", {"council": "a"}),
        rendering.Job("council", "victim", 2025, out / "victim.html", {"council": "victim"}),
        rendering.Job("council", "b", 2025, Path("rel/b.html"), {"council": "b"}),
        rendering.Job("council", "c", 2025, out / "c.html", {"council": "c"}),
    ]
    stale = out / f".x.render-{_dead_pid()}-0a0b"
    stale.mkdir()

    def kill_victim():
        pid = tmp / "victim.pid"
        for _ in range(1200):
            if pid.exists() and pid.read_text():
                time.sleep(0.3)
                os.kill(int(pid.read_text()), signal.SIGKILL)
                return
            time.sleep(0.1)

    results: list = []
    saved = (rendering.TEMPLATE_DIR, dict(rendering.TEMPLATES), Path.cwd())
    rendering.TEMPLATE_DIR, rendering.TEMPLATES["council"] = tmp, "probe.ipynb"
    os.chdir(elsewhere)
    try:
        threading.Thread(target=kill_victim, daemon=True).start()
        worker = threading.Thread(
            target=lambda: results.extend(
                rendering.render_jobs(jobs, str(tmp), workers=1, progress=False)
            ),
            daemon=True,
        )
        worker.start()
        worker.join(timeout=240)
        assert not worker.is_alive(), "render_jobs hung on a killed kernel"
    finally:
        os.chdir(saved[2])
        rendering.TEMPLATE_DIR = saved[0]
        rendering.TEMPLATES.clear()
        rendering.TEMPLATES.update(saved[1])
    return out, elsewhere, stale, {r.job.name: r for r in results}


def _dead_pid() -> int:
    import subprocess
    import sys

    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_a_killed_kernel_fails_its_report_and_the_batch_goes_on(probe_run):
    out, _, _, results = probe_run
    assert {n: r.ok for n, r in results.items()} == {"a": True, "victim": False, "b": True,
                                                      "c": True}  # fmt: skip
    assert "the kernel running this report died" in results["victim"].error
    assert (out / "c.html").exists()  # rendered by a new kernel after the death


def test_a_failed_render_leaves_the_previous_report_and_tables_whole(probe_run):
    """Tables are written beside the report only with it: the killed render's t.csv never
    reaches victim_tables (before, a killed run left half-filled *_tables folders)."""
    out, _, _, _ = probe_run
    assert (out / "victim.html").read_text() == "the previous report"
    assert sorted(p.name for p in (out / "victim_tables").iterdir()) == ["old.csv"]
    assert (out / "a_tables" / "t.csv").read_text() == "a\n1\n"
    assert not [p.name for p in out.iterdir() if ".render-" in p.name]  # no staging left


def test_a_relative_output_path_keeps_its_tables(probe_run):
    """Before, a relative out path sent the tables to the kernel's temporary folder."""
    _, elsewhere, _, _ = probe_run
    assert (elsewhere / "rel" / "b.html").exists()
    assert (elsewhere / "rel" / "b_tables" / "t.csv").read_text() == "a\n1\n"


def test_staging_left_by_a_killed_render_is_removed(probe_run):
    _, _, stale, _ = probe_run
    assert not stale.exists()


def test_a_report_that_cannot_be_written_fails_with_the_reason(tmp_path, monkeypatch):
    _probe_template(tmp_path)
    monkeypatch.setattr(rendering, "TEMPLATE_DIR", tmp_path)
    monkeypatch.setitem(rendering.TEMPLATES, "council", "probe.ipynb")

    def refuse(path, text):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(rendering, "write_atomic", refuse)
    job = rendering.Job("council", "a", 2025, tmp_path / "out" / "a.html", {"council": "a"})
    result = rendering.run_job(job, str(tmp_path))
    assert not result.ok and result.error.startswith("could not write the report (Permission")
    assert not (tmp_path / "out" / "a_tables").exists()


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


def test_a_warm_kernel_freezes_its_heap_once_after_its_first_report(monkeypatch):
    import gc
    import sys

    calls = []
    frozen = []
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze") or frozen.append(1))
    # counting frozen objects walks them all: the reset remembers that it froze instead
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 1 / 0)
    monkeypatch.setattr(sys.modules["workforce_lib"], "_heap_frozen", False, raising=False)

    class Shell:
        def run_line_magic(self, *args):
            calls.append(args)

    ns = {"get_ipython": Shell}
    library = sys.modules.pop("workforce_lib")
    try:
        exec(rendering.RESET_SOURCE, ns)  # before the first report: nothing loaded yet
    finally:
        sys.modules["workforce_lib"] = library
    assert calls == [("reset", "-f")] and not {"gc", "sys", "_lib"} & set(ns)
    exec(rendering.RESET_SOURCE, ns)  # after it: its garbage collected, the rest frozen
    assert calls[1:] == [("reset", "-f"), "collect", "freeze"]
    for _ in range(3):
        exec(rendering.RESET_SOURCE, ns)
    assert calls.count("freeze") == 1
