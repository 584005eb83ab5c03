"""Data ethics assessments of datasets and projects, and the risks they open.

Who may do what (the policy's `ethics.*` actions): the agency's stewards and above (and the CDO)
start, score and complete assessments and manage their risks; its analysts and above see them.
Nothing here is public: notes and risks describe weaknesses of data about people.

Scoring a principle 2 or less opens a risk for it at once. While the assessment is a draft, a
score raised above 2 withdraws that risk (the draft was still being worked out). Completing
needs every principle scored and every risk given an owner and a mitigation; a completed
assessment is frozen, and its risks are then closed one by one with a note.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, permits, require
from steward.catalog.models import Agency, Dataset
from steward.catalog.service import get_agency, load_dataset
from steward.db.base import utcnow
from steward.errors import Conflict, Invalid, NotAuthorized, NotFound
from steward.plans import ethics
from steward.plans.assessment_schemas import (
    Choice,
    EthicsCreate,
    EthicsFormOptions,
    EthicsPublic,
    EthicsSummary,
    EthicsUpdate,
    PrincipleScore,
    RiskClose,
    RiskPublic,
    RiskUpdate,
)
from steward.plans.models import EthicsAssessment, EthicsRisk
from steward.plans.service import visible_agencies


def start_ethics(session: Session, actor: Actor, data: EthicsCreate) -> EthicsPublic:
    agency, dataset = _subject(session, data)
    require(actor, "ethics.assess", agency.id, what=f"an ethics assessment for {agency.name}")
    title = data.title or (dataset.title if dataset else None)
    if not title:
        raise Invalid("name the project being assessed (or give a catalog dataset)")
    item = EthicsAssessment(
        agency=agency,
        dataset_id=dataset.id if dataset else None,
        title=title,
        description=data.description,
        scores={p: {"score": None, "notes": ""} for p in ethics.PRINCIPLE_IDS},
        created_by=actor.label,
        updated_by=actor.label,
    )
    session.add(item)
    session.flush()
    return ethics_public(item)


def form_options(session: Session, actor: Actor, agency: str | None = None) -> EthicsFormOptions:
    """For the new-assessment form: where the actor may assess, and that agency's datasets."""
    require(actor, "console.view", what="ethics assessments")
    allowed = [
        a
        for a in session.scalars(select(Agency).order_by(Agency.name))
        if permits(actor, "ethics.assess", a.id)
    ]
    if agency is not None:
        chosen = get_agency(session, agency)
        require(actor, "ethics.assess", chosen.id, what=f"an ethics assessment for {chosen.name}")
    elif allowed:
        chosen = allowed[0]
    else:
        raise NotAuthorized("starting an ethics assessment needs the steward role in an agency")
    datasets = session.scalars(
        select(Dataset).where(Dataset.agency_id == chosen.id).order_by(Dataset.title)
    )
    return EthicsFormOptions(
        agency=chosen.slug,
        agencies=[Choice(value=a.slug, label=a.name) for a in allowed],
        datasets=[Choice(value=d.id, label=f"{d.title} ({d.id})") for d in datasets],
    )


def _subject(session: Session, data: EthicsCreate) -> tuple[Agency, Dataset | None]:
    if data.dataset_id is not None:
        dataset = load_dataset(session, data.dataset_id)
        if data.agency is not None and data.agency != dataset.agency.slug:
            raise Invalid(f"dataset {dataset.id} belongs to {dataset.agency.name}")
        return dataset.agency, dataset
    if data.agency is None:
        raise Invalid("give the agency whose project is assessed (or a catalog dataset)")
    return get_agency(session, data.agency), None


def list_ethics(
    session: Session, actor: Actor, agency: str | None = None, dataset_id: str | None = None
) -> list[EthicsSummary]:
    """The assessments the actor may see, newest first."""
    if actor.is_anonymous:
        require(actor, "ethics.view", what="ethics assessments")
    query = select(EthicsAssessment).order_by(EthicsAssessment.id.desc())
    if agency is not None:
        query = query.where(EthicsAssessment.agency_id == _agency_seen(session, actor, agency))
    if dataset_id is not None:
        query = query.where(EthicsAssessment.dataset_id == dataset_id)
    allowed = visible_agencies(actor, "ethics.view")
    if allowed is not None:
        query = query.where(EthicsAssessment.agency_id.in_(allowed or {-1}))
    return [_summary(item) for item in session.scalars(query)]


def get_ethics(session: Session, actor: Actor, assessment_id: int) -> EthicsPublic:
    return ethics_public(_load(session, actor, "ethics.view", assessment_id))


