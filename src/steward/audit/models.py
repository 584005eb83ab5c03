"""Tables of this package (filled in by its slice)."""

from __future__ import annotations
