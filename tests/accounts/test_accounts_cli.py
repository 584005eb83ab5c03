"""`steward user ...` and `steward token ...` on a store with agencies dph and opm, as the local
operator (the system) and as people (`--as EMAIL`)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from steward.accounts import service
from steward.cli.main import app
from steward.config import Settings
from steward.db import Database

from .conftest import PASSWORD

Run = Callable[..., Result]


@pytest.fixture
def steward(store: Database, settings: Settings) -> Run:
    runner = CliRunner()
    where = ["--data-dir", str(settings.data_dir), "--database-url", store.url]

    def run(*args: str, ok: bool = True, password: str | None = None) -> Result:
        env = {"STEWARD_PASSWORD": password} if password else {}
        result = runner.invoke(app, [*where, *args], env={"STEWARD_AS": None, **env})
        assert (result.exit_code == 0) is ok, result.output
        return result

    return run


def test_the_operator_sets_up_people_who_then_act_as_themselves(
    steward: Run, store: Database
) -> None:
    added = steward(
        "user", "add", "cdo@ct.gov", "--name", "Chief", "--role", "cdo", password=PASSWORD
    )
    assert "cdo@ct.gov" in added.stdout and "cdo" in added.stdout
    steward(
        "--as",
        "cdo@ct.gov",
        "user",
        "add",
        "ado@dph.ct.gov",
        "--name",
        "Ada",
        "--agency",
        "dph",
        "--role",
        "ado@dph",
        "--no-password",
    )
    steward(
        "--as",
        "ado@dph.ct.gov",
        "user",
        "add",
        "sam@dph.ct.gov",
        "--name",
        "Sam",
        "--agency",
        "dph",
        "--role",
        "analyst@dph",
        "--role",
        "steward@dph",
        "--no-password",
    )
    listed = json.loads(steward("user", "list", "--json").stdout)
    assert {u["email"]: len(u["roles"]) for u in listed} == {
        "ado@dph.ct.gov": 1,
        "cdo@ct.gov": 1,
        "sam@dph.ct.gov": 2,
    }
    dph = steward("--as", "sam@dph.ct.gov", "user", "list", "--agency", "dph").stdout
    assert "sam@dph.ct.gov" in dph and "steward@dph" in dph and "cdo@ct.gov" not in dph
    with store.session() as session:
        user = service.get_user(session, service.actor_by_email(session, None), "sam@dph.ct.gov")
        assert [r.granted_by for r in user.roles] == ["ado@dph.ct.gov", "ado@dph.ct.gov"]


def test_roles_are_given_taken_and_refused(steward: Run) -> None:
    steward("user", "add", "ado@dph.ct.gov", "--name", "Ada", "--role", "ado@dph", "--no-password")
    steward("user", "add", "sam@dph.ct.gov", "--name", "Sam", "--agency", "dph", "--no-password")
    ado = ("--as", "ado@dph.ct.gov")
    assert "steward@dph" in steward(*ado, "user", "grant", "sam@dph.ct.gov", "steward@dph").stdout
    for role, message in [("analyst@opm", "people.manage"), ("cdo", "the CDO")]:
        refused = steward(*ado, "user", "grant", "sam@dph.ct.gov", role, ok=False)
        assert refused.stderr.startswith("Error: ") and message in refused.stderr
        assert "Traceback" not in refused.output
    taken = steward(*ado, "user", "revoke", "sam@dph.ct.gov", "steward@dph")
    assert "steward@dph" not in taken.stdout
    again = steward(*ado, "user", "revoke", "sam@dph.ct.gov", "steward@dph", ok=False)
    assert "does not hold steward in dph" in again.stderr
    assert "role" in steward("user", "grant", "sam@dph.ct.gov", "boss@dph", ok=False).stderr


def test_deactivate_activate_and_set_password(steward: Run, store: Database) -> None:
    steward(
        "user", "add", "sam@dph.ct.gov", "--name", "Sam", "--role", "analyst@dph", password=PASSWORD
    )
    assert "(deactivated)" in steward("user", "deactivate", "sam@dph.ct.gov").stdout
    refused = steward("--as", "sam@dph.ct.gov", "token", "list", ok=False)
    assert "deactivated" in refused.stderr
    assert "(deactivated)" not in steward("user", "activate", "sam@dph.ct.gov").stdout
    steward("user", "set-password", "sam@dph.ct.gov", password="a-new-passphrase")
    with store.session() as session:
        assert service.authenticate(session, "sam@dph.ct.gov", "a-new-passphrase")
    short = steward("user", "set-password", "sam@dph.ct.gov", password="short", ok=False)
    assert "at least 10 characters" in short.stderr
    steward("user", "add", "ado@dph.ct.gov", "--name", "Ada", "--role", "ado@dph", "--no-password")
    denied = steward(
        "--as",
        "ado@dph.ct.gov",
        "user",
        "set-password",
        "sam@dph.ct.gov",
        password="ado-chosen-1",
        ok=False,
    )
    assert "Error:" in denied.stderr


def test_tokens_from_the_command_line(steward: Run, store: Database) -> None:
    steward(
        "user", "add", "sam@dph.ct.gov", "--name", "Sam", "--role", "steward@dph", "--no-password"
    )
    sam = ("--as", "sam@dph.ct.gov")
    made = steward(*sam, "token", "create", "nightly load", "--days", "30")
    secret = made.stdout.strip()
    assert secret.startswith("stw_") and "expires" in made.stderr
    with store.session() as session:
        found = service.actor_for_token(session, secret)
        assert found is not None and found.email == "sam@dph.ct.gov"
    listed = json.loads(steward(*sam, "token", "list", "--json").stdout)
    assert [(t["name"], t["status"]) for t in listed] == [("nightly load", "active")]
    assert secret not in steward(*sam, "token", "list").stdout
    assert "revoked" in steward(*sam, "token", "revoke", str(listed[0]["id"])).stdout
    assert (
        "no token" in steward("--as", "sam@dph.ct.gov", "token", "revoke", "999", ok=False).stderr
    )
    assert "--as EMAIL" in steward("token", "create", "mine", ok=False).stderr
    assert "no user" in steward("--as", "nobody@ct.gov", "token", "list", ok=False).stderr
    steward(*sam, "token", "create", "x", "--days", "0", ok=False)


def test_bad_input_is_one_line(steward: Run) -> None:
    bad = steward("user", "add", "not-an-email", "--name", "X", "--no-password", ok=False)
    assert bad.stderr.startswith("Error: email") and "Traceback" not in bad.output
    steward("user", "add", "sam@dph.ct.gov", "--name", "Sam", "--no-password")
    again = steward("user", "add", "SAM@dph.ct.gov", "--name", "Sam", "--no-password", ok=False)
    assert "exists" in again.stderr
    assert (
        "no agency 'nope'"
        in steward(
            "user", "add", "x@y.gov", "--name", "X", "--agency", "nope", "--no-password", ok=False
        ).stderr
    )
