"""The inventory's use cases on SQLite and PostgreSQL: cycles, entries, the review workflow,
the history, carrying forward, and the CDO dashboard, each checked against the roles."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from steward.accounts.policy import ANONYMOUS, SYSTEM
from steward.catalog import service as catalog
from steward.catalog.schemas import AgencyCreate
from steward.errors import Conflict, Invalid, NotAuthenticated, NotAuthorized, NotFound
from steward.inventory import assets, service
from steward.inventory.schemas import AssetCreate, AssetUpdate, CycleCreate

Entry = Callable[..., AssetCreate]
DUE = date(2026, 3, 31)


def _open(world, year: int = 2026) -> None:  # type: ignore[no-untyped-def]
    with world.database.session() as session:
        service.open_cycle(session, world.cdo, CycleCreate(year=year, due_date=DUE))


def test_the_cdo_opens_a_cycle_and_every_agency_gets_a_draft(world) -> None:  # type: ignore[no-untyped-def]
    with world.database.session() as session:
        cycle = service.open_cycle(session, world.cdo, CycleCreate(year=2026, due_date=DUE))
    assert cycle.opened_by == "cdo@ct.gov"
    assert [(s.agency, s.status) for s in cycle.submissions] == [  # by agency name
        ("dph", "draft"),
        ("opm", "draft"),
        ("ocme", "draft"),
    ]
    with world.database.session() as session, pytest.raises(Conflict, match="already open"):
        service.open_cycle(session, world.cdo, CycleCreate(year=2026, due_date=DUE))


@pytest.mark.parametrize("who", ["ado", "steward", "analyst", "outsider"])
def test_only_the_cdo_opens_a_cycle(world, who: str) -> None:  # type: ignore[no-untyped-def]
    with world.database.session() as session, pytest.raises(NotAuthorized, match="the CDO"):
        service.open_cycle(session, getattr(world, who), CycleCreate(year=2026, due_date=DUE))
    with world.database.session() as session, pytest.raises(NotAuthenticated):
        service.open_cycle(session, ANONYMOUS, CycleCreate(year=2026, due_date=DUE))


def test_people_see_only_their_agencys_submission(world) -> None:  # type: ignore[no-untyped-def]
    _open(world)
    with world.database.session() as session:
        mine = service.get_cycle(session, world.analyst, 2026)
        assert [s.agency for s in mine.submissions] == ["dph"]
        assert [s.agency for s in service.list_cycles(session, world.outsider)[0].submissions] == [
            "opm"
        ]
        assert service.get_submission(session, world.analyst, 2026, "dph").status == "draft"
        with pytest.raises(NotAuthorized):
            service.get_submission(session, world.outsider, 2026, "dph")
        with pytest.raises(NotAuthorized):
            service.dashboard(session, world.ado, 2026)
        with pytest.raises(NotAuthenticated):
            service.list_cycles(session, ANONYMOUS)
        with pytest.raises(NotFound, match="no inventory cycle for 2031"):
            service.get_submission(session, world.cdo, 2031, "dph")


def test_stewards_add_entries_and_analysts_cannot(world, entry: Entry) -> None:  # type: ignore[no-untyped-def]
    _open(world)
    with world.database.session() as session:
        added = assets.add_asset(session, world.steward, 2026, "dph", entry())
    assert added.high_value and added.criteria_met == ["A", "H"]
    assert added.updated_by == "steward@dph.ct.gov" and added.contains_phi
    for who in (world.analyst, world.outsider):
        with world.database.session() as session, pytest.raises(NotAuthorized):
            assets.add_asset(session, who, 2026, "dph", entry(name="Other"))


def test_a_catalogued_dataset_starts_from_the_catalogs_metadata(world) -> None:  # type: ignore[no-untyped-def]
    _open(world)
    data = AssetCreate(
        dataset_id="hvd0-0001",
        criteria={"F": {"applies": True, "justification": "Requested weekly"}},
        open_data_status="not publishable",
        not_publishable_reason="Identifies people",
    )
    with world.database.session() as session:
        added = assets.add_asset(session, world.steward, 2026, "dph", data)
        candidates = [c.id for c in assets.candidates(session, world.analyst, 2026, "dph")]
    assert (added.name, added.system_of_record, added.steward) == (
        "Vital records: births",
        "Electronic Vital Records System",
        "State Registrar",
    )
    assert (added.classification, added.access_level) == ("personal", "non-public")
    assert "individual people" in (added.access_reason or "")
    assert (added.geographic_unit, added.temporal_coverage) == ("Municipality", "2012-2017")
    assert candidates == ["hvd0-0002"]  # listed datasets are no longer offered
    with world.database.session() as session, pytest.raises(Conflict, match="already listed"):
        assets.add_asset(session, world.steward, 2026, "dph", data)
    with world.database.session() as session, pytest.raises(Invalid, match="belongs to Office"):
        assets.add_asset(session, world.steward, 2026, "dph", AssetCreate(dataset_id="hvd0-0003"))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"criteria": {"C": {"applies": True, "justification": ""}}},
            "criterion_C_justification",
            "criterion C is marked yes but has no justification",
        ),
        ({"planned_date": None}, "planned_date", "planned, so give the planned date"),
        (
            {"open_data_status": "not publishable"},
            "not_publishable_reason",
            "not publishable, so give the reason",
        ),
        (
            {"access_level": "non-public", "access_reason": None},
            "access_reason",
            "non-public, so give the reason",
        ),
        (
            {"classification": "personal", "access_level": "public"},
            "access_level",
            "classified personal cannot have access level public",
        ),
        ({"name": "  "}, "name", "give the asset a name"),
    ],
)
def test_an_incomplete_entry_is_refused_with_the_field_named(  # type: ignore[no-untyped-def]
    world, entry: Entry, changes: dict, field: str, message: str
) -> None:
    _open(world)
    with world.database.session() as session, pytest.raises(Invalid) as caught:
        assets.add_asset(session, world.steward, 2026, "dph", entry(**changes))
    assert message in caught.value.message
    assert {
        "field": field,
        "message": caught.value.data["errors"][0]["message"],
    } in caught.value.data["errors"]
    with world.database.session() as session:
        assert service.get_submission(session, world.cdo, 2026, "dph").assets == []


def test_the_full_review_cycle_keeps_every_change(world, entry: Entry) -> None:  # type: ignore[no-untyped-def]
    _open(world)
    db = world.database
    with db.session() as session:
        asset = assets.add_asset(session, world.steward, 2026, "dph", entry())
        with pytest.raises(Conflict, match="add at least one"):
            service.submit(session, world.cdo, 2026, "ocme")
    with db.session() as session, pytest.raises(NotAuthorized, match="ado"):
        service.submit(session, world.steward, 2026, "dph")
    with db.session() as session:
        assert service.submit(session, world.ado, 2026, "dph", "first try").status == "submitted"
    with db.session() as session, pytest.raises(Conflict, match="is submitted"):
        assets.update_asset(session, world.ado, 2026, "dph", asset.id, AssetUpdate(owner="X"))
    with db.session() as session, pytest.raises(Invalid, match="needs a comment"):
        service.return_submission(session, world.cdo, 2026, "dph", "  ")
    with db.session() as session, pytest.raises(NotAuthorized):
        service.return_submission(session, world.ado, 2026, "dph", "self-review")
    with db.session() as session:
        returned = service.return_submission(session, world.cdo, 2026, "dph", "Justify B too")
    assert (returned.status, returned.review_comment) == ("returned", "Justify B too")
    criteria = {"B": {"applies": True, "justification": "Shows response times"}}
    with db.session() as session:
        assets.update_asset(
            session, world.steward, 2026, "dph", asset.id, AssetUpdate(criteria=criteria)
        )
        service.submit(session, world.ado, 2026, "dph")
        with pytest.raises(Conflict, match="only a draft or returned"):
            service.submit(session, world.ado, 2026, "dph")
        accepted = service.accept(session, world.cdo, 2026, "dph", "Thank you")
        with pytest.raises(Conflict, match="is accepted"):
            service.return_submission(session, world.cdo, 2026, "dph", "again")
    assert accepted.status == "accepted" and accepted.assets[0].criteria_met == ["A", "B", "H"]

    with db.session() as session:
        history = service.history(session, world.analyst, 2026, "dph")
    steps = [(c.action, c.actor, c.comment) for c in reversed(history)]
    assert steps == [
        ("opened", "cdo@ct.gov", "2026 cycle opened"),
        ("added", "steward@dph.ct.gov", None),
        ("submitted", "ado@dph.ct.gov", "first try"),
        ("returned", "cdo@ct.gov", "Justify B too"),
        ("updated", "steward@dph.ct.gov", None),
        ("submitted", "ado@dph.ct.gov", None),
        ("accepted", "cdo@ct.gov", "Thank you"),
    ]
    update = history[2]
    assert [c.field for c in update.changes] == ["criteria"]
    assert update.before["criteria"]["B"] == {"applies": False, "justification": ""}
    assert update.after["criteria"]["B"] == {
        "applies": True,
        "justification": "Shows response times",
    }


def test_removing_an_entry_keeps_it_in_the_history(world, entry: Entry) -> None:  # type: ignore[no-untyped-def]
    _open(world)
    with world.database.session() as session:
        asset = assets.add_asset(session, world.steward, 2026, "dph", entry())
        assets.remove_asset(session, world.steward, 2026, "dph", asset.id)
        with pytest.raises(NotFound):
            assets.get_asset(session, world.analyst, 2026, "dph", asset.id)
        removed = service.history(session, world.analyst, 2026, "dph")[0]
    assert (removed.action, removed.asset_name) == ("removed", "Immunization registry")
    assert removed.before is not None and removed.before["system_of_record"] == "CT WiZ"


def test_next_year_starts_from_last_years_entries(world, entry: Entry) -> None:  # type: ignore[no-untyped-def]
    _open(world, 2025)
    with world.database.session() as session:
        old = assets.add_asset(session, world.steward, 2025, "dph", entry())
    _open(world, 2026)
    with world.database.session() as session:
        draft = service.get_submission(session, world.ado, 2026, "dph")
        (copy,) = draft.assets
        assert (draft.status, draft.carried_forward_from) == ("draft", 2025)
        assert (copy.key, copy.carried_forward_from, copy.name) == (old.key, 2025, old.name)
        assert copy.id != old.id
        note = service.history(session, world.ado, 2026, "dph")[0]
        assert note.comment == "1 entries carried forward from 2025"
        assets.update_asset(session, world.steward, 2026, "dph", copy.id, AssetUpdate(owner="New"))
        assert (
            assets.get_asset(session, world.cdo, 2025, "dph", old.id).owner
            == "Immunization Program"
        )
        assert service.get_submission(session, world.cdo, 2026, "ocme").carried_forward_from is None


def test_an_agency_added_later_gets_its_submission_on_first_access(world) -> None:  # type: ignore[no-untyped-def]
    _open(world)
    with world.database.session() as session:
        catalog.create_agency(session, SYSTEM, AgencyCreate(slug="dss", name="Social Services"))
    with world.database.session() as session:
        assert service.get_submission(session, world.cdo, 2026, "dss").status == "draft"
        board = service.dashboard(session, world.cdo, 2026)
    assert [row.agency for row in board.agencies] == ["dph", "opm", "ocme", "dss"]  # by name


def test_the_dashboard_counts_and_names_the_overdue(world, entry: Entry) -> None:  # type: ignore[no-untyped-def]
    _open(world)
    published = {
        "open_data_status": "published",
        "access_level": "public",
        "classification": "public",
    }
    with world.database.session() as session:
        assets.add_asset(session, world.steward, 2026, "dph", entry())
        assets.add_asset(
            session, world.steward, 2026, "dph", entry(name="Clinic list", criteria={}, **published)
        )
        assets.add_asset(session, world.cdo, 2026, "opm", entry(name="Grants", **published))
        service.submit(session, world.cdo, 2026, "opm")
    with world.database.session() as session:
        before = service.dashboard(session, world.cdo, 2026, as_of=DUE)
        after = service.dashboard(session, world.cdo, 2026, as_of=date(2026, 4, 1))
    rows = {row.agency: row for row in after.agencies}
    assert (rows["dph"].asset_count, rows["dph"].high_value_count, rows["dph"].published_share) == (
        2,
        1,
        0.5,
    )
    assert rows["ocme"].published_share is None and rows["opm"].status == "submitted"
    assert (after.asset_count, after.high_value_count, after.published_count) == (3, 2, 2)
    assert after.published_share == pytest.approx(2 / 3)
    assert after.status_counts == {"draft": 2, "submitted": 1, "returned": 0, "accepted": 0}
    assert before.overdue == [] and after.overdue == ["dph", "ocme"]
