"""Acceptance: the medical examiner's dataset is proposed as Personal and cannot be published
as is; the demo's four public datasets still load, assessed and published."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM
from steward.accounts.schemas import RoleGrant, TokenCreate, UserCreate
from steward.app import create_app
from steward.catalog import service as catalog
from steward.catalog.schemas import DatasetUpdate
from steward.classification import service
from steward.config import Settings
from steward.db import Database
from steward.db.base import Base
from steward.db.models import import_all_models
from steward.demo.loader import load_demo
from steward.errors import Conflict

OCME = "rybz-nyjw"
PUBLIC = {"28fr-iqnx", "7rne-efic", "dphp-0pop", "5w85-2euh"}
IDENTIFYING = [
    "casenumber",
    "age",
    "race",
    "sex",
    "residence_city",
    "residence_county",
    "death_city",
    "death_county",
    "injuryplace",
]


def test_the_migration_matches_the_tables(database: Database) -> None:
    import_all_models()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in differences if "classification_" in str(d)] == []


def test_the_medical_examiners_deaths_are_personal_and_stay_closed(
    database: Database, settings: Settings
) -> None:
    settings.database_url = database.url
    load_demo(database, settings.data_dir)
    with database.session() as session:
        ids = [*sorted(PUBLIC), OCME]
        assert service.statuses(session, ids) == dict.fromkeys(ids, "current")
        for dataset_id in PUBLIC:
            found = catalog.get_dataset(session, dataset_id)
            assert (found.status, found.access_level, found.classification) == (
                "published",
                "public",
                "public",
            )
        found = service.get_classification(session, SYSTEM, settings.data_dir, OCME)
    assert (found.dataset_status, found.access_level, found.level) == (
        "published",
        "non-public",
        "personal",
    )
    assert found.proposal is not None and found.proposal.level == "personal"
    assert found.proposal.reasons[0] == "direct identifiers: casenumber"
    fields = {field.name: field for field in found.fields}
    for name in IDENTIFYING:
        proposal = fields[name].proposal
        assert proposal is not None and proposal.level == "personal", name
    assert fields["casenumber"].proposal.reason.startswith("direct identifier")  # type: ignore[union-attr]
    assert "person-level rows" in fields["residence_city"].proposal.reason  # type: ignore[union-attr]
    assert not found.publishable
    assert found.assessment is not None and "case number" in found.assessment.rationale

    # Publishing it with access public is refused: the gate lists the reasons.
    refused = "cannot be made public: the dataset is classified Personal"
    with pytest.raises(Conflict, match=refused), database.session() as session:
        catalog.set_status(session, SYSTEM, OCME, "retired")
        catalog.update_dataset(session, SYSTEM, OCME, DatasetUpdate(access_level="public"))
        catalog.set_status(session, SYSTEM, OCME, "published")

    # And through the API: opening it to the public answers 409 with the personal fields.
    with database.session() as session:
        grant = RoleGrant(role="steward", agency="ocme")
        user = UserCreate(email="steward@ocme.ct.gov", name="Sam", roles=[grant])
        accounts.create_user(session, SYSTEM, user)
        actor = accounts.actor_by_email(session, "steward@ocme.ct.gov")
        token = accounts.create_token(session, actor, TokenCreate(name="t")).token
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(settings)) as client:
        response = client.patch(
            f"/api/v1/datasets/{OCME}", json={"access_level": "public"}, headers=headers
        )
        assert response.status_code == 409, response.text
        message = response.json()["error"]["message"]
        assert "casenumber (Personal)" in message and "age (Personal)" in message
        shown = client.get(f"/api/v1/datasets/{OCME}").json()
        assert (shown["access_level"], shown["classification"]) == ("non-public", "personal")
        rows = client.get(f"/api/v1/datasets/{OCME}/query", params={"$limit": 1})
        assert rows.status_code in (401, 403)
