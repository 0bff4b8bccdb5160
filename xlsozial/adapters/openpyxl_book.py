"""Workbook adapter on openpyxl: the build, the provider files on collection, the tests' second
writer (the headless commands write through :mod:`xlsozial.adapters.package.package_book` instead).

openpyxl keeps vbaProject.bin, tables, names, validations, comments and a 2006-namespace
ribbon (customUI/customUI.xml) when loading with ``keep_vba=True``; it drops charts, which is
why every chart lives on an output sheet and is recreated on each run. After saving, the new
file is checked (VBA byte-identical, ribbon present) before it replaces the original.
"""

from __future__ import annotations

import io
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet

from xlsozial.adapters.fileio import atomic_write_bytes, read_bytes, sha256
from xlsozial.adapters.package.integrity import (
    VBA_PART,
    check_package_bytes,
    has_part,
    same_file,
    verify_package,
)
from xlsozial.book import layout, style
from xlsozial.book.adapter import (
    FORMULA_PREFIXES,
    FormulaCell,
    NamedValue,
    SheetOutput,
    TableData,
    Uncomputed,
    address,
    filled,
)
from xlsozial.book.freeze import is_udf_formula
from xlsozial.book.geometry import column_widths, header_height, log_row_height, page_breaks
from xlsozial.book.sheet_style import BOLD, HEADER_FILL, TITLE_FONT, print_width, style_sheet
from xlsozial.domain.errors import BookError, FileProblem


def formula_text(value: Any) -> str:
    """Text of a formula cell value (plain string or openpyxl ArrayFormula)."""
    text = getattr(value, "text", value)
    return str(text)


def _cell_rows(
    ws: Worksheet, first: int, last: int, left: int, right: int, header_rows: int
) -> list[list[Any]]:
    """Cell values of a block; a formula below the header rows becomes :class:`Uncomputed`.

    Looks cells up in the sheet's cell store instead of ``iter_rows``, which creates an
    empty cell object for every gap (a large cost sheet has hundreds of thousands).
    """
    cells = ws._cells
    rows: list[list[Any]] = []
    for r in range(first, last + 1):
        values: list[Any] = []
        for c in range(left, right + 1):
            cell = cells.get((r, c))
            if cell is None:
                values.append(None)
            elif cell.data_type == "f" and r - first >= header_rows:
                values.append(Uncomputed(formula_text(cell.value), ws.title, cell.coordinate))
            else:
                values.append(cell.value)
        rows.append(values)
    return rows


