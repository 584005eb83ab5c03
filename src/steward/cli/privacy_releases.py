"""`steward privacy table|deidentify|release ...`: releases made from a dataset's rows (protected
tables and research extracts), and their review: list, show, approve, publish. Registered in
`steward.cli.privacy` under the same names as before the split."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from steward.cli.common import actor_of, echo_json, fail, open_database, settings_of
from steward.errors import Invalid

release_app = typer.Typer(help="Releases: list, show, approve, publish.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DimOption = Annotated[
    list[str],
    typer.Option(
        "--dim",
        help="A dimension column: NAME, or NAME=HIERARCHY (ct_town_county, ct_town_region, "
        "month_year, age_band). Give a NAME twice for linked hierarchies.",
    ),
]


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
    percent: Annotated[
        bool, typer.Option("--percent", help="Add each cell's percentage of its row total")
    ] = False,
    rate_per: Annotated[
        int | None,
        typer.Option("--rate-per", min=1, max=10_000_000, help="Add a rate per N residents"),
    ] = None,
    population_year: Annotated[
        int,
        typer.Option(
            help="Year of the DPH population estimates (1996-2020); with a year dimension,"
            " only for years without estimates"
        ),
    ] = 2020,
    as_json: JsonOption = False,
) -> None:
    """Build, protect and audit tables from a dataset: a draft release; prints its summary.

    --percent and --rate-per add rate columns to every table, rounded and suppressed per the
    policy; the audit includes what the published rates tell."""
    from steward.privacy import releases
    from steward.privacy.schemas import ReleaseCreate

    rates = {"percent": percent, "rate_per": rate_per}
    specs = ([{"name": name, "dims": dims, **rates}] if dims else []) + [
        {**_named_table(option), **rates} for option in tables or []
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
            "population_year": population_year,
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


def _summary(release_id: int, summary: dict[str, Any], passed: bool) -> None:
    audit = summary.get("audit", {})
    typer.echo(
        f"Release {release_id} (draft): {summary['cells']:,} cells, {summary['primary']} primary "
        f"(value {summary['primary_value']:,.0f}), {summary['secondary']} secondary (value "
        f"{summary['secondary_value']:,.0f}) by {summary['method']}; audit "
        f"{'passed' if passed else 'FAILED'} ({audit.get('linear_programs', 0)} linear programs)"
    )
    rates = summary.get("rates") or {}
    if rates.get("columns"):
        counts = ", ".join(f"{n} {status}" for status, n in rates["statuses"].items())
        typer.echo(
            f"Rates {', '.join(rates['columns'])}: {counts}; the audit included "
            f"{rates['facts']} constraints from them"
        )


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
