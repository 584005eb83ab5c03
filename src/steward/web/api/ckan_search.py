"""CKAN catalog actions: package_list, package_search, package_show, organization_*, group_*,
tag_list.

Packages listed are the published datasets, every access level included (the inventory of data
assets is public); `include_drafts` adds drafts and `include_deleted` retired ones. Search words go
to the catalog's full-text index (relevance is CKAN's `score`); `key:value` terms of `q`/`fq` and
facets are applied to the matching records here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from steward.catalog import search, service
from steward.catalog.access import READABLE_STATUSES
from steward.catalog.listing import matching_ids
from steward.catalog.schemas import AgencyPublic, DatasetPublic
from steward.errors import NotAuthorized, NotFound
from steward.web.api import ckan_params as p
from steward.web.api.ckan_shapes import (
    agency_organization,
    group,
    license_id,
    package,
    resource,
    rows_public,
    slugify,
    tag,
)

DEFAULT_SORT = "score desc, metadata_modified desc"
MAX_ROWS = 1000
SORTS: dict[str, Callable[[DatasetPublic], Any]] = {
    "metadata_modified": lambda d: d.modified_at,
    "metadata_created": lambda d: d.created_at,
    "title_string": lambda d: d.title.lower(),
    "title": lambda d: d.title.lower(),
    "name": lambda d: d.id,
}
FACETS: dict[str, Callable[[DatasetPublic], list[tuple[str, str]]]] = {
    "organization": lambda d: [(d.agency, d.agency_name)],
    "groups": lambda d: [(slugify(d.category), d.category)] if d.category else [],
    "tags": lambda d: [(word, word) for word in d.keywords],
    "res_format": lambda d: [("CSV", "CSV")] if rows_public(d) else [],
    "license_id": lambda d: [(license_id(d.license), d.license or "License not specified")],
}
SAFE_TAG = re.compile(r"^[a-z0-9 _.-]+$")


def load_records(session: Session, ids: list[str]) -> list[DatasetPublic]:
    """The public records of `ids`, in that order, a page of the catalog service at a time."""
    found: dict[str, DatasetPublic] = {}
    for start in range(0, len(ids), service.MAX_PAGE):
        chunk = tuple(ids[start : start + service.MAX_PAGE])
        page = service.list_datasets(
            session, where=service.DatasetFilter(ids=chunk), limit=service.MAX_PAGE
        )
        found.update((record.id, record) for record in page.results)
    return [found[dataset_id] for dataset_id in ids if dataset_id in found]


def listed_statuses(params: p.Params) -> set[str]:
    statuses = {"published"}
    if p.boolean(params, "include_drafts", False):
        statuses.add("draft")
    if p.boolean(params, "include_deleted", False):
        statuses.add("retired")
    return statuses


def package_list(ctx: p.ActionContext, params: p.Params) -> list[str]:
    limit = p.integer(params, "limit", 0, high=100_000)
    offset = p.integer(params, "offset", 0)
    names: set[str] = set()
    for status in listed_statuses(params):
        names.update(matching_ids(ctx.session, service.DatasetFilter(status=status)))
    ordered = sorted(names)[offset:]
    return ordered[:limit] if limit else ordered


def package_show(ctx: p.ActionContext, params: p.Params) -> dict[str, Any]:
    dataset_id = p.required(params, "id", "name_or_id")
    return package(service.get_dataset(ctx.session, dataset_id), ctx.base)


def resource_show(ctx: p.ActionContext, params: p.Params) -> dict[str, Any]:
    dataset = service.get_dataset(ctx.session, p.required(params, "id"))
    if not rows_public(dataset):
        if dataset.status in READABLE_STATUSES and dataset.current_version is None:
            raise NotFound(f"dataset {dataset.id} has no data yet")
        raise NotAuthorized(f"the rows of {dataset.id} are not public")
    return resource(dataset, ctx.base)


def package_search(ctx: p.ActionContext, params: p.Params) -> dict[str, Any]:
    rows = min(p.integer(params, "rows", 10), MAX_ROWS)  # CKAN caps rows silently too
    start = p.integer(params, "start", 0)
    sort = p.text(params, "sort") or DEFAULT_SORT
    order = parse_sort(sort)
    facet_fields = p.text_list(params, "facet.field")
    unknown = [name for name in facet_fields if name not in FACETS]
    if unknown:
        raise p.invalid(
            "facet.field", f"cannot facet on {unknown[0]!r} (known: {', '.join(FACETS)})"
        )
    fq_list = params.get("fq_list")
    fq = fq_list if isinstance(fq_list, list) else []
    terms = p.search_terms(p.text(params, "q"), p.text(params, "fq"), *map(str, fq))
    statuses = listed_statuses(params)
    matched = _matching_ids(ctx.session, terms, statuses)
    records = [
        record
        for record in load_records(ctx.session, matched)
        if record.status in statuses and _holds(record, terms)
    ]
    records = sort_records(records, order, _relevance(ctx.session, terms))
    facets = facet_items(records, facet_fields, p.integer(params, "facet.limit", 50, low=-1))
    return {
        "count": len(records),
        "sort": sort,
        "results": [package(record, ctx.base) for record in records[start : start + rows]],
        "facets": {name: {i["name"]: i["count"] for i in items} for name, items in facets.items()},
        "search_facets": {name: {"title": name, "items": items} for name, items in facets.items()},
    }


def _relevance(session: Session, terms: p.SearchTerms) -> dict[str, int]:
    """Rank of each dataset for the search words (0 is best); empty without words."""
    ranked = search.ranked_ids(session, " ".join(terms.words)) or []
    return {dataset_id: position for position, dataset_id in enumerate(ranked)}


def _matching_ids(session: Session, terms: p.SearchTerms, statuses: set[str]) -> list[str]:
    """Ids matching the words and what SQL can narrow on; the rest is checked on the records."""
    agencies = {value.lower() for key, value in terms.required if key == "organization"}
    tags = {value.lower() for key, value in terms.required if key == "tags"}
    where = service.DatasetFilter(
        q=" ".join(terms.words) or None,
        status="published" if statuses == {"published"} else None,
        agency=next(iter(agencies)) if len(agencies) == 1 else None,
        tags=tuple(sorted(tag for tag in tags if SAFE_TAG.match(tag))),
    )
    return matching_ids(session, where)


def _holds(record: DatasetPublic, terms: p.SearchTerms) -> bool:
    return all(_term_holds(record, key, value) for key, value in terms.required) and not any(
        _term_holds(record, key, value) for key, value in terms.excluded
    )


def _term_holds(record: DatasetPublic, key: str, value: str) -> bool:
    wanted = value.strip().lower()
    if key == "organization":
        return record.agency == wanted
    if key == "tags":
        return wanted in record.keywords
    if key == "groups":
        return record.category is not None and slugify(record.category) == slugify(wanted)
    if key == "res_format":
        return wanted == "csv" and rows_public(record)
    if key == "license_id":
        return license_id(record.license) == wanted
    return record.id == wanted  # name / id


def parse_sort(sort: str) -> list[tuple[str, bool]]:
    """`metadata_modified desc, title_string asc` -> [(key, descending), ...]."""
    order = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            continue
        key, direction = words[0], (words[1].lower() if len(words) > 1 else "asc")
        if (
            (key not in SORTS and key != "score")
            or direction not in {"asc", "desc"}
            or len(words) > 2
        ):
            known = ", ".join(["score", *SORTS])
            raise p.invalid("sort", f"cannot sort by {part.strip()!r}; use {known} with asc|desc")
        order.append((key, direction == "desc"))
    return order


def sort_records(
    records: list[DatasetPublic], order: list[tuple[str, bool]], rank: dict[str, int]
) -> list[DatasetPublic]:
    """Stable multi-key sort; `score` is the relevance rank (all equal without search words)."""
    result = sorted(records, key=lambda record: record.id)
    for key, descending in reversed(order):
        if key == "score":
            result.sort(key=lambda record: rank.get(record.id, 0), reverse=not descending)
        else:
            result.sort(key=SORTS[key], reverse=descending)
    return result


def facet_items(
    records: list[DatasetPublic], fields: list[str], limit: int
) -> dict[str, list[dict[str, Any]]]:
    facets = {}
    for name in fields:
        counts: Counter[str] = Counter()
        titles: dict[str, str] = {}
        for record in records:
            for value, title in FACETS[name](record):
                counts[value] += 1
                titles[value] = title
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        facets[name] = [
            {"name": value, "display_name": titles[value], "count": count}
            for value, count in (ranked if limit < 0 else ranked[:limit])
        ]
    return facets


def _published_counts(session: Session) -> Counter[str]:
    facets = service.facet_counts(session, service.DatasetFilter(status="published"))
    return Counter({slug: count for slug, _name, count in facets.agency})


def _page(params: p.Params, items: list[Any]) -> list[Any]:
    limit = p.integer(params, "limit", 0, high=100_000)
    offset = p.integer(params, "offset", 0)
    return items[offset : offset + limit] if limit else items[offset:]


def organization_list(ctx: p.ActionContext, params: p.Params) -> list[Any]:
    counts = _published_counts(ctx.session)
    agencies = service.list_agencies(ctx.session)
    wanted = set(p.text_list(params, "organizations"))
    if wanted:
        agencies = [agency for agency in agencies if agency.slug in wanted]
    orgs = [agency_organization(agency, counts[agency.slug]) for agency in agencies]
    orgs = _sorted_groups(orgs, p.text(params, "sort") or "name asc")
    orgs = _page(params, orgs)
    return orgs if p.boolean(params, "all_fields", False) else [org["name"] for org in orgs]


def _sorted_groups(items: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    words = sort.split()
    key = words[0] if words else "name"
    if key not in {"name", "title", "package_count"} or len(words) > 2:
        raise p.invalid("sort", "sort by name, title or package_count [asc|desc]")
    descending = len(words) == 2 and words[1].lower() == "desc"
    return sorted(items, key=lambda item: (item[key], item["name"]), reverse=descending)


def _find_agency(ctx: p.ActionContext, params: p.Params) -> AgencyPublic:
    wanted = p.required(params, "id")
    for agency in service.list_agencies(ctx.session):
        if wanted in {agency.slug, agency.name}:
            return agency
    raise NotFound(f"no organization {wanted!r}")


def organization_show(ctx: p.ActionContext, params: p.Params) -> dict[str, Any]:
    agency = _find_agency(ctx, params)
    where = service.DatasetFilter(agency=agency.slug, status="published")
    ids = matching_ids(ctx.session, where)
    org = agency_organization(agency, len(ids))
    if p.boolean(params, "include_datasets", False):
        records = load_records(ctx.session, ids[: service.MAX_PAGE])
        org["packages"] = [package(record, ctx.base) for record in records]
    return org


def _categories(session: Session) -> dict[str, tuple[str, int]]:
    facets = service.facet_counts(session, service.DatasetFilter(status="published"))
    groups: dict[str, tuple[str, int]] = {}
    for category, count in facets.category:
        slug = slugify(category)
        title, seen = groups.get(slug, (category, 0))
        groups[slug] = (title, seen + count)
    return groups


def group_list(ctx: p.ActionContext, params: p.Params) -> list[Any]:
    groups = [
        group(title, package_count=count) for title, count in _categories(ctx.session).values()
    ]
    groups = _page(params, _sorted_groups(groups, p.text(params, "sort") or "name asc"))
    return groups if p.boolean(params, "all_fields", False) else [g["name"] for g in groups]


def group_show(ctx: p.ActionContext, params: p.Params) -> dict[str, Any]:
    wanted = slugify(p.required(params, "id"))
    found = _categories(ctx.session).get(wanted)
    if found is None:
        raise NotFound(f"no group {wanted!r}")
    title, count = found
    shown = group(title, package_count=count)
    if p.boolean(params, "include_datasets", False):
        where = service.DatasetFilter(categories=(title,), status="published")
        records = load_records(ctx.session, matching_ids(ctx.session, where)[: service.MAX_PAGE])
        shown["packages"] = [package(record, ctx.base) for record in records]
    return shown


def tag_list(ctx: p.ActionContext, params: p.Params) -> list[Any]:
    query = (p.text(params, "query") or "").strip().lower()
    where = service.DatasetFilter(status="published")
    records = load_records(ctx.session, matching_ids(ctx.session, where))
    names = sorted({word for record in records for word in record.keywords if query in word})
    return [tag(name) for name in names] if p.boolean(params, "all_fields", False) else names
