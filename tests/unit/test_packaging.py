"""pyproject.toml and environment.yml must declare the same packages and bounds."""

import ast
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _norm(spec: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(map(_norm, py["dependencies"] + py["optional-dependencies"]["dev"]))
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(
        _norm(d)
        for d in env["dependencies"]
        if isinstance(d, str) and _norm(d)[0] not in ("python", "pip")  # not python-calamine
    )
    pip = next((d["pip"] for d in env["dependencies"] if isinstance(d, dict)), [])
    conda.update(_norm(d) for d in pip if not d.startswith("-"))  # PyPI-only packages
    assert conda == wanted


def test_console_script_declared():
    py = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert py["scripts"]["workforce"] == "workforce_lib.cli:main"


LAYERS = {"published": set(), "records": {"published"}, "reports": {"published", "records"}}


def _imports(path: Path) -> set[str]:
    """Every workforce_lib module a file imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return {n for n in names if n.startswith("workforce_lib.")}


def test_each_data_path_imports_only_what_is_below_it():
    """published/ reads DfE's files and nothing of a council's records; records/ may compare
    with published figures; neither imports the reports layer (which sits above both)."""
    wrong = []
    for layer, allowed in LAYERS.items():
        for path in sorted((ROOT / "workforce_lib" / layer).rglob("*.py")):
            for name in _imports(path):
                sub = name.split(".")[1]
                if sub in LAYERS and sub != layer and sub not in allowed:
                    wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []


def test_layering_check_sees_a_function_level_import(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from workforce_lib.reports.presentation import table\n")
    assert "workforce_lib.reports.presentation" in _imports(f)
