"""Render report notebooks to self-contained HTML, one area or all of them.

Papermill injects the parameters; nbclient executes, in a fresh kernel or in a warm
kernel that a worker reuses report after report (its namespace and chart settings reset
first); nbconvert exports with code hidden and images embedded. A report is written
atomically; a failing one is recorded, its executed notebook kept, and the rest go on.
"""

from __future__ import annotations

import functools
import json
import os
import queue
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from workforce_lib.errors import WorkforceError
from workforce_lib.published import areas as areas_mod
from workforce_lib.published.loading import PROJECT_ROOT
from workforce_lib.published.release import Release, load_release
from workforce_lib.reports.templating import slug
from workforce_lib.yaml_config import ReportsConfig, load_yaml, parse_model, read_yaml_file

# Jupyter's machinery (nbformat, papermill, nbclient, nbconvert, jupyter_client) is imported
# where a report is made, not here: `workforce` builds its parser from this module, and
# those imports cost every command about 2 s (nbformat -> jsonschema compiles a grammar).
if TYPE_CHECKING:
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbconvert import HTMLExporter

TEMPLATE_DIR = PROJECT_ROOT / "notebooks" / "reports"
TEMPLATES = {
    "council": "council_report.ipynb",
    "region": "region_report.ipynb",
    "group": "region_report.ipynb",
    "england": "england_overview.ipynb",
    "hr": "hr_report.ipynb",
    "scenario": "scenario_report.ipynb",
    "census": "census_report.ipynb",
}
SUBDIR = {"council": "councils", "region": "regions", "group": "groups", "scenario": "scenarios"}
KERNEL = "python3"
CELL_TIMEOUT = 600
#: Run first in a reused kernel: nothing of the previous report survives but imports.
#: At its first reset with the library loaded (a report done), a kernel freezes what that
#: report left (modules, the release and what is kept per release, chart caches) out of the
#: garbage collector's sight (:func:`gc.freeze`): ``%reset`` collects garbage twice over
#: the kernel's whole heap, about 0.2 s a report once a release is loaded; frozen, that
#: heap is not walked by those collections or the collector's own, which see only what
#: later reports made. The collector never frees a frozen object: what the first report
#: left and a later one drops in a reference cycle stays in memory (a chart's lines on
#: kept axes; a kernel's memory stayed at 298-299 MB over 12 council reports).
#: That it has frozen its heap is marked on the library's package (``_heap_frozen``), which
#: ``%reset`` leaves alone: ``gc.get_freeze_count`` counts the frozen objects one by one
#: (about 0.03 s a report in a kernel with its release loaded).
RESET_SOURCE = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "import matplotlib\nmatplotlib.rcdefaults()\nimport matplotlib.pyplot\n"
    "matplotlib.pyplot.close('all')\n"
    "import gc, sys\n"
    "_lib = sys.modules.get('workforce_lib')\n"
    "if _lib is not None and not getattr(_lib, '_heap_frozen', False):\n"
    "    gc.collect()\n"
    "    gc.freeze()\n"
    "    _lib._heap_frozen = True\n"
    "del gc, sys, _lib"
)
_RESET_TAG = "workforce-reset"


@dataclass
class Job:
    kind: str  # council | region | group | england
    name: str
    year: int
    out_html: Path
    params: dict = field(default_factory=dict)

    @property
    def template(self) -> Path:
        return TEMPLATE_DIR / TEMPLATES[self.kind]

    @property
    def tables_dir(self) -> Path:
        return self.out_html.with_name(self.out_html.stem + "_tables")


@dataclass
class Result:
    job: Job
    ok: bool
    seconds: float
    error: str = ""
    failed_notebook: Path | None = None


@functools.lru_cache(maxsize=16)
def _declared(template: Path, mtime_ns: int) -> tuple[tuple[str, str], ...]:
    import papermill

    # papermill parses the parameters cell; once per template version, not per report
    found = papermill.inspect_notebook(str(template))
    return tuple((name, p["inferred_type_name"]) for name, p in found.items())


