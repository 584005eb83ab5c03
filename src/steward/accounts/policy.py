"""The one authorization policy: may this actor do this action to an object of this agency?

Every service function that changes or reveals something non-public calls `require()`. The rules
are a table (action -> the least role needed in the object's agency), so the whole policy can be
read, documented and tested in one place.

Roles within an agency are ranked: an ADO may do what a steward may, a steward what an analyst
may. The CDO is state-wide and holds every agency role. The local operator running the CLI
without `--as` is the `system` actor, like a database superuser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from steward.errors import NotAuthenticated, NotAuthorized

AGENCY_ROLES = ("analyst", "steward", "ado")
ROLES = (*AGENCY_ROLES, "cdo")


class Need(IntEnum):
    """What an action needs, weakest first."""

    PUBLIC = 0
    SIGNED_IN = 1
    ANALYST = 2
    STEWARD = 3
    ADO = 4
    CDO = 5


RANK = {"analyst": Need.ANALYST, "steward": Need.STEWARD, "ado": Need.ADO}

RULES: dict[str, Need] = {
    # the catalog
    "catalog.read": Need.PUBLIC,
    "dataset.create": Need.STEWARD,
    "dataset.edit": Need.STEWARD,
    "dataset.upload": Need.STEWARD,
    "dataset.publish": Need.STEWARD,
    "dataset.read_restricted": Need.ANALYST,
    "quality.manage": Need.STEWARD,
    "standards.decide": Need.STEWARD,
    # the steward console: any signed-in user has one; a dataset's workspace shows drafts,
    # versions and classification status to its agency's staff
    "console.view": Need.SIGNED_IN,
    "dataset.workspace": Need.ANALYST,
    # people
    "account.self": Need.SIGNED_IN,
    "agency.create": Need.CDO,
    "agency.edit": Need.ADO,
    "people.view": Need.ANALYST,
    "people.manage": Need.ADO,
    "people.manage_cdo": Need.CDO,
    # the high-value data inventory
    "inventory.cycles": Need.SIGNED_IN,  # years and due dates; submissions are checked apart
    "inventory.open_cycle": Need.CDO,
    "inventory.review": Need.CDO,
    "inventory.view_all": Need.CDO,
    "inventory.view": Need.ANALYST,
    "inventory.edit": Need.STEWARD,
    "inventory.submit": Need.ADO,
    # classification
    "classification.view": Need.ANALYST,
    "classification.assess": Need.STEWARD,
    # privacy (#9): policies are public to read; releases are made by stewards, approved by the
    # ADO; the state's model policy is the CDO's
    "privacy.policy": Need.ADO,
    "privacy.model_policy": Need.CDO,
    "privacy.view": Need.ANALYST,
    "privacy.release": Need.STEWARD,
    "privacy.approve": Need.ADO,
    "privacy.extract": Need.STEWARD,  # research extracts: downloaded by stewards, never public
    # Open Data Access Plans and assessments (#11, steward.plans): published plans and the
    # ratings of completed maturity self-assessments are public; drafts, maturity notes and
    # everything about ethics assessments and their risks are for the agency's staff and the CDO
    "plans.read": Need.PUBLIC,
    "plans.view": Need.ANALYST,
    "plans.edit": Need.STEWARD,
    "plans.create": Need.ADO,
    "plans.publish": Need.ADO,
    "maturity.read": Need.PUBLIC,
    "maturity.view": Need.ANALYST,
    "maturity.assess": Need.ADO,
    "ethics.view": Need.ANALYST,
    "ethics.assess": Need.STEWARD,
    # data requests (#11, steward.requests): anyone files one and sees the public list and
    # metrics; the statute gives handling requests to the Agency Data Officer, so only the ADO
    # (and the CDO, who routes requests whose agency is unknown) sees who asked and works them
    "request.file": Need.PUBLIC,
    "request.view": Need.ADO,
    "request.manage": Need.ADO,
    # use cases (#11, steward.usage): anyone tells how they used a dataset; a steward of the
    # dataset's agency approves it before it is shown
    "usecase.submit": Need.PUBLIC,
    "usecase.review": Need.STEWARD,
    # the audit log and the consent registry (#10, steward.audit, steward.consent): the ADO sees
    # the access history of the agency's data and exports it for auditors; only the CDO checks
    # and seals the whole chain; the ADO of a program's agency manages its consent records
    "audit.view": Need.ADO,
    "audit.verify": Need.CDO,
    "consent.manage": Need.ADO,
    # progress reports and the CDO dashboard (#11, steward.progress): the CDO opens reporting
    # periods, reviews reports and sees the state-wide picture; an agency's ADO writes and
    # submits its report and sees its drill-down; the agency's staff read its report
    "progress.periods": Need.SIGNED_IN,
    "progress.open_period": Need.CDO,
    "progress.review": Need.CDO,
    "progress.dashboard": Need.CDO,
    "progress.drilldown": Need.ADO,
    "progress.view": Need.ANALYST,
    "progress.write": Need.ADO,
    # data sharing agreements (#10, steward.sharing): the catalog of active agreements (no named
    # people) is public; the provider agency's ADO drafts, edits, moves and suspends; the
    # recipient agency's ADO reads; an authorized user sees and uses their own grants
    "sharing.catalog": Need.PUBLIC,
    "sharing.view": Need.ADO,
    "sharing.manage": Need.ADO,
    "sharing.grants": Need.ADO,
    "sharing.use": Need.SIGNED_IN,
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user with their roles, the anonymous public, or the system."""

    user_id: int | None
    name: str
    email: str | None = None
    agency_roles: frozenset[tuple[int, str]] = field(default_factory=frozenset)
    is_cdo: bool = False
    is_system: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and not self.is_system

    @property
    def label(self) -> str:
        """How the actor is named in histories: the email, or `system` / `anonymous`."""
        return self.email or self.name

    def rank_in(self, agency_id: int | None) -> Need:
        """The actor's strongest role in one agency (PUBLIC when none)."""
        ranks = [RANK[role] for agency, role in self.agency_roles if agency == agency_id]
        return max(ranks, default=Need.PUBLIC)

    def agencies(self, at_least: str = "analyst") -> frozenset[int]:
        """The agencies where the actor holds at least this role."""
        floor = RANK[at_least]
        return frozenset(agency for agency, role in self.agency_roles if RANK[role] >= floor)


