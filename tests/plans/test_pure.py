"""The pure cores: adherence over dates, maturity comparison, ethics risk rules."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from steward.plans import adherence, ethics, maturity

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(due=DAYS, released=st.none() | DAYS, today=DAYS)
def test_a_planned_entry_has_exactly_one_status(
    due: date, released: date | None, today: date
) -> None:
    status = adherence.entry_status("planned", due, released, released is not None, today)
    if released is None:
        assert status == ("overdue" if today > due else "pending")
    else:
        assert status == ("on_time" if released <= due else "late")


@given(statuses=st.lists(st.sampled_from(adherence.STATUSES)))
def test_the_on_time_share_counts_only_what_is_due(statuses: list[str]) -> None:
    counts = adherence.tally(statuses)
    assert sum(counts.values()) == len(statuses)
    share = adherence.on_time_share(counts)
    due = counts["on_time"] + counts["late"] + counts["overdue"]
    assert (share is None) == (due == 0)
    if share is not None:
        assert 0 <= share <= 1 and round(share * due) == counts["on_time"]


def test_publishing_on_the_target_day_is_on_time() -> None:
    target = date(2026, 6, 30)
    assert adherence.entry_status("planned", target, target, True, target) == "on_time"
    late = target + timedelta(days=1)
    assert adherence.entry_status("planned", target, late, True, late) == "late"


@given(year=st.integers(min_value=2000, max_value=2099))
def test_periods_round_trip(year: int) -> None:
    period = f"{year}-{year + 1}"
    assert adherence.normalize_period(period) == period
    first, last = adherence.period_bounds(period)
    assert adherence.current_period([period], first) == period
    assert adherence.current_period([period], last) == period


LEVEL = st.none() | st.integers(min_value=1, max_value=5)
RATINGS = st.fixed_dictionaries(
    {
        element: st.fixed_dictionaries(dict.fromkeys(maturity.DIMENSION_IDS, LEVEL))
        for element in maturity.ELEMENT_IDS
    }
)


@given(before=RATINGS, after=RATINGS)
def test_every_cell_moves_one_way(before: maturity.Ratings, after: maturity.Ratings) -> None:
    merged = maturity.merge(before, after)
    assert merged == after
    for element in maturity.ELEMENT_IDS:
        for dimension in maturity.DIMENSION_IDS:
            old, new = before[element][dimension], after[element][dimension]
            direction = maturity.direction(old, new)
            change = maturity.change(old, new)
            if change is not None:
                assert (change > 0) == (direction == "up") and (change < 0) == (direction == "down")
    rated = 30 - len(maturity.unrated(after))
    assert (maturity.overall(after) is None) == (rated == 0)


def test_the_model_has_ten_elements_three_dimensions_five_levels() -> None:
    assert len(maturity.ELEMENTS) == 10 and len(set(maturity.ELEMENT_IDS)) == 10
    assert maturity.DIMENSION_IDS == ("people", "policies", "capabilities")
    assert [name for name, _ in maturity.LEVELS.values()] == [
        "Initial",
        "Repeatable",
        "Defined",
        "Managed",
        "Optimized",
    ]


@given(scores=st.fixed_dictionaries({p: st.integers(0, 5) for p in ethics.PRINCIPLE_IDS}))
def test_every_low_score_is_a_risk_that_blocks_completion(scores: dict[str, int]) -> None:
    low = [p for p in ethics.PRINCIPLE_IDS if scores[p] <= 2]
    assert ethics.risky(scores) == low
    assert len(ethics.completion_problems(scores, {})) == len(low)
    owned = dict.fromkeys(low, ("Owner", "Mitigation"))
    assert ethics.completion_problems(scores, owned) == []
    assert ethics.total(scores) == sum(scores.values())
