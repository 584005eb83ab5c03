"""The bundled Connecticut demo catalog; provenance of its files is in data/SOURCES.md."""
