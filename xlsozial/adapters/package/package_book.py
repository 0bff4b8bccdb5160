"""Headless workbook adapter that rewrites only what xlsozial owns (lxml on the zip parts).

Reading takes tables and defined names straight from the package; writing replaces the
output sheets, sets single cells (Start, the control store, frozen formulas), rewrites the
rows of a table it fills, and appends to the Protokoll. Every other zip member is copied
with its stored bytes, which ``commit`` checks before the atomic replace, so whatever Excel
or a user put into the workbook survives a headless run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xlsozial.adapters.fileio import atomic_write_bytes, sha256
from xlsozial.adapters.package.integrity import VBA_PART, same_file
from xlsozial.adapters.package.ooxml.cellvalues import Formula
from xlsozial.adapters.package.ooxml.charts import replace_charts
from xlsozial.adapters.package.ooxml.macros import drop_macros
from xlsozial.adapters.package.ooxml.opc import T_PIVOT, cell_ref, col_letter, split_ref
from xlsozial.adapters.package.ooxml.outputsheet import render
from xlsozial.adapters.package.ooxml.parts import Parts
from xlsozial.adapters.package.ooxml.sheetxml import protect
from xlsozial.adapters.package.ooxml.styles import CellStyle
from xlsozial.adapters.package.ooxml.workbookxml import split_destination
from xlsozial.adapters.package.ooxml.zipparts import PackageError, unchanged_members
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
    quote_sheet,
)
from xlsozial.book.freeze import is_udf_formula
from xlsozial.book.geometry import log_row_height
from xlsozial.domain.errors import BookError, FileProblem


class PackageBook:
    """A workbook file opened for one run, edited part by part."""

    def __init__(self, data: bytes, path: Path | None = None) -> None:
        self.parts = Parts(data)
        self._source = data
        self.path = path
        self.target = path
        self.source_sha = sha256(data)
        self.macro_free = False  # set for a .xlsx copy: VBA and ribbon are left out

    @property
    def file_name(self) -> str:
        return self.path.name if self.path is not None else ""

    @property
    def sheetnames(self) -> list[str]:
        return self.parts.sheetnames

    @property
    def has_macros(self) -> bool:
        return VBA_PART in self.parts.pkg

    # -- reading ---------------------------------------------------------------------
    def _rows(
        self, sheet: str, first: int, last: int, left: int, right: int, header_rows: int
    ) -> list[list[Any]]:
        """Cell values of a block; a formula below the header rows becomes Uncomputed."""
        grid = self.parts.grid(sheet)
        span = range(left, right + 1)
        rows = []
        for r in range(first, last + 1):
            cells = grid.rows.get(r)
            if not cells:
                rows.append([None] * len(span))
                continue
            values = [cells.get(c) for c in span]
            if Formula in map(type, values):  # scanned in C: formulas are rare in inputs
                for i, value in enumerate(values):
                    if isinstance(value, Formula):
                        if r - first >= header_rows:
                            value = Uncomputed(value, sheet, cell_ref(r, left + i))  # lazily
                        else:
                            value = value.text
                        values[i] = value
            rows.append(values)
        return rows

    def table(self, name: str) -> TableData | None:
        part = self.parts.tables().get(name)
        if part is None:
            return None
        min_col, min_row, max_col, max_row = part.bounds
        header_rows = part.header_rows
        rows = self._rows(
            part.sheet, min_row, max_row - part.totals_rows, min_col, max_col, header_rows
        )
        header = [str(v) if v is not None else "" for v in rows[0]] if header_rows else []
        last = max(self.parts.grid(part.sheet).max_row, max_row)
        below_rows = self._rows(part.sheet, max_row + 1, last, min_col, max_col, 0)
        below = [(max_row + 1 + i, r) for i, r in enumerate(below_rows) if filled(r)]
        return TableData(
            name, part.sheet, header, rows[header_rows:], min_row + header_rows, min_col, below
        )

    def _destination(self, name: str) -> tuple[str, int, int] | None:
        text = self.parts.book.defined(name)
        found = split_destination(text) if text else None
        if found is None or found[0] not in self.parts.entries:
            return None
        row, col = split_ref(found[1])
        return found[0], row, col

    def named(self, name: str) -> NamedValue | None:
        target = self._destination(name)
        if target is None:
            return None
        sheet, row, col = target
        value = self._rows(sheet, row, row, col, col, 0)[0][0]
        if isinstance(value, Uncomputed):
            value = self.resolve(value)
        return NamedValue(value=value, where=address(sheet, row, col))

    def resolve(self, value: Uncomputed) -> Any:
        if value.sheet not in self.parts.entries or not value.coord:
            return value
        row, col = split_ref(value.coord)
        found = self.parts.grid(value.sheet).get(row, col)
        stored = found.stored if isinstance(found, Formula) else found
        return value if stored is None else stored

    def udf_formulas(self) -> list[FormulaCell]:
        found = []
        for name, entry in self.parts.entries.items():
            if not entry.kind.endswith("/worksheet"):
                continue
            for row, col, cell in sorted(self.parts.grid(name).formulas(), key=lambda x: x[:2]):
                if is_udf_formula(cell.text):
                    stored = [] if cell.stored is None else [cell.stored]
                    found.append(FormulaCell(name, row, col, cell.text, stored))
        return found

    # -- writing ---------------------------------------------------------------------
    def _check_ownable(self, name: str) -> None:
        """An output sheet is rewritten whole; refuse what the program did not create there."""
        entry = self.parts.entries[name]
        if not entry.kind.endswith("/worksheet"):
            raise FileProblem(
                f"Das Blatt „{name}“ ist ein Diagrammblatt; xlsozial schreibt dort Ergebnisse. "
                "Bitte das Diagrammblatt umbenennen oder löschen; nichts geschrieben."
            )
        kinds = {kind.rsplit("/", 1)[-1] for _, kind, _ in self.parts.sheet_rels(name).items()}
        foreign = {
            "table": "eine Tabelle",
            T_PIVOT.rsplit("/", 1)[-1]: "eine PivotTable",
            "slicer": "einen Datenschnitt",
            "timeline": "eine Zeitachse",
        }
        found = [label for kind, label in foreign.items() if kind in kinds]
        if found:
            raise FileProblem(
                f"Das Ergebnisblatt „{name}“ enthält {' und '.join(found)}. xlsozial schreibt "
                "dieses Blatt bei jedem Lauf neu und würde sie verlieren. Bitte auf ein eigenes "
                "Blatt verschieben und erneut starten; es wurde nichts geschrieben."
            )

    def write_sheet(self, output: SheetOutput) -> None:
        name = output.sheet
        if name in self.parts.entries:
            self._check_ownable(name)
            doc = self.parts.sheet(name, cells=False)
        else:
            doc = self.parts.add_sheet(name)
        index = self.parts.sheetnames.index(name)
        tab = layout.TAB_COLOURS[layout.written_kind(name)]
        charts, wide = render(doc, output, self.parts.styles, tab, None)
        replace_charts(
            self.parts.pkg, self.parts.types, doc.root, self.parts.sheet_rels(name), charts
        )
        self.parts.book.set_defined(
            "_xlnm.Print_Titles", f"{quote_sheet(name, always=True)}!$A:$A" if wide else None, index
        )
        # A print area set on the old layout would cut the new one off: the sheet prints whole.
        self.parts.book.set_defined("_xlnm.Print_Area", None, index)
        self.parts.touch(name)
        self.parts.flush(name)

    def _set(self, sheet: str, row: int, col: int, value: Any, xf: int | None = None) -> None:
        if isinstance(value, Uncomputed):  # a user's formula, rewritten in its table row
            stored = self.resolve(value)
            text = value.formula
            self.parts.sheet(sheet).set_formula(
                row, col, text, None if isinstance(stored, Uncomputed) else stored, xf
            )
            self.parts.touch(sheet)
            return
        doc = self.parts.sheet(sheet)
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            xf = self.parts.styles.quoted(doc.style_of(row, col) if xf is None else xf)
        doc.set(row, col, value, xf)
        self.parts.touch(sheet)

    def set_named(self, name: str, value: Any) -> None:
        target = self._destination(name)
        if target is None and name == layout.NAME_ROUNDS:
            self.parts.add_sheet(layout.CONTROL_STORE, "veryHidden", layout.CONTROL_STORE)
            where = quote_sheet(layout.CONTROL_STORE, always=True)
            ref = f"{where}!${layout.ROUNDS_CELL[0]}${layout.ROUNDS_CELL[1:]}"
            self.parts.book.set_defined(layout.NAME_ROUNDS, ref)
            target = self._destination(name)
        if target is not None:
            self._set(*target, value)

    def append_log(self, values: list[Any]) -> None:
        part = self.parts.tables().get(layout.LOG.name)
        if part is None:
            return
        min_col, min_row, max_col, max_row = part.bounds
        last = self._rows(part.sheet, max_row, max_row, min_col, max_col, 0)[0]
        target = max_row if max_row > min_row and all(v is None for v in last) else max_row + 1
        money = self.parts.styles.xf(CellStyle(number_format=style.MONEY, vertical="top"))
        wrapped = self.parts.styles.xf(CellStyle(wrap=True, vertical="top"))
        top = self.parts.styles.xf(CellStyle(vertical="top"))
        for i, value in enumerate(values):
            column = layout.LOG.columns[i]
            xf = money if column.kind == "money" else top
            xf = wrapped if column.field == layout.LOG_WRAPPED else xf
            self._set(part.sheet, target, min_col + i, value, xf)
        row = self.parts.sheet(part.sheet).row(target)  # LibreOffice keeps a stored height
        row.set("ht", f"{log_row_height(values):g}")
        row.set("customHeight", "1")
        if target > max_row:
            part.set_ref(f"{col_letter(min_col)}{min_row}:{col_letter(max_col)}{target}")

    def replace_rows(self, table: str, rows: list[list[Any]]) -> None:
        part = self.parts.tables().get(table)
        if part is None:
            raise BookError(f"Tabelle „{table}“ fehlt in der Mappe; nichts geschrieben.")
        min_col, min_row, max_col, max_row = part.bounds
        doc = self.parts.sheet(part.sheet)
        first = min_row + 1
        styles = [doc.style_of(first, c) for c in range(min_col, max_col + 1)]
        new_last = first + max(len(rows), 1) - 1
        for r in range(first, max(max_row, new_last) + 1):
            values = rows[r - first] if r - first < len(rows) else []
            for j in range(max_col - min_col + 1):
                value = values[j] if j < len(values) else None
                if r <= new_last:
                    self._set(part.sheet, r, min_col + j, value, styles[j])
                elif doc.cells(r).get(min_col + j) is not None:  # emptied, style kept
                    self._set(part.sheet, r, min_col + j, None)
        part.set_ref(f"{col_letter(min_col)}{min_row}:{col_letter(max_col)}{new_last}")

    def write_column(self, sheet: str, row: int, col: int, values: list[Any]) -> None:
        for i, value in enumerate(values):
            self._set(sheet, row + i, col, value)

    def cell(self, sheet: str, row: int, col: int) -> Any:
        return self._rows(sheet, row, row, col, col, 1)[0][0]

    def set_cell(self, sheet: str, row: int, col: int, value: Any) -> None:
        self._set(sheet, row, col, value)

    def freeze_all(self) -> None:
        """Every formula becomes the value it showed and every sheet is protected: the
        archive of a closed year, which must not change when someone opens it."""
        for name, entry in self.parts.entries.items():
            if not entry.kind.endswith("/worksheet"):
                continue
            for row, col, cell in self.parts.grid(name).formulas():
                self._set(name, row, col, cell.stored)
            protect(self.parts.sheet(name).root)
            self.parts.touch(name)

    # -- saving ----------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        if self.macro_free:
            drop_macros(self.parts)
        try:
            data = self.parts.to_bytes()
        except PackageError:
            raise FileProblem(
                f"Die Mappe „{self.file_name}“ ist größer als 4 GB (zip64); nichts geschrieben."
            ) from None
        differ = unchanged_members(self._source, data, self.parts.owned_members())
        if differ:  # a defect of xlsozial, not of the file: exit code 4, nothing written
            raise RuntimeError(
                "Teile außerhalb der Ergebnisse hätten sich verändert: " + ", ".join(differ)
            )
        return data

    def save_atomic(self, target: Path) -> bytes:
        """Write the edited workbook to ``target`` (a new file, or the master if unchanged)."""
        data = self.to_bytes()
        same = self.path is not None and same_file(self.path, target)
        atomic_write_bytes(target, data, self.source_sha if same else None)
        return data

    def commit(self) -> None:
        """Replace the target file atomically; later commits build on what was written."""
        if self.target is None:
            raise BookError("Interner Fehler: kein Ziel zum Speichern der Mappe.")
        data = self.save_atomic(self.target)
        if self.path is not None and same_file(self.path, self.target):
            self.source_sha = sha256(data)
