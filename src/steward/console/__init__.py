"""The steward console: what agency staff see of their agencies, datasets and people.

It composes the catalog, metadata completeness, classification status and accounts into the
shapes the console pages render; every write goes through those packages' own services.
"""
