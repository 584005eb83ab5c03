"""Known open licenses: the names stewards type, mapped to one stable URL and SPDX-style id.

Catalog formats want a license as a URL (DCAT-US `license`, schema.org `license`, a Data
Package's `licenses[].path`). A name Steward does not recognise ("Not specified", free text)
gives no URL, and the formats leave the license out rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from steward.metadata.links import is_web_url


@dataclass(frozen=True)
class License:
    id: str
    title: str
    url: str
    names: tuple[str, ...] = ()


KNOWN: tuple[License, ...] = (
    # data.ct.gov's "Public Domain" choice dedicates the data to the public domain; CC0 is the
    # standard instrument for that and the one Project Open Data lists.
    License(
        "CC0-1.0",
        "Creative Commons CC0 1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        ("public domain", "cc0", "cc0 1.0", "cc0 1.0 universal", "creative commons cc0"),
    ),
    License(
        "PDDL-1.0",
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
        (
            "pddl",
            "pddl 1.0",
            "odc pddl",
            "odc public domain dedication and license (pddl) 1.0",
            "open data commons public domain dedication and license",
            "open data commons public domain dedication and license 1.0",
        ),
    ),
    License(
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
        ("cc by", "cc by 4.0", "creative commons attribution", "creative commons attribution 4.0"),
    ),
    License(
        "CC-BY-SA-4.0",
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
        ("cc by sa", "cc by sa 4.0", "creative commons attribution sharealike 4.0"),
    ),
    License(
        "ODC-By-1.0",
        "Open Data Commons Attribution License 1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
        ("odc by", "odc by 1.0", "open data commons attribution license"),
    ),
    License(
        "ODbL-1.0",
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
        ("odbl", "odbl 1.0", "open database license", "open data commons open database license"),
    ),
    License(
        "PDM-1.0",
        "Creative Commons Public Domain Mark 1.0",
        "https://creativecommons.org/publicdomain/mark/1.0/",
        ("public domain mark", "public domain mark 1.0"),
    ),
)

_SEPARATORS = re.compile(r"[\s_\-]+")


def _key(text: str) -> str:
    return _SEPARATORS.sub(" ", text.strip().lower())


_BY_NAME = {_key(name): known for known in KNOWN for name in (*known.names, known.id, known.title)}
_BY_URL = {known.url.rstrip("/"): known for known in KNOWN}


def find_license(name: str | None) -> License | None:
    """The known license a steward's text names, matched by name, id, title or URL.

    >>> find_license("Public Domain").id
    'CC0-1.0'
    >>> find_license("ODC Public Domain Dedication and License (PDDL) 1.0").url
    'https://opendatacommons.org/licenses/pddl/1-0/'
    >>> find_license("Not specified") is None
    True
    """
    if not name or not name.strip():
        return None
    text = name.strip()
    if text.lower().startswith(("http://", "https://")):
        return _BY_URL.get(text.rstrip("/").replace("http://", "https://", 1))
    return _BY_NAME.get(_key(text))


def license_url(name: str | None) -> str | None:
    """A URL for the license: the known license's, or the steward's own if they gave a URL.

    >>> license_url("CC BY 4.0")
    'https://creativecommons.org/licenses/by/4.0/'
    >>> license_url("https://example.org/terms")
    'https://example.org/terms'
    >>> license_url("Not specified") is None
    True
    """
    known = find_license(name)
    if known is not None:
        return known.url
    text = (name or "").strip()
    return text if is_web_url(text) else None
