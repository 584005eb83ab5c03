"""Stored suppression policies: versions, who may write them, and the migration."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from steward.accounts.policy import ANONYMOUS, SYSTEM, Actor
from steward.catalog import service as catalog
from steward.catalog.schemas import AgencyCreate
from steward.db import Database
from steward.db.base import Base
from steward.db.models import import_all_models
from steward.errors import Conflict, Invalid, NotAuthenticated, NotAuthorized
from steward.privacy import service
from steward.privacy.schemas import PolicyCreate


def test_the_migration_matches_the_tables(database: Database) -> None:
    import_all_models()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in differences if "privacy_" in str(d)] == []


def test_policies_are_versioned_and_checked(database: Database) -> None:
    with database.session() as session:
        catalog.create_agency(session, SYSTEM, AgencyCreate(slug="dph", name="DPH"))
        agency_id = catalog.get_agency(session, "dph").id
        ado = Actor(1, "Ada", "ado@dph.ct.gov", frozenset({(agency_id, "ado")}))
        steward = Actor(2, "Sam", "steward@dph.ct.gov", frozenset({(agency_id, "steward")}))
        rules = {"max_suppressed": 5, "footnote": "Counts under 6 are suppressed."}
        first = service.create_policy(
            session,
            ado,
            PolicyCreate(name="dph_vital", agency="dph", data_type="vital", rules=rules),
        )
        assert (first.version, first.agency, first.is_model) == (1, "dph", False)
        second = service.create_policy(
            session, ado, PolicyCreate(name="dph_vital", agency="dph", rules={"max_suppressed": 10})
        )
        assert second.version == 2
        assert service.resolve_policy(session, "dph_vital").max_suppressed == 10
        assert service.stored_policy(session, "dph_vital", 1)[0].max_suppressed == 5
        assert [p.version for p in service.policy_versions(session, "dph_vital")] == [1, 2]
        names = [p.name for p in service.list_policies(session)]
        assert names[:3] == ["cms", "ct_sde", "ct_dph"] and "dph_vital" in names
        with pytest.raises(NotAuthorized):
            service.create_policy(session, steward, PolicyCreate(name="x", agency="dph"))
        with pytest.raises(NotAuthenticated):
            service.create_policy(session, ANONYMOUS, PolicyCreate(name="x", agency="dph"))
        with pytest.raises(NotAuthorized):  # the model policy is the CDO's
            service.create_policy(session, ado, PolicyCreate(name="model"))
        model = service.create_policy(session, SYSTEM, PolicyCreate(name="model"))
        assert model.is_model and model.agency is None
        with pytest.raises(Conflict):
            service.create_policy(session, SYSTEM, PolicyCreate(name="cms"))
        with pytest.raises(Invalid, match="unknown policy field"):
            service.create_policy(
                session, ado, PolicyCreate(name="y", agency="dph", rules={"minimum": 3})
            )
        with pytest.raises(Invalid, match="protection"):
            service.create_policy(
                session, ado, PolicyCreate(name="y", agency="dph", rules={"protection": 0})
            )
