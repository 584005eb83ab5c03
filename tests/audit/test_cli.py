"""`steward audit …`: verify exits non-zero naming the broken entry; list, export, seal."""

from __future__ import annotations

import csv

from sqlalchemy import text

from steward.audit import log

from .conftest import Run, World


def fill(world: World) -> None:
    with world.database.session() as session:
        for agency_id, dataset in ((1, "dphx-0001"), (2, "dssx-0001"), (1, "dphx-0001")):
            details = {"agreement_id": 3, "purpose": "evaluation", "row_count": 10}
            log.append(
                session,
                actor="analyst@dss.ct.gov",
                action="data.read",
                agency_id=agency_id,
                dataset_id=dataset,
                details=details,
            )


def test_verify_seal_and_tampering(world: World, steward: Run) -> None:
    fill(world)
    assert "OK: 8 entries" in steward("audit", "verify")
    assert "Sealed the audit log at entry 8" in steward("audit", "seal", as_="cdo@ct.gov")
    assert "1 signed checkpoints hold" in steward("audit", "verify", as_="cdo@ct.gov")
    steward("audit", "verify", as_="ado@dph.ct.gov", ok=False)
    with world.database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET actor = 'x' WHERE seq = 7"))
    out = steward("audit", "verify", ok=False)
    assert "broken at entry 7" in out
    steward("audit", "seal", ok=False)


def test_list_and_export_for_the_ado(world: World, steward: Run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fill(world)
    out = steward("audit", "list", "--action", "data.", as_="ado@dph.ct.gov")
    assert "2 of 2 entries" in out and "dssx-0001" not in out
    target = tmp_path / "dph.csv"
    steward(
        "audit",
        "export",
        "--agency",
        "dph",
        "--action",
        "data.read",
        "--out",
        str(target),
        as_="ado@dph.ct.gov",
    )
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["dataset_id"] for r in rows] == ["dphx-0001", "dphx-0001"]
    steward(
        "audit", "export", "--agency", "dss", "--out", str(target), as_="ado@dph.ct.gov", ok=False
    )
    steward("audit", "list", "--since", "yesterday", ok=False)
    steward("audit", "list", as_="analyst@dph.ct.gov", ok=False)
