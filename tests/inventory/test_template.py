"""The pure parts of the inventory: the criteria table, the entry rules, the spreadsheet template
(export rows and import parsing), the files, and the non-public DCAT-US entries."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from steward.errors import Invalid
from steward.inventory import criteria, datajson, rules, sheets, template
from steward.inventory.schemas import AssetFields, AssetPublic, CriterionPublic

DCAT = Path(__file__).resolve().parents[1] / "fixtures" / "dcat"


def test_the_statute_has_eight_criteria_in_order() -> None:
    assert criteria.LETTERS == ("A", "B", "C", "D", "E", "F", "G", "H")
    assert criteria.BY_LETTER["F"].text == "is frequently requested by the public"
    assert "4-67p" in criteria.STATUTE


def test_a_complete_entry_has_no_problems() -> None:
    asset = AssetFields(
        name="Grants",
        criteria={"B": {"applies": True, "justification": "Spending is public"}},
        classification="public",
        access_level="public",
        open_data_status="published",
    )
    assert rules.problems(asset) == []


def test_every_missing_choice_is_named() -> None:
    fields = [problem.field for problem in rules.problems(AssetFields())]
    assert fields == ["name", "classification", "access_level", "open_data_status"]


def test_an_unknown_criterion_and_a_closed_published_asset_are_problems() -> None:
    asset = AssetFields(
        name="X",
        criteria={"z": {"applies": True, "justification": "?"}},
        classification="protected",
        access_level="non-public",
        access_reason="Protected",
        open_data_status="published",
    )
    messages = [problem.message for problem in rules.problems(asset)]
    assert messages == [
        "there is no criterion Z (they are A to H)",
        "only an asset with access level public can be published as open data",
    ]
    with pytest.raises(Invalid) as caught:
        rules.check(asset)
    assert len(caught.value.data["errors"]) == 2


def test_tidy_drops_what_no_longer_applies() -> None:
    asset = AssetFields(
        open_data_status="published",
        planned_date=date(2027, 1, 1),
        not_publishable_reason="old",
        access_level="public",
        access_reason="old",
    )
    tidied = rules.tidy(asset)
    assert (tidied.planned_date, tidied.not_publishable_reason, tidied.access_reason) == (
        None,
        None,
        None,
    )


def _public(**changes: Any) -> AssetPublic:
    moment = datetime(2026, 2, 1, 12, tzinfo=UTC)
    values: dict[str, Any] = {
        "id": 1,
        "key": "k" * 32,
        "year": 2026,
        "agency": "ocme",
        "dataset_id": None,
        "name": "Case files of deaths by town",
        "description": "",
        "system_of_record": "CME case system",
        "owner": None,
        "steward": None,
        "custodian": None,
        "legal_authority": "CGS § 19a-406",
        "criteria": [
            CriterionPublic(
                letter=c.letter,
                label=c.label,
                applies=c.letter == "H",
                justification="Annual report" if c.letter == "H" else "",
            )
            for c in criteria.CRITERIA
        ],
        "criteria_met": ["H"],
        "high_value": True,
        "classification": "personal",
        "contains_pii": True,
        "contains_phi": True,
        "contains_fti": False,
        "contains_education_records": False,
        "access_level": "non-public",
        "access_reason": "Names and causes of death of individuals",
        "open_data_status": "not publishable",
        "planned_date": None,
        "not_publishable_reason": "Personal data",
        "update_frequency": "Monthly",
        "geographic_unit": "town",
        "temporal_coverage": "2012-2017",
        "carried_forward_from": 2025,
        "created_at": moment,
        "updated_at": moment,
        "updated_by": "ado@ocme.ct.gov",
    }
    values.update(changes)
    return AssetPublic.model_validate(values)


def test_an_exported_row_reads_back_as_the_same_entry() -> None:
    asset = _public()
    row = template.asset_row(asset, "Office of the Chief Medical Examiner", "submitted")
    cells = dict(zip(template.HEADERS, row, strict=True))
    assert cells["Criterion H: Reporting requirement"] == "Yes"
    assert cells["Criterion H justification"] == "Annual report"
    assert cells["Contains PHI"] == "Yes" and cells["High value"] == "Yes"
    assert cells["Carried forward from"] == "2025"
    parsed = template.parse(template.HEADERS, [row])
    assert parsed.errors == []
    (read,) = parsed.rows
    assert read.key == asset.key and read.number == 2
    assert read.values.criteria is not None and read.values.criteria["H"].applies
    assert read.values.access_reason == asset.access_reason
    assert (read.values.contains_pii, read.values.contains_fti) == (True, False)


def test_problems_are_listed_by_row() -> None:
    head = [
        "Asset name",
        "Criterion C: anything",
        "criterion c justification",
        "Classification",
        "Access level",
        "Reason not public",
        "Open data status",
        "Planned publication date",
    ]
    rows = [
        ["Fine", "no", "", "Public", "public", "", "published", ""],
        ["", "", "", "", "", "", "", ""],  # blank rows are skipped, numbers still count
        ["Bad C", "yes", "", "public", "public", "", "published", ""],
        ["Bad date", "", "", "protected", "nonpublic", "Privacy", "planned", "soon"],
        ["Bad choice", "maybe", "", "secret", "public", "", "planned", "03/01/2027"],
    ]
    parsed = template.parse(head, rows)
    assert parsed.errors == [
        "row 4: criterion C is marked yes but has no justification",
        "row 5: planned date: “soon” is not a date (YYYY-MM-DD)",
        "row 6: criterion C: “maybe” is not yes or no",
        "row 6: classification: “secret” is not one of public, protected, personal, private",
    ]
    assert [row.values.name for row in parsed.rows] == ["Fine"]


def test_unknown_or_missing_columns_are_refused() -> None:
    parsed = template.parse(["Name of asset", "Description"], [["A", "B"]])
    assert parsed.errors == [
        "row 1: unknown column “Name of asset”",
        "row 1: the “Asset name” column is missing",
    ]


def test_csv_and_xlsx_files_hold_the_same_table() -> None:
    header, rows = ["Asset name", "Description"], [["Births", "All births"], ["Deaths", ""]]
    from_csv = sheets.read_table("x.csv", sheets.write_csv(header, rows))
    from_xlsx = sheets.read_table("x.XLSX", sheets.write_xlsx(header, rows))
    assert from_csv == (header, rows)
    assert from_xlsx == (header, [["Births", "All births"], ["Deaths", None]])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.pdf", b"%PDF", "as a .csv or .xlsx file"),
        ("x.xlsx", b"not a zip", "not a readable .xlsx"),
        ("x.csv", b"", "the file is empty"),
    ],
)
def test_unreadable_files_are_invalid(name: str, content: bytes, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        sheets.read_table(name, content)


def test_a_windows_csv_is_read() -> None:
    _, rows = sheets.read_table("x.csv", "Asset name\r\nCaf\xe9 permits\r\n".encode("cp1252"))
    assert rows == [["Café permits"]]


def _validator() -> Draft4Validator:
    catalog = json.loads((DCAT / "catalog.json").read_text(encoding="utf-8"))
    dataset = json.loads((DCAT / "dataset-non-federal.json").read_text(encoding="utf-8"))
    resource = DRAFT4.create_resource(dataset)
    url = "https://project-open-data.cio.gov/v1.1/schema/dataset-non-federal.json"
    return Draft4Validator(catalog, registry=Registry().with_resources([(url, resource)]).crawl())


def test_non_public_assets_become_valid_dcat_us_entries() -> None:
    closed = _public()
    opened = _public(id=2, name="Open", access_level="public", classification="public")
    document = datajson.catalog(
        [(closed, "OCME"), (opened, "OCME")], {}, "https://data.ct.gov", 2026
    )
    assert [error.message for error in _validator().iter_errors(document)] == []
    (item,) = document["dataset"]
    assert item["identifier"] == f"ocme-inventory-{'k' * 32}"
    assert (item["accessLevel"], item["rights"]) == ("non-public", closed.access_reason)
    assert (item["accrualPeriodicity"], item["temporal"]) == ("R/P1M", "2012-01-01/2017-12-31")
    assert item["keyword"] == ["case", "files", "deaths", "town"]
    assert "distribution" not in item
