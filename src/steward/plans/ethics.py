"""The data ethics assessment as data, and its pure rules.

Five principles, drawn from public-sector data ethics frameworks, each scored 0 to 5 with notes.
A score of 2 or less is a risk: it opens a risk entry, which needs an owner and a mitigation
before the assessment can be completed.

| score | meaning |
|---|---|
| 0 | not considered |
| 1 | serious concerns, not addressed |
| 2 | concerns, partly addressed |
| 3 | adequate |
| 4 | good: addressed and documented |
| 5 | exemplary |

Scores are plain mappings `{principle: score or None}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Principle:
    id: str
    label: str
    question: str


PRINCIPLES: tuple[Principle, ...] = (
    Principle(
        "public_benefit",
        "Public benefit and user need",
        "Is there a clear public benefit and a real user need for this use of data?",
    ),
    Principle(
        "diverse_expertise",
        "Diverse expertise",
        "Were people with the right range of expertise and lived experience involved, "
        "including those the data describes?",
    ),
    Principle(
        "legal_compliance",
        "Legal compliance",
        "Is the use allowed by the statutes, agreements and consents that govern the data?",
    ),
    Principle(
        "data_quality",
        "Data quality and limitations",
        "Are the data fit for this purpose, and are their gaps and limits understood and stated?",
    ),
    Principle(
        "wider_implications",
        "Wider implications",
        "Could the use cause harm: bias, disparate impact on groups, or deductive disclosure "
        "of individuals from combined or small counts?",
    ),
)
PRINCIPLE_IDS: tuple[str, ...] = tuple(principle.id for principle in PRINCIPLES)
BY_ID: dict[str, Principle] = {principle.id: principle for principle in PRINCIPLES}
SCORES: dict[int, str] = {
    0: "Not considered",
    1: "Serious concerns, not addressed",
    2: "Concerns, partly addressed",
    3: "Adequate",
    4: "Good: addressed and documented",
    5: "Exemplary",
}
RISK_AT_OR_BELOW = 2


def check_score(principle: str, score: object) -> int | None:
    """A valid score (0-5) or None, else ValueError naming the principle.

    >>> check_score("legal_compliance", 4), check_score("legal_compliance", None)
    (4, None)
    >>> check_score("legal_compliance", 7)
    Traceback (most recent call last):
    ...
    ValueError: legal_compliance: a score is a whole number from 0 to 5
    """
    if principle not in BY_ID:
        raise ValueError(f"{principle}: not one of the five principles")
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
        raise ValueError(f"{principle}: a score is a whole number from 0 to 5")
    return score


def is_risk(score: int | None) -> bool:
    """A scored principle at 2 or below.

    >>> is_risk(2), is_risk(3), is_risk(0), is_risk(None)
    (True, False, True, False)
    """
    return score is not None and score <= RISK_AT_OR_BELOW


def risky(scores: Mapping[str, int | None]) -> list[str]:
    """The principles whose score opens a risk, in the assessment's order.

    >>> risky({"wider_implications": 1, "public_benefit": 5, "legal_compliance": 2})
    ['legal_compliance', 'wider_implications']
    """
    return [principle for principle in PRINCIPLE_IDS if is_risk(scores.get(principle))]


def completion_problems(
    scores: Mapping[str, int | None], risks: Mapping[str, tuple[str | None, str | None]]
) -> list[str]:
    """What stops an assessment from being completed (empty when nothing does).

    `risks` maps a principle to its risk's (owner, mitigation).

    >>> full = dict.fromkeys(PRINCIPLE_IDS, 4)
    >>> completion_problems(full, {})
    []
    >>> completion_problems({**full, "data_quality": None}, {})
    ['score every principle: Data quality and limitations is not scored']
    >>> completion_problems({**full, "legal_compliance": 1}, {"legal_compliance": ("Counsel", "")})
    ['the risk on Legal compliance needs an owner and a mitigation']
    """
    problems = [
        f"score every principle: {BY_ID[principle].label} is not scored"
        for principle in PRINCIPLE_IDS
        if scores.get(principle) is None
    ]
    for principle in risky(scores):
        owner, mitigation = risks.get(principle, (None, None))
        if not (owner or "").strip() or not (mitigation or "").strip():
            problems.append(f"the risk on {BY_ID[principle].label} needs an owner and a mitigation")
    return problems


def total(scores: Mapping[str, int | None]) -> int | None:
    """The sum of the scores out of 25, when every principle is scored.

    >>> total(dict.fromkeys(PRINCIPLE_IDS, 3)), total({"public_benefit": 3})
    (15, None)
    """
    values = [scores.get(principle) for principle in PRINCIPLE_IDS]
    if any(value is None for value in values):
        return None
    return sum(value for value in values if value is not None)
