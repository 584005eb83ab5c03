"""Migration 0008 creates exactly the inventory tables the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from steward.db import Database
from steward.db.base import Base
from steward.db.models import import_all_models


def test_the_migration_matches_the_tables(database: Database) -> None:
    import_all_models()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in differences if "inventory_" in str(d)] == []
    assert {"inventory_cycle", "inventory_asset"} <= set(Base.metadata.tables)
