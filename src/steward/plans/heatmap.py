"""The maturity matrix as a heatmap: a Vega-Lite spec (pure) and its accessible SVG.

The table beside it on the page holds the same values for screen readers and for copying; the
picture is for seeing at a glance where an agency is strong and weak.
"""

from __future__ import annotations

from typing import Any

from steward.plans import maturity
from steward.plans.assessment_schemas import MaturityPublic
from steward.viz.render import CONFIG, render_svg
from steward.viz.scales import NO_DATA_COLOUR, PALETTE


def heatmap_spec(assessment: MaturityPublic) -> dict[str, Any]:
    """Ten rows (elements) by three columns (people, policies, capabilities), coloured by level.

    >>> from datetime import datetime
    >>> spec = heatmap_spec(MaturityPublic(agency="dph", agency_name="DPH", number=1,
    ...     status="draft", overall=None, overall_level="not rated", rated=0, cells=30,
    ...     created_at=datetime(2026, 1, 1), created_by="x", updated_at=datetime(2026, 1, 1),
    ...     completed_at=None, completed_by=None, previous_number=None, previous_overall=None,
    ...     started_from=None, rows=[], dimension_means={}, summary=None, unrated=[]))
    >>> spec["layer"][0]["mark"]["type"], len(spec["data"]["values"])
    ('rect', 0)
    """
    values = [
        {
            "element": row.label,
            "dimension": cell.dimension_label,
            "level": cell.level,
            "label": f"{cell.level} {cell.level_name}" if cell.level else "not rated",
        }
        for row in assessment.rows
        for cell in row.cells
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": CONFIG,
        "data": {"values": values},
        "width": 330,
        "height": {"step": 30},
        "encoding": _axes(),
        "layer": [_cells(), _numbers()],
    }


def _axes() -> dict[str, Any]:
    """Dimensions across the top, elements down the side, both in the model's order."""
    return {
        "x": {
            "field": "dimension",
            "type": "nominal",
            "sort": [label for _, label in maturity.DIMENSIONS],
            "axis": {"orient": "top", "title": None, "labelAngle": 0},
        },
        "y": {
            "field": "element",
            "type": "nominal",
            "sort": [element.label for element in maturity.ELEMENTS],
            "title": None,
        },
    }


def _cells() -> dict[str, Any]:
    """One rectangle per rating, light (initial) to dark (optimized), grey when unrated."""
    levels = [f"{number} {name}" for number, (name, _) in maturity.LEVELS.items()]
    colour = {
        "field": "label",
        "type": "ordinal",
        "title": "Level",
        "scale": {"domain": [*levels, "not rated"], "range": [*PALETTE, NO_DATA_COLOUR]},
    }
    return {
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
        "encoding": {"color": colour},
    }


def _numbers() -> dict[str, Any]:
    """The level written in each cell, white on the two darkest colours."""
    return {
        "mark": {"type": "text", "fontSize": 13},
        "encoding": {
            "text": {"field": "level", "type": "quantitative"},
            "color": {
                "condition": {"test": "datum.level >= 4", "value": "white"},
                "value": "#1b1b1b",
            },
        },
    }


def heatmap_svg(assessment: MaturityPublic) -> str:
    """The heatmap as labelled SVG (`role="img"`, a title and a text description)."""
    title = f"Governance maturity of {assessment.agency_name}, assessment {assessment.number}"
    strongest = sorted(
        (row for row in assessment.rows if row.mean is not None),
        key=lambda row: row.mean or 0,
        reverse=True,
    )
    if strongest:
        description = (
            f"Overall {assessment.overall} of 5 ({assessment.overall_level}). Strongest: "
            f"{strongest[0].label} ({strongest[0].mean}); weakest: {strongest[-1].label} "
            f"({strongest[-1].mean}). The table below lists every rating."
        )
    else:
        description = "No element is rated yet."
    return render_svg(heatmap_spec(assessment), title=title, description=description)
