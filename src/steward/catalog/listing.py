"""Listing, searching and faceting the catalog.

Filters narrow in SQL to a list of ids (cheap even for thousands of datasets), relevance comes from
the full-text index (`search.py`), and only the requested page is loaded as full records. Facets
are counted in Python from a per-catalog-version index of every dataset's facet values, so a
search is not run again to count them.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import chain
from operator import attrgetter
from typing import Any, TypeVar

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
NARROW_IN_SQL = 200  # a search with at most this many hits narrows the SQL query to them
# Cached facet counts follow every change made in this process at once; this bounds how long a
# change made by another process (a CLI command while the server runs) can go unseen.
FACET_CACHE_TTL_S = 60.0
MAX_CACHED_FACETS = 256  # per database: filter combinations without search words
MAX_CACHED_DATABASES = 8
Value = TypeVar("Value", str, tuple[str, str])


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
    """Ids of every dataset matching `where`, in the requested order (ties by id).

    Kept for the rest of the transaction (until a flush), so a page that lists a search and then
    counts its facets runs the search once."""
    memo = _memo(session)
    key = (where, order, descending)
    if memo is None:
        return _ordered_ids(session, where, order, descending)
    if key not in memo:
        memo[key] = tuple(_ordered_ids(session, where, order, descending))
    return list(memo[key])


def _ids_in_any_order(session: Session, where: DatasetFilter) -> list[str]:
    """The matching ids, from this transaction's listing of the same search if there was one."""
    for (seen, _order, _descending), ids in (_memo(session) or {}).items():
        if seen == where:
            return list(ids)
    return matching_ids(session, where)


def _memo(session: Session) -> dict[tuple[DatasetFilter, str, bool], tuple[str, ...]] | None:
    """This transaction's searches so far; None with changes not flushed yet (a query would
    flush them first, and a flush forgets the searches)."""
    if session.new or session.dirty or session.deleted:
        return None
    memo: dict[tuple[DatasetFilter, str, bool], tuple[str, ...]]
    memo = session.info.setdefault(search.MEMO, {})
    return memo


def _ordered_ids(session: Session, where: DatasetFilter, order: str, descending: bool) -> list[str]:
    """The search words run once, in the full-text index; the other filters and the order in SQL.
    The two meet here rather than in a long `IN (...)` list, unless the words are selective."""
    ranked = search.ranked_ids(session, where.q)
    if ranked is not None and not ranked:
        return []
    query = _filtered(select(Dataset.id), where)
    if ranked is not None and len(ranked) <= NARROW_IN_SQL:
        query = query.where(Dataset.id.in_(ranked))
    key = ORDERINGS.get(order)
    if order == "views":
        ids = list(session.scalars(_by_views(query)))
    elif key is None and ranked is not None:  # relevance
        allowed = set(session.scalars(query))
        return [dataset_id for dataset_id in ranked if dataset_id in allowed]
    else:
        key = key if key is not None else Dataset.title
        ids = list(session.scalars(query.order_by(key.desc() if descending else key, Dataset.id)))
    if ranked is None:
        return ids
    hits = set(ranked)
    return [dataset_id for dataset_id in ids if dataset_id in hits]


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


def _filtered(query: Select[Any], where: DatasetFilter) -> Select[Any]:
    """`query` narrowed by all of `where` but the search words (`_ordered_ids` does those)."""
    query = query.join(Agency, Dataset.agency_id == Agency.id)
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
    """Counts of the datasets matching `where` by each facet value.

    What each dataset counts under comes from a per-catalog-version index (`_FacetIndex`), and
    the counts of a search without words are kept in it too (the home page and `/browse` ask for
    the same ones on every view), so the result may be shared: read it, do not change it."""
    index = _facet_index(session)
    cacheable = not search.search_terms(where.q)
    cached = index.facets.get(where) if cacheable else None
    if cached is not None:
        return cached
    ids = _ids_in_any_order(session, where)
    if any(dataset_id not in index.entries for dataset_id in ids):
        index = _facet_index(session, rebuild=True)  # created since, by another process
    facets = _count_facets([index.entries[i] for i in ids if i in index.entries])
    if cacheable:
        index.remember(where, facets)
    return facets


