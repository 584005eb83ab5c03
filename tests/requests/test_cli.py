"""`steward request ...`: filing, the queue and every transition from the command line, each
acting as its person; reminders, metrics, the outbox and the holiday calendar."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from steward.cli.main import app

from .conftest import World

Run = Callable[..., str]
ADO, CDO = "ado@dph.ct.gov", "cdo@ct.gov"


@pytest.fixture
def steward(world: World) -> Run:
    """`steward(*args, as_=EMAIL, ok=True)` runs the CLI on the world's store."""
    runner = CliRunner()

    def run(*args: str, as_: str | None = None, ok: bool = True) -> str:
        root = ["--data-dir", str(world.settings.data_dir), "--database-url", world.database.url]
        acting = ["--as", as_] if as_ else []
        result = runner.invoke(app, [*root, *acting, *args])
        assert (result.exit_code == 0) is ok, result.output
        return result.output

    return run


def file(steward: Run, *extra: str) -> dict:  # type: ignore[type-arg]
    output = steward(
        "request",
        "new",
        "--title",
        "Clinic inspections by town",
        "--description",
        "Every inspection of a licensed clinic since 2015.",
        "--purpose",
        "To map where inspections find problems.",
        "--name",
        "Pat Reyes",
        "--email",
        "pat.reyes@example.org",
        "--agency",
        "dph",
        "--json",
        *extra,
    )
    return json.loads(output)  # type: ignore[no-any-return]


def test_a_request_worked_from_the_command_line(steward: Run) -> None:
    filed = file(steward)
    number = str(filed["request"]["id"])
    assert filed["follow_path"].startswith("/requests/follow/")
    queue = steward("request", "list", as_=ADO)
    assert f"#{number}" in queue and "Clinic inspections by town" in queue
    refused = steward("request", "list", as_="steward@dph.ct.gov", ok=False)
    assert refused.startswith("Error: request.view data requests needs the ado role")
    assert "Pat Reyes" not in steward("request", "list", "--public", "--json")
    shown = steward("request", "show", number, as_=ADO)
    assert "from Pat Reyes <pat.reyes@example.org>" in shown
    assert "acknowledged" in steward("request", "ack", number, "--note", "On it", as_=ADO)
    assert "already" not in steward("request", "update", number, "--note", "Pulling", as_=ADO)
    conflict = steward("request", "ack", number, as_=ADO, ok=False)
    assert "Error: data request 1 is in progress; it cannot be acknowledged now" in conflict
    no_link = steward("request", "fulfil", number, as_=ADO, ok=False)
    assert "needs a link" in no_link
    done = steward("request", "fulfil", number, "--dataset", "clin-0001", as_=ADO)
    assert "fulfilled" in done
    history = steward("request", "show", number, "--json", as_=CDO)
    assert [e["status"] for e in json.loads(history)["events"]] == [
        "received",
        "acknowledged",
        "in_progress",
        "fulfilled",
    ]


def test_decline_and_refer(steward: Run) -> None:
    first = str(file(steward)["request"]["id"])
    second = str(file(steward)["request"]["id"])
    assert "reason" in steward("request", "decline", first, "--reason", " ", as_=ADO, ok=False)
    assert "declined" in steward("request", "decline", first, "--reason", "Not kept", as_=ADO)
    referred = steward("request", "refer", second, "--to", "ocme", as_=ADO)
    assert "referred" in referred and "ocme" in referred
    outsider = steward("request", "show", second, as_=ADO, ok=False)
    assert outsider.startswith("Error: request.view data request")
    assert "ocme" in steward("request", "show", second, as_="ado@ocme.ct.gov")


def test_reminders_metrics_and_the_outbox(steward: Run) -> None:
    filed = file(steward)
    received = filed["request"]["clock"]["received_on"]
    due = filed["request"]["clock"]["ack_due"]
    late = json.loads(steward("request", "remind", "--at", f"{due}T12:00:00-04:00", "--json"))
    assert (late["checked"], late["queued"], late["sent"]) == (1, 1, 0)
    again = json.loads(steward("request", "remind", "--at", f"{due}T15:00:00-04:00", "--json"))
    assert (again["queued"], again["already_reminded"]) == (0, 1)
    assert "not an ISO 8601 time" in steward("request", "remind", "--at", "soon", ok=False)
    outbox = steward("request", "outbox", as_=ADO)
    assert "Reminder: data request #1" in outbox and "not sent" in outbox
    assert json.loads(steward("request", "outbox", "--unsent", "--json", as_=ADO))
    assert "stay in the outbox" in steward("request", "send")
    metrics = json.loads(steward("request", "metrics", "--json"))
    assert metrics["agencies"][0]["agency"] == "dph" and metrics["state"]["received"] == 1
    assert received <= due
    table = steward("request", "metrics")
    assert table.splitlines()[2].startswith("dph")


def test_the_holiday_calendar(steward: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEWARD_REQUEST_EXTRA_HOLIDAYS", "2026-12-24,2026-12-31")
    listed = steward("request", "holidays", "2026")
    assert "2026-07-03  Fri  Independence Day (observed)" in listed
    assert "2026-12-24  Thu  Closed" in listed and "2026-12-31  Thu  Closed" in listed
    assert "2027-12-31  Fri  New Year's Day (observed)" in steward("request", "holidays", "2027")
