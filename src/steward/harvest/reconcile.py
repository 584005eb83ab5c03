"""Resolve each record's publisher to an agency slug, remembering what happened to each name.

Unmatched names are either planned as new agencies (`create=True`, a slug derived from the name,
variants of one name becoming one agency) or given to the default agency (or to none, in which
case their datasets are skipped). Either way they are listed in the report.
"""

from __future__ import annotations

import re
from typing import cast

from sqlalchemy.orm import Session

from steward.catalog import service
from steward.harvest.agencies import THRESHOLD, AgencyMatcher, KnownAgency, core_words
from steward.harvest.records import HarvestRecord
from steward.harvest.schemas import AgencyOutcome, Method, NewAgency

MAX_NAME = 200
MAX_SLUG = 64
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def derive_slug(name: str, taken: set[str]) -> str:
    """`City of Stamford` -> `city-of-stamford` (then `-2`, `-3` ... if taken)."""
    base = _NOT_SLUG.sub("-", name.lower()).strip("-")[:MAX_SLUG].rstrip("-") or "agency"
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: MAX_SLUG - len(suffix)].rstrip("-") + suffix
    return slug


class AgencyResolver:
    def __init__(
        self,
        session: Session,
        *,
        default: str | None,
        create: bool,
        threshold: float = THRESHOLD,
    ) -> None:
        known = service.list_agencies(session)
        self.default = service.get_agency(session, default).slug if default else None
        self.create = create
        self.matcher = AgencyMatcher(
            [KnownAgency(a.slug, a.name, a.abbreviation) for a in known], threshold
        )
        self.slugs = {agency.slug for agency in known}
        self.outcomes: dict[str, AgencyOutcome] = {}
        self.planned: list[NewAgency] = []

    def resolve(self, record: HarvestRecord) -> str | None:
        """The agency slug for `record`, or None when it has none (its dataset is skipped)."""
        name = (record.agency or "").strip()[:MAX_NAME] or (record.agency_slug or "").strip()
        outcome = self.outcomes.get(name)
        if outcome is None:
            outcome = self._decide(name, record.agency_slug)
            self.outcomes[name] = outcome
        outcome.datasets += 1
        return outcome.agency

    def _decide(self, name: str, slug_hint: str | None) -> AgencyOutcome:
        if not name:
            return AgencyOutcome(name="", datasets=0, agency=self.default, method="blank")
        match = self.matcher.match(name, slug_hint)
        if match.slug is not None:
            method = cast(Method, match.method)  # a match is never "none"
            return AgencyOutcome(
                name=name, datasets=0, agency=match.slug, method=method, score=match.score
            )
        if self.create and core_words(name):  # never an agency named just "State"
            slug = derive_slug(name, self.slugs)
            self.slugs.add(slug)
            self.planned.append(NewAgency(slug=slug, name=name))
            self.matcher.add(KnownAgency(slug, name))
            return AgencyOutcome(name=name, datasets=0, agency=slug, method="created")
        return AgencyOutcome(name=name, datasets=0, agency=self.default, method="unmatched")

    def report(self) -> list[AgencyOutcome]:
        return sorted(self.outcomes.values(), key=lambda item: (-item.datasets, item.name))
