"""`steward privacy protect|policies|policy|deidentify|release`: the privacy engine."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer

from steward.cli.common import actor_of, echo_json, fail, open_database, settings_of
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
release_app = typer.Typer(help="Releases: list, show, approve, publish.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")
app.add_typer(release_app, name="release")
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


def _named_table(option: str) -> dict[str, object]:
    name, sep, dims = option.partition("=")
    if not sep or not name.strip() or not dims.strip():
        raise Invalid(f"--table {option!r}: write NAME=DIM,DIM (each DIM as for --dim)")
    return {"name": name.strip(), "dims": [d.strip() for d in dims.split(",") if d.strip()]}


def _pairs(options: list[str], what: str) -> dict[str, str]:
    found = {}
    for option in options:
        name, sep, spec = option.partition("=")
        if not sep or not name.strip() or not spec.strip():
            raise Invalid(f"{what} {option!r}: write NAME=KIND:COLUMN")
        found[name.strip()] = spec.strip()
    return found


@app.command("table")
def table(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="The source dataset's id")],
    policy: Annotated[str, typer.Option("--policy", help="cms, ct_sde, ct_dph or stored")],
    dims: DimOption = [],  # noqa: B006 - Typer reads the default, never mutates it
    count: Annotated[
        str | None, typer.Option("--count", help="A column to sum; omitted: count the rows")
    ] = None,
    tables: Annotated[
        list[str] | None,
        typer.Option("--table", help="Another table released with it: NAME=DIM,DIM"),
    ] = None,
    derive: Annotated[
        list[str] | None,
        typer.Option("--derive", help="NAME=KIND:COLUMN (town, year, month, age_band, text)"),
    ] = None,
    name: Annotated[str, typer.Option("--name", help="Name of the --dim table")] = "table",
    title: Annotated[str | None, typer.Option(help="Title of the release")] = None,
    time_limit: Annotated[float, typer.Option(min=0.1, max=600)] = 60.0,
    as_json: JsonOption = False,
) -> None:
    """Build, protect and audit tables from a dataset: a draft release; prints its summary."""
    from steward.privacy import releases
    from steward.privacy.schemas import ReleaseCreate

    specs = ([{"name": name, "dims": dims}] if dims else []) + [
        _named_table(option) for option in tables or []
    ]
    data = ReleaseCreate.model_validate(
        {
            "dataset_id": dataset,
            "title": title or f"Protected tables of {dataset}",
            "policy": policy,
            "count": count,
            "tables": specs,
            "derive": _pairs(derive or [], "--derive"),
            "time_limit": time_limit,
        }
    )
    with open_database(ctx).session() as session:
        made = releases.create_table_release(
            session, actor_of(ctx, session), settings_of(ctx).data_dir, data
        )
    if as_json:
        echo_json(made)
        return
    _summary(made.id, made.summary, made.passed)


def _summary(release_id: int, summary: dict[str, object], passed: bool) -> None:
    audit = summary.get("audit", {})
    assert isinstance(audit, dict)
    typer.echo(
        f"Release {release_id} (draft): {summary['cells']:,} cells, {summary['primary']} primary "
        f"(value {summary['primary_value']:,.0f}), {summary['secondary']} secondary (value "
        f"{summary['secondary_value']:,.0f}) by {summary['method']}; audit "
        f"{'passed' if passed else 'FAILED'} ({audit.get('linear_programs', 0)} linear programs)"
    )


@app.command("deidentify")
def deidentify(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="The source dataset's id")],
    qi: Annotated[
        list[str], typer.Option("--qi", help="Quasi-identifier NAME=KIND:COLUMN (repeat)")
    ],
    k: Annotated[int, typer.Option("--k", min=2, max=100)] = 5,
    keep: Annotated[list[str] | None, typer.Option("--keep", help="A column kept as is")] = None,
    identifier: Annotated[
        str | None, typer.Option("--id", help="Column replaced by a keyed pseudonym")
    ] = None,
    sensitive: Annotated[str | None, typer.Option(help="For l-diversity: a kept column")] = None,
    l_diversity: Annotated[int | None, typer.Option("--l", min=2, max=20)] = None,
    title: Annotated[str | None, typer.Option(help="Title of the extract")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Also write the extract here")] = None,
) -> None:
    """Make a k-anonymous research extract of a dataset (stored for stewards; never public)."""
    from steward.privacy import publish, releases
    from steward.privacy.schemas import ExtractCreate

    data = ExtractCreate(
        dataset_id=dataset,
        title=title or f"Research extract of {dataset}",
        k=k,
        quasi=_pairs(qi, "--qi"),
        keep=keep or [],
        identifier=identifier,
        sensitive=sensitive,
        l_diversity=l_diversity,
    )
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        made = releases.create_extract(session, actor, settings_of(ctx).data_dir, data)
        text = publish.extract_csv(session, actor, made.id)[1] if out else ""
    summary = made.summary
    typer.echo(
        f"Extract {made.id}: {summary['records']:,} records, k = {k}, smallest class "
        f"{summary['smallest_class']}; {summary['in_classes_under_k_before']:,} records were in "
        f"classes under k before, {summary['in_classes_under_k_after']} after, "
        f"{summary['removed']} removed"
    )
    if out is not None:
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise Invalid(f"cannot write {out}: {exc.strerror or exc}") from exc
    if not made.passed:
        fail("the extract does not reach k")


@release_app.command("list")
def release_list(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="Only this agency")] = None,
    as_json: JsonOption = False,
) -> None:
    """Releases of your agencies (every one for the CDO and the system)."""
    from steward.privacy import releases

    with open_database(ctx).session() as session:
        found = releases.list_releases(session, actor_of(ctx, session), agency)
    if as_json:
        echo_json(found)
        return
    for item in found:
        audit = "passed" if item.passed else "FAILED"
        typer.echo(
            f"{item.id:>4} {item.kind:<7} {item.status:<9} {audit:<6} "
            f"{item.source_dataset_id} {item.title}"
        )


@release_app.command("show")
def release_show(
    ctx: typer.Context,
    release_id: Annotated[int, typer.Argument(metavar="ID")],
    as_json: JsonOption = False,
) -> None:
    """A release: summary, and each suppressed cell with the reason."""
    from steward.privacy import releases

    with open_database(ctx).session() as session:
        detail = releases.get_release(session, actor_of(ctx, session), release_id)
    if as_json:
        echo_json(detail)
        return
    release = detail.release
    typer.echo(f"Release {release.id}: {release.title} ({release.kind}, {release.status})")
    if release.kind != "table":
        typer.echo(json.dumps(release.summary))
        return
    _summary(release.id, release.summary, release.passed)
    for table_ in detail.tables:
        status = table_.columns.index("status")
        for row in table_.rows:
            if row[status] != "published":
                cell = " x ".join(str(v) for v in row[: status - 1 : 2])
                typer.echo(f"  {table_.name}: {cell} [{row[status]}] {row[-1]}")


@release_app.command("approve")
def release_approve(
    ctx: typer.Context, release_id: Annotated[int, typer.Argument(metavar="ID")]
) -> None:
    """Approve a release that passed its audit (ado; not its maker)."""
    from steward.privacy import releases

    with open_database(ctx).session() as session:
        made = releases.approve_release(session, actor_of(ctx, session), release_id)
    typer.echo(f"Release {made.id} approved by {made.approved_by}")


@release_app.command("publish")
def release_publish(
    ctx: typer.Context, release_id: Annotated[int, typer.Argument(metavar="ID")]
) -> None:
    """Publish an approved table release as a public dataset (steward)."""
    from steward.privacy import publish

    with open_database(ctx).session() as session:
        made = publish.publish_release(
            session, actor_of(ctx, session), settings_of(ctx).data_dir, release_id
        )
    typer.echo(f"Release {made.id} published as dataset {made.published_dataset_id}")