ANONYMOUS = Actor(user_id=None, name="anonymous")
SYSTEM = Actor(user_id=None, name="system", is_system=True)


def permits(actor: Actor, action: str, agency_id: int | None = None) -> bool:
    """True when the actor may do `action` to an object belonging to `agency_id`.

    >>> steward = Actor(1, "Sam", agency_roles=frozenset({(7, "steward")}))
    >>> permits(steward, "dataset.edit", 7), permits(steward, "dataset.edit", 8)
    (True, False)
    >>> permits(steward, "inventory.submit", 7), permits(ANONYMOUS, "catalog.read")
    (False, True)
    """
    need = RULES[action]
    if actor.is_system or need is Need.PUBLIC:
        return True
    if actor.is_anonymous:
        return False
    if need is Need.SIGNED_IN or actor.is_cdo:
        return True
    if need is Need.CDO:
        return False
    return actor.rank_in(agency_id) >= need


def require(actor: Actor, action: str, agency_id: int | None = None, *, what: str = "") -> None:
    """Raise NotAuthenticated (anonymous) or NotAuthorized unless `permits()` says yes."""
    if permits(actor, action, agency_id):
        return
    need = RULES[action]
    target = f" {what}" if what else ""
    if actor.is_anonymous:
        raise NotAuthenticated(f"sign in (or send an API token) first: {action}{target}")
    role = "the CDO" if need is Need.CDO else f"the {need.name.lower()} role"
    where = " in that agency" if need < Need.CDO and agency_id is not None else ""
    raise NotAuthorized(f"{action}{target} needs {role}{where}")


def describe(action: str) -> str:
    """The need of an action in words, for docs and pages."""
    need = RULES[action]
    return {
        Need.PUBLIC: "anyone",
        Need.SIGNED_IN: "any signed-in user",
        Need.CDO: "the CDO",
    }.get(need, f"{need.name.lower()} of the agency (or the CDO)")
