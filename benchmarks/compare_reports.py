"""Compare two folders of rendered reports: the same words, numbers, tables and pictures?

    python benchmarks/compare_reports.py BEFORE AFTER [--show 3] [--sample] [--reserialise]

BEFORE and AFTER are two ``--out`` folders of ``workforce render`` (e.g. one rendered with
the code before a change, one after). Every report (``.html``) and every table behind it
(``*_tables/*.csv``) in either folder is compared with its namesake in the other, after
taking out what differs from one render to the next by design: the "Generated <time> UTC"
line. Anything else that differs is listed, report by report, with the first place it
differs; an embedded picture that differs is compared by its pixels, so a PNG written
differently but showing the same picture is told apart from a changed chart. A report
or table present in one folder only is listed too; with ``--sample``, AFTER is a sample
(a few reports rendered again) and only its files are compared.

``--reserialise`` compares the documents rather than how they are written: each page is
parsed and written out again by BeautifulSoup's ``html.parser`` (as nbconvert's export did
to every page before its pass was left out) before comparing, so attribute order,
``<meta ...>`` against ``<meta .../>`` or ``&#39;`` against ``'`` do not count.

Exits 0 when every file matches, 1 otherwise (and 2 when a folder does not exist).
"""

from __future__ import annotations

import argparse
import base64
import io
import re
import sys
from pathlib import Path

#: What differs between two renders of the same report by design, and what stands for it.
VOLATILE = [
    (re.compile(r"Generated \d{1,2} \w+ \d{4} \d{2}:\d{2} UTC"), "Generated <time> UTC"),
]
PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def normalised(text: str) -> str:
    """``text`` with every :data:`VOLATILE` part replaced by its placeholder.

    >>> normalised("<p>Generated 7 December 2026 14:53 UTC.</p>")
    '<p>Generated <time> UTC.</p>'
    """
    for pattern, placeholder in VOLATILE:
        text = pattern.sub(placeholder, text)
    return text


def same_pixels(a: str, b: str) -> bool | None:
    """Whether two base64 PNGs show the same picture (None when Pillow cannot say)."""
    try:
        from PIL import Image
    except ImportError:
        return None
    images = [Image.open(io.BytesIO(base64.b64decode(x))).convert("RGBA") for x in (a, b)]
    return images[0].size == images[1].size and images[0].tobytes() == images[1].tobytes()


def first_difference(a: str, b: str, context: int = 60) -> str:
    """Where two texts first differ, with a little of each around it.

    >>> first_difference("the rate is 15.9%", "the rate is 16.0%", context=3)
    "at character 13: 's 15.9%' against 's 16.0%'"
    """
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    lo = max(i - context, 0)
    return f"at character {i}: {a[lo : i + 2 * context]!r} against {b[lo : i + 2 * context]!r}"


def reserialised(html: str) -> str:
    """``html`` parsed and written out again by BeautifulSoup (``html.parser``).

    >>> reserialised('<meta charset="utf-8"><p class="a  b">it&#39;s</p>')
    '<meta charset="utf-8"/><p class="a b">it\'s</p>'
    """
    from bs4 import BeautifulSoup

    return str(BeautifulSoup(html, features="html.parser"))


def compare_html(before: str, after: str, reserialise: bool = False) -> list[str]:
    """What differs between two reports' HTML ([] when nothing does, but the volatile);
    ``reserialise``: compared as :func:`reserialised` writes them."""
    if reserialise:
        before, after = reserialised(before), reserialised(after)
    before, after = normalised(before), normalised(after)
    if before == after:
        return []
    problems = []
    pngs_a, pngs_b = PNG.findall(before), PNG.findall(after)
    if len(pngs_a) != len(pngs_b):
        problems.append(f"{len(pngs_a)} pictures before, {len(pngs_b)} after")
    for n, (x, y) in enumerate(zip(pngs_a, pngs_b), 1):
        if x != y:
            same = same_pixels(x, y)
            what = {True: "encoded differently, same pixels", False: "different pixels"}
            problems.append(f"picture {n}: {what.get(same, 'differs (Pillow not installed)')}")
    text_a, text_b = (
        PNG.sub("data:image/png;base64,<picture>", before),
        PNG.sub("data:image/png;base64,<picture>", after),
    )
    if text_a != text_b:
        problems.append("text or numbers differ " + first_difference(text_a, text_b))
    return problems


def report_files(root: Path) -> set[Path]:
    """Every report and table under ``root``, relative to it (staging folders left out)."""
    found = set()
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.suffix in (".html", ".csv"):
            found.add(rel)
    return found


def _report_of(table: Path) -> Path | None:
    """The report a table belongs to: ``x_tables/t.csv`` -> ``x.html``."""
    folder = table.parent
    if not folder.name.endswith("_tables"):
        return None
    return folder.with_name(folder.name.removesuffix("_tables") + ".html")


def compare_folders(
    before: Path, after: Path, show: int = 3, sample: bool = False, reserialise: bool = False
) -> tuple[int, int, int, list[str]]:
    """(files compared, of which reports, files that differ, lines saying how); with
    ``sample``, only the reports ``after`` holds and their tables; ``reserialise``: pages
    compared as documents (:func:`reserialised`)."""
    a, b = report_files(before), report_files(after)
    if sample:  # the reports rendered again, with every table of theirs
        a = {p for p in a if p in b or _report_of(p) in b}
    lines = [f"only in {before}: {p}" for p in sorted(a - b)]
    lines += [f"only in {after}: {p}" for p in sorted(b - a)]
    differ = len(a ^ b)
    for rel in sorted(a & b):
        x = (before / rel).read_text(encoding="utf-8")
        y = (after / rel).read_text(encoding="utf-8")
        problems = compare_html(x, y, reserialise) if rel.suffix == ".html" else (
            [] if x == y else ["table differs " + first_difference(x, y)]
        )  # fmt: skip
        if problems:
            differ += 1
            lines.append(f"{rel}:")
            lines += [f"  {p}" for p in problems[:show]]
            if len(problems) > show:
                lines.append(f"  ... and {len(problems) - show} more")
    both = a | b
    return len(both), sum(p.suffix == ".html" for p in both), differ, lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--show", type=int, default=3, help="differences listed per file")
    ap.add_argument("--sample", action="store_true", help="compare only AFTER's reports")
    ap.add_argument(
        "--reserialise",
        action="store_true",
        help="compare pages as documents: each parsed and written out again first",
    )
    args = ap.parse_args(argv)
    for folder in (args.before, args.after):
        if not folder.is_dir():
            print(f"compare_reports: {folder} is not a folder", file=sys.stderr)
            return 2
    n, reports, differ, lines = compare_folders(
        args.before, args.after, args.show, args.sample, args.reserialise
    )
    print("\n".join(lines))
    print(
        f"{n} files compared ({reports} reports, {n - reports} tables): "
        + ("all the same" if not differ else f"{differ} differ")
        + " (the Generated <time> line aside)."
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
