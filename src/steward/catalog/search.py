"""Full-text search over the catalog: title, keywords, category, description, agency, field names
and field descriptions. SQLite FTS5 (bm25) in the embedded store, PostgreSQL full text (ts_rank)
in production.

The index follows every write: a session hook re-indexes each dataset whose row or dictionary
changed in a flush, so no write path can forget to. The same hooks count committed catalog
changes (`catalog_version`), which is what cached facet counts are keyed by.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from itertools import chain

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction

from steward.catalog.models import Agency, Dataset, DatasetVersion, Field

WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 16
CATALOG_MODELS = (Agency, Dataset, DatasetVersion, Field)
_CHANGED = "steward_catalog_changed"  # session.info: this transaction flushed catalog rows
_SEEN = "steward_catalog_version"  # session.info: the catalog version when it began
MEMO = "steward_listing_memo"  # session.info: results reused within a transaction until a flush


class _Counter:
    """Committed catalog changes in this process, so caches can tell they are out of date."""

    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.value += 1


_commits = _Counter()


def search_terms(q: str | None) -> list[str]:
    """The words of a search, lower-cased, without punctuation (kept out of the FTS syntax)."""
    return [word.lower() for word in WORD.findall(q or "")][:MAX_TERMS]


def document(dataset: Dataset) -> tuple[str, str, str]:
    keywords = " ".join([*(dataset.keywords or []), dataset.category or ""])
    parts = [dataset.description, dataset.agency.name if dataset.agency else "", dataset.id]
    for field in dataset.fields:
        parts += [field.name.replace("_", " "), field.label, field.description or ""]
    return dataset.title, keywords, "\n".join(part for part in parts if part)


def reindex(connection: Connection, datasets: Iterable[Dataset]) -> None:
    postgres = connection.dialect.name == "postgresql"
    for dataset in datasets:
        title, keywords, body = document(dataset)
        connection.execute(
            text("DELETE FROM dataset_fts WHERE dataset_id = :id"), {"id": dataset.id}
        )
        if postgres:
            connection.execute(
                text(
                    "INSERT INTO dataset_fts (dataset_id, document) VALUES (:id,"
                    " setweight(to_tsvector('english', :title), 'A') ||"
                    " setweight(to_tsvector('english', :keywords), 'B') ||"
                    " setweight(to_tsvector('english', :body), 'C'))"
                ),
                {"id": dataset.id, "title": title, "keywords": keywords, "body": body},
            )
        else:
            connection.execute(
                text(
                    "INSERT INTO dataset_fts (dataset_id, title, keywords, body)"
                    " VALUES (:id, :title, :keywords, :body)"
                ),
                {"id": dataset.id, "title": title, "keywords": keywords, "body": body},
            )


def ranked_ids(session: Session, q: str | None) -> list[str] | None:
    """Dataset ids matching every word of `q` (prefixes too), best first; None when `q` is empty."""
    terms = search_terms(q)
    if not terms:
        return None
    if session.get_bind().dialect.name == "postgresql":
        query = " & ".join(f"{term}:*" for term in terms)
        rows = session.execute(
            text(
                "SELECT dataset_id FROM dataset_fts"
                " WHERE document @@ to_tsquery('english', :q)"
                " ORDER BY ts_rank(document, to_tsquery('english', :q)) DESC, dataset_id"
            ),
            {"q": query},
        )
    else:
        query = " AND ".join(f'"{term}"*' for term in terms)
        rows = session.execute(
            text(
                "SELECT dataset_id FROM dataset_fts WHERE dataset_fts MATCH :q"
                " ORDER BY bm25(dataset_fts, 0.0, 10.0, 4.0, 1.0), dataset_id"
            ),
            {"q": query},
        )
    return [row[0] for row in rows]


def _touched(session: Session) -> list[Dataset]:
    touched: dict[str, Dataset] = {}
    for obj in [*session.new, *session.dirty]:
        dataset = obj if isinstance(obj, Dataset) else getattr(obj, "dataset", None)
        if isinstance(obj, (Dataset, Field, DatasetVersion)) and isinstance(dataset, Dataset):
            touched[dataset.id] = dataset
    return list(touched.values())


def catalog_version(session: Session) -> int | None:
    """The catalog version this session's transaction reads (every committed change to an agency,
    dataset, field or version in this process before it began is visible to it); None while it
    has catalog changes of its own that are not committed."""
    session.connection()  # begin the transaction, so the version is the one it started at
    if session.info.get(_CHANGED) or _has_catalog_changes(session):
        return None
    seen: int | None = session.info.get(_SEEN)
    return seen


def _has_catalog_changes(session: Session) -> bool:
    pending = chain(session.new, session.dirty, session.deleted)
    return any(isinstance(obj, CATALOG_MODELS) for obj in pending)


@event.listens_for(Session, "after_begin")
def _remember_version(session: Session, _transaction: object, _connection: object) -> None:
    # Read before the transaction's first statement: whatever was committed by then is visible.
    session.info.setdefault(_SEEN, _commits.value)


@event.listens_for(Session, "after_flush")
def _remember_touched(session: Session, _context: object) -> None:
    pending = session.info.setdefault("steward_reindex", {})
    for dataset in _touched(session):
        pending[dataset.id] = dataset
    if _has_catalog_changes(session):
        session.info[_CHANGED] = True
    session.info.pop(MEMO, None)


@event.listens_for(Session, "after_commit")
def _count_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        _commits.bump()


@event.listens_for(Session, "after_transaction_end")
def _forget_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        for key in (_CHANGED, _SEEN, MEMO):
            session.info.pop(key, None)


@event.listens_for(Session, "after_flush_postexec")
def _reindex_touched(session: Session, _context: object) -> None:
    pending = session.info.pop("steward_reindex", {})
    if pending:
        reindex(session.connection(), pending.values())
