"""The ``workforce`` command's parser: building it costs no report machinery."""

import json
import subprocess
import sys

#: Imported only by the commands that need them: a report (the Jupyter stack; nbformat
#: alone took about 2 s, compiling jsonschema's URI grammar) or charts.
HEAVY = ["nbformat", "papermill", "nbclient", "nbconvert", "jupyter_client", "matplotlib"]

PROBE = """
import json, sys
from workforce_lib import cli
parser = cli.build_parser()
parser.parse_args(["summary", "--council", "Northumberland", "--json"])
parser.parse_args(["render", "council", "Leeds", "--year", "2025"])
print(json.dumps(sorted(set(sys.argv[1:]) & set(sys.modules))))
"""


def test_building_the_parser_imports_no_report_machinery():
    r = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == []


def test_render_parser_still_offers_every_report(monkeypatch):
    from workforce_lib import cli
    from workforce_lib.reports import rendering

    parser = cli.build_parser()
    seen = []
    monkeypatch.setattr(rendering, "cmd_render", lambda args: seen.append(args) or 0)
    for kind in rendering.TEMPLATES:
        args = parser.parse_args(["render", kind, "x", "--threshold", "7"])
        assert (args.what, args.threshold) == (kind, 7)
        assert args.func(args) == 0 and seen[-1] is args  # rendering's own command runs


#: The data stack: ``--help`` and an argument error need none of it (it took about 2 s).
DATA_STACK = ["pandas", "numpy", "pandera", "pydantic", "workforce_lib.published.release",
              "workforce_lib.published.comparison", "workforce_lib.measures"]  # fmt: skip

HELP_PROBE = """
import contextlib, io, json, sys
from workforce_lib import cli
imported = sorted(set(sys.argv[1:]) & set(sys.modules))
parser = cli.build_parser()
for argv in (["--help"], ["summary", "--neighbours", "2019"], ["census", "pool", "--help"]):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            parser.parse_args(argv)
        except SystemExit:
            pass
print(json.dumps([imported, sorted(set(sys.argv[1:]) & set(sys.modules))]))
"""


def test_importing_the_cli_and_help_import_no_pandas():
    r = subprocess.run(
        [sys.executable, "-c", HELP_PROBE, *DATA_STACK], capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [[], []]


def test_neighbour_models_offered_are_the_ones_comparison_reads():
    from workforce_lib import cli
    from workforce_lib.published import comparison

    action = next(
        a
        for a in cli.build_parser()._subparsers._group_actions[0].choices["summary"]._actions
        if a.dest == "neighbours"
    )
    assert action.choices == list(comparison.NEIGHBOUR_MODELS) == ["2025", "2021"]
    assert action.default == comparison.DEFAULT_NEIGHBOUR_MODEL == "2025"
