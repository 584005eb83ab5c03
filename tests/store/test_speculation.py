"""Large files: types guessed from the first rows are checked on every row, and corrected."""

from __future__ import annotations

import pytest

from steward.store import BadRow, inference

from .conftest import IngestText


@pytest.fixture(autouse=True)
def tiny_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make a 20-row file 'large': the probe sees 2 rows and the sample 5."""
    monkeypatch.setattr(inference, "PROBE_ROWS", 2)
    monkeypatch.setattr(inference, "SAMPLE_ROWS", 5)


def csv(rows: list[str], header: str = "key,value") -> str:
    return header + "\n" + "".join(f"{i},{value}\n" for i, value in enumerate(rows))


@pytest.mark.parametrize(
    ("late_value", "physical", "last"),
    [
        ("12", "BIGINT", 12),
        ("2.5", "DOUBLE", 2.5),
        ('"1,234"', "BIGINT", 1234),
        ("abc", "VARCHAR", "abc"),
        ("007", "VARCHAR", "007"),  # a leading zero past the sample still keeps the column text
    ],
)
def test_a_late_value_settles_the_type(
    ingest_csv: IngestText, late_value: str, physical: str, last: object
) -> None:
    out = ingest_csv(csv(["1"] * 19 + [late_value]))
    assert out.spec("value")[1] == physical
    values = out.column("value")
    assert values[-1] == last
    assert values[0] in (1, 1.0, "1")
    assert out.column("__id") == list(range(1, 21))


def test_a_column_empty_in_the_sample_is_typed_from_the_whole_file(
    ingest_csv: IngestText,
) -> None:
    out = ingest_csv(csv([""] * 10 + ["05/12/2020"] * 10))
    assert out.spec("value") == ("floating_timestamp", "TIMESTAMP")
    assert out.column("value")[:10] == [None] * 10
    assert out.column("key") == list(range(20))


def test_a_column_empty_in_the_sample_with_text_later_stays_text(ingest_csv: IngestText) -> None:
    out = ingest_csv(csv([""] * 10 + ["x", "1"] * 5))
    assert out.spec("value") == ("text", "VARCHAR")
    assert out.column("value")[10:12] == ["x", "1"]


def test_bad_rows_are_reported_once_after_a_correction(ingest_csv: IngestText) -> None:
    text = csv(["1"] * 19 + ["late text"]) + "too,many,fields\n"
    out = ingest_csv(text, skip_bad_rows=True)
    assert out.spec("value") == ("text", "VARCHAR")
    assert out.result.skipped == [BadRow(22, "expected 2 fields, found 3")]


def test_a_misfit_triggers_exactly_one_exact_pass(
    ingest_csv: IngestText, monkeypatch: pytest.MonkeyPatch
) -> None:
    from steward.store import ingest

    calls: list[int] = []
    real = ingest.plan_exact

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest, "plan_exact", spy)
    ingest_csv(csv(["1"] * 20))
    assert calls == []
    ingest_csv(csv(["1"] * 19 + ["abc"]))
    assert calls == [1]