def declared_parameters(template: Path) -> dict[str, str]:
    """The template's parameters and their declared types (``"float"``, ``"str"``...)."""
    return dict(_declared(template, template.stat().st_mtime_ns))


_CASTS = {"int": int, "float": float, "str": str}


def typed_parameters(template: Path, settings: dict[str, str]) -> dict:
    """``name=value`` strings (``--set``) as the types the template declares; an unknown
    name or a value of the wrong type is an error naming both."""
    declared = declared_parameters(template)
    check_parameters(template, settings)
    out = {}
    for name, text in settings.items():
        cast = _CASTS.get(declared[name], str)
        try:
            out[name] = cast(text)
        except ValueError:
            raise WorkforceError(
                f"{template.name}: parameter {name} takes a value of type {declared[name]}, "
                f"not {text!r}."
            ) from None
    return out


def check_parameters(template: Path, params: dict) -> None:
    """Refuse parameters the template does not declare (papermill would only warn)."""
    declared = declared_parameters(template)
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise WorkforceError(
            f"{template.name} has no parameter {', '.join(unknown)}; "
            f"it takes {', '.join(sorted(declared))}."
        )


#: How often a wait on a warm kernel checks that the kernel is still alive (seconds).
ALIVE_POLL = 1.0


def _fail_if_dead(channel, km: KernelManager) -> None:
    """Make ``channel.get_msg`` give up when the kernel has died.

    nbclient waits on a blocking client's channels with no timeout (iopub) or the cell's
    whole timeout (shell), inside its event loop, so its own "is the kernel alive?" check
    never runs: a kernel killed mid-report (``kill -9``, out of memory) hung ``render all``
    for ever. Here each wait is cut into :data:`ALIVE_POLL` slices with a check between.
    """
    from nbclient.exceptions import DeadKernelError

    blocking_get = channel.get_msg

    def get_msg(timeout: float | None = None, **kwargs):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = ALIVE_POLL if deadline is None else min(ALIVE_POLL, deadline - time.monotonic())
            try:
                return blocking_get(timeout=max(left, 0), **kwargs)
            except queue.Empty:
                if not km.is_alive():
                    raise DeadKernelError("Kernel died") from None
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    channel.get_msg = get_msg


class WarmKernel:
    """A kernel a worker keeps for report after report, with one client connected to it.

    Reusing the client as well as the kernel saves connecting and waiting for the kernel
    to answer before every report (about 0.2 s each).
    """

    def __init__(self, cwd: str | None = None) -> None:
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(kernel_name=KERNEL)
        self.km.start_kernel(cwd=cwd or tempfile.gettempdir())
        self.kc = self.km.client()
        try:
            self.kc.start_channels()
            self.kc.wait_for_ready(timeout=60)
        except BaseException:  # a kernel that never answered is not left running
            self.shutdown()
            raise
        _fail_if_dead(self.kc.shell_channel, self.km)
        _fail_if_dead(self.kc.iopub_channel, self.km)

    def is_alive(self) -> bool:
        return self.km.is_alive()

    def shutdown(self) -> None:
        if getattr(self, "_down", False):
            return
        self._down = True
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=True)

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


def execute(
    template: Path, params: dict, kernel: WarmKernel | None = None, cwd: Path | None = None
) -> nbformat.NotebookNode:
    """Execute a template with parameters; in ``kernel`` if given (reset first), else in a
    fresh kernel."""
    import nbformat
    import papermill
    from nbclient import NotebookClient

    check_parameters(template, params)
    nb = papermill.iorw.load_notebook_node(str(template))  # adds the metadata papermill needs
    nb = papermill.parameterize.parameterize_notebook(
        nb, params, kernel_name=KERNEL, language="python"
    )
    for cell in nb.cells:  # papermill gives this cell a random id; keep renders reproducible
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    if kernel is not None:
        reset = nbformat.v4.new_code_cell(RESET_SOURCE, metadata={"tags": [_RESET_TAG]})
        nb.cells.insert(0, reset)
    client = NotebookClient(
        nb,
        km=kernel.km if kernel else None,
        kernel_name=KERNEL,
        timeout=CELL_TIMEOUT,
        allow_errors=False,
        resources={"metadata": {"path": str(cwd or Path.cwd())}},
    )
    if kernel is not None:
        client.kc = kernel.kc  # connected already; nbclient keeps it open as it does not own km
    try:
        client.execute()
    finally:
        nb.cells = [c for c in nb.cells if _RESET_TAG not in c.metadata.get("tags", [])]
    return nb


