"""Write the CLI reference page (``cli.md``) from the argparse parsers, at build time.

mkdocs-gen-files runs this script on every ``mkdocs build`` (see ``mkdocs.yml``), so the
page is always what ``workforce ... --help`` prints and cannot drift from the code. Run
by hand (``python docs/gen_cli_reference.py``) it prints the page instead.

>>> import argparse
>>> top = argparse.ArgumentParser(prog="tool", description="Does things.")
>>> sub = top.add_subparsers(dest="command")
>>> one = sub.add_parser("one", help="the first thing")
>>> [(c.prog, c.help) for c in commands(top)]
[('tool', 'Does things.'), ('tool one', 'the first thing')]
"""

from __future__ import annotations

import argparse
import html
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Help is wrapped at this width whatever the terminal building the site.
WIDTH = 100


@dataclass(frozen=True)
class Command:
    """One command: its full name (``prog``), one-line help and its ``--help`` text."""

    prog: str
    help: str
    text: str


def commands(parser: argparse.ArgumentParser, summary: str | None = None) -> Iterator[Command]:
    """The parser and every subcommand under it, depth first, in the order declared.

    ``summary`` is the help its parent gave it (``add_parser(..., help=...)``); the top
    parser uses its description.
    """
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(WIDTH)  # argparse wraps at the terminal's width
    try:
        text = parser.format_help()
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old
    yield Command(parser.prog, summary or parser.description or "", text)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, child in action.choices.items():
                yield from commands(child, helps.get(name, ""))


def _anchor(prog: str) -> str:
    return prog.replace(" ", "-")


def _escape(text: str) -> str:
    """Help text as Markdown prose: ``<year>`` is text, not an HTML tag; ``*`` and ``_``
    are not emphasis.

    >>> _escape("render reports to HTML (reports/<year>/...), *all*")
    'render reports to HTML (reports/&lt;year&gt;/...), \\\\*all\\\\*'
    """
    text = html.escape(text, quote=False)
    for char in "\\`*_[]":
        text = text.replace(char, "\\" + char)
    return text


def page(parser: argparse.ArgumentParser) -> str:
    """The reference page in Markdown: a table of the commands, then each one's help."""
    found = list(commands(parser))
    lines = [
        "# Command-line reference",
        "",
        "Generated from the program's own argument parsers "
        "(`workforce_lib/cli.py`, `build_parser`) each time the site is built: "
        "each section is what `... --help` prints.",
        "",
        "| command | what it does |",
        "|---|---|",
    ]
    for c in found:
        said = _escape(c.help).replace("|", "&#124;")
        lines.append(f"| [`{c.prog}`](#{_anchor(c.prog)}) | {said} |")
    for c in found:
        lines += ["", f"## `{c.prog}` {{ #{_anchor(c.prog)} }}", ""]
        if c.help:
            said = _escape(c.help[0].upper() + c.help[1:])
            lines += [said + ("" if said.endswith(".") else "."), ""]
        lines += ["```text", c.text.rstrip(), "```"]
    return "\n".join(lines) + "\n"


def _build_parser() -> argparse.ArgumentParser:
    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root))  # this checkout's code, whatever is installed
    from workforce_lib.cli import build_parser

    return build_parser()


if __name__ in ("__main__", "<run_path>"):
    text = page(_build_parser())
    try:
        import mkdocs_gen_files
    except ImportError:
        mkdocs_gen_files = None
    if __name__ == "<run_path>" and mkdocs_gen_files is not None:
        with mkdocs_gen_files.open("cli.md", "w") as f:
            f.write(text)
        mkdocs_gen_files.set_edit_path("cli.md", "gen_cli_reference.py")
    else:
        sys.stdout.write(text)
