"""Data request tables."""

from __future__ import annotations