_EXPORTERS = threading.local()
#: The page around a report's outputs (templates/nbconvert_report.html.j2).
PAGE_TEMPLATE = Path(__file__).parent / "templates" / "nbconvert_report.html.j2"
#: What nbconvert's closing BeautifulSoup pass would change in a page: an image with no
#: alt text (it adds one), or cells inside a ``jp-Notebook`` element (it makes them
#: focusable). A report's page has neither (:func:`to_html` checks).
_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)[^>]*>", re.I)
_JP_NOTEBOOK = re.compile(r"""class=["'](?:[^"']*\s)?jp-Notebook(?:\s[^"']*)?["']""")


def _exporter() -> HTMLExporter:
    # one per thread, kept: a new exporter compiles its Jinja templates again (~0.1 s)
    if not hasattr(_EXPORTERS, "html"):
        _EXPORTERS.html = _report_exporter_class()(
            template_name="lab",  # the cells' layout; the page is ours, without lab's CSS
            template_file=str(PAGE_TEMPLATE),
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
        )
    return _EXPORTERS.html


@functools.cache
def _report_exporter_class() -> type[HTMLExporter]:
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        """nbconvert's HTML export without its closing BeautifulSoup pass.

        That pass parses the whole page (its pictures and tables: about 0.3 s a report,
        nine tenths of the export) and writes it out again, to give an image without alt
        text a stock one and make cells in a ``jp-Notebook`` element focusable. A
        report's page has neither: every chart has its own alt text, and the page
        template has no ``jp-Notebook`` element. So the page is left as the templates
        wrote it: the same document (the pass only re-serialised it: attribute order,
        ``<meta ...>`` against ``<meta .../>``, ``&#39;`` against ``'``). A page that
        does have either goes through nbconvert's own export. Nothing is sanitised
        either way (nbconvert's ``sanitize_html`` is off); a report's HTML comes from
        autoescaping Jinja2 templates.
        """

        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node up to its BeautifulSoup pass
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            html, out = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            if _IMG_WITHOUT_ALT.search(html) or _JP_NOTEBOOK.search(html):
                return super().from_notebook_node(nb, resources, **kw)
            return html, out

    return ReportExporter


def to_html(nb: nbformat.NotebookNode, title: str) -> str:
    """HTML with code hidden, images embedded, British English, and nothing fetched from
    the network (no stylesheet or script but the report's own, inlined)."""
    exporter = _exporter()
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb)
    return body


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, then rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is for reading
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _job_params(job: Job, data_dir: str, tables_dir: Path | None = None) -> dict:
    """The template's parameters; every path absolute, as the kernel runs in a temporary
    folder (a relative ``--out`` once sent every CSV table there, leaving dead links)."""
    tables = str(Path(tables_dir or job.tables_dir).absolute())
    if job.kind in ("hr", "census"):  # councils' own records: the job's params say all
        return {"tables_dir": tables, **job.params}
    data = str(Path(data_dir).absolute()) if data_dir else ""
    base = {"year": job.year, "data_dir": data, "tables_dir": tables}
    if job.kind == "council":
        base["council"] = job.name
    elif job.kind in ("region", "group"):
        base["group"] = job.name
    elif job.kind == "scenario":  # a council or a group: the job's params say which
        base["council"] = ""
    return {**base, **job.params}


_STAGING = re.compile(r"^\..+\.render-(\d+)-[0-9a-f]+$")


def _staging_dir(out_html: Path) -> Path:
    """A hidden folder beside the report where its tables are written while it renders."""
    out_html.parent.mkdir(parents=True, exist_ok=True)
    name = f".{out_html.stem}.render-{os.getpid()}-{secrets.token_hex(4)}"
    stage = out_html.parent / name
    stage.mkdir()
    return stage


