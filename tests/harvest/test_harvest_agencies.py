"""Agency reconciliation: the ways portals write one agency, and names that must not match."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from steward.harvest.agencies import AgencyMatcher, KnownAgency, core_words, name_parts
from steward.harvest.reconcile import derive_slug

AGENCIES = Path(__file__).resolve().parents[1] / "fixtures" / "harvest" / "ct_agencies.csv"


@pytest.fixture(scope="module")
def matcher() -> AgencyMatcher:
    with AGENCIES.open(encoding="utf-8") as handle:
        return AgencyMatcher(KnownAgency(**row) for row in csv.DictReader(handle))


@pytest.mark.parametrize(
    ("name", "slug", "method"),
    [
        ("Department of Social Services", "dss", "exact"),
        ("CT Dept of Social Services", "dss", "fuzzy"),
        ("CT Department of Social Services", "dss", "fuzzy"),
        ("DSS", "dss", "abbreviation"),
        ("DAS/BEST", "das", "abbreviation"),
        ("CT DPH: Community Health and Prevention Section", "dph", "abbreviation"),
        ("Department of Emergency Services & Public Protection", "despp", "exact"),
        ("Department of Emegerncy Service and Public Protection", "despp", "fuzzy"),
        ("Oiffce of Policy and Management", "opm", "fuzzy"),
        ("Departmet of Motor Vehicles", "dmv", "fuzzy"),
        ("Secretary of State, Denise Merrill", "sots", "fuzzy"),
        ("Connecticut State Comptroller's Office", "osc", "fuzzy"),
        ("Department of Insurance", "cid", "fuzzy"),
    ],
)
def test_variants_match_their_agency(
    matcher: AgencyMatcher, name: str, slug: str, method: str
) -> None:
    found = matcher.match(name)
    assert (found.slug, found.method) == (slug, method)


@pytest.mark.parametrize(
    "name",
    [
        "Internal Revenue Service",
        "U.S. Dept.of Agriculture Food and Nutrition Service",
        "Department of Rehabilitation Services",
        "City of Stamford",
        "State",
        "CT Transit",
        "Colleen Kissane",
    ],
)
def test_other_publishers_do_not_match(matcher: AgencyMatcher, name: str) -> None:
    assert matcher.match(name).slug is None


def test_a_ckan_organization_name_is_tried_as_a_slug_first(matcher: AgencyMatcher) -> None:
    assert matcher.match("Anything at all", slug_hint="dph").method == "slug"


def test_name_parts_and_core_words() -> None:
    assert name_parts("Al Iallonardo - Office of Roadway Systems Information") == [
        "Al Iallonardo - Office of Roadway Systems Information",
        "Al Iallonardo",
        "Office of Roadway Systems Information",
    ]
    assert core_words("Department of Emergency Services & Public Protection") == (
        "emergency services public protection"
    )
    assert core_words("State Department of") == ""


def test_derived_slugs_are_valid_and_unique() -> None:
    assert derive_slug("City of Stamford", set()) == "city-of-stamford"
    assert derive_slug("City of Stamford", {"city-of-stamford"}) == "city-of-stamford-2"
    long = derive_slug("Connecticut " * 20, set())
    assert len(long) <= 64 and not long.endswith("-")
    assert derive_slug("!!!", set()) == "agency"
