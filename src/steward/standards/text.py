"""Turning a raw place value into comparable keys.

>>> place_key("  So. Windsor ")
'SO WINDSOR'
>>> expand_abbreviations("SO WINDSOR"), expand_abbreviations("STAFFORD SPGS")
('SOUTH WINDSOR', 'STAFFORD SPRINGS')
>>> place_key("Groton (City of)"), place_key("Town of Vernon, CT 06066")
('GROTON CITY', 'VERNON')
>>> split_state("Springfield, MA"), split_state("HARTFORD CT")
(('SPRINGFIELD', 'MA'), ('HARTFORD', 'CT'))
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]+")
_ZIP_TAIL = re.compile(r"\s+\d{5}(?:\s*-?\s*\d{4})?$")
_PREFIXES = ("TOWN OF ", "CITY OF ", "BOROUGH OF ", "VILLAGE OF ", "BORO OF ", "BOROUGH ")
_SUFFIXES = {" TOWN OF": "", " CITY OF": " CITY", " BOROUGH OF": " BOROUGH"}
_ABBREVIATIONS = {
    "N": "NORTH",
    "NO": "NORTH",
    "S": "SOUTH",
    "SO": "SOUTH",
    "E": "EAST",
    "W": "WEST",
    "MT": "MOUNT",
    "SPGS": "SPRINGS",
    "SPG": "SPRINGS",
    "FT": "FORT",
    "PT": "POINT",
    "CTR": "CENTER",
    "CNTR": "CENTER",
    "VLG": "VILLAGE",
    "HTS": "HEIGHTS",
    "LK": "LAKE",
    "HBR": "HARBOR",
    "JCT": "JUNCTION",
    "ROCKVL": "ROCKVILLE",
    "BRG": "BRIDGE",
    "DPT": "DEPOT",
}
US_STATES = {
    "AL": "ALABAMA", "AK": "ALASKA", "AZ": "ARIZONA", "AR": "ARKANSAS", "CA": "CALIFORNIA",
    "CO": "COLORADO", "CT": "CONNECTICUT", "DE": "DELAWARE", "DC": "DISTRICT OF COLUMBIA",
    "FL": "FLORIDA", "GA": "GEORGIA", "HI": "HAWAII", "ID": "IDAHO", "IL": "ILLINOIS",
    "IN": "INDIANA", "IA": "IOWA", "KS": "KANSAS", "KY": "KENTUCKY", "LA": "LOUISIANA",
    "ME": "MAINE", "MD": "MARYLAND", "MA": "MASSACHUSETTS", "MI": "MICHIGAN",
    "MN": "MINNESOTA", "MS": "MISSISSIPPI", "MO": "MISSOURI", "MT": "MONTANA",
    "NE": "NEBRASKA", "NV": "NEVADA", "NH": "NEW HAMPSHIRE", "NJ": "NEW JERSEY",
    "NM": "NEW MEXICO", "NY": "NEW YORK", "NC": "NORTH CAROLINA", "ND": "NORTH DAKOTA",
    "OH": "OHIO", "OK": "OKLAHOMA", "OR": "OREGON", "PA": "PENNSYLVANIA", "RI": "RHODE ISLAND",
    "SC": "SOUTH CAROLINA", "SD": "SOUTH DAKOTA", "TN": "TENNESSEE", "TX": "TEXAS",
    "UT": "UTAH", "VT": "VERMONT", "VA": "VIRGINIA", "WA": "WASHINGTON", "WV": "WEST VIRGINIA",
    "WI": "WISCONSIN", "WY": "WYOMING", "PR": "PUERTO RICO",
}  # fmt: skip
_STATE_NAMES = {name: code for code, name in US_STATES.items()}


def as_text(value: object) -> str | None:
    """A cell as text: integral numbers without `.0`, dates in ISO form; None when blank."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value).lower()
    if isinstance(value, (float, Decimal)):
        if value != value:  # NaN
            return None
        return str(int(value)) if value == int(value) else str(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def strict_key(text: str) -> str:
    """Upper case, accents dropped, spaces collapsed."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return _SPACES.sub(" ", folded.upper()).strip()


def place_key(text: str) -> str:
    """`strict_key` without punctuation, a trailing ZIP, ", CT", or "Town of"-style words."""
    key = strict_key(_PUNCTUATION.sub(" ", strict_key(text).replace("_", " ")))
    key = _ZIP_TAIL.sub("", key)
    for prefix in _PREFIXES:
        key = key.removeprefix(prefix)
    for suffix, kept in _SUFFIXES.items():
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key.removesuffix(suffix) + kept
    for tail in (" CONNECTICUT", " CT"):
        if key.endswith(tail) and len(key) > len(tail):
            key = key.removesuffix(tail)
    return key.strip()


def squash(key: str) -> str:
    return key.replace(" ", "")


def expand_abbreviations(key: str) -> str:
    return " ".join(_ABBREVIATIONS.get(word, word) for word in key.split())


def split_state(text: str) -> tuple[str, str | None]:
    """A trailing US state (code or name, after a comma or a space) split off the place."""
    key = strict_key(_ZIP_TAIL.sub("", strict_key(text)))
    head, comma, tail = key.rpartition(",")
    if comma:
        state = _state_code(strict_key(_PUNCTUATION.sub(" ", tail)))
        if state:
            return place_key(head), state
    words = strict_key(_PUNCTUATION.sub(" ", key)).split()
    for size in (3, 2, 1):
        if len(words) > size:
            state = _state_code(" ".join(words[-size:]))
            if state and (size > 1 or len(words[-1]) == 2):
                return " ".join(words[:-size]), state
    return place_key(key), None


def _state_code(text: str) -> str | None:
    if text in US_STATES:
        return text
    return _STATE_NAMES.get(text)