def _publish(out_html: Path, html_text: str, stage: Path) -> None:
    """Put a rendered report and its tables in place together.

    The tables were written into ``stage``; the report goes to a temporary file, the old
    tables folder (if any) is moved aside, the new one renamed into place, then the report
    renamed over the old one. A ``kill -9`` at any point leaves a report with its complete
    tables (old or new), never a half-filled tables folder.
    """
    final = out_html.with_name(out_html.stem + "_tables")
    new = stage / final.name
    tmp = stage / f"{out_html.name}.tmp"
    write_atomic(tmp, html_text)
    if final.exists():
        final.rename(stage / "previous_tables")
    if new.exists():
        new.rename(final)
    os.replace(tmp, out_html)


def clean_stale_staging(folders) -> list[Path]:
    """Remove staging folders left by a render that was killed (its process is gone)."""
    removed = []
    for folder in {Path(f) for f in folders}:
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            m = _STAGING.match(entry.name)
            if m and entry.is_dir() and not _pid_alive(int(m.group(1))):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _failure_text(err: BaseException) -> str:
    from nbclient.exceptions import DeadKernelError

    if isinstance(err, DeadKernelError):
        return (
            "the kernel running this report died (killed, or out of memory); the report was "
            "not written and the rest went on with a new kernel"
        )
    if isinstance(err, OSError) and not isinstance(err, TimeoutError):
        where = f": {err.filename}" if err.filename else ""
        return f"could not write the report ({err.strerror or err}{where})"
    msg = re.sub(r"\x1b\[[0-9;]*m", "", str(err)).strip().splitlines()
    return msg[-1] if msg else type(err).__name__


def run_job(job: Job, data_dir: str, kernel: WarmKernel | None = None) -> Result:
    """Render one report; on failure keep the executed notebook next to where it would go.

    The report's tables are written into a hidden staging folder and moved into place with
    the report (:func:`_publish`): a failed or killed render leaves no half-filled tables.
    """
    start = time.perf_counter()
    out_html = job.out_html.absolute()
    nb = None
    stage = None
    try:
        stage = _staging_dir(out_html)
        params = _job_params(job, data_dir, stage / job.tables_dir.name)
        with tempfile.TemporaryDirectory() as cwd:
            nb = execute(job.template, params, kernel=kernel, cwd=Path(cwd))
        _publish(out_html, to_html(nb, f"{job.name}, {job.year}"), stage)
        out_html.with_suffix(".failed.ipynb").unlink(missing_ok=True)
        return Result(job, True, time.perf_counter() - start)
    except Exception as err:  # a failing report is recorded, the batch goes on
        failed = out_html.with_suffix(".failed.ipynb")
        try:
            import nbformat

            failed.parent.mkdir(parents=True, exist_ok=True)
            if nb is None:
                nb = nbformat.read(job.template, as_version=4)
            nbformat.write(getattr(err, "nb", None) or nb, failed)
        except Exception:
            failed = None
        text = _failure_text(err)
        return Result(job, False, time.perf_counter() - start, text[:500], failed)
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


# ---------------------------------------------------------------- batch
def load_report_config(path: str | os.PathLike | None = None) -> ReportsConfig:
    """Which areas `render all` renders (workforce_lib/config/reports.yaml, or ``path``).

    Raises
    ------
    ConfigError
        A file that is missing, empty, too large, not a mapping, uses YAML anchors or aliases,
        or has an unknown key.
    """
    if path:
        doc, source = read_yaml_file(path, "reports config")
    else:
        source = "workforce_lib/config/reports.yaml"
        text = resources.files("workforce_lib").joinpath("config/reports.yaml").read_text("utf-8")
        doc = load_yaml(text, source)
    return parse_model(ReportsConfig, doc, source)


def _out_file(folder: Path, name: str) -> Path:
    """``<folder>/<slug>.html``; a name with no letter or digit would be a hidden ``.html``."""
    stem = slug(name)
    if not stem:
        raise WorkforceError(
            f"{name!r} has no letter or digit to name its report file by; rename it."
        )
    return folder / f"{stem}.html"


