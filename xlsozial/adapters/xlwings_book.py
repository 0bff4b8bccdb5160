"""Live Excel adapter: the calling book through xlwings' public API.

:class:`XlwingsBook` implements the same adapter interface as the headless openpyxl path, so
both run the same reader, service functions, core and writer. Tables and output blocks move
in one call each; the number of range calls does not grow with the number of rows.
:class:`ExcelFeedback` is the status bar, the message box and the highlighted cells.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from xlsozial.adapters.xlwings_cells import as_written, runs, udf_cells
from xlsozial.book import geometry, layout, style
from xlsozial.book.adapter import (
    Block,
    ChartSpec,
    FormulaCell,
    NamedValue,
    SheetOutput,
    TableData,
    Uncomputed,
    address,
    filled,
)
from xlsozial.book.geometry import header_height, page_breaks
from xlsozial.domain.errors import BookError

TITLE = "Sozialraumbudget"
MARK_NAME = "xlsozial_Markierungen"
MAX_MARKS = 25
MARK_SEPARATOR = "*"  # cannot occur in a sheet name or a cell address
Cell = tuple[int, int]  # (row, column)
MARK_CHUNK = 250  # characters per defined name (Excel allows 255 in its formula)


# As the headless writers: results locked, columns and rows may be widened.
PROTECTION = {"DrawingObjects": False, "Contents": True, "AllowFormattingColumns": True}
PROTECTION["AllowFormattingRows"] = True  # a wrapped header row stays adjustable


@contextlib.contextmanager
def unprotected(sheet: Any) -> Iterator[None]:
    """Excel refuses writes into a protected sheet: lift the protection (it has no
    password) for the write and put it back afterwards, if the sheet had it."""
    was = False
    with contextlib.suppress(Exception):  # no native API: nothing to lift
        was = bool(sheet.api.ProtectContents)
        if was:
            sheet.api.Unprotect()
    try:
        yield
    finally:
        if was:
            with contextlib.suppress(Exception):
                sheet.api.Protect(**PROTECTION)


class XlwingsBook:
    """Adapter over an xlwings Book (or anything with the same small object model)."""

    def __init__(self, book: Any) -> None:
        self.book = book

    # -- reading ---------------------------------------------------------------------
    def _find_table(self, name: str) -> tuple[Any, Any] | None:
        for sheet in self.book.sheets:
            for table in sheet.tables:
                if table.name == name:
                    return sheet, table
        return None

    def table(self, name: str) -> TableData | None:
        found = self._find_table(name)
        if found is None:
            return None
        sheet, table = found
        rng = table.range
        values = rng.options(ndim=2, err_to_str=True).value or [[]]
        return TableData(
            name=name,
            sheet=sheet.name,
            header=[str(v) if v is not None else "" for v in values[0]],
            rows=[list(r) for r in values[1:]],
            first_row=rng.row + 1,
            first_col=rng.column,
            below=self._below(sheet, rng, len(values[0])),
        )

    def _below(self, sheet: Any, rng: Any, width: int) -> list[tuple[int, list[Any]]]:
        """Filled rows under a table, in one range read down to the sheet's last used row."""
        last_table_row = rng.row + rng.shape[0] - 1
        used = sheet.used_range
        last_used = used.row + used.shape[0] - 1
        if last_used <= last_table_row:
            return []
        block = (
            sheet.range((last_table_row + 1, rng.column), (last_used, rng.column + width - 1))
            .options(ndim=2, err_to_str=True)
            .value
            or []
        )
        return [(last_table_row + 1 + i, list(r)) for i, r in enumerate(block) if filled(list(r))]

    def resolve(self, value: Uncomputed) -> Any:
        """Excel hands over computed values; there is never a formula left to look up."""
        return value

    def _name_range(self, name: str) -> Any | None:
        for item in self.book.names:
            if item.name == name:
                try:
                    return item.refers_to_range
                except Exception:  # a name that is a constant, not a range
                    return None
        return None

    def named(self, name: str) -> NamedValue | None:
        rng = self._name_range(name)
        if rng is None:
            return None
        value = rng.options(err_to_str=True).value
        return NamedValue(value=value, where=address(rng.sheet.name, rng.row, rng.column))

    # -- writing ---------------------------------------------------------------------
    def set_named(self, name: str, value: Any) -> None:
        rng = self._name_range(name)
        if rng is None and name == layout.NAME_ROUNDS:
            rng = self._make_store()
        if rng is not None:
            with unprotected(rng.sheet):
                self._put(rng.sheet, rng.row, rng.column, [[as_written(value)]])

    def _put(self, sheet: Any, top: int, left: int, rows: list[list[Any]]) -> None:
        """Every write into input cells: an adapter that must remember them overrides this."""
        sheet.range((top, left)).value = rows

    def _make_store(self) -> Any:
        """The very hidden control sheet, for a master built before it existed."""
        sheet = self._sheet(layout.CONTROL_STORE)
        with contextlib.suppress(Exception):  # Windows: xlSheetVeryHidden
            sheet.api.Visible = 2
        self.book.names.add(layout.NAME_ROUNDS, f"='{layout.CONTROL_STORE}'!$A$1")
        return sheet.range(layout.ROUNDS_CELL)

    def append_log(self, values: list[Any]) -> None:
        found = self._find_table(layout.LOG.name)
        if found is None:
            return
        sheet, table = found
        rng = table.range
        rows = rng.options(ndim=2).value
        last = rows[-1] if len(rows) > 1 else None
        if last is not None and all(v is None or v == "" for v in last):
            target = rng.row + len(rows) - 1
        else:
            target = rng.row + len(rows)
            table.resize(sheet.range((rng.row, rng.column), (target, rng.column + len(values) - 1)))
        with unprotected(sheet):
            row = sheet.range((target, rng.column), (target, rng.column + len(values) - 1))
            row.value = [[as_written(v) for v in values]]
            self._log_layout(sheet, row, target, rng.column, values)

    def _log_layout(self, sheet: Any, row: Any, target: int, first: int, values: list[Any]) -> None:
        """Top-aligned, the long column wrapped, tall enough: as the headless writers."""
        with contextlib.suppress(Exception):  # cosmetic
            row.vertical_alignment = "top"
            fields = [c.field for c in layout.LOG.columns]
            sheet.range((target, first + fields.index(layout.LOG_WRAPPED))).wrap_text = True
            row.row_height = geometry.log_row_height(values)

    def _sheet(self, name: str) -> Any:
        for sheet in self.book.sheets:
            if sheet.name == name:
                return sheet
        return self.book.sheets.add(name, after=self.book.sheets[len(self.book.sheets) - 1])

    def write_sheet(self, output: SheetOutput) -> None:
        sheet = self._sheet(output.sheet)
        with contextlib.suppress(Exception):  # output sheets are protected (no password)
            sheet.api.Unprotect()
        for chart in list(sheet.charts):
            chart.delete()
        sheet.clear()
        head = sheet.range((1, 1))
        head.value = [[as_written(output.title)], [as_written(output.subtitle)]]
        head.font.bold = True
        for block in output.blocks:
            self._write_block(sheet, block)
        for spec in output.charts:
            self._chart(sheet, output.blocks[spec.block_index], spec)
        with contextlib.suppress(Exception):  # Excel needs a printer driver for page breaks
            sheet.api.ResetAllPageBreaks()
            for after in page_breaks(output):  # where the headless writer ends pages too
                sheet.api.HPageBreaks.Add(Before=sheet.range((after + 1, 1)).api)
            if geometry.is_wide(
                geometry.column_widths(output.blocks)
            ):  # across, then down (xlOverThenDown)
                sheet.api.PageSetup.Order = 2
        with contextlib.suppress(Exception):
            sheet.api.Protect(**PROTECTION)

    def _write_block(self, sheet: Any, block: Block) -> None:
        header = self._write_values(sheet, block)
        if header is None:
            return
        header.font.bold = True
        self._header_layout(sheet, block, header)
        width = max(len(r) for r in block.values)
        top, left = block.row, block.col
        for r in block.bold_rows:
            sheet.range((top + r, left), (top + r, left + width - 1)).font.bold = True
        for c, w in block.widths.items():
            sheet.range((top, left + c)).column_width = w

    def _write_values(self, sheet: Any, block: Block) -> Any | None:
        """Values, header colour, number formats and fills of a block (what every client,
        the remote one too, can set); the header range, or None for an empty block."""
        if not block.values:
            return None
        width = max(len(r) for r in block.values)
        values = [list(r) + [None] * (width - len(r)) for r in block.values]
        top, left = block.row, block.col
        bottom = top + len(values) - 1
        sheet.range((top, left)).value = [[as_written(v) for v in row] for row in values]
        header = sheet.range((top, left), (top + block.header_rows - 1, left + width - 1))
        header.color = style.rgb(style.HEADER)
        for c, fmt in block.formats.items():
            if bottom > top:
                sheet.range(
                    (top + block.header_rows, left + c), (bottom, left + c)
                ).number_format = fmt
        by_colour: dict[tuple[int, str], list[int]] = {}
        for (r, c), colour in block.fills.items():
            by_colour.setdefault((c, colour), []).append(r)
        for (c, colour), rows in by_colour.items():
            for first, last in runs(rows):
                cells = sheet.range((top + first, left + c), (top + last, left + c))
                cells.color = style.rgb(colour)
        return header

    @staticmethod
    def _header_layout(sheet: Any, block: Block, header: Any) -> None:
        """As the headless writer: wrapped header text, tall enough rows, amounts right."""
        with contextlib.suppress(Exception):  # cosmetic: an older Excel API may lack one
            header.wrap_text = True
            header.vertical_alignment = "top"
            top, left = block.row, block.col
            for c in block.formats:
                cells = sheet.range((top, left + c), (top + block.header_rows - 1, left + c))
                cells.horizontal_alignment = "right"
            for r in range(block.header_rows):
                sheet.range((top + r, left)).row_height = header_height(block, r)

    def _chart(self, sheet: Any, block: Block, spec: ChartSpec) -> None:
        top = block.row
        bottom = block.row + spec.last_data_row
        cols = [spec.category_col, *spec.series_cols]
        parts = [sheet.range((top, block.col + c), (bottom, block.col + c)).address for c in cols]
        anchor = sheet.range(spec.anchor)
        chart = sheet.charts.add(left=anchor.left, top=anchor.top, width=680, height=260)
        chart.chart_type = "column_stacked" if spec.stacked else "column_clustered"
        chart.set_source_data(sheet.range(",".join(parts)))
        try:  # the title needs the native API (Windows/macOS differ); cosmetic only
            chart.api[1].HasTitle = True
            chart.api[1].ChartTitle.Text = spec.title
        except Exception:
            pass

    def replace_rows(self, table_name: str, rows: list[list[Any]]) -> None:
        """Replace a table's data rows in two range writes and one resize."""
        found = self._find_table(table_name)
        if found is None:
            raise BookError(f"Tabelle {table_name} fehlt in der Mappe")
        sheet, table = found
        rng = table.range
        old_rows = len(rng.options(ndim=2).value) - 1
        width = rng.shape[1]
        values = [[as_written(v) for v in r] + [None] * (width - len(r)) for r in rows] or [
            [None] * width
        ]
        top, left = rng.row + 1, rng.column
        with unprotected(sheet):
            self._put(sheet, top, left, values)
            if old_rows > len(values):
                blank = [[None] * width for _ in range(old_rows - len(values))]
                self._put(sheet, top + len(values), left, blank)
            self._resize(sheet, table, (rng.row, left), (top + len(values) - 1, left + width - 1))

    def _resize(self, sheet: Any, table: Any, first: Cell, last: Cell) -> None:
        table.resize(sheet.range(first, last))

    @property
    def user(self) -> str | None:
        """Excel's user name (Datei → Optionen → Benutzername), for the Protokoll."""
        try:
            return str(self.book.app.api.UserName) or None
        except Exception:
            return None

    @property
    def path(self) -> Path:
        """The book's file; for a book never saved just its name (e.g. „Mappe1“)."""
        return Path(str(getattr(self.book, "fullname", "") or ""))

    @property
    def file_name(self) -> str:
        return self.path.name

    def commit(self) -> None:
        """Save the open book: a round's tokens must be on disk before files go out."""
        self.book.save()

    def udf_formulas(self) -> list[FormulaCell]:
        """SRB_ formulas per sheet in two range reads (``formula2``: the dynamic-array form)
        with their value and the cells their result spilled into."""
        found = []
        for sheet in self.book.sheets:
            rng = sheet.used_range
            found += udf_cells(sheet.name, rng.row, rng.column, rng.formula2, rng)
        return found

    def write_column(self, sheet: str, row: int, col: int, values: list[Any]) -> None:
        where = self.book.sheets[sheet]
        with unprotected(where):
            self._put(where, row, col, [[as_written(v)] for v in values])

    @property
    def folder(self) -> Path | None:
        path = self.path
        return path.parent if path.is_absolute() and path.parent.exists() else None

    # -- problems --------------------------------------------------------------------
    def clear_marks(self) -> None:
        """Restore the colour of every cell highlighted by the previous failed run."""
        records = [n for n in self.book.names if str(n.name).startswith(MARK_NAME)]
        for item in records:
            text = str(item.refers_to)
            text = text[2:-1] if text.startswith('="') and text.endswith('"') else text
            for entry in filter(None, text.replace('""', '"').split(MARK_SEPARATOR)):
                where, _, colour = entry.rpartition("|")
                sheet, _, cell = where.rpartition("!")
                try:
                    target = self.book.sheets[sheet.strip("'").replace("''", "'")].range(cell)
                    target.color = style.rgb(colour) if colour else None
                except Exception:
                    continue
            item.delete()

    def mark(self, places: list[str]) -> None:
        """Highlight the cells named in problems (first MAX_MARKS) and remember every one.

        The record lives in defined names, whose formula Excel limits to 255 characters;
        it is split over as many names as it needs, so no mark outlives its fix.
        """
        entries = []
        for where in places[:MAX_MARKS]:
            match = re.fullmatch(r"'?(.+?)'?!([A-Z]{1,3}[0-9]+)", where)
            if not match:
                continue
            try:
                target = self.book.sheets[match.group(1).replace("''", "'")].range(match.group(2))
                old = target.color
                target.color = style.rgb(style.MARK)
            except Exception:
                continue
            old_hex = style.hex_of(old) if old else ""
            entries.append(f"{where}|{old_hex}".replace('"', '""'))
        chunks: list[str] = []
        for entry in entries:
            if chunks and len(chunks[-1]) + len(entry) + 1 <= MARK_CHUNK:
                chunks[-1] += MARK_SEPARATOR + entry
            else:
                chunks.append(entry)
        for i, chunk in enumerate(chunks, start=1):
            self.book.names.add(f"{MARK_NAME}_{i}", f'="{chunk}"')


class ExcelFeedback:
    """Status bar, message boxes and highlighted cells of the calling Excel."""

    def __init__(self, book: XlwingsBook) -> None:
        self.book = book

    def status(self, text: str | None) -> None:
        with contextlib.suppress(Exception):
            self.book.book.app.status_bar = text if text is not None else False

    def progress(self, done: int, total: int, item: str) -> None:
        self.status(f"Sozialraumbudget: {done} von {total} – {item}")

    def alert(self, text: str, critical: bool = False) -> None:
        self.book.book.app.alert(text, title=TITLE, mode="critical" if critical else "info")

    def mark(self, places: Sequence[str]) -> None:
        self.book.mark(list(places))
