"""`steward quality profile|report|check|compare|rule|settings|freshness|feedback`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from steward.cli.common import echo_json, open_database, settings_of
from steward.quality import declarations, feedback, service, summary
from steward.quality.schemas import (
    Comparison,
    FeedbackItem,
    FeedbackUpdate,
    Profile,
    RuleCreate,
    VersionQuality,
)

app = typer.Typer(
    help="Data quality: profiles, rules, freshness, comparisons, feedback.", no_args_is_help=True
)
rule_app = typer.Typer(help="Quality rules checked on every new version.", no_args_is_help=True)
feedback_app = typer.Typer(help="Problems reported by the public: the queue.", no_args_is_help=True)
app.add_typer(rule_app, name="rule")
app.add_typer(feedback_app, name="feedback")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DatasetArg = Annotated[str, typer.Argument(metavar="ID")]
VersionOption = Annotated[
    int | None, typer.Option("--version", min=1, help="Version number (default: current)")
]
ByOption = Annotated[str, typer.Option("--by", help="Who is acting (kept with the change)")]


@app.command("profile")
def profile(
    ctx: typer.Context,
    dataset_id: DatasetArg,
    version: VersionOption = None,
    as_json: JsonOption = False,
) -> None:
    """A version's column profile (every field; the CLI is the steward's view)."""
    with open_database(ctx).session() as session:
        found = service.get_profile(session, dataset_id, version, public=False)
    if as_json:
        echo_json(found)
        return
    _print_profile(found)


def _print_profile(found: Profile) -> None:
    exactness = "exact" if found.exact else "estimated where marked ~"
    typer.echo(
        f"{found.dataset_id} version {found.version}: {found.row_count:,} rows, "
        f"{found.duplicate_rows:,} duplicate rows"
        + (f", {found.duplicate_keys:,} duplicate keys" if found.duplicate_keys is not None else "")
        + f" ({exactness}; {found.seconds:g} s)"
    )
    for field in found.fields:
        distinct = "-" if field.distinct_count is None else f"{field.distinct_count:,}"
        mark = "" if field.distinct_exact else "~"
        top = ", ".join(f"{t.value} ({t.count:,})" for t in field.top_values[:3])
        span = f"{field.min} .. {field.max}" if field.min is not None else ""
        typer.echo(
            f"  {field.name:<28} {field.type:<18} nulls {field.null_count:>9,}  "
            f"distinct {mark}{distinct:>9}  {span}  {top}"[:200]
        )


@app.command("report")
def report(
    ctx: typer.Context,
    dataset_id: DatasetArg,
    version: VersionOption = None,
    as_json: JsonOption = False,
) -> None:
    """A version's quality score and parts, rule results with failing rows, and changes."""
    with open_database(ctx).session() as session:
        found = service.get_quality(session, dataset_id, version, public=False)
    _print_quality(found, as_json)


@app.command("check")
def check(
    ctx: typer.Context,
    dataset_id: DatasetArg,
    version: VersionOption = None,
    as_json: JsonOption = False,
) -> None:
    """Profile and check a stored version again with today's rules (it stays current or not)."""
    database = open_database(ctx)
    with database.session() as session:
        found = service.check_again(session, settings_of(ctx).data_dir, dataset_id, version)
    _print_quality(found, as_json)


def _print_quality(found: VersionQuality, as_json: bool) -> None:
    if as_json:
        echo_json(found)
        return
    state = "current" if found.is_current else "not current"
    blocked = ", a blocking rule fails" if found.blocked else ""
    score = "not measured" if found.score.score is None else f"{found.score.score:g}"
    typer.echo(f"{found.dataset_id} version {found.version} ({state}{blocked}): score {score}")
    for part in found.score.parts:
        value = "not measured" if part.value is None else f"{part.value:g}"
        typer.echo(f"  {part.name:<13} {value:>12}  weight {part.weight:g}  {part.explanation}")
    typer.echo(f"freshness: {found.freshness.label}")
    for result in found.results:
        rule = result.rule
        on = f" {','.join(rule.fields)}" if rule.fields else ""
        mark = "ok  " if result.passed else "FAIL"
        typer.echo(f"{mark} rule {rule.id} {rule.kind}{on} ({rule.severity}): {result.message}")
        for sample in result.samples or []:
            typer.echo(f"       {sample}"[:200])
    if found.comparison is not None:
        _print_comparison(found.comparison)


