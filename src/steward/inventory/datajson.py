"""The non-public part of `data.json`: DCAT-US v1.1 entries for inventory assets whose access
level is `non-public` or `restricted public`.

The public `/data.json` lists the catalog's datasets; the plan also asks states to list data
that is not public, with why. These entries say what the data is, who publishes it, its access
level and, as `rights`, the agency's reason it is not public; they carry no distribution. A
catalogued asset uses the catalog's identifier (its landing page), so a harvester sees one
dataset, not two; any other asset is named by its agency and its inventory key, which stays the
same from year to year. Pure functions over the inventory's and the catalog's shapes.
"""

from __future__ import annotations

import re
from typing import Any

from steward.catalog.schemas import DatasetPublic
from steward.inventory.schemas import AssetPublic
from steward.metadata import dcat, links
from steward.metadata.coverage import first_day, last_day, temporal_interval
from steward.metadata.openness import RIGHTS_MAX

NON_PUBLIC = ("non-public", "restricted public")
# Spreadsheet words for update frequencies, as DCAT-US accrualPeriodicity.
FREQUENCIES = {
    "daily": "R/P1D",
    "weekly": "R/P1W",
    "biweekly": "R/P2W",
    "monthly": "R/P1M",
    "quarterly": "R/P3M",
    "semiannually": "R/P6M",
    "semi-annually": "R/P6M",
    "annually": "R/P1Y",
    "annual": "R/P1Y",
    "yearly": "R/P1Y",
    "biennially": "R/P2Y",
    "irregular": "irregular",
    "as needed": "irregular",
}
_ISO_FREQUENCY = re.compile(r"^R/P(?=.)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$")
_STOP_WORDS = frozenset({"a", "an", "and", "by", "for", "in", "of", "on", "the", "to", "&"})


def catalog(
    assets: list[tuple[AssetPublic, str]], datasets: dict[str, DatasetPublic], base: str, year: int
) -> dict[str, Any]:
    """A `data.json` document holding the non-public assets (each with its agency's name)."""
    return {
        "@context": dcat.CONTEXT,
        "@id": f"{base}/api/v1/inventory/cycles/{year}/data.json",
        "@type": "dcat:Catalog",
        "conformsTo": dcat.SCHEMA,
        "describedBy": dcat.DESCRIBED_BY,
        "dataset": [
            entry(asset, agency_name, datasets.get(asset.dataset_id or ""), base)
            for asset, agency_name in assets
            if asset.access_level in NON_PUBLIC
        ],
    }


def entry(
    asset: AssetPublic, agency_name: str, dataset: DatasetPublic | None, base: str
) -> dict[str, Any]:
    contact = dcat.contact_point(dataset) if dataset else None
    item: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "identifier": identifier(asset, base),
        "title": asset.name,
        "description": asset.description or asset.name,
        "keyword": keywords(asset, dataset),
        "modified": dcat.iso_datetime(asset.updated_at),
        "publisher": dcat.publisher(agency_name),
        "contactPoint": contact
        or {"@type": "vcard:Contact", "fn": _contact_name(asset, agency_name)},
        "accessLevel": asset.access_level,
        "rights": (asset.access_reason or f"{asset.access_level} data")[:RIGHTS_MAX],
    }
    optional = {
        "accrualPeriodicity": accrual_periodicity(asset.update_frequency),
        "temporal": temporal(asset.temporal_coverage),
        "landingPage": links.landing_page(base, dataset.id) if dataset else None,
    }
    item.update({key: value for key, value in optional.items() if value is not None})
    return item


def identifier(asset: AssetPublic, base: str) -> str:
    if asset.dataset_id:
        return links.landing_page(base, asset.dataset_id)
    return f"{asset.agency}-inventory-{asset.key}"


def keywords(asset: AssetPublic, dataset: DatasetPublic | None) -> list[str]:
    """The catalog's keywords, or the words of the asset's name.

    >>> from types import SimpleNamespace as A
    >>> keywords(A(name="Deaths by Town and County", agency="ocme"), None)
    ['deaths', 'town', 'county']
    """
    if dataset is not None and dataset.keywords:
        return list(dataset.keywords)
    words = re.findall(r"[a-z0-9][a-z0-9'-]*", asset.name.lower())
    kept = [word for word in words if word not in _STOP_WORDS]
    return list(dict.fromkeys(kept)) or [asset.agency]


def accrual_periodicity(text: str | None) -> str | None:
    """ISO 8601 (`R/P1M`), `irregular`, or a common word; anything else is left out.

    >>> [accrual_periodicity(t) for t in ("Monthly", "P1Y", "R/P1D", "whenever")]
    ['R/P1M', 'R/P1Y', 'R/P1D', None]
    """
    if not text:
        return None
    value = text.strip()
    if value.lower() in FREQUENCIES:
        return FREQUENCIES[value.lower()]
    value = value if value.startswith("R/") else f"R/{value}"
    return value if _ISO_FREQUENCY.match(value) else None


def temporal(text: str | None) -> str | None:
    """`start/end` whole dates; an open end is left out (no release date to close it with).

    >>> temporal("2012-2017"), temporal("since statehood")
    ('2012-01-01/2017-12-31', None)
    """
    start, end = temporal_interval(text) or ("", None)
    if end is None:
        return None
    return f"{first_day(start)}/{last_day(end)}"


def _contact_name(asset: AssetPublic, agency_name: str) -> str:
    return asset.steward or asset.owner or asset.custodian or agency_name
