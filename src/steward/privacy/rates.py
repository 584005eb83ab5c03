"""Rounded rates and percentages as facts an attacker can use.

A percentage published as `p` rounded to `d` decimals tells that the numerator lies within half a
unit of the last digit of `p / 100 * denominator`:
`(p - h) / 100 * den <= num <= (p + h) / 100 * den` with `h = 0.5 * 10**-d`. Both sides are
linear in the two cells, so they join the audit (and the suppression) as `LinearFact`s; a
pattern that hides a small count can then be undone by the percentage published beside it.

>>> facts = percentage_facts([(0, 1, 3.0, 23.0)], decimals=1)
>>> [round(f.coefs[1], 5) for f in facts], facts[0].lower, facts[1].upper
([-0.1295, -0.1305], 0.0, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from steward.privacy.attacker import LinearFact


def rounded_percentage(numerator: float, denominator: float, decimals: int) -> float:
    return round(100 * numerator / denominator, decimals)


def percentage_facts(
    pairs: Sequence[tuple[int, int, float, float]], decimals: int
) -> list[LinearFact]:
    """Facts from `(numerator cell, denominator cell, numerator, denominator)`: the percentage
    each pair publishes, rounded to `decimals`. Pairs with a zero denominator publish nothing."""
    half = 0.5 * 10.0**-decimals
    facts = []
    for num, den, numerator, denominator in pairs:
        if denominator <= 0:
            continue
        shown = rounded_percentage(numerator, denominator, decimals)
        label = f"{shown:.{decimals}f}%"
        low, high = (shown - half) / 100, (shown + half) / 100
        facts.append(LinearFact((num, den), (1.0, -low), 0.0, math.inf, label))
        facts.append(LinearFact((num, den), (1.0, -high), -math.inf, 0.0, label))
    return facts
