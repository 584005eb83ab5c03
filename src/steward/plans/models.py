"""Plan, assessment and report tables."""

from __future__ import annotations