class OpenpyxlBook:
    """A workbook file opened for one run."""

    def __init__(self, wb: Workbook, source: bytes | None = None, path: Path | None = None):
        self.wb = wb
        self._source = source
        self.path = path
        self.target = path  # where ``commit`` writes; a session may point it elsewhere
        self.source_sha = sha256(source) if source is not None else None
        self.keep_vba = True
        self._values_wb: Workbook | None = None

    @classmethod
    def open(cls, path: Path, keep_vba: bool = True) -> OpenpyxlBook:
        """Open a workbook file; ``keep_vba=False`` drops macros and ribbon (a .xlsx copy)."""
        data = read_bytes(path)
        check_package_bytes(data, path)
        try:
            wb = load_workbook(io.BytesIO(data), keep_vba=keep_vba, keep_links=True)
        except Exception:
            raise FileProblem(
                f"Die Mappe „{path.name}“ ist beschädigt und lässt sich nicht lesen. Bitte in "
                "Excel öffnen (Excel bietet eine Reparatur an) oder eine Sicherung verwenden."
            ) from None
        book = cls(wb, data, path)
        book.keep_vba = keep_vba
        return book

    @property
    def file_name(self) -> str:
        return self.path.name if self.path is not None else ""

    @property
    def has_macros(self) -> bool:
        return self._source is not None and has_part(self._source, VBA_PART)

    # -- reading ---------------------------------------------------------------------
    def resolve(self, value: Uncomputed) -> Any:
        """The value Excel/LibreOffice stored with a formula (second, lazy read of the file)."""
        if self._values_wb is None:
            if self._source is None:
                return value
            self._values_wb = load_workbook(io.BytesIO(self._source), data_only=True)
        stored = self._values_wb[value.sheet][value.coord].value
        return value if stored is None else stored

    def udf_formulas(self) -> list[FormulaCell]:
        """SRB_ formulas with the value Excel stored; a spilled result's other cells already
        hold plain values in the file, so only the anchor cell changes."""
        found = []
        for ws in self.wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if is_udf_formula(cell.value):
                        stored = self.resolve(Uncomputed("", ws.title, cell.coordinate))
                        values = [] if isinstance(stored, Uncomputed) else [stored]
                        text = formula_text(cell.value)
                        found.append(FormulaCell(ws.title, cell.row, cell.column, text, values))
        return found

    def replace_rows(self, table: str, rows: list[list[Any]]) -> None:
        found = self._find_table(table)
        if found is None:
            raise BookError(f"Tabelle „{table}“ fehlt in der Mappe; nichts geschrieben.")
        write_rows(found[0], table, rows)

    def write_column(self, sheet: str, row: int, col: int, values: list[Any]) -> None:
        ws = self.wb[sheet]
        for i, value in enumerate(values):
            cell = ws.cell(row=row + i, column=col)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"

    def find_table(self, name: str) -> tuple[Worksheet, Table] | None:
        """The sheet holding table ``name``, whatever the sheet is called now."""
        return self._find_table(name)

    def _find_table(self, name: str) -> tuple[Worksheet, Table] | None:
        for ws in self.wb.worksheets:
            if name in ws.tables:
                return ws, ws.tables[name]
        return None

    def table(self, name: str) -> TableData | None:
        found = self._find_table(name)
        if found is None:
            return None
        ws, tbl = found
        min_col, min_row, max_col, max_row = range_boundaries(tbl.ref)
        header_rows = tbl.headerRowCount if tbl.headerRowCount is not None else 1
        total_rows = tbl.totalsRowCount or 0
        rows = _cell_rows(ws, min_row, max_row - total_rows, min_col, max_col, header_rows)
        header = [str(v) if v is not None else "" for v in rows[0]] if header_rows else []
        below_rows = _cell_rows(ws, max_row + 1, max(ws.max_row, max_row), min_col, max_col, 0)
        below = [(max_row + 1 + i, r) for i, r in enumerate(below_rows) if filled(r)]
        return TableData(
            name=name,
            sheet=ws.title,
            header=header,
            rows=rows[header_rows:],
            first_row=min_row + header_rows,
            first_col=min_col,
            below=below,
        )

    def _name_target(self, name: str) -> tuple[Worksheet, str] | None:
        defined = self.wb.defined_names.get(name)
        if defined is None:
            return None
        for sheet, coord in defined.destinations:
            if sheet in self.wb.sheetnames:
                return self.wb[sheet], coord.replace("$", "").split(":")[0]
        return None

    def named(self, name: str) -> NamedValue | None:
        target = self._name_target(name)
        if target is None:
            return None
        ws, coord = target
        cell = ws[coord]
        value = cell.value
        where = address(ws.title, cell.row, cell.column)
        if cell.data_type == "f":
            value = self.resolve(Uncomputed(formula_text(value), ws.title, coord))
        return NamedValue(value=value, where=where)

    # -- writing ---------------------------------------------------------------------
    def set_named(self, name: str, value: Any) -> None:
        target = self._name_target(name)
        if target is None and name == layout.NAME_ROUNDS:
            target = self._make_store()
        if target is not None:
            ws, coord = target
            ws[coord].value = value
            if isinstance(value, str):
                ws[coord].data_type = "s"

    def _make_store(self) -> tuple[Worksheet, str]:
        """The very hidden control sheet, for a master built before it existed."""
        ws = self.wb.create_sheet(layout.CONTROL_STORE)
        ws.sheet_state = "veryHidden"
        ws.sheet_properties.codeName = layout.CONTROL_STORE
        ref = f"{quote_sheetname(ws.title)}!${layout.ROUNDS_CELL[0]}${layout.ROUNDS_CELL[1:]}"
        self.wb.defined_names[layout.NAME_ROUNDS] = DefinedName(layout.NAME_ROUNDS, attr_text=ref)
        return ws, layout.ROUNDS_CELL

    def append_log(self, values: list[Any]) -> None:
        found = self._find_table(layout.LOG.name)
        if found is None:
            return
        ws, tbl = found
        min_col, min_row, max_col, max_row = range_boundaries(tbl.ref)
        last = [ws.cell(row=max_row, column=c).value for c in range(min_col, max_col + 1)]
        target = max_row if max_row > min_row and all(v is None for v in last) else max_row + 1
        for i, value in enumerate(values):
            cell = ws.cell(row=target, column=min_col + i, value=value)
            if layout.LOG.columns[i].kind == "money":
                cell.number_format = style.MONEY
            cell.alignment = Alignment(
                wrap_text=layout.LOG.columns[i].field == layout.LOG_WRAPPED, vertical="top"
            )
        ws.row_dimensions[target].height = log_row_height(values)
        if target > max_row:
            tbl.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{target}"
            if tbl.autoFilter is not None:
                tbl.autoFilter.ref = tbl.ref

    def write_sheet(self, output: SheetOutput) -> None:
        ws = self._fresh_sheet(output.sheet)
        ws["A1"] = output.title
        ws["A1"].font = TITLE_FONT
        ws["A2"] = output.subtitle
        ws["A2"].font = Font(name="Calibri", italic=True)
        for block in output.blocks:
            for r, row in enumerate(block.values):
                for c, value in enumerate(row):
                    cell = ws.cell(row=block.row + r, column=block.col + c, value=value)
                    if r < block.header_rows:
                        cell.font = BOLD
                        cell.fill = HEADER_FILL
                        cell.alignment = Alignment(
                            wrap_text=True,
                            vertical="top",
                            horizontal="right" if c in block.formats else "left",
                        )
                        continue
                    if c in block.formats:
                        cell.number_format = block.formats[c]
                    if r in block.bold_rows:
                        cell.font = BOLD
                    if (r, c) in block.fills:
                        cell.fill = PatternFill("solid", fgColor=block.fills[(r, c)])
            for r in range(block.header_rows):
                ws.row_dimensions[block.row + r].height = header_height(block, r)
        for col, width in column_widths(output.blocks).items():
            ws.column_dimensions[get_column_letter(col)].width = width
        for spec in output.charts:
            ws.add_chart(self._chart(ws, output, spec), spec.anchor)
        for after in page_breaks(output):  # tables and charts each start on their own page
            ws.row_breaks.append(Break(id=after))
        if output.freeze:
            ws.freeze_panes = output.freeze
        print_width(ws)
        ws.protection.sheet = True  # results are values from Python: not to be typed over
        ws.protection.formatColumns = False
        ws.protection.formatRows = False

    def _chart(self, ws: Worksheet, output: SheetOutput, spec: Any) -> BarChart:
        block = output.blocks[spec.block_index]
        chart = BarChart()
        chart.type = "col"
        chart.title = spec.title
        chart.y_axis.title = spec.y_title
        chart.height, chart.width = 9, 24
        # 10 pt for every text of the chart (as the headless writer), ≥ 8 pt printed at 80 %
        text = RichText(
            p=[
                Paragraph(
                    pPr=ParagraphProperties(defRPr=CharacterProperties(sz=1000)),
                    endParaRPr=CharacterProperties(lang="de-DE"),
                )
            ]
        )
        chart.x_axis.txPr = chart.y_axis.txPr = text
        if chart.legend is not None:
            chart.legend.txPr = text
        if spec.stacked:
            chart.grouping = "stacked"
            chart.overlap = 100
        top = block.row + spec.first_data_row
        bottom = block.row + spec.last_data_row
        for c in spec.series_cols:
            col = block.col + c
            data = Reference(ws, min_col=col, min_row=block.row, max_row=bottom)
            chart.add_data(data, titles_from_data=True)
        cats = Reference(ws, min_col=block.col + spec.category_col, min_row=top, max_row=bottom)
        chart.set_categories(cats)
        return chart

    def _fresh_sheet(self, name: str) -> Worksheet:
        """Replace an output sheet by an empty one at the same position (outputs own it)."""
        kind = layout.written_kind(name)
        if name in self.wb.sheetnames:
            old = self.wb[name]
            index = self.wb.sheetnames.index(name)
            code_name = old.sheet_properties.codeName
            hidden = old.sheet_state
            self.wb.remove(old)
        else:
            index, code_name, hidden = len(self.wb.sheetnames), None, "visible"
        ws = self.wb.create_sheet(name, index)
        style_sheet(ws, kind, code_name)
        ws.sheet_state = hidden
        return ws

    # -- saving ----------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.wb.save(buffer)
        return buffer.getvalue()

    def commit(self) -> None:
        """Replace the target file atomically; later commits build on what was written."""
        if self.target is None:
            raise BookError("Interner Fehler: kein Ziel zum Speichern der Mappe.")
        data = self.save_atomic(self.target)
        if self.path is not None and same_file(self.path, self.target):
            self._source, self.source_sha = data, sha256(data)

    def save_atomic(self, target: Path) -> bytes:
        """Replace ``target``; when it is the master that was read, only if it is unchanged."""
        data = self.to_bytes()
        if self._source is not None and self.keep_vba:
            verify_package(self._source, data)
        same = self.path is not None and same_file(self.path, target)
        atomic_write_bytes(target, data, self.source_sha if same else None)
        return data


