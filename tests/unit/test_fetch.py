"""Downloads from a local server on 127.0.0.1: every manifest file, corrupt zips that must
not be reused, zip bombs, slow servers and pinned checksums."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import socket
import threading
import time
import zipfile

import pytest

from tests.conftest import FIXTURES
from workforce_lib.errors import FetchError
from workforce_lib.published import fetch
from workforce_lib.published.fetch import extract_members, fetch_all, fetch_release
from workforce_lib.published.sources import load_manifest, parse_manifest

INDICATORS = (FIXTURES / "indicators_small.csv").read_bytes()


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


GOOD_ZIP = _zip(
    {
        "data/csww_indicators_2017_to_2025.csv": INDICATORS,
        "supporting-files/readme.txt": b"not a data file",
    }
)


class Site:
    """A threaded HTTP server on 127.0.0.1 serving ``routes`` (path -> bytes or a callable
    that writes the response itself)."""

    def __init__(self):
        self.routes: dict[str, object] = {}
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                body = site.routes.get(self.path)
                if body is None:
                    self.send_error(404)
                elif callable(body):
                    body(self)
                else:
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    s = Site()
    yield s
    s.close()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_fetch_unpacks_and_records_checksums(site, tmp_path):
    site.routes["/release.zip"] = GOOD_ZIP
    dest = tmp_path / "raw"
    path = fetch_release(site.url("/release.zip"), dest)
    assert path == dest / "csww_indicators_2017_to_2025.csv"
    assert path.read_bytes() == INDICATORS
    record = json.loads((dest / "MANIFEST.json").read_text())
    entry = record["files"]["csww_indicators_2017_to_2025.csv"]
    assert entry["sha256"] == _sha(INDICATORS) and entry["url"] == site.url("/release.zip")
    assert not (dest / "readme.txt").exists()
    assert not list(dest.glob(".fetch-*"))  # the download folder is gone


def test_fetch_checks_a_known_hash(site, tmp_path):
    site.routes["/release.zip"] = GOOD_ZIP
    with pytest.raises(FetchError, match="checksum"):
        fetch_release(site.url("/release.zip"), tmp_path / "raw", known_hash="sha256:" + "0" * 64)
    assert not (tmp_path / "raw" / "csww_indicators_2017_to_2025.csv").exists()


def test_default_release_address_is_pinned_to_the_indicators_checksum():
    pinned = load_manifest().sources["indicators"]
    assert pinned.url == fetch.DFE_RELEASE_URL
    # the sha256 of csww_indicators_2017_to_2025.csv as DfE published it (../shared/data/dfe)
    assert pinned.sha256 == "9e058bac193cc5b03f0d21ebe4259c8935d236dbf59f09d90b3e0916bfbca95f"


def test_offline_says_how_to_supply_files(tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError) as exc:
        fetch_release(f"http://127.0.0.1:{port}/release.zip", tmp_path / "raw", timeout=5)
    assert "WORKFORCE_DATA_DIR" in str(exc.value) and "copy the release files" in str(exc.value)


def test_a_corrupt_download_is_never_reused(site, tmp_path):
    dest = tmp_path / "raw"
    site.routes["/release.zip"] = GOOD_ZIP[: len(GOOD_ZIP) // 2]  # truncated
    with pytest.raises(FetchError, match="not a readable zip|corrupt"):
        fetch_release(site.url("/release.zip"), dest)
    site.routes["/release.zip"] = GOOD_ZIP  # the server recovers
    path = fetch_release(site.url("/release.zip"), dest)
    assert path.read_bytes() == INDICATORS


def test_a_zip_bomb_is_refused(site, tmp_path):
    # 64 MiB of zeros deflate to about 64 KiB: a ratio near 1000
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("csww_indicators_2017_to_2025.csv", "w") as member:
            for _ in range(64):
                member.write(bytes(2**20))
    assert len(buf.getvalue()) < 2**20
    site.routes["/bomb.zip"] = buf.getvalue()
    dest = tmp_path / "raw"
    with pytest.raises(FetchError, match="zip bomb"):
        fetch_release(site.url("/bomb.zip"), dest)
    assert not (dest / "csww_indicators_2017_to_2025.csv").exists()
    assert not list(dest.glob(".fetch-*"))


def test_expanded_size_is_capped(tmp_path):
    z = tmp_path / "big.zip"
    z.write_bytes(_zip({"csww_indicators_2017_to_2025.csv": INDICATORS}))
    with pytest.raises(FetchError, match="expand"):
        extract_members(z, ["*.csv"], tmp_path, max_total=len(INDICATORS) - 1)


def test_a_server_dripping_bytes_hits_the_total_time_limit(site, tmp_path):
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        for _ in range(40):  # at most 20 s, so the test cannot hang
            try:
                handler.wfile.write(b"x")
                handler.wfile.flush()
            except OSError:
                return
            time.sleep(0.5)

    site.routes["/slow.zip"] = drip
    start = time.monotonic()
    with pytest.raises(FetchError, match="took more than 2 s"):
        fetch_release(site.url("/slow.zip"), tmp_path / "raw", timeout=5, total_timeout=2)
    assert time.monotonic() - start < 6


def test_fetch_all_gets_every_manifest_file(site, tmp_path):
    files = {
        "sn_model_2025_wide.csv": (FIXTURES / "sn_model_small_wide.csv").read_bytes(),
        "LA_Inspection_Outcomes_as_at_31_March_2025.ods": b"fake ods",
    }
    site.routes["/release.zip"] = GOOD_ZIP
    for name, data in files.items():
        site.routes["/" + name] = data
    text = f"""
