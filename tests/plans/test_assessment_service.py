"""Maturity self-assessments and ethics assessments through the services, on SQLite and
PostgreSQL: who may do what, completion rules, the comparison, and risks."""

from __future__ import annotations

import pytest

from steward.accounts.policy import ANONYMOUS
from steward.catalog import service as catalog
from steward.errors import Conflict, Invalid, NotAuthenticated, NotAuthorized, NotFound
from steward.plans import ethics_service as ethics
from steward.plans import maturity
from steward.plans import maturity_service as assessments
from steward.plans.assessment_schemas import (
    EthicsCreate,
    EthicsUpdate,
    MaturityUpdate,
    RiskClose,
    RiskUpdate,
)

from .conftest import World


def _all(level: int) -> dict[str, dict[str, int | None]]:
    return {e: dict.fromkeys(maturity.DIMENSION_IDS, level) for e in maturity.ELEMENT_IDS}


def test_a_maturity_assessment_is_rated_completed_and_compared(world: World) -> None:
    with world.database.session() as session:
        first = assessments.start_maturity(session, world.ado, "dph")
        assert (first.number, first.status, first.rated, first.previous_number) == (
            1,
            "draft",
            0,
            None,
        )
        with pytest.raises(Conflict, match="still a draft"):
            assessments.start_maturity(session, world.ado, "dph")
        partial = MaturityUpdate(ratings={"analytics": {"people": 2}}, notes={"analytics": "New"})
        rated = assessments.rate_maturity(session, world.ado, "dph", 1, partial)
        assert rated.rated == 1 and rated.rows[1].note == "New"
        with pytest.raises(Invalid, match="29 of 30 cells are not rated"):
            assessments.complete_maturity(session, world.ado, "dph", 1)
        assessments.rate_maturity(session, world.ado, "dph", 1, MaturityUpdate(ratings=_all(2)))
        done = assessments.complete_maturity(session, world.ado, "dph", 1)
        assert (done.status, done.overall, done.overall_level) == ("completed", 2.0, "Repeatable")
        with pytest.raises(Conflict, match="completed and cannot change"):
            assessments.rate_maturity(session, world.ado, "dph", 1, partial)

        second = assessments.start_maturity(session, world.ado, "dph")
        assert (second.number, second.started_from, second.previous_number) == (2, 1, 1)
        assert second.rated == 30  # starts from the last completed ratings
        moved = {"data_quality": {"people": 4, "policies": 1}}
        compared = assessments.rate_maturity(
            session, world.ado, "dph", 2, MaturityUpdate(ratings=moved)
        )
    quality = next(row for row in compared.rows if row.element == "data_quality")
    cells = {cell.dimension: cell for cell in quality.cells}
    assert (cells["people"].previous, cells["people"].level, cells["people"].change) == (2, 4, 2)
    assert cells["people"].direction == "up" and cells["policies"].direction == "down"
    assert cells["capabilities"].direction == "same" and cells["people"].level_name == "Managed"
    assert (quality.previous_mean, quality.mean, quality.direction) == (2.0, 2.3, "up")


def test_completed_ratings_are_public_and_notes_are_not(world: World) -> None:
    with world.database.session() as session:
        assessments.start_maturity(session, world.ado, "dph")
        update = MaturityUpdate(ratings=_all(3), notes={"metadata": "Draft note"}, summary="S")
        assessments.rate_maturity(session, world.ado, "dph", 1, update)
        with pytest.raises(NotAuthenticated):
            assessments.get_maturity(session, ANONYMOUS, "dph", 1)
        with pytest.raises(NotAuthorized):
            assessments.get_maturity(session, world.outsider, "dph", 1)
        assert assessments.list_maturity(session, ANONYMOUS, "dph") == []
        assert [a.number for a in assessments.list_maturity(session, world.analyst, "dph")] == [1]
        assessments.complete_maturity(session, world.ado, "dph", 1)
        public = assessments.get_maturity(session, ANONYMOUS, "dph", 1)
        staff = assessments.get_maturity(session, world.analyst, "dph", 1)
        latest = assessments.latest_maturity(session, catalog.get_agency(session, "dph").id)
        assert assessments.latest_maturity(session, catalog.get_agency(session, "opm").id) is None
        with pytest.raises(NotFound):
            assessments.get_maturity(session, ANONYMOUS, "dph", 9)
    assert public.overall == 3.0 and public.summary is None
    assert all(row.note is None for row in public.rows)
    assert staff.summary == "S" and staff.rows[-1].note == "Draft note"
    assert latest is not None and latest.number == 1 and latest.summary is None


def test_only_the_ado_assesses_maturity(world: World) -> None:
    with world.database.session() as session:
        for actor in (world.steward, world.analyst, world.outsider):
            with pytest.raises(NotAuthorized):
                assessments.start_maturity(session, actor, "dph")
        assert assessments.start_maturity(session, world.cdo, "dph").number == 1
        with pytest.raises(NotAuthorized):
            assessments.rate_maturity(session, world.steward, "dph", 1, MaturityUpdate())
        with pytest.raises(Invalid, match="not one of the ten elements"):
            bad = MaturityUpdate(ratings={"vibes": {"people": 3}})
            assessments.rate_maturity(session, world.ado, "dph", 1, bad)
        with pytest.raises(Invalid, match="people, policies or capabilities"):
            bad = MaturityUpdate(ratings={"analytics": {"budget": 3}})
            assessments.rate_maturity(session, world.ado, "dph", 1, bad)


