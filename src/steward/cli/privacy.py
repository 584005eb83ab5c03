"""`steward privacy protect|policies|policy|table|deidentify|release`: the privacy engine.

The commands that make and manage releases from datasets live in `privacy_releases`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer

from steward.cli import privacy_releases
from steward.cli.common import actor_of, echo_json, fail, open_database
from steward.errors import Invalid
from steward.privacy.engine import Protection, protect_table
from steward.privacy.inner import (
    ct_town_populations,
    parse_dimensions,
    parse_hierarchy_option,
    table_from_csv,
)
from steward.privacy.policy import Policy, with_protection

app = typer.Typer(
    help="Privacy: suppression policies, protected tables, de-identified extracts, releases.",
    no_args_is_help=True,
)

DimOption = Annotated[
    list[str],
    typer.Option(
        "--dim",
        help="A dimension column: NAME, or NAME=HIERARCHY (ct_town_county, ct_town_region, "
        "month_year, age_band). Give a NAME twice for linked hierarchies.",
    ),
]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise Invalid(f"cannot read {path}: {exc.strerror or exc}") from exc


def _policy(ctx: typer.Context, name: str) -> Policy:
    from steward.privacy import service

    with open_database(ctx).session() as session:
        return service.resolve_policy(session, name)


@app.command("protect")
def protect(
    ctx: typer.Context,
    inner: Annotated[
        Path,
        typer.Argument(
            metavar="INNER.csv", help="Inner cells: one column per dimension plus the count."
        ),
    ],
    count: Annotated[str, typer.Option("--count", help="The count column.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write every cell (CSV).")],
    policy: Annotated[
        str, typer.Option("--policy", help="cms, ct_sde, ct_dph or a stored policy.")
    ],
    dims: DimOption = [],  # noqa: B006 - Typer reads the default, never mutates it
    hierarchy_file: Annotated[
        list[str] | None,
        typer.Option(
            "--hierarchy-file",
            help="NAME=PATH: a custom hierarchy for a dimension "
            "(CSV: level names coarsest first, one row per leaf).",
        ),
    ] = None,
    protection: Annotated[
        int | None, typer.Option(min=1, help="Override the policy's protection width.")
    ] = None,
    time_limit: Annotated[
        float, typer.Option(min=0.1, help="Seconds for the exact method before repair.")
    ] = 60.0,
    audit_out: Annotated[
        Path | None, typer.Option("--audit-out", help="Write the audit report here (JSON).")
    ] = None,
) -> None:
    """Protect a table: primary and complementary suppression, then the independent audit."""
    files = dict(parse_hierarchy_option(option) for option in hierarchy_file or [])
    texts = {name: _read(Path(path)) for name, path in files.items()}
    specs = parse_dimensions(dims, texts)
    table = table_from_csv(_read(inner), count, specs)
    chosen = _policy(ctx, policy)
    if protection is not None:
        chosen = with_protection(chosen, protection)
    area = next(
        (s.name for s in specs if any(h.startswith("ct_town") for h in s.hierarchies)), None
    )
    populations = ct_town_populations() if chosen.population_floor else None
    result = protect_table(
        table, chosen, populations=populations, area_dimension=area, time_limit=time_limit
    )
    if audit_out is not None:
        audit_out.write_text(json.dumps(result.audit.to_dict(), indent=2), encoding="utf-8")
    _report(result)
    if not result.audit.passed:
        fail("the audit failed; nothing was written:\n  " + "\n  ".join(result.audit.problems[:20]))
    _write(out, result)


def _report(result: Protection) -> None:
    summary = result.summary()
    audit = summary["audit"]
    typer.echo(
        f"{summary['cells']:,} cells, {summary['primary']:,} primary, "
        f"{summary['secondary']:,} secondary (value {summary['secondary_value']:,.0f}); "
        f"{summary['method']} in {summary['seconds']:g} s; audit "
        f"{'passed' if audit['passed'] else 'FAILED'} ({audit['linear_programs']:,} linear "
        f"programs, {audit['seconds']:g} s)",
        err=True,
    )


def _write(path: Path, result: Protection) -> None:
    rows = result.rows()
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    except OSError as exc:
        raise Invalid(f"cannot write {path}: {exc.strerror or exc}") from exc


@app.command("policies")
def policies(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The suppression policies: built in, and those stored for agencies."""
    from steward.privacy import service

    with open_database(ctx).session() as session:
        found = service.list_policies(session)
    if as_json:
        echo_json(found)
        return
    for item in found:
        where = item.agency or "built in"
        typer.echo(f"{item.name:<16} v{item.version:<3} {where:<10} {item.rule}")


policy_app = typer.Typer(help="Define suppression policies (each change is a new version).")
app.add_typer(policy_app, name="policy")
app.add_typer(privacy_releases.release_app, name="release")
app.command("table")(privacy_releases.table)
app.command("deidentify")(privacy_releases.deidentify)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@policy_app.command("define")
def define_policy(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Policy name (lowercase, digits, - and _)")],
    agency: Annotated[
        str | None, typer.Option(help="Agency slug (ado); omitted: the state's model (CDO)")
    ] = None,
    min_count: Annotated[
        int | None,
        typer.Option(min=1, help="Smallest count published: 1 to MIN-COUNT - 1 are suppressed"),
    ] = None,
    suppress_zeros: Annotated[bool, typer.Option(help="Suppress zero counts too")] = False,
    population_floor: Annotated[
        int | None, typer.Option(min=1, help="Apply the minimum only to areas under this")
    ] = None,
    min_denominator: Annotated[int | None, typer.Option(min=1, help="Rates' minimum")] = None,
    percent_decimals: Annotated[int, typer.Option(min=0, max=6)] = 1,
    protection: Annotated[int, typer.Option(min=1, help="Interval each side")] = 1,
    symbol: Annotated[str, typer.Option(help="Shown for a suppressed cell")] = "*",
    footnote: Annotated[str, typer.Option()] = "Suppressed to protect privacy.",
    title: Annotated[str, typer.Option()] = "",
    description: Annotated[str, typer.Option()] = "",
    data_type: Annotated[str, typer.Option(help="What data it is for, e.g. vital records")] = "",
    as_json: JsonOption = False,
) -> None:
    """Define a policy, or its next version (ado of the agency; the CDO for the model)."""
    from steward.privacy import service
    from steward.privacy.schemas import PolicyCreate

    rules = {
        "title": title,
        "description": description,
        "max_suppressed": (min_count - 1) if min_count else 0,
        "suppress_zeros": suppress_zeros,
        "population_floor": population_floor,
        "min_denominator": min_denominator,
        "percent_decimals": percent_decimals,
        "protection": protection,
        "symbol": symbol,
        "footnote": footnote,
    }
    data = PolicyCreate(name=name, agency=agency, data_type=data_type, rules=rules)
    with open_database(ctx).session() as session:
        made = service.create_policy(session, actor_of(ctx, session), data)
    if as_json:
        echo_json(made)
        return
    typer.echo(f"Policy {made.name} version {made.version}: {made.rule}")
