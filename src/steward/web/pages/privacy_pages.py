"""Privacy pages (#9): the public policy pages and the console's release workflow (make a
release, read its suppressed preview and audit, approve, publish; make a research extract).

Plain HTML forms, no JavaScript; every change goes through `steward.privacy` (which checks the
role) and every form carries the CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, require
from steward.errors import Invalid, StewardError
from steward.privacy import publish, releases, service
from steward.privacy.rates import STATUS_MEANING
from steward.privacy.schemas import ExtractCreate, ReleaseCreate
from steward.web.api.deps import ActorDep, SettingsDep, get_session
from steward.web.auth import CsrfChecked
from steward.web.pages.render import render

SessionDep = Annotated[Session, Depends(get_session, scope="function")]
router = APIRouter(include_in_schema=False)
BASE = "/console/privacy"
Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=12)]
PREVIEW = 400
NOTICES = {
    "approved": "The release was approved. A steward may now publish it.",
    "published": "The release was published as a public dataset.",
}


# public ------------------------------------------------------------------------------------


@router.get("/privacy/policies", response_class=HTMLResponse)
def policies_page(request: Request, session: SessionDep) -> Response:
    found = service.list_policies(session)
    return render(request, "privacy/policies.html", {"policies": found})


@router.get("/privacy/policies/{name}", response_class=HTMLResponse)
def policy_page(request: Request, session: SessionDep, name: str) -> Response:
    versions = service.policy_versions(session, name)
    return render(request, "privacy/policy.html", {"versions": versions, "latest": versions[-1]})


# console -----------------------------------------------------------------------------------


@router.get(BASE, response_class=HTMLResponse)
def console_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    found = releases.list_releases(session, actor)
    return render(request, "privacy/console.html", {"releases": found})


@router.get(BASE + "/new", response_class=HTMLResponse)
def new_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    kind = "extract" if request.query_params.get("kind") == "extract" else "table"
    return _new_page(request, session, actor, kind=kind)


def _new_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    kind: str = "table",
) -> Response:
    require(actor, "console.view", what="a new privacy release")
    sources = releases.release_sources(session, actor)
    values = form or {"k": "5", "table1_name": "table"}
    wanted = values.get("dataset_id") or request.query_params.get("dataset", "")
    chosen = next((s for s in sources if s.id == wanted), sources[0] if sources else None)
    context = {
        "policies": service.list_policies(session),
        "sources": sources,
        "chosen": chosen,
        "error": error,
        "kind": kind,
        "form": values,
    }
    return render(request, "privacy/new.html", context, status_code=400 if error else 200)


def _lines(text: str) -> dict[str, str]:
    """`name=KIND:COLUMN` lines (or commas) into a mapping."""
    found = {}
    for item in text.replace(",", "\n").splitlines():
        if not item.strip():
            continue
        name, sep, spec = item.partition("=")
        if not sep or not name.strip():
            raise Invalid(f"{item.strip()!r}: write NAME=KIND:COLUMN")
        found[name.strip()] = spec.strip()
    return found


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _table_data(form: dict[str, str]) -> dict[str, Any]:
    tables = [
        {
            "name": form[f"table{n}_name"].strip() or f"table{n}",
            "dims": _items(form[f"table{n}"]),
            "percent": bool(form[f"table{n}_percent"]),
            "rate_per": form[f"table{n}_rate_per"].strip() or None,
        }
        for n in (1, 2)
        if form[f"table{n}"].strip()
    ]
    return {
        "dataset_id": form["dataset_id"].strip(),
        "title": form["title"].strip(),
        "policy": form["policy"],
        "count": form["count"].strip() or None,
        "derive": _lines(form["derive"]),
        "tables": tables,
        "population_year": form["population_year"].strip() or 2020,
    }


@router.post(BASE, dependencies=[CsrfChecked])
def create_release(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    dataset_id: Annotated[str, Form(max_length=20)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    policy: Annotated[str, Form(max_length=64)] = "",
    count: Annotated[str, Form(max_length=255)] = "",
    derive: Text = "",
    table1_name: Annotated[str, Form(max_length=100)] = "",
    table1: Text = "",
    table2_name: Annotated[str, Form(max_length=100)] = "",
    table2: Text = "",
    table1_percent: Short = "",
    table1_rate_per: Short = "",
    table2_percent: Short = "",
    table2_rate_per: Short = "",
    population_year: Short = "",
) -> Response:
    form = {
        "dataset_id": dataset_id,
        "title": title,
        "policy": policy,
        "count": count,
        "derive": derive,
        "table1_name": table1_name,
        "table1": table1,
        "table2_name": table2_name,
        "table2": table2,
        "table1_percent": table1_percent,
        "table1_rate_per": table1_rate_per,
        "table2_percent": table2_percent,
        "table2_rate_per": table2_rate_per,
        "population_year": population_year,
    }
    try:
        data = ReleaseCreate.model_validate(_table_data(form))
        made = releases.create_table_release(session, actor, settings.data_dir, data)
    except ValidationError as exc:
        return _new_page(request, session, actor, error=_first(exc), form=form)
    except StewardError as exc:
        if exc.status in (401, 403):
            raise
        return _new_page(request, session, actor, error=exc.message, form=form)
    return RedirectResponse(f"{BASE}/{made.id}", status_code=303)


@router.post(BASE + "/extracts", dependencies=[CsrfChecked])
def create_extract(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    settings: SettingsDep,
    dataset_id: Annotated[str, Form(max_length=20)] = "",
    title: Annotated[str, Form(max_length=300)] = "",
    k: Annotated[str, Form(max_length=4)] = "5",
    quasi: Text = "",
    keep: Text = "",
    identifier: Annotated[str, Form(max_length=255)] = "",
) -> Response:
    form = {
        "dataset_id": dataset_id,
        "title": title,
        "k": k,
        "quasi": quasi,
        "keep": keep,
        "identifier": identifier,
    }
    try:
        data = ExtractCreate.model_validate(
            {
                "dataset_id": dataset_id.strip(),
                "title": title.strip(),
                "k": k.strip(),
                "quasi": _lines(quasi),
                "keep": _items(keep),
                "identifier": identifier.strip() or None,
            }
        )
        made = releases.create_extract(session, actor, settings.data_dir, data)
    except ValidationError as exc:
        return _new_page(request, session, actor, error=_first(exc), form=form, kind="extract")
    except StewardError as exc:
        if exc.status in (401, 403):
            raise
        return _new_page(request, session, actor, error=exc.message, form=form, kind="extract")
    return RedirectResponse(f"{BASE}/{made.id}", status_code=303)


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])


@router.get(BASE + "/{release_id}", response_class=HTMLResponse)
def release_page(
    request: Request, session: SessionDep, actor: ActorDep, release_id: int
) -> Response:
    return _release_page(request, session, actor, release_id)


def _release_page(
    request: Request, session: Session, actor: Actor, release_id: int, error: str | None = None
) -> Response:
    detail = releases.get_release(session, actor, release_id)
    suppressed: list[tuple[str, str, dict[str, Any]]] = []
    if detail.release.kind == "table":
        for table in detail.tables:
            dims = table.columns[: table.columns.index("status") - 1 : 2]
            for row in table.rows:
                cells = dict(zip(table.columns, row, strict=True))
                if cells["status"] != "published":
                    label = " \u00d7 ".join(str(cells[d]) for d in dims)
                    suppressed.append((table.name, label, cells))
    context = {
        "detail": detail,
        "suppressed": suppressed,
        "rate_meaning": STATUS_MEANING,
        "preview": PREVIEW,
        "notice": NOTICES.get(request.query_params.get("done", "")),
        "error": error,
    }
    return render(request, "privacy/release.html", context, status_code=409 if error else 200)


@router.post(BASE + "/{release_id}/approve", dependencies=[CsrfChecked])
def approve_release(
    request: Request, session: SessionDep, actor: ActorDep, release_id: int
) -> Response:
    try:
        releases.approve_release(session, actor, release_id)
    except StewardError as exc:
        if exc.status != 409:
            raise
        return _release_page(request, session, actor, release_id, exc.message)
    return RedirectResponse(f"{BASE}/{release_id}?done=approved", status_code=303)


@router.post(BASE + "/{release_id}/publish", dependencies=[CsrfChecked])
def publish_release(
    request: Request, session: SessionDep, actor: ActorDep, settings: SettingsDep, release_id: int
) -> Response:
    try:
        publish.publish_release(session, actor, settings.data_dir, release_id)
    except StewardError as exc:
        if exc.status != 409:
            raise
        return _release_page(request, session, actor, release_id, exc.message)
    return RedirectResponse(f"{BASE}/{release_id}?done=published", status_code=303)
