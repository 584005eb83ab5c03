"""`steward progress ...`: reporting periods, agency progress reports and the CDO dashboard.

Every command acts as `--as EMAIL` (the system without it) and is checked by the same policy as
the web: the CDO opens periods, reviews reports and sees the dashboard; an agency's ADO writes
the narrative and submits; the agency's staff read its report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steward.cli.common import actor_of, echo_json, open_database, settings_of
from steward.progress import reports, service
from steward.progress.schemas import (
    Figures,
    NarrativeUpdate,
    PeriodCreate,
    ReportPublic,
    ReportReturn,
    Trend,
)

app = typer.Typer(
    help="Progress reports and the CDO dashboard (act with --as EMAIL).", no_args_is_help=True
)
period_app = typer.Typer(help="Reporting periods (the CDO opens them).", no_args_is_help=True)
report_app = typer.Typer(help="An agency's progress report.", no_args_is_help=True)
app.add_typer(period_app, name="period")
app.add_typer(report_app, name="report")
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
PeriodId = Annotated[int, typer.Argument(metavar="PERIOD", help="Period id (see `period list`)")]
Agency = Annotated[str, typer.Argument(help="Agency slug, e.g. dph")]
Day = Annotated[str, typer.Option(help="YYYY-MM-DD")]


def print_figures(figures: Figures) -> None:
    for item in figures.figures:
        typer.echo(f"  [{item.goal}] {item.label}: {item.display}  ({item.detail})")


def print_trends(trends: list[Trend]) -> None:
    """Each key figure by reporting period, oldest first."""
    if not trends:
        typer.echo("Key figures by reporting period: no period has stored figures yet")
        return
    typer.echo("Key figures by reporting period:")
    for trend in trends:
        shown = " · ".join(f"{point.period} {point.display}" for point in trend.points)
        typer.echo(f"  [{trend.goal}] {trend.label}: {shown}")


@period_app.command("open")
def open_period(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="e.g. 'FY 2026'")],
    start: Day,
    end: Day,
    due: Day,
    as_json: JsonOption = False,
) -> None:
    """Open a reporting period: every agency gets a report pre-filled with its figures (cdo)."""
    data = PeriodCreate.model_validate(
        {"name": name, "starts_on": start, "ends_on": end, "due_on": due}
    )
    with open_database(ctx).session() as session:
        period = service.open_period(session, actor_of(ctx, session), settings_of(ctx), data)
    if as_json:
        echo_json(period)
        return
    typer.echo(f"Opened period {period.id} ({period.name}): {len(period.reports)} reports")


@period_app.command("list")
def list_periods(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Reporting periods, with the reports you may see."""
    with open_database(ctx).session() as session:
        periods = service.list_periods(session, actor_of(ctx, session), settings_of(ctx))
    if as_json:
        echo_json(periods)
        return
    for p in periods:
        counts = ", ".join(f"{n} {s}" for s, n in p.status_counts.items() if n)
        typer.echo(
            f"{p.id:>3}  {p.name:<16} {p.starts_on} to {p.ends_on}  due {p.due_on}  {counts}"
        )


@period_app.command("refresh")
def refresh_period(ctx: typer.Context, period: PeriodId) -> None:
    """Measure the figures again (state-wide and reports still editable) (cdo)."""
    with open_database(ctx).session() as session:
        found = service.refresh_period(session, actor_of(ctx, session), settings_of(ctx), period)
    typer.echo(f"Measured the figures of {found.name} again")


def _show(report: ReportPublic, as_json: bool) -> None:
    if as_json:
        echo_json(report)
        return
    typer.echo(
        f"{report.agency_name}, {report.period_name}: {report.status}"
        + (" (overdue)" if report.overdue else "")
    )
    if report.review_comment and report.status == "returned":
        typer.echo(f"Returned: {report.review_comment}")
    print_figures(report.figures)
    if report.previous_period:
        typer.echo(f"Since the report of {report.previous_period}:")
        for change in report.changes:
            typer.echo(f"  [{change.goal}] {change.label}: {change.text}")
    for goal in report.goals:
        typer.echo(f"{goal.title}: {report.narratives.get(goal.id) or '(no narrative yet)'}")