def write_rows(ws: Worksheet, table_name: str, rows: list[list[Any]]) -> None:
    """Replace the data rows of a table, keeping the first row's cell styles; typed text
    stays text (also when it starts like a formula)."""
    tbl = ws.tables[table_name]
    min_col, min_row, max_col, max_row = range_boundaries(tbl.ref)
    first = min_row + 1
    style_row = [ws.cell(row=first, column=c) for c in range(min_col, max_col + 1)]
    styles = [copy(c._style) for c in style_row]
    new_last = first + max(len(rows), 1) - 1
    for r in range(first, max(max_row, new_last) + 1):
        i = r - first
        values = rows[i] if i < len(rows) else []
        for j in range(max_col - min_col + 1):
            cell = ws.cell(row=r, column=min_col + j)
            value = values[j] if j < len(values) else None
            if isinstance(value, Uncomputed):  # a user's formula stays a formula
                value = value.formula
                cell.value = value
                if r <= new_last:
                    cell._style = copy(styles[j])
                continue
            cell.value = value
            if r <= new_last:
                cell._style = copy(styles[j])
            if isinstance(value, str):
                cell.data_type = "s"
                if value.startswith(FORMULA_PREFIXES):
                    cell.quotePrefix = True
    tbl.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{new_last}"
    if tbl.autoFilter is not None:
        tbl.autoFilter.ref = tbl.ref
