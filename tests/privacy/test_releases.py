"""Releases of the medical examiner's file (#9 acceptance): linked tables under the CMS policy,
every suppressed cell's interval checked by the tests' own LP audit, approval by someone other
than the maker, publication as an ordinary public dataset, and the release gate."""

from __future__ import annotations

import csv
import itertools
import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from steward.catalog import service as catalog
from steward.catalog import versions
from steward.catalog.rows import open_public_rows
from steward.catalog.schemas import DatasetCreate
from steward.classification.service import record_public_assessment
from steward.demo.loader import DATA_DIR
from steward.errors import Conflict, Invalid, NotAuthorized
from steward.privacy import releases
from steward.privacy.engine import protect_table
from steward.privacy.hierarchy import ROOT, ct_town_county, ct_town_region, flat
from steward.privacy.policy import BUILTIN
from steward.privacy.publish import publish_release
from steward.privacy.schemas import ReleaseCreate, ReleaseDetail
from steward.privacy.source import derive_value
from steward.privacy.table import build_table

from .lp_audit import equations, intervals
from .world import ME, RELEASE, World, make_world

DIMS = ["town", "year", "race", "sex"]
RAW = DATA_DIR / "datasets/accidental_drug_related_deaths_2012-2017_rybz-nyjw.csv"


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(tmp_path)


def true_counts() -> Counter[tuple[tuple[str, str], ...]]:
    """Every cell's count straight from the raw file (towns placed by the standards' reader)."""
    counties, regions = ct_town_county(), ct_town_region()
    found: Counter[tuple[tuple[str, str], ...]] = Counter()
    with RAW.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            town = derive_value("town", row["Residence City"])
            year = derive_value("year", row["Date"])
            if town is None or year is None:
                continue
            node = ("town", town)
            towns = [node, counties.parent_of(node), regions.parent_of(node), ROOT]
            others = [
                [("value", derive_value("text", row[column]) or ""), ROOT]
                for column in ("Race", "Sex")
            ]
            for key in itertools.product(towns, [("value", year), ROOT], *others):
                found[key] += 1
    return found


def linked_cells(detail: ReleaseDetail) -> tuple[list[Any], list[float], list[bool], list[str]]:
    """Every cell of the released tables in one space (a table's missing dimension is at its
    total); shared cells once. Published values from the tables; hidden ones from the raw file
    (only to compare with the interval)."""
    truth = true_counts()
    keys: dict[tuple[tuple[str, str], ...], int] = {}
    values: list[float] = []
    hidden: list[bool] = []
    statuses: list[str] = []
    for table in detail.tables:
        for row in table.rows:
            cells = dict(zip(table.columns, row, strict=True))
            key = tuple((cells[f"{d}_level"], cells[d]) if d in cells else ROOT for d in DIMS)
            is_hidden = cells["status"] != "published"
            if not is_hidden:
                assert float(cells["count"]) == truth[key], key
            if key in keys:
                assert hidden[keys[key]] == is_hidden
                continue
            keys[key] = len(values)
            values.append(float(truth[key]))
            hidden.append(is_hidden)
            statuses.append(cells["status"])
    return list(keys), values, hidden, statuses


def plain_links(cells: list[Any], axis: int) -> dict[tuple[str, str], tuple[str, str]]:
    return {key[axis]: ROOT for key in cells if key[axis][0] == "value"}


def test_the_medical_examiners_tables_pass_an_independent_lp_audit(world: World) -> None:
    steward = world.actor("steward@ocme.ct.gov")
    with world.database.session() as session:
        made = releases.create_table_release(
            session, steward, world.settings.data_dir, ReleaseCreate.model_validate(RELEASE)
        )
        detail = releases.get_release(session, world.actor("analyst@ocme.ct.gov"), made.id)
    assert made.passed and made.status == "draft"
    summary = made.summary
    assert summary["primary"] > 100 and summary["secondary"] > 0
    assert summary["secondary_value"] > 0 and summary["rows_used"] > 3500
    cells, values, hidden, statuses = linked_cells(detail)
    assert sum(hidden) == summary["primary"] + summary["secondary"]
    parents = [
        (0, dict(ct_town_county().parents)),
        (0, dict(ct_town_region().parents)),
        *((axis, plain_links(cells, axis)) for axis in (1, 2, 3)),
    ]
    eqs = equations(cells, parents)
    truth = np.array(values)
    for total, parts in eqs:  # the true values add up: the tables are consistent
        assert truth[total] == pytest.approx(truth[parts].sum())
    found = intervals(values, hidden, eqs)
    for cell, (low, high) in found.items():
        value = values[cell]
        low_int = math.ceil(low - 1e-6)
        high_int = high if math.isinf(high) else math.floor(high + 1e-6)
        if statuses[cell] == "primary":
            assert low_int <= value - min(1, value), (cells[cell], low, high)
            assert high_int >= value + 1, (cells[cell], low, high)
        elif value <= 10:
            assert high_int > low_int, cells[cell]  # no small secondary cell is pinned down
    reasons = [row[-1] for table in detail.tables for row in table.rows if row[-2] != "published"]
    assert any("between 1 and 10" in reason for reason in reasons)
    assert any(reason.startswith("complementary") for reason in reasons)


