"""Download every file the project reads (``data/sources.yaml``) into the data directory.

Each download is bounded (bytes, a total time limit, and for a zip its expanded size and
compression ratio), goes into a fresh temporary folder that is deleted afterwards (a failed
download is never reused), and is checked against the manifest's SHA-256 before it is moved
into place. For DfE's release zip, whose own checksum changes with each re-upload, the pin
is on the indicators CSV inside it (``sha256`` of ``indicators`` in the manifest).
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests

from workforce_lib.constants import INDICATORS_GLOB
from workforce_lib.errors import FetchError
from workforce_lib.published.loading import (
    ENV_DATA_DIR,
    default_data_dir,
    sha256,
    vintage,
    zip_problem,
)
from workforce_lib.published.sources import Manifest, Source, check_url, load_manifest

#: The 2025 release of "Children's social work workforce", all files as one zip.
DFE_RELEASE_URL = (
    "https://content.explore-education-statistics.service.gov.uk/api/releases/"
    "54642595-7462-42ba-b565-08de4c5bcb90/files"
)
MANIFEST = "MANIFEST.json"

#: Largest download accepted (the release zip is a few MB).
MAX_DOWNLOAD_BYTES = 200 * 2**20
#: Largest total a zip may expand to, and the largest expansion ratio of any member
#: (DfE's CSVs compress about 10:1; a zip bomb compresses 1000:1).
MAX_EXPANDED_BYTES = 1 * 2**30
MAX_RATIO = 200
#: Seconds a download may take in total, and may wait for any one read.
TOTAL_TIMEOUT = 600.0
READ_TIMEOUT = 30.0
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Fetched:
    """What happened to one manifest entry."""

    kind: str
    file: str
    status: str  # "downloaded", "present", "kept", "failed"
    message: str = ""
    url: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def download(
    url: str,
    target: Path,
    *,
    timeout: float = READ_TIMEOUT,
    total_timeout: float = TOTAL_TIMEOUT,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> None:
    """Stream ``url`` into ``target``, within a total time and size.

    Reads return as soon as any bytes arrive (``read1``), so a server sending a byte now and
    then cannot hold the download past ``total_timeout``.

    Raises
    ------
    FetchError
        An address that is not https (plain http only to this machine, for tests), a
        connection or HTTP error, more than ``max_bytes``, or over ``total_timeout`` seconds.

    Examples
    --------
    >>> download("file:///etc/passwd", Path("x"))
    Traceback (most recent call last):
    ...
    workforce_lib.errors.FetchError: Not downloaded: the address must be an https:// address, \
