"""The `ckanapi` client and command line against a real Steward server over the demo catalog."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import ckanapi
import pytest

BIN = Path(sys.executable).parent
CKANAPI = shutil.which("ckanapi", path=str(BIN))


def run_ckanapi(*args: str) -> subprocess.CompletedProcess[str]:
    assert CKANAPI, "ckanapi is a dev dependency"
    # `ckanapi dump` starts worker processes named `ckanapi`: they must be on PATH.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [CKANAPI, *args], capture_output=True, text=True, timeout=60, check=False, env=env
    )


def test_remote_ckan_package_search(ckan_server: str) -> None:
    with ckanapi.RemoteCKAN(ckan_server) as remote:
        found = remote.action.package_search(q="covid")
        assert found["count"] == 3
        assert {"28fr-iqnx", "7rne-efic"} <= {p["name"] for p in found["results"]}
        assert remote.action.package_show(id="28fr-iqnx")["organization"]["name"] == "dph"


def test_remote_ckan_raises_ckanapis_own_errors(ckan_server: str) -> None:
    with ckanapi.RemoteCKAN(ckan_server) as remote:
        with pytest.raises(ckanapi.NotFound):
            remote.action.package_show(id="zzzz-zzzz")
        with pytest.raises(ckanapi.NotAuthorized):
            remote.action.datastore_search(resource_id="rybz-nyjw")
        with pytest.raises(ckanapi.ValidationError):
            remote.action.package_search(rows="lots")


def test_remote_ckan_pages_through_the_covid_town_dataset(ckan_server: str) -> None:
    seen: list[int] = []
    with ckanapi.RemoteCKAN(ckan_server, get_only=True) as remote:
        offset, total = 0, None
        while total is None or offset < total:
            page = remote.action.datastore_search(
                resource_id="28fr-iqnx", fields="_id", limit=10_000, offset=offset
            )
            total = page["total"]
            seen += [record["_id"] for record in page["records"]]
            offset += len(page["records"])
    assert total == 39_884
    assert sorted(seen) == list(range(1, 39_885))


def test_ckanapi_action_command(ckan_server: str) -> None:
    done = run_ckanapi("action", "package_search", "-r", ckan_server, "q=covid")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["count"] == 3


def test_ckanapi_dump_datasets_all(ckan_server: str) -> None:
    done = run_ckanapi("dump", "datasets", "--all", "-r", ckan_server, "-q")
    assert done.returncode == 0, done.stderr
    packages = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [p["name"] for p in packages] == [
        "28fr-iqnx",
        "5w85-2euh",
        "7rne-efic",
        "dphp-0pop",
        "rybz-nyjw",
    ]
    by_name = {p["name"]: p for p in packages}
    assert by_name["rybz-nyjw"]["resources"] == []
    assert by_name["28fr-iqnx"]["resources"][0]["format"] == "CSV"
