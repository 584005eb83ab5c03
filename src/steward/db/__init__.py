"""Metadata store: engine and session factory, declarative base, migrations."""

from steward.db.base import Base
from steward.db.engine import Database

__all__ = ["Base", "Database"]
