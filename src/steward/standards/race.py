"""Race and ethnicity: OMB SPD 15 (2024) and the 1997 standard, with a curated synonym table.

SPD 15 (2024) asks one combined question with seven minimum categories; the 1997 standard
asked ethnicity (Hispanic or Latino, or not) and race (five categories) separately. Source
values map through `data/race_synonyms.csv` to codes; several selected categories give a
*multiple* answer ("HISP;WHITE"), and a source group that combines categories ("Asian or
Pacific Islander") gives an *aggregate* ("ASIAN|NHPI": the person is in one of them).

>>> parse_spd15("Hispanic, White").normalized, parse_spd15("Hispanic, White").code
('Hispanic or Latino; White', 'HISP;WHITE')
>>> parse_spd15("NH Asian or Pacific Islander").code, parse_spd15("Arab").normalized
('ASIAN|NHPI', 'Middle Eastern or North African')
>>> to_1997("MENA"), to_1997("HISP;BLACK")
(('WHITE', 'NHISP'), ('BLACK', 'HISP'))
>>> from_1997("WHITE", "HISP")
'HISP;WHITE'
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib.resources import files

from steward.standards.element import PermittedValue
from steward.standards.outcome import Outcome

SPD15: dict[str, str] = {
    "AIAN": "American Indian or Alaska Native",
    "ASIAN": "Asian",
    "BLACK": "Black or African American",
    "HISP": "Hispanic or Latino",
    "MENA": "Middle Eastern or North African",
    "NHPI": "Native Hawaiian or Pacific Islander",
    "WHITE": "White",
}
SUPPLEMENTARY: dict[str, str] = {
    "MULTI": "More than one race or ethnicity (not specified)",
    "OTHER": "Some other race or ethnicity",
    "UNK": "Unknown or not reported",
}
RACE_1997: dict[str, str] = {
    "AIAN": "American Indian or Alaska Native",
    "ASIAN": "Asian",
    "BLACK": "Black or African American",
    "NHPI": "Native Hawaiian or Other Pacific Islander",
    "WHITE": "White",
    "MULTI": "More than one race (not specified)",
    "OTHER": "Some other race",
    "UNK": "Unknown or not reported",
}
ETHNICITY_1997: dict[str, str] = {
    "HISP": "Hispanic or Latino",
    "NHISP": "Not Hispanic or Latino",
    "UNK": "Unknown or not reported",
}
ORDER = [*SPD15, *SUPPLEMENTARY]
LABELS = {**SPD15, **SUPPLEMENTARY}
BRIDGE = (
    ("Hispanic or Latino (HISP)", "ethnicity Hispanic or Latino; race from the other answers"),
    ("Middle Eastern or North African (MENA)", "race White (1997 counted MENA as White)"),
    ("AIAN, ASIAN, BLACK, NHPI, WHITE", "the same race"),
    ("several categories", "each race (more than one race); HISP as ethnicity"),
    ("1997 White", "White: MENA cannot be recovered from 1997 data"),
    ("1997 ethnicity Hispanic or Latino", "HISP added to the races"),
)
_SEPARATORS = re.compile(r"\s*(?:[,;/+&]|\band\b)\s*", re.IGNORECASE)
_NOT_HISPANIC = ("NON HISPANIC ", "NOT HISPANIC ", "NH ", "NONHISPANIC ")
_NOT_HISPANIC_TAIL = (" NON HISPANIC", " NOT HISPANIC", " NH", " NONHISPANIC")


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.upper().replace("_", " ")).split())


@cache
def synonyms() -> dict[str, str]:
    """Upper-case source value -> codes, from the table plus every canonical label."""
    text = (
        files("steward.standards").joinpath("data").joinpath("race_synonyms.csv").read_text("utf-8")
    )
    table = {_key(row["value"]): row["codes"] for row in csv.DictReader(io.StringIO(text))}
    for code, label in [*LABELS.items(), *RACE_1997.items()]:
        table.setdefault(_key(label), code)
    for codes in set(table.values()):
        table.setdefault(_key(_label(codes)), codes)
    return table


def _label(codes: str) -> str:
    if "|" in codes:
        return " or ".join(LABELS[code] for code in codes.split("|"))
    return "; ".join(LABELS[code] for code in codes.split(";"))


def _combine(parts: list[str]) -> str | None:
    """Several answers as one multiple code; None when they cannot be combined."""
    if any("|" in part for part in parts):
        return parts[0] if len(set(parts)) == 1 else None
    codes = {code for part in parts for code in part.split(";")}
    if len(codes) > 1:
        codes.discard("UNK")
    if codes & set(SPD15):
        codes.discard("MULTI")
    return ";".join(code for code in ORDER if code in codes)


def _lookup(key: str) -> str | None:
    table = synonyms()
    if key in table:
        return table[key]
    for prefix in _NOT_HISPANIC:
        if key.startswith(prefix):
            found = table.get(key.removeprefix(prefix))
            return None if found is None or "HISP" in found.split(";") else found
    for tail in _NOT_HISPANIC_TAIL:
        if key.endswith(tail):
            found = table.get(key.removesuffix(tail))
            return None if found is None or "HISP" in found.split(";") else found
    return None


def parse_codes(value: str) -> tuple[str | None, float]:
    """The SPD 15 codes of a source value and how sure the reading is."""
    whole = _lookup(_key(value))
    if whole is not None:
        return whole, 1.0
    parts = [part for part in _SEPARATORS.split(value) if part.strip()]
    if len(parts) < 2:
        return None, 0.0
    found = [_lookup(_key(part)) for part in parts]
    if any(code is None for code in found):
        return None, 0.0
    combined = _combine([code for code in found if code is not None])
    return combined, 0.9


def parse_spd15(value: str) -> Outcome:
    codes, confidence = parse_codes(value)
    if codes is None:
        return Outcome("review", reason="not in the synonym table")
    label = _label(codes)
    return Outcome("matched", label, codes, confidence if value.strip() != label else 1.0)


def to_1997(codes: str) -> tuple[str, str]:
    """SPD 15 codes -> (1997 race codes, 1997 ethnicity code), following `BRIDGE`."""
    if "|" in codes:
        return codes, "UNK"
    found = codes.split(";")
    ethnicity = "HISP" if "HISP" in found else ("UNK" if found == ["UNK"] else "NHISP")
    races = {"WHITE" if code == "MENA" else code for code in found if code != "HISP"}
    if not races:
        races = {"UNK"}
    return ";".join(code for code in ORDER if code in races), ethnicity


def from_1997(race: str, ethnicity: str) -> str:
    """1997 race codes and ethnicity code -> SPD 15 codes."""
    codes = set(race.replace("|", ";").split(";"))
    if ethnicity == "HISP":
        codes.add("HISP")
        codes.discard("UNK")
    return ";".join(code for code in ORDER if code in codes)


def parse_race_1997(value: str) -> Outcome:
    codes, confidence = parse_codes(value)
    if codes is None:
        return Outcome("review", reason="not in the synonym table")
    race, _ethnicity = to_1997(codes)
    if race == "UNK" and codes != "UNK":
        confidence = min(confidence, 0.7)
    label = _label_1997(race)
    return Outcome("matched", label, race, 1.0 if value.strip() == label else confidence)


def _label_1997(codes: str) -> str:
    if "|" in codes:
        return " or ".join(RACE_1997[code] for code in codes.split("|"))
    return "; ".join(RACE_1997[code] for code in codes.split(";"))


_ETHNICITY_WORDS = {
    "HISP": {"HISPANIC", "LATINO", "HISPANIC OR LATINO", "HISPANIC LATINO", "Y", "YES"},
    "NHISP": {"NOT HISPANIC", "NON HISPANIC", "NOT HISPANIC OR LATINO", "NON HISPANIC OR LATINO"}
    | {"NOT HISPANIC LATINO", "NH", "NONHISPANIC", "N", "NO", "NOT LATINO"},
}


def parse_ethnicity_1997(value: str) -> Outcome:
    key = _key(value)
    code = next((code for code, words in _ETHNICITY_WORDS.items() if key in words), None)
    confidence = 1.0
    if code is None:
        codes, confidence = parse_codes(value)
        code = None if codes is None else _ethnicity_of(key, codes)
        if code is None:
            return Outcome("review", reason="ethnicity not stated")
    label = ETHNICITY_1997[code]
    return Outcome("matched", label, code, 1.0 if value.strip() == label else confidence * 0.98)


def _ethnicity_of(key: str, codes: str) -> str | None:
    """A combined answer's ethnicity: Hispanic, marked not Hispanic ("NH ..."), or unknown."""
    if "HISP" in codes.replace("|", ";").split(";"):
        return "HISP"
    if key.startswith(_NOT_HISPANIC) or key.endswith(_NOT_HISPANIC_TAIL):
        return "NHISP"
    return "UNK" if codes == "UNK" else None


def spd15_values() -> list[PermittedValue]:
    return [PermittedValue(code, label) for code, label in SPD15.items()] + [
        PermittedValue(code, label, "supplementary code") for code, label in SUPPLEMENTARY.items()
    ]


def race_1997_values() -> list[PermittedValue]:
    return [PermittedValue(code, label) for code, label in RACE_1997.items()]


def ethnicity_1997_values() -> list[PermittedValue]:
    return [PermittedValue(code, label) for code, label in ETHNICITY_1997.items()]