not 'file:///etc/passwd'.
    """
    try:
        check_url(url, loopback_http=True)
    except ValueError as err:
        raise FetchError(f"Not downloaded: the address {err}.") from None
    start = time.monotonic()
    try:
        with requests.get(url, stream=True, timeout=(timeout, timeout)) as resp:
            resp.raise_for_status()
            declared = int(resp.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                raise FetchError(f"{url} is {declared} bytes, more than the {max_bytes} allowed.")
            size = 0
            with open(target, "wb") as out:
                while True:
                    if time.monotonic() - start > total_timeout:
                        raise FetchError(
                            f"Downloading {url} took more than {total_timeout:g} s; stopped."
                        )
                    block = resp.raw.read1(_CHUNK, decode_content=True)
                    if not block:
                        break
                    size += len(block)
                    if size > max_bytes:
                        raise FetchError(f"{url} sent more than the {max_bytes} bytes allowed.")
                    out.write(block)
    except FetchError:
        raise
    except (requests.RequestException, OSError) as err:
        raise FetchError(f"Could not download {url} ({type(err).__name__}: {err}).") from None
    except Exception as err:  # urllib3 protocol/read errors surface under several names
        raise FetchError(f"Could not download {url} ({type(err).__name__}: {err}).") from None


def extract_members(
    zip_path: Path,
    patterns: list[str],
    out_dir: Path,
    *,
    max_total: int = MAX_EXPANDED_BYTES,
    max_ratio: float = MAX_RATIO,
) -> dict[str, Path]:
    """Unpack the members whose file name matches a pattern, flat, into ``out_dir``.

    The sizes a zip declares are checked first (total expanded size, each member's ratio),
    then enforced while unpacking, since a zip can declare less than it holds.

    Raises
    ------
    FetchError
        Not a zip, or over either limit (nothing is left unpacked).
    """
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as err:
        raise FetchError(f"The download is not a readable zip ({err}).") from None
    written: dict[str, Path] = {}
    with zf:
        infos = [
            i
            for i in zf.infolist()
            if not i.is_dir() and any(fnmatch.fnmatch(Path(i.filename).name, p) for p in patterns)
        ]
        problem = zip_problem(zip_path, max_total, max_ratio, zf.infolist())
        if problem:
            raise FetchError(f"The zip {problem}.")
        budget = max_total
        for i in infos:
            name = Path(i.filename).name
            target = out_dir / name
            limit = min(i.file_size, budget)
            got = 0
            try:
                with zf.open(i) as src, open(target, "wb") as dst:
                    while block := src.read(_CHUNK):
                        got += len(block)
                        if got > limit:
                            raise FetchError(
                                f"The zip member {i.filename} holds more than it declares "
                                f"({i.file_size} bytes): refused."
                            )
                        dst.write(block)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as err:
                raise FetchError(f"The zip member {i.filename} is corrupt ({err}).") from None
            budget -= got
            written[name] = target
    return written


def replace_url(r: Fetched, url: str) -> Fetched:
    return Fetched(r.kind, r.file, r.status, r.message, url)


def _place(kind: str, staged: Path, dest: Path, expected: str | None, replace: bool) -> Fetched:
    """Check a downloaded file and move it into ``dest``; never overwrite silently."""
    got = sha256(staged)
    if expected and got != expected:
        return Fetched(
            kind,
            staged.name,
            "failed",
            f"checksum {got} differs from the expected {expected}; not saved. If the "
            "publisher has released a new version, update data/sources.yaml after checking it.",
        )
    target = dest / staged.name
    if target.exists():
        if sha256(target) == got:
            return Fetched(kind, staged.name, "present", "already in the folder, same checksum")
        if not replace:
            return Fetched(
                kind,
                staged.name,
                "kept",
                f"{target} exists with other contents and was kept; pass --replace to overwrite it",
            )
    os.replace(staged, target)
    return Fetched(kind, staged.name, "downloaded", f"sha256 {got}")


def fetch_source(
    kind: str,
    source: Source,
    dest: Path,
    *,
    url: str | None = None,
    verify: bool = True,
    replace: bool = False,
    timeout: float = READ_TIMEOUT,
    total_timeout: float = TOTAL_TIMEOUT,
) -> Fetched:
    """Download one manifest entry into ``dest`` (a zip is unpacked for its file)."""
    url = url or source.url
    dest.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".fetch-", dir=dest))  # fresh: nothing is reused
    try:
        raw = work / ("download.zip" if source.archive == "zip" else source.file)
        download(url, raw, timeout=timeout, total_timeout=total_timeout)
        if source.archive == "zip":
            unpacked = work / "unpacked"
            unpacked.mkdir()
            members = extract_members(raw, [source.pattern], unpacked)
            if not members:
                raise FetchError(f"The download from {url} holds no {source.pattern}.")
            # several matching members: the newest by what they hold, as in the data folder
            staged = max(members.values(), key=lambda p: vintage(p).key)
        else:
            staged = raw
        expected = source.sha256 if verify else None
        return replace_url(_place(kind, staged, dest, expected, replace), url)
    except FetchError as err:
        return Fetched(kind, source.file, "failed", str(err), url)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fetch_all(
    dest: str | os.PathLike | None = None,
    manifest: Manifest | None = None,
    *,
    only: list[str] | None = None,
    release_url: str | None = None,
    replace: bool = False,
    timeout: float = READ_TIMEOUT,
    total_timeout: float = TOTAL_TIMEOUT,
) -> list[Fetched]:
    """Fetch every file of the manifest (or ``only`` those kinds) and record what arrived.

    ``release_url`` replaces the indicators zip's address; its contents are then not
    checked against the pinned checksum (another release has another one), only recorded.
    """
    dest = Path(dest) if dest else default_data_dir()
    manifest = manifest or load_manifest()
    unknown = sorted(set(only or []) - set(manifest.sources))
    if unknown:
        raise FetchError(
            f"No source named {', '.join(unknown)}; the manifest has {', '.join(manifest.sources)}."
        )
    results = []
    for kind, source in manifest.sources.items():
        if only and kind not in only:
            continue
        other_url = release_url if kind == "indicators" and release_url else None
        results.append(
            fetch_source(
                kind,
                source,
                dest,
                url=other_url,
                verify=other_url is None or other_url == source.url,
                replace=replace,
                timeout=timeout,
                total_timeout=total_timeout,
            )
        )
    _record(dest, results)
    return results


def _record(dest: Path, results: list[Fetched]) -> None:
    """Add what was downloaded to ``MANIFEST.json`` in the data folder."""
    path = dest / MANIFEST
    try:
        record = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        record = {}
    files = record.get("files", {}) if isinstance(record.get("files"), dict) else {}
    for r in results:
        if r.status == "downloaded":
            files[r.file] = {
                "sha256": sha256(dest / r.file),
                "url": r.url,
                "retrieved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
    if files:
        path.write_text(json.dumps({"files": files}, indent=2) + "\n", encoding="utf-8")


def fetch_release(
    url: str = DFE_RELEASE_URL,
    dest: str | os.PathLike | None = None,
    known_hash: str | None = None,
    timeout: float = READ_TIMEOUT,
    total_timeout: float = TOTAL_TIMEOUT,
) -> Path:
    """Download the release zip and unpack its indicators file into ``dest``.

    Parameters
    ----------
    url : the zip's address (default: DfE's 2025 release, whose indicators file must match
        the checksum pinned in data/sources.yaml).
    known_hash : ``"sha256:..."`` the indicators file must have; default the pinned one for
        the default address, none for another.

    Raises
    ------
    FetchError
        Offline (with how to supply the files instead), a corrupt or oversized zip, no
        ``csww_indicators_*.csv`` in it, a checksum that differs, a time limit passed.
    """
    source = load_manifest().sources["indicators"]
    expected = known_hash.split(":", 1)[-1] if known_hash else None
    if expected is None and url == source.url:
        expected = source.sha256
    pinned = source.model_copy(update={"sha256": expected or source.sha256})
    dest = Path(dest) if dest else default_data_dir()
    r = fetch_source(
        "indicators",
        pinned,
        dest,
        url=url,
        verify=expected is not None,
        timeout=timeout,
        total_timeout=total_timeout,
    )
    if not r.ok:
        how = (
            f"\nIf this machine is offline, copy the release files ({INDICATORS_GLOB} and the "
            f"others listed in data/sources.yaml) into {dest}, or set {ENV_DATA_DIR} to a "
            "folder that holds them."
        )
        raise FetchError(r.message + (how if "Could not download" in r.message else ""))
    _record(dest, [r])
    return dest / r.file
