"""What the assessment pages of the console show at once: the signed-in person's agencies with
their maturity self-assessments, the ethics assessments they may see, and the open risks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from steward.accounts.policy import Actor, permits, require
from steward.catalog.models import Agency
from steward.plans import ethics_service, maturity_service
from steward.plans.assessment_schemas import AgencyAssessments, AssessmentOverview


def assessment_overview(session: Session, actor: Actor) -> AssessmentOverview:
    require(actor, "console.view", what="the assessments console")
    agencies = [
        AgencyAssessments(
            agency=agency.slug,
            agency_name=agency.name,
            can_assess_maturity=permits(actor, "maturity.assess", agency.id),
            can_assess_ethics=permits(actor, "ethics.assess", agency.id),
            maturity=maturity_service.list_maturity(session, actor, agency.slug),
        )
        for agency in session.scalars(select(Agency).order_by(Agency.name))
        if permits(actor, "maturity.view", agency.id)
    ]
    risks = ethics_service.list_risks(session, actor, status="open")
    return AssessmentOverview(
        agencies=agencies,
        ethics=ethics_service.list_ethics(session, actor),
        open_risks=len(risks),
    )
