"""Role matrix rows of the agreement catalog export for auditors (#10): any signed-in user gets
the agreements they may read (only the header row when there are none)."""

from __future__ import annotations

from typing import Any

ROWS: list[dict[str, Any]] = [
    {
        "method": "GET",
        "path": "/api/v1/agreements/export.csv",
        "need": "signed_in",
        "url": "/api/v1/agreements/export.csv",
    },
    {
        "method": "GET",
        "path": "/api/v1/agreements/export.xlsx",
        "need": "signed_in",
        "url": "/api/v1/agreements/export.xlsx",
    },
]
