"""Languages as ISO 639-3 codes, through `langcodes`: names ("Haitian Creole") and codes
("es", "spa", "en-US") are both accepted.

>>> [normalize_language(value).code for value in ["Spanish", "Haitian Creole", "es", "en-US"]]
['spa', 'hat', 'spa', 'eng']
>>> normalize_language("ASL").normalized, normalize_language("Creole").status
('American Sign Language', 'review')
"""

from __future__ import annotations

import unicodedata

from steward.standards.outcome import Outcome

# Names data systems use that the library reads differently or not at all.
ALIASES: dict[str, str] = {
    "ASL": "ase",
    "SIGN LANGUAGE": "sgn",
    "UNKNOWN": "und",
    "UND": "und",
    "UNDETERMINED": "und",
    "NOT REPORTED": "und",
    "MULTIPLE": "mul",
    "MULTIPLE LANGUAGES": "mul",
    "NONE": "zxx",
    "DARI": "prs",
    "CAPE VERDEAN": "kea",
    "HAITIAN": "hat",
    "FARSI": "fas",
}
AMBIGUOUS: dict[str, str] = {
    "CREOLE": "which creole (Haitian, Cape Verdean, ...)?",
    "PORTUGUESE CREOLE": "often Cape Verdean Creole (kea)",
    "OTHER": "not a language",
    "SIGN": "which sign language?",
}


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(char for char in folded if not unicodedata.combining(char))


def _find(text: str) -> str | None:
    """The ISO 639-3 code of a language name or code, or None."""
    import langcodes

    key = " ".join(text.split())
    if key.upper() in ALIASES:
        return ALIASES[key.upper()]
    tag = key.replace("_", "-")
    if len(key) == 3 and key.isalpha() and _alpha3(key.lower()) is not None:
        return key.lower()  # already an ISO 639-3 code: kept even where the library remaps it
    if (len(key) <= 3 or "-" in tag) and langcodes.tag_is_valid(tag):
        return _alpha3(langcodes.Language.get(tag).language)
    if len(key) < 4:
        return None
    for candidate in dict.fromkeys([key, _fold(key)]):
        try:
            return _alpha3(langcodes.find(candidate).language)
        except LookupError:
            continue
    return None


def _alpha3(subtag: str | None) -> str | None:
    import langcodes

    if not subtag:
        return None
    try:
        language = langcodes.Language.get(subtag)
        code = str(language.to_alpha3())
    except (LookupError, ValueError):
        return None
    return None if language.display_name().startswith("Unknown language [") else code


def _name(code: str) -> str:
    """The English name when it reads back as the same code, else the code itself."""
    import langcodes

    name = str(langcodes.Language.get(code).display_name())
    return name if _find(name) == code else code


def normalize_language(value: str) -> Outcome:
    key = " ".join(value.split())
    if key.upper() in AMBIGUOUS:
        return Outcome("review", reason=AMBIGUOUS[key.upper()])
    code = _find(key)
    if code is None:
        return Outcome("invalid", reason="not a language name or code")
    name = _name(code)
    confidence = 1.0 if key in (name, code) else 0.95
    return Outcome("matched", name, code, confidence)


def language_name(outcome: Outcome) -> str | None:
    if not outcome.matched or outcome.code is None:
        return None
    import langcodes

    return str(langcodes.Language.get(outcome.code).display_name())
