"""Matching a place name to one of the state's towns: exact, known variants, then fuzzy.

The order, first hit wins: the town's own name; a curated correction (`variant_overrides.csv`:
spellings that must go to review or are out of state); a known variant (villages, old names,
abbreviations, USPS city names); the same after expanding abbreviations ("So." -> "SOUTH");
a ZIP code; a place in another state (flagged `out_of_state`, never forced onto a town); "Town:
district" names; a truncated name; and last a fuzzy match, `matched` only when it is close and
unambiguous, `review` when merely plausible.

>>> matcher = town_matcher()
>>> [matcher.match(value).normalized for value in ["GROTON", "So. Windsor", "Danielson"]]
['Groton', 'South Windsor', 'Killingly']
>>> matcher.match("Groton (City of)").code, matcher.match("Vernon-Rockville").normalized
('0901134250', 'Vernon')
>>> matcher.match("Springfield").status, matcher.match("Providence, RI").status
('out_of_state', 'out_of_state')
>>> outcome = matcher.match("Sakem")
>>> outcome.status, outcome.normalized
('review', 'Salem')
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from rapidfuzz import fuzz, process

from steward.standards.outcome import BLANK, Outcome, invalid
from steward.standards.places import states_with_city, zip_table
from steward.standards.profile import Override, StateProfile, Town, default_profile
from steward.standards.text import expand_abbreviations, place_key, split_state, squash

EXACT, OVERRIDE, VARIANT, EXPANDED, ZIP, DISTRICT, TRUNCATED = 1.0, 0.95, 0.97, 0.95, 0.9, 0.9, 0.85
AUTO_SCORE = 90.0
"""A fuzzy match at least this close (rapidfuzz ratio, 0-100) is accepted..."""
AUTO_MARGIN = 5.0
"""...when no other town scores within this many points of it."""
REVIEW_SCORE = 70.0
"""Below this no candidate is offered and the value is `invalid`."""
MIN_TRUNCATED = 7
UNKNOWN_MARKERS = frozenset(
    {"UNKNOWN", "UNK", "N A", "NA", "NONE", "NULL", "NOT AVAILABLE", "NOT REPORTED", "OTHER"}
)
_DISTRICT_WORDS = frozenset(
    {"FIRE", "FD", "DISTRICT", "DIST", "SEWER", "UTILITIES", "UTILITY", "CITY", "BOROUGH"}
    | {"ASSOCIATION", "ASSN", "SERVICE", "WATER", "TAX"}
)
_AREA_WORDS = frozenset({"COUNTY", "REGION", "PLANNING", "STATE", "STATEWIDE", "TOTAL"})


class TownMatcher:
    """Every known way of naming the profile's towns; build one with `town_matcher()`."""

    def __init__(self, profile: StateProfile) -> None:
        self.profile = profile
        self.towns: tuple[Town, ...] = profile.towns
        self._by_name = {town.name: town for town in profile.towns}
        self._exact: dict[str, Town] = {}
        for town in self.towns:
            self._exact[place_key(town.name)] = town
            self._exact[squash(place_key(town.name))] = town
        self._variants: dict[str, Town] = {}
        for table in (profile.variants, profile.extra_variants):  # extras win over the list
            for spelling, name in table.items():
                for key in (place_key(spelling), squash(place_key(spelling))):
                    if key not in self._exact:
                        self._variants[key] = self._by_name[name]
        self._overrides = {place_key(key): value for key, value in profile.overrides.items()}
        self._overrides.update({squash(key): value for key, value in self._overrides.items()})
        self._choices = [
            key for key in [*self._exact, *self._variants] if key not in self._overrides
        ]
        self._choice_towns = [self._known(key) for key in self._choices]
        self._steps: tuple[Callable[[str], Outcome | None], ...] = (
            self._lookup,
            self._expanded,
            self._out_of_state,
            self._district,
            self._truncated,
        )

    def match(self, value: str | None) -> Outcome:
        """The town `value` names, or why not (never raises)."""
        text = (value or "").strip()
        if not text:
            return BLANK
        head, state = split_state(text)
        if state is not None and state != self.profile.abbreviation:
            return Outcome("out_of_state", confidence=0.95, reason=f"a place in {state}")
        key = place_key(head if state else text)
        if not key or key in UNKNOWN_MARKERS:
            return invalid("not a place name")
        if squash(key).isdigit():
            return self._by_zip(squash(key))
        if ":" in text:
            found = self._colon(text)
            if found is not None:
                return found
        for step in self._steps:
            found = step(key)
            if found is not None:
                return found
        return self._fuzzy(key)

    def town(self, name: str) -> Town:
        return self._by_name[name]

    def _outcome(self, town: Town, confidence: float, status: str = "matched") -> Outcome:
        return Outcome(status, town.name, town.geoid, confidence)  # type: ignore[arg-type]

    def _known(self, key: str) -> Town | None:
        """The town a key names for sure: its own name, a trusted variant, a correction."""
        override = self._overrides.get(key)
        if override is not None:
            sure = override.status == "matched" and override.town
            return self._by_name[override.town] if sure else None  # type: ignore[index]
        return self._exact.get(key) or self._variants.get(key)

    def _lookup(self, key: str, confidence: float = 1.0) -> Outcome | None:
        for candidate in (key, squash(key)):
            town = self._exact.get(candidate)
            if town is not None:
                return self._outcome(town, EXACT * confidence)
            override = self._overrides.get(candidate)
            if override is not None:
                return self._overridden(override)
            town = self._variants.get(candidate)
            if town is not None:
                return self._outcome(town, VARIANT * confidence)
        return None

    def _overridden(self, override: Override) -> Outcome:
        status, town, note = override.status, override.town, override.note
        if status == "out_of_state":
            return Outcome("out_of_state", confidence=OVERRIDE, reason=note)
        if town is None:
            return Outcome("review", confidence=0.5, reason=note)
        found = self._by_name[town]
        if status == "matched":
            return Outcome("matched", found.name, found.geoid, OVERRIDE, note)
        return Outcome("review", found.name, found.geoid, 0.6, note)

    def _expanded(self, key: str) -> Outcome | None:
        expanded = expand_abbreviations(key)
        return None if expanded == key else self._lookup(expanded, EXPANDED)

    def _by_zip(self, digits: str) -> Outcome:
        code = digits[:5].zfill(5) if len(digits) in (4, 5, 9) else ""
        if not code:
            return invalid("not a place name")
        town_name = self.profile.zip_towns.get(code)
        if town_name is not None:
            return self._outcome(self._by_name[town_name], ZIP)
        info = zip_table().get(code)
        if info is None:
            return invalid(f"{code} is not a ZIP code")
        if info.state != self.profile.abbreviation:
            return Outcome("out_of_state", confidence=0.95, reason=f"a ZIP code in {info.state}")
        found = self._lookup(place_key(info.city))
        if found is None or found.status != "matched":
            return Outcome("review", reason=f"ZIP {code} ({info.city}) has no single town")
        return Outcome("matched", found.normalized, found.code, ZIP)

    def _out_of_state(self, key: str) -> Outcome | None:
        for candidate in dict.fromkeys([key, expand_abbreviations(key), squash(key)]):
            states = states_with_city(candidate)
            if states and self.profile.abbreviation not in states:
                where = ", ".join(sorted(states)[:5])
                return Outcome("out_of_state", confidence=0.9, reason=f"a place in {where}")
        return None

    def _colon(self, text: str) -> Outcome | None:
        """ "Berlin: Kensington F.D.": the town named before the colon."""
        head, _colon, rest = text.partition(":")
        town = self._known(place_key(head))
        if town is None or set(place_key(rest).split()) & _AREA_WORDS:
            return None
        return self._outcome(town, DISTRICT)

    def _district(self, key: str) -> Outcome | None:
        """ "Groton Sewer District", "Center Groton F.D.": the town the district lies in."""
        words = key.split()
        if _AREA_WORDS.intersection(words) and len(words) > 1:
            return invalid("an area other than a town")
        if not (_DISTRICT_WORDS.intersection(words) or {"F", "D"} <= set(words)):
            return self._leading_town(words)
        towns: set[Town] = set()
        covered: set[int] = set()  # words already part of a longer name ("EAST WINDSOR")
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                span = set(range(start, start + size))
                town = None if span & covered else self._known(" ".join(words[start:][:size]))
                if town is not None:
                    towns.add(town)
                    covered |= span
        if len(towns) > 1:
            return Outcome("review", reason="names more than one town")
        return self._outcome(towns.pop(), DISTRICT) if towns else None

    def _leading_town(self, words: list[str]) -> Outcome | None:
        for size in range(len(words) - 1, 0, -1):
            town = self._known(" ".join(words[:size]))
            if town is not None:
                return Outcome("review", town.name, town.geoid, 0.5, "the town's name and more")
        return None

    def _truncated(self, key: str) -> Outcome | None:
        if len(key) < MIN_TRUNCATED:
            return None
        towns = {self._known(choice) for choice in self._choices if choice.startswith(key)}
        towns.discard(None)
        if len(towns) != 1:
            return None
        town = towns.pop()
        return None if town is None else self._outcome(town, TRUNCATED)

    def _fuzzy(self, key: str) -> Outcome:
        if len(squash(key)) < 4:
            return invalid("no town matches")
        scores: dict[str, float] = {}
        for query in (key, squash(key)):
            for _choice, score, index in process.extract(
                query, self._choices, scorer=fuzz.ratio, limit=12
            ):
                town = self._choice_towns[index]
                if town is not None and score > scores.get(town.name, 0.0):
                    scores[town.name] = score
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < REVIEW_SCORE:
            return invalid("no town matches")
        best, score = self._by_name[ranked[0][0]], ranked[0][1]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if score >= AUTO_SCORE and score - runner_up >= AUTO_MARGIN:
            return self._outcome(best, round(score / 100, 3))
        reason = "close to more than one town" if score - runner_up < AUTO_MARGIN else "not close"
        return Outcome("review", best.name, best.geoid, round(score / 100 * 0.8, 3), reason)


@cache
def town_matcher() -> TownMatcher:
    """The matcher over the bundled state profile, built once per process."""
    return TownMatcher(default_profile())
