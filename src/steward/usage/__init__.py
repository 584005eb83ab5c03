"""Usage: views, downloads and API calls counted per dataset per day, without tracking people
(no addresses, cookies, agents or users are kept: only the three counts)."""