@report_app.command("show")
def show(ctx: typer.Context, period: PeriodId, agency: Agency, as_json: JsonOption = False) -> None:
    """An agency's report: figures and narrative (analyst)."""
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        found = reports.get_report(session, actor, settings_of(ctx), period, agency)
    _show(found, as_json)


@report_app.command("narrative")
def narrative(
    ctx: typer.Context,
    period: PeriodId,
    agency: Agency,
    goal: Annotated[str, typer.Option(help="manage, publish, quality, respond or use")],
    text: Annotated[str, typer.Option(help="The narrative of that goal")],
) -> None:
    """Write the narrative of one goal (ado)."""
    data = NarrativeUpdate(narratives={goal: text})
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        reports.save_narratives(session, actor, settings_of(ctx), period, agency, data)
    typer.echo(f"Saved the narrative of {goal}")


@report_app.command("refresh")
def refresh(ctx: typer.Context, period: PeriodId, agency: Agency) -> None:
    """Measure the agency's figures again (ado)."""
    with open_database(ctx).session() as session:
        reports.refresh_report(session, actor_of(ctx, session), settings_of(ctx), period, agency)
    typer.echo("Measured the figures again")


@report_app.command("submit")
def submit(ctx: typer.Context, period: PeriodId, agency: Agency) -> None:
    """Submit the report to the CDO (ado)."""
    with open_database(ctx).session() as session:
        found = reports.submit_report(session, actor_of(ctx, session), period, agency)
    typer.echo(f"Submitted the report of {found.agency_name}")


@report_app.command("return")
def return_report(
    ctx: typer.Context,
    period: PeriodId,
    agency: Agency,
    comment: Annotated[str, typer.Option(help="What the agency should change")],
) -> None:
    """Return a submitted report to the agency with a comment (cdo)."""
    with open_database(ctx).session() as session:
        found = reports.return_report(
            session, actor_of(ctx, session), period, agency, ReportReturn(comment=comment)
        )
    typer.echo(f"Returned the report of {found.agency_name}")


@report_app.command("accept")
def accept(ctx: typer.Context, period: PeriodId, agency: Agency) -> None:
    """Accept a submitted report (cdo)."""
    with open_database(ctx).session() as session:
        found = reports.accept_report(session, actor_of(ctx, session), period, agency)
    typer.echo(f"Accepted the report of {found.agency_name}")


@report_app.command("pdf")
def pdf(
    ctx: typer.Context,
    period: PeriodId,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the PDF")],
    agency: Annotated[
        str | None, typer.Option(help="One agency (analyst); else the state (cdo)")
    ] = None,
) -> None:
    """Write a report as PDF with charts: the state-wide one, or one agency's."""
    with open_database(ctx).session() as session:
        actor = actor_of(ctx, session)
        if agency is None:
            _, content = reports.state_pdf(session, actor, period)
        else:
            _, content = reports.report_pdf(session, actor, settings_of(ctx), period, agency)
    temporary = output.with_name(output.name + ".part")
    temporary.write_bytes(content)
    temporary.replace(output)
    typer.echo(f"Wrote {output} ({len(content):,} bytes)")


@app.command("dashboard")
def dashboard(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option(help="One agency's drill-down (ado)")] = None,
    as_json: JsonOption = False,
) -> None:
    """The CDO dashboard's figures (cdo), or one agency's (ado)."""
    with open_database(ctx).session() as session:
        actor, settings = actor_of(ctx, session), settings_of(ctx)
        if agency is not None:
            one = service.agency_dashboard(session, actor, settings, agency)
            if as_json:
                echo_json(one)
                return
            typer.echo(f"{one.figures.name}, measured {one.figures.as_of}")
            print_figures(one.figures)
            print_trends(one.trends)
            return
        board = service.dashboard(session, actor, settings)
    if as_json:
        echo_json(board)
        return
    typer.echo(f"State-wide, measured {board.state.as_of}")
    print_figures(board.state)
    print_trends(board.trends)
    for item in board.agencies:
        typer.echo(f"{item.name}")
        print_figures(item)
