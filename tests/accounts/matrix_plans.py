"""Role matrix rows of Open Data Access Plans and assessments (#11 parts 2 and 4).

`setup` acts as the system for dph: plans 2024-2025 (published, public rows), 2026-2027 (draft,
edited by rows), 2028-2029 and 2030-2031 (drafts published by the API and by the page); an
inventory cycle 2090 with a planned dph asset (for "from the inventory"); maturity assessment 1
completed (the API row starts 2, which the rows rate and complete; the page row then starts 3);
ethics assessments and risks for each write. It returns their ids for the URLs. A write the ADO
makes first leaves the CDO a 409 or 404, which still counts as let in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from steward.accounts.policy import SYSTEM
from steward.config import Settings
from steward.db import Database
from steward.inventory import assets as inventory_assets
from steward.inventory import service as inventory
from steward.inventory.schemas import AssetCreate, CycleCreate
from steward.plans import entries, ethics, ethics_service, maturity, maturity_service, service
from steward.plans.assessment_schemas import (
    EthicsCreate,
    EthicsUpdate,
    MaturityUpdate,
    RiskUpdate,
)
from steward.plans.schemas import EntryCreate, PlanCreate

PLANS = "/api/v1/plans"
DRAFT = PLANS + "/dph/2026-2027"
PUBLIC = PLANS + "/dph/2024-2025"
CONSOLE = "/console/plans/dph/2026-2027"
MATURITY_API = "/api/v1/assessments/maturity/dph"
MATURITY_PAGE = "/console/assessments/maturity/dph"
ETHICS_API = "/api/v1/assessments"
ETHICS_PAGE = "/console/assessments"
ENTRY = {"title": "Matrix entry", "target_date": "2027-06-30"}
ENTRY_FORM = {"kind": "planned", "title": "Matrix page entry", "target_date": "2027-01-31"}
ALL_FOUR = {p: {"score": 4, "notes": "Considered"} for p in ethics.PRINCIPLE_IDS}
RATINGS_FORM = {
    f"rating_{e}_{d}": "3" for e in maturity.ELEMENT_IDS for d in maturity.DIMENSION_IDS
}
SCORES_FORM = {f"score_{p}": "4" for p in ethics.PRINCIPLE_IDS}


def _plan(session: Any, period: str, *titles: str, publish: bool = False) -> list[int]:
    service.create_plan(session, SYSTEM, PlanCreate(agency="dph", period=period))
    made = [
        entries.add_entry(
            session, SYSTEM, "dph", period, EntryCreate(title=t, target_date=date(2027, 6, 30))
        ).id
        for t in titles
    ]
    if publish:
        service.publish_plan(session, SYSTEM, "dph", period)
    return made


def _ethics(session: Any, title: str, low: bool, owned: bool, complete: bool) -> dict[str, int]:
    made = ethics_service.start_ethics(session, SYSTEM, EthicsCreate(agency="dph", title=title))
    scores = {**ALL_FOUR, "wider_implications": {"score": 1}} if low else ALL_FOUR
    scored = ethics_service.score_ethics(
        session, SYSTEM, made.id, EthicsUpdate.model_validate({"scores": scores})
    )
    risk = scored.risks[0].id if scored.risks else 0
    if owned:
        fix = RiskUpdate(owner="Matrix owner", mitigation="Aggregate")
        ethics_service.update_risk(session, SYSTEM, risk, fix)
    if complete:
        ethics_service.complete_ethics(session, SYSTEM, made.id)
    return {"id": made.id, "risk": risk}


def setup(database: Database, settings: Settings) -> dict[str, Any]:
    values: dict[str, Any] = {}
    with database.session() as session:
        (values["public_entry"],) = _plan(session, "2024-2025", "Matrix public", publish=True)
        draft = _plan(session, "2026-2027", "Patch", "Delete", "Page", "Page delete")
        values.update(patch=draft[0], delete=draft[1], page=draft[2], page_delete=draft[3])
        _plan(session, "2028-2029", "Publish by API")
        _plan(session, "2030-2031", "Publish by page")
        inventory.open_cycle(session, SYSTEM, CycleCreate(year=2090, due_date=date(2090, 3, 31)))
        asset = {
            "name": "Matrix planned asset",
            "criteria": {"A": {"applies": True, "justification": "Runs the programme"}},
            "classification": "public",
            "access_level": "public",
            "open_data_status": "planned",
            "planned_date": date(2027, 3, 1),
        }
        inventory_assets.add_asset(session, SYSTEM, 2090, "dph", AssetCreate.model_validate(asset))
        maturity_service.start_maturity(session, SYSTEM, "dph")
        cells = {e: dict.fromkeys(maturity.DIMENSION_IDS, 2) for e in maturity.ELEMENT_IDS}
        maturity_service.rate_maturity(session, SYSTEM, "dph", 1, MaturityUpdate(ratings=cells))
        maturity_service.complete_maturity(session, SYSTEM, "dph", 1)
        values["ethics"] = _ethics(session, "Matrix draft", False, False, False)["id"]
        values["complete_api"] = _ethics(session, "Matrix API", False, False, False)["id"]
        values["complete_page"] = _ethics(session, "Matrix page", False, False, False)["id"]
        values["risk_api"] = _ethics(session, "Risk API", True, False, False)["risk"]
        values["risk_page"] = _ethics(session, "Risk page", True, False, False)["risk"]
        values["close_api"] = _ethics(session, "Close API", True, True, True)["risk"]
        values["close_page"] = _ethics(session, "Close page", True, True, True)["risk"]
    return values


ROWS: list[dict[str, Any]] = [
    # API: plans
    {"method": "GET", "path": PLANS, "need": "public", "url": PLANS + "?agency=dph"},
    {
        "method": "POST",
        "path": PLANS,
        "need": "ado",
        "url": PLANS,
        "json": {"agency": "dph", "period": "2040-2041"},
    },
    {"method": "GET", "path": PLANS + "/{agency}/{period}", "need": "public", "url": PUBLIC},
    {
        "method": "PATCH",
        "path": PLANS + "/{agency}/{period}",
        "need": "ado",
        "url": DRAFT,
        "json": {"summary": "Matrix summary"},
    },
    {
        "method": "POST",
        "path": PLANS + "/{agency}/{period}/publish",
        "need": "ado",
        "url": PLANS + "/dph/2028-2029/publish",
    },
    {
        "method": "GET",
        "path": PLANS + "/{agency}/{period}/export",
        "need": "public",
        "url": PUBLIC + "/export?format=xlsx",
    },
    {
        "method": "POST",
        "path": PLANS + "/{agency}/{period}/entries",
        "need": "steward",
        "url": DRAFT + "/entries",
        "json": ENTRY,
    },
    {
        "method": "POST",
        "path": PLANS + "/{agency}/{period}/from-inventory",
        "need": "steward",
        "url": DRAFT + "/from-inventory",
    },
    {
        "method": "GET",
        "path": PLANS + "/{agency}/{period}/entries/{entry_id}",
        "need": "public",
        "url": PUBLIC + "/entries/{public_entry}",
    },
    {
        "method": "PATCH",
        "path": PLANS + "/{agency}/{period}/entries/{entry_id}",
        "need": "steward",
        "url": DRAFT + "/entries/{patch}",
        "json": {"rationale": "Matrix rationale"},
    },
    {
        "method": "DELETE",
        "path": PLANS + "/{agency}/{period}/entries/{entry_id}",
        "need": "steward",
        "url": DRAFT + "/entries/{delete}",
    },
    # API: maturity (the ADO starts assessment 2, rates and completes it)
    {
        "method": "GET",
        "path": MATURITY_API.replace("dph", "{agency}"),
        "need": "public",
        "url": MATURITY_API,
    },
    {
        "method": "POST",
        "path": "/api/v1/assessments/maturity/{agency}",
        "need": "ado",
        "url": MATURITY_API,
    },
    {
        "method": "GET",
        "path": "/api/v1/assessments/maturity/{agency}/{number}",
        "need": "analyst",
        "url": MATURITY_API + "/2",
    },
    {
        "method": "PATCH",
        "path": "/api/v1/assessments/maturity/{agency}/{number}",
        "need": "ado",
        "url": MATURITY_API + "/2",
        "json": {"ratings": {"analytics": {"people": 3}}, "notes": {"analytics": "Matrix"}},
    },
    {
        "method": "POST",
        "path": "/api/v1/assessments/maturity/{agency}/{number}/complete",
        "need": "ado",
        "url": MATURITY_API + "/2/complete",
    },
    # API: ethics and risks
    {
        "method": "GET",
        "path": ETHICS_API + "/ethics",
        "need": "analyst",
        "url": ETHICS_API + "/ethics?agency=dph",
    },
    {
        "method": "POST",
        "path": ETHICS_API + "/ethics",
        "need": "steward",
        "url": ETHICS_API + "/ethics",
        "json": {"agency": "dph", "title": "Matrix project"},
    },
    {
        "method": "GET",
        "path": ETHICS_API + "/ethics/{assessment_id}",
        "need": "analyst",
        "url": ETHICS_API + "/ethics/{ethics}",
    },
    {
        "method": "PATCH",
        "path": ETHICS_API + "/ethics/{assessment_id}",
        "need": "steward",
        "url": ETHICS_API + "/ethics/{ethics}",
        "json": {"scores": {"public_benefit": {"score": 3, "notes": "Matrix"}}},
    },
    {
        "method": "POST",
        "path": ETHICS_API + "/ethics/{assessment_id}/complete",
        "need": "steward",
        "url": ETHICS_API + "/ethics/{complete_api}/complete",
    },
    {
        "method": "GET",
        "path": ETHICS_API + "/risks",
        "need": "analyst",
        "url": ETHICS_API + "/risks?agency=dph&status=open",
    },
    {
        "method": "PATCH",
        "path": ETHICS_API + "/risks/{risk_id}",
        "need": "steward",
        "url": ETHICS_API + "/risks/{risk_api}",
        "json": {"owner": "Matrix owner", "mitigation": "Matrix mitigation"},
    },
    {
        "method": "POST",
        "path": ETHICS_API + "/risks/{risk_id}/close",
        "need": "steward",
        "url": ETHICS_API + "/risks/{close_api}/close",
        "json": {"note": "Matrix resolution"},
    },
    # pages: plans
    {"method": "GET", "path": "/plans", "need": "public", "url": "/plans"},
    {
        "method": "GET",
        "path": "/agencies/{slug}/plan",
        "need": "public",
        "url": "/agencies/dph/plan",
    },
    {"method": "GET", "path": "/console/plans", "need": "signed_in", "url": "/console/plans"},
    {
        "method": "POST",
        "path": "/console/plans",
        "need": "ado",
        "url": "/console/plans",
        "data": {"agency": "dph", "period": "2042-2043", "summary": ""},
    },
    {
        "method": "GET",
        "path": "/console/plans/{agency}/{period}",
        "need": "analyst",
        "url": CONSOLE,
    },
    {
        "method": "POST",
        "path": "/console/plans/{agency}/{period}",
        "need": "ado",
        "url": CONSOLE,
        "data": {"summary": "Matrix page summary"},
    },
    {
        "method": "POST",
        "path": "/console/plans/{agency}/{period}/publish",
        "need": "ado",
        "url": "/console/plans/dph/2030-2031/publish",
        "data": {},
    },
    {
        "method": "POST",
        "path": "/console/plans/{agency}/{period}/from-inventory",
        "need": "steward",
        "url": CONSOLE + "/from-inventory",
        "data": {},
    },
    {
        "method": "POST",
        "path": "/console/plans/{agency}/{period}/entries",
        "need": "steward",
        "url": CONSOLE + "/entries",
        "data": ENTRY_FORM,
    },
    {
        "method": "GET",
        "path": "/console/plans/{agency}/{period}/entries/{entry_id}",
        "need": "analyst",
        "url": CONSOLE + "/entries/{page}",
    },
    {
        "method": "POST",
        "path": "/console/plans/{agency}/{period}/entries/{entry_id}",
        "need": "steward",
        "url": CONSOLE + "/entries/{page}",
        "data": ENTRY_FORM,
    },
    {
        "method": "POST",
        "path": "/console/plans/{agency}/{period}/entries/{entry_id}/delete",
        "need": "steward",
        "url": CONSOLE + "/entries/{page_delete}/delete",
        "data": {},
    },
    # pages: assessments (the ADO starts maturity assessment 3 and completes it)
    {"method": "GET", "path": ETHICS_PAGE, "need": "signed_in", "url": ETHICS_PAGE},
    {
        "method": "POST",
        "path": "/console/assessments/maturity/{agency}",
        "need": "ado",
        "url": MATURITY_PAGE,
        "data": {},
    },
    {
        "method": "GET",
        "path": "/console/assessments/maturity/{agency}/{number}",
        "need": "analyst",
        "url": MATURITY_PAGE + "/3",
    },
    {
        "method": "POST",
        "path": "/console/assessments/maturity/{agency}/{number}",
        "need": "ado",
        "url": MATURITY_PAGE + "/3",
        "data": {**RATINGS_FORM, "summary": "Matrix"},
    },
    {
        "method": "POST",
        "path": "/console/assessments/maturity/{agency}/{number}/complete",
        "need": "ado",
        "url": MATURITY_PAGE + "/3/complete",
        "data": {},
    },
    {
        "method": "GET",
        "path": "/agencies/{slug}/maturity",
        "need": "public",
        "url": "/agencies/dph/maturity",
    },
    {
        "method": "GET",
        "path": "/console/assessments/ethics/new",
        "need": "steward",
        "url": ETHICS_PAGE + "/ethics/new?agency=dph",
    },
    {
        "method": "POST",
        "path": "/console/assessments/ethics",
        "need": "steward",
        "url": ETHICS_PAGE + "/ethics",
        "data": {"agency": "dph", "title": "Matrix page project"},
    },
    {
        "method": "GET",
        "path": "/console/assessments/ethics/{assessment_id}",
        "need": "analyst",
        "url": ETHICS_PAGE + "/ethics/{ethics}",
    },
    {
        "method": "POST",
        "path": "/console/assessments/ethics/{assessment_id}",
        "need": "steward",
        "url": ETHICS_PAGE + "/ethics/{ethics}",
        "data": SCORES_FORM,
    },
    {
        "method": "POST",
        "path": "/console/assessments/ethics/{assessment_id}/complete",
        "need": "steward",
        "url": ETHICS_PAGE + "/ethics/{complete_page}/complete",
        "data": {},
    },
    {
        "method": "GET",
        "path": "/console/assessments/risks",
        "need": "signed_in",
        "url": ETHICS_PAGE + "/risks",
    },
    {
        "method": "POST",
        "path": "/console/assessments/risks/{risk_id}",
        "need": "steward",
        "url": ETHICS_PAGE + "/risks/{risk_page}",
        "data": {"owner": "Matrix owner", "mitigation": "Matrix mitigation"},
    },
    {
        "method": "POST",
        "path": "/console/assessments/risks/{risk_id}/close",
        "need": "steward",
        "url": ETHICS_PAGE + "/risks/{close_page}/close",
        "data": {"note": "Matrix resolution"},
    },
]
