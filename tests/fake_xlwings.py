"""An in-memory stand-in for the small part of xlwings' object model that xlsozial uses.

Built from an .xlsm via openpyxl. It counts every ``sheet.range(...)`` call, so tests can
show that the live adapter moves whole tables and blocks instead of single cells.

It also does to written values what Excel does, because those are the defects only Excel
would reveal:
- a string written through ``Range.value`` into a General cell is parsed as if typed, in
  the book's locale ("de" or "en"): "0815" becomes 815, "1.234,56 €" a number (de),
  "25.11.2026 10:00:00" a date; an apostrophe prefix or the text format "@" keeps text;
- ``Range.formula`` uses implicit intersection: "=Quoten!A5:A14" becomes "=@Quoten!A5:A14"
  and does not spill; ``Range.formula2`` keeps the formula as written;
- a defined name's formula is at most 255 characters.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries


def typed(text: str, locale: str) -> Any:
    """What Excel makes of a string entered into a General cell (simplified)."""
    t = text.strip()
    group, decimal = (".", ",") if locale == "de" else (",", ".")
    number = rf"[+-]?(?:\d{{1,3}}(?:{re.escape(group)}\d{{3}})+|\d+)(?:{re.escape(decimal)}\d+)?"
    match = re.fullmatch(rf"({number})\s*(%|€)?", t)
    if match:
        value = float(match.group(1).replace(group, "").replace(decimal, "."))
        return value / 100 if match.group(2) == "%" else value
    date_format = "%d.%m.%Y %H:%M:%S" if locale == "de" else "%m/%d/%Y %H:%M:%S"
    for fmt in (date_format, date_format.split()[0]):
        try:
            return datetime.strptime(t, fmt)
        except ValueError:
            continue
    return text


RANGE_FORMULA = re.compile(r"^=[^(]*![$A-Z]+[$0-9]+:[$A-Z]+[$0-9]+$")


class Counter:
    def __init__(self) -> None:
        self.range_calls = 0


class FakeFont:
    def __init__(self) -> None:
        self.bold = False
        self.color: Any = None


class FakeRange:
    def __init__(self, sheet: FakeSheet, r1: int, c1: int, r2: int, c2: int) -> None:
        self.sheet, self.r1, self.c1, self.r2, self.c2 = sheet, r1, c1, r2, c2
        self._ndim: int | None = None
        self.font = FakeFont()

    @property
    def row(self) -> int:
        return self.r1

    @property
    def column(self) -> int:
        return self.c1

    @property
    def shape(self) -> tuple[int, int]:
        return (self.r2 - self.r1 + 1, self.c2 - self.c1 + 1)

    @property
    def address(self) -> str:
        return f"${get_column_letter(self.c1)}${self.r1}:${get_column_letter(self.c2)}${self.r2}"

    @property
    def left(self) -> float:
        return float(self.c1 * 50)

    @property
    def top(self) -> float:
        return float(self.r1 * 15)

    def options(self, ndim: int | None = None) -> FakeRange:
        self._ndim = ndim
        return self

    @property
    def value(self) -> Any:
        grid = [
            [self.sheet.cells.get((r, c)) for c in range(self.c1, self.c2 + 1)]
            for r in range(self.r1, self.r2 + 1)
        ]
        if self._ndim == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        return grid

    @value.setter
    def value(self, data: Any) -> None:
        self.sheet.writes += 1
        if not isinstance(data, list):
            data = [[data]]
        elif data and not isinstance(data[0], list):
            data = [data]
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                key = (self.r1 + i, self.c1 + j)
                self.sheet.written.add(key)
                self.sheet.formulas.pop(key, None)  # a value replaces a formula
                if v is None or v == "":
                    self.sheet.cells.pop(key, None)
                elif isinstance(v, str) and v.startswith("'"):
                    self.sheet.cells[key] = v[1:]
                elif isinstance(v, str) and self.sheet.formats.get(key) == "@":
                    self.sheet.cells[key] = v
                elif isinstance(v, str):
                    self.sheet.cells[key] = typed(v, self.sheet.book.locale)
                else:
                    self.sheet.cells[key] = v

    @property
    def formula(self) -> Any:
        """Formula text, a constant's value, or "" for a cell an array spills into."""
        return [
            [
                ""
                if (r, c) in self.sheet.spilled
                else self.sheet.formulas.get((r, c), self.sheet.cells.get((r, c), ""))
                for c in range(self.c1, self.c2 + 1)
            ]
            for r in range(self.r1, self.r2 + 1)
        ]

    @formula.setter
    def formula(self, grid: list[list[Any]]) -> None:
        """Implicit intersection, as Excel does for Range.Formula: a range never spills."""
        at = [
            [("=@" + v[1:]) if isinstance(v, str) and RANGE_FORMULA.match(v) else v for v in row]
            for row in grid
        ]
        self.formula2 = at

    @property
    def formula2(self) -> Any:
        return self.formula

    @formula2.setter
    def formula2(self, grid: Any) -> None:
        self.sheet.writes += 1
        if not isinstance(grid, (list, tuple)):
            grid = [[grid]]
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                key = (self.r1 + i, self.c1 + j)
                self.sheet.written.add(key)
                if isinstance(v, str) and v.startswith("="):
                    self.sheet.formulas[key] = v
                else:
                    self.sheet.formulas.pop(key, None)
                    if v is None or v == "":
                        self.sheet.cells.pop(key, None)
                    else:
                        self.sheet.cells[key] = v

    @property
    def color(self) -> Any:
        return self.sheet.colours.get((self.r1, self.c1))

    @color.setter
    def color(self, rgb: Any) -> None:
        for r in range(self.r1, self.r2 + 1):
            for c in range(self.c1, self.c2 + 1):
                self.sheet.colours[(r, c)] = rgb

    @property
    def number_format(self) -> str:
        return self.sheet.formats.get((self.r1, self.c1), "General")

    @number_format.setter
    def number_format(self, fmt: str) -> None:
        for r in range(self.r1, self.r2 + 1):
            self.sheet.formats[(r, self.c1)] = fmt

    @property
    def column_width(self) -> float:
        return 10.0

    @column_width.setter
    def column_width(self, width: float) -> None:
        pass


