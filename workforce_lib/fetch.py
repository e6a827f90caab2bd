"""Download the DfE release into the data directory, recording checksums (pooch)."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pooch

from workforce_lib.constants import INDICATORS_GLOB
from workforce_lib.errors import FetchError
from workforce_lib.loading import ENV_DATA_DIR, default_data_dir, sha256

#: The 2025 release of "Children's social work workforce", all files as one zip.
DFE_RELEASE_URL = (
    "https://content.explore-education-statistics.service.gov.uk/api/releases/"
    "54642595-7462-42ba-b565-08de4c5bcb90/files"
)
MANIFEST = "MANIFEST.json"


def fetch_release(
    url: str = DFE_RELEASE_URL,
    dest: str | os.PathLike | None = None,
    known_hash: str | None = None,
    timeout: float = 30,
) -> Path:
    """Download the release zip, unpack its CSV files into ``dest`` and record checksums.

    Parameters
    ----------
    url : the zip's address (default: DfE's 2025 release).
    dest : folder to write to (default ``data/raw``).
    known_hash : ``"sha256:..."`` to verify the zip against; None records whatever arrives.

    Returns
    -------
    The path of the indicators file written.

    Raises
    ------
    FetchError
        If the download fails (e.g. offline), with how to supply the files instead, or if
        the zip holds no ``csww_indicators_*.csv``.
    """
    dest = Path(dest) if dest else default_data_dir()
    dest.mkdir(parents=True, exist_ok=True)
    work = dest / ".download"
    try:
        downloader = pooch.HTTPDownloader(progressbar=False, timeout=timeout)
        members = pooch.retrieve(
            url,
            known_hash=known_hash,
            fname="release.zip",
            path=work,
            downloader=downloader,
            processor=pooch.Unzip(extract_dir="unzipped"),
        )
    except ValueError as err:  # checksum mismatch
        raise FetchError(f"The download from {url} failed its checksum: {err}") from None
    except Exception as err:  # requests' connection errors, HTTP errors, timeouts
        raise FetchError(
            f"Could not download the DfE release from {url} ({type(err).__name__}: {err}).\n"
            f"If this machine is offline, copy the release files (csww_indicators_*.csv, "
            f"New_Statistical_Neighbour_Groupings_*.csv, LA_Inspection_Outcomes_*.ods) into "
            f"{dest}, or set {ENV_DATA_DIR} to a folder that holds them."
        ) from None
    written = {}
    for member in map(Path, members):
        if member.suffix.lower() in (".csv", ".ods"):
            target = dest / member.name
            shutil.copyfile(member, target)
            written[member.name] = sha256(target)
    indicators = sorted(n for n in written if Path(n).match(INDICATORS_GLOB))
    if not indicators:
        raise FetchError(f"The download from {url} holds no {INDICATORS_GLOB}.")
    manifest = {
        "url": url,
        "retrieved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "zip_sha256": sha256(work / "release.zip"),
        "files": written,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return dest / indicators[-1]
