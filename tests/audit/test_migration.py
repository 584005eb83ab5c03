"""Migration 0016 creates exactly the audit and consent tables the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from steward.db import Database
from steward.db.base import Base
from steward.db.models import import_all_models

TABLES = {
    "audit_entry",
    "audit_head",
    "audit_checkpoint",
    "consent_program",
    "consent_record",
    "consent_key_check",
}


def test_the_migration_matches_the_tables(database: Database) -> None:
    import_all_models()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in differences if any(name in str(d) for name in TABLES)] == []
    assert set(Base.metadata.tables) >= TABLES
