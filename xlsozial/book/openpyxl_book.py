"""Headless workbook adapter (openpyxl): read tables and names, write output sheets, save.

openpyxl keeps vbaProject.bin, tables, names, validations, comments and a 2006-namespace
ribbon (customUI/customUI.xml) when loading with ``keep_vba=True``; it drops charts, which is
why every chart lives on an output sheet and is recreated on each run. After saving, the new
file is checked (VBA byte-identical, ribbon present) before it replaces the original.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet

from xlsozial.book import layout
from xlsozial.book.adapter import (
    Block,
    NamedValue,
    SheetOutput,
    TableData,
    Uncomputed,
    address,
    filled,
)
from xlsozial.errors import BookError
from xlsozial.fileio import FileProblem, atomic_write_bytes, read_bytes, sha256

DEFAULT_WIDTH = 15.0
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TITLE_FONT = Font(name="Calibri", bold=True, size=14)
BOLD = Font(name="Calibri", bold=True)
VBA_PART = "xl/vbaProject.bin"
RIBBON_PART = "customUI/customUI.xml"
RIBBON_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"


def formula_text(value: Any) -> str:
    """Text of a formula cell value (plain string or openpyxl ArrayFormula)."""
    text = getattr(value, "text", value)
    return str(text)


class OpenpyxlBook:
    """A workbook file opened for one run."""

    def __init__(self, wb: Workbook, source: bytes | None = None, path: Path | None = None):
        self.wb = wb
        self._source = source
        self.path = path
        self.source_sha = sha256(source) if source is not None else None
        self._values_wb: Workbook | None = None

    @classmethod
    def open(cls, path: Path) -> OpenpyxlBook:
        data = read_bytes(path)
        check_package_bytes(data, path)
        try:
            wb = load_workbook(io.BytesIO(data), keep_vba=True, keep_links=True)
        except Exception:
            raise FileProblem(
                f"Die Mappe „{path.name}“ ist beschädigt und lässt sich nicht lesen. Bitte in "
                "Excel öffnen (Excel bietet eine Reparatur an) oder eine Sicherung verwenden."
            ) from None
        return cls(wb, data, path)

    @property
    def has_macros(self) -> bool:
        return self._source is not None and _has_part(self._source, VBA_PART)

    # -- reading ---------------------------------------------------------------------
    def resolve(self, value: Uncomputed) -> Any:
        """The value Excel/LibreOffice stored with a formula (second, lazy read of the file)."""
        if self._values_wb is None:
            if self._source is None:
                return value
            self._values_wb = load_workbook(io.BytesIO(self._source), data_only=True)
        stored = self._values_wb[value.sheet][value.coord].value
        return value if stored is None else stored

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
        rows: list[list[Any]] = []
        for r, row in enumerate(
            ws.iter_rows(
                min_row=min_row, max_row=max_row - total_rows, min_col=min_col, max_col=max_col
            )
        ):
            values = []
            for cell in row:
                value = cell.value
                if cell.data_type == "f" and r >= header_rows:
                    value = Uncomputed(formula_text(value), ws.title, cell.coordinate)
                values.append(value)
            rows.append(values)
        header = [str(v) if v is not None else "" for v in rows[0]] if header_rows else []
        below = [
            (max_row + 1 + i, list(values))
            for i, values in enumerate(
                ws.iter_rows(
                    min_row=max_row + 1,
                    max_row=max(ws.max_row, max_row),
                    min_col=min_col,
                    max_col=max_col,
                    values_only=True,
                )
            )
            if filled(list(values))
        ]
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
                cell.number_format = '#,##0.00 "€"'
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
        widths_set: set[str] = set()
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
            width_cols = max((len(row) for row in block.values), default=0)
            for c in range(width_cols):
                letter = get_column_letter(block.col + c)
                width = block.widths.get(c)
                if width is not None:
                    ws.column_dimensions[letter].width = width
                elif letter not in widths_set:
                    ws.column_dimensions[letter].width = DEFAULT_WIDTH
                widths_set.add(letter)
        for spec in output.charts:
            ws.add_chart(self._chart(ws, output, spec), spec.anchor)
            anchor_row = ws[spec.anchor].row
            if anchor_row > 3:  # a chart starts a page, so it never breaks across two
                ws.row_breaks.append(Break(id=anchor_row - 1))
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
        kind = layout.OUTPUT_SHEETS.get(
            name, layout.SheetKind.CONTROL if name == layout.RUECKLAUF else layout.SheetKind.OUTPUT
        )
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

    def save_atomic(self, target: Path) -> None:
        """Replace ``target``; when it is the master that was read, only if it is unchanged."""
        data = self.to_bytes()
        if self._source is not None:
            verify_package(self._source, data)
        same = self.path is not None and _same_file(self.path, target)
        atomic_write_bytes(target, data, self.source_sha if same else None)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def _has_part(data: bytes, name: str) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return name in z.namelist()


OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def check_package_bytes(data: bytes, path: Path) -> None:
    """A usable .xlsx/.xlsm package, or a German reason why not (exit code 3)."""
    if data.startswith(OLE_MAGIC):
        raise FileProblem(
            f"Die Mappe „{path.name}“ ist mit einem Kennwort geschützt (verschlüsselt) oder im "
            "alten .xls-Format. Bitte in Excel ohne Kennwort zum Öffnen als .xlsm speichern."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem(f"„{path.name}“ ist keine Excel-Mappe (.xlsm oder .xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            bad = z.testzip()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        bad, names = "?", set()
    if bad is not None or "xl/workbook.xml" not in names:
        raise FileProblem(
            f"Die Mappe „{path.name}“ ist beschädigt (unvollständige oder fehlerhafte Teile). "
            "Bitte eine Sicherung verwenden oder in Excel reparieren lassen."
        )


LINE_HEIGHT = 15.0
PRINT_CHARS = 160  # column-width units that still fit A4 landscape at ≥ 80 % (≥ 8,8 pt)


def header_height(block: Block, r: int) -> float:
    """Tall enough for the longest wrapped header text of the row (Calibri 11, bold)."""
    lines = 1
    for c, value in enumerate(block.values[r]):
        width = block.widths.get(c, DEFAULT_WIDTH)
        per_line = max(1, int(width / 1.2))
        words = str(value or "").split()
        count, used = 1, 0
        for word in words:
            need = len(word) + (1 if used else 0)
            if used + need > per_line and used:
                count, used = count + 1, len(word)
            else:
                used += need
        lines = max(lines, count)
    return LINE_HEIGHT * lines + 4


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


def verify_package(before: bytes, after: bytes) -> None:
    """The saved package must keep VBA byte-identical and the ribbon wired up."""
    with zipfile.ZipFile(io.BytesIO(before)) as zb, zipfile.ZipFile(io.BytesIO(after)) as za:
        names_b, names_a = set(zb.namelist()), set(za.namelist())
        if VBA_PART in names_b and (
            VBA_PART not in names_a or zb.read(VBA_PART) != za.read(VBA_PART)
        ):
            raise BookError("Interner Fehler: Makros wären verändert worden; nichts geschrieben.")
        if RIBBON_PART in names_b:
            if RIBBON_PART not in names_a or zb.read(RIBBON_PART) != za.read(RIBBON_PART):
                raise BookError("Interner Fehler: Menüband wäre verloren gegangen.")
            if RIBBON_REL not in za.read("_rels/.rels").decode("utf-8"):
                raise BookError("Interner Fehler: Menüband-Verknüpfung fehlt.")
        kept = _content_counts(za)
        lost = [label for label, count in _content_counts(zb).items() if count > kept.get(label, 0)]
    if lost:
        raise BookError(
            "Die Mappe enthält Inhalte, die ohne Excel nicht erhalten blieben ("
            + ", ".join(lost)
            + "). Es wurde nichts geschrieben; bitte in Excel mit dem Knopf „Berechnen“ rechnen."
        )


# What openpyxl cannot carry through a save, and how to count it in a package.
PART_KINDS = {
    "xl/threadedComments/": "Kommentare (neue Form)",
    "xl/persons/": "Kommentar-Personen",
    "xl/pivotTables/": "PivotTables",
    "xl/pivotCache/": "Pivot-Caches",
    "xl/slicers/": "Datenschnitte",
    "xl/timelines/": "Zeitachsen",
    "xl/embeddings/": "eingebettete Objekte",
    "xl/media/": "Bilder",
}
MARKERS = {
    b"x14:conditionalFormatting": "erweiterte bedingte Formatierungen",
    b"x14:dataValidation": "erweiterte Datenüberprüfungen",
    b"x14:sparklineGroup": "Sparklines",
    b"<xdr:sp>": "Formen oder Textfelder",
    b"<xdr:sp ": "Formen oder Textfelder",
    b"<xdr:pic>": "Bilder",
}


def _content_counts(z: zipfile.ZipFile) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in z.namelist():
        for prefix, label in PART_KINDS.items():
            if name.startswith(prefix):
                counts[label] = counts.get(label, 0) + 1
        if name.startswith(("xl/worksheets/sheet", "xl/drawings/drawing")):
            data = z.read(name)
            for marker, label in MARKERS.items():
                found = data.count(marker)
                if found:
                    counts[label] = counts.get(label, 0) + found
    return counts
