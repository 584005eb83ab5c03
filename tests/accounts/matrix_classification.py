"""Role matrix rows for classification (#7 part 5): the questionnaire is public; reading a
dataset's classification needs the analyst role in its agency; recording needs the steward.

Objects are the demo's dph datasets; writes keep them Public, so later roles are unaffected.
"""

from __future__ import annotations

from typing import Any

NO = {
    "person_level": "no",
    "direct_identifiers": "no",
    "quasi_identifiers": "no",
    "special_statute": "no",
    "legal_restriction": "no",
}
ASSESSMENT = {
    "answers": NO,
    "rationale": "Aggregate population estimates by town and year; no person-level data.",
    "confidentiality": "low",
    "integrity": "moderate",
    "availability": "low",
}
FORM = {
    **{f"q_{question}": answer for question, answer in NO.items()},
    "rationale": ASSESSMENT["rationale"],
    "confidentiality": "low",
    "integrity": "moderate",
    "availability": "low",
}
BASE = "/api/v1/datasets/{dataset_id}/classification"
PAGE = "/console/d/{dataset_id}/classification"

ROWS: list[dict[str, Any]] = [
    {
        "method": "GET",
        "path": "/api/v1/classification/questionnaire",
        "need": "public",
        "url": "/api/v1/classification/questionnaire",
    },
    {
        "method": "GET",
        "path": BASE,
        "need": "analyst",
        "url": "/api/v1/datasets/28fr-iqnx/classification",
    },
    {
        "method": "POST",
        "path": BASE,
        "need": "steward",
        "url": "/api/v1/datasets/dphp-0pop/classification",
        "json": ASSESSMENT,
    },
    {
        "method": "PUT",
        "path": BASE + "/fields/{name}",
        "need": "steward",
        "url": "/api/v1/datasets/dphp-0pop/classification/fields/town",
        "json": {"level": "public", "reason": "169 towns and the state: no people"},
    },
    {
        "method": "GET",
        "path": BASE + "/history",
        "need": "analyst",
        "url": "/api/v1/datasets/dphp-0pop/classification/history",
    },
    {
        "method": "GET",
        "path": PAGE,
        "need": "analyst",
        "url": "/console/d/28fr-iqnx/classification",
    },
    {
        "method": "POST",
        "path": PAGE,
        "need": "steward",
        "url": "/console/d/dphp-0pop/classification",
        "data": FORM,
    },
    {
        "method": "GET",
        "path": PAGE + "/fields/{name}",
        "need": "analyst",
        "url": "/console/d/28fr-iqnx/classification/fields/town",
    },
    {
        "method": "POST",
        "path": PAGE + "/fields/{name}",
        "need": "steward",
        "url": "/console/d/dphp-0pop/classification/fields/fips",
        "data": {"level": "public", "reason": "a place code"},
    },
]
