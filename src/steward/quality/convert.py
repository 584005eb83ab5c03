"""Values from DuckDB made safe for JSON: timestamps as ISO 8601 text, no NaN or infinity."""

from __future__ import annotations

import math
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

LONGEST_TEXT = 1000


def jsonable(value: Any) -> Any:
    """
    >>> jsonable(datetime(2021, 1, 12)), jsonable(float("nan")), jsonable({"a": Decimal("1.5")})
    ('2021-01-12T00:00:00', None, {'a': 1.5})
    """
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and len(value) > LONGEST_TEXT:
        return value[:LONGEST_TEXT] + "…"
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value
