"""Progress reports as PDF (fpdf2): the figures of each goal as a table, the agency's narrative,
and the charts as PNG images. Pure: takes the report shapes and returns the bytes.

The PDF's built-in Helvetica covers Latin-1 only; other characters are written as their nearest
Latin-1 form (typographic quotes and dashes) or `?`, so any narrative can be printed.
"""

from __future__ import annotations

import io
import unicodedata

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from steward.progress.charts import DrawnChart
from steward.progress.schemas import Figures, Goal, ReportPublic, StateReport

SUBSTITUTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\u00a0": " ",
}
WIDTHS = (62, 42, 76)
CHART_WIDTH = 170


def latin1(text: str) -> str:
    """Text the built-in fonts can print.

    >>> latin1("Caf\u00e9 \u2014 \u201cok\u201d \u4e2d")
    'Caf\u00e9 - "ok" ?'
    """
    out = []
    for char in text:
        char = SUBSTITUTES.get(char, char)
        if len(char) == 1 and ord(char) > 255:
            plain = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            char = plain or "?"
        out.append(char)
    return "".join(out)


class ReportDocument(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="Letter")
        self.heading = latin1(title)
        self.set_title(self.heading)
        self.set_creator("Steward")
        self.set_auto_page_break(auto=True, margin=18)
        self.add_page()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 6, f"{self.heading} - page {self.page_no()}", align="C")

    def line_of(self, text: str, size: int = 10, style: str = "", height: float = 6) -> None:
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, height, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def figures_table(self, figures: Figures, goal: str) -> None:
        self.set_font("Helvetica", "", 9)
        with self.table(col_widths=WIDTHS, text_align="LEFT", line_height=5) as table:
            header = table.row()
            for name in ("Figure", "Value", "Detail"):
                header.cell(name)
            for item in figures.figures:
                if item.goal == goal:
                    row = table.row()
                    row.cell(latin1(item.label))
                    row.cell(latin1(item.display))
                    row.cell(latin1(item.detail))
        self.ln(2)

    def chart(self, chart: DrawnChart) -> None:
        self.line_of(chart.title, 11, "B")
        self.image(io.BytesIO(chart.png()), w=CHART_WIDTH, alt_text=latin1(chart.description))
        self.ln(4)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def _goal(doc: ReportDocument, goal: Goal, figures: Figures, narrative: str | None) -> None:
    doc.line_of(goal.title, 13, "B", 8)
    doc.line_of(goal.description, 9, "I", 5)
    doc.figures_table(figures, goal.id)
    if narrative is not None:
        doc.line_of("Narrative", 10, "B")
        doc.line_of(narrative or "(no narrative written yet)", 10)
    doc.ln(3)


def report_pdf(report: ReportPublic, charts: list[DrawnChart]) -> bytes:
    """One agency's report: the period, each goal's figures and narrative, then the charts."""
    doc = ReportDocument(f"Progress report: {report.agency_name}")
    doc.line_of(doc.heading, 18, "B", 10)
    doc.line_of(
        f"Reporting period {report.period_name} ({report.starts_on} to {report.ends_on}), "
        f"due {report.due_on}. Status: {report.status}. Figures measured by Steward on "
        f"{report.figures.as_of}."
    )
    if report.review_comment and report.status == "returned":
        doc.line_of(f"Returned by the CDO: {report.review_comment}", 10, "I")
    doc.ln(4)
    for goal in report.goals:
        _goal(doc, goal, report.figures, report.narratives.get(goal.id, ""))
    for chart in charts:
        doc.chart(chart)
    return doc.output_bytes()


def state_pdf(state: StateReport, charts: list[DrawnChart]) -> bytes:
    """The state-wide report: the state's figures per goal, the charts, then each agency's
    status, figures and narrative."""
    period = state.period
    doc = ReportDocument(f"State-wide progress report: {period.name}")
    doc.line_of(doc.heading, 18, "B", 10)
    counts = ", ".join(f"{n} {status}" for status, n in period.status_counts.items())
    doc.line_of(
        f"Period {period.starts_on} to {period.ends_on}, reports due {period.due_on}. "
        f"Agency reports: {counts}. State-wide figures measured on {state.figures.as_of}."
    )
    doc.ln(4)
    for goal in state.goals:
        _goal(doc, goal, state.figures, None)
    for chart in charts:
        doc.chart(chart)
    for report in state.reports:
        doc.add_page()
        doc.line_of(f"{report.agency_name} ({report.status})", 15, "B", 9)
        for goal in report.goals:
            _goal(doc, goal, report.figures, report.narratives.get(goal.id, ""))
    return doc.output_bytes()
