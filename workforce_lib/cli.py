"""The ``workforce`` command.

workforce summary --council Northumberland --year 2022 --json
workforce summary --group "North East"
workforce quality --year 2025
workforce data fetch | workforce data check | workforce data revisions [OLD NEW]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workforce_lib.constants import DEFAULT_NEIGHBOUR_MODEL, NEIGHBOUR_MODELS, PROJECT_ROOT
from workforce_lib.errors import WorkforceError

if TYPE_CHECKING:
    from workforce_lib.published import comparison

# Each command imports what it needs when it runs: building the parser (``--help``, an
# argument error) imports neither pandas nor the release's schema (about 2 s).


def _add_data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir",
        help="folder holding the DfE release files (default: $WORKFORCE_DATA_DIR, else data/raw)",
    )


def _table(summary: comparison.AreaSummary) -> str:
    """A readable table of a summary, one measure a line."""
    from workforce_lib.measures import MEASURES

    head = ["Measure", "Value", "Last year", "Change", "Region", "England"]
    council = summary.kind == "council"
    if council:
        head += ["Neighbours", "Rank region", "Rank England", "Quartile"]
    else:
        head += ["Published"]
    rows = []
    for name, c in summary.measures.items():
        m = MEASURES[name]
        value = c.shown if council and c.status else m.format(c.value)
        row = [
            m.label,
            value,
            m.format(c.previous),
            m.format_change(c.change),
            m.format(c.region),
            m.format(c.england),
        ]
        if council:
            row += [
                m.format(c.neighbours_median)
                + (
                    f" ({c.neighbours_with_data}/{c.neighbours_total})"
                    if c.neighbours_total
                    else ""
                ),
                f"{c.rank_in_region}/{c.councils_in_region}" if c.rank_in_region else "unranked",
                f"{c.rank_in_england}/{c.councils_in_england}" if c.rank_in_england else "unranked",
                str(c.quartile or "n/a"),
            ]
        else:
            row += [m.format(c.published) if c.published is not None else ""]
        rows.append(row)
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    line = lambda r: "  ".join(str(v).ljust(w) for v, w in zip(r, widths))  # noqa: E731
    title = f"{summary.area} ({summary.kind}), 30 September {summary.year}"
    if summary.region:
        title += f" - region: {summary.region}"
    out = [title, "", line(head), line(["-" * w for w in widths]), *map(line, rows)]
    statuses = [
        f"  {MEASURES[n].label}: {c.status}"
        for n, c in summary.measures.items()
        if c.status and not council
    ]
    if statuses:
        out += ["", "Councils left out of recomputed figures:", *statuses]
    if summary.notes:
        out += ["", "Notes:", *[f"  {n}" for n in summary.notes]]
    if council and summary.context:
        from workforce_lib.published.context import text_lines

        out += ["", *text_lines(summary)]
    out += [
        "",
        "Ranks: 1 = best (lowest turnover, agency, vacancy, caseload, absence); "
        "for sizes and counts, 1 = largest; n/m = rank among the m councils with a figure "
        "(low counts as 0). Quartile 1 = lowest quarter of councils' values.",
    ]
    return "\n".join(out)


def cmd_summary(args: argparse.Namespace) -> int:
    from workforce_lib.published import areas, comparison
    from workforce_lib.published.release import load_release

    release = load_release(args.data_dir)
    if args.year is not None:
        release.require_year(args.year)
    if args.council:
        neighbours = comparison.read_neighbours(release.source.parent, args.neighbours)
        s = comparison.compare_council(release, args.council, args.year, neighbours)
    else:
        groups = areas.load_groups(args.groups)
        s = comparison.compare_group(release, areas.find_group(args.group, groups), args.year)
    print(json.dumps(s.to_json(), indent=2) if args.json else _table(s))
    return 0


def cmd_quality(args: argparse.Namespace) -> int:
    import pandas as pd

    from workforce_lib.published import quality
    from workforce_lib.published.release import load_release

    release = load_release(args.data_dir)
    if args.year is not None:
        release.require_year(args.year)
    rep = quality.quality_report(release, args.year)
    pvr = rep["published_vs_recomputed"]
    years = f"{args.year}" if args.year else f"{release.years[0]}-{release.years[-1]}"
    if args.json:
        print(
            json.dumps(
                {
                    k: json.loads(v.to_json(orient="records"))
                    for k, v in rep.items()
                    if k != "published_vs_recomputed"
                },
                indent=2,
            )
        )
        return 0
    with pd.option_context(
        "display.width", 200, "display.max_colwidth", 120, "display.max_rows", 500
    ):
        print(f"Data quality: {release.source.name} ({years}), sha256 {release.sha256[:12]}")
        from workforce_lib.published.revisions import vintages_note

        if vintages := vintages_note(release.source.parent):
            print(vintages)
        print(
            f"\n1. Published England and region figures recomputed from their councils: "
            f"{int(pvr.reproduced.sum())} of {len(pvr)} reproduced within rounding."
        )
        nr = rep["not_reproduced"]
        if len(nr):
            print("   Not reproduced, with the reason:\n")
            print(
                nr[["year", "area", "measure", "published", "recomputed", "explanation"]].to_string(
                    index=False
                )
            )
        cc = rep["council_rates_vs_components"]
        print(f"\n2. Council rates their own published components do not reproduce: {len(cc)}")
        if len(cc):
            print(cc.to_string(index=False))
        supp = rep["suppressed"]
        print(f"\n3. Suppressed cells: {len(supp)}, by council and symbol:\n")
        if len(supp):
            by = supp.groupby(["year", "area_name", "symbol"]).size().rename("cells")
            print(by.reset_index().to_string(index=False))
        gaps = rep["gaps"]
        print(f"\n4. Councils missing from some years: {len(gaps)}\n")
        if len(gaps):
            print(gaps.to_string(index=False))
        gone = rep["missing_rows"]
        print(f"\n5. England or region rows missing (their figures show as n/a): {len(gone)}")
        if len(gone):
            print()
            print(gone.to_string(index=False))
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    """``workforce data fetch | check | revisions``."""
    if args.action == "check":
        return _data_check(args)
    if args.action == "revisions":
        return _data_revisions(args)
    if args.files:
        raise WorkforceError("`workforce data fetch` takes no file names (see --only).")
    from workforce_lib.published.fetch import fetch_all
    from workforce_lib.published.loading import ENV_DATA_DIR, resolve_data_dir
    from workforce_lib.published.sources import load_manifest

    manifest = load_manifest(args.manifest) if args.manifest else None
    dest = resolve_data_dir(args.data_dir)  # where the library reads from
    results = fetch_all(dest, manifest, only=args.only, release_url=args.url, replace=args.replace)
    for r in results:
        print(f"{r.kind:<20} {r.status:<11} {r.file}: {r.message}")
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} of {len(results)} files in {dest}")
    if failed:
        raise WorkforceError(
            "not fetched: "
            + ", ".join(f"{r.file} ({r.kind})" for r in failed)
            + f".\nIf this machine is offline, copy those files into {dest}, or set "
            f"{ENV_DATA_DIR} to a folder that holds them (data/sources.yaml says where each "
            "is published)."
        )
    return 0


def _data_check(args: argparse.Namespace) -> int:
    from workforce_lib.published.loading import resolve_data_dir
    from workforce_lib.published.revisions import vintages_note
    from workforce_lib.published.sources import check_folder, load_manifest

    folder = resolve_data_dir(args.data_dir)
    checked = check_folder(folder, load_manifest(args.manifest) if args.manifest else None)
    print(f"Data folder: {folder}")
    for c in checked:
        print(f"{c.kind:<20} {c.status:<8} {c.file}: {c.message}")
    note = vintages_note(folder)
    if note:
        print(f"\n{note}")
    bad = [c for c in checked if not c.ok]
    if bad:
        raise WorkforceError(
            "data check failed: " + "; ".join(f"{c.file} is {c.status}" for c in bad)
        )
    return 0


def _data_revisions(args: argparse.Namespace) -> int:
    import pandas as pd

    from workforce_lib.published.loading import indicator_vintages, resolve_data_dir, why_chosen
    from workforce_lib.published.revisions import revisions_between, year_sources

    found: list[Path] = []
    if len(args.files) == 2:
        old, new = args.files
    elif not args.files:
        found = indicator_vintages(args.data_dir)
        if len(found) < 2:
            raise WorkforceError(
                f"`workforce data revisions` needs two indicators files: {len(found)} in "
                f"{resolve_data_dir(args.data_dir)}; or name them: OLD NEW."
            )
        old, new = found[-2], found[-1]
    else:
        raise WorkforceError("`workforce data revisions` takes two files, OLD NEW, or none.")
    changes, years = revisions_between(old, new)
    if args.json:
        print(json.dumps(json.loads(changes.to_json(orient="records")), indent=2))
        return 0
    span = f"{years[0]}-{years[-1]}" if years else "none"
    if found:
        print(f"Used: {found[-1].name}, the newest of {len(found)} indicators files in "
              f"{found[-1].parent} ({why_chosen(found)}).")  # fmt: skip
    else:
        print(f"Named: {old} (older) and {new} (newer).")
    print("Each year's figures come from:")
    for y, file, why in year_sources(found or [Path(old), Path(new)], changes, not found):
        print(f"  {y}: {file or '-'}: {why}")
    print(f"{len(changes)} changes from {old} to {new} (years in both: {span})")
    if len(changes):
        print(changes.groupby("change").size().to_string(header=False))
        with pd.option_context("display.width", 200, "display.max_rows", None):
            print("\n" + changes.to_string(index=False))
    return 0


def _hr_text(summary) -> str:
    """``workforce hr summary`` as text: every table as the HR report shows it."""
    from workforce_lib.reports.presentation import hr_measures_frame

    s = summary
    lines = [
        f"{s.area}: as at {s.as_at:%d %B %Y} (extract taken {s.extract_date:%d %B %Y})",
        "",
        hr_measures_frame(s.measures).to_string(index=False),
        "",
    ]
    for heading, table in (
        ("Leavers by length of service:", s.length_of_service_table()),
        ("Leavers by reason:", s.reasons_table()),
        ("Caseload distribution (cases per FTE, at the extract date):", s.caseload_table()),
        ("Teams:", s.teams_table()),
        ("ASYE cohorts:", s.asye_table()),
    ):
        lines += [heading, table.to_string(index=False), ""]
    return "\n".join([*lines, s.under_five_years(), s.asye_sentence(), "", *s.notes])


def cmd_hr(args: argparse.Namespace) -> int:
    from workforce_lib.records import hr
    from workforce_lib.records.extract import read_extract, template_frame, write_extract

    if args.action == "template":
        if not args.out:
            raise WorkforceError("`workforce hr template` needs --out FILE (.csv or .xlsx).")
        print(f"Wrote {write_extract(template_frame(), args.out)}")
        return 0
    if not args.extract:
        raise WorkforceError("`workforce hr summary` needs the extract's path.")
    extract = read_extract(args.extract)
    summary = hr.summarise(extract, args.as_at or None, args.threshold, args.desired_caseload)
    print(json.dumps(summary.to_json(), indent=2) if args.json else _hr_text(summary))
    return 0


def cmd_scenario(args: argparse.Namespace) -> int:
    from workforce_lib.published import scenario
    from workforce_lib.published.release import load_release

    release = load_release(args.data_dir)
    settings = scenario.parse_settings(args.set)
    if args.year:
        settings["base_year"] = args.year
    result = scenario.run_scenarios(release, args.council, args.group, settings)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
        return 0
    a = result.base
    years = result.years
    print(f"{result.area}: projections {years[1]}-{years[-1]} from {a.base_year}")
    print(
        f"Assumptions: turnover {a.turnover_rate:.1f}%, hires {a.hires_fte:.1f} FTE a year, "
        f"establishment growth {a.establishment_growth:+.1f}% a year, "
        f"{a.agency_per_vacancy:.2f} agency FTE per vacancy, permanent "
        f"£{a.permanent_cost_per_fte:,.0f} and agency £{a.agency_cost_per_fte:,.0f} per FTE."
    )
    head = f"{'Scenario':<16}{'In post':>10}{'(range)':>20}{'Agency':>9}{'Vacancies':>11}"
    head += f"{'Cost, 5 years':>16}{'of which agency':>17}"
    print(f"\nIn {years[-1]} (FTE) and total cost over {years[1]}-{years[-1]}:\n{head}")
    for name, summ in result.summary().items():
        rng = result.ranges[name]["inpost_fte"]
        span = f"{rng['low'][-1]:.0f} to {rng['high'][-1]:.0f}"
        print(
            f"{name:<16}{summ['inpost_fte_final_year']:>10.1f}{span:>20}"
            f"{summ['agency_fte_final_year']:>9.1f}{summ['vacancy_fte_final_year']:>11.1f}"
            f"{'£' + format(summ['cost_total_projected'] / 1e6, ',.1f') + 'm':>16}"
            f"{'£' + format(summ['cost_agency_projected'] / 1e6, ',.1f') + 'm':>17}"
        )
    print("\nProjections are what the assumptions imply, not forecasts. --json for every year.")
    return 0


def cmd_census(args: argparse.Namespace) -> int:
    """``workforce census validate|summary|from-extract``: a council's census returns."""
    from workforce_lib import cli_census

    return cli_census.run(args)


