"""Data sharing agreements (MOU/MOA/DSA/DUA/BAA), templates and enforced access grants (#10)."""
