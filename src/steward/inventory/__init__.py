"""The high-value data inventory: yearly cycles, agency submissions, assets, review."""