def cmd_demo(args: argparse.Namespace) -> int:
    if args.what == "census":
        return cmd_census(argparse.Namespace(**vars(args), census_command="demo"))
    from workforce_lib.records.demo import demo_extract
    from workforce_lib.records.extract import write_extract

    frame = demo_extract(seed=args.seed, posts=args.posts, extract_date=args.extract_date)
    path = write_extract(frame, args.out)
    workers = int((frame["record_type"] == "worker").sum())
    print(f"Wrote {path}: {workers} workers and {len(frame) - workers} vacant posts (fictional).")
    return 0


def cmd_census_keygen(args: argparse.Namespace) -> int:
    from workforce_lib.records.census.pseudonym import write_key

    path = write_key(args.out)
    print(
        f"Wrote a new key to {path} (readable by you only). Keep it apart from the returns "
        "and from every output; without it the pseudonyms cannot be linked again."
    )
    return 0


def _census_region_text(t) -> str:
    """``census pool`` as text: every disclosure-controlled table."""
    out = [
        f"Pooled returns: {len(t.councils)} councils, census years {t.years[0]}-{t.years[-1]}.",
        *t.left_out_lines(),
        *t.withheld_lines(),
        "",
    ]
    for name, table in t.all_tables().items():
        out += [f"{name}:", table.to_string(index=False), ""]
    return "\n".join([*out, "Notes:", *[f"  {n}" for n in t.notes]])


