"""Properties of every element: validators and normalizers never raise on any text, and
normalizing a normalized value changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.standards.element import Element
from steward.standards.profile import default_profile
from steward.standards.race import LABELS
from steward.standards.registry import all_elements

ELEMENTS = all_elements()
TOWN_NAMES = [town.name for town in default_profile().towns]
SAMPLES = st.sampled_from(
    [*TOWN_NAMES, "So. Windsor", "Danielson", "06340", "0900104720", "59", "Hartford County",
     "CRCOG", "Hispanic, White", "NH Black", *LABELS.values(), "Spanish", "es", "hat",
     "03/24/2020", "2020-03-24T13:05:00", "Male", "F", "pat@example.org", "860-555-0123 x4",
     "55 Elm St, Hartford, CT 06106", "PO Box 12, Groton, CT 06340"]
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"[0-9 ./:-]{1,14}", fullmatch=True),
    SAMPLES,
    st.builds(lambda a, b: f"{a} {b}", SAMPLES, st.text(max_size=6)),
)
ADDRESSES = st.builds(
    "{} {} {}, {}, CT {}".format,
    st.integers(1, 9999),
    st.sampled_from(["Main", "Elm", "Oak", "North Main", "Asylum", "Capitol"]),
    st.sampled_from(["St", "Street", "Ave", "Avenue", "Rd", "Lane", "Blvd"]),
    st.sampled_from(["Hartford", "New Haven", "Groton", "Storrs", "Mystic"]),
    st.sampled_from(["06103", "06106", "06511", "06340", "06268"]),
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_idempotent(element: Element, value: str) -> None:
    first = element.normalize(value)
    assert first.status in ("matched", "review", "invalid", "out_of_state")
    assert 0.0 <= first.confidence <= 1.0
    element.validate(value)
    if first.matched:
        assert first.normalized is not None
        again = element.normalize(first.normalized)
        assert again.matched, (value, first, again)
        assert (again.normalized, again.code) == (first.normalized, first.code), value
        assert element.validate(first.normalized)


@pytest.mark.parametrize("element", ELEMENTS, ids=lambda element: element.id)
@FAST
@given(value=TEXT)
def test_never_raises_and_is_idempotent(element: Element, value: str) -> None:
    check_idempotent(element, value)


@FAST
@given(value=ADDRESSES)
def test_addresses_normalize_idempotently(value: str) -> None:
    address = next(element for element in ELEMENTS if element.id == "us_address")
    assert address.normalize(value).matched
    check_idempotent(address, value)


@pytest.mark.parametrize("element", ELEMENTS, ids=lambda element: element.id)
def test_permitted_values_are_valid(element: Element) -> None:
    for permitted in (element.values() if element.values else [])[:200]:
        for value in (permitted.label, permitted.code):
            outcome = element.normalize(value)
            if outcome.matched:
                check_idempotent(element, value)
    for permitted in element.values() if element.values else []:
        label, code = element.normalize(permitted.label), element.normalize(permitted.code)
        assert label.matched or code.matched, permitted
