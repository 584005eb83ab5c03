"""The classification questionnaire as data, and the pure function from answers to a level.

Connecticut's State Data Plan sorts every data asset into four levels. In our own words (this is
a working summary for stewards, not the statute's text):

- **Public**: may be released to anyone, with no conditions. It does not identify anyone, and
  no law, contract or security concern keeps it back.
- **Protected**: does not identify people, but is exempt from disclosure or restricted by law,
  regulation, contract, licence or security (security plans, critical infrastructure details,
  trade secrets, licensed third-party data); it is shared only under conditions.
- **Personal**: identifies an individual, or could reasonably be used to identify one: names,
  Social Security numbers, dates of birth, street addresses, case or record numbers, or small
  combinations of demographics and place in person-level rows. Privacy law and policy protect
  it; it is shared only under an agreement.
- **Private**: personal information whose disclosure a statute restricts specially, such as
  health information under HIPAA, education records under FERPA, federal tax information (IRS
  Publication 1075), substance use treatment records (42 CFR Part 2), or child welfare records.
  The most restrictive level.

The levels are ordered; an answer of "unsure" always counts as the stricter reading, so a
steward who cannot rule something out never ends up with a looser level than one who can.

FIPS 199 impact levels (low, moderate, high) for confidentiality, integrity and availability are
recorded with every assessment. Identifying data calls for at least a moderate confidentiality
impact, specially protected data for a high one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from steward.errors import Invalid

LEVELS = ("public", "protected", "personal", "private")
LEVEL_LABELS = {
    "public": "Public",
    "protected": "Protected",
    "personal": "Personal",
    "private": "Private",
}
IMPACTS = ("low", "moderate", "high")
# The least FIPS 199 confidentiality impact that fits each level.
MIN_CONFIDENTIALITY = {
    "public": "low",
    "protected": "moderate",
    "personal": "moderate",
    "private": "high",
}

YES_NO_UNSURE = (("yes", "Yes"), ("no", "No"), ("unsure", "Not sure"))


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str
    options: tuple[tuple[str, str], ...] = YES_NO_UNSURE


PERSON_LEVEL = Question(
    "person_level",
    "Does each row describe one person (a patient, client, student, employee, decedent or "
    "household), rather than a count or a summary of many people?",
    "Aggregate tables (counts, rates or totals by town, year or group) answer No.",
)
DIRECT = Question(
    "direct_identifiers",
    "Does the data contain direct identifiers: names, Social Security numbers, dates of birth, "
    "street addresses, phone numbers, email addresses, or case, medical record, account or "
    "licence numbers?",
    "Steward looks for these in field names and values and shows what it found in the field "
    "table; confirm or correct it here.",
)
QUASI = Question(
    "quasi_identifiers",
    "Could someone be recognized by combining fields, such as age, sex, race, town or ZIP of "
    "residence, place or date of an event, or from counts smaller than 5?",
    "Answer Yes for person-level rows that hold demographics together with a place or date, "
    "and for tables with small cells that have not been suppressed.",
)
SPECIAL = Question(
    "special_statute",
    "Is any of the information specially protected by a statute beyond general privacy law: "
    "health information covered by HIPAA, education records (FERPA), federal tax information "
    "(IRS Publication 1075), substance use treatment records (42 CFR Part 2), child welfare or "
    "juvenile records, or similar?",
    "Counts that no longer identify anyone are not covered; answer for the rows as published.",
)
RESTRICTED = Question(
    "legal_restriction",
    "Is the data exempt from public disclosure or restricted by law, regulation, contract or "
    "licence, or could its release harm security: security plans, critical infrastructure "
    "details, trade secrets, licensed third-party data, pre-decisional drafts?",
    "Say which law, contract or concern in the rationale.",
)

DATASET_QUESTIONS: tuple[Question, ...] = (PERSON_LEVEL, DIRECT, QUASI, SPECIAL, RESTRICTED)
FIELD_QUESTIONS: tuple[Question, ...] = (
    Question(
        DIRECT.id,
        "Does this field identify a person by itself: a name, Social Security number, date of "
        "birth, street address, phone, email, or a case, record, account or licence number?",
        DIRECT.help,
    ),
    Question(
        QUASI.id,
        "Could this field, together with the other fields of the same row, help recognize a "
        "person (age, sex, race, place or date of an event, place of residence)?",
        "In aggregate tables demographic categories and towns usually answer No.",
    ),
    Question(
        SPECIAL.id, "Is this field's information specially protected by statute?", SPECIAL.help
    ),
    Question(
        RESTRICTED.id, "Is this field restricted by law, contract or security?", RESTRICTED.help
    ),
)


@dataclass(frozen=True)
class Outcome:
    level: str
    reasons: tuple[str, ...]


def rank(level: str) -> int:
    """Position of a level, strictest last.

    >>> rank("public") < rank("protected") < rank("personal") < rank("private")
    True
    """
    return LEVELS.index(level)


def validate(answers: Mapping[str, str], questions: tuple[Question, ...]) -> dict[str, str]:
    """Every question answered with one of its options; unknown questions refused."""
    known = {question.id: question for question in questions}
    unknown = sorted(set(answers) - set(known))
    if unknown:
        raise Invalid(f"no such question: {', '.join(unknown)}")
    missing = [question.id for question in questions if question.id not in answers]
    if missing:
        raise Invalid(f"answer every question; missing: {', '.join(missing)}")
    for key, value in answers.items():
        allowed = [option for option, _ in known[key].options]
        if value not in allowed:
            raise Invalid(f"{key}: answer one of {', '.join(allowed)} (not {value!r})")
    return {question.id: answers[question.id] for question in questions}


def decide(
    answers: Mapping[str, str], questions: tuple[Question, ...] = DATASET_QUESTIONS
) -> Outcome:
    """The level the answers lead to, with the reasons in words.

    >>> no = {"person_level": "no", "direct_identifiers": "no", "quasi_identifiers": "no",
    ...       "special_statute": "no", "legal_restriction": "no"}
    >>> decide(no).level
    'public'
    >>> decide({**no, "legal_restriction": "yes"}).level
    'protected'
    >>> decide({**no, "person_level": "yes", "quasi_identifiers": "yes"}).level
    'personal'
    >>> outcome = decide({**no, "direct_identifiers": "yes", "special_statute": "unsure"})
    >>> outcome.level, outcome.reasons[-1]
    ('private', 'special statutory protection not ruled out: treated as Private until confirmed')
    """
    answers = validate(answers, questions)
    identifying = _identifying(answers)
    special = answers["special_statute"]
    if identifying:
        if special == "yes":
            return Outcome("private", (*identifying, "specially protected by statute"))
        if special == "unsure":
            note = "special statutory protection not ruled out: treated as Private until confirmed"
            return Outcome("private", (*identifying, note))
        return Outcome("personal", tuple(identifying))
    restricted = _restricted(answers)
    if restricted:
        return Outcome("protected", ("does not identify anyone", *restricted))
    return Outcome(
        "public", ("does not identify anyone", "no law, contract or security concern restricts it")
    )


def _identifying(answers: Mapping[str, str]) -> list[str]:
    # A field questionnaire does not ask whether rows are person-level: assume they may be.
    person_level = answers.get("person_level", "unsure")
    reasons = []
    if answers["direct_identifiers"] == "yes":
        reasons.append("contains direct identifiers")
    elif answers["direct_identifiers"] == "unsure":
        reasons.append("direct identifiers not ruled out")
    quasi = answers["quasi_identifiers"]
    if quasi == "yes":
        reasons.append("people could be recognized by combining fields or from small counts")
    elif quasi == "unsure" and person_level != "no":
        reasons.append("indirect identifiers not ruled out in rows that may describe one person")
    return reasons


def _restricted(answers: Mapping[str, str]) -> list[str]:
    reasons = []
    if answers["special_statute"] in {"yes", "unsure"}:
        reasons.append("derived from specially protected records: shared only under conditions")
    restriction = answers["legal_restriction"]
    if restriction == "yes":
        reasons.append("restricted by law, contract or security")
    elif restriction == "unsure":
        reasons.append("a legal or security restriction not ruled out")
    return reasons


def check_impacts(level: str, confidentiality: str, integrity: str, availability: str) -> None:
    """FIPS 199 impacts must be low/moderate/high, and confidentiality must fit the level.

    >>> check_impacts("personal", "low", "low", "low")
    Traceback (most recent call last):
    steward.errors.Invalid: confidentiality impact must be at least moderate for Personal data
    """
    for name, value in (
        ("confidentiality", confidentiality),
        ("integrity", integrity),
        ("availability", availability),
    ):
        if value not in IMPACTS:
            raise Invalid(f"{name} impact must be one of low, moderate, high (not {value!r})")
    least = MIN_CONFIDENTIALITY[level]
    if IMPACTS.index(confidentiality) < IMPACTS.index(least):
        raise Invalid(
            f"confidentiality impact must be at least {least} for {LEVEL_LABELS[level]} data"
        )
