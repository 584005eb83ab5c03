"""Open Data Access Plans, maturity and ethics assessments, progress reports."""
