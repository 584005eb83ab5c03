"""`steward privacy policy define|table|release|deidentify` on the medical examiner's file."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from pycanon import anonymity
from typer.testing import CliRunner

from steward.cli.main import app

from .world import ME, World, make_world


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def run(world: World, *args: str, as_: str | None = None, ok: bool = True) -> str:
    root = ["--data-dir", str(world.settings.data_dir), "--database-url", world.database.url]
    acting = ["--as", as_] if as_ else []
    result = CliRunner().invoke(app, [*root, *acting, *args])
    assert (result.exit_code == 0) is ok, result.output
    return result.output


def test_define_a_policy_make_approve_and_publish_a_release(world: World) -> None:
    ado, steward = "ado@ocme.ct.gov", "steward@ocme.ct.gov"
    out = run(
        world,
        "privacy",
        "policy",
        "define",
        "ocme_deaths",
        "--agency",
        "ocme",
        "--min-count",
        "6",
        "--footnote",
        "Under 6 suppressed.",
        as_=ado,
    )
    assert "version 1: counts of 1 to 5 are suppressed" in out
    out = run(
        world,
        "privacy",
        "policy",
        "define",
        "ocme_deaths",
        "--agency",
        "ocme",
        "--min-count",
        "11",
        as_=ado,
    )
    assert "version 2" in out
    run(world, "privacy", "policy", "define", "x", "--agency", "ocme", as_=steward, ok=False)
    out = run(
        world,
        "privacy",
        "table",
        ME,
        "--policy",
        "ocme_deaths",
        "--derive",
        "town=town:residence_city",
        "--derive",
        "year=year:date",
        "--dim",
        "town=ct_town_county",
        "--dim",
        "year",
        "--name",
        "town_year",
        "--table",
        "region_race_sex=town=ct_town_region:planning_region,race,sex",
        "--percent",
        "--rate-per",
        "100000",
        as_=steward,
    )
    found = re.search(r"Release (\d+) \(draft\): .* primary .* secondary .* audit passed", out)
    assert found, out
    assert re.search(r"Rates percent, rate_per_100000: \d+ published.* constraints", out), out
    release = found.group(1)
    listed = run(world, "privacy", "release", "list", as_="analyst@ocme.ct.gov")
    assert f"{release:>4} table" in listed and "passed" in listed
    shown = run(world, "privacy", "release", "show", release, as_="analyst@ocme.ct.gov")
    assert "[primary] count" in shown and "[secondary] complementary" in shown
    run(world, "privacy", "release", "approve", release, as_=steward, ok=False)
    assert "approved by ado" in run(world, "privacy", "release", "approve", release, as_=ado)
    out = run(world, "privacy", "release", "publish", release, as_=steward)
    assert re.search(r"published as dataset [a-z0-9]{4}-[a-z0-9]{4}", out)
    run(world, "privacy", "table", ME, "--policy", "cms", "--dim", "nope", as_=steward, ok=False)
    bad_year = ["--population-year", "1990", "--rate-per", "1000"]
    bad_year += ["--derive", "t=town:residence_city"]
    out = run(
        world,
        "privacy",
        "table",
        ME,
        "--policy",
        "cms",
        "--dim",
        "t=ct_town_county",
        *bad_year,
        as_=steward,
        ok=False,
    )
    assert "no town populations for 1990" in out


def test_deidentify_writes_a_k_anonymous_extract(world: World, tmp_path: Path) -> None:
    out_file = tmp_path / "extract.csv"
    quasi = [
        "age_band=age_band:age",
        "sex=text:sex",
        "race=text:race",
        "town=town:residence_city",
        "month=month:date",
    ]
    args = [arg for q in quasi for arg in ("--qi", q)]
    out = run(
        world,
        "privacy",
        "deidentify",
        ME,
        "--k",
        "5",
        *args,
        "--id",
        "casenumber",
        "--out",
        str(out_file),
        as_="steward@ocme.ct.gov",
    )
    assert "k = 5, smallest class" in out and ", 0 after" in out
    with out_file.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    frame = pd.DataFrame(rows)
    assert anonymity.k_anonymity(frame, ["age_band", "sex", "race", "town", "month"]) >= 5
    run(world, "privacy", "deidentify", ME, "--qi", "x=bad", as_="steward@ocme.ct.gov", ok=False)
