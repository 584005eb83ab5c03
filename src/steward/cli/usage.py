"""`steward usage ...` (a dataset's daily use, the most used datasets) and `steward usecase ...`
(how people used datasets: list, add, approve, reject; reviewing needs a steward of the dataset's
agency or the CDO, with `--as EMAIL`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from steward.cli.common import actor_of, echo_json, open_database
from steward.errors import Invalid
from steward.usage import report, usecases
from steward.usage.schemas import UseCaseCreate, UseCaseItem, UseCaseReview
from steward.usage.service import totals

app = typer.Typer(help="Usage of datasets: views, downloads, API calls.", no_args_is_help=True)
cases = typer.Typer(help="Use cases of datasets (review with --as EMAIL).", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
DatasetId = Annotated[str, typer.Argument(help="Dataset id, e.g. 28fr-iqnx")]
UseCaseId = Annotated[int, typer.Argument(metavar="ID", help="Use case number")]


@app.command("show")
def show(
    ctx: typer.Context,
    dataset_id: DatasetId,
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD (default today)")] = None,
    as_json: JsonOption = False,
) -> None:
    """A dataset's use per day (default the last 30 days) and totals."""
    first, last = _day(start, "--start"), _day(end, "--end")
    with open_database(ctx).session() as session:
        found = report.dataset_report(session, dataset_id, first, last)
    if as_json:
        echo_json(found)
        return
    heads = ("views", "downloads", "api_calls", "rows_served", "unique_visitors_estimate")
    typer.echo(f"{'day':<10} {'views':>7} {'downl':>7} {'api':>7} {'rows':>9} {'visitors':>8}")
    for day in found.days:
        if any(getattr(day, name) for name in heads):
            typer.echo(
                f"{day.date} {day.views:>7} {day.downloads:>7} {day.api_calls:>7} "
                f"{day.rows_served:>9} {day.unique_visitors_estimate:>8}"
            )
    t = found.totals
    typer.echo(
        f"{'total':<10} {t.views:>7} {t.downloads:>7} {t.api_calls:>7} {t.rows_served:>9} "
        f"{t.unique_visitors_estimate:>8}"
    )
    typer.echo(f"downloads by format: {t.downloads_by_format or '-'}")
    typer.echo(f"API calls by family: {t.api_calls_by_family or '-'}")


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from None


@app.command("top")
def top(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(min=1, max=366, help="Days back from today")] = 30,
) -> None:
    """The most viewed datasets over the last days."""
    with open_database(ctx).session() as session:
        rows = totals(session, days=days)
    for row in rows:
        counts = f"{row.views:>7} views {row.downloads:>6} downloads {row.api_calls:>7} API calls"
        typer.echo(f"{row.dataset_id}  {counts}")


def _line(item: UseCaseItem) -> str:
    return f"#{item.id:<5} {item.status:<9} {item.dataset_id}  {item.title}"


@cases.command("list")
def list_cases(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="pending, approved, rejected or all")] = "pending",
    as_json: JsonOption = False,
) -> None:
    """Use cases of your agencies' datasets (steward, cdo)."""
    with open_database(ctx).session() as session:
        found = usecases.review_queue(session, actor_of(ctx, session), status=status)
    if as_json:
        echo_json(list(found))
        return
    for item in found:
        typer.echo(_line(item))


@cases.command("add")
def add_case(
    ctx: typer.Context,
    dataset_id: DatasetId,
    title: Annotated[str, typer.Option()],
    description: Annotated[str, typer.Option()],
    url: Annotated[str | None, typer.Option(help="Where it can be seen")] = None,
) -> None:
    """Record how a dataset was used (to be approved like any other)."""
    data = UseCaseCreate(title=title, description=description, url=url)
    with open_database(ctx).session() as session:
        item = usecases.submit(session, actor_of(ctx, session), dataset_id, data)
    typer.echo(_line(item))


def _review(ctx: typer.Context, use_case_id: int, decision: str, note: str) -> None:
    data = UseCaseReview.model_validate({"decision": decision, "note": note})
    with open_database(ctx).session() as session:
        item = usecases.review(session, actor_of(ctx, session), use_case_id, data)
    typer.echo(_line(item))


@cases.command("approve")
def approve(
    ctx: typer.Context, use_case_id: UseCaseId, note: Annotated[str, typer.Option()] = ""
) -> None:
    """Approve a use case: it is shown on the dataset's page (steward, cdo)."""
    _review(ctx, use_case_id, "approve", note)


@cases.command("reject")
def reject(
    ctx: typer.Context, use_case_id: UseCaseId, note: Annotated[str, typer.Option()] = ""
) -> None:
    """Reject a use case (steward, cdo)."""
    _review(ctx, use_case_id, "reject", note)
