"""Sex, email addresses and US telephone numbers.

>>> normalize_sex("female").normalized, normalize_sex("M").code
('Female', 'M')
>>> normalize_email(" Jane.Doe@CT.GOV ").normalized
'Jane.Doe@ct.gov'
>>> normalize_phone("860.555.0123 ext 12").normalized, normalize_phone("1-860-555-0123").code
('(860) 555-0123 x12', '+18605550123')
"""

from __future__ import annotations

import re

from steward.standards.element import PermittedValue
from steward.standards.outcome import Outcome, invalid

SEX: dict[str, str] = {
    "F": "Female",
    "M": "Male",
    "X": "Another sex or gender (X)",
    "U": "Unknown or not reported",
}
_SEX_SYNONYMS = {
    "F": {"F", "FEMALE", "WOMAN", "GIRL", "FEM"},
    "M": {"M", "MALE", "MAN", "BOY"},
    "X": {"X", "NONBINARY", "NON BINARY", "INTERSEX", "ANOTHER", "ANOTHER SEX OR GENDER X"}
    | {"ANOTHER SEX OR GENDER", "GENDER X"},
    "U": {"U", "UNKNOWN", "UNK", "NOT REPORTED", "NOT STATED", "DECLINED", "REFUSED", "MISSING"}
    | {"UNKNOWN OR NOT REPORTED", "PREFER NOT TO ANSWER"},
}
_SEX_REVIEW = {"OTHER", "O"}


def sex_values() -> list[PermittedValue]:
    return [PermittedValue(code, label) for code, label in SEX.items()]


def normalize_sex(value: str) -> Outcome:
    key = " ".join(re.sub(r"[^\w]+", " ", value.upper()).split())
    for code, words in _SEX_SYNONYMS.items():
        if key in words:
            label = SEX[code]
            return Outcome("matched", label, code, 1.0 if value.strip() == label else 0.98)
    if key in _SEX_REVIEW:
        return Outcome("review", SEX["X"], "X", 0.5, "'other' may mean X or unknown")
    return invalid("not a sex code or label")


_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
EMAIL_PATTERN = r"^[^@\s]{1,64}@([A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63}$"


def normalize_email(value: str) -> Outcome:
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :]
    text = text.strip("<> ")
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        return invalid("no @ between a name and a domain")
    if len(local) > 64 or not _LOCAL.match(local):
        return invalid("the part before @ has characters an address cannot have")
    labels = domain.rstrip(".").split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return invalid("the domain is not a host name")
    if not labels[-1].isalpha() or len(labels[-1]) < 2 or len(text) > 254:
        return invalid("the domain has no valid top-level part")
    normalized = f"{local}@{'.'.join(labels).lower()}"
    return Outcome("matched", normalized, normalized.lower(), 1.0 if text == value else 0.98)


_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
PHONE_PATTERN = r"^\([2-9]\d{2}\) [2-9]\d{2}-\d{4}( x\d{1,6})?$"


def normalize_phone(value: str) -> Outcome:
    text = value.strip()
    extension = ""
    found = _EXTENSION.search(text)
    if found:
        extension, text = found.group(1), text[: found.start()]
    if re.search(r"[A-Za-z]", text):
        return invalid("letters in a telephone number")
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 7:
        return Outcome("review", reason="no area code")
    if len(digits) != 10:
        return invalid("a US number has 10 digits")
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    if area[0] in "01" or exchange[0] in "01" or area[1:] == "11":
        return invalid("not a valid area code and exchange")
    normalized = f"({area}) {exchange}-{line}" + (f" x{extension}" if extension else "")
    code = f"+1{digits}" + (f";ext={extension}" if extension else "")
    return Outcome("matched", normalized, code, 1.0 if value.strip() == normalized else 0.98)
