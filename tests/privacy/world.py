"""A store holding the medical examiner's person-level file (rybz-nyjw, agency ocme, Personal,
non-public) as the demo catalog loads it, and people with roles at ocme."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from steward.accounts import service as accounts
from steward.accounts.policy import SYSTEM, Actor
from steward.accounts.schemas import RoleGrant, TokenCreate, UserCreate
from steward.config import Settings
from steward.db import Database
from steward.demo import loader

ME = "rybz-nyjw"
PASSWORD = "privacy-password-1"
PEOPLE = {
    "steward@ocme.ct.gov": "steward",
    "ado@ocme.ct.gov": "ado",
    "analyst@ocme.ct.gov": "analyst",
    "steward@dph.ct.gov": "steward@dph",
}
TABLES = [
    {"name": "town_year", "dims": ["town=ct_town_county", "year"]},
    {"name": "region_race_sex", "dims": ["town=ct_town_region:planning_region", "race", "sex"]},
]
DERIVE = {"town": "town:residence_city", "year": "year:date"}
RELEASE = {
    "dataset_id": ME,
    "title": "Accidental drug related deaths by town, year, region, race and sex",
    "policy": "cms",
    "tables": TABLES,
    "derive": DERIVE,
}
QUASI = {
    "age_band": "age_band:age",
    "sex": "text:sex",
    "race": "text:race",
    "town": "town:residence_city",
    "month": "month:date",
}
# Named in the dataset's public description (metadata), so they may appear on public pages.
IN_METADATA = {"17-536", "17-537", "17-538", "15-777", "15-16348"}


@dataclass
class World:
    settings: Settings
    database: Database

    def actor(self, email: str) -> Actor:
        with self.database.session() as session:
            return accounts.actor_by_email(session, email)

    def bearer(self, email: str) -> dict[str, str]:
        with self.database.session() as session:
            actor = accounts.actor_by_email(session, email)
            token = accounts.create_token(session, actor, TokenCreate(name="test")).token
        return {"Authorization": f"Bearer {token}"}


def make_world(tmp_path: Path) -> World:
    settings = Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    database.migrate()
    catalog = loader.read_catalog()
    with database.session() as session:
        for agency in catalog["agencies"]:
            if agency["slug"] in ("ocme", "dph"):
                loader._ensure_agency(session, agency)
    entry = next(item for item in catalog["datasets"] if item["id"] == ME)
    with database.session() as session:
        loader._ensure_dataset(session, settings.data_dir, entry)
    with database.session() as session:
        for email, role in PEOPLE.items():
            scoped = role if "@" in role else f"{role}@ocme"
            grant = RoleGrant(role=scoped.partition("@")[0], agency=scoped.partition("@")[2])
            data = UserCreate(
                email=email,
                name=email.split("@")[0].title(),
                agency=grant.agency,
                password=PASSWORD,
                roles=[grant],
            )
            accounts.create_user(session, SYSTEM, data)
    return World(settings, database)


def case_numbers(limit: int = 400) -> list[str]:
    """Case numbers of the raw file (a raw row on a public route would carry one)."""
    import csv

    path = loader.DATA_DIR / "datasets/accidental_drug_related_deaths_2012-2017_rybz-nyjw.csv"
    with path.open(encoding="utf-8") as handle:
        numbers = [row["CaseNumber"] for row in csv.DictReader(handle)]
    return [n for n in numbers if n and n not in IN_METADATA][:limit]
