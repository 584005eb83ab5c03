"""Propose a classification for each field from its name, label, type and a sample of values.

Pure functions over plain data: the service reads up to `SAMPLE_SIZE` values per column from
the current version's Parquet file and passes them in as text. A proposal is only a proposal;
the steward confirms or overrides every field.

Two kinds of evidence:
- **direct identifiers** (Social Security numbers, dates of birth, person names, street
  addresses, phone numbers, email addresses, case or record numbers) make a field Personal
  wherever they appear;
- **quasi-identifiers** (age, race, sex, places of residence or of an event, event dates,
  health details) make a field Personal only when the rows describe one person each: when the
  table holds direct identifiers, or demographics together with a place or date, and it does
  not look like an aggregate table (counts, totals or rates).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

SAMPLE_SIZE = 1000
MIN_SHARE = 0.5  # share of sampled values that must match a value pattern
MIN_VALUES = 3  # fewer non-blank values than this prove nothing

DIRECT_KINDS = {
    "ssn": "Social Security numbers",
    "birth_date": "dates of birth",
    "email": "email addresses",
    "phone": "phone numbers",
    "record_number": "case or record numbers",
    "person_name": "names of people",
    "street_address": "street addresses",
}
QUASI_KINDS = {
    "age": "age",
    "sex": "sex or gender",
    "race": "race or ethnicity",
    "residence_place": "place of residence",
    "event_place": "place of an event",
    "place": "place",
    "event_date": "date of an event",
    "health_detail": "health or injury details",
}
DEMOGRAPHIC = frozenset({"age", "sex", "race"})
PLACES = frozenset({"residence_place", "event_place", "place"})


@dataclass(frozen=True)
class FieldFacts:
    """What the proposer sees of one field: its dictionary entry and sampled values as text."""

    name: str
    label: str = ""
    description: str = ""
    type: str = "text"
    sample: Sequence[str | None] = ()


@dataclass(frozen=True)
class FieldProposal:
    name: str
    level: str
    kind: str | None
    reason: str


@dataclass(frozen=True)
class DatasetProposal:
    level: str
    person_level: str  # "yes", "no" (aggregate) or "unsure"
    reasons: tuple[str, ...]
    fields: tuple[FieldProposal, ...]
    suggested_answers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Detector:
    kind: str
    name: re.Pattern[str] | None
    value: re.Pattern[str] | None = None
    value_words: str = ""


def _words(pattern: str) -> re.Pattern[str]:
    """A name pattern matched against whole `_`-separated words of the normalized name."""
    return re.compile(rf"(?:^|_)(?:{pattern})(?:$|_)")


DIRECT_DETECTORS = (
    _Detector(
        "email",
        _words(r"e_?mail(?:_address)?"),
        re.compile(r"^[\w.+'-]+@[\w-]+(?:\.[\w-]+)+$"),
        "email addresses",
    ),
    _Detector(
        "ssn",
        _words(r"ssn|social_security(?:_number|_no|_num)?|soc_sec\w*"),
        re.compile(r"^\d{3}-\d{2}-\d{4}$"),
        "SSNs",
    ),
    _Detector("birth_date", _words(r"dob|d_o_b|birth_?date|date_of_birth|birth_?day|born_on")),
    _Detector(
        "phone",
        _words(r"phone|telephone|tel|fax|mobile|cell_?phone|phone_?number"),
        re.compile(r"^(?:\+?1[-. ]?)?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}$"),
        "phone numbers",
    ),
    _Detector(
        "record_number",
        _words(
            r"case_?(?:number|num|no|nbr|id)|mrn|medical_record(?:_number|_no)?"
            r"|record_?(?:number|num|no|id)"
            r"|(?:patient|client|person|member|student|employee|inmate|offender|recipient"
            r"|decedent|beneficiary)_?(?:id|number|num|no)"
            r"|account_?(?:number|num|no)|licen[cs]e_?(?:number|num|no)"
        ),
        re.compile(r"^(?:[A-Za-z]{1,4}-?)?\d{2}-\d+$"),
        "case numbers",
    ),
    _Detector(
        "person_name",
        _words(
            r"(?:first|last|middle|full|given|family|maiden|patient|person|decedent|client"
            r"|student|employee|owner|applicant|victim|child|mother|father|parent|guardian)"
            r"_?name|fname|lname|surname|forename"
        ),
    ),
    _Detector(
        "street_address",
        _words(
            r"(?:street_|home_|mailing_|residence_|residential_)?address(?:_line)?(?:_?\d)?"
            r"|addr\d?|street"
        ),
        re.compile(
            r"^\d+[A-Za-z]?(?:-\d+)?\s+(?:[A-Za-z0-9.'-]+\s+){0,4}"
            r"(?:st|street|ave|avenue|rd|road|dr|drive|ln|lane|blvd|boulevard|ct|court|way"
            r"|pl|place|ter|terrace|hwy|highway|route|rte|pkwy|parkway|cir|circle|tpke"
            r"|turnpike|sq|square)\b\.?",
            re.IGNORECASE,
        ),
        "street addresses",
    ),
)
PLACE_WORD = re.compile(
    r"^(?:residence|resident|res|home|death|injury|incident|event|occurrence)?"
    r"(?:city|town|county|state|zip|zipcode|zip5|postal|place|location|loc|municipality)$"
)
QUASI_DETECTORS = (
    _Detector(
        "age",
        re.compile(
            r"^age$|^age_(?:years|yrs|in_years|at_\w+|group|range|band|bracket|cat\w*)$|_age$"
        ),
    ),
    _Detector("sex", _words(r"sex|gender")),
    _Detector("race", _words(r"race|ethnicity|ethnic|hispanic|race_ethnicity")),
)
HEALTH = re.compile(
    r"cause|injur|diagnos|icd|condition|treatment|medication|prescri|symptom|disabilit|toxicolog"
)
NOT_EVENT_DATE = re.compile(r"updat|modif|load|refresh|as_of|report|publish|creat")
DATE_TYPES = frozenset({"calendar_date", "floating_timestamp"})
# Words of a measure's name (total_cases, case_rate, grant_amount) in aggregate tables.
AGGREGATE_WORDS = frozenset(
    {"count", "counts", "total", "totals", "number", "num", "rate", "rates", "cases", "deaths"}
    | {"population", "percent", "pct", "share", "amount", "sum", "mean", "median", "average"}
    | {"avg", "value", "estimate", "tests", "positives", "negatives", "per"}
)
NUMBER = re.compile(r"^[-+]?\$?\d[\d,]*(?:\.\d+)?%?$")


def normalize(text: str) -> str:
    """A name or label as lowercase words joined by `_`.

    >>> normalize("Residence City"), normalize("CaseNumber"), normalize("Race/ethnicity")
    ('residence_city', 'casenumber', 'race_ethnicity')
    """
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def share_matching(values: Sequence[str | None], pattern: re.Pattern[str]) -> tuple[float, int]:
    """The share of non-blank values the pattern matches, and how many were looked at.

    >>> share_matching(["123-45-6789", "987-65-4321", "", None, "n/a"], re.compile(r"^\\d{3}-"))
    (0.6666666666666666, 3)
    """
    seen = [value.strip() for value in values if value is not None and value.strip()]
    if not seen:
        return 0.0, 0
    return sum(1 for value in seen if pattern.search(value)) / len(seen), len(seen)


def detect(facts: FieldFacts) -> tuple[str | None, str]:
    """The kind of identifying information a field holds, with the evidence in words.

    >>> detect(FieldFacts("ssn_text", sample=["123-45-6789"] * 9 + ["unknown"]))
    ('ssn', 'name suggests SSNs; values look like SSNs (90% of 10 sampled)')
    >>> kind, why = detect(FieldFacts("CaseNumber", sample=["13-16336", "12-18447", "14-1"]))
    >>> kind, why.split("; ")[1]
    ('record_number', 'values look like case numbers (100% of 3 sampled)')
    >>> detect(FieldFacts("town"))
    ('place', 'name suggests a place')
    """
    keys = [key for key in (normalize(facts.name), normalize(facts.label)) if key]
    for detector in DIRECT_DETECTORS:
        found = _direct_evidence(detector, keys, facts)
        if found:
            return detector.kind, found
    for detector in QUASI_DETECTORS:
        if detector.name is not None and any(detector.name.search(key) for key in keys):
            return detector.kind, f"name suggests {QUASI_KINDS[detector.kind]}"
    return _other_quasi(keys, facts)


def _direct_evidence(detector: _Detector, keys: list[str], facts: FieldFacts) -> str:
    by_name = detector.name is not None and any(detector.name.search(key) for key in keys)
    evidence = []
    if by_name:
        evidence.append(f"name suggests {detector.value_words or DIRECT_KINDS[detector.kind]}")
    if detector.value is not None and facts.type == "text":
        share, looked = share_matching(facts.sample, detector.value)
        # Case numbers look like many harmless codes: trust their values only beside the name.
        trusted = by_name or detector.kind != "record_number" or _mostly_distinct(facts.sample)
        if looked >= MIN_VALUES and share >= MIN_SHARE and trusted:
            evidence.append(
                f"values look like {detector.value_words} ({share:.0%} of {looked:,} sampled)"
            )
    return "; ".join(evidence)


def _mostly_distinct(values: Sequence[str | None]) -> bool:
    seen = [value for value in values if value]
    return len(seen) >= MIN_VALUES and len(set(seen)) >= 0.9 * len(seen)


def _other_quasi(keys: list[str], facts: FieldFacts) -> tuple[str | None, str]:
    for key in keys:
        if any(PLACE_WORD.match(word) for word in key.split("_")):
            if re.search(r"resid|home|zip|postal", key):
                return "residence_place", "name suggests a place of residence"
            if re.search(r"death|injur|incident|event|occur|location|loc$|place", key):
                return "event_place", "name suggests the place of an event"
            return "place", "name suggests a place"
    dated = facts.type in DATE_TYPES or any("date" in key.split("_") for key in keys)
    if dated and not any(NOT_EVENT_DATE.search(key) for key in keys):
        return "event_date", "a date (of an event, such as a death or a visit)"
    if any(HEALTH.search(key) for key in keys):
        return "health_detail", "name suggests health or injury details"
    return None, ""


def is_numeric(facts: FieldFacts) -> bool:
    """Numeric by declared type, or by its sampled values when the type is unknown (text).

    >>> is_numeric(FieldFacts("x", sample=["1", "2,500", "$3.10"])), is_numeric(FieldFacts("y"))
    (True, False)
    """
    if facts.type == "number":
        return True
    share, looked = share_matching(facts.sample, NUMBER)
    return looked >= MIN_VALUES and share >= 0.95


def propose(fields: Sequence[FieldFacts]) -> DatasetProposal:
    """Field proposals and the dataset-level proposal that follows from them.

    >>> facts = [FieldFacts("town"), FieldFacts("race_ethnicity"),
    ...          FieldFacts("total_cases", type="number")]
    >>> result = propose(facts)
    >>> result.level, result.person_level, [p.level for p in result.fields]
    ('public', 'no', ['public', 'public', 'public'])
    >>> result = propose([FieldFacts("age", type="number"), FieldFacts("sex"),
    ...                   FieldFacts("residence_city")])
    >>> result.level, result.person_level, [p.level for p in result.fields]
    ('personal', 'yes', ['personal', 'personal', 'personal'])
    """
    found = [(facts, *detect(facts)) for facts in fields]
    kinds = {kind for _, kind, _ in found if kind}
    direct = bool(kinds & DIRECT_KINDS.keys())
    aggregate = any(kind is None and _is_measure(facts) for facts, kind, _ in found)
    demographic = kinds & DEMOGRAPHIC
    person_level = direct or (
        not aggregate
        and bool(demographic)
        and (bool(kinds & PLACES) or "event_date" in kinds or len(demographic) >= 2)
    )
    proposals = tuple(
        _field_proposal(facts.name, kind, why, person_level, aggregate)
        for facts, kind, why in found
    )
    level = "personal" if any(p.level == "personal" for p in proposals) else "public"
    answer = "yes" if person_level else ("no" if aggregate else "unsure")
    suggested = {
        "person_level": answer,
        "direct_identifiers": "yes" if direct else "no",
        "quasi_identifiers": "yes" if person_level and kinds & QUASI_KINDS.keys() else "no",
    }
    reasons = _dataset_reasons(found, person_level, aggregate)
    return DatasetProposal(level, answer, reasons, proposals, suggested)


def _is_measure(facts: FieldFacts) -> bool:
    """A count, total, rate or amount: the mark of an aggregate table."""
    words = set(normalize(facts.name).split("_"))
    return bool(words & AGGREGATE_WORDS) and is_numeric(facts)


def _field_proposal(
    name: str, kind: str | None, why: str, person_level: bool, aggregate: bool
) -> FieldProposal:
    if kind is None:
        return FieldProposal(name, "public", None, "no identifying pattern in its name or values")
    if kind in DIRECT_KINDS:
        return FieldProposal(name, "personal", kind, f"direct identifier: {why}")
    if person_level:
        return FieldProposal(
            name, "personal", kind, f"quasi-identifier in person-level rows: {why}"
        )
    where = "an aggregate table" if aggregate else "rows that do not look person-level"
    return FieldProposal(name, "public", kind, f"{why}, in {where}: not identifying by itself")


def _dataset_reasons(
    found: Sequence[tuple[FieldFacts, str | None, str]], person_level: bool, aggregate: bool
) -> tuple[str, ...]:
    def named(group: frozenset[str] | set[str]) -> str:
        return ", ".join(facts.name for facts, kind, _ in found if kind in group)

    reasons = []
    direct = named(set(DIRECT_KINDS))
    if direct:
        reasons.append(f"direct identifiers: {direct}")
    if person_level:
        quasi = named(set(QUASI_KINDS))
        if quasi:
            reasons.append(f"person-level rows with quasi-identifiers: {quasi}")
    if not reasons:
        reasons.append("no identifying fields found")
        if aggregate:
            reasons.append("an aggregate table (counts, totals or rates)")
    return tuple(reasons)
