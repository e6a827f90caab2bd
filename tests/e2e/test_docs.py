"""The documentation site: ``mkdocs build --strict`` succeeds, its CLI reference lists every
command the parsers have, nothing of the old README's manual is lost, the site fetches
nothing from the network, and the short README's links lead somewhere."""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.browser import open_file

ROOT = Path(__file__).resolve().parents[2]

#: Every heading of README.md when it held the whole manual (671 lines, before the docs
#: site): each must still head a section of some docs page.
OLD_README_HEADINGS = [
    "workforce",
    "Data",
    "Use",
    "Reports",
    "A council's own HR extract",
    "Personal data and disclosure control",
    "A council's census return",
    "A region's pooled returns",
    "What if? Agency cost and scenarios",
    "What instability means for children",
    "How the numbers are made",
    "Layout",
    "Development",
    "Licence",
]


def _text(page: str) -> str:
    """An HTML page's text, tags removed, entities decoded, white space collapsed."""
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _build(config: Path, out: Path) -> None:
    """``mkdocs build --strict`` of ``config`` into ``out``: no error, no warning."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "NO_MKDOCS_2_WARNING": "1",  # the themes' banners about their future, not warnings
        "DISABLE_MKDOCS_2_WARNING": "true",
    }
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=config.parent,
        env=env,
    )
    assert r.returncode == 0, r.stderr[-4000:]
    assert "WARNING" not in r.stderr, r.stderr[-4000:]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    _build(ROOT / "mkdocs.yml", out)
    return out


def _commands(parser: argparse.ArgumentParser, said: str = ""):
    """(full name, the help its parent gives it, usage) of a parser and its subcommands."""
    yield parser.prog, said, parser.format_usage()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, child in action.choices.items():
                yield from _commands(child, helps[name])


def test_cli_page_lists_every_command_with_its_help_and_usage(site):
    from workforce_lib.cli import build_parser

    page = (site / "cli.html").read_text(encoding="utf-8")
    text = _text(page)
    commands = list(_commands(build_parser()))
    names = [name for name, _, _ in commands]
    assert {"workforce census pool", "workforce render", "workforce data"} <= set(names)
    for name, said, usage in commands:
        assert f'id="{name.replace(" ", "-")}"' in page, name
        assert said in text, (name, said)
        assert _squash(usage) in text, (name, usage)
    sections = re.findall(r'<h2 id="([^"]+)"', page)
    assert sections == [name.replace(" ", "-") for name in names]  # no more, no fewer
    assert "argparse" in text or "build_parser" in text  # says where it comes from


def _headings(markdown: str) -> list[str]:
    found, fence = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        elif not fence and (m := re.match(r"#{1,6}\s+(.*?)\s*$", line)):
            found.append(m.group(1))
    return found


def test_every_heading_of_the_old_manual_heads_a_docs_section(site):
    in_docs = {h for page in (ROOT / "docs").glob("*.md") for h in _headings(page.read_text())}
    assert [h for h in OLD_README_HEADINGS if h not in in_docs] == []
    built = {p.name for p in site.glob("*.html")}
    for page in (ROOT / "docs").glob("*.md"):
        assert page.with_suffix(".html").name in built, page.name


def test_a_page_nav_does_not_name_is_in_the_site_under_more_topics(tmp_path):
    """Another change's docs/<topic>.md, not yet in mkdocs.yml's nav: the strict build
    passes and the page is in every page's navigation, by its heading."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    (tmp_path / "docs" / "zz-topic.md").write_text(
        "# Pooling, what is left out\n\nSee the [reference](cli.md).\n", encoding="utf-8"
    )
    _build(tmp_path / "mkdocs.yml", tmp_path / "site")
    nav = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "More topics" in nav
    link = re.search(r'href="zz-topic.html"[^>]*>(.*?)</a>', nav, re.S)
    assert link and "Pooling, what is left out" in _text(link.group(1))


def test_site_fetches_nothing_from_the_network(site):
    for page in site.rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        external = re.findall(
            r"<(?:link|script|img|iframe|source)\b[^>]*\b(?:src|href)=\"(?:https?:)?//[^\"]*",
            source,
        )
        assert external == [], (page.name, external)
        assert "fonts.googleapis" not in source and "fonts.gstatic" not in source, page.name


def test_site_opened_in_a_browser_requests_nothing_from_the_network(site, page):
    """Opened from the file system in Chromium, reading a page and using the search box
    asks for local files only (Material's offline plugin, for one, would fetch a script
    from unpkg.com for the search)."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    for name, title in (("index.html", "workforce"), ("cli.html", "Command line")):
        open_file(page, site / name)
        assert page.title().startswith(title)
        page.focus("input.md-search__input")
        page.keyboard.type("pool")
        page.wait_for_timeout(500)
    assert requests and [u for u in requests if not u.startswith("file://")] == []


def test_readme_is_short_and_its_links_lead_somewhere(site):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    assert len(lines) <= 150, len(lines)
    assert lines[0].startswith("`make reports`") and lines[1].startswith("`make test`")
    links = re.findall(r"\]\(([^)\s]+)\)", readme)
    local = [t for t in links if not re.match(r"[a-z]+:", t)]
    assert any(t.startswith("docs/") for t in local)
    for target in local:
        path, _, anchor = target.partition("#")
        assert not Path(path).is_absolute(), target
        assert (ROOT / path).exists(), target
        if anchor:  # a section of a docs page: that id in the built page
            assert path.startswith("docs/") and path.endswith(".md"), target
            built = (site / Path(path).relative_to("docs").with_suffix(".html")).read_text()
            assert f'id="{anchor}"' in built, target
