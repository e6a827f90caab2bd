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


def test_render_parser_still_offers_every_report():
    from workforce_lib import cli
    from workforce_lib.reports import rendering

    parser = cli.build_parser()
    for kind in rendering.TEMPLATES:
        args = parser.parse_args(["render", kind, "x", "--threshold", "7"])
        assert (args.func, args.what, args.threshold) == (rendering.cmd_render, kind, 7)
