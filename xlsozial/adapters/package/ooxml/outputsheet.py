"""An output sheet's content rendered into its worksheet part, as the openpyxl writer does.

Cells, column widths, header heights, frozen panes, print setup and protection are rewritten;
the sheet's other markup (its codeName, Excel's extensions, comments' wiring) stays.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from xlsozial.adapters.package.ooxml.charts import ChartRefs
from xlsozial.adapters.package.ooxml.opc import cell_ref, col_letter, q, split_ref
from xlsozial.adapters.package.ooxml.sheetxml import C, R, SheetDoc, drop, local, put, write_value
from xlsozial.adapters.package.ooxml.styles import CellStyle, StyleSheet, font
from xlsozial.book import style
from xlsozial.book.adapter import Block, SheetOutput, quote_sheet
from xlsozial.book.geometry import column_widths, header_height, is_wide, page_breaks

TITLE = CellStyle(font=font(bold=True, size=14))
SUBTITLE = CellStyle(font=font(italic=True))
BOLD = font(bold=True)
FOOTER = "&C&A – Seite &P von &N"


class Grid:
    """Cells of the new sheetData by position, with their style indices."""

    def __init__(self) -> None:
        self.cells: dict[int, dict[int, tuple[Any, int]]] = {}
        self.heights: dict[int, float] = {}

    def put(self, r: int, c: int, value: Any, xf: int) -> None:
        self.cells.setdefault(r, {})[c] = (value, xf)

    def element(self) -> etree._Element:
        data = etree.Element(q("sheetData"))
        for r in sorted(self.cells):
            row = etree.SubElement(data, R, r=str(r))
            if r in self.heights:
                row.set("ht", f"{self.heights[r]:g}")
                row.set("customHeight", "1")
            for c in sorted(self.cells[r]):
                value, xf = self.cells[r][c]
                if value is None and not xf:
                    continue
                node = etree.SubElement(row, C, r=cell_ref(r, c))
                if xf:
                    node.set("s", str(xf))
                write_value(node, value)
        return data


def _block(grid: Grid, block: Block, styles: StyleSheet) -> None:
    known: dict[tuple[Any, ...], int] = {}  # a column's cells share a few styles
    for r, row in enumerate(block.values):
        header = r < block.header_rows
        bold = r in block.bold_rows
        for c, value in enumerate(row):
            fill = block.fills.get((r, c))
            key = (header, c, bold, fill)
            xf = known.get(key)
            if xf is None:
                xf = known[key] = styles.xf(_cell_style(block, c, header, bold, fill))
            grid.put(block.row + r, block.col + c, value, xf)
    for r in range(block.header_rows):
        grid.heights[block.row + r] = header_height(block, r)


def _cell_style(block: Block, c: int, header: bool, bold: bool, fill: Any) -> CellStyle:
    if header:
        return CellStyle(
            font=BOLD,
            fill=style.HEADER,
            horizontal="right" if c in block.formats else "left",
            vertical="top",
            wrap=True,
        )
    return CellStyle(
        number_format=block.formats.get(c, "General"), font=BOLD if bold else (), fill=fill
    )


def _chart_refs(output: SheetOutput) -> list[ChartRefs]:
    refs = []
    sheet = quote_sheet(output.sheet, always=True)
    for spec in output.charts:
        block = output.blocks[spec.block_index]
        top, bottom = block.row + spec.first_data_row, block.row + spec.last_data_row
        cat = col_letter(block.col + spec.category_col)
        series = tuple(
            (
                f"{sheet}!${col_letter(block.col + c)}${block.row}",
                f"{sheet}!${col_letter(block.col + c)}${top}:${col_letter(block.col + c)}${bottom}",
            )
            for c in spec.series_cols
        )
        row, col = split_ref(spec.anchor)
        refs.append(
            ChartRefs(
                spec.title,
                spec.y_title,
                spec.stacked,
                f"{sheet}!${cat}${top}:${cat}${bottom}",
                series,
                row - 1,
                col - 1,
            )
        )
    return refs


def render(
    doc: SheetDoc, output: SheetOutput, styles: StyleSheet, tab: str, code_name: str | None
) -> tuple[list[ChartRefs], bool]:
    """Write ``output`` into ``doc``; returns its charts and whether column A repeats in print."""
    grid = Grid()
    grid.put(1, 1, output.title, styles.xf(TITLE))
    grid.put(2, 1, output.subtitle, styles.xf(SUBTITLE))
    for block in output.blocks:
        _block(grid, block, styles)
    root = doc.root
    widths = column_widths(output.blocks)
    wide = is_wide(widths)
    _sheet_pr(root, tab, code_name, fit=not wide)
    doc.replace_cells(grid.element())  # the dimension follows when the part is stored
    _views(root, output.freeze)
    if root.find(q("sheetFormatPr")) is None:
        put(root, etree.Element(q("sheetFormatPr"), baseColWidth="8", defaultRowHeight="15"))
    cols = etree.Element(q("cols"))
    for c in sorted(widths):
        etree.SubElement(
            cols, q("col"), min=str(c), max=str(c), width=f"{widths[c]:g}", customWidth="1"
        )
    put(root, cols) if len(cols) else drop(root, "cols")
    drop(root, "mergeCells")
    put(
        root,
        etree.Element(
            q("sheetProtection"),
            sheet="1",
            objects="0",
            scenarios="0",
            formatColumns="0",
            formatRows="0",
        ),
    )
    _print_setup(root, wide)
    charts = _chart_refs(output)
    breaks = etree.Element(q("rowBreaks"))
    for after in page_breaks(output):  # tables and charts each start on their own page
        etree.SubElement(breaks, q("brk"), id=str(after), max="16383", man="1")
    breaks.set("count", str(len(breaks)))
    breaks.set("manualBreakCount", str(len(breaks)))
    put(root, breaks) if len(breaks) else drop(root, "rowBreaks")
    return charts, wide


def _sheet_pr(root: etree._Element, tab: str, code_name: str | None, fit: bool) -> None:
    pr = root.find(q("sheetPr"))
    if pr is None:
        pr = put(root, etree.Element(q("sheetPr")))
    if code_name and not pr.get("codeName"):
        pr.set("codeName", code_name)
    for child in list(pr):
        if local(child) in ("tabColor", "pageSetUpPr"):
            pr.remove(child)
    pr.insert(0, etree.Element(q("tabColor"), rgb="00" + tab))
    setup = etree.Element(q("pageSetUpPr"), fitToPage="1" if fit else "0")
    outline = pr.find(q("outlinePr"))
    (outline.addnext(setup) if outline is not None else pr.insert(1, setup))


def _views(root: etree._Element, freeze: str | None) -> None:
    views = etree.Element(q("sheetViews"))
    old = root.find(q("sheetViews"))
    attrs = dict(old[0].attrib) if old is not None and len(old) else {"workbookViewId": "0"}
    attrs["zoomScale"] = "90"
    view = etree.SubElement(views, q("sheetView"), attrs)
    if freeze:
        row, col = split_ref(freeze)
        pane = etree.SubElement(view, q("pane"))
        if col > 1:
            pane.set("xSplit", str(col - 1))
        if row > 1:
            pane.set("ySplit", str(row - 1))
        active = "bottomRight" if col > 1 and row > 1 else ("topRight" if col > 1 else "bottomLeft")
        pane.set("topLeftCell", freeze)
        pane.set("activePane", active)
        pane.set("state", "frozen")
        etree.SubElement(view, q("selection"), pane=active, activeCell=freeze, sqref=freeze)
    put(root, views)


def _print_setup(root: etree._Element, wide: bool) -> None:
    put(root, etree.Element(q("printOptions"), gridLines="0"))
    if root.find(q("pageMargins")) is None:
        put(
            root,
            etree.Element(
                q("pageMargins"),
                left="0.75",
                right="0.75",
                top="1",
                bottom="1",
                header="0.5",
                footer="0.5",
            ),
        )
    old = root.find(q("pageSetup"))
    setup = etree.Element(q("pageSetup"), dict(old.attrib) if old is not None else {})
    setup.attrib.pop("scale", None)
    setup.set("orientation", "landscape")
    setup.set("paperSize", "9")
    setup.set("fitToWidth", "1")
    setup.set("fitToHeight", "0")
    setup.attrib.pop("pageOrder", None)
    if wide:
        setup.set("scale", "80")
        setup.set("pageOrder", "overThenDown")  # a table's columns before its next rows
    put(root, setup)
    footer = etree.Element(q("headerFooter"))
    etree.SubElement(footer, q("oddFooter")).text = FOOTER
    put(root, footer)
