"""Console use cases: the actor's agencies and datasets, one dataset's workspace, an agency's
people. Each checks the policy; writes are delegated to the catalog and accounts services.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from steward.accounts import service as accounts
from steward.accounts.models import User
from steward.accounts.policy import Actor, Need, permits, require
from steward.accounts.schemas import RoleGrant, UserCreate, UserPublic
from steward.catalog import service as catalog
from steward.catalog.models import Agency, Dataset
from steward.catalog.public import to_public
from steward.catalog.schemas import AgencyPublic
from steward.catalog.versions import list_versions
from steward.classification import service as classification
from steward.console.schemas import (
    AgencyDatasets,
    AgencyPeople,
    DatasetRow,
    NewDatasetChoices,
    Overview,
    Person,
    PersonAdd,
    Workspace,
)
from steward.errors import Invalid, NotAuthorized
from steward.metadata import completeness


def overview(session: Session, actor: Actor) -> Overview:
    """Every agency where the actor holds a role (all of them for the CDO) with its datasets."""
    require(actor, "console.view")
    agencies = _visible_agencies(session, actor)
    datasets = _datasets_of(session, [agency.id for agency in agencies])
    statuses = classification.statuses(session, [dataset.id for dataset in datasets])
    listed = [
        AgencyDatasets(
            agency=AgencyPublic.model_validate(agency),
            role=_role(actor, agency.id),
            can_create=permits(actor, "dataset.create", agency.id),
            can_manage_people=permits(actor, "people.manage", agency.id),
            datasets=[_row(d, statuses) for d in datasets if d.agency_id == agency.id],
        )
        for agency in agencies
    ]
    return Overview(agencies=listed, can_create_agency=permits(actor, "agency.create"))


def workspace(session: Session, actor: Actor, dataset_id: str) -> Workspace:
    """A dataset as its agency's staff work on it; analysts see it, stewards may change it."""
    dataset = catalog.authorize(session, actor, "dataset.workspace", dataset_id)
    public = to_public(dataset)
    statuses = classification.statuses(session, [dataset.id])
    return Workspace(
        dataset=public,
        versions=sorted(list_versions(session, dataset.id), key=lambda v: -v.number),
        completeness=completeness.evaluate(public),
        classification_status=statuses.get(dataset.id, "missing"),
        can_edit=permits(actor, "dataset.edit", dataset.agency_id),
        can_upload=permits(actor, "dataset.upload", dataset.agency_id),
        can_publish=permits(actor, "dataset.publish", dataset.agency_id),
    )


def new_dataset_choices(session: Session, actor: Actor, agency: str | None) -> NewDatasetChoices:
    """The agencies the actor may create a dataset in; `agency` must be one of them."""
    require(actor, "console.view")
    if agency:
        found = catalog.get_agency(session, agency)
        require(actor, "dataset.create", found.id, what=f"a dataset of {found.name}")
    choices = [
        AgencyPublic.model_validate(item)
        for item in session.scalars(select(Agency).order_by(Agency.name))
        if permits(actor, "dataset.create", item.id)
    ]
    if not choices:
        raise NotAuthorized("creating a dataset needs the steward role in an agency")
    return NewDatasetChoices(agencies=choices, selected=agency)


def people(session: Session, actor: Actor, slug: str) -> AgencyPeople:
    """An agency's people and their roles in it (analyst or above there may look)."""
    agency = catalog.get_agency(session, slug)
    users = accounts.list_users(session, actor, agency=slug)
    listed = [
        Person(user=user, roles_here=[role.role for role in user.roles if role.agency == slug])
        for user in users
    ]
    return AgencyPeople(
        agency=AgencyPublic.model_validate(agency),
        people=listed,
        can_manage=permits(actor, "people.manage", agency.id),
        can_edit_agency=permits(actor, "agency.edit", agency.id),
    )


def add_person(session: Session, actor: Actor, slug: str, data: PersonAdd) -> UserPublic:
    """Give someone a role in the agency, creating their account when the email is new."""
    agency = catalog.get_agency(session, slug)
    require(actor, "people.manage", agency.id, what=f"the people of {agency.name}")
    grant = RoleGrant(role=data.role, agency=slug)
    if session.scalar(select(User.id).where(User.email == data.email)) is not None:
        return accounts.grant_role(session, actor, data.email, grant)
    if not data.name.strip():
        raise Invalid(f"{data.email} has no account yet: give their name")
    created = UserCreate(
        email=data.email, name=data.name, agency=slug, password=data.password, roles=[grant]
    )
    return accounts.create_user(session, actor, created)


def _visible_agencies(session: Session, actor: Actor) -> list[Agency]:
    query = select(Agency).order_by(Agency.name)
    if not (actor.is_cdo or actor.is_system):
        query = query.where(Agency.id.in_(actor.agencies("analyst")))
    return list(session.scalars(query))


def _datasets_of(session: Session, agency_ids: Iterable[int]) -> list[Dataset]:
    query = (
        select(Dataset)
        .where(Dataset.agency_id.in_(list(agency_ids)))
        .options(selectinload(Dataset.fields), selectinload(Dataset.versions))
        .order_by(Dataset.title, Dataset.id)
    )
    return list(session.scalars(query))


def _row(dataset: Dataset, statuses: dict[str, str]) -> DatasetRow:
    public = to_public(dataset)
    score = completeness.evaluate(public)
    return DatasetRow(
        id=public.id,
        title=public.title,
        status=public.status,
        access_level=public.access_level,
        classification=public.classification,
        classification_status=statuses.get(public.id, "missing"),
        completeness=score.score,
        meets_standard=score.meets_standard,
        row_count=public.row_count,
        modified_at=public.modified_at,
        data_updated_at=public.data_updated_at,
    )


def _role(actor: Actor, agency_id: int) -> str:
    if actor.is_system:
        return "system"
    if actor.is_cdo:
        return "cdo"
    rank = actor.rank_in(agency_id)
    return rank.name.lower() if rank >= Need.ANALYST else "none"
