"""Metadata standards and interoperability: DCAT-US `data.json`, schema.org JSON-LD, Frictionless
Data Packages, and the Connecticut metadata standard as a scored completeness checklist.

The builders (`dcat`, `jsonld`, `datapackage`, `completeness`) are pure functions over the
catalog's Pydantic shapes; `service` is the one module that opens the catalog through a session.
"""

from __future__ import annotations

# The state whose agencies publish through this Steward, named as the parent organization of every
# publisher. One constant so a future setting (e.g. STEWARD_STATE_NAME) can configure it in one
# place; every builder reads it from here.
STATE_NAME = "State of Connecticut"