def check_unique_outputs(jobs: list[Job]) -> None:
    """Refuse two reports that would be written to the same file (one would overwrite the
    other): e.g. groups ``a/b/c`` and ``a-b-c`` both slug to ``a-b-c.html``."""
    by_file: dict[Path, list[Job]] = {}
    for job in jobs:
        by_file.setdefault(job.out_html, []).append(job)
    clashes = [
        f"{', '.join(f'{j.kind} {j.name!r}' for j in same)} -> {path}"
        for path, same in by_file.items()
        if len(same) > 1
    ]
    if clashes:
        raise WorkforceError(
            "These reports would overwrite each other (their names make the same file name); "
            "rename one of each:\n  " + "\n  ".join(clashes)
        )


def plan(
    release: Release, year: int, out_root: Path, config: ReportsConfig | dict | None = None
) -> list[Job]:
    """Every report `render all` makes, from the config.

    Raises
    ------
    WorkforceError
        A name that makes no file name, or two reports that would write the same file.
    """
    if config is None:
        config = load_report_config()
    elif isinstance(config, dict):
        config = parse_model(ReportsConfig, config, "reports config")
    root = Path(out_root) / str(year)
    jobs: list[Job] = []
    ids = (
        release.council_ids(year)
        if config.councils == "all"
        else [areas_mod.find_council(release, c) for c in config.councils]
    )
    for a in ids:
        name = areas_mod.council_name(release, a)
        jobs.append(Job("council", name, year, _out_file(root / "councils", name), {"council": a}))
    if config.regions == "all":
        region_names = [g.name for g in areas_mod.load_groups().values() if g.region]
    else:
        region_names = config.regions
    for r in region_names:
        jobs.append(Job("region", r, year, _out_file(root / SUBDIR["region"], r)))
    for g in config.groups:
        jobs.append(Job("group", g, year, _out_file(root / SUBDIR["group"], g)))
    for area in config.scenarios:
        try:
            jobs.append(scenario_job(release, area, year, out_root))
        except WorkforceError:  # rendered anyway: it fails and is listed, the rest go on
            out = _out_file(root / SUBDIR["scenario"], area)
            jobs.append(Job("scenario", area, year, out, params={"group": area}))
    if config.england:
        jobs.append(Job("england", "England", year, root / "england.html"))
    check_unique_outputs(jobs)
    return jobs


def render_jobs(
    jobs: list[Job], data_dir: str, workers: int = 2, warm: bool = True, progress: bool = True
) -> list[Result]:
    """Render jobs on ``workers`` threads, each with its own (warm) kernel."""
    from tqdm import tqdm

    kernels: queue.Queue = queue.Queue()
    started: list[WarmKernel] = []
    lock = threading.Lock()

    def worker_kernel() -> WarmKernel | None:
        if not warm:
            return None
        try:
            return kernels.get_nowait()
        except queue.Empty:
            kernel = WarmKernel()
            with lock:
                started.append(kernel)
            return kernel

    def one(job: Job) -> Result:
        try:
            kernel = worker_kernel()
        except Exception as err:  # a kernel that would not start fails this report only
            return Result(job, False, 0.0, f"could not start a kernel: {_failure_text(err)}")
        try:
            result = run_job(job, data_dir, kernel)
        finally:
            if kernel is not None:
                if kernel.is_alive():
                    kernels.put(kernel)
                else:  # a dead kernel is not reused: the next report starts a new one
                    try:
                        kernel.shutdown()
                    except Exception:
                        pass
        return result

    clean_stale_staging(Path(j.out_html).absolute().parent for j in jobs)

    results: list[Result] = []
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = [pool.submit(one, j) for j in jobs]
            bar = tqdm(total=len(jobs), disable=not progress, unit="report", desc="render")
            for fut in as_completed(futures):
                results.append(fut.result())
                bar.update(1)
            bar.close()
    finally:
        for kernel in started:
            try:
                kernel.shutdown()
            except Exception:
                traceback.print_exc()
    order = {id(j): i for i, j in enumerate(jobs)}
    return sorted(results, key=lambda r: order[id(r.job)])


