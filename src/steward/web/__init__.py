"""HTTP edges: the JSON APIs and the portal pages. Thin: parse, call a service, render."""