def cmd_census_pool(args: argparse.Namespace) -> int:
    from workforce_lib.records.census import membership, population, rules
    from workforce_lib.records.census.pool import pool_returns
    from workforce_lib.records.census.pseudonym import read_key
    from workforce_lib.records.census.regional import regional_tables

    key = read_key(args.key_file)
    if args.restricted_out and Path(args.restricted_out).exists():  # before the work
        raise WorkforceError(
            f"--restricted-out {args.restricted_out}: the file exists already; not overwritten."
        )
    children = None
    if args.children_by_ethnicity:  # every problem of the file listed before any return is read
        children = population.read_children(args.children_by_ethnicity, args.data_dir)
    pool = pool_returns(args.folder, key, workers=args.workers, skip_invalid=args.skip_invalid)
    registry = membership.registry_for(pool, args.data_dir)
    tables = regional_tables(pool, args.threshold, registry=registry)
    eth = (population.pool_comparison(pool, children, args.threshold, tables.membership)
           if children else None)  # fmt: skip
    if args.json:
        doc = tables.to_json()
        if eth is not None:
            doc["ethnicity_against_children"] = eth.to_json()
        print(json.dumps(doc, indent=2))
    else:
        print(_census_region_text(tables))
        if eth is not None:
            print(f"\n{eth.text()}")
    if args.restricted_out:
        path = rules.write_restricted(rules.engagements(pool.linkable_workers), args.restricted_out)
        print(
            f"Restricted list of agency engagements to check written to {path} (pseudonyms "
            "and dates: for the councils' HR teams only, never for publication).",
            file=sys.stderr,
        )
    return 0


