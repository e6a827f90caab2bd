"""The tests and the documentation build import only packages pyproject.toml declares: a
fresh ``make setup`` installs exactly those (and what they need), so a package that is only
there because something else happens to pull it in (the old browser driver's ``websocket``,
from Jupyter) can disappear with that something's next release."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Where the test and documentation tooling lives (the library is checked by its imports
#: being declared runtime dependencies where it is installed).
FOLDERS = ["tests", "docs"]


def _name(dist: str) -> str:
    """A distribution's name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", dist).lower()


def declared() -> set[str]:
    """pyproject.toml's dependencies and optional dependencies, by normalised name.

    >>> "pytest-playwright" in declared() and "pandas" in declared()
    True
    """
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    return {_name(re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0]) for d in wanted}


def imports(source: str) -> set[str]:
    """The top-level modules a file imports (relative imports aside).

    >>> sorted(imports("import a.b, c\\nfrom d.e import f\\nfrom . import g"))
    ['a', 'c', 'd']
    """
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_tests_and_docs_import_only_declared_packages():
    files = [p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py")]
    files.append(ROOT / "conftest.py")
    local = {"workforce_lib", *FOLDERS} | {p.stem for p in files}
    modules_to_dists = packages_distributions()
    wanted = declared()
    undeclared = {}
    for path in files:
        for module in imports(path.read_text(encoding="utf-8")):
            if module in sys.stdlib_module_names or module in local:
                continue
            dists = {_name(d) for d in modules_to_dists.get(module, [module])}
            if not dists & wanted:
                undeclared.setdefault(module, []).append(str(path.relative_to(ROOT)))
    assert undeclared == {}
