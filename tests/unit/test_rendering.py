import pytest

from workforce_lib import rendering
from workforce_lib.errors import WorkforceError
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


def test_external_scripts_are_stripped():
    html = '<script src="https://cdn.example/require.js"></script><script>ok()</script>'
    assert rendering._EXTERNAL_SCRIPT.sub("", html) == "<script>ok()</script>"


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
