"""Steward: run a state's data plan."""

__version__ = "0.1.0"
