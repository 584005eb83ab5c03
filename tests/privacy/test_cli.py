"""`steward privacy protect` and `steward privacy policies`, in process."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steward.cli.main import app
from steward.privacy import engine

from .lp_audit import equations, intervals

BENCH = Path(__file__).parents[2] / "bench" / "data" / "suppression"


@pytest.fixture
def steward(tmp_path: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def run(*args: str, ok: bool = True) -> str:
        result = runner.invoke(app, ["--data-dir", str(tmp_path / "data"), *args])
        assert (result.exit_code == 0) == ok, result.output
        return result.output

    return run


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_protect_writes_every_cell_with_levels_and_status(steward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out.csv"
    steward(
        "privacy",
        "protect",
        str(BENCH / "ct_town_x5_categories.csv"),
        "--count",
        "n",
        "--dim",
        "town=ct_town_county",
        "--dim",
        "category",
        "--policy",
        "ct_sde",
        "--out",
        str(out),
    )
    rows = read(out)
    assert list(rows[0]) == ["town", "town_level", "category", "category_level", "count", "status"]
    assert len(rows) == 1068
    levels = {row["town_level"] for row in rows}
    assert levels == {"town", "county", "total"}
    assert {row["category_level"] for row in rows} == {"value", "total"}
    assert any(row["town"] == "Hartford County" for row in rows)
    statuses = {row["status"] for row in rows}
    assert statuses == {"published", "primary", "secondary"}
    assert all((row["count"] == "") == (row["status"] != "published") for row in rows)
    primary = [row for row in rows if row["status"] == "primary"]
    assert len(primary) == 182


def test_linked_hierarchies_give_counties_and_regions(steward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "inner.csv"
    source.write_text(
        "town,year,n\nHartford,2017,3\nHartford,2016,30\nBolton,2017,25\n"
        "Bolton,2016,2\nAndover,2017,40\nAndover,2016,44\n"
    )
    out = tmp_path / "out.csv"
    steward(
        "privacy",
        "protect",
        str(source),
        "--count",
        "n",
        "--dim",
        "town=ct_town_county",
        "--dim",
        "town=ct_town_region",
        "--dim",
        "year",
        "--policy",
        "cms",
        "--out",
        str(out),
    )
    rows = read(out)
    assert {row["town_level"] for row in rows} == {"town", "county", "planning_region", "total"}
    # The output itself, read back with the test's own equations, keeps every small cell safe.
    from steward.privacy.hierarchy import ct_town_county, ct_town_region

    keys = [((r["town_level"], r["town"]), (r["year_level"], r["year"])) for r in rows]
    year_links = {("value", y): ("total", "Total") for y in ("2016", "2017")}
    links = [
        (0, dict(ct_town_county().parents)),
        (0, dict(ct_town_region().parents)),
        (1, year_links),
    ]
    hidden = [row["status"] != "published" for row in rows]
    truth = {
        ("Hartford", "2017"): 3,
        ("Hartford", "2016"): 30,
        ("Bolton", "2017"): 25,
        ("Bolton", "2016"): 2,
        ("Andover", "2017"): 40,
        ("Andover", "2016"): 44,
    }
    values = []
    for row in rows:
        if row["count"]:
            values.append(float(row["count"]))
        else:
            values.append(sum(v for (t, y), v in truth.items() if _under(row, t, y)))
    found = intervals(values, hidden, equations(keys, links))
    for index, row in enumerate(rows):
        if row["status"] == "primary":
            low, high = found[index]
            assert low <= max(0, values[index] - 1) and high >= values[index] + 1


def _under(row: dict[str, str], town: str, year: str) -> bool:
    from steward.privacy.hierarchy import ct_town_county, ct_town_region

    node = (row["town_level"], row["town"])
    ancestors = set(ct_town_county().ancestors(("town", town))) | set(
        ct_town_region().ancestors(("town", town))
    )
    return node in ancestors and row["year"] in (year, "Total")


def test_a_custom_hierarchy_file(steward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    hierarchy = tmp_path / "race.csv"
    hierarchy.write_text("group,race\nAsian,Chinese\nAsian,Asian Indian\nOther,White\n")
    source = tmp_path / "inner.csv"
    source.write_text("race,n\nChinese,2\nAsian Indian,9\nWhite,300\n")
    out = tmp_path / "out.csv"
    steward(
        "privacy",
        "protect",
        str(source),
        "--count",
        "n",
        "--hierarchy-file",
        f"race={hierarchy}",
        "--policy",
        "ct_sde",
        "--out",
        str(out),
    )
    rows = {row["race"]: row for row in read(out)}
    assert rows["Asian"]["race_level"] == "group"
    assert rows["Chinese"]["status"] == "primary"
    assert rows["Asian Indian"]["status"] == "secondary"


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        ("town,n\nAtlantis,3\n", [], "'Atlantis' is not a town"),
        ("town,n\nHartford,three\n", [], "is not a number"),
        ("place,n\nHartford,3\n", [], "no column(s) town"),
    ],
)
def test_bad_input_exits_non_zero_with_a_message(  # type: ignore[no-untyped-def]
    steward, tmp_path: Path, content: str, extra: list[str], message: str
) -> None:
    source = tmp_path / "inner.csv"
    source.write_text(content)
    output = steward(
        "privacy",
        "protect",
        str(source),
        "--count",
        "n",
        "--dim",
        "town=ct_town_county",
        "--policy",
        "cms",
        "--out",
        str(tmp_path / "o.csv"),
        *extra,
        ok=False,
    )
    assert message in output
    assert not (tmp_path / "o.csv").exists()


def test_an_unknown_policy_or_hierarchy_is_refused(steward, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "inner.csv"
    source.write_text("town,n\nHartford,3\n")
    args = ["privacy", "protect", str(source), "--count", "n", "--out", str(tmp_path / "o.csv")]
    assert "no policy 'strict'" in steward(*args, "--dim", "town", "--policy", "strict", ok=False)
    assert "no hierarchy named" in steward(
        *args, "--dim", "town=nowhere", "--policy", "cms", ok=False
    )


def test_a_failed_audit_exits_non_zero_and_writes_nothing(  # type: ignore[no-untyped-def]
    steward, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = engine.audit

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        report = real(*args, **kwargs)
        report.problems.append("forced failure")
        return report

    monkeypatch.setattr(engine, "audit", failing)
    source = tmp_path / "inner.csv"
    source.write_text("town,n\nHartford,3\nBolton,40\n")
    output = steward(
        "privacy",
        "protect",
        str(source),
        "--count",
        "n",
        "--dim",
        "town",
        "--policy",
        "cms",
        "--out",
        str(tmp_path / "o.csv"),
        ok=False,
    )
    assert "the audit failed" in output and "forced failure" in output
    assert not (tmp_path / "o.csv").exists()


def test_policies_lists_the_builtin_ones(steward) -> None:  # type: ignore[no-untyped-def]
    output = steward("privacy", "policies")
    for name in ("cms", "ct_sde", "ct_dph"):
        assert name in output
