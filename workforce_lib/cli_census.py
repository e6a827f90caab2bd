"""What ``workforce census validate|summary|from-extract`` and ``workforce demo census``
do and print (the parser lines are in :mod:`workforce_lib.cli`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from workforce_lib.errors import DataNotFoundError, WorkforceError
from workforce_lib.records.census import summary as census_summary
from workforce_lib.records.census.reader import read_return, run_key, scan_return
from workforce_lib.records.census.threshold import check_census_threshold

#: Warnings listed per file (placeholders come one per record).
SHOWN_WARNINGS = 5


def validate(files: list[str]) -> int:
    """Check every file, print every problem; 2 (the CLI's exit for bad input) if any
    file has one, else 0."""
    key = run_key()
    bad = ready = 0
    for name in files:
        try:
            scan = scan_return(name, key)
        except DataNotFoundError as err:
            print(f"{name}: {err}")
            bad += 1
            continue
        n = len(scan.workers) if scan.workers is not None else 0
        what = f"{n} records, LA {scan.council}, census year {scan.year}"
        if scan.problems:
            bad += 1
            print(f"{scan.source.name}: {len(scan.problems)} problem(s)")
        elif scan.warnings:
            print(f"{scan.source.name}: valid ({what}) but NOT ready to submit")
        else:
            ready += 1
            print(f"{scan.source.name}: valid ({what})")
        for p in scan.problems:
            print(f"  error: {p}")
        for w in scan.warnings[:SHOWN_WARNINGS]:
            print(f"  warning: {w}")
        if len(scan.warnings) > SHOWN_WARNINGS:
            print(f"  ... and {len(scan.warnings) - SHOWN_WARNINGS} more warnings like these")
    print(f"{len(files)} file(s): {len(files) - bad} valid, {ready} ready to submit, {bad} not.")
    return 2 if bad else 0


def _text(s: census_summary.CensusSummary) -> str:
    from workforce_lib.records.disclosure import STATUS, shown_frame
    from workforce_lib.reports.presentation import hr_measures_frame

    lines = [
        f"{s.area}: census return{'s' if len(s.years) > 1 else ''} "
        f"{', '.join(map(str, s.years))}; as at 30 September {s.year}",
        "",
        hr_measures_frame(s.measures).to_string(index=False),
        "",
    ]
    if len(s.years) > 1:
        lines += ["Year-on-year check (permanent staff, people):"]
        lines += [f"  {f.finding}" for f in s.flows] + [""]
    cols = {"people": ("People", 0), "share": ("Share (%)", 1)}
    for name, (title, _) in census_summary.TABLES.items():
        table, status = s.tables[name]
        lines += [f"{title}:", shown_frame(table, status, cols).to_string(index=False), ""]
    los = shown_frame(*s.length_of_service, {"leavers": ("Leavers (people)", 0),
                      "leavers_fte": ("Leavers (FTE)", 1), "share": ("Share (%)", 1)})  # fmt: skip
    lines += ["Leavers by length of service:", los.to_string(index=False), ""]
    lines += [census_summary.left_for_agency(s), census_summary.came_from_agency(s), ""]
    return "\n".join([*lines, STATUS, *s.notes])  # one wording for every suppressed cell


def summary(
    files: list[str],
    as_json: bool,
    threshold: int,
    children_file: str | None = None,
    data_dir: str | None = None,
) -> int:
    from workforce_lib.records.census import population

    threshold = check_census_threshold(threshold)  # before any return is read
    children = population.read_children(children_file, data_dir) if children_file else None
    key = run_key()  # links a person's records across these files, in this run only
    returns = [read_return(f, key) for f in files]
    s = census_summary.summarise(returns, threshold)
    latest = max(returns, key=lambda r: r.year)
    eth = population.council_comparison(latest, children, threshold)
    if as_json:
        doc = s.to_json()
        doc["ethnicity_against_children"] = eth.to_json()
        print(json.dumps(doc, indent=2))
    else:
        print(_text(s))
        print(f"\nEthnic group against the council's children:\n{eth.lead()[0]}")
        print(eth.shown().to_string(index=False))
        print("\n".join(eth.notes))
    return 0


def from_extract(extract: str, out: str, council: str, swe_numbers: str | None) -> int:
    from workforce_lib.records.census import writer
    from workforce_lib.records.extract import read_extract

    if Path(out).exists():  # a return, perhaps the one submitted: never overwritten
        raise WorkforceError(
            f"--out {out}: the file exists already; not overwritten (choose another name, "
            "or delete it yourself)."
        )
    lookup = writer.read_swe_numbers(swe_numbers) if swe_numbers else None
    records, placeholders = writer.from_extract(read_extract(extract), out, council, lookup)
    scan = scan_return(out, run_key())
    if scan.problems:  # the writer's own output must be valid: say so loudly if not
        raise WorkforceError(f"{out}: the return written is not valid: {scan.problems[0]}")
    print(f"Wrote {out}: {records} records, valid against the schema and rules.")
    if placeholders:
        print(
            f"NOT READY TO SUBMIT: {placeholders} records have placeholder SWE numbers "
            "(XX...): give --swe-numbers worker_id,swe_number or put each worker's number in."
        )
    print("What an HR extract cannot say, for you to check before submitting:")
    for gap in writer.extract_gaps():
        print(f"  - {gap}")
    return 0


def demo(args: argparse.Namespace) -> int:
    from workforce_lib.records.census.demo import generate_region

    region = generate_region(
        Path(args.out),
        councils=args.councils,
        years=args.years,
        seed=args.seed,
        size=args.size,
        truth=args.truth,
    )
    print(
        f"Wrote {len(region.files)} fictional returns ({region.records} records) to "
        f"{args.out}; {region.movements} planted movements"
        + (f" listed in {args.truth} (fictional SWE numbers: tests only)." if args.truth else ".")
    )
    return 0


def run(args: argparse.Namespace) -> int:
    """Dispatch ``workforce census ...`` and ``workforce demo census``."""
    what = args.census_command
    if what == "validate":
        return validate(args.files)
    if what == "summary":
        return summary(args.files, args.json, args.threshold,
                       args.children_by_ethnicity, args.data_dir)  # fmt: skip
    if what == "from-extract":
        return from_extract(args.extract, args.out, args.council, args.swe_numbers)
    if what == "demo":
        return demo(args)
    raise WorkforceError(f"unknown census command {what!r}")  # pragma: no cover
