"""Privacy tables: policies, releases, audits."""

from __future__ import annotations
