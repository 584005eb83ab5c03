"""A state profile is configuration: another state's folder loads with no code changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from steward.db import Database
from steward.db.base import Base
from steward.db.models import import_all_models
from steward.errors import Invalid
from steward.standards.profile import load_profile
from steward.standards.towns import TownMatcher

TOML = """
[state]
name = "Rhode Island"
abbreviation = "RI"
fips = "44"

[files]
towns = "towns.csv"
variants = "variants.csv"
"""
TOWNS = """name,number,cousub_fips,geoid,county_name,county_geoid
Westerly,39,80780,4400980780,Washington,44009
Warwick,35,74300,4400374300,Kent,44003
"""


def test_another_state_loads_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "profile.toml").write_text(TOML)
    (tmp_path / "towns.csv").write_text(TOWNS)
    (tmp_path / "variants.csv").write_text("name,town\nWATCH HILL,Westerly\nAPPONAUG,Warwick\n")
    profile = load_profile(tmp_path)
    assert (profile.abbreviation, len(profile.towns), len(profile.counties)) == ("RI", 2, 2)
    matcher = TownMatcher(profile)
    assert matcher.match("Watch Hill").normalized == "Westerly"
    assert matcher.match("WARWICK, RI").code == "4400374300"
    assert matcher.match("Hartford, CT").status == "out_of_state"
    assert matcher.match("Hartford").status == "out_of_state"


def test_a_broken_profile_is_reported(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match=r"profile\.toml"):
        load_profile(tmp_path)
    (tmp_path / "profile.toml").write_text(TOML)
    with pytest.raises(Invalid, match=r"towns\.csv"):
        load_profile(tmp_path)


def test_the_migration_matches_the_tables(database: Database) -> None:
    import_all_models()
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in differences if "standard_" in str(d)] == []
