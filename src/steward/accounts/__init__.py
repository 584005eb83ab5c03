"""People and permissions: users, roles per agency, sessions, API tokens, the policy."""