# ---------------------------------------------------------------- index
def index_cell(measure: str, value, status: str, quartile: int) -> dict:
    """One measure's cell on the index: what it shows, how it sorts, its quartile in words
    and colour (by the measure's direction; none for a size or without a figure).

    >>> index_cell("agency_rate_fte", float("nan"), "low", 0)
    {'text': 'less than 0.5%', 'sort': '0', 'cls': '', 'q': ''}
    >>> index_cell("turnover_rate_fte", 20.0, "", 4)["q"]
    'Q4 worst'
    >>> index_cell("agency_rate_fte", None, "c", 0)
    {'text': 'suppressed to protect confidentiality (c)', 'sort': '', 'cls': '', 'q': ''}
    >>> index_cell("turnover_rate_fte", float("nan"), "", 0)  # no row: no 'nan' to sort by
    {'text': 'not available', 'sort': '', 'cls': '', 'q': ''}
    """
    from workforce_lib.measures import MEASURES
    from workforce_lib.published import symbols
    from workforce_lib.published.comparison import number_or_none
    from workforce_lib.reports.presentation import card_class

    m = MEASURES[measure]
    if symbols.symbol_of(status):  # `low` counts (and sorts) as 0; other symbols not at all
        counted = symbols.value_for_counting(None, status)
        sort = "" if counted is None else f"{counted:.0f}"
        return {"text": symbols.shown(m, None, status), "sort": sort, "cls": "", "q": ""}
    if number_or_none(value) is None:
        return {"text": symbols.shown(m, None, None), "sort": "", "cls": "", "q": ""}
    graded = card_class(m, quartile)
    q = ""
    if graded != "count":
        rank = int(graded[1])
        q = f"Q{rank}" + {1: " best", 4: " worst"}.get(rank, "")
    return {
        "text": m.format(value),
        "sort": f"{value:.4f}",
        "cls": "" if graded == "count" else graded,
        "q": q,
    }


def build_index(release: Release, year: int, out_root: Path, results: list[Result]) -> Path:
    """reports/index.html: every council's headline measures, sortable and filterable."""
    from workforce_lib.constants import LICENCE, SOURCE_NAME
    from workforce_lib.measures import HEADLINE_MEASURES, MEASURES
    from workforce_lib.published.comparison import council_ranks
    from workforce_lib.reports.templating import render

    by_name = {(r.job.kind, r.job.name): r for r in results}
    cols = HEADLINE_MEASURES[:6]
    quartiles = {m: council_ranks(release, year, m)["quartile"] for m in cols}
    f = release.frame("council", year)
    rows = []
    for i, r in f.iterrows():
        res = by_name.get(("council", r.area_name))
        cells = [
            index_cell(m, r[m], release.status.at[i, m], int(quartiles[m].get(r.area_id, 0)))
            for m in cols
        ]
        rows.append(
            {
                "name": r.area_name,
                "region": r.region_name,
                "href": str(res.job.out_html.relative_to(out_root)) if res and res.ok else "",
                "failed": bool(res and not res.ok),
                "cells": cells,
            }
        )
    others = [
        {
            "ok": r.ok,
            "href": str(r.job.out_html.relative_to(out_root)) if r.ok else "",
            "name": r.job.name,
            "kind": r.job.kind,
            "error": r.error,
        }
        for r in results
        if r.job.kind != "council"
    ]
    failures = [
        {"kind": r.job.kind, "name": r.job.name, "error": r.error,
         "notebook": str(r.failed_notebook)}
        for r in results
        if not r.ok
    ]  # fmt: skip
    head = [{"label": "Council", "num": False}, {"label": "Region", "num": False}] + [
        {"label": MEASURES[m].label, "num": True} for m in cols
    ]
    page = render(
        "index.html.j2",
        year=year,
        head=head,
        rows=rows,
        others=others,
        failures=failures,
        source=f"{SOURCE_NAME}, {release.source.name}, SHA-256 {release.sha256[:16]}. {LICENCE}",
    )
    out = out_root / "index.html"
    write_atomic(out, page + "\n")
    return out