def score_ethics(
    session: Session, actor: Actor, assessment_id: int, data: EthicsUpdate
) -> EthicsPublic:
    item = _load(session, actor, "ethics.assess", assessment_id)
    _check_draft(item)
    scores = {
        p: dict(item.scores.get(p) or {"score": None, "notes": ""}) for p in ethics.PRINCIPLE_IDS
    }
    for principle, given in data.scores.items():
        if principle not in ethics.BY_ID:
            raise Invalid(f"{principle}: not one of the five principles")
        sent = given.model_dump(exclude_unset=True)
        if "score" in sent:
            scores[principle]["score"] = ethics.check_score(principle, sent["score"])
        if sent.get("notes") is not None:
            scores[principle]["notes"] = sent["notes"]
    item.scores = scores
    if data.title:
        item.title = data.title
    if data.description is not None:
        item.description = data.description
    _sync_risks(item, actor)
    item.updated_at, item.updated_by = utcnow(), actor.label
    session.flush()
    return ethics_public(item)


def _sync_risks(item: EthicsAssessment, actor: Actor) -> None:
    """A risk for each principle scored 2 or less; withdraw those no longer low (drafts only)."""
    low = set(ethics.risky(_score_map(item)))
    for risk in list(item.risks):
        if risk.principle not in low:
            item.risks.remove(risk)
        else:
            risk.score = _score_map(item)[risk.principle] or 0
    have = {risk.principle for risk in item.risks}
    for principle in ethics.risky(_score_map(item)):
        if principle not in have:
            score = _score_map(item)[principle] or 0
            item.risks.append(EthicsRisk(principle=principle, score=score, updated_by=actor.label))


def complete_ethics(session: Session, actor: Actor, assessment_id: int) -> EthicsPublic:
    item = _load(session, actor, "ethics.assess", assessment_id)
    _check_draft(item)
    problems = _problems(item)
    if problems:
        raise Invalid(problems[0], data={"errors": problems})
    item.status = "completed"
    item.completed_at, item.completed_by = utcnow(), actor.label
    item.updated_at, item.updated_by = item.completed_at, actor.label
    session.flush()
    return ethics_public(item)


# risks -------------------------------------------------------------------------------------


def list_risks(
    session: Session, actor: Actor, status: str | None = None, agency: str | None = None
) -> list[RiskPublic]:
    """The risks the actor may see (open first, then newest)."""
    if actor.is_anonymous:
        require(actor, "ethics.view", what="ethics risks")
    query = select(EthicsRisk).join(EthicsAssessment)
    if status is not None:
        query = query.where(EthicsRisk.status == status)
    if agency is not None:
        query = query.where(EthicsAssessment.agency_id == _agency_seen(session, actor, agency))
    allowed = visible_agencies(actor, "ethics.view")
    if allowed is not None:
        query = query.where(EthicsAssessment.agency_id.in_(allowed or {-1}))
    query = query.order_by(EthicsRisk.status.desc(), EthicsRisk.id.desc())
    return [risk_public(risk) for risk in session.scalars(query)]


def get_risk(session: Session, actor: Actor, risk_id: int) -> RiskPublic:
    risk = session.get(EthicsRisk, risk_id)
    if risk is None:
        if actor.is_anonymous:
            require(actor, "ethics.view", what="ethics risks")
        raise NotFound(f"no ethics risk {risk_id}")
    require(actor, "ethics.view", risk.assessment.agency_id, what=f"ethics risk {risk_id}")
    return risk_public(risk)


def can_assess(session: Session, actor: Actor, slug: str) -> bool:
    return permits(actor, "ethics.assess", get_agency(session, slug).id)


def update_risk(session: Session, actor: Actor, risk_id: int, data: RiskUpdate) -> RiskPublic:
    risk = _risk(session, actor, risk_id)
    if risk.status == "closed":
        raise Conflict(f"risk {risk.id} is closed")
    sent = data.model_dump(exclude_unset=True)
    if sent.get("owner") is not None:
        risk.owner = sent["owner"] or None
    if sent.get("mitigation") is not None:
        risk.mitigation = sent["mitigation"] or None
    risk.updated_by = actor.label
    session.flush()
    return risk_public(risk)


def close_risk(session: Session, actor: Actor, risk_id: int, data: RiskClose) -> RiskPublic:
    """Close a risk of a completed assessment, saying how it was resolved."""
    risk = _risk(session, actor, risk_id)
    if risk.status == "closed":
        raise Conflict(f"risk {risk.id} is already closed")
    if risk.assessment.status != "completed":
        raise Conflict("complete the assessment first: a draft's risks change with its scores")
    if not data.note.strip():
        raise Invalid("say how the risk was resolved: closing a risk needs a note")
    risk.status = "closed"
    risk.closed_at, risk.closed_by, risk.closing_note = utcnow(), actor.label, data.note
    risk.updated_by = actor.label
    session.flush()
    return risk_public(risk)


