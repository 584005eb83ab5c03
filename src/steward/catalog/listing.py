"""Listing, searching and faceting the catalog.

Filters narrow in SQL to a list of ids (cheap even for thousands of datasets), relevance comes from
the full-text index (`search.py`), and only the requested page is loaded as full records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, Text, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from steward.catalog import search
from steward.catalog.models import Agency, Dataset, Field
from steward.catalog.public import to_public
from steward.catalog.schemas import Page
from steward.errors import Invalid
from steward.usage.models import DatasetUsage

MAX_PAGE = 1000
USAGE_WINDOW_DAYS = 30
ORDERINGS = {
    "relevance": None,
    "views": None,
    "title": Dataset.title,
    "created": Dataset.created_at,
    "updated": Dataset.modified_at,
}
TOWN_FIELD_NAMES = ("town", "town_name", "municipality", "city", "town_number", "town_code")


@dataclass(frozen=True)
class DatasetFilter:
    """What a catalog search narrows on; every part optional and ANDed."""

    q: str | None = None
    agency: str | None = None
    status: str | None = None
    ids: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    frequencies: tuple[str, ...] = ()
    access_levels: tuple[str, ...] = ()
    has_town: bool | None = None


@dataclass(frozen=True)
class Facets:
    """Counts of the matching datasets by each facet value, most common first."""

    agency: list[tuple[str, str, int]] = field(default_factory=list)  # slug, name, count
    category: list[tuple[str, int]] = field(default_factory=list)
    keyword: list[tuple[str, int]] = field(default_factory=list)
    update_frequency: list[tuple[str, int]] = field(default_factory=list)
    access_level: list[tuple[str, int]] = field(default_factory=list)
    has_town: int = 0


def list_datasets(
    session: Session,
    *,
    q: str | None = None,
    agency: str | None = None,
    status: str | None = None,
    offset: int = 0,
    limit: int = 100,
    where: DatasetFilter | None = None,
    order: str = "title",
    descending: bool = False,
) -> Page:
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise Invalid(f"offset must be >= 0 and limit between 1 and {MAX_PAGE}")
    if order not in ORDERINGS:
        raise Invalid(f"order must be one of {', '.join(ORDERINGS)}")
    where = where or DatasetFilter(q=q, agency=agency, status=status)
    ids = matching_ids(session, where, order=order, descending=descending)
    page_ids = ids[offset : offset + limit]
    loaded = session.scalars(
        select(Dataset)
        .where(Dataset.id.in_(page_ids))
        .options(selectinload(Dataset.fields), selectinload(Dataset.versions))
    )
    by_id = {dataset.id: dataset for dataset in loaded}
    results = [to_public(by_id[dataset_id]) for dataset_id in page_ids]
    return Page(results=results, count=len(ids), offset=offset, limit=limit)


def matching_ids(
    session: Session, where: DatasetFilter, *, order: str = "title", descending: bool = False
) -> list[str]:
    """Ids of every dataset matching `where`, in the requested order (ties by id)."""
    ranked = search.ranked_ids(session, where.q)
    query = _filtered(select(Dataset.id), where, ranked)
    if order == "views":
        return list(session.scalars(_by_views(query)))
    key = ORDERINGS.get(order)
    if key is not None or ranked is None:
        key = key if key is not None else Dataset.title
        query = query.order_by(key.desc() if descending else key, Dataset.id)
        return list(session.scalars(query))
    allowed = set(session.scalars(query))
    return [dataset_id for dataset_id in ranked if dataset_id in allowed]


def _by_views(query: Select[Any]) -> Select[Any]:
    """Most viewed in the last USAGE_WINDOW_DAYS days first; never-viewed ones by title."""
    since = datetime.now(UTC).date() - timedelta(days=USAGE_WINDOW_DAYS - 1)
    views = (
        select(DatasetUsage.dataset_id, func.sum(DatasetUsage.views).label("views"))
        .where(DatasetUsage.day >= since)
        .group_by(DatasetUsage.dataset_id)
        .subquery()
    )
    return query.outerjoin(views, views.c.dataset_id == Dataset.id).order_by(
        func.coalesce(views.c.views, 0).desc(), Dataset.title, Dataset.id
    )


def _filtered(query: Select[Any], where: DatasetFilter, ranked: list[str] | None) -> Select[Any]:
    query = query.join(Agency, Dataset.agency_id == Agency.id)
    if ranked is not None:
        query = query.where(Dataset.id.in_(ranked))
    if where.agency:
        query = query.where(Agency.slug == where.agency)
    if where.status:
        query = query.where(Dataset.status == where.status)
    if where.ids:
        query = query.where(Dataset.id.in_(where.ids))
    if where.categories:
        query = query.where(func.lower(Dataset.category).in_([c.lower() for c in where.categories]))
    if where.frequencies:
        query = query.where(Dataset.update_frequency.in_(where.frequencies))
    if where.access_levels:
        query = query.where(Dataset.access_level.in_(where.access_levels))
    for tag in where.tags:
        quoted = '%"' + _escape_like(tag.strip().lower()) + '"%'
        query = query.where(cast(Dataset.keywords, Text).like(quoted, escape="\\"))
    if where.has_town is not None:
        town = Dataset.id.in_(_town_dataset_ids())
        query = query.where(town if where.has_town else ~town)
    return query


def _town_dataset_ids() -> Select[Any]:
    """Datasets with a field that holds Connecticut towns (by its standard or its name)."""
    return select(Field.dataset_id).where(
        or_(Field.standard.ilike("%town%"), Field.name.in_(TOWN_FIELD_NAMES))
    )


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def facet_counts(session: Session, where: DatasetFilter) -> Facets:
    ids = matching_ids(session, where)
    if not ids:
        return Facets()
    rows = session.execute(
        select(
            Agency.slug,
            Agency.name,
            Dataset.category,
            Dataset.keywords,
            Dataset.update_frequency,
            Dataset.access_level,
        )
        .join(Agency, Dataset.agency_id == Agency.id)
        .where(Dataset.id.in_(ids))
    ).all()
    agencies = Counter((row[0], row[1]) for row in rows)
    town_ids = set(session.scalars(_town_dataset_ids().where(Field.dataset_id.in_(ids))))
    return Facets(
        agency=[(slug, name, n) for (slug, name), n in agencies.most_common()],
        category=Counter(row[2] for row in rows if row[2]).most_common(),
        keyword=Counter(word for row in rows for word in (row[3] or [])).most_common(30),
        update_frequency=Counter(row[4] for row in rows if row[4]).most_common(),
        access_level=Counter(row[5] for row in rows).most_common(),
        has_town=len(town_ids),
    )
