"""Consent and opt-out registry keyed by a keyed hash of identifiers (#10)."""
