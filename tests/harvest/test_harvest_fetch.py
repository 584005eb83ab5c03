"""Reading catalog documents: files and http(s) URLs, bounded in size and time, nothing else."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from steward.errors import Invalid
from steward.harvest.fetch import Limits, read_source

BODY = b'{"dataset": []}'


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/slow":
            self._send(200, b"", length=1000)
            for _ in range(20):
                self.wfile.write(b" " * 10)
                self.wfile.flush()
                time.sleep(0.1)
            return
        routes = {
            "/data.json": (200, BODY, {}),
            "/big": (200, b"x" * 5000, {}),
            "/missing": (404, b"no", {}),
            "/to-file": (302, b"", {"Location": "file:///etc/passwd"}),
            "/to-ftp": (302, b"", {"Location": "ftp://127.0.0.1/data.json"}),
            "/to-json": (302, b"", {"Location": "/data.json"}),
        }
        status, body, headers = routes.get(self.path, (404, b"", {}))
        self._send(status, body, headers=headers)
        self.wfile.write(body)

    def _send(
        self,
        status: int,
        body: bytes,
        *,
        length: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(length if length is not None else len(body)))
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_url_is_fetched_with_its_site_as_the_portal(site: str) -> None:
    document = read_source(f"{site}/data.json")
    assert document.data == BODY
    assert document.portal == site
    assert read_source(f"{site}/to-json").data == BODY  # http redirects are followed


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/big", "more than"),
        ("/missing", "HTTP 404"),
        ("/to-file", "only http and https"),
    ],
)
def test_bad_answers_are_refused(site: str, path: str, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        read_source(f"{site}{path}", Limits(max_bytes=1000, timeout_s=5))


def test_a_slow_answer_is_cut_off(site: str) -> None:
    started = time.monotonic()
    with pytest.raises(Invalid, match="took longer"):
        read_source(f"{site}/slow", Limits(max_bytes=10_000, timeout_s=0.5))
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(
    "source", ["file:///etc/passwd", "ftp://example.org/data.json", "gopher://x/y", "http:///x"]
)
def test_only_http_and_https_urls(source: str) -> None:
    with pytest.raises(Invalid, match="only http and https"):
        read_source(source)


def test_files_are_checked(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="no such file"):
        read_source(str(tmp_path / "missing.json"))
    with pytest.raises(Invalid, match="no such file"):
        read_source(str(tmp_path))  # a directory is not a catalog
    big = tmp_path / "big.json"
    big.write_bytes(b"[]" * 600)
    with pytest.raises(Invalid, match="more than the limit"):
        read_source(str(big), Limits(max_bytes=1000))
    assert read_source(str(big)).portal is None
