"""Data quality: profiles, rules, freshness, quality scores, version comparisons and the public
feedback loop to the data's owner.

Every new version is profiled and checked at ingest (the catalog's CHECK hook,
`steward.quality.check:check_version`); a failing `block` rule keeps it from becoming current.
"""
