"""Data requests: intake, routing to the ADO, business-day clocks, outbox, metrics."""
