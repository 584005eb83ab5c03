"""Where every concern's tables are gathered so Alembic sees one metadata."""

from __future__ import annotations


def import_all_models() -> None:
    import steward.accounts.models
    import steward.audit.models
    import steward.catalog.models
    import steward.classification.models
    import steward.consent.models
    import steward.harvest.models
    import steward.inventory.models
    import steward.plans.models
    import steward.privacy.models
    import steward.progress.models
    import steward.quality.models
    import steward.requests.models
    import steward.sharing.models
    import steward.standards.models
    import steward.usage.models  # noqa: F401
