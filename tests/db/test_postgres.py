"""What only PostgreSQL can show: the migrations and constraints on a real server.

The catalog repository tests run on PostgreSQL too, through the `database` fixture's
`postgres` parameter (skipped with the reason when STEWARD_TEST_POSTGRES_URL is unset).
"""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from steward.catalog.models import Agency, Dataset, DatasetVersion
from steward.db import Database

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(postgres_url: str) -> Database:
    database = Database(postgres_url)
    database.migrate()
    return database


def test_migrations_create_the_catalog_tables_and_are_idempotent(pg: Database) -> None:
    pg.migrate()
    tables = set(inspect(pg.engine).get_table_names())
    assert {"agency", "dataset", "field", "dataset_version", "alembic_version"} <= tables
    pg.dispose()


def test_only_one_current_version_per_dataset(pg: Database) -> None:
    with pg.session() as session:
        agency = Agency(slug="dph", name="DPH")
        session.add(agency)
        session.flush()
        session.add(Dataset(id="abcd-1234", title="x", agency_id=agency.id))
    version = {
        "path": "p",
        "row_count": 1,
        "byte_size": 1,
        "sha256": "0" * 64,
        "schema": [],
        "source_filename": "f",
        "created_by": "t",
        "dataset_id": "abcd-1234",
    }
    with pytest.raises(IntegrityError), pg.session() as session:
        session.add(DatasetVersion(number=1, is_current=True, **version))
        session.add(DatasetVersion(number=2, is_current=True, **version))
    pg.dispose()