class FakeTable:
    def __init__(self, name: str, rng: FakeRange) -> None:
        self.name = name
        self.range = rng

    def resize(self, rng: FakeRange) -> None:
        self.range = rng


class FakeChart:
    def __init__(self, charts: list[FakeChart]) -> None:
        self._charts = charts
        self.chart_type = ""
        self.source: str | None = None

    @property
    def api(self) -> Any:
        raise NotImplementedError("no native API in the fake")

    def set_source_data(self, rng: FakeRange) -> None:
        self.source = rng.address

    def delete(self) -> None:
        self._charts.remove(self)


class FakeCharts(list[FakeChart]):
    def add(self, left: float, top: float, width: float, height: float) -> FakeChart:
        chart = FakeChart(self)
        self.append(chart)
        return chart


class FakeSheet:
    def __init__(self, book: FakeBook, name: str) -> None:
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], Any] = {}
        self.colours: dict[tuple[int, int], Any] = {}
        self.formats: dict[tuple[int, int], str] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.tables: list[FakeTable] = []
        self.charts = FakeCharts()
        self.writes = 0
        self.written: set[tuple[int, int]] = set()  # cells the program wrote
        self.spilled: set[tuple[int, int]] = set()  # cells a dynamic array spills into

    def range(self, first: Any, last: Any = None) -> FakeRange:
        self.book.counter.range_calls += 1
        r1, c1 = self._cell(first)
        if isinstance(first, str) and ":" in first and "," not in first:
            c1, r1, c2, r2 = range_boundaries(first.replace("$", ""))
            return FakeRange(self, r1, c1, r2, c2)
        if isinstance(first, str) and "," in first:
            return FakeRange(self, 1, 1, 1, 1)  # union, only used as chart source
        r2, c2 = self._cell(last) if last is not None else (r1, c1)
        return FakeRange(self, r1, c1, r2, c2)

    @staticmethod
    def _cell(ref: Any) -> tuple[int, int]:
        if isinstance(ref, tuple):
            return int(ref[0]), int(ref[1])
        text = str(ref).replace("$", "").split(":")[0].split(",")[0]
        letters = "".join(ch for ch in text if ch.isalpha())
        return int(text[len(letters) :]), column_index_from_string(letters)

    @property
    def used_range(self) -> FakeRange:
        self.book.counter.range_calls += 1
        keys = set(self.cells) | set(self.formulas) or {(1, 1)}
        return FakeRange(self, 1, 1, max(r for r, _ in keys), max(c for _, c in keys))

    def clear(self) -> None:
        self.cells.clear()
        self.colours.clear()
        self.formats.clear()


