"""What the portal pages need beyond the catalog and query services: the table view a visitor
builds with filters, sorting and paging, turned into SoQL. Pure; no web imports."""
