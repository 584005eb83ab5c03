"""SoQL: parse SODA query parameters, translate them to SQL, run them on Parquet with DuckDB."""
