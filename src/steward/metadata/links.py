"""Where each dataset and its downloads live, relative to the server's base URL.

Every metadata format (DCAT-US, schema.org, Frictionless) links the same addresses, so they are
written once here. `base` is the scheme and host the caller reached, without a trailing slash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

CSV_MEDIA_TYPE = "text/csv"
JSON_MEDIA_TYPE = "application/json"
PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"
# The address shape DCAT-US accepts after `mailto:` in a contact's hasEmail.
_MAILBOX = re.compile(r"^[\w.!$&'()*+,;=:~-]+@[\w.-]+\.[\w.-]+$")


@dataclass(frozen=True)
class Download:
    """One way to get a dataset's rows: a file format and the URL serving it."""

    title: str
    format: str
    media_type: str
    url: str
    description: str


def is_web_url(text: str | None) -> bool:
    """An absolute http(s) URL with a host and no spaces.

    >>> [is_web_url(text) for text in ("https://ct.gov/dph", "ct.gov", "https://a b")]
    [True, False, False]
    """
    if not text or any(char.isspace() for char in text):
        return False
    parts = urlsplit(text)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def mailto(email: str | None) -> str | None:
    """`mailto:` and the address, when the address has a shape catalogs accept."""
    return f"mailto:{email}" if email and _MAILBOX.match(email) else None


def landing_page(base: str, dataset_id: str) -> str:
    """The dataset's canonical URL: its page, and its identifier in every catalog."""
    return f"{base}/d/{dataset_id}"


def dictionary_url(base: str, dataset_id: str) -> str:
    return f"{base}/api/v1/datasets/{dataset_id}/fields"


def csv_url(base: str, dataset_id: str) -> str:
    return f"{base}/api/views/{dataset_id}/rows.csv?accessType=DOWNLOAD"


def soda_url(base: str, dataset_id: str) -> str:
    return f"{base}/resource/{dataset_id}.json"


def api_docs_url(base: str) -> str:
    return f"{base}/api-docs"


def downloads(base: str, dataset_id: str, version: int | None) -> list[Download]:
    """The whole-dataset downloads of a public dataset (Parquet only once it has a version)."""
    files = [
        Download(
            "CSV",
            "CSV",
            CSV_MEDIA_TYPE,
            csv_url(base, dataset_id),
            "Every row of the current version as CSV (RFC 4180, UTF-8).",
        ),
        Download(
            "JSON",
            "JSON",
            JSON_MEDIA_TYPE,
            soda_url(base, dataset_id),
            "Rows as a JSON array through the SODA API; page with $limit and $offset.",
        ),
    ]
    if version is not None:
        files.append(
            Download(
                "Parquet",
                "Parquet",
                PARQUET_MEDIA_TYPE,
                f"{base}/api/v1/datasets/{dataset_id}/versions/{version}/download?format=parquet",
                f"Every row of version {version} as Apache Parquet.",
            )
        )
    return files
