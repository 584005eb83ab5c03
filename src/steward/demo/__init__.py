"""The bundled Connecticut demo catalog (real data.ct.gov datasets, provenance in data/SOURCES.md)."""
