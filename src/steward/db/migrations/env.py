"""Alembic environment: the engine comes from Steward (config.attributes), not an ini file."""

from __future__ import annotations

from alembic import context

from steward.db.base import Base
from steward.db.models import import_all_models

import_all_models()
target_metadata = Base.metadata


def run_migrations() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