def _print_comparison(found: Comparison) -> None:
    typer.echo(
        f"changes from version {found.from_version} to {found.to_version}: "
        f"rows {found.rows_before:,} -> {found.rows_after:,}"
    )
    if found.key_fields:
        typer.echo(
            f"  by key {','.join(found.key_fields)}: {found.rows_added:,} added, "
            f"{found.rows_removed:,} removed, {found.rows_changed:,} changed"
        )
    for change in found.schema_changes:
        typer.echo(f"  field {change.name} {change.change.replace('_', ' ')}")
    for shift in found.shifts:
        if shift.flagged:
            typer.echo(
                f"  distribution of {shift.name} shifted: "
                f"mean {shift.mean_before} -> {shift.mean_after}"
            )


@app.command("compare")
def compare(
    ctx: typer.Context,
    dataset_id: DatasetArg,
    older: Annotated[int, typer.Argument(metavar="FROM", min=1)],
    newer: Annotated[int, typer.Argument(metavar="TO", min=1)],
    as_json: JsonOption = False,
) -> None:
    """What changed between two versions: rows by key, fields, numeric distributions."""
    with open_database(ctx).session() as session:
        found = service.compare_versions(
            session, settings_of(ctx).data_dir, dataset_id, older, newer, public=False
        )
    if as_json:
        echo_json(found)
        return
    _print_comparison(found)


KindOption = Annotated[
    str,
    typer.Option(
        help="not_null, unique, allowed_values, range, regex, reference, row_count_change, "
        "soql, standard"
    ),
]
Texts = Annotated[list[str] | None, typer.Option(help="Repeat for several")]
SeverityOption = Annotated[
    str, typer.Option(help="warn, or block (keeps a failing version from becoming current)")
]


