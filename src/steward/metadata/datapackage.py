"""Frictionless Data Package (v1, tabular) for a dataset, and the zip carrying it with its CSV.

The Table Schema describes the CSV exactly as Steward's CSV export writes it (the SODA
`rows.csv` encoding): timestamps as `2020-03-24T00:00:00.000`, numbers plainly, checkboxes as
`true`/`false`, points as WKT `POINT (lon lat)` and an empty cell for a missing value.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from steward.catalog.schemas import DatasetPublic, FieldPublic
from steward.metadata import dcat, links
from steward.metadata.licenses import find_license, license_url

# Python's %f reads one to six digits, so it takes the export's three-digit milliseconds.
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"
# Table Schema's geopoint has no WKT form, so a point is a string held to the export's shape.
POINT_PATTERN = r"POINT \(\S+ \S+\)"
DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\r\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
}


def field_descriptor(field: FieldPublic, physical: str | None) -> dict[str, Any]:
    """One Table Schema field: the SoQL type read together with the stored (DuckDB) type."""
    descriptor: dict[str, Any] = {"name": field.name, "title": field.label}
    if field.description:
        descriptor["description"] = field.description
    if field.type == "number":
        descriptor["type"] = "integer" if physical == "BIGINT" else "number"
    elif field.type == "checkbox":
        descriptor["type"] = "boolean"
    elif field.type in {"floating_timestamp", "calendar_date"}:
        descriptor["type"] = "datetime" if field.type == "floating_timestamp" else "date"
        descriptor["format"] = TIMESTAMP_FORMAT
    elif field.type == "point":
        descriptor["type"] = "string"
        descriptor["constraints"] = {"pattern": POINT_PATTERN}
    else:
        descriptor["type"] = "string"
    return descriptor


def table_schema(fields: list[FieldPublic], physical: dict[str, str]) -> dict[str, Any]:
    """The Table Schema of the given fields, in order. Steward declares no primary keys yet."""
    return {
        "fields": [field_descriptor(field, physical.get(field.name)) for field in fields],
        "missingValues": [""],
    }


def data_package(
    dataset: DatasetPublic,
    fields: list[FieldPublic],
    physical: dict[str, str],
    base: str,
    *,
    path: str,
) -> dict[str, Any]:
    """A tabular Data Package with one CSV resource at `path` (a URL, or a name in a zip)."""
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": dataset.id,
        "id": links.landing_page(base, dataset.id),
        "title": dataset.title,
        "description": dataset.description,
        "homepage": links.landing_page(base, dataset.id),
        "keywords": dcat.keywords(dataset),
        "contributors": [_publisher(dataset)],
        "created": dcat.iso_datetime(dcat.last_modified(dataset)),
        "resources": [_resource(dataset, fields, physical, path)],
    }
    if dataset.current_version is not None:
        package["version"] = str(dataset.current_version)
    licenses = _licenses(dataset.license)
    if licenses:
        package["licenses"] = licenses
    if dataset.source_system:
        package["sources"] = [{"title": dataset.source_system}]
    return package


def _resource(
    dataset: DatasetPublic, fields: list[FieldPublic], physical: dict[str, str], path: str
) -> dict[str, Any]:
    return {
        "name": dataset.id,
        "title": dataset.title,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": links.CSV_MEDIA_TYPE,
        "encoding": "utf-8",
        "dialect": dict(DIALECT),
        "schema": table_schema(fields, physical),
    }


def _publisher(dataset: DatasetPublic) -> dict[str, str]:
    contributor = {"title": dataset.agency_name, "role": "publisher"}
    if dataset.contact_email:
        contributor["email"] = dataset.contact_email
    return contributor


def _licenses(name: str | None) -> list[dict[str, str]]:
    known = find_license(name)
    if known is not None:
        return [{"name": known.id, "path": known.url, "title": known.title}]
    url = license_url(name)
    return [{"path": url, "title": url}] if url else []


class _Sink(io.RawIOBase):
    """A write-only, unseekable stream whose written bytes are taken out as they arrive."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def zip_stream(package: dict[str, Any], csv_chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Stream a zip of the CSV (named by the package's resource path) and `datapackage.json`.

    The CSV is written first so its size and SHA-256 go into the descriptor, which lets a
    validator prove the file is the one described. Memory stays at one CSV chunk.
    """
    package = copy.deepcopy(package)
    resource = package["resources"][0]
    sink = _Sink()
    digest, size = hashlib.sha256(), 0
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(resource["path"], "w", force_zip64=True) as entry:
            for chunk in csv_chunks:
                digest.update(chunk)
                size += len(chunk)
                entry.write(chunk)
                if out := sink.take():
                    yield out
        resource["bytes"] = size
        resource["hash"] = f"sha256:{digest.hexdigest()}"
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
    yield sink.take()
