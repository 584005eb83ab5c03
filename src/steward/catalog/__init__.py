"""Catalog: agencies, datasets, data dictionaries, versions and search."""
