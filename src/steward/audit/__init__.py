"""Append-only, hash-chained audit log of non-public reads and governance changes (#10)."""