def _add_children_arguments(p: argparse.ArgumentParser, beside: str = "") -> None:
    """``--children-by-ethnicity FILE`` and ``--data-dir`` (``census summary``, ``pool``)."""
    p.add_argument(
        "--children-by-ethnicity",
        metavar="FILE",
        help="CSV of children aged 0-17 by ethnic group per council (ONS Census 2021 "
        "ethnic group by age as downloaded, or la_code,ethnic_group,children,year)"
        + (f", set beside {beside}" if beside else ""),
    )
    p.add_argument("--data-dir", help="folder of DfE's release (to match ONS codes, names)")


def add_census_region_parsers(census_sub) -> None:
    """``census keygen`` and ``census pool`` (a region's pooled returns)."""
    from workforce_lib.records.census.threshold import threshold_argument

    p = census_sub.add_parser("keygen", help="make the region's secret key for pseudonyms")
    p.add_argument("--out", required=True, help="the key file to create (never overwritten)")
    p.set_defaults(func=cmd_census_keygen)

    p = census_sub.add_parser(
        "pool", help="a region's pooled returns: movements between councils, agency rules"
    )
    p.add_argument("folder", help="folder holding every member council's returns (.xml)")
    p.add_argument("--key-file", required=True, help="the region's key (census keygen)")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.add_argument(
        "--threshold", type=threshold_argument, default=5, help="suppress fewer people (5+)"
    )
    p.add_argument(
        "--restricted-out",
        metavar="FILE",
        help="also write the agency engagements to check (pseudonyms, councils, dates) as "
        "CSV: operational data for HR, never a report",
    )
    p.add_argument("--workers", type=int, default=1, help="processes reading returns")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="pool the valid returns only, leaving out each file with a problem (every "
        "output says which council-years are out and why); default: refuse the folder",
    )
    _add_children_arguments(p, "each member council's and the region's social workers")
    p.set_defaults(func=cmd_census_pool)