def _count_facets(entries: list[_Entry]) -> Facets:
    if not entries:
        return Facets()

    def values(name: str) -> Iterator[Any]:  # map and attrgetter keep the loops in C
        return map(attrgetter(name), entries)

    agencies = _most_common(Counter(values("agency")))
    return Facets(
        agency=[(slug, name, n) for (slug, name), n in agencies],
        category=_most_common(Counter(filter(None, values("category")))),
        keyword=_most_common(Counter(chain.from_iterable(values("keywords"))), 30),
        update_frequency=_most_common(Counter(filter(None, values("frequency")))),
        access_level=_most_common(Counter(values("access_level"))),
        has_town=sum(values("has_town")),
    )


def _most_common(counts: Counter[Value], limit: int | None = None) -> list[tuple[Value, int]]:
    """Most common first, ties in order of the value (so pages do not reshuffle between views)."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


@dataclass(frozen=True, slots=True)
class _Entry:
    """What one dataset counts under in each facet."""

    agency: tuple[str, str]  # slug, name
    category: str | None
    keywords: tuple[str, ...]
    frequency: str | None
    access_level: str
    has_town: bool


@dataclass
class _FacetIndex:
    """Every dataset's facet values at one catalog version, and counts already made from them."""

    version: int | None
    built: float
    entries: dict[str, _Entry]
    facets: dict[DatasetFilter, Facets] = field(default_factory=dict)

    def fresh(self, version: int | None) -> bool:
        age = time.monotonic() - self.built
        return version is not None and version == self.version and age < FACET_CACHE_TTL_S

    def remember(self, where: DatasetFilter, facets: Facets) -> None:
        with _INDEXES_LOCK:
            self.facets[where] = facets
            while len(self.facets) > MAX_CACHED_FACETS:
                del self.facets[next(iter(self.facets))]


_INDEXES: OrderedDict[str, _FacetIndex] = OrderedDict()  # by database URL, most recent last
_INDEXES_LOCK = threading.Lock()


def _facet_index(session: Session, *, rebuild: bool = False) -> _FacetIndex:
    """The facet index of the catalog this session reads, rebuilt when a dataset, field or
    agency has changed since it was built (or another process may have changed one)."""
    version = search.catalog_version(session)
    database = session.get_bind().engine.url.render_as_string()
    with _INDEXES_LOCK:
        index = _INDEXES.get(database)
    if index is not None and index.fresh(version) and not rebuild:
        return index
    index = _FacetIndex(version, time.monotonic(), _facet_entries(session))
    if version is not None:  # not with changes of its own that may yet be rolled back
        _keep(database, index, version)
    return index


def _keep(database: str, index: _FacetIndex, version: int) -> None:
    with _INDEXES_LOCK:
        kept = _INDEXES.get(database)
        if kept is not None and kept.version is not None and kept.version > version:
            return  # built by a transaction that began later, and so sees more
        _INDEXES[database] = index
        _INDEXES.move_to_end(database)
        while len(_INDEXES) > MAX_CACHED_DATABASES:
            _INDEXES.popitem(last=False)


def _facet_entries(session: Session) -> dict[str, _Entry]:
    town = set(session.scalars(_town_dataset_ids()))
    rows = session.execute(
        select(
            Dataset.id,
            Agency.slug,
            Agency.name,
            Dataset.category,
            Dataset.keywords,
            Dataset.update_frequency,
            Dataset.access_level,
        ).join(Agency, Dataset.agency_id == Agency.id)
    )
    return {
        row[0]: _Entry(
            (row[1], row[2]), row[3], tuple(row[4] or ()), row[5], row[6], row[0] in town
        )
        for row in rows
    }
