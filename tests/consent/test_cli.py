"""`steward consent …`: programs, record, check, revoke, list and import."""

from __future__ import annotations

from pathlib import Path

from .conftest import Run, World

ADO = "ado@dss.ct.gov"
WHO = ["--last-name", "Rivera", "--first-name", "Ana", "--dob", "03/09/1985"]


def test_a_decision_from_record_to_revocation(world: World, steward: Run) -> None:
    steward("consent", "program", "snap-eval", "--name", "SNAP", "--agency", "dss", as_=ADO)
    steward(
        "consent", "program", "x", "--name", "X", "--agency", "dss", as_="ado@dph.ct.gov", ok=False
    )
    assert "snap-eval" in steward("consent", "programs", as_=ADO)
    out = steward(
        "consent",
        "record",
        "snap-eval",
        "--decision",
        "opt_out",
        "--purpose",
        "Evaluation",
        "--effective",
        "2025-01-01",
        *WHO,
        as_=ADO,
    )
    assert "opt_out" in out and "Rivera" not in out
    out = steward(
        "consent",
        "check",
        "snap-eval",
        "--purpose",
        "evaluation",
        "--last-name",
        "RIVERA ",
        "--first-name",
        "ana",
        "--dob",
        "1985-03-09",
        as_=ADO,
    )
    assert out.startswith("excluded")
    steward("consent", "revoke", "snap-eval", "--purpose", "evaluation", *WHO, as_=ADO)
    assert "revoked" in steward("consent", "list", "snap-eval", as_=ADO)
    steward(
        "consent", "record", "snap-eval", "--decision", "maybe", "--purpose", "x", *WHO, ok=False
    )
    steward("consent", "record", "snap-eval", "--decision", "opt_in", "--purpose", "x", ok=False)


def test_import_is_whole_or_nothing(world: World, steward: Run, tmp_path: Path) -> None:
    steward("consent", "program", "snap-eval", "--name", "SNAP", "--agency", "dss")
    good = tmp_path / "good.csv"
    good.write_text(
        "last_name,first_name,dob,ssn,purpose,decision,effective_on,signature_present\n"
        "Rivera,Ana,1985-03-09,,evaluation,opt_out,2025-01-01,yes\n"
        ",,,123-45-6789,any,opt_out,2025-02-01,no\n",
        encoding="utf-8",
    )
    assert "Recorded 2 decisions" in steward("consent", "import", "snap-eval", str(good), as_=ADO)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "last_name,first_name,dob,purpose,decision\nLee,Kim,1990-01-01,x,opt_out\nLee,Kim,1990-01-01,x,nope\n",
        encoding="utf-8",
    )
    out = steward("consent", "import", "snap-eval", str(bad), as_=ADO, ok=False)
    assert "line 3" in out
    assert len(steward("consent", "list", "snap-eval", as_=ADO).splitlines()) == 2