# ---------------------------------------------------------------- CLI
def scenario_job(
    release: Release,
    area: str,
    year: int,
    out_root: Path,
    settings: dict | None = None,
    base_year: int = 0,
) -> Job:
    """The job that renders a council's or group's scenarios into ``<out_root>/<year>``:
    ``area`` is a region or named group if one has exactly that name, otherwise a council;
    ``base_year`` 0 lets the model take the latest year with complete figures."""
    try:
        group = areas_mod.find_group(area)
    except WorkforceError:
        group = None
    if group is not None:
        name, params = group.name, {"council": "", "group": group.name}
    else:
        try:
            council = areas_mod.find_council(release, area)
        except WorkforceError as err:
            raise WorkforceError(f"{err} No region or group has that name either.") from None
        name, params = areas_mod.council_name(release, council), {"council": council}
    params["year"] = base_year
    fixed = sorted(set(settings or {}) & {"council", "group", "year", "data_dir", "tables_dir"})
    if fixed:
        raise WorkforceError(
            f"--set cannot change {', '.join(fixed)}: the command sets it (name the area, "
            "use --year or --data-dir)."
        )
    params.update(typed_parameters(TEMPLATE_DIR / TEMPLATES["scenario"], settings or {}))
    check_scenario_settings(params)
    out = _out_file(Path(out_root) / str(year) / SUBDIR["scenario"], name)
    return Job("scenario", name, year, out, params=params)


def check_scenario_settings(params: dict) -> None:
    """Refuse a scenario setting outside its range (NaN, inf, 1e308 simulations) before a
    kernel starts, with the same message ``workforce scenario`` gives."""
    from workforce_lib.published.scenario import BOUNDS, setting_value

    for name, value in params.items():
        if name == "year" and value == 0:  # 0: the latest complete year
            continue
        if name == "asye_intake_fte" and value == -1:  # -1: the template's 5% of in post
            continue
        key = "base_year" if name == "year" else name
        if key in BOUNDS:
            setting_value(key, value, whole=isinstance(value, int))


def hr_job(extract: str, out: str, as_at: str = "", threshold: int = 5, desired: float = 18.0):
    """The job that renders an HR extract's report; ``out`` is an .html file or a folder
    (then ``<out>/hr/<extract name>.html``)."""
    from workforce_lib.records import disclosure
    from workforce_lib.records.extract import read_extract
    from workforce_lib.records.hr import check_desired, resolve_as_at

    path = Path(extract)
    disclosure.check_shown_threshold(threshold)
    desired = check_desired(desired)
    day = resolve_as_at(read_extract(path), as_at or None)  # bad input fails before a kernel
    out_path = Path(out).absolute()
    if out_path.suffix.lower() != ".html":
        out_path = out_path / "hr" / f"{slug(path.stem)}-{day:%Y-%m-%d}.html"
    params = {
        "extract": str(path.resolve()),
        "as_at": f"{day:%Y-%m-%d}",
        "threshold": threshold,
        "desired_caseload": desired,
    }
    return Job("hr", path.stem, day.year, out_path, params=params)


def census_job(returns_dir: str, key_file: str, out: str, threshold: int = 5,
               data_dir: str = "", children_by_ethnicity: str = "",
               skip_invalid: bool = False) -> Job:  # fmt: skip
    """The job that renders a region's pooled census returns; ``out`` is an .html file or
    a folder (then ``<out>/census/<folder name>.html``). The key file, the folder and the
    children's file (if any) are checked before any kernel starts; the template gets the
    key file's path, never the key. ``skip_invalid``: the report pools the valid returns
    only and names the files left out."""
    from workforce_lib.records import disclosure
    from workforce_lib.records.census.pool import latest_year, return_files
    from workforce_lib.records.census.pseudonym import read_key

    disclosure.check_shown_threshold(threshold)  # 5 to 20, as every census output
    read_key(key_file)
    if children_by_ethnicity:  # every problem of the file listed now, not in a kernel
        from workforce_lib.records.census.population import read_children

        read_children(children_by_ethnicity, data_dir)
    folder = Path(returns_dir).resolve()
    year = latest_year(return_files(folder))
    out_path = Path(out).resolve()  # the kernel runs in a temporary folder
    if out_path.suffix.lower() != ".html":
        out_path = out_path / "census" / f"{slug(folder.name) or 'region'}.html"
    params = {
        "returns_dir": str(folder),
        "key_file": str(Path(key_file).resolve()),
        "threshold": threshold,
        "data_dir": data_dir,
        "children_by_ethnicity": str(Path(children_by_ethnicity).resolve())
        if children_by_ethnicity else "",
        "skip_invalid": bool(skip_invalid),
    }  # fmt: skip
    return Job("census", folder.name, year, out_path, params=params)


