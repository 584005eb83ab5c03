"""Command line: one Typer sub-app per concern, all calling the domain services."""
