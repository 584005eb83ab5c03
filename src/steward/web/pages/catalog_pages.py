"""Home, search/browse, agency pages, about and API docs (public)."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from steward.accounts import service as accounts
from steward.catalog import service
from steward.catalog.listing import DatasetFilter
from steward.catalog.schemas import AgencyPublic
from steward.errors import Invalid
from steward.metadata.completeness import CATEGORIES
from steward.web.api.deps import SessionDep
from steward.web.pages.render import render, url

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
SORTS = [
    ("relevance", "Relevance"),
    ("updated", "Recently updated"),
    ("views", "Most viewed"),
    ("title", "Name"),
]
FACET_PARAMS = ["agency", "category", "tag", "frequency", "access", "town"]
CT_CATEGORIES = list(CATEGORIES)  # the portal metadata standard's permitted categories


def agency_counts(
    session: Session, facets: service.Facets | None = None
) -> list[tuple[AgencyPublic, int]]:
    """Every agency with its published datasets (from `facets` of them, when already counted)."""
    if facets is None:
        facets = service.facet_counts(session, DatasetFilter(status="published"))
    counts = {slug: count for slug, _name, count in facets.agency}
    return [(agency, counts.get(agency.slug, 0)) for agency in service.list_agencies(session)]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> HTMLResponse:
    published = DatasetFilter(status="published")
    facets = service.facet_counts(session, published)
    counts = dict(facets.category)
    recent = service.list_datasets(
        session, where=published, order="updated", descending=True, limit=5
    )
    popular = service.list_datasets(session, where=published, order="views", limit=5)
    return render(
        request,
        "home.html",
        {
            "categories": [(name, counts.get(name, 0)) for name in CT_CATEGORIES],
            "agencies": agency_counts(session, facets),
            "recent": recent.results,
            "popular": popular.results,
        },
    )


def _browse_filter(params: dict[str, str]) -> DatasetFilter:
    town = params.get("town")
    if town not in (None, "yes", "no"):
        raise Invalid("town must be yes or no")
    return DatasetFilter(
        q=params.get("q") or None,
        status="published",
        agency=params.get("agency") or None,
        categories=tuple(filter(None, [params.get("category")])),
        tags=tuple(filter(None, [params.get("tag")])),
        frequencies=tuple(filter(None, [params.get("frequency")])),
        access_levels=tuple(filter(None, [params.get("access")])),
        has_town=None if town is None else town == "yes",
    )


@router.get("/browse", response_class=HTMLResponse)
def browse(
    request: Request,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str, Query(max_length=20)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    params = {key: request.query_params.get(key, "") for key in ["q", *FACET_PARAMS]}
    params = {key: value for key, value in params.items() if value}
    sort = sort or ("relevance" if q else "title")
    if sort not in dict(SORTS):
        raise Invalid(f"sort must be one of {', '.join(dict(SORTS))}")
    where = _browse_filter(params)
    order = sort if sort != "relevance" or q else "title"
    result = service.list_datasets(
        session,
        where=where,
        order=order,
        descending=sort == "updated",
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    facets = service.facet_counts(session, where)
    state = [*params.items(), ("sort", sort)]
    pages = max(1, math.ceil(result.count / PAGE_SIZE))
    return render(
        request,
        "browse.html",
        {
            "q": q,
            "page": result,
            "page_number": page,
            "page_count": pages,
            "sort": sort,
            "sorts": SORTS,
            "sort_kept": list(params.items()),
            "kept_filters": [(k, v) for k, v in params.items() if k != "q"] + [("sort", sort)],
            "facet_groups": _facet_groups(facets, params, sort),
            "active": [
                (f"{key}: {value}", url("/browse", [(k, v) for k, v in state if k != key]))
                for key, value in params.items()
                if key != "q"
            ],
            "prev_url": url("/browse", [*state, ("page", str(page - 1))]) if page > 1 else None,
            "next_url": url("/browse", [*state, ("page", str(page + 1))]) if page < pages else None,
        },
    )


def _facet_groups(
    facets: service.Facets, params: dict[str, str], sort: str
) -> list[tuple[str, list[tuple[str, str, int]]]]:
    def link(key: str, value: str) -> str:
        return url(
            "/browse",
            [*[(k, v) for k, v in params.items() if k != key], (key, value), ("sort", sort)],
        )

    town_entries = [("Has town-level data", link("town", "yes"), facets.has_town)]
    return [
        ("Agency", [(name, link("agency", slug), n) for slug, name, n in facets.agency]),
        ("Category", [(name, link("category", name), n) for name, n in facets.category]),
        ("Keyword", [(name, link("tag", name), n) for name, n in facets.keyword[:15]]),
        (
            "Update frequency",
            [(name, link("frequency", name), n) for name, n in facets.update_frequency],
        ),
        ("Access level", [(name, link("access", name), n) for name, n in facets.access_level]),
        ("Geography", town_entries if facets.has_town and "town" not in params else []),
    ]


@router.get("/agencies", response_class=HTMLResponse)
def agencies(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "agencies.html", {"agencies": agency_counts(session)})


@router.get("/agencies/{slug}", response_class=HTMLResponse)
def agency(request: Request, session: SessionDep, slug: str) -> HTMLResponse:
    found = AgencyPublic.model_validate(service.get_agency(session, slug))
    where = DatasetFilter(agency=slug, status="published")
    listed = service.list_datasets(session, where=where, limit=service.MAX_PAGE)
    contacts = sorted(
        {
            (d.contact_name, d.contact_email)
            for d in listed.results
            if d.contact_name or d.contact_email
        },
        key=str,
    )
    public = sum(1 for d in listed.results if d.access_level == "public")
    return render(
        request,
        "agency.html",
        {
            "agency": found,
            "page": listed,
            "contacts": contacts,
            "officers": accounts.data_officers(session, slug),
            "public_count": public,
        },
    )


@router.get("/about", response_class=HTMLResponse)
def about(request: Request) -> HTMLResponse:
    return render(request, "about.html", {"categories": CT_CATEGORIES})


@router.get("/api-docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    return render(request, "api_docs.html", {"base": str(request.base_url).rstrip("/")})
