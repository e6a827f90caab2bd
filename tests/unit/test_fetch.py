import hashlib
import http.server
import json
import socket
import threading
import zipfile
from functools import partial

import pytest

from tests.conftest import FIXTURES
from workforce_lib.errors import FetchError
from workforce_lib.fetch import fetch_release


@pytest.fixture
def served_zip(tmp_path):
    """A release zip built here, served from 127.0.0.1 on a free port."""
    site = tmp_path / "site"
    site.mkdir()
    zpath = site / "release.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.write(FIXTURES / "indicators_small.csv", "data/csww_indicators_2017_to_2025.csv")
        z.writestr("supporting-files/readme.txt", "not a data file")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/release.zip", zpath
    server.shutdown()
    server.server_close()


def test_fetch_unpacks_and_records_checksums(served_zip, tmp_path):
    url, zpath = served_zip
    dest = tmp_path / "raw"
    path = fetch_release(url, dest)
    assert path == dest / "csww_indicators_2017_to_2025.csv"
    assert path.read_text() == (FIXTURES / "indicators_small.csv").read_text()
    manifest = json.loads((dest / "MANIFEST.json").read_text())
    assert manifest["url"] == url
    assert manifest["zip_sha256"] == hashlib.sha256(zpath.read_bytes()).hexdigest()
    assert (
        manifest["files"]["csww_indicators_2017_to_2025.csv"]
        == hashlib.sha256(path.read_bytes()).hexdigest()
    )
    assert not (dest / "readme.txt").exists()


def test_fetch_checks_a_known_hash(served_zip, tmp_path):
    url, _ = served_zip
    with pytest.raises(FetchError, match="checksum"):
        fetch_release(url, tmp_path / "raw", known_hash="sha256:" + "0" * 64)


def test_offline_says_how_to_supply_files(tmp_path):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(FetchError) as exc:
        fetch_release(f"http://127.0.0.1:{port}/release.zip", tmp_path / "raw", timeout=5)
    assert "WORKFORCE_DATA_DIR" in str(exc.value) and "copy the release files" in str(exc.value)
