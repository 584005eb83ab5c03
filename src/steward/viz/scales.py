"""Number formatting and the colour classes of a choropleth.

A map colours areas by class rather than on a continuous ramp: town values are usually skewed
(Hartford against Union), and classes cut at quantiles show the spread, give a legend a reader
can match by eye, and leave room for a "No data" entry in the same legend.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from steward.errors import Invalid

# Light to dark blue, each step distinguishable from the next and from NO_DATA_COLOUR.
PALETTE = ("#dbe9f6", "#a5c8e4", "#6aa6d2", "#2f7cbb", "#0b4c8a")
NO_DATA_COLOUR = "#bdbdbd"
NO_DATA_LABEL = "No data"


def to_number(value: object) -> float | None:
    """A query result value as a float: numbers, Decimals and numeric text; None and NaN are
    missing; anything else is `Invalid`."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        raise Invalid(f"Not a number: {value!r}") from None
    return number if math.isfinite(number) else None


def format_number(value: float) -> str:
    """Grouped thousands, about four significant digits, no trailing zeros.

    >>> format_number(1234567), format_number(123.456), format_number(0.012345), format_number(-2.0)
    ('1,234,567', '123.5', '0.01235', '-2')
    """
    if not math.isfinite(value):
        return str(value)
    if value == int(value):
        return f"{int(value):,}"
    decimals = min(6, max(0, 3 - math.floor(math.log10(abs(value)))))
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class ColourClass:
    """One legend entry: values in `[lower, upper)` (the last class includes its upper bound)."""

    label: str
    colour: str
    lower: float
    upper: float


def nice(value: float) -> float:
    """`value` rounded to two significant digits (class breaks people can read)."""
    return 0.0 if value == 0 else float(f"{value:.2g}")


def class_breaks(values: Sequence[float], count: int = len(PALETTE)) -> list[float]:
    """Up to `count - 1` rounded quantile cut points strictly inside the values' range."""
    ordered = sorted(values)
    if not ordered:
        return []
    classes = min(count, len(set(ordered)))
    low, high = ordered[0], ordered[-1]
    cuts = (nice(ordered[(len(ordered) * step) // classes]) for step in range(1, classes))
    return sorted({cut for cut in cuts if low < cut <= high})


def colour_classes(values: Sequence[float]) -> list[ColourClass]:
    """The legend classes for `values`, light (low) to dark (high); empty if there are none."""
    if not values:
        return []
    breaks = class_breaks(values)
    bounds = [min(values), *breaks, max(values)]
    colours = _pick_colours(len(bounds) - 1)
    classes = []
    for index, colour in enumerate(colours):
        lower, upper = bounds[index], bounds[index + 1]
        classes.append(ColourClass(_class_label(index, bounds), colour, lower, upper))
    return classes


def class_of(value: float, classes: Sequence[ColourClass]) -> ColourClass:
    """The class holding `value` (values outside the range go to the nearest end class)."""
    breaks = [entry.lower for entry in classes[1:]]
    return classes[bisect_right(breaks, value)]


def _pick_colours(count: int) -> list[str]:
    if count == 1:
        return [PALETTE[len(PALETTE) // 2]]
    last = len(PALETTE) - 1
    return [PALETTE[round(index * last / (count - 1))] for index in range(count)]


def _class_label(index: int, bounds: list[float]) -> str:
    lower, upper = bounds[index], bounds[index + 1]
    if len(bounds) == 2:
        same = lower == upper
        return format_number(lower) if same else f"{format_number(lower)} to {format_number(upper)}"
    if index == 0:
        return f"Under {format_number(upper)}"
    if index == len(bounds) - 2:
        return f"{format_number(lower)} or more"
    return f"{format_number(lower)} to under {format_number(upper)}"