def _render_one(job: Job) -> int:
    """Render one report in a fresh kernel and say where it went, or why it failed."""
    (result,) = render_jobs([job], "", workers=1, warm=False, progress=False)
    if not result.ok:
        print(f"FAILED {job.kind} {job.name}: {result.error} (notebook: {result.failed_notebook})")
        return 1
    print(f"Wrote {job.out_html} ({result.seconds:.1f} s)")
    return 0


def cmd_render(args) -> int:
    if args.what == "census":  # a region's pooled returns (census-region)
        if not args.name:
            raise WorkforceError("`workforce render census` needs the folder of returns.")
        return _render_one(
            census_job(
                args.name,
                args.key_file,
                args.out,
                args.threshold,
                args.data_dir or "",
                args.children_by_ethnicity or "",
                skip_invalid=getattr(args, "skip_invalid", False),
            )
        )
    if args.what == "hr":
        if not args.name:
            raise WorkforceError("`workforce render hr` needs the extract's path.")
        return _render_one(
            hr_job(args.name, args.out, args.as_at, args.threshold, args.desired_caseload)
        )
    if args.set and args.what != "scenario":
        raise WorkforceError("--set is for `workforce render scenario` only.")
    release = load_release(args.data_dir)
    year = release.require_year(args.year)
    out_root = Path(args.out).absolute()  # kernels run elsewhere: no relative paths
    data_dir = str(release.source.parent.absolute())
    if args.what == "scenario":
        if not args.name:
            raise WorkforceError("`workforce render scenario` needs a council, region or group.")
        from workforce_lib.published.scenario import parse_settings

        settings = parse_settings(args.set)
        jobs = [scenario_job(release, args.name, year, out_root, settings, args.year or 0)]
    elif args.what == "all":
        jobs = plan(release, year, out_root, load_report_config(args.config))
    else:
        if args.what != "england" and not args.name:
            raise WorkforceError(f"`workforce render {args.what}` needs a name.")
        if args.what == "council":
            name = areas_mod.council_name(release, areas_mod.find_council(release, args.name))
        elif args.what in ("region", "group"):
            name = areas_mod.find_group(args.name).name
        else:
            name = "England"
        sub = SUBDIR.get(args.what)
        out = (
            _out_file(out_root / str(year) / sub, name)
            if sub
            else out_root / str(year) / "england.html"
        )
        jobs = [Job(args.what, name, year, out)]
    results = render_jobs(
        jobs, data_dir, workers=args.workers, warm=not args.fresh_kernels, progress=len(jobs) > 1
    )
    failed = [r for r in results if not r.ok]
    for r in results:
        if r.ok and len(results) == 1:
            print(f"Wrote {r.job.out_html} ({r.seconds:.1f} s)")
    print(f"{len(results) - len(failed)} of {len(results)} reports rendered.")
    for r in failed:  # listed before the index is written: that may fail too
        print(f"FAILED {r.job.kind} {r.job.name}: {r.error} (notebook: {r.failed_notebook})")
    summary = {"rendered": len(results) - len(failed), "failed": [r.job.name for r in failed]}
    try:
        if args.what == "all":
            print(f"Index: {build_index(release, year, out_root, results)}")
        write_atomic(out_root / f"render-{year}.json", json.dumps(summary, indent=2))
    except OSError as err:
        where = f": {err.filename}" if err.filename else ""
        print(
            f"workforce: error: could not write the index or summary "
            f"({err.strerror or err}{where})",
            file=sys.stderr,
        )
        return 1
    return 1 if failed else 0
