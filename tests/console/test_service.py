"""Who may change the catalog: the service checks every write against the dataset's agency."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from steward.accounts.policy import SYSTEM, Actor
from steward.catalog import service, versions
from steward.catalog.schemas import (
    AgencyCreate,
    AgencyUpdate,
    DatasetCreate,
    DatasetUpdate,
    FieldUpdate,
)
from steward.console import service as console
from steward.console.schemas import PersonAdd
from steward.errors import Conflict, Invalid, NotAuthenticated, NotAuthorized, NotFound

DPH_DATASET, OPM_DATASET = "cons-0001", "cons-0002"  # made by conftest.py's world
ROLES = ["anonymous", "opm", "analyst", "steward", "ado", "cdo"]
World = Any  # conftest.py's World
Write = Callable[[Session, Actor, World], Any]


def _ingest(session: Session, actor: Actor, world: World, dataset_id: str = DPH_DATASET) -> Any:
    source = world.settings.data_dir / "towns.csv"
    return versions.ingest_version(session, actor, world.settings.data_dir, dataset_id, source)


WRITES: dict[str, tuple[Write, set[str]]] = {
    "create dph dataset": (
        lambda s, a, w: service.create_dataset(s, a, DatasetCreate(agency="dph", title="New one")),
        {"steward", "ado", "cdo"},
    ),
    "edit dph dataset": (
        lambda s, a, w: service.update_dataset(s, a, DPH_DATASET, DatasetUpdate(license="x")),
        {"steward", "ado", "cdo"},
    ),
    "edit opm dataset": (
        lambda s, a, w: service.update_dataset(s, a, OPM_DATASET, DatasetUpdate(license="x")),
        {"opm", "cdo"},
    ),
    "edit dph field": (
        lambda s, a, w: service.update_field(
            s, a, DPH_DATASET, "town", FieldUpdate(description="CT town")
        ),
        {"steward", "ado", "cdo"},
    ),
    "publish dph dataset": (
        lambda s, a, w: service.set_status(s, a, DPH_DATASET, "retired"),
        {"steward", "ado", "cdo"},
    ),
    "upload to dph dataset": (_ingest, {"steward", "ado", "cdo"}),
    "upload to opm dataset": (
        lambda s, a, w: _ingest(s, a, w, OPM_DATASET),
        {"opm", "cdo"},
    ),
    "add an agency": (
        lambda s, a, w: service.create_agency(s, a, AgencyCreate(slug="new", name="New Agency")),
        {"cdo"},
    ),
    "edit the dph agency": (
        lambda s, a, w: service.update_agency(s, a, "dph", AgencyUpdate(abbreviation="DPH")),
        {"ado", "cdo"},
    ),
}


class _Undo(Exception):
    """Raised after an allowed write so its transaction rolls back and every role starts alike."""


def _outcome(world: World, call: Write, who: str) -> str:
    try:
        with world.database.session() as session:
            call(session, world.actor(who), world)
            raise _Undo
    except _Undo:
        return "allowed"
    except NotAuthenticated:
        return "must sign in"
    except NotAuthorized:
        return "refused"


@pytest.mark.parametrize("write", list(WRITES))
def test_each_write_needs_its_role_in_its_agency(world: World, write: str) -> None:
    call, allowed = WRITES[write]
    if write == "publish dph dataset":  # retiring needs a published dataset first
        with world.database.session() as session:
            closed = DatasetUpdate(access_level="non-public")
            service.update_dataset(session, SYSTEM, DPH_DATASET, closed)
            service.set_status(session, SYSTEM, DPH_DATASET, "published")
    outcomes = {who: _outcome(world, call, who) for who in ROLES}
    expected = {who: "allowed" if who in allowed else "refused" for who in ROLES}
    assert outcomes == expected | {"anonymous": "must sign in"}


def test_an_analyst_cannot_edit_another_agencys_dataset_nor_their_own(world: World) -> None:
    analyst = world.actors["analyst"]
    for dataset_id in (OPM_DATASET, DPH_DATASET):
        with pytest.raises(NotAuthorized, match=r"dataset\.edit"), world.database.session() as s:
            service.update_dataset(s, analyst, dataset_id, DatasetUpdate(title="Mine now"))
    with world.database.session() as session:
        titles = {service.get_dataset(session, i).title for i in (OPM_DATASET, DPH_DATASET)}
    assert "Mine now" not in titles


def test_a_denied_upload_leaves_no_version_and_no_file(world: World) -> None:
    with pytest.raises(NotAuthorized), world.database.session() as session:
        _ingest(session, world.actors["analyst"], world)
    with world.database.session() as session:
        assert [v.number for v in versions.list_versions(session, DPH_DATASET)] == [1]
    assert not (world.settings.data_dir / "datasets" / DPH_DATASET / "v2.parquet").exists()


def test_an_upload_records_who_and_the_senders_file_name(world: World) -> None:
    source = world.settings.data_dir / "upload-x1y2.csv"
    source.write_text(world.csv + "Ashford,3\n")
    with world.database.session() as session:
        version = versions.ingest_version(
            session,
            world.actors["steward"],
            world.settings.data_dir,
            DPH_DATASET,
            source,
            source_name="Town counts 2024.csv",
        )
    assert (version.number, version.row_count) == (2, 3)
    assert (version.created_by, version.source_filename) == (
        "steward@dph.ct.gov",
        "Town counts 2024.csv",
    )


def test_several_fields_change_together_or_not_at_all(world: World) -> None:
    steward = world.actors["steward"]
    changes = {"town": FieldUpdate(description="CT town"), "nope": FieldUpdate(description="x")}
    with pytest.raises(NotFound, match="nope"), world.database.session() as session:
        service.update_fields(session, steward, DPH_DATASET, changes)
    with world.database.session() as session:
        fields = {f.name: f for f in service.list_fields(session, DPH_DATASET)}
        assert fields["town"].description == ""
        updated = service.update_fields(
            session,
            steward,
            DPH_DATASET,
            {
                "town": FieldUpdate(description="CT town", standard="ct_town"),
                "count": FieldUpdate(label="How many", format="integer"),
            },
        )
    assert [(f.name, f.description, f.label) for f in updated] == [
        ("town", "CT town", "Town"),
        ("count", "", "How many"),
    ]
    with world.database.session() as session:  # a None standard empties it, a None label does not
        service.update_field(session, steward, DPH_DATASET, "town", FieldUpdate(standard=None))
        service.update_field(session, steward, DPH_DATASET, "count", FieldUpdate(label=None))
        fields = {f.name: f for f in service.list_fields(session, DPH_DATASET)}
    assert (fields["town"].standard, fields["count"].label) == (None, "How many")


def test_optional_metadata_can_be_emptied_required_cannot(world: World) -> None:
    steward = world.actors["steward"]
    with world.database.session() as session:
        data = DatasetUpdate(contact_email="data@ct.gov", landing_page="https://ct.gov/x")
        service.update_dataset(session, steward, DPH_DATASET, data)
        emptied = service.update_dataset(
            session, steward, DPH_DATASET, DatasetUpdate(), clear=["contact_email"]
        )
    assert (emptied.contact_email, emptied.landing_page) == (None, "https://ct.gov/x")
    with pytest.raises(Invalid, match="title"), world.database.session() as session:
        service.update_dataset(session, steward, DPH_DATASET, DatasetUpdate(), clear=["title"])


def test_an_agency_is_renamed_by_its_ado_but_never_onto_another_name(world: World) -> None:
    ado = world.actors["ado"]
    with world.database.session() as session:
        renamed = service.update_agency(
            session, ado, "dph", AgencyUpdate(name="Department of Public Health")
        )
    assert (renamed.slug, renamed.name) == ("dph", "Department of Public Health")
    with pytest.raises(Conflict), world.database.session() as session:
        service.update_agency(
            session, world.actors["cdo"], "dph", AgencyUpdate(name="Policy and Mgmt")
        )
    with pytest.raises(NotAuthorized), world.database.session() as session:
        service.update_agency(session, ado, "opm", AgencyUpdate(abbreviation="OPM"))


def test_the_console_lists_the_agencies_where_the_actor_holds_a_role(world: World) -> None:
    with world.database.session() as session:
        mine = console.overview(session, world.actors["analyst"])
        everything = console.overview(session, world.actors["cdo"])
        with pytest.raises(NotAuthenticated):
            console.overview(session, world.actor("anonymous"))
    assert [a.agency.slug for a in mine.agencies] == ["dph"]
    (dph,) = mine.agencies
    assert (dph.role, dph.can_create, dph.can_manage_people, mine.can_create_agency) == (
        "analyst",
        False,
        False,
        False,
    )
    (row,) = dph.datasets
    assert (row.id, row.status, row.access_level, row.classification_status) == (
        DPH_DATASET,
        "draft",
        "public",
        "missing",
    )
    assert 0 < row.completeness < 100 and row.row_count == 2
    assert [a.agency.slug for a in everything.agencies] == ["opm", "dph"]  # by name
    assert everything.can_create_agency and all(a.role == "cdo" for a in everything.agencies)


def test_a_workspace_shows_what_the_actor_may_do(world: World) -> None:
    with world.database.session() as session:
        looking = console.workspace(session, world.actors["analyst"], DPH_DATASET)
        working = console.workspace(session, world.actors["steward"], DPH_DATASET)
        with pytest.raises(NotAuthorized):
            console.workspace(session, world.actors["opm"], DPH_DATASET)
    assert (looking.can_edit, looking.can_upload, looking.can_publish) == (False, False, False)
    assert (working.can_edit, working.can_upload, working.can_publish) == (True, True, True)
    assert [v.number for v in working.versions] == [1]
    assert working.completeness.dataset_id == DPH_DATASET
    assert working.classification_status == "missing"


def test_a_new_dataset_may_go_only_to_an_agency_where_the_actor_is_steward(world: World) -> None:
    with world.database.session() as session:
        choices = console.new_dataset_choices(session, world.actors["steward"], None)
        assert [a.slug for a in choices.agencies] == ["dph"]
        cdo = console.new_dataset_choices(session, world.actors["cdo"], "opm")
        assert cdo.selected == "opm" and len(cdo.agencies) == 2
        with pytest.raises(NotAuthorized):
            console.new_dataset_choices(session, world.actors["opm"], "dph")
        with pytest.raises(NotAuthorized, match="steward role"):
            console.new_dataset_choices(session, world.actors["analyst"], None)


def test_an_ado_adds_people_to_their_own_agency_only(world: World) -> None:
    ado = world.actors["ado"]
    new = PersonAdd(email="New.Person@dph.ct.gov", name="New Person", role="steward")
    with world.database.session() as session:
        added = console.add_person(session, ado, "dph", new)
        again = PersonAdd(email="steward@opm.ct.gov", role="analyst")  # has an account: a grant
        granted = console.add_person(session, ado, "dph", again)
        listing = console.people(session, world.actors["analyst"], "dph")
    assert added.email == "new.person@dph.ct.gov" and added.agency == "dph"
    assert [(r.role, r.agency) for r in added.roles] == [("steward", "dph")]
    assert {(r.role, r.agency) for r in granted.roles} == {("steward", "opm"), ("analyst", "dph")}
    here = {person.user.email: person.roles_here for person in listing.people}
    assert here["new.person@dph.ct.gov"] == ["steward"]
    assert here["steward@opm.ct.gov"] == ["analyst"]
    assert not listing.can_manage
    with pytest.raises(NotAuthorized), world.database.session() as session:
        console.add_person(
            session, ado, "opm", PersonAdd(email="x@ct.gov", name="X", role="analyst")
        )
    with pytest.raises(NotAuthorized), world.database.session() as session:
        console.add_person(
            session,
            world.actors["steward"],
            "dph",
            PersonAdd(email="y@ct.gov", name="Y", role="analyst"),
        )
    with pytest.raises(Invalid, match="give their name"), world.database.session() as session:
        console.add_person(session, ado, "dph", PersonAdd(email="z@ct.gov", role="analyst"))
    with pytest.raises(NotAuthorized), world.database.session() as session:
        console.people(session, world.actors["opm"], "dph")
