"""Exports (CSV, XLSX, the non-public data.json) and the all-or-nothing spreadsheet import."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import pytest
from openpyxl import load_workbook

from steward.errors import Conflict, Invalid, NotAuthorized
from steward.inventory import assets, exports, importer, service, sheets, template
from steward.inventory.schemas import AssetCreate, CycleCreate

Entry = Callable[..., AssetCreate]


@pytest.fixture
def filled(world, entry: Entry):  # type: ignore[no-untyped-def]
    """The 2026 cycle with two dph entries (one catalogued) and one opm entry."""
    with world.database.session() as session:
        service.open_cycle(session, world.cdo, CycleCreate(year=2026, due_date=date(2026, 3, 31)))
        assets.add_asset(session, world.steward, 2026, "dph", entry())
        catalogued = AssetCreate(
            dataset_id="hvd0-0001",
            open_data_status="not publishable",
            not_publishable_reason="Identifies people",
        )
        assets.add_asset(session, world.steward, 2026, "dph", catalogued)
        assets.add_asset(session, world.cdo, 2026, "opm", entry(name="Grants"))
    return world


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_a_submission_exports_as_csv_and_xlsx(filled) -> None:  # type: ignore[no-untyped-def]
    with filled.database.session() as session:
        as_csv = exports.export_submission(session, filled.analyst, 2026, "dph", "csv")
        as_xlsx = exports.export_submission(session, filled.analyst, 2026, "dph", "xlsx")
    rows = _csv(as_csv.content)
    assert as_csv.filename == "inventory-2026-dph.csv"
    assert [row["Asset name"] for row in rows] == ["Immunization registry", "Vital records: births"]
    assert rows[0]["Criterion A justification"] == "Runs the vaccine programme"
    assert rows[1]["Catalog dataset ID"] == "hvd0-0001" and rows[1]["Access level"] == "non-public"
    book = load_workbook(io.BytesIO(as_xlsx.content))
    assert book.sheetnames == ["Inventory", "Criteria"]
    sheet = book["Inventory"]
    assert [cell.value for cell in sheet[1]] == template.HEADERS
    assert sheet.max_row == 3 and sheet["F2"].value == "Immunization registry"


def test_the_state_wide_export_is_for_the_cdo(filled) -> None:  # type: ignore[no-untyped-def]
    with filled.database.session() as session:
        rows = _csv(exports.export_cycle(session, filled.cdo, 2026, "csv").content)
        with pytest.raises(NotAuthorized):
            exports.export_cycle(session, filled.ado, 2026, "csv")
        with pytest.raises(NotAuthorized):
            exports.export_submission(session, filled.outsider, 2026, "dph", "csv")
    assert [(row["Agency"], row["Submission status"]) for row in rows] == [
        ("Department of Public Health", "draft"),
        ("Department of Public Health", "draft"),
        ("Office of Policy and Management", "draft"),
    ]


def test_data_json_lists_the_non_public_assets(filled) -> None:  # type: ignore[no-untyped-def]
    with filled.database.session() as session:
        document = exports.nonpublic_catalog(session, filled.cdo, 2026, "https://data.ct.gov")
        own = exports.nonpublic_catalog(session, filled.analyst, 2026, "https://x", slug="dph")
        with pytest.raises(NotAuthorized):
            exports.nonpublic_catalog(session, filled.analyst, 2026, "https://x")
    entries = {item["title"]: item for item in document["dataset"]}
    assert set(entries) == {"Immunization registry", "Vital records: births", "Grants"}
    births = entries["Vital records: births"]
    assert births["identifier"] == "https://data.ct.gov/d/hvd0-0001"  # as in the public data.json
    assert births["keyword"] == ["births", "vital records"]
    assert births["contactPoint"]["hasEmail"] == "mailto:registrar@ct.gov"
    assert entries["Grants"]["accessLevel"] == "restricted public"
    assert len(own["dataset"]) == 2


def _export_rows(world, slug: str = "dph") -> tuple[list[str], list[list[str]]]:  # type: ignore[no-untyped-def]
    with world.database.session() as session:
        content = exports.export_submission(session, world.cdo, 2026, slug, "csv").content
    table = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    return table[0], table[1:]


def _import(world, header, rows, *, who=None, replace=False, name="dph.csv"):  # type: ignore[no-untyped-def]
    content = (
        sheets.write_xlsx(header, rows) if name.endswith("xlsx") else sheets.write_csv(header, rows)
    )
    with world.database.session() as session:
        return importer.import_file(
            session, who or world.steward, 2026, "dph", name, content, replace=replace
        )


def _names(world) -> list[str]:  # type: ignore[no-untyped-def]
    with world.database.session() as session:
        return [a.name for a in service.get_submission(session, world.cdo, 2026, "dph").assets]


def test_an_unchanged_export_imports_as_no_change(filled) -> None:  # type: ignore[no-untyped-def]
    header, rows = _export_rows(filled)
    result = _import(filled, header, rows, name="dph.xlsx")
    assert (result.rows, result.added, result.updated, result.removed) == (2, 0, 0, 0)


def test_an_edited_spreadsheet_updates_adds_and_is_in_the_history(filled) -> None:  # type: ignore[no-untyped-def]
    header, rows = _export_rows(filled)
    owner = header.index("Data owner")
    rows[0][owner] = "Immunization Program, DPH"
    new = [""] * len(header)
    for column, value in {
        "Asset name": "Lead poisoning cases",
        "Criterion D: Core mission": "yes",
        "Criterion D justification": "Lead prevention is a core programme",
        "Classification": "personal",
        "Access level": "non-public",
        "Reason not public": "Children's health records",
        "Open data status": "planned",
        "Planned publication date": "2027-06-30",
    }.items():
        new[header.index(column)] = value
    result = _import(filled, header, [*rows, new])
    assert (result.added, result.updated, result.removed) == (1, 1, 0)
    with filled.database.session() as session:
        history = service.history(session, filled.analyst, 2026, "dph")
        submission = service.get_submission(session, filled.cdo, 2026, "dph")
    assert [c.action for c in history[:3]] == ["imported", "added", "updated"]
    assert history[0].comment == "dph.csv: 1 added, 1 changed, 0 removed"
    assert [c.field for c in history[2].changes] == ["owner"]
    lead = submission.assets[-1]
    assert (lead.criteria_met, lead.planned_date) == (["D"], date(2027, 6, 30))


def test_replace_removes_the_entries_the_file_leaves_out(filled) -> None:  # type: ignore[no-untyped-def]
    header, rows = _export_rows(filled)
    result = _import(filled, header, rows[:1], replace=True)
    assert (result.updated, result.removed) == (0, 1)
    assert _names(filled) == ["Immunization registry"]


def test_one_bad_row_refuses_the_whole_file(filled) -> None:  # type: ignore[no-untyped-def]
    header, rows = _export_rows(filled)
    before = _names(filled)
    rows[0][header.index("Data owner")] = "Changed"  # a good change, not applied either
    rows[1][header.index("Criterion C: Public knowledge")] = "Yes"
    extra = list(rows[0])
    extra[header.index("Asset key")] = ""
    extra[header.index("Catalog dataset ID")] = "hvd0-0003"
    with pytest.raises(Invalid) as caught:
        _import(filled, header, [*rows, extra, list(rows[0])])
    assert caught.value.data["errors"] == [
        "row 3: criterion C is marked yes but has no justification",
        "row 4: dataset hvd0-0003 belongs to Office of the Chief Medical Examiner, not this agency",
        f"row 5: asset key {rows[0][header.index('Asset key')]} is also on row 2",
    ]
    assert caught.value.message.startswith("nothing was imported; the file has 3 problems:\n")
    assert _names(filled) == before
    with filled.database.session() as session:
        assert service.history(session, filled.cdo, 2026, "dph")[0].action == "added"
        assert service.get_submission(session, filled.cdo, 2026, "dph").assets[0].owner == (
            "Immunization Program"
        )


def test_a_dataset_listed_twice_is_refused(filled) -> None:  # type: ignore[no-untyped-def]
    header, rows = _export_rows(filled)
    twin = list(rows[1])
    twin[header.index("Asset key")] = ""
    with pytest.raises(Invalid, match=r"row 4: dataset hvd0-0001 is already listed \(row 3\)"):
        _import(filled, header, [*rows, twin])
    with pytest.raises(Invalid, match="already listed \\(the entry “Vital records: births”\\)"):
        _import(filled, header, [twin])


def test_only_editors_import_and_only_while_editable(filled) -> None:  # type: ignore[no-untyped-def]
    header, rows = _export_rows(filled)
    with pytest.raises(NotAuthorized):
        _import(filled, header, rows, who=filled.analyst)
    with filled.database.session() as session:
        service.submit(session, filled.ado, 2026, "dph")
    with pytest.raises(Conflict, match="is submitted"):
        _import(filled, header, rows)
    with pytest.raises(Invalid, match="no entries"):
        with filled.database.session() as session:
            service.return_submission(session, filled.cdo, 2026, "dph", "Redo")
        _import(filled, header, [])
