"""Tell which catalog format a document is, and parse it.

JSON: a DCAT-US catalog (`{"dataset": [...]}`), a CKAN action answer (`{"success", "result"}`)
holding packages, a list of CKAN packages, a list of Socrata views (or one view), or a Discovery API
answer. JSON lines: a `ckanapi dump`. Text: the Axibase-style catalog export CSV.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from steward.errors import Invalid
from steward.harvest import axibase, ckan, dcat, socrata
from steward.harvest.records import ParsedCatalog

FORMATS = ("dcat", "socrata", "ckan", "axibase")


def parse_document(data: bytes, *, fmt: str = "auto", portal: str | None = None) -> ParsedCatalog:
    """Records of a catalog document; `fmt` forces a format (else it is detected)."""
    if fmt not in {"auto", *FORMATS}:
        raise Invalid(f"unknown format {fmt!r}; use auto, {', '.join(FORMATS)}")
    text = _decode(data)
    if fmt == "axibase" or (fmt == "auto" and not text.lstrip().startswith(("{", "["))):
        return _parse_csv(text, portal)
    parsed = _parse_json(text)
    catalog = _from_json(parsed, portal)
    if catalog is None or (fmt != "auto" and catalog.format != fmt):
        expected = "a catalog" if fmt == "auto" else f"a {fmt} catalog"
        raise Invalid(f"the document is not {expected} Steward can read ({', '.join(FORMATS)})")
    return catalog


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _parse_csv(text: str, portal: str | None) -> ParsedCatalog:
    header = next(csv.reader(io.StringIO(text)), [])
    if not axibase.is_catalog_csv(header):
        wanted = ", ".join(sorted(axibase.COLUMNS))
        raise Invalid(f"not a catalog export CSV: the header needs the columns {wanted}")
    return axibase.parse_catalog_csv(text, portal)


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as first:
        lines = [line for line in text.splitlines() if line.strip()]
        try:
            return [json.loads(line) for line in lines]  # JSON lines, as `ckanapi dump` writes
        except json.JSONDecodeError:
            raise Invalid(f"not valid JSON: {first}") from None


def _from_json(document: Any, portal: str | None) -> ParsedCatalog | None:
    if isinstance(document, dict) and "result" in document and "success" in document:
        document = document["result"]  # a CKAN action answer
    if dcat.is_catalog(document):
        return dcat.parse_catalog(document)
    if socrata.is_discovery(document) and document["results"]:
        return socrata.parse_discovery(document)
    if isinstance(document, dict) and isinstance(document.get("results"), list):
        if not document["results"] and "count" in document:
            return ParsedCatalog("ckan", [])  # a package_search that found nothing
        document = document["results"]  # package_search
    if isinstance(document, dict):
        document = [document]  # one package or one view
    if not isinstance(document, list) or not document:
        return None
    if any(ckan.is_package(item) for item in document):
        return ckan.parse_packages(document, portal)
    if any(socrata.is_view(item) for item in document):
        return socrata.parse_views(document, portal)
    return None