def test_approval_needs_someone_else_and_publishing_makes_a_public_dataset(world: World) -> None:
    steward, ado = world.actor("steward@ocme.ct.gov"), world.actor("ado@ocme.ct.gov")
    with world.database.session() as session:
        made = releases.create_table_release(
            session, steward, world.settings.data_dir, ReleaseCreate.model_validate(RELEASE)
        )
        with pytest.raises(NotAuthorized):
            releases.approve_release(session, steward, made.id)
        with pytest.raises(Conflict, match="approve it"):
            publish_release(session, steward, world.settings.data_dir, made.id)
        by_maker = releases.create_table_release(
            session, ado, world.settings.data_dir, ReleaseCreate.model_validate(RELEASE)
        )
        with pytest.raises(NotAuthorized, match="other than its maker"):
            releases.approve_release(session, ado, by_maker.id)
        approved = releases.approve_release(session, ado, made.id)
        assert approved.approved_by == "ado@ocme.ct.gov"
        published = publish_release(session, steward, world.settings.data_dir, made.id)
    assert published.status == "published" and published.published_dataset_id
    with world.database.session() as session:
        dataset = catalog.get_dataset(session, published.published_dataset_id)
        assert (dataset.status, dataset.access_level, dataset.classification) == (
            "published",
            "public",
            "public",
        )
        assert f"/d/{ME}" in dataset.description and "/privacy/policies/cms" in dataset.description
        source = open_public_rows(session, world.settings.data_dir, dataset.id)
        assert {"table", "town", "town_level", "count", "status"} <= {f.name for f in source.fields}
        assert "reason" not in {f.name for f in source.fields}
        with pytest.raises(Conflict, match="is published"):
            publish_release(session, steward, world.settings.data_dir, made.id)


def test_the_raw_file_cannot_be_published_again_under_another_name(world: World) -> None:
    steward = world.actor("steward@ocme.ct.gov")
    raw = RAW
    with world.database.session() as session:
        copy = catalog.create_dataset(
            session,
            steward,
            DatasetCreate(agency="ocme", title="Deaths copy", access_level="public"),
        )
        versions.ingest_version(session, steward, world.settings.data_dir, copy.id, raw)
        record_public_assessment(session, copy.id, "Claimed public", steward)
        with pytest.raises(Conflict, match="publish a privacy release"):
            catalog.set_status(session, steward, copy.id, "published")


def test_a_release_needs_known_columns_and_the_agency_role(world: World) -> None:
    with world.database.session() as session:
        other = world.actor("steward@dph.ct.gov")
        with pytest.raises(NotAuthorized):
            releases.create_table_release(
                session, other, world.settings.data_dir, ReleaseCreate.model_validate(RELEASE)
            )
        steward = world.actor("steward@ocme.ct.gov")
        bad = {**RELEASE, "derive": {"town": "town:no_such_column", "year": "year:date"}}
        with pytest.raises(Invalid, match="no column"):
            releases.create_table_release(
                session, steward, world.settings.data_dir, ReleaseCreate.model_validate(bad)
            )


def test_a_total_of_one_beside_its_only_part_is_one_person_not_two() -> None:
    towns = flat("town", ["a", "b", "c"])
    years = flat("year", ["2016", "2017"])
    inner = {
        (("value", "a"), ("value", "2017")): 1,
        (("value", "b"), ("value", "2016")): 30,
        (("value", "b"), ("value", "2017")): 20,
        (("value", "c"), ("value", "2016")): 25,
        (("value", "c"), ("value", "2017")): 40,
    }
    result = protect_table(build_table([towns, years], inner), BUILTIN["cms"])
    assert result.audit.passed, result.audit.problems
    assert result.summary()["secondary"] >= 2
