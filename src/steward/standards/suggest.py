"""Which standard a field probably follows, from its name and its values.

>>> [s.element for s in suggest_elements("Residence City", ["HARTFORD", "GROTON", "NORWICH"])]
['ct_town']
>>> [s.element for s in suggest_elements("Sex", ["Male", "Female", "Male"])]
['sex']
>>> suggest_elements("Notes", ["called back", "no answer"])
[]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from steward.standards.element import Element
from steward.standards.registry import all_elements
from steward.standards.schemas import Suggestion
from steward.standards.text import as_text

SAMPLE = 200
"""Distinct values checked per candidate element (the most frequent first)."""
MIN_SHARE = 0.8
HINTED_MIN_SHARE = 0.5
MIN_TOWNS_UNHINTED = 10
"""Seven of the eight county names are also town names: a short list of names proves little."""
LONG_TEXT = 60
"""Values this long on average are prose or addresses, checked only when the name says so."""


def name_words(name: str) -> tuple[list[str], str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower()
    words = re.findall(r"[a-z0-9]+", spaced)
    return words, "".join(words)


def _hinted(element: Element, words: list[str], joined: str) -> bool:
    return any(hint in words or (len(hint) >= 4 and hint in joined) for hint in element.name_hints)


def _share(
    element: Element, values: Sequence[str], hinted: bool, needed: float
) -> tuple[float, int]:
    """Share of values the element recognises, and how many distinct codes they map to; stops
    early (share 0) once the share needed is out of reach.

    Bare numbers count as dates (ISO 8601 years) only when the field's name says so."""
    recognised, codes = 0, set()
    allowed = int((1 - needed) * len(values))
    for position, value in enumerate(values, start=1):
        if position - recognised > allowed + 1:
            return 0.0, 0
        if element.id == "date_iso8601" and not hinted and value.isdigit():
            continue
        outcome = element.normalize(value)
        if outcome.matched or outcome.status == "out_of_state":
            recognised += 1
            codes.add(outcome.code)
    return recognised / len(values), len(codes)


def suggest_elements(
    name: str, values: Sequence[object], declared: str | None = None
) -> list[Suggestion]:
    """Elements the field may follow, best first (at most three); never the declared one."""
    texts = [text for text in dict.fromkeys(map(as_text, values)) if text][:SAMPLE]
    if not texts:
        return []
    words, joined = name_words(name)
    long_text = sum(map(len, texts)) / len(texts) > LONG_TEXT
    found: list[tuple[bool, float, Suggestion]] = []
    for element in all_elements():
        hinted = _hinted(element, words, joined)
        if element.id == declared or not (hinted or (element.detect_by_values and not long_text)):
            continue
        needed = HINTED_MIN_SHARE if hinted else MIN_SHARE
        share, codes = _share(element, texts, hinted, needed)
        if element.id == "ct_town" and not hinted and codes < MIN_TOWNS_UNHINTED:
            continue
        if share >= needed:
            reason = ("the field's name and " if hinted else "") + f"{share:.0%} of its values"
            suggestion = Suggestion(
                element=element.id, name=element.name, share=round(share, 3), reason=reason
            )
            found.append((hinted, share, suggestion))
    found.sort(key=lambda item: (not item[0], -item[1]))
    return [suggestion for _hinted_, _share_, suggestion in found[:3]]
