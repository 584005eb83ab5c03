"""Acceptance (#10 part 4): a person-level extract under an agreement leaves out the generated
people who opted out of the agreement's program and purpose, and records how many."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from steward.accounts.policy import SYSTEM
from steward.consent import keys
from steward.consent import service as consent
from steward.consent.schemas import ConsentCreate, ProgramCreate

from .conftest import DATASET, World, people_csv

SHARED = {
    "dataset_id": DATASET,
    "fields": ["person_id", "town", "diagnosis"],
    "identifier_fields": ["last_name", "first_name", "birth_date", "ssn"],
}


def opt_out(world: World, count: int) -> set[str]:
    """Opt the first `count` generated people out of home-visiting research; their ids."""
    people = list(csv.DictReader(io.StringIO(people_csv())))[:count]
    keys.configure(world.settings)  # the registry's keyed-hash secret for this store
    with world.database.session() as session:
        consent.create_program(
            session,
            SYSTEM,
            ProgramCreate(key="home-visiting", name="Home visiting", agency="dph"),
        )
        for person in people:
            identity = {
                "last_name": person["last_name"],
                "first_name": person["first_name"],
                "dob": person["birth_date"],
                "ssn": person["ssn"],
            }
            data = {"program": "home-visiting", "person": identity}
            values = {
                **data,
                "purpose": "research",
                "decision": "opt_out",
                "effective_on": "2025-01-01",
            }
            consent.record_consent(session, SYSTEM, ConsentCreate.model_validate(values))
    return {person["person_id"] for person in people}


def test_the_extract_leaves_out_people_who_opted_out(world: World, client: TestClient) -> None:
    agreement = world.agreement(datasets=[SHARED])
    gone = opt_out(world, 7)
    auth = world.token("analyst@dss.ct.gov")
    made = client.post(
        f"/api/v1/agreements/{agreement}/extracts",
        json={"dataset_id": DATASET, "purpose": "Link to program outcomes"},
        headers=auth,
    )
    assert made.status_code == 201, made.text
    extract = made.json()
    assert extract["excluded_opted_out"] == 7 and extract["row_count"] == 53
    got = client.get(f"/api/v1/agreements/{agreement}/extracts/{extract['id']}", headers=auth)
    assert got.status_code == 200
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert len(rows) == 53 and set(rows[0]) == {"person_id", "town", "diagnosis"}
    assert not gone & {row["person_id"] for row in rows}
    assert "ssn" not in got.text.splitlines()[0]
    # someone else cannot download it
    other = client.get(
        f"/api/v1/agreements/{agreement}/extracts/{extract['id']}",
        headers=world.token("other@dss.ct.gov"),
    )
    assert other.status_code in (403, 404)


def test_no_extract_without_a_grant_in_force(world: World, client: TestClient) -> None:
    agreement = world.agreement(datasets=[SHARED])
    body = {"dataset_id": DATASET, "purpose": "Link to program outcomes"}
    url = f"/api/v1/agreements/{agreement}/extracts"
    assert client.post(url, json=body, headers=world.token("other@dss.ct.gov")).status_code == 404
    ado = world.token("ado@dph.ct.gov")
    client.post(
        f"/api/v1/agreements/{agreement}/status", json={"status": "terminated"}, headers=ado
    )
    refused = client.post(url, json=body, headers=world.token("analyst@dss.ct.gov"))
    assert refused.status_code == 403 and "terminated" in refused.json()["error"]["message"]