sources:
  indicators:
    pattern: csww_indicators_*.csv
    file: csww_indicators_2017_to_2025.csv
    title: t
    publisher: p
    licence: Open Government Licence v3.0
    page: https://example.org/
    url: {site.url("/release.zip")}
    archive: zip
    sha256: {_sha(INDICATORS)}
    required: true
    used_for: every report
"""
    for i, (name, data) in enumerate(files.items()):
        text += f"""  kind{i}:
    pattern: {name}
    file: {name}
    title: t
    publisher: p
    licence: Open Government Licence v3.0
    page: https://example.org/
    url: {site.url("/" + name)}
    sha256: "{_sha(data) if i == 0 else "0" * 64}"
    used_for: x
"""
    manifest = parse_manifest(text)
    dest = tmp_path / "raw"
    results = {r.kind: r for r in fetch_all(dest, manifest)}
    assert results["indicators"].status == "downloaded"
    assert results["kind0"].status == "downloaded"
    assert (dest / "sn_model_2025_wide.csv").read_bytes() == files["sn_model_2025_wide.csv"]
    # a checksum that differs: reported, not saved
    assert results["kind1"].status == "failed" and "checksum" in results["kind1"].message
    assert not (dest / "LA_Inspection_Outcomes_as_at_31_March_2025.ods").exists()
    # again: the same files are present, nothing is overwritten
    again = {r.kind: r.status for r in fetch_all(dest, manifest, only=["indicators", "kind0"])}
    assert again == {"indicators": "present", "kind0": "present"}
    # another file of the same name is kept unless --replace
    (dest / "sn_model_2025_wide.csv").write_text("mine")
    kept = fetch_all(dest, manifest, only=["kind0"])[0]
    assert kept.status == "kept" and (dest / "sn_model_2025_wide.csv").read_text() == "mine"
    assert fetch_all(dest, manifest, only=["kind0"], replace=True)[0].status == "downloaded"


def test_a_zip_with_two_vintages_gives_the_one_holding_the_latest_period(site, tmp_path):
    lines = INDICATORS.decode().splitlines(keepends=True)
    older = "".join(x for x in lines if not x.startswith("2025,")).encode()
    # the older file's name sorts last: the name alone would pick it
    site.routes["/release.zip"] = _zip(
        {
            "data/csww_indicators_2017_to_2025_a.csv": INDICATORS,
            "data/csww_indicators_2017_to_2025_z.csv": older,
        }
    )
    path = fetch_release(site.url("/release.zip"), tmp_path / "raw")
    assert path.name == "csww_indicators_2017_to_2025_a.csv"
    assert path.read_bytes() == INDICATORS


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/release.zip", "http://example.org/release.zip", "file:///etc/hosts"]
)
def test_an_address_that_is_not_https_is_refused_before_connecting(tmp_path, url):
    r = fetch_all(tmp_path / "raw", only=["indicators"], release_url=url)[0]
    assert r.status == "failed"
    assert r.message == f"Not downloaded: the address must be an https:// address, not {url!r}."
