"""Inventory tables."""

from __future__ import annotations
