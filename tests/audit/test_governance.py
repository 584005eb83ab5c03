"""Governance changes are written to the log in the transaction that makes them."""

from __future__ import annotations

from sqlalchemy import select

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.accounts.schemas import RoleGrant
from steward.audit import service
from steward.audit.models import AuditEntry
from steward.audit.schemas import AuditFilter
from steward.catalog import service as catalog
from steward.catalog import versions
from steward.classification import service as classification

from .conftest import World


def actions(world: World) -> list[tuple[str, str | None]]:
    with world.database.session() as session:
        query = select(AuditEntry.action, AuditEntry.dataset_id).order_by(AuditEntry.seq)
        return [(a, d) for a, d in session.execute(query)]


def test_publish_classification_and_roles_appear_in_the_log(world: World) -> None:
    source = world.settings.data_dir.parent / "x.csv"
    source.write_text("year,count\n2024,3\n", encoding="utf-8")
    cdo = world.actors["cdo@ct.gov"]
    with world.database.session() as session:
        versions.ingest_version(session, SYSTEM, world.settings.data_dir, "dphx-0001", source)
        classification.record_public_assessment(session, "dphx-0001", "open data", actor=cdo)
        catalog.set_status(session, cdo, "dphx-0001", "published")
        catalog.set_status(session, cdo, "dphx-0001", "retired")
        grant = RoleGrant.model_validate({"role": "steward", "agency": "dss"})
        accounts.grant_role(session, cdo, "analyst@dph.ct.gov", grant)
        accounts.revoke_role(session, cdo, "analyst@dph.ct.gov", grant)
    logged = actions(world)
    for expected in [
        ("classification.assess", "dphx-0001"),
        ("dataset.publish", "dphx-0001"),
        ("dataset.unpublish", "dphx-0001"),
        ("role.grant", None),
        ("role.revoke", None),
    ]:
        assert expected in logged
    with world.database.session() as session:
        assert service.verify(session, SYSTEM).ok
        mine = service.list_entries(session, world.actors["ado@dph.ct.gov"], AuditFilter())
        theirs = service.list_entries(session, world.actors["ado@dss.ct.gov"], AuditFilter())
    assert {e.action for e in mine.entries} >= {"dataset.publish", "classification.assess"}
    assert all(e.agency == "dph" for e in mine.entries)
    assert {e.action for e in theirs.entries} == {"role.grant", "role.revoke"}
    assert all(e.agency == "dss" for e in theirs.entries)
