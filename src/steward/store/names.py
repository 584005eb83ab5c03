"""Header text -> API field names (snake_case identifiers), and the duplicate check.

Pure functions: the names are derived from file content but restricted to `[a-z0-9_]`, so they
are safe to show anywhere; SQL never sees them (columns are addressed by position).
"""

from __future__ import annotations

import re
import unicodedata

from steward.errors import Invalid

MAX_NAME_LENGTH = 63  # PostgreSQL's identifier limit; keeps names portable to other engines
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def derive_name(label: str, position: int) -> str:
    """The field name for the header `label` of the 1-based column `position`.

    >>> derive_name("Total cases ", 4), derive_name("Race/ethnicity", 2)
    ('total_cases', 'race_ethnicity')
    >>> derive_name("Morphine (not heroin)", 1), derive_name("2020", 7), derive_name("  ", 3)
    ('morphine_not_heroin', '_2020', 'column_3')
    """
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    name = _NOT_WORD.sub("_", folded.lower()).strip("_")
    if not name:
        return f"column_{position}"
    if name[0].isdigit():
        name = f"_{name}"
    return name[:MAX_NAME_LENGTH].rstrip("_")


def derive_names(labels: list[str]) -> list[str]:
    """Names for every header, or `Invalid` naming the first two headers that collide."""
    first_seen: dict[str, int] = {}
    names = []
    for index, label in enumerate(labels):
        name = derive_name(label, index + 1)
        if name in first_seen:
            raise _collision(labels, first_seen[name], index, name)
        first_seen[name] = index
        names.append(name)
    return names


def _collision(labels: list[str], first: int, second: int, name: str) -> Invalid:
    a, b = labels[first].strip(), labels[second].strip()
    if a == b:
        message = f'duplicate column header "{a}" (columns {first + 1} and {second + 1})'
    else:
        message = (
            f'column headers "{a}" (column {first + 1}) and "{b}" (column {second + 1}) '
            f'both become the field name "{name}"'
        )
    return Invalid(message, data={"columns": [first + 1, second + 1], "name": name})
