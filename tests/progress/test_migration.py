"""Migration 0014 creates exactly the progress tables the models declare, and goes down and up."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from steward.db import Database
from steward.db.base import Base
from steward.db.models import import_all_models

TABLES = {"reporting_period", "progress_report"}


def test_the_migration_matches_the_tables(database: Database) -> None:
    import_all_models()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in differences if any(name in str(d) for name in TABLES)] == []
    assert set(Base.metadata.tables) >= TABLES


def test_the_migration_goes_down_and_up(database: Database) -> None:
    from steward.db.migrate import alembic_config

    config = alembic_config(database.engine)
    command.downgrade(config, "0013")
    assert not TABLES & set(inspect(database.engine).get_table_names())
    command.upgrade(config, "head")
    assert set(inspect(database.engine).get_table_names()) >= TABLES
