"""Usage: views, downloads (by format), API calls (by family), rows served and estimated unique
visitors per dataset per day, without tracking people (no address, cookie, agent, account or
visitor hash is kept); and the use cases people report."""
