"""De-identification of the medical examiner's file: k >= 5 on the quasi-identifiers, checked
by pyCANON, an independent implementation."""

from __future__ import annotations

import csv
from importlib.resources import files

import pandas as pd
import pytest
from pycanon import anonymity

from steward.errors import Invalid
from steward.privacy.deid import SUPPRESSED, k_anonymize, pseudonym, zip3
from steward.privacy.source import derive_value

ME_FILE = "data/datasets/accidental_drug_related_deaths_2012-2017_rybz-nyjw.csv"
QUASI = {"town": "town", "month": "month", "age_band": "age_band", "sex": "text", "race": "text"}


def medical_examiner_rows() -> list[dict[str, str]]:
    text = files("steward.demo").joinpath(ME_FILE).read_text(encoding="utf-8")
    rows = []
    for raw in csv.DictReader(text.splitlines()):
        rows.append(
            {
                "case": pseudonym(b"test-project-key-123", raw["CaseNumber"]),
                "town": derive_value("town", raw["Residence City"]) or SUPPRESSED,
                "month": derive_value("month", raw["Date"]) or SUPPRESSED,
                "age_band": derive_value("age_band", raw["Age"]) or SUPPRESSED,
                "sex": derive_value("text", raw["Sex"]) or SUPPRESSED,
                "race": derive_value("text", raw["Race"]) or SUPPRESSED,
                "fentanyl": raw["Fentanyl"].strip() or "N",
            }
        )
    return rows


def test_the_medical_examiners_file_reaches_k_5_and_pycanon_agrees() -> None:
    rows = medical_examiner_rows()
    extract = k_anonymize(rows, QUASI, 5)
    assert extract.risk["in_classes_under_k_before"] > 1000
    assert extract.risk["in_classes_under_k_after"] == 0
    assert extract.risk["smallest_class"] >= 5
    assert len(extract.rows) >= 0.9 * len(rows)  # most records are kept, generalized
    frame = pd.DataFrame(extract.rows)
    assert anonymity.k_anonymity(frame, list(QUASI)) >= 5
    assert "case" in frame and frame["case"].str.len().eq(20).all()
    assert extract.utility["town"]["generalized"] > 0


def test_l_diversity_is_met_when_asked() -> None:
    rows = medical_examiner_rows()[:1500]
    extract = k_anonymize(rows, QUASI, 5, sensitive="fentanyl", l_diversity=2)
    frame = pd.DataFrame(extract.rows)
    assert anonymity.l_diversity(frame, list(QUASI), ["fentanyl"]) >= 2


def test_pseudonyms_are_keyed() -> None:
    a = pseudonym(b"project-one-key-xx", "17-0001")
    assert a != pseudonym(b"project-two-key-xx", "17-0001")
    import hashlib

    assert a not in hashlib.sha256(b"17-0001").hexdigest()
    with pytest.raises(Invalid):
        pseudonym(b"short", "x")


def test_zip_codes_follow_the_safe_harbor_three_digit_rule() -> None:
    assert zip3("06103-1234") == "061"
    assert zip3("05901") == "000"  # a restricted prefix
    assert zip3("abc") == ""
