"""Progress reports toward the State Data Plan goals and the CDO dashboard (#11 parts 5 and 6)."""
