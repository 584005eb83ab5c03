"""The governance maturity model as data, and pure scoring and comparison over ratings.

An agency rates each of ten elements of data governance on five levels, separately for its
people, its policies and its capabilities (30 ratings). The levels follow the usual capability
maturity scale:

| level | name | in short |
|---|---|---|
| 1 | Initial | ad hoc; depends on individuals; not written down |
| 2 | Repeatable | some practice is repeated, within single programs |
| 3 | Defined | documented and standard across the agency |
| 4 | Managed | measured and monitored; exceptions are acted on |
| 5 | Optimized | improved continuously from measurement; a model for others |

Ratings are plain mappings `{element: {dimension: level or None}}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Element:
    id: str
    label: str
    description: str


ELEMENTS: tuple[Element, ...] = (
    Element(
        "data_architecture",
        "Data architecture",
        "How data is structured, stored and moved between systems.",
    ),
    Element(
        "analytics",
        "Analytics",
        "Turning data into findings that inform programs and policy.",
    ),
    Element(
        "governance_standardization",
        "Governance and standardization",
        "Decision rights, roles and common standards for data.",
    ),
    Element(
        "management_methodology",
        "Management and methodology",
        "Documented methods for managing data through its life.",
    ),
    Element(
        "program_change_control",
        "Program management and change control",
        "How data work is planned, resourced and changed safely.",
    ),
    Element(
        "data_quality",
        "Data quality",
        "Measuring and improving accuracy, completeness and timeliness.",
    ),
    Element(
        "security_privacy",
        "Security and privacy",
        "Protecting confidential data and the people it describes.",
    ),
    Element(
        "strategy_roadmap",
        "Strategy and roadmap",
        "A plan for data tied to the agency's mission, with milestones.",
    ),
    Element(
        "master_data",
        "Master data management",
        "One trusted version of key entities (people, places, providers).",
    ),
    Element(
        "metadata",
        "Metadata management",
        "Data dictionaries, catalog entries and lineage kept current.",
    ),
)
ELEMENT_IDS: tuple[str, ...] = tuple(element.id for element in ELEMENTS)
BY_ID: dict[str, Element] = {element.id: element for element in ELEMENTS}
DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("people", "People"),
    ("policies", "Policies"),
    ("capabilities", "Capabilities"),
)
DIMENSION_IDS: tuple[str, ...] = tuple(dimension for dimension, _ in DIMENSIONS)
LEVELS: dict[int, tuple[str, str]] = {
    1: ("Initial", "Ad hoc; depends on individuals; not written down."),
    2: ("Repeatable", "Some practice is repeated, within single programs."),
    3: ("Defined", "Documented and standard across the agency."),
    4: ("Managed", "Measured and monitored; exceptions are acted on."),
    5: ("Optimized", "Improved continuously from measurement; a model for others."),
}
Ratings = dict[str, dict[str, int | None]]
Direction = Literal["up", "down", "same", "new", "none"]


def blank() -> Ratings:
    """Every cell present and unrated.

    >>> len(blank()), blank()["analytics"]
    (10, {'people': None, 'policies': None, 'capabilities': None})
    """
    return {element: dict.fromkeys(DIMENSION_IDS) for element in ELEMENT_IDS}


def merge(
    current: Mapping[str, Mapping[str, int | None]], changes: Mapping[str, Mapping[str, int | None]]
) -> Ratings:
    """`current` with the cells in `changes` replaced, every cell checked (ValueError if bad).

    >>> merge(blank(), {"analytics": {"people": 3}})["analytics"]["people"]
    3
    >>> merge(blank(), {"analytics": {"people": 6}})
    Traceback (most recent call last):
    ...
    ValueError: analytics.people: a level is a whole number from 1 to 5
    >>> merge(blank(), {"vibes": {"people": 2}})
    Traceback (most recent call last):
    ...
    ValueError: vibes: not one of the ten elements
    """
    merged = blank()
    for source in (current, changes):
        for element, cells in source.items():
            if element not in BY_ID:
                raise ValueError(f"{element}: not one of the ten elements")
            for dimension, level in cells.items():
                if dimension not in DIMENSION_IDS:
                    raise ValueError(f"{element}.{dimension}: people, policies or capabilities")
                if level is not None and (
                    isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5
                ):
                    raise ValueError(
                        f"{element}.{dimension}: a level is a whole number from 1 to 5"
                    )
                merged[element][dimension] = level
    return merged


def unrated(ratings: Mapping[str, Mapping[str, int | None]]) -> list[str]:
    """The cells still without a level, as `element.dimension`.

    >>> unrated(blank())[:2]
    ['data_architecture.people', 'data_architecture.policies']
    """
    return [
        f"{element}.{dimension}"
        for element in ELEMENT_IDS
        for dimension in DIMENSION_IDS
        if (ratings.get(element) or {}).get(dimension) is None
    ]


def mean(levels: list[int | None]) -> float | None:
    """The mean of the rated levels, to one decimal (None when none are rated).

    >>> mean([3, 4, None]), mean([None])
    (3.5, None)
    """
    rated = [level for level in levels if level is not None]
    return round(sum(rated) / len(rated), 1) if rated else None


def element_mean(ratings: Mapping[str, Mapping[str, int | None]], element: str) -> float | None:
    cells = ratings.get(element) or {}
    return mean([cells.get(dimension) for dimension in DIMENSION_IDS])


def dimension_mean(ratings: Mapping[str, Mapping[str, int | None]], dimension: str) -> float | None:
    return mean([(ratings.get(element) or {}).get(dimension) for element in ELEMENT_IDS])


def overall(ratings: Mapping[str, Mapping[str, int | None]]) -> float | None:
    """The mean of all rated cells.

    >>> overall(merge(blank(), {"analytics": {"people": 2, "policies": 4}}))
    3.0
    """
    return mean([(ratings.get(e) or {}).get(d) for e in ELEMENT_IDS for d in DIMENSION_IDS])


def direction(before: int | float | None, after: int | float | None) -> Direction:
    """How a cell moved from the previous assessment.

    >>> direction(2, 3), direction(3, 2), direction(3, 3), direction(None, 3), direction(3, None)
    ('up', 'down', 'same', 'new', 'none')
    """
    if after is None:
        return "none"
    if before is None:
        return "new"
    if after > before:
        return "up"
    return "down" if after < before else "same"


def change(before: int | float | None, after: int | float | None) -> float | None:
    """The signed difference, when both sides are rated.

    >>> change(2, 4), change(None, 4), change(3.5, 3.0)
    (2, None, -0.5)
    """
    if before is None or after is None:
        return None
    difference = after - before
    return round(difference, 1) if isinstance(difference, float) else difference


def level_name(level: int | float | None) -> str:
    """The name of a level, rounding a mean to the nearest whole level.

    >>> level_name(3), level_name(3.6), level_name(None)
    ('Defined', 'Managed', 'not rated')
    """
    if level is None:
        return "not rated"
    return LEVELS[min(5, max(1, int(level + 0.5)))][0]
