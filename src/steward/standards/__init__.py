"""Common data element standards: the registry, validators and normalizers, the state profile's
reference data, conformance reports, steward decisions, and normalization on ingest."""
