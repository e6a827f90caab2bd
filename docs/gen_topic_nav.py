"""Put every page of ``docs/`` that ``mkdocs.yml``'s ``nav`` does not name under "More
topics" in the site's navigation, at build time.

A change that documents its own topic adds ``docs/<topic>.md``; with this (run by
mkdocs-gen-files before the navigation is built) the page is in the site at once, titled
by its first heading, and ``mkdocs build --strict`` does not fail on a page left out of the
navigation. Move it into a section of ``nav`` to give it a better place.
"""

from __future__ import annotations

import re
from pathlib import Path

SECTION = "More topics"


def named(nav: object) -> set[str]:
    """Every page a ``nav`` setting names, however deeply nested.

    >>> sorted(named([{"Home": "index.md"}, {"Part": [{"A": "a.md"}, "b.md"]}]))
    ['a.md', 'b.md', 'index.md']
    """
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(named(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(named(v) for v in nav))
    return set()


def title(markdown: str, fallback: str) -> str:
    """A page's first level-1 heading (outside code), else ``fallback``.

    >>> title("```\\n# not this\\n```\\n# Pooling returns\\n", "census-pool")
    'Pooling returns'
    >>> title("No heading.", "census-pool")
    'census-pool'
    """
    fence = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        elif not fence and (m := re.match(r"#\s+(.+?)\s*#*\s*$", line)):
            return m.group(1)
    return fallback


def extras(docs_dir: Path, nav: object) -> list[dict[str, str]]:
    """``{title: page}`` for each Markdown page in ``docs_dir`` that ``nav`` does not name,
    by file name."""
    listed = named(nav)
    pages = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))
    return [
        {title((docs_dir / p).read_text(encoding="utf-8"), Path(p).stem): p}
        for p in pages
        if p not in listed
    ]


if __name__ == "<run_path>":  # run by mkdocs-gen-files during a build
    import mkdocs_gen_files

    config = mkdocs_gen_files.config
    if config.nav is not None:
        more = extras(Path(config.docs_dir), config.nav)
        if more:
            config.nav.append({SECTION: more})
