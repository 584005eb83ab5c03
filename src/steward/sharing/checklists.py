"""Legal authorities an agreement may rest on, and what each requires a written agreement to say.

Pure data and one pure function: `check(values)` reads an agreement's fields (a mapping, so a
draft form can be checked before it is saved) and answers, for each authority it cites, which
required elements are present and which are missing.

>>> items = check({"legal_authorities": ["ferpa_studies"], "purposes": ["Evaluate a program"]})
>>> [(i.element, i.met) for i in items][:2]
[('purpose_scope_duration', False), ('use_only_for_purpose', False)]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

AUTHORITIES: dict[str, str] = {
    "ferpa_studies": "FERPA 34 CFR 99.31(a)(6): studies for an educational agency",
    "ferpa_audit": "FERPA 34 CFR 99.35: audit or evaluation of education programs",
    "hipaa_512": "HIPAA 45 CFR 164.512: uses and disclosures without authorization",
    "hipaa_lds": "HIPAA 45 CFR 164.514(e): limited data set",
    "hipaa_baa": "HIPAA 45 CFR 164.504(e): business associate",
    "cfr42_part2": "42 CFR Part 2: substance use disorder records",
    "irs_1075": "IRS Publication 1075: federal tax information",
    "state_statute": "State statute (named in the agreement)",
}

Values = Mapping[str, Any]
Test = Callable[[Values], bool]


@dataclass(frozen=True)
class Element:
    id: str
    text: str
    test: Test


@dataclass(frozen=True)
class CheckItem:
    authority: str
    element: str
    text: str
    met: bool


def _filled(*names: str) -> Test:
    def test(values: Values) -> bool:
        return all(bool(values.get(name)) for name in names)

    return test


def _has_fields(values: Values) -> bool:
    shared = values.get("datasets") or []
    return bool(shared) and all(_get(item, "fields") for item in shared)


def _get(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def _term(values: Values) -> bool:
    return bool(values.get("purposes")) and bool(values.get("end_date"))


def _users(values: Values) -> bool:
    return bool(values.get("authorized_users")) and bool(values.get("redisclosure"))


PURPOSE = Element(
    "purpose_scope_duration",
    "States the purpose, scope and duration of the study and the information to be disclosed",
    lambda v: _term(v) and _has_fields(v),
)
INFORMATION = Element(
    "information_disclosed", "Names the datasets and the exact fields disclosed", _has_fields
)
USE_ONLY = Element(
    "use_only_for_purpose",
    "Limits use to the stated purpose (permitted purposes and prohibited uses)",
    _filled("purposes", "prohibited_uses"),
)
NO_REDISCLOSURE = Element(
    "no_redisclosure",
    "Forbids re-disclosure; only named authorized representatives may see the data",
    _users,
)
DESTRUCTION = Element(
    "destruction",
    "Requires destruction when no longer needed, with the time period (method and due date)",
    _filled("destruction_method", "destruction_due"),
)
SAFEGUARDS = Element(
    "safeguards",
    "Describes transfer and security safeguards",
    _filled("transfer_security"),
)
SUPPRESSION = Element(
    "publication",
    "States the suppression rule for anything published from the data",
    _filled("suppression_rule"),
)
NO_REIDENTIFY = Element(
    "no_reidentification",
    "Forbids identifying or contacting the individuals (in the prohibited uses)",
    lambda v: "identif" in str(v.get("prohibited_uses", "")).lower(),
)
LIMITED_LEVEL = Element(
    "limited_data",
    "The data level is 'limited' (direct identifiers removed)",
    lambda v: v.get("data_level") == "limited",
)
STATUTE = Element("statute", "Names the statute relied on", _filled("state_statute"))
SIGNATORIES = Element(
    "signatories",
    "Names the signatories of both parties",
    lambda v: len(v.get("signatories") or []) >= 2,
)
CONSENT = Element(
    "consent_program",
    "Names the program and purpose people consented to (for the opt-out check)",
    _filled("program", "consent_purpose"),
)

REQUIRED: dict[str, tuple[Element, ...]] = {
    # 34 CFR 99.31(a)(6)(iii)(C): the four elements of a written studies agreement
    "ferpa_studies": (PURPOSE, USE_ONLY, NO_REDISCLOSURE, DESTRUCTION),
    "ferpa_audit": (PURPOSE, USE_ONLY, NO_REDISCLOSURE, DESTRUCTION),
    "hipaa_512": (INFORMATION, USE_ONLY, SAFEGUARDS),
    # 45 CFR 164.514(e)(4)(ii): permitted uses, who may use, safeguards, no re-disclosure,
    # agents bound, no identification or contact
    "hipaa_lds": (LIMITED_LEVEL, USE_ONLY, NO_REDISCLOSURE, SAFEGUARDS, NO_REIDENTIFY),
    "hipaa_baa": (USE_ONLY, SAFEGUARDS, NO_REDISCLOSURE, DESTRUCTION),
    "cfr42_part2": (CONSENT, USE_ONLY, NO_REDISCLOSURE, SAFEGUARDS),
    "irs_1075": (SAFEGUARDS, NO_REDISCLOSURE, DESTRUCTION, USE_ONLY),
    "state_statute": (STATUTE, USE_ONLY),
}
ALWAYS = (INFORMATION, SUPPRESSION, SIGNATORIES)


def check(values: Values) -> list[CheckItem]:
    """Every required element of every cited authority (then the general ones), met or not."""
    items: list[CheckItem] = []
    for authority in values.get("legal_authorities") or []:
        for element in REQUIRED.get(authority, ()):
            items.append(CheckItem(authority, element.id, element.text, element.test(values)))
    for element in ALWAYS:
        items.append(CheckItem("general", element.id, element.text, element.test(values)))
    return items


def missing(values: Values) -> list[CheckItem]:
    return [item for item in check(values) if not item.met]
