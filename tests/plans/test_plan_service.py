"""Open Data Access Plans through the service, on SQLite and PostgreSQL: who may do what, entries
and their links, publication, and adherence computed from the catalog."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError

from steward.accounts.policy import ANONYMOUS, SYSTEM
from steward.catalog import service as catalog
from steward.errors import Conflict, Invalid, NotAuthenticated, NotAuthorized, NotFound
from steward.inventory import assets as inventory_assets
from steward.inventory import service as inventory
from steward.inventory.schemas import AssetCreate, AssetUpdate, CycleCreate
from steward.plans import entries, exports, service
from steward.plans.schemas import EntryCreate, EntryUpdate, PlanCreate, PlanUpdate

from .conftest import World

PERIOD = "2026-2027"
TODAY = date.today()


def _plan(world: World, period: str = PERIOD) -> None:
    with world.database.session() as session:
        service.create_plan(session, world.ado, PlanCreate(agency="dph", period=period))


def _add(world: World, **values: object) -> int:
    with world.database.session() as session:
        data = EntryCreate.model_validate(values)
        return entries.add_entry(session, world.steward, "dph", PERIOD, data).id


def _publish(world: World) -> None:
    with world.database.session() as session:
        service.publish_plan(session, world.ado, "dph", PERIOD)


def _entry(world: World, entry_id: int, as_of: date | None = None) -> dict[str, object]:
    with world.database.session() as session:
        plan = service.get_plan(session, ANONYMOUS, "dph", PERIOD, as_of=as_of)
    return next(e.model_dump() for e in plan.entries if e.id == entry_id)


def test_the_ado_creates_a_plan_and_others_may_not(world: World) -> None:
    with world.database.session() as session:
        created = service.create_plan(
            session, world.ado, PlanCreate(agency="dph", period=" 2026 - 2027 ", summary="Goals")
        )
        assert (created.period, created.status, created.created_by) == (
            PERIOD,
            "draft",
            "ado@dph.ct.gov",
        )
        with pytest.raises(Conflict, match="already has a plan for 2026-2027"):
            service.create_plan(session, world.cdo, PlanCreate(agency="dph", period=PERIOD))
        for actor in (world.steward, world.outsider):
            with pytest.raises(NotAuthorized):
                service.create_plan(session, actor, PlanCreate(agency="dph", period="2028-2029"))
        with pytest.raises(NotAuthenticated):
            service.create_plan(session, ANONYMOUS, PlanCreate(agency="dph", period="2028-2029"))
        with pytest.raises(NotFound, match="no agency"):
            service.create_plan(session, world.cdo, PlanCreate(agency="nope", period="2028-2029"))
    with pytest.raises(ValidationError, match="two consecutive years"):
        PlanCreate(agency="dph", period="2026-2028")


def test_a_draft_is_for_the_agency_and_a_published_plan_for_everyone(world: World) -> None:
    _plan(world)
    _add(world, dataset_id="plan-0001", target_date=TODAY + timedelta(days=30))
    with world.database.session() as session:
        with pytest.raises(NotAuthenticated):
            service.get_plan(session, ANONYMOUS, "dph", PERIOD)
        with pytest.raises(NotAuthorized):
            service.get_plan(session, world.outsider, "dph", PERIOD)
        assert service.get_plan(session, world.analyst, "dph", PERIOD).status == "draft"
        assert service.list_plans(session, ANONYMOUS) == []
        assert [p.period for p in service.list_plans(session, world.analyst)] == [PERIOD]
        assert service.current_plan(session, "dph") is None
    _publish(world)
    with world.database.session() as session:
        public = service.get_plan(session, ANONYMOUS, "dph", PERIOD)
        assert public.status == "published" and public.published_by == "ado@dph.ct.gov"
        assert [p.agency for p in service.list_plans(session, ANONYMOUS)] == ["dph"]
        current = service.current_plan(session, "dph", as_of=date(2027, 3, 1))
        assert current is not None and current.period == PERIOD
        index = {item.agency: item.plan for item in service.public_index(session)}
        assert index["dph"] is not None and index["opm"] is None


def test_entries_take_their_title_and_frequency_from_the_dataset(world: World) -> None:
    _plan(world)
    entry_id = _add(world, dataset_id="plan-0001", target_date=TODAY + timedelta(days=30))
    shown = _entry_as(world, entry_id)
    assert shown["title"] == "Lead poisoning cases by town"
    assert shown["update_frequency"] == "R/P1Y"
    assert shown["priority"] == "medium" and shown["kind"] == "planned"


def _entry_as(world: World, entry_id: int) -> dict[str, object]:
    with world.database.session() as session:
        return entries.get_entry(session, world.analyst, "dph", PERIOD, entry_id).model_dump()


def test_entries_are_checked(world: World) -> None:
    _plan(world)
    _add(world, dataset_id="plan-0001", target_date=TODAY)
    with world.database.session() as session:
        add = entries.add_entry
        with pytest.raises(Invalid, match="needs a target date"):
            add(session, world.steward, "dph", PERIOD, EntryCreate(title="Births"))
        with pytest.raises(Invalid, match="belongs to another agency"):
            add(session, world.steward, "dph", PERIOD, EntryCreate(dataset_id="plan-0003"))
        with pytest.raises(Conflict, match="already in the plan"):
            add(
                session,
                world.steward,
                "dph",
                PERIOD,
                EntryCreate(dataset_id="plan-0001", target_date=TODAY),
            )
        with pytest.raises(Invalid, match="give the entry a title"):
            add(session, world.steward, "dph", PERIOD, EntryCreate(kind="published"))
        with pytest.raises(Invalid, match="no asset with key"):
            add(session, world.steward, "dph", PERIOD, EntryCreate(kind="published", asset_key="x"))
        with pytest.raises(NotAuthorized):
            add(session, world.analyst, "dph", PERIOD, EntryCreate(title="T", target_date=TODAY))
        with pytest.raises(NotAuthorized):
            add(session, world.outsider, "dph", PERIOD, EntryCreate(title="T", target_date=TODAY))


def test_publishing_commits_the_targets(world: World) -> None:
    _plan(world)
    with world.database.session() as session, pytest.raises(Conflict, match="at least one entry"):
        service.publish_plan(session, world.ado, "dph", PERIOD)
    target = TODAY + timedelta(days=30)
    entry_id = _add(world, title="Vaccination coverage by school", target_date=target)
    with world.database.session() as session, pytest.raises(NotAuthorized):
        service.publish_plan(session, world.steward, "dph", PERIOD)
    _publish(world)
    with world.database.session() as session:
        with pytest.raises(Conflict, match="already published"):
            service.publish_plan(session, world.ado, "dph", PERIOD)
        with pytest.raises(Conflict, match="keeps its entries"):
            entries.remove_entry(session, world.steward, "dph", PERIOD, entry_id)
        with pytest.raises(Conflict, match="kind cannot change"):
            entries.update_entry(
                session, world.steward, "dph", PERIOD, entry_id, EntryUpdate(kind="published")
            )
        later = EntryUpdate(target_date=target + timedelta(days=60))
        moved = entries.update_entry(session, world.steward, "dph", PERIOD, entry_id, later)
        assert moved.rescheduled and moved.committed_date == target
        updated = service.update_plan(session, world.ado, "dph", PERIOD, PlanUpdate(summary="S"))
        assert updated.summary == "S"
    # Judged by the commitment: once it passes unreleased, the entry is overdue even though the
    # target was moved later.
    after = _entry(world, entry_id, as_of=target + timedelta(days=1))
    assert after["adherence"] == "overdue"


def test_adherence_follows_the_catalog_without_editing_the_plan(world: World) -> None:
    """Plan two datasets, publish one before its target and one after: the plan shows it."""
    world.dataset("plan-0004", title="Radon test results")
    _plan(world)
    soon = TODAY + timedelta(days=10)
    on_time = _add(world, dataset_id="plan-0001", target_date=soon, priority="high")
    late = _add(world, dataset_id="plan-0004", target_date=TODAY - timedelta(days=5))
    already = _add(world, kind="published", dataset_id="plan-0002")
    _publish(world)
    assert _entry(world, on_time)["adherence"] == "pending"
    assert _entry(world, late)["adherence"] == "overdue"
    assert _entry(world, already)["adherence"] == "available"
    with world.database.session() as session:
        summary = service.adherence_summary(session, _dph(session))
    assert summary is not None and summary.counts["overdue"] == 1 and summary.on_time_share == 0

    world.publish("plan-0001")
    world.publish("plan-0004")
    first, second = _entry(world, on_time), _entry(world, late)
    assert (first["adherence"], first["released_on"]) == ("on_time", TODAY)
    assert (second["adherence"], second["adherence_label"]) == ("late", "Released late")
    with world.database.session() as session:
        catalog.set_status(session, SYSTEM, "plan-0002", "retired")
    assert _entry(world, already)["adherence"] == "withdrawn"
    with world.database.session() as session:
        summary = service.adherence_summary(session, _dph(session))
        assert service.adherence_summary(session, _dph(session), period="2030-2031") is None
        assert [s.agency for s in service.plan_summaries(session)] == ["dph"]
    assert summary is not None
    assert (summary.counts["on_time"], summary.counts["late"], summary.on_time_share) == (1, 1, 0.5)


def _dph(session: object) -> int:
    return catalog.get_agency(session, "dph").id  # type: ignore[arg-type]


def test_an_inventory_asset_links_the_plan_to_a_dataset_catalogued_later(world: World) -> None:
    with world.database.session() as session:
        inventory.open_cycle(session, SYSTEM, CycleCreate(year=2026, due_date=date(2026, 3, 31)))
        values = {
            "name": "Childhood lead screening",
            "criteria": {"C": {"applies": True, "justification": "Informs residents"}},
            "classification": "public",
            "access_level": "public",
            "open_data_status": "planned",
            "planned_date": TODAY - timedelta(days=1),
        }
        asset = inventory_assets.add_asset(
            session, world.steward, 2026, "dph", AssetCreate.model_validate(values)
        )
        other = {**values, "name": "Clinic licences", "open_data_status": "published"}
        inventory_assets.add_asset(
            session, world.steward, 2026, "dph", AssetCreate.model_validate(other)
        )
    _plan(world)
    with world.database.session() as session:
        year, added = entries.add_from_inventory(session, world.steward, "dph", PERIOD)
        assert year == 2026 and [e.title for e in added] == [
            "Childhood lead screening",
            "Clinic licences",
        ]
        planned = added[0]
        assert planned.asset_key == asset.key and planned.priority == "high"
        assert planned.target_date == TODAY - timedelta(days=1)
        assert "meets the statutory criteria C" in planned.rationale
        again = entries.add_from_inventory(session, world.steward, "dph", PERIOD)
        assert again == (2026, [])
    _publish(world)
    assert _entry(world, planned.id)["adherence"] == "overdue"
    world.publish("plan-0001")
    assert _entry(world, planned.id)["adherence"] == "overdue"  # not linked yet
    with world.database.session() as session:
        inventory_assets.update_asset(
            session, SYSTEM, 2026, "dph", asset.id, AssetUpdate(dataset_id="plan-0001")
        )
    shown = _entry(world, planned.id)
    assert (shown["adherence"], shown["dataset_id"], shown["asset_name"]) == (
        "late",
        "plan-0001",
        "Childhood lead screening",
    )


def test_from_inventory_needs_an_inventory(world: World) -> None:
    _plan(world)
    with world.database.session() as session, pytest.raises(Conflict, match="no inventory"):
        entries.add_from_inventory(session, world.steward, "dph", PERIOD)


def test_a_draft_entry_can_be_changed_and_removed(world: World) -> None:
    _plan(world)
    entry_id = _add(world, dataset_id="plan-0001", target_date=TODAY)
    with world.database.session() as session:
        changed = entries.update_entry(
            session,
            world.steward,
            "dph",
            PERIOD,
            entry_id,
            EntryUpdate(dataset_id=None, title="Lead (by town)", rationale="Asked for by towns"),
        )
        assert (changed.dataset_id, changed.title, changed.rationale) == (
            None,
            "Lead (by town)",
            "Asked for by towns",
        )
        assert not changed.rescheduled and changed.committed_date is None
        entries.remove_entry(session, world.steward, "dph", PERIOD, entry_id)
        with pytest.raises(NotFound, match="no entry"):
            entries.get_entry(session, world.steward, "dph", PERIOD, entry_id)


def test_exports_hold_the_entries_and_their_adherence(world: World) -> None:
    _plan(world)
    _add(world, title="=HYPERLINK(1)", target_date=TODAY + timedelta(days=3))
    _add(world, kind="published", dataset_id="plan-0002")
    with world.database.session() as session:
        with pytest.raises(NotAuthenticated):
            exports.export_plan(session, ANONYMOUS, "dph", PERIOD, "csv")
        made = exports.export_plan(session, world.analyst, "dph", PERIOD, "csv")
        book = exports.export_plan(session, world.analyst, "dph", PERIOD, "xlsx")
    assert made.filename == "odap-dph-2026-2027.csv"
    rows = list(csv.DictReader(io.StringIO(made.content.decode())))
    assert [(r["Title"], r["Adherence"]) for r in rows] == [
        ("'=HYPERLINK(1)", "Not yet released"),
        ("Licensed clinics", "Published"),
    ]
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][5] == "Title" and values[2][5] == "Licensed clinics"
    assert values[1][5] == "'=HYPERLINK(1)"  # text, not a formula
