"""`steward harvest`: a thin command over the harvest service, from a file or a URL."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steward.cli.main import app
from steward.config import Settings
from steward.db import Database

SNAPSHOT = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "harvest"
    / ("data_ct_gov_catalog_2017_axibase.csv")
)
DATA_JSON = {
    "dataset": [
        {
            "title": "COVID-19 Tests, Cases, and Deaths (By Town)",
            "identifier": "https://data.ct.gov/api/views/28fr-iqnx",
            "publisher": {"name": "CT Department of Public Health"},
            "keyword": ["covid-19"],
            "accessLevel": "public",
        },
        {
            "title": "Licensed Child Care",
            "identifier": "urn:oec:child-care",
            "publisher": {"name": "Connecticut Office of Early Childhood"},
        },
    ]
}
Run = Callable[..., str]


@pytest.fixture
def steward(store: Database, settings: Settings) -> Run:
    runner = CliRunner()

    def run(*args: str, ok: bool = True) -> str:
        result = runner.invoke(app, ["--data-dir", str(settings.data_dir), *args])
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    return run


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(DATA_JSON).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_dry_run_reports_the_2017_catalog_and_writes_nothing(steward: Run) -> None:
    out = steward("harvest", str(SNAPSHOT), "--agency-default", "opm", "--dry-run")
    assert "(axibase, 307 records): 307 created" in out
    assert "63 with no publisher" in out
    assert "Publishers not matched to an agency (their datasets went to opm):" in out
    assert "     2  City of Stamford" in out
    assert "Dry run: nothing was written." in out
    assert "0 dataset(s)" in steward("dataset", "list")


def test_a_data_json_url_is_harvested_once(steward: Run, site: str) -> None:
    report = json.loads(steward("harvest", f"{site}/data.json", "--json"))
    assert (report["format"], report["created"], report["failed"]) == ("dcat", 2, 0)
    assert {item["agency"] for item in report["items"]} == {"dph", "oec"}
    shown = json.loads(steward("dataset", "show", "28fr-iqnx", "--json"))
    assert shown["status"] == "draft" and shown["agency"] == "dph"
    again = steward("harvest", f"{site}/data.json")
    assert "0 created, 0 updated, 2 unchanged" in again
    assert "2 dataset(s)" in steward("dataset", "list")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--portal", "javascript:alert(1)"], "Error: --portal must be an http(s) URL"),
        (["--agency-default", "nope"], "Error: no agency 'nope'"),
        (["--format", "xml"], "Error: unknown format 'xml'"),
    ],
)
def test_bad_options_fail_with_one_line(steward: Run, args: list[str], message: str) -> None:
    assert message in steward("harvest", str(SNAPSHOT), *args, ok=False)


@pytest.mark.parametrize("source", ["file:///etc/passwd", "/no/such/catalog.json"])
def test_bad_sources_fail_with_one_line(steward: Run, source: str) -> None:
    assert "Error: " in steward("harvest", source, ok=False)