def add_demo_census_arguments(p: argparse.ArgumentParser) -> None:
    """``workforce demo census``: a fictional region's returns."""
    p.add_argument("--councils", type=int, default=11, help="census: councils (default 11)")
    p.add_argument("--years", type=int, default=3, help="census: years to 2025 (default 3)")
    p.add_argument("--size", type=int, default=300, help="census: typical staff (default 300)")
    p.add_argument("--truth", help="census: also write the planted movements (tests only)")


def add_census_parser(sub) -> argparse._SubParsersAction:
    """``workforce census ...``; returns its subcommands so others can add theirs."""
    from workforce_lib.records.census.threshold import threshold_argument

    p = sub.add_parser("census", help="a council's DfE census returns (CSWW XML)")
    census = p.add_subparsers(dest="census_command", required=True)
    c = census.add_parser("validate", help="check returns against the schema and rules")
    c.add_argument("files", nargs="+", help="return files (.xml)")
    c.set_defaults(func=cmd_census)
    c = census.add_parser("summary", help="DfE's measures and more from a council's returns")
    c.add_argument("files", nargs="+", help="one council's returns, one per year (.xml)")
    c.add_argument("--json", action="store_true", help="print JSON instead of tables")
    c.add_argument(
        "--threshold", type=threshold_argument, default=5, help="suppress fewer people (5+)"
    )
    _add_children_arguments(c)
    c.set_defaults(func=cmd_census)
    c = census.add_parser("from-extract", help="write the return an HR extract implies")
    c.add_argument("extract", help="the HR extract (.csv or .xlsx), dated 30 September")
    c.add_argument("--out", required=True, help="the return to write (.xml)")
    c.add_argument("--council", required=True, help="the council's three-digit LA number")
    c.add_argument("--swe-numbers", help="CSV of worker_id,swe_number (else placeholders)")
    c.set_defaults(func=cmd_census)
    return census


