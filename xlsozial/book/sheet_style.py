"""Sheet styling shared by the build and the headless writer: print setup, header heights."""

from __future__ import annotations

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xlsozial.book import layout, style
from xlsozial.book.geometry import DEFAULT_WIDTH, PRINT_CHARS

HEADER_FILL = PatternFill("solid", fgColor=style.HEADER)
TITLE_FONT = Font(name="Calibri", bold=True, size=14)
BOLD = Font(name="Calibri", bold=True)


PORTRAIT_CHARS = 100  # column-width units that fit A4 portrait at 100 %


def print_width(ws: Worksheet) -> None:
    """Wide sheets are not shrunk below ~8 pt: they print at 80 % over several pages,
    with the first column repeated on each."""
    total = sum(
        (ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH)
        for c in range(1, ws.max_column + 1)
    )
    if total > PRINT_CHARS:
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_setup.scale = 80
        ws.print_title_cols = "A:A"
        ws.page_setup.pageOrder = "overThenDown"  # a table's columns before its next rows


def portrait_if_narrow(ws: Worksheet) -> None:
    """An input sheet this narrow fills portrait pages instead of half of landscape ones."""
    total = sum(
        (ws.column_dimensions[get_column_letter(c)].width or DEFAULT_WIDTH)
        for c in range(1, ws.max_column + 1)
    )
    if total <= PORTRAIT_CHARS:
        ws.page_setup.orientation = "portrait"


def style_sheet(ws: Worksheet, kind: layout.SheetKind, code_name: str | None = None) -> None:
    ws.sheet_properties.tabColor = layout.TAB_COLOURS[kind]
    if code_name:
        ws.sheet_properties.codeName = code_name
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "&A – Seite &P von &N"
    ws.sheet_view.zoomScale = 90
