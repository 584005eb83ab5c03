"""Catalog import ("harvest"): read another portal's catalog and create metadata-only entries.

Pure parsers per format (`dcat`, `socrata`, `axibase`, `ckan`, chosen by `detect`), bounded
reading of files and URLs (`fetch`), agency reconciliation (`agencies`, `reconcile`), and the use
case that writes through the catalog service (`service`), with provenance in `models`.
"""
