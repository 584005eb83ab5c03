"""Street addresses in USPS Publication 28 form, through `usaddress` and `usaddress-scourgify`.

The standard form is one line, `LINE 1[, LINE 2], CITY, ST ZIP`, upper case with Publication 28
abbreviations; `code` is the 2020 GEOID of the state's town the address lies in, found from its
ZIP code (ZCTA crosswalk) or else its city. An address in another state is `out_of_state`.

>>> outcome = normalize_address("123 north main street apt 4, hartford ct 06103")
>>> outcome.normalized, outcome.code
('123 N MAIN ST APT 4, HARTFORD, CT 06103', '0900337070')
>>> normalize_address("PO Box 123, Groton, CT 06340").normalized
'PO BOX 123, GROTON, CT 06340'
>>> normalize_address("garbage").reason
'unparseable address: not readable as street, city, state and ZIP'
"""

from __future__ import annotations

from typing import Any

from steward.standards.outcome import Outcome, invalid
from steward.standards.profile import default_profile
from steward.standards.towns import town_matcher


def _parts(text: str) -> dict[str, str | None] | str:
    """scourgify's parts, or a reason the address cannot be read."""
    from scourgify import normalize_address_record
    from scourgify.exceptions import AddressNormalizationError

    try:
        return dict(normalize_address_record(text))
    except AddressNormalizationError as exc:
        box = _po_box(text)
        if box is not None:
            return box
        message = str(exc).split(":", 1)[0].strip().lower()
        return message or "not an address"


def _po_box(text: str) -> dict[str, str | None] | None:
    import usaddress

    try:
        tagged, kind = usaddress.tag(text)
    except usaddress.RepeatedLabelError:
        return None
    if kind != "PO Box" or not tagged.get("USPSBoxID"):
        return None
    return {
        "address_line_1": f"PO BOX {tagged['USPSBoxID']}".upper(),
        "address_line_2": None,
        "city": _upper(tagged.get("PlaceName")),
        "state": _upper(tagged.get("StateName")),
        "postal_code": tagged.get("ZipCode"),
    }


def _upper(value: Any) -> str | None:
    return " ".join(str(value).upper().replace(",", " ").split()) if value else None


def normalize_address(value: str) -> Outcome:
    parts = _parts(value)
    if isinstance(parts, str):
        return invalid(f"{parts}: not readable as street, city, state and ZIP")
    line_1 = parts.get("address_line_1") or ""
    if not line_1 or not (line_1.startswith("PO BOX") or any(c.isdigit() for c in line_1[:8])):
        return invalid("not an address: no street or box number")
    profile = default_profile()
    state = (parts.get("state") or "").upper() or None
    zip_code = parts.get("postal_code")
    town = _town(parts.get("city"), zip_code)
    if state is None and town is not None:
        state = profile.abbreviation
    normalized = _line(line_1, parts.get("address_line_2"), parts.get("city"), state, zip_code)
    if state is not None and state != profile.abbreviation:
        return Outcome("out_of_state", normalized, None, 0.9, f"an address in {state}")
    if town is None:
        why = "no city or ZIP code" if not (parts.get("city") or zip_code) else "town not found"
        return Outcome("review", normalized, None, 0.5, why)
    confidence = 1.0 if value.strip() == normalized else 0.95
    return Outcome("matched", normalized, town, confidence)


def _town(city: str | None, zip_code: str | None) -> str | None:
    matcher = town_matcher()
    if zip_code:
        name = default_profile().zip_towns.get(zip_code[:5])
        if name:
            return matcher.town(name).geoid
    if city:
        outcome = matcher.match(city)
        if outcome.matched:
            return outcome.code
    return None


def _line(
    line_1: str, line_2: str | None, city: str | None, state: str | None, zip_code: str | None
) -> str:
    street = f"{line_1} {line_2}" if line_2 else line_1
    head = f"{street}, {city}" if city else street
    tail = " ".join(part for part in (state, zip_code) if part)
    return f"{head}, {tail}" if tail else head
