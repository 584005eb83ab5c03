"""Suppression policies as data: which cells are too small to publish and how the rest is shown.

A policy is what an agency adopts (the CDO publishes a model one): a minimum cell size (CMS
suppresses 1 to 10 and shows zeros; the CT State Department of Education suppresses 5 or fewer),
whether zeros are suppressed, a population floor (CT DPH suppresses counts under 6 only for
areas of under 100,000 people), dominance (n, k) and p% rules for magnitude tables, a
denominator rule for rates, the rounding of derived percentages, the protection each suppressed
cell must keep, and the symbol and footnote shown in place of a suppressed value.

>>> BUILTIN["cms"].is_small(10), BUILTIN["cms"].is_small(11), BUILTIN["cms"].is_small(0)
(True, False, False)
>>> BUILTIN["ct_sde"].describe_rule()
'counts of 1 to 5 are suppressed; zeros are shown; rates on denominators under 20 are suppressed'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from steward.errors import Invalid


@dataclass(frozen=True)
class Policy:
    """One suppression policy. Every field has a default so a policy can be written briefly."""

    name: str
    title: str = ""
    description: str = ""
    max_suppressed: int = 0
    """Counts from 1 up to this are suppressed (0: no minimum cell size)."""
    suppress_zeros: bool = False
    zeros_protect: bool = False
    """Whether a (sampling) zero may be suppressed to protect another cell. Structural zeros
    never may: everyone knows they are zero."""
    population_floor: int | None = None
    """When set, the minimum cell size applies only to areas with fewer people than this."""
    dominance_n: int | None = None
    dominance_k: float | None = None
    """(n, k) rule: a magnitude cell is sensitive when its n largest contributions exceed k% of
    its total."""
    p_percent: float | None = None
    """p% rule: sensitive when the total less the two largest contributions is under p% of the
    largest (the second largest could estimate the largest too closely)."""
    min_denominator: int | None = None
    """Rates and percentages whose denominator is below this are suppressed."""
    percent_decimals: int = 1
    protection: int = 1
    """Each suppressed sensitive cell's feasible interval must reach this far below (down to zero)
    and above its value."""
    singleton_rule: bool = True
    """Two suppressed counts of 1 in one equation do not protect each other (each person could
    tell the other's count)."""
    symbol: str = "*"
    footnote: str = "Suppressed to protect privacy."

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise Invalid("a policy needs a name")
        checks = [
            (self.max_suppressed >= 0, "max_suppressed must be 0 or more"),
            (self.protection >= 1, "protection must be at least 1"),
            (0 <= self.percent_decimals <= 6, "percent_decimals must be 0 to 6"),
            (
                (self.dominance_n is None) == (self.dominance_k is None),
                "give dominance_n and dominance_k together",
            ),
            (self.dominance_n is None or self.dominance_n >= 1, "dominance_n must be 1 or more"),
            (
                self.dominance_k is None or 0 < self.dominance_k < 100,
                "dominance_k is a percentage between 0 and 100",
            ),
            (self.p_percent is None or 0 < self.p_percent < 100, "p_percent must be 0 to 100"),
            (self.population_floor is None or self.population_floor > 0, "bad population floor"),
            (self.min_denominator is None or self.min_denominator > 0, "bad minimum denominator"),
            (bool(self.symbol), "a suppressed cell needs a display symbol"),
        ]
        for ok, message in checks:
            if not ok:
                raise Invalid(f"policy {self.name}: {message}")

    @property
    def magnitude_rules(self) -> bool:
        return self.dominance_n is not None or self.p_percent is not None

    def is_small(self, count: float) -> bool:
        """Whether a count falls under the minimum cell size (ignoring any population floor)."""
        if count == 0:
            return self.suppress_zeros
        return 0 < count <= self.max_suppressed

    def describe_rule(self) -> str:
        parts = []
        if self.max_suppressed:
            where = (
                f" in areas of under {self.population_floor:,} people"
                if self.population_floor
                else ""
            )
            shown = "zeros are suppressed" if self.suppress_zeros else "zeros are shown"
            parts.append(f"counts of 1 to {self.max_suppressed} are suppressed{where}; {shown}")
        if self.dominance_n is not None:
            parts.append(
                f"a total whose {self.dominance_n} largest contributions exceed "
                f"{self.dominance_k:g}% is suppressed"
            )
        if self.p_percent is not None:
            parts.append(f"p% rule with p = {self.p_percent:g}")
        if self.min_denominator:
            parts.append(f"rates on denominators under {self.min_denominator} are suppressed")
        return "; ".join(parts) or "no cell is too small"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def policy_from_dict(data: dict[str, Any]) -> Policy:
    """A policy from stored or posted fields; unknown fields are an error, not ignored."""
    known = {item.name for item in fields(Policy)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise Invalid(f"unknown policy field(s): {', '.join(unknown)}")
    try:
        return Policy(**data)
    except TypeError as exc:
        raise Invalid(f"policy: {exc}") from exc


def with_protection(policy: Policy, protection: int) -> Policy:
    return replace(policy, protection=protection)


BUILTIN: dict[str, Policy] = {
    policy.name: policy
    for policy in (
        Policy(
            name="cms",
            title="CMS cell size suppression",
            description=(
                "The Centers for Medicare & Medicaid Services' cell size suppression policy: no "
                "cell (and no figure from which one can be derived) of 1 to 10 is published."
            ),
            max_suppressed=10,
            min_denominator=11,
            footnote="Counts of 1 to 10 are suppressed (CMS cell size suppression policy).",
        ),
        Policy(
            name="ct_sde",
            title="CT State Department of Education",
            description="Counts of 5 or fewer are suppressed; zeros are published.",
            max_suppressed=5,
            min_denominator=20,
            footnote="Counts of 5 or fewer are suppressed.",
        ),
        Policy(
            name="ct_dph",
            title="CT Department of Public Health",
            description=(
                "Counts under 6 are suppressed for areas of under 100,000 people; rates on "
                "denominators under 20 are suppressed."
            ),
            max_suppressed=5,
            population_floor=100_000,
            min_denominator=20,
            footnote="Counts under 6 are suppressed for areas of under 100,000 people.",
        ),
    )
}


def builtin_policy(name: str) -> Policy | None:
    return BUILTIN.get(name)