@rule_app.command("add")
def add_rule(
    ctx: typer.Context,
    dataset_id: DatasetArg,
    kind: KindOption,
    field: Texts = None,
    value: Texts = None,
    min: Annotated[str | None, typer.Option(help="Range minimum, or least % row change")] = None,
    max: Annotated[str | None, typer.Option(help="Range maximum, or most % row change")] = None,
    pattern: Annotated[str | None, typer.Option(help="Regular expression to match")] = None,
    table: Annotated[str | None, typer.Option(help="Reference table, e.g. ct_town_name")] = None,
    ignore_case: Annotated[bool, typer.Option(help="Compare text ignoring case")] = False,
    where: Annotated[str | None, typer.Option(help="SoQL predicate rows must satisfy")] = None,
    element: Annotated[str | None, typer.Option(help="Standard element, e.g. ct_town")] = None,
    severity: SeverityOption = "warn",
    description: Annotated[str, typer.Option(help="Why the rule exists")] = "",
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """Declare a rule; it runs on every new version of the dataset."""
    values = {key: value for key, value in locals().items() if key not in _NOT_RULE}
    data = RuleCreate.model_validate({**values, "fields": field or [], "values": value})
    with open_database(ctx).session() as session:
        rule = declarations.add_rule(session, dataset_id, data, by)
    if as_json:
        echo_json(rule)
        return
    typer.echo(
        f"Rule {rule.id} on {dataset_id}: {rule.kind} {','.join(rule.fields)} ({rule.severity})"
    )


_NOT_RULE = {"ctx", "dataset_id", "by", "as_json", "field", "value"}


@rule_app.command("list")
def list_rules(ctx: typer.Context, dataset_id: DatasetArg, as_json: JsonOption = False) -> None:
    """The dataset's rules."""
    with open_database(ctx).session() as session:
        rules = declarations.list_rules(session, dataset_id)
    if as_json:
        echo_json(rules)
        return
    for rule in rules:
        typer.echo(
            f"{rule.id:>4} {rule.kind:<17} {','.join(rule.fields):<24} {rule.severity:<5} "
            f"{rule.params}"
        )


@rule_app.command("remove")
def remove_rule(
    ctx: typer.Context,
    dataset_id: DatasetArg,
    rule_id: Annotated[int, typer.Argument(metavar="RULE")],
) -> None:
    """Remove a rule (results already stored keep a copy of it)."""
    with open_database(ctx).session() as session:
        declarations.remove_rule(session, dataset_id, rule_id)
    typer.echo(f"Removed rule {rule_id} from {dataset_id}")


@app.command("settings")
def settings(
    ctx: typer.Context,
    dataset_id: DatasetArg,
    key: Annotated[
        list[str] | None, typer.Option(help="Key field (repeat); replaces the key")
    ] = None,
    clear_key: Annotated[bool, typer.Option(help="Forget the key")] = False,
    date_field: Annotated[
        str | None, typer.Option(help="Field whose newest date is the data's last date")
    ] = None,
    clear_date_field: Annotated[
        bool, typer.Option(help="Use the newest of all date fields")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Show or declare the dataset's key and date field."""
    with open_database(ctx).session() as session:
        found = declarations.update_settings(
            session,
            dataset_id,
            key_fields=key,
            date_field=date_field,
            clear_key=clear_key,
            clear_date=clear_date_field,
        )
    if as_json:
        echo_json(found)
        return
    typer.echo(
        f"{found.dataset_id}: key {','.join(found.key_fields) or '(none)'}; "
        f"date field {found.date_field or '(the newest of the date fields)'}"
    )


@app.command("freshness")
def freshness(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Per agency, the share of published datasets updated on schedule."""
    with open_database(ctx).session() as session:
        found = summary.freshness_report(session)
    if as_json:
        echo_json(found)
        return
    typer.echo(f"{'agency':<10} {'scheduled':>9} {'on time':>7} {'overdue':>7} {'percent':>8}")
    for agency in found.agencies:
        typer.echo(
            f"{agency.agency:<10} {agency.scheduled:>9} {agency.on_schedule:>7} "
            f"{agency.overdue:>7} {_percent(agency.percent_on_schedule):>8}"
        )
        for item in agency.items:
            typer.echo(f"{'':<12}{item.id}  {item.freshness.label}")
    typer.echo(
        f"{'state':<10} {found.scheduled:>9} {found.on_schedule:>7} {'':>7} "
        f"{_percent(found.percent_on_schedule):>8}"
    )


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


@feedback_app.command("list")
def feedback_list(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="Agency slug (its stewards' queue)")] = None,
    dataset: Annotated[str | None, typer.Option(help="Dataset id")] = None,
    status: Annotated[
        str, typer.Option(help="open, all, new, acknowledged, fixed or wont_fix")
    ] = "open",
    as_json: JsonOption = False,
) -> None:
    """Reports in the queue, oldest first (open ones by default)."""
    with open_database(ctx).session() as session:
        items = feedback.queue(session, agency=agency, dataset_id=dataset, status=status)
    if as_json:
        echo_json(items)
        return
    for item in items:
        _print_item(item)


def _print_item(item: FeedbackItem) -> None:
    where = " ".join(part for part in (item.field or "", item.row_reference or "") if part)
    typer.echo(
        f"#{item.id} {item.status:<12} {item.dataset_id} ({item.agency}) "
        f"{item.created_at:%Y-%m-%d %H:%M}{' ' + where if where else ''}"
        f"{' <' + item.email + '>' if item.email else ''}"
    )
    typer.echo(f"    {item.message}"[:400])


@feedback_app.command("set")
def feedback_set(
    ctx: typer.Context,
    report_id: Annotated[int, typer.Argument(metavar="REPORT")],
    status: Annotated[
        str, typer.Argument(metavar="STATUS", help="acknowledged, fixed or wont_fix")
    ],
    version: Annotated[
        int | None, typer.Option("--version", help="The version that fixed it")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why it will not be fixed")] = None,
    note: Annotated[str, typer.Option(help="A note the reporter sees")] = "",
    by: ByOption = "cli",
    as_json: JsonOption = False,
) -> None:
    """Acknowledge a report, mark it fixed in a version, or close it as won't fix."""
    data = FeedbackUpdate.model_validate(
        {"status": status, "fixed_in_version": version, "reason": reason, "note": note}
    )
    with open_database(ctx).session() as session:
        item = feedback.set_status(session, report_id, data, by)
    if as_json:
        echo_json(item)
        return
    _print_item(item)


@feedback_app.command("times")
def feedback_times(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Per agency: reports, open ones, median hours to a first response and to resolution."""
    with open_database(ctx).session() as session:
        found = summary.response_times(session)
    if as_json:
        echo_json(found)
        return
    typer.echo(
        f"{'agency':<10} {'reports':>7} {'open':>5} {'to response h':>13} {'to resolution h':>15}"
    )
    for agency in found.agencies:
        typer.echo(
            f"{agency.agency:<10} {agency.reports:>7} {agency.open:>5} "
            f"{_hours(agency.median_hours_to_response):>13} "
            f"{_hours(agency.median_hours_to_resolution):>15}"
        )


def _hours(value: Any) -> str:
    return "-" if value is None else f"{value:.1f}"