class FakeName:
    def __init__(
        self, names: FakeNames, name: str, sheet: FakeSheet | None, coord: str, refers_to: str = ""
    ) -> None:
        self._names, self.name, self._sheet, self._coord = names, name, sheet, coord
        self.refers_to = refers_to

    @property
    def refers_to_range(self) -> FakeRange:
        if self._sheet is None:
            raise ValueError("constant name")
        return self._sheet.range(self._coord)

    def delete(self) -> None:
        self._names.remove(self)


class FakeNames(list[FakeName]):
    book: Any = None

    def add(self, name: str, refers_to: str) -> FakeName:
        if len(refers_to) > 255:
            raise ValueError("Excel: a name's formula may have at most 255 characters")
        for old in [n for n in self if n.name == name]:
            self.remove(old)
        target = re.fullmatch(r"='?(.+?)'?!\$?([A-Z]+)\$?(\d+)", refers_to)
        if target and self.book is not None:
            sheet = self.book.sheets[target.group(1)]
            item = FakeName(self, name, sheet, target.group(2) + target.group(3), refers_to)
            self.append(item)
            return item
        item = FakeName(self, name, None, "", refers_to)
        self.append(item)
        return item


class FakeSheets(list[FakeSheet]):
    def __init__(self, book: FakeBook) -> None:
        super().__init__()
        self._book = book

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if isinstance(key, str):
            return next(s for s in self if s.name == key)
        return super().__getitem__(key)

    def add(self, name: str, after: Any = None) -> FakeSheet:
        sheet = FakeSheet(self._book, name)
        self.append(sheet)
        return sheet


class FakeApp:
    def __init__(self) -> None:
        self.status_bar: Any = False
        self.status_history: list[Any] = []
        self.alerts: list[str] = []

    def alert(self, prompt: str, title: str = "", mode: str = "", buttons: str = "ok") -> str:
        self.alerts.append(prompt)
        return "ok"


class FakeBook:
    def __init__(self) -> None:
        self.counter = Counter()
        self.sheets = FakeSheets(self)
        self.names = FakeNames()
        self.names.book = self
        self.app = FakeApp()
        self.fullname = "Mappe1"  # an unsaved book has no folder
        self.locale = "de"

    @classmethod
    def from_bytes(cls, data: bytes) -> FakeBook:
        wb = load_workbook(io.BytesIO(data), keep_vba=True)
        book = cls()
        for ws in wb.worksheets:
            sheet = book.sheets.add(ws.title)
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        sheet.cells[(c.row, c.column)] = c.value
            for tbl in ws.tables.values():
                c1, r1, c2, r2 = range_boundaries(tbl.ref)
                sheet.tables.append(FakeTable(tbl.name, FakeRange(sheet, r1, c1, r2, c2)))
        for name, dn in wb.defined_names.items():
            sheet_name, coord = next(iter(dn.destinations))
            book.names.append(FakeName(book.names, name, book.sheets[sheet_name], coord))
        book.counter.range_calls = 0
        return book

    def grid(self, sheet: str) -> dict[tuple[int, int], Any]:
        return dict(self.sheets[sheet].cells)
