"""The Beschlussvorlage's look: page frame, paragraph styles, tables and figures."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

from xlsozial import style

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Image, Paragraph, Table, TableStyle

from xlsozial.german import money
from xlsozial.german import number as de

plt.rcParams.update({"font.size": 8, "font.family": "DejaVu Sans"})
HEADER_FILL = colors.HexColor("#" + style.HEADER)
GRID = colors.HexColor("#" + style.GRID)
HATCHES = ["", "///", "...", "xx", "\\\\"]
GREYS = ["#d9d9d9", "#4472c4", "#a5a5a5", "#1f3864", "#7f7f7f"]


def eur(cents: int) -> str:
    """Whole euros: the Beschlussvorlage rounds for reading, the workbook keeps cents."""
    return money(cents, 0)


def pct(value: float | None) -> str:
    return "–" if value is None else ("+" if value > 0 else "") + de(value * 100, 1) + " %"


def trend(delta: int) -> str:
    """Word and arrow: readable without colour."""
    return "▲ mehr" if delta > 0 else "▼ weniger" if delta < 0 else "= gleich"


# -- page frame --------------------------------------------------------------------------------


def numbered_canvas(head_left: str, head_right: str) -> type[rl_canvas.Canvas]:
    class NumberedCanvas(rl_canvas.Canvas):  # type: ignore[misc]
        """Draws header and „Seite x von y“ once the number of pages is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._frame(total)
                super().showPage()
            super().save()

        def _frame(self, total: int) -> None:
            width, height = A4
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.HexColor("#" + style.FOOTER_TEXT))
            self.drawString(2 * cm, height - 1.2 * cm, head_left)
            self.drawRightString(width - 2 * cm, height - 1.2 * cm, head_right)
            self.line(2 * cm, height - 1.35 * cm, width - 2 * cm, height - 1.35 * cm)
            self.drawCentredString(width / 2, 1.1 * cm, f"Seite {self._pageNumber} von {total}")

    return NumberedCanvas


STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=STYLES["BodyText"], fontSize=10, leading=13.5)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=11)
H1 = ParagraphStyle("h1", parent=STYLES["Heading1"], fontSize=16, spaceAfter=6)
H2 = ParagraphStyle("h2", parent=STYLES["Heading2"], fontSize=12.5, spaceBefore=10)
H3 = ParagraphStyle("h3", parent=STYLES["Heading3"], fontSize=10.5, spaceBefore=6)
CELL = ParagraphStyle("cell", parent=SMALL, alignment=TA_LEFT)


def table(
    header: list[str],
    rows: list[list[Any]],
    widths: list[float],
    bold_last: bool = False,
    left: int = 1,
    text: tuple[int, ...] = (),
) -> Table:
    """A table that may break across pages (header repeated); the first ``left`` columns and
    those in ``text`` wrap as left-aligned text, the others are right-aligned amounts."""
    wrap = set(range(left)) | set(text)
    data = [[Paragraph(f"<b>{h}</b>", CELL) for h in header]]
    data += [
        [Paragraph(str(v), CELL) if i in wrap else str(v) for i, v in enumerate(r)] for r in rows
    ]
    grid = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    rules = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("FONTSIZE", (0, 1), (-1, -1), 8.5),
        ("ALIGN", (left, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if bold_last:
        rules.append(("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"))
    grid.setStyle(TableStyle(rules))
    return grid


def figure(fig: Any, width_cm: float = 17.0) -> Image:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=200, bbox_inches="tight")
    plt.close(fig)
    buffer.seek(0)
    image = Image(buffer)
    ratio = image.imageHeight / image.imageWidth
    image.drawWidth, image.drawHeight = width_cm * cm, width_cm * cm * ratio
    return image