def test_a_low_score_opens_a_risk_that_must_be_owned_before_completion(world: World) -> None:
    with world.database.session() as session:
        start = EthicsCreate(dataset_id="plan-0001", description="Publishing cases by town")
        made = ethics.start_ethics(session, world.steward, start)
        assert (made.title, made.agency, made.status) == (
            "Lead poisoning cases by town",
            "dph",
            "draft",
        )
        scores = {p: {"score": 4, "notes": "Fine"} for p in ("public_benefit", "diverse_expertise")}
        scores |= {"legal_compliance": {"score": 5}, "data_quality": {"score": 3}}
        scores |= {"wider_implications": {"score": 1, "notes": "Small towns: deductive disclosure"}}
        scored = ethics.score_ethics(
            session, world.steward, made.id, EthicsUpdate.model_validate({"scores": scores})
        )
        assert [r.principle for r in scored.risks] == ["wider_implications"]
        assert scored.total == 17 and scored.open_risks == 1
        assert scored.problems == ["the risk on Wider implications needs an owner and a mitigation"]
        with pytest.raises(Invalid, match="needs an owner and a mitigation"):
            ethics.complete_ethics(session, world.steward, made.id)
        risk = scored.risks[0].id
        with pytest.raises(Conflict, match="complete the assessment first"):
            ethics.close_risk(session, world.steward, risk, RiskClose(note="Suppressed"))
        owned = RiskUpdate(owner="Epidemiology lead", mitigation="Suppress counts under 5")
        ready = ethics.update_risk(session, world.steward, risk, owned)
        assert ready.ready and ready.status == "open"
        done = ethics.complete_ethics(session, world.steward, made.id)
        assert done.status == "completed" and done.completed_by == "steward@dph.ct.gov"
        with pytest.raises(Conflict, match="cannot change"):
            ethics.score_ethics(session, world.steward, made.id, EthicsUpdate())
        with pytest.raises(Invalid, match="needs a note"):
            ethics.close_risk(session, world.steward, risk, RiskClose(note=" "))
        closed = ethics.close_risk(session, world.steward, risk, RiskClose(note="Suppression on"))
        assert (closed.status, closed.closing_note) == ("closed", "Suppression on")
        assert ethics.open_risk_count(session, catalog.get_agency(session, "dph").id) == 0
        with pytest.raises(Conflict, match="already closed"):
            ethics.close_risk(session, world.steward, risk, RiskClose(note="Again"))


def test_a_raised_score_withdraws_a_draft_risk(world: World) -> None:
    with world.database.session() as session:
        made = ethics.start_ethics(
            session, world.steward, EthicsCreate(agency="dph", title="Overdose dashboard")
        )
        low = EthicsUpdate.model_validate({"scores": {"legal_compliance": {"score": 2}}})
        assert len(ethics.score_ethics(session, world.steward, made.id, low).risks) == 1
        assert ethics.open_risk_count(session, catalog.get_agency(session, "dph").id) == 1
        high = EthicsUpdate.model_validate({"scores": {"legal_compliance": {"score": 3}}})
        assert ethics.score_ethics(session, world.steward, made.id, high).risks == []
        with pytest.raises(Invalid, match="not scored"):
            ethics.complete_ethics(session, world.steward, made.id)
        with pytest.raises(Invalid, match="not one of the five principles"):
            bad = EthicsUpdate.model_validate({"scores": {"vibes": {"score": 3}}})
            ethics.score_ethics(session, world.steward, made.id, bad)


def test_ethics_assessments_are_for_the_agency_staff_only(world: World) -> None:
    with world.database.session() as session:
        made = ethics.start_ethics(
            session, world.steward, EthicsCreate(agency="dph", title="Overdose dashboard")
        )
        with pytest.raises(NotAuthenticated):
            ethics.get_ethics(session, ANONYMOUS, made.id)
        with pytest.raises(NotAuthenticated):
            ethics.list_ethics(session, ANONYMOUS)
        with pytest.raises(NotAuthorized):
            ethics.get_ethics(session, world.outsider, made.id)
        with pytest.raises(NotAuthorized):
            ethics.start_ethics(session, world.analyst, EthicsCreate(agency="dph", title="X"))
        with pytest.raises(NotAuthorized):
            ethics.start_ethics(session, world.outsider, EthicsCreate(dataset_id="plan-0001"))
        with pytest.raises(Invalid, match="belongs to Department of Public Health"):
            ethics.start_ethics(
                session, world.cdo, EthicsCreate(agency="opm", dataset_id="plan-0001")
            )
        with pytest.raises(Invalid, match="name the project"):
            ethics.start_ethics(session, world.steward, EthicsCreate(agency="dph"))
        assert ethics.get_ethics(session, world.analyst, made.id).title == "Overdose dashboard"
        assert [a.id for a in ethics.list_ethics(session, world.analyst)] == [made.id]
        assert ethics.list_ethics(session, world.outsider) == []
        assert [a.id for a in ethics.list_ethics(session, world.cdo, agency="dph")] == [made.id]
        assert ethics.list_risks(session, world.outsider) == []
        with pytest.raises(NotFound):
            ethics.get_ethics(session, world.analyst, 999)
