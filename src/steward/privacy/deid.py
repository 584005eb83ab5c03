"""De-identification of person-level records for research extracts (pure: rows in, rows out).

Direct identifiers are dropped or replaced by keyed pseudonyms (HMAC-SHA-256 with the project's
own key, so the same person links within a project but a dictionary of plain hashes cannot undo
it). Quasi-identifiers are generalized along ladders (town -> planning region -> suppressed;
month -> year -> suppressed; age band -> wide band -> suppressed), locally: only the records in
equivalence classes smaller than k climb a step, the attribute with the most distinct values
among them first. Records still in a small class at the top of every ladder are removed. The
risk report counts records in small classes before and after; the utility report gives, per
attribute, the share of values generalized or suppressed.

>>> pseudonym(b"a-project-key-16b", "17-0001") == pseudonym(b"a-project-key-16b", "17-0001")
True
>>> zip3("06103"), zip3("03601"), zip3("")
('061', '000', '')
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from steward.errors import Invalid
from steward.privacy.hierarchy import ct_town_region

SUPPRESSED = "*"

RESTRICTED_ZIP3 = frozenset(
    [
        "036",
        "059",
        "063",
        "102",
        "203",
        "556",
        "692",
        "790",
        "821",
        "823",
        "830",
        "831",
        "878",
        "879",
        "884",
        "890",
        "893",
    ]
)
"""Three-digit ZIP prefixes whose areas held 20,000 people or fewer in the 2000 Census: HIPAA
Safe Harbor (45 CFR 164.514(b)(2)(i)(B)) has them written as 000. The list is the one HHS's
de-identification guidance gives (kept as data so a newer census can replace it)."""


def pseudonym(key: bytes, value: str) -> str:
    """A keyed pseudonym: HMAC-SHA-256 of the value, hex, first 20 characters."""
    if len(key) < 16:
        raise Invalid("a pseudonym key needs at least 16 bytes")
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()[:20]


def zip3(value: str) -> str:
    """A ZIP code reduced to its first three digits; restricted prefixes become 000."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) < 3:
        return ""
    prefix = digits[:3] if len(digits) >= 5 else digits.zfill(5)[:3]
    return "000" if prefix in RESTRICTED_ZIP3 else prefix


def _region_of_town(value: str) -> str:
    if value == SUPPRESSED:
        return SUPPRESSED
    regions = ct_town_region()
    node = ("town", value)
    return regions.parent_of(node)[1] if node in regions.parents else SUPPRESSED


def _year_of_month(value: str) -> str:
    return value[:4] if len(value) >= 7 and value[:4].isdigit() else SUPPRESSED


def _wide_band(value: str) -> str:
    """10-year bands to 20-year ones: 25-34 -> 25-44; 75+ stays."""
    if value.endswith("+") or value == SUPPRESSED or "-" not in value:
        return value if value.endswith("+") else SUPPRESSED
    low = int(value.split("-")[0])
    if low < 15:
        return "0-24"
    start = 15 + ((low - 15) // 20) * 20
    return f"{start}-{start + 19}"


Step = Callable[[str], str]
LADDERS: dict[str, list[Step]] = {
    "town": [_region_of_town, lambda _v: SUPPRESSED],
    "month": [_year_of_month, lambda _v: SUPPRESSED],
    "age_band": [_wide_band, lambda _v: SUPPRESSED],
    "text": [lambda _v: SUPPRESSED],
}


@dataclass
class Extract:
    rows: list[dict[str, str]]
    removed: int
    risk: dict[str, Any]
    utility: dict[str, Any]
    k: int
    quasi: list[str]
    notes: list[str] = field(default_factory=list)


def classes(rows: Sequence[Mapping[str, str]], quasi: Sequence[str]) -> Counter[tuple[str, ...]]:
    return Counter(tuple(row[name] for name in quasi) for row in rows)


def small_records(rows: Sequence[Mapping[str, str]], quasi: Sequence[str], k: int) -> int:
    sizes = classes(rows, quasi)
    return sum(size for size in sizes.values() if size < k)


def k_anonymize(
    rows: Sequence[Mapping[str, str]],
    quasi: Mapping[str, str],
    k: int,
    *,
    sensitive: str | None = None,
    l_diversity: int | None = None,
) -> Extract:
    """Generalize locally until every class of the quasi-identifiers holds k records (and, with
    `l_diversity`, that many distinct values of `sensitive`); remove what still does not.

    `quasi` maps each quasi-identifier column to its ladder: town, month, age_band or text."""
    if k < 2:
        raise Invalid("k must be at least 2")
    unknown = sorted(set(quasi.values()) - set(LADDERS))
    if unknown:
        raise Invalid(f"no generalization ladder {unknown[0]!r}: {', '.join(LADDERS)}")
    names = list(quasi)
    work = [dict(row) for row in rows]
    steps = [dict.fromkeys(names, 0) for _ in work]
    before = small_records(work, names, k)
    while True:
        weak = _weak(work, names, k, sensitive, l_diversity)
        if not weak:
            break
        attribute = _most_varied(work, weak, names, steps, quasi)
        if attribute is None:
            break
        ladder = LADDERS[quasi[attribute]]
        for index in weak:
            level = steps[index][attribute]
            if level < len(ladder):
                work[index][attribute] = ladder[level](work[index][attribute])
                steps[index][attribute] = level + 1
    left = set(_weak(work, names, k, sensitive, l_diversity))
    kept = [row for index, row in enumerate(work) if index not in left]
    utility = {
        name: {
            "generalized": round(sum(1 for s in steps if s[name] > 0) / max(len(work), 1), 4),
            "suppressed": round(
                sum(1 for r in kept if r[name] == SUPPRESSED) / max(len(kept), 1), 4
            ),
        }
        for name in names
    }
    risk = {
        "records": len(rows),
        "in_classes_under_k_before": before,
        "in_classes_under_k_after": small_records(kept, names, k),
        "removed": len(left),
        "smallest_class": min(classes(kept, names).values(), default=0),
    }
    return Extract(kept, len(left), risk, utility, k, names)


def _weak(
    rows: Sequence[Mapping[str, str]],
    names: Sequence[str],
    k: int,
    sensitive: str | None,
    l_diversity: int | None,
) -> list[int]:
    sizes = classes(rows, names)
    diverse: dict[tuple[str, ...], set[str]] = {}
    if sensitive and l_diversity:
        for row in rows:
            diverse.setdefault(tuple(row[n] for n in names), set()).add(row[sensitive])
    found = []
    for index, row in enumerate(rows):
        key = tuple(row[n] for n in names)
        if sizes[key] < k or (l_diversity and len(diverse.get(key, ())) < l_diversity):
            found.append(index)
    return found


def _most_varied(
    rows: Sequence[Mapping[str, str]],
    weak: Sequence[int],
    names: Sequence[str],
    steps: Sequence[Mapping[str, int]],
    quasi: Mapping[str, str],
) -> str | None:
    """The attribute with the most distinct values among the weak records that can still climb."""
    best, best_count = None, 0
    for name in names:
        top = len(LADDERS[quasi[name]])
        values = {rows[i][name] for i in weak if steps[i][name] < top}
        if len(values) > best_count:
            best, best_count = name, len(values)
    return best