def cmd_render(args: argparse.Namespace) -> int:
    """``workforce render ...`` (:func:`workforce_lib.reports.rendering.cmd_render`)."""
    from workforce_lib.reports import rendering

    return rendering.cmd_render(args)


def add_render_parser(sub) -> None:
    """``workforce render ...``: reports to HTML."""
    p = sub.add_parser("render", help="render reports to HTML (reports/<year>/...)")
    p.add_argument(
        "what",
        choices=["council", "region", "group", "england", "all", "hr", "scenario", "census"],
    )
    p.add_argument(
        "name",
        nargs="?",
        help="council, region or group name (for `scenario`, either); for `hr`, the extract's path",
    )
    p.add_argument("--year", type=int, help="census year (default: the latest)")
    p.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="parallel workers for `all` (default: one per core)",
    )
    p.add_argument(
        "--out",
        default=str(PROJECT_ROOT / "reports"),
        help="output folder (for `hr`, a folder or an .html file)",
    )
    hr_opts = p.add_argument_group("hr reports (a council's own extract)")
    hr_opts.add_argument(
        "--as-at", default="", help="as-at date YYYY-MM-DD (default: latest 30 Sep)"
    )
    hr_opts.add_argument(
        "--threshold", type=int, default=5, help="suppress counts of fewer people (default 5)"
    )
    hr_opts.add_argument(
        "--desired-caseload", type=float, default=18.0, help="desired cases per FTE (default 18)"
    )
    p.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="for `scenario`: a template parameter (repeatable), e.g. --set turnover_cut_points=3",
    )
    p.add_argument("--key-file", help="for `census`: the region's key (workforce census keygen)")
    p.add_argument(
        "--children-by-ethnicity",
        metavar="FILE",
        help="for `census`: children aged 0-17 by ethnic group per council (CSV)",
    )
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="for `census`: pool the valid returns only; the report names each file left out",
    )
    p.add_argument("--config", help="YAML listing the areas `all` renders")
    p.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="a fresh kernel per report (slower; for comparison)",
    )
    p.add_argument("--data-dir", help="folder holding the DfE release files")
    p.set_defaults(func=cmd_render)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workforce",
        description="Children's social work workforce statistics for English councils (DfE).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("summary", help="a council's or group's measures against comparators")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--council", help="council name, ONS code or LA number")
    who.add_argument("--group", help="region or named group (e.g. 'Eastern MoU')")
    p.add_argument("--year", type=int, help="census year (default: the latest)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--groups", help="YAML file with more named groups")
    p.add_argument(
        "--neighbours",
        choices=list(NEIGHBOUR_MODELS),
        default=DEFAULT_NEIGHBOUR_MODEL,
        help="DfE statistical-neighbour model: 2025 (default) or 2021 (April 2021 groupings, "
        "for years before Cumberland, Westmorland and Furness and North and West "
        "Northamptonshire)",
    )
    _add_data_dir(p)
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("quality", help="data-quality findings for the release")
    p.add_argument("--year", type=int, help="one year only")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    _add_data_dir(p)
    p.set_defaults(func=cmd_quality)

    p = sub.add_parser(
        "data", help="get, check or compare the input files (listed in data/sources.yaml)"
    )
    p.add_argument("action", choices=["fetch", "check", "revisions"])
    p.add_argument("files", nargs="*", help="for `revisions`: OLD NEW indicators files")
    p.add_argument("--url", help="fetch: the release zip's address (default: DfE's 2025 zip)")
    p.add_argument("--only", nargs="+", metavar="SOURCE", help="fetch: only these sources")
    p.add_argument(
        "--replace", action="store_true", help="fetch: overwrite a file with other contents"
    )
    p.add_argument("--manifest", help="another sources manifest (default data/sources.yaml)")
    p.add_argument("--json", action="store_true", help="revisions: print JSON")
    _add_data_dir(p)
    p.set_defaults(func=cmd_data)

    p = sub.add_parser("hr", help="measures from a council's own HR extract")
    p.add_argument("action", choices=["summary", "template"])
    p.add_argument("extract", nargs="?", help="the extract (.csv or .xlsx)")
    p.add_argument("--as-at", default="", help="as-at date YYYY-MM-DD (default: latest 30 Sep)")
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    p.add_argument(
        "--threshold", type=int, default=5, help="suppress counts of fewer people (default 5)"
    )
    p.add_argument(
        "--desired-caseload", type=float, default=18.0, help="desired cases per FTE (default 18)"
    )
    p.add_argument("--out", help="for `template`: the file to write (.csv or .xlsx)")
    p.set_defaults(func=cmd_hr)

    p = sub.add_parser("scenario", help="what-if projections of a council's or group's workforce")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--council", help="council name, ONS code or LA number")
    who.add_argument("--group", help="region or named group (e.g. 'Eastern MoU')")
    p.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="override an assumption (repeatable), e.g. --set turnover_cut_points=3",
    )
    p.add_argument("--year", type=int, help="base year (default: the latest complete year)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    _add_data_dir(p)
    p.set_defaults(func=cmd_scenario)

    p = sub.add_parser("demo", help="write fictional data for demos and tests")
    p.add_argument("what", choices=["hr-extract", "census"])
    p.add_argument("--out", required=True, help="file (.csv or .xlsx); for census a folder")
    p.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    p.add_argument("--posts", type=int, default=220, help="permanent posts (default 220)")
    p.add_argument("--extract-date", default="2025-09-30", help="YYYY-MM-DD (default 2025-09-30)")
    add_demo_census_arguments(p)
    p.set_defaults(func=cmd_demo)
    add_census_region_parsers(add_census_parser(sub))
    add_render_parser(sub)
    return parser


#: Exit statuses: 2 bad input or settings (as argparse uses), 1 a file that could not be
#: read or written, 3 a bug, 141 (128 + SIGPIPE) the reader of our output went away.
EXIT_INPUT, EXIT_OS, EXIT_BUG, EXIT_PIPE = 2, 1, 3, 141
ENV_DEBUG = "WORKFORCE_DEBUG"


def _os_message(err: OSError) -> str:
    """``Permission denied: /path`` rather than ``[Errno 13] Permission denied: '/path'``."""
    what = err.strerror or str(err)
    where = f": {err.filename}" if err.filename else ""
    return f"{what}{where}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every problem is one message on stderr and a non-zero exit.

    No traceback: a bad input or setting (every ``WorkforceError``) exits 2, a file that
    cannot be read or written 1, a closed pipe (``workforce quality | head``) 141, and an
    unexpected error 3 (``WORKFORCE_DEBUG=1`` shows its traceback, for a bug report).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:
        # Python would raise again flushing stdout at exit: point it at /dev/null
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE
    except KeyboardInterrupt:
        print("workforce: interrupted", file=sys.stderr)
        return 130
    except (WorkforceError, ValueError) as err:  # bad input or settings: say so, no traceback
        print(f"workforce: error: {err}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as err:  # e.g. a read-only output folder, a full disk
        print(f"workforce: error: {_os_message(err)}", file=sys.stderr)
        return EXIT_OS
    except Exception as err:  # a bug: still no traceback unless asked for
        if os.environ.get(ENV_DEBUG):
            raise
        print(
            f"workforce: unexpected error ({type(err).__name__}: {err}). This is a bug; "
            f"run again with {ENV_DEBUG}=1 to see where, and report it.",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
