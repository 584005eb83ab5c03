"""Reconcile the publisher names another portal writes with the state's agencies.

Portals write one agency many ways: "CT Dept of Social Services", "Department of Social
Services", "DSS", "CT DPH: Community Health and Prevention Section", "Departmet of Motor
Vehicles". A name is split into parts (at `,` `;` `:` `/` `(` and ` - `), and each part is tried:
an agency slug (CKAN organization names), the exact name, an agency abbreviation written in
capitals, then a fuzzy match (rapidfuzz) of the name's distinctive words, the words every agency
name shares ("Department", "Office", "of", "Connecticut", "State" ...) left out.

>>> core_words("CT Dept. of Social Services"), core_words("Oiffce of Policy and Management")
('social services', 'policy management')
>>> matcher = AgencyMatcher([KnownAgency("dss", "Department of Social Services", "DSS")])
>>> [matcher.match(n).slug for n in ["CT Dept of Social Services", "DSS", "Dept of Labor"]]
['dss', 'dss', None]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

THRESHOLD = 88.0
PARTS = re.compile(r"\s+-\s+|[,;:/()]")
WORD = re.compile(r"[a-z0-9]+")
CAPITALS = re.compile(r"\b[A-Z]{3,8}\b")
EXPANSIONS = {
    "dept": "department",
    "depts": "department",
    "ofc": "office",
    "div": "division",
    "svc": "services",
    "svcs": "services",
    "mgmt": "management",
    "govt": "government",
}
# Words nearly every agency name has; matching on them alone would pair unrelated agencies.
COMMON = frozenset(
    {
        "the", "of", "for", "on", "and", "in", "at", "to", "s",
        "ct", "conn", "connecticut", "state", "states",
        "department", "departments", "office", "offices", "bureau", "division", "agency",
    }
)  # fmt: skip

LONG_COMMON = tuple(word for word in COMMON if len(word) >= 6)
TYPO = 80.0


@dataclass(frozen=True)
class KnownAgency:
    slug: str
    name: str
    abbreviation: str | None = None


@dataclass(frozen=True)
class AgencyMatch:
    source: str  # the name as the source writes it
    slug: str | None  # the agency it is, or None when nothing matched
    method: str  # "slug" | "exact" | "abbreviation" | "fuzzy" | "none"
    score: float = 0.0


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = folded.lower().replace("&", " and ").replace("'s", "").replace("'", "")
    return [EXPANSIONS.get(word, word) for word in WORD.findall(folded)]


def _is_common(word: str) -> bool:
    """One of the shared words, or a misspelling of a long one ("Departmet", "Officec")."""
    if word in COMMON:
        return True
    if len(word) < 5:
        return False
    return any(fuzz.ratio(word, common) >= TYPO for common in LONG_COMMON)


def core_words(text: str) -> str:
    """The distinctive words of an agency name, in order."""
    return " ".join(word for word in _words(text) if not _is_common(word))


def plain(text: str) -> str:
    return " ".join(_words(text))


def name_parts(name: str) -> list[str]:
    """The whole name, then each part of it: `CT DPH: Surveillance` -> [whole, `CT DPH`, ...]."""
    parts = [part.strip() for part in PARTS.split(name) if part.strip()]
    return list(dict.fromkeys([name.strip(), *parts]))


class AgencyMatcher:
    """Matches names against a set of agencies that can grow (agencies created by a harvest)."""

    def __init__(self, agencies: Iterable[KnownAgency], threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._slugs: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._abbreviations: dict[str, str] = {}
        self._cores: dict[str, str] = {}  # core words -> slug
        for agency in agencies:
            self.add(agency)

    def add(self, agency: KnownAgency) -> None:
        self._slugs[agency.slug.lower()] = agency.slug
        self._names[plain(agency.name)] = agency.slug
        for short in (agency.abbreviation, agency.slug):
            if short and len(short) >= 3 and short.isalnum():
                self._abbreviations.setdefault(short.upper(), agency.slug)
        core = core_words(agency.name)
        if core:
            self._cores.setdefault(core, agency.slug)

    def match(self, name: str, slug_hint: str | None = None) -> AgencyMatch:
        if slug_hint and slug_hint.lower() in self._slugs:
            return AgencyMatch(name, self._slugs[slug_hint.lower()], "slug", 100.0)
        parts = name_parts(name)
        for part in parts:
            if plain(part) in self._names:
                return AgencyMatch(name, self._names[plain(part)], "exact", 100.0)
        for part in parts:
            for word in CAPITALS.findall(part):
                if word in self._abbreviations:
                    return AgencyMatch(name, self._abbreviations[word], "abbreviation", 100.0)
        return self._fuzzy(name, parts)

    def _fuzzy(self, name: str, parts: list[str]) -> AgencyMatch:
        best = AgencyMatch(name, None, "none")
        if not self._cores:
            return best
        for part in parts:
            core = core_words(part)
            if not core:
                continue
            found = process.extractOne(
                core, self._cores.keys(), scorer=fuzz.token_sort_ratio, score_cutoff=self.threshold
            )
            if found is not None and found[1] > best.score:
                best = AgencyMatch(name, self._cores[found[0]], "fuzzy", round(found[1], 1))
        return best