def open_risk_count(session: Session, agency_id: int) -> int:
    """Open risks of the agency's assessments (for the CDO dashboard; no actor needed)."""
    query = (
        select(func.count(EthicsRisk.id))
        .join(EthicsAssessment)
        .where(EthicsAssessment.agency_id == agency_id, EthicsRisk.status == "open")
    )
    return session.scalar(query) or 0


# helpers -----------------------------------------------------------------------------------


def _agency_seen(session: Session, actor: Actor, slug: str) -> int:
    """An agency asked for by name: its staff may look (others are refused, not shown none)."""
    agency = get_agency(session, slug)
    require(actor, "ethics.view", agency.id, what=f"the ethics assessments of {agency.name}")
    return agency.id


def _load(session: Session, actor: Actor, action: str, assessment_id: int) -> EthicsAssessment:
    item = session.get(EthicsAssessment, assessment_id)
    if item is None:
        if actor.is_anonymous:
            require(actor, action, what="ethics assessments")
        raise NotFound(f"no ethics assessment {assessment_id}")
    require(actor, action, item.agency_id, what=f"ethics assessment {assessment_id}")
    return item


def _risk(session: Session, actor: Actor, risk_id: int) -> EthicsRisk:
    risk = session.get(EthicsRisk, risk_id)
    if risk is None:
        if actor.is_anonymous:
            require(actor, "ethics.assess", what="ethics risks")
        raise NotFound(f"no ethics risk {risk_id}")
    require(actor, "ethics.assess", risk.assessment.agency_id, what=f"ethics risk {risk_id}")
    return risk


def _check_draft(item: EthicsAssessment) -> None:
    if item.status != "draft":
        raise Conflict(f"ethics assessment {item.id} is completed and cannot change")


def _score_map(item: EthicsAssessment) -> dict[str, int | None]:
    return {p: (item.scores.get(p) or {}).get("score") for p in ethics.PRINCIPLE_IDS}


def _problems(item: EthicsAssessment) -> list[str]:
    risks = {risk.principle: (risk.owner, risk.mitigation) for risk in item.risks}
    return ethics.completion_problems(_score_map(item), risks)


def _summary(item: EthicsAssessment) -> EthicsSummary:
    return EthicsSummary(
        id=item.id,
        agency=item.agency.slug,
        agency_name=item.agency.name,
        dataset_id=item.dataset_id,
        title=item.title,
        status=item.status,  # type: ignore[arg-type]
        total=ethics.total(_score_map(item)),
        open_risks=sum(1 for risk in item.risks if risk.status == "open"),
        created_at=item.created_at,
        created_by=item.created_by,
        updated_at=item.updated_at,
        completed_at=item.completed_at,
        completed_by=item.completed_by,
    )


def ethics_public(item: EthicsAssessment) -> EthicsPublic:
    scores = []
    for principle in ethics.PRINCIPLES:
        stored = item.scores.get(principle.id) or {}
        score = stored.get("score")
        scores.append(
            PrincipleScore(
                principle=principle.id,
                label=principle.label,
                question=principle.question,
                score=score,
                score_meaning=ethics.SCORES.get(score) if score is not None else None,
                notes=stored.get("notes") or "",
                risk=ethics.is_risk(score),
            )
        )
    return EthicsPublic(
        **_summary(item).model_dump(),
        description=item.description or "",
        scores=scores,
        risks=[risk_public(risk) for risk in item.risks],
        problems=_problems(item) if item.status == "draft" else [],
    )


def risk_public(risk: EthicsRisk) -> RiskPublic:
    item = risk.assessment
    return RiskPublic(
        id=risk.id,
        assessment_id=item.id,
        assessment_title=item.title,
        assessment_status=item.status,  # type: ignore[arg-type]
        agency=item.agency.slug,
        agency_name=item.agency.name,
        dataset_id=item.dataset_id,
        principle=risk.principle,
        principle_label=ethics.BY_ID[risk.principle].label,
        score=risk.score,
        owner=risk.owner,
        mitigation=risk.mitigation,
        ready=bool(risk.owner and risk.mitigation),
        status="closed" if risk.status == "closed" else "open",
        opened_at=risk.opened_at,
        updated_by=risk.updated_by,
        closed_at=risk.closed_at,
        closed_by=risk.closed_by,
        closing_note=risk.closing_note,
    )
