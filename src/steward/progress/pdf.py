"""Progress reports as PDF (fpdf2): the figures of each goal as a table (with the change since
the previous period), the agency's narrative, the key figures across periods, and the charts as
PNG images. Pure: takes the report shapes and returns the bytes.

Text is set in DejaVu Sans when Debian's fonts-dejavu-core is installed (`find_fonts`), which
covers Latin, Greek, Cyrillic and most punctuation; a CJK font found beside it (Noto CJK,
WenQuanYi, AR PL, Droid Sans Fallback) is used for the characters DejaVu lacks. Without DejaVu
the PDF falls back to the built-in Helvetica, which covers Latin-1 only: other characters are
then written as their nearest Latin-1 form (typographic quotes and dashes) or `?`.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from steward.progress.charts import DrawnChart
from steward.progress.schemas import FigureChange, Figures, Goal, ReportPublic, StateReport, Trend

FONT_ROOT = Path("/usr/share/fonts")
DEJAVU = {
    "": "truetype/dejavu/DejaVuSans.ttf",
    "B": "truetype/dejavu/DejaVuSans-Bold.ttf",
    "I": "truetype/dejavu/DejaVuSans-Oblique.ttf",
    "BI": "truetype/dejavu/DejaVuSans-BoldOblique.ttf",
}
CJK = (
    "opentype/noto/NotoSansCJK-Regular.ttc",
    "truetype/noto/NotoSansCJK-Regular.ttc",
    "truetype/wqy/wqy-zenhei.ttc",
    "truetype/wqy/wqy-microhei.ttc",
    "truetype/arphic/uming.ttc",
    "truetype/droid/DroidSansFallbackFull.ttf",
)
TREND_PERIODS = 6  # the latest periods a trend table shows


@dataclass(frozen=True)
class FontSet:
    """Font files for the PDF: the body face by style ("" regular, "B", "I", "BI") and the
    faces that supply the glyphs the body lacks."""

    styles: dict[str, Path]
    fallbacks: tuple[Path, ...] = field(default=())


def find_fonts(root: Path = FONT_ROOT) -> FontSet | None:
    """DejaVu Sans (and a CJK fallback) under `root`, or None: the built-in Latin-1 font."""
    if not (root / DEJAVU[""]).is_file():
        return None
    styles = {style: root / path for style, path in DEJAVU.items() if (root / path).is_file()}
    return FontSet(styles, tuple(root / path for path in CJK if (root / path).is_file()))


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
CHANGE_WIDTHS = (52, 34, 54, 40)
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
    def __init__(self, title: str, fonts: FontSet | None = None) -> None:
        super().__init__(format="Letter")
        self.family = "Helvetica"
        self.unicode = fonts is not None
        if fonts is not None:
            self._use(fonts)
        self.heading = self.text_of(title)
        self.set_title(self.heading)
        self.set_creator("Steward")
        self.set_auto_page_break(auto=True, margin=18)
        self.add_page()

    def _use(self, fonts: FontSet) -> None:
        self.family = "body"
        for style in DEJAVU:
            self.add_font("body", style, fonts.styles.get(style, fonts.styles[""]))
        names = []
        for number, path in enumerate(fonts.fallbacks):
            names.append(f"fallback{number}")
            self.add_font(names[-1], "", path)
        if names:
            self.set_fallback_fonts(names, exact_match=False)

    def text_of(self, text: str) -> str:
        return text if self.unicode else latin1(text)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(0, 6, f"{self.heading} - page {self.page_no()}", align="C")

    def line_of(self, text: str, size: int = 10, style: str = "", height: float = 6) -> None:
        self.set_font(self.family, style, size)
        self.multi_cell(0, height, self.text_of(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def figures_table(
        self, figures: Figures, goal: str, changes: list[FigureChange] | None = None
    ) -> None:
        """The goal's figures; with `changes`, a column of each key figure's change."""
        moved = {change.key: change for change in changes or []}
        since = next(iter(moved.values())).since if moved else ""
        names = ["Figure", "Value", "Detail"] + ([f"Since {since}"] if moved else [])
        self.set_font(self.family, "", 9)
        widths = CHANGE_WIDTHS if moved else WIDTHS
        with self.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
            header = table.row()
            for name in names:
                header.cell(self.text_of(name))
            for item in figures.figures:
                if item.goal != goal:
                    continue
                cells = [item.label, item.display, item.detail]
                if moved:
                    change = moved.get(item.key)
                    cells.append(_short(change) if change else "")
                row = table.row()
                for text in cells:
                    row.cell(self.text_of(text))
        self.ln(2)

    def trend_table(self, trends: list[Trend]) -> None:
        """Key figures (rows) by reporting period (columns), the latest periods."""
        if not trends:
            return
        periods = [point.period for point in trends[0].points][-TREND_PERIODS:]
        width = (180 - 60) / len(periods)
        self.line_of("Key figures by reporting period", 13, "B", 8)
        self.set_font(self.family, "", 8)
        with self.table(
            col_widths=(60, *([width] * len(periods))), text_align="LEFT", line_height=4.5
        ) as table:
            header = table.row()
            for name in ["Figure", *periods]:
                header.cell(self.text_of(name))
            for trend in trends:
                row = table.row()
                row.cell(self.text_of(trend.label))
                for point in trend.points[-TREND_PERIODS:]:
                    row.cell(self.text_of(point.display))
        self.ln(4)

    def chart(self, chart: DrawnChart) -> None:
        self.line_of(chart.title, 11, "B")
        alt = self.text_of(chart.description)
        self.image(io.BytesIO(chart.png()), w=CHART_WIDTH, alt_text=alt)
        self.ln(4)

    def output_bytes(self) -> bytes:
        return bytes(self.output())


def _short(change: FigureChange) -> str:
    """The change without its "since ..." (the column header says it)."""
    return change.text.removesuffix(f" since {change.since}")


def _goal(
    doc: ReportDocument,
    goal: Goal,
    figures: Figures,
    narrative: str | None,
    changes: list[FigureChange] | None = None,
) -> None:
    doc.line_of(goal.title, 13, "B", 8)
    doc.line_of(goal.description, 9, "I", 5)
    doc.figures_table(figures, goal.id, changes)
    if narrative is not None:
        doc.line_of("Narrative", 10, "B")
        doc.line_of(narrative or "(no narrative written yet)", 10)
    doc.ln(3)


def report_pdf(report: ReportPublic, charts: list[DrawnChart]) -> bytes:
    """One agency's report: the period, each goal's figures and narrative, then the charts."""
    doc = ReportDocument(f"Progress report: {report.agency_name}", find_fonts())
    doc.line_of(doc.heading, 18, "B", 10)
    doc.line_of(
        f"Reporting period {report.period_name} ({report.starts_on} to {report.ends_on}), "
        f"due {report.due_on}. Status: {report.status}. Figures measured by Steward on "
        f"{report.figures.as_of}."
    )
    if report.review_comment and report.status == "returned":
        doc.line_of(f"Returned by the CDO: {report.review_comment}", 10, "I")
    if report.previous_period:
        doc.line_of(f"Changes are counted since the report of {report.previous_period}.", 9, "I")
    doc.ln(4)
    for goal in report.goals:
        narrative = report.narratives.get(goal.id, "")
        _goal(doc, goal, report.figures, narrative, report.changes)
    for chart in charts:
        doc.chart(chart)
    return doc.output_bytes()


def state_pdf(state: StateReport, charts: list[DrawnChart]) -> bytes:
    """The state-wide report: the state's figures per goal, the charts, then each agency's
    status, figures and narrative."""
    period = state.period
    doc = ReportDocument(f"State-wide progress report: {period.name}", find_fonts())
    doc.line_of(doc.heading, 18, "B", 10)
    counts = ", ".join(f"{n} {status}" for status, n in period.status_counts.items())
    doc.line_of(
        f"Period {period.starts_on} to {period.ends_on}, reports due {period.due_on}. "
        f"Agency reports: {counts}. State-wide figures measured on {state.figures.as_of}."
    )
    doc.ln(4)
    for goal in state.goals:
        _goal(doc, goal, state.figures, None, state.changes)
    doc.trend_table(state.trends)
    for chart in charts:
        doc.chart(chart)
    for report in state.reports:
        doc.add_page()
        doc.line_of(f"{report.agency_name} ({report.status})", 15, "B", 9)
        for goal in report.goals:
            narrative = report.narratives.get(goal.id, "")
            _goal(doc, goal, report.figures, narrative, report.changes)
    return doc.output_bytes()
