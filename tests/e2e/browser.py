"""The browser tests' Chromium, driven by Playwright (``pytest-playwright``'s fixtures).

The tests use the system's Chromium (Debian's ``chromium`` package, which ``.ci/run``
installs with apt) through Playwright's ``executable_path``: no browser is downloaded
(never ``playwright install``). ``launch_args`` gives the options that
``browser_type_launch_args`` (tests/conftest.py) hands to pytest-playwright, so the
``page`` fixture is a fresh tab of that Chromium. Without Chromium, or axe-core, the
tests fail in CI (``CI`` set) and skip elsewhere, saying why.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

#: Where Debian's package puts it; else the first ``chromium`` on PATH.
SYSTEM_CHROMIUM = "/usr/bin/chromium"

#: Running as root in a container: no sandbox, no GPU, nothing fetched in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing(msg: str) -> None:
    """Fail in CI, where a missing tool is a broken set-up; skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def chromium_path() -> str:
    """The system Chromium's executable (fails in CI, skips elsewhere, without one)."""
    if os.access(SYSTEM_CHROMIUM, os.X_OK):
        return SYSTEM_CHROMIUM
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        _missing("Debian's chromium is not installed (.ci/run installs it with apt)")
    return exe


def launch_args() -> dict[str, Any]:
    """Playwright's ``BrowserType.launch`` options: the system Chromium, headless."""
    return {"executable_path": chromium_path(), "headless": True, "args": CHROMIUM_ARGS}


def axe_source() -> str:
    """axe-core's script, from the ``axe-core-python`` wheel (a dev dependency: no node
    needed). Tests that need it fail, not skip, in CI when it is missing."""
    try:
        import axe_core_python
    except ImportError:
        _missing("axe-core-python is not installed (pip install -e '.[dev]')")
    return (Path(axe_core_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


class ConsoleErrors(list):
    """Every error a page reports while it is watched: uncaught exceptions and
    ``console.error`` messages (a resource that fails to load is one of those)."""

    def __init__(self, page) -> None:
        super().__init__()
        page.on("pageerror", lambda exc: self.append(str(exc)))
        page.on("console", lambda msg: msg.type == "error" and self.append(msg.text))


def open_file(page, path: Path) -> None:
    """Open a local HTML file and wait for its load event."""
    page.goto(path.resolve().as_uri(), wait_until="load", timeout=60_000)


def axe(page, rules: dict | None = None) -> list[dict]:
    """axe-core's violations on the open page (WCAG 2.1 A and AA and best practice):
    each with its rule id, impact, help text and the offending elements."""
    page.add_script_tag(content=axe_source())
    options = {"resultTypes": ["violations"], **({"rules": rules} if rules else {})}
    return page.evaluate(
        f"axe.run(document, {json.dumps(options)}).then(r => r.violations.map(v => ("
        "{id: v.id, impact: v.impact, help: v.help, "
        "nodes: v.nodes.slice(0, 5).map(n => n.html.slice(0, 200))})))"
    )


def print_pdf(page) -> bytes:
    """The page printed to PDF as Chromium prints it, with the page's own CSS page size
    (``@page``) and backgrounds."""
    return page.pdf(prefer_css_page_size=True, print_background=True)
