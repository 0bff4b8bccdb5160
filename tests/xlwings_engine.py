"""A test engine for xlwings: an in-memory Excel behind xlwings' own public API.

xlwings' public classes (``xlwings.Book``, ``Sheet``, ``Range``, ``Table``, ``Name``,
``Chart`` and the conversion pipeline behind ``Range.value`` and ``options``) delegate to an
engine implementing ``xlwings/base_classes.py``; engines are registered in
``xlwings.engines`` – that is how xlwings' own desktop, remote and reader engines plug in.
This one is registered under the name "excel" (it plays Excel) and holds a workbook loaded
from an .xlsm with openpyxl, so every ribbon command and UDF of xlsozial runs through the
real xlwings code, and only the last step – what Excel itself does – is modelled here.

What Excel does, and the tests rely on:
- ``Range.Value`` over COM returns numbers as floats, a scalar for one cell and a tuple of
  tuples for a block; empty cells come back as "" (xlwings turns them into ``None``);
- a string written into a General cell is parsed as if typed, in the book's locale ("de" or
  "en"): "0815" becomes 815, "1.234,56 €" a number (de), "25.11.2026 10:00:00" a date; an
  apostrophe prefix or the text format "@" keeps text;
- ``Range.Formula`` uses implicit intersection: "=Quoten!A5:A14" becomes "=@Quoten!A5:A14"
  and does not spill; ``Range.Formula2`` keeps the formula as written;
- a defined name's formula is at most 255 characters.

Counters: every ``Sheet.range``/``used_range`` call is counted, so tests can show that the
adapter moves whole tables and blocks instead of single cells.
"""

from __future__ import annotations

import io
import re
import sys
import types
from datetime import date, datetime
from typing import Any

import xlwings
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from xlwings import base_classes

ENGINE_NAME = "excel"
RANGE_FORMULA = re.compile(r"^=[^(]*![$A-Z]+[$0-9]+:[$A-Z]+[$0-9]+$")


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


def _as_excel(value: Any) -> Any:
    """A stored value as COM hands it over: numbers as floats, dates as datetimes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


# -- the workbook model ------------------------------------------------------------------
class MemorySheet:
    def __init__(self, book: MemoryBook, name: str) -> None:
        self.book, self.name = book, name
        self.cells: dict[tuple[int, int], Any] = {}
        self.colours: dict[tuple[int, int], Any] = {}
        self.formats: dict[tuple[int, int], str] = {}
        self.range_calls = 0  # this sheet's share of the book's count
        self.formulas: dict[tuple[int, int], str] = {}
        self.bold: set[tuple[int, int]] = set()
        self.widths: dict[int, float] = {}
        self.heights: dict[int, float] = {}
        self.wrapped: set[tuple[int, int]] = set()
        self.aligned: dict[tuple[int, int], str] = {}  # horizontal alignment
        self.tables: list[TableImpl] = []
        self.charts: list[ChartImpl] = []
        self.protected = False
        self.visible: int = -1
        self.row_breaks: list[int] = []  # rows after which a printed page ends
        self.writes = 0
        self.written: set[tuple[int, int]] = set()  # cells the program wrote
        self.spilled: set[tuple[int, int]] = set()  # cells a dynamic array spills into

    def check_writable(self) -> None:
        if self.protected:
            raise RuntimeError(f"Excel: Blatt „{self.name}“ ist geschützt")

    def set_value(self, key: tuple[int, int], v: Any) -> None:
        self.written.add(key)
        self.formulas.pop(key, None)  # a value replaces a formula
        if v is None or v == "":
            self.cells.pop(key, None)
        elif isinstance(v, str) and v.startswith("'"):
            self.cells[key] = v[1:]
        elif isinstance(v, str) and self.formats.get(key) == "@":
            self.cells[key] = v
        elif isinstance(v, str):
            self.cells[key] = typed(v, self.book.locale)
        else:
            self.cells[key] = v


class MemoryBook:
    """A workbook in memory, loaded from .xlsm bytes."""

    def __init__(self) -> None:
        self.sheets: list[MemorySheet] = []
        self.names: dict[str, NameImpl] = {}
        self.range_calls = 0
        self.fullname = "Mappe1"  # an unsaved book has no folder
        self.locale = "de"
        self.saved = 0
        self.alerts: list[str] = []
        self.status_history: list[Any] = []

    def sheet(self, name: str) -> MemorySheet:
        return next(s for s in self.sheets if s.name == name)

    @classmethod
    def from_bytes(cls, data: bytes) -> MemoryBook:
        wb = load_workbook(io.BytesIO(data), keep_vba=True)
        values = load_workbook(io.BytesIO(data), data_only=True)
        book = cls()
        for ws in wb.worksheets:
            sheet = MemorySheet(book, ws.title)
            book.sheets.append(sheet)
            sheet.protected = bool(ws.protection.sheet)
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f":
                        sheet.formulas[(c.row, c.column)] = str(getattr(c.value, "text", c.value))
                        stored = values[ws.title][c.coordinate].value
                        if stored is not None:
                            sheet.cells[(c.row, c.column)] = stored
                    elif c.value is not None:
                        sheet.cells[(c.row, c.column)] = c.value
                    if c.number_format == "@":
                        sheet.formats[(c.row, c.column)] = "@"
            for tbl in ws.tables.values():
                c1, r1, c2, r2 = range_boundaries(tbl.ref)
                sheet.tables.append(TableImpl(sheet, tbl.name, (r1, c1, r2, c2)))
        for name, dn in wb.defined_names.items():
            book.names[name] = NameImpl(book, name, "=" + str(dn.attr_text))
        return book

    def grid(self, sheet: str) -> dict[tuple[int, int], Any]:
        return dict(self.sheet(sheet).cells)


# -- engine, apps, books -----------------------------------------------------------------
class Engine:
    def __init__(self) -> None:
        self.apps = Apps()

    @property
    def name(self) -> str:
        return ENGINE_NAME

    @property
    def type(self) -> str:
        return "desktop"

    @staticmethod
    def clean_value_data(
        data: Any, datetime_builder: Any, empty_as: Any, number_builder: Any, err_to_str: Any
    ) -> list[list[Any]]:
        def clean(v: Any) -> Any:
            if v in ("", None):
                return empty_as
            if isinstance(v, datetime) and datetime_builder is not datetime:
                return datetime_builder(
                    year=v.year,
                    month=v.month,
                    day=v.day,
                    hour=v.hour,
                    minute=v.minute,
                    second=v.second,
                )
            if number_builder is not None and isinstance(v, float):
                return number_builder(v)
            return v

        return [[clean(v) for v in row] for row in data]

    @staticmethod
    def prepare_xl_data_element(x: Any, options: Any) -> Any:
        import numpy as np

        if isinstance(x, np.number):
            return float(x)
        if x is None:
            return ""
        if isinstance(x, float) and x != x:
            return ""
        return x


class Apps(base_classes.Apps):
    def __init__(self) -> None:
        self._apps: list[App] = []

    def __iter__(self) -> Any:
        return iter(self._apps)

    def __len__(self) -> int:
        return len(self._apps)

    def __getitem__(self, index: int) -> App:
        return self._apps[index]

    def keys(self) -> list[int]:
        return [a.pid for a in self._apps]

    def add(self, **kwargs: Any) -> App:
        app = App(self)
        self._apps.insert(0, app)
        return app


class App(base_classes.App):
    _next_pid = 90_000

    def __init__(self, apps: Apps) -> None:
        self.apps = apps
        App._next_pid += 1
        self._pid = App._next_pid
        self._books = Books(self)
        self.status_bar_text: Any = False

    @property
    def api(self) -> Any:
        """The native Application object, as far as xlsozial reads it."""
        return types.SimpleNamespace(UserName="Frau Meyer (Excel)")

    @property
    def engine(self) -> Engine:
        return ENGINE

    @property
    def books(self) -> Books:
        return self._books

    @property
    def pid(self) -> int:
        return self._pid

    @property
    def visible(self) -> bool:
        return True

    @property
    def version(self) -> str:
        return "16.0"

    @property
    def screen_updating(self) -> bool:
        return True

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None:
        pass

    @property
    def display_alerts(self) -> bool:
        return False

    @display_alerts.setter
    def display_alerts(self, value: bool) -> None:
        pass

    @property
    def status_bar(self) -> Any:
        return self.status_bar_text

    @status_bar.setter
    def status_bar(self, value: Any) -> None:
        self.status_bar_text = value
        for book in self._books:
            book.memory.status_history.append(value)

    def alert(self, prompt: str, title: str, buttons: str, mode: str, callback: Any) -> str:
        for book in self._books:
            book.memory.alerts.append(prompt)
        return "ok"

    def activate(self, steal_focus: bool = False) -> None:
        pass


class Books(base_classes.Books):
    def __init__(self, app: App) -> None:
        self.app = app
        self._books: list[Book] = []

    @property
    def active(self) -> Book:
        return self._books[0]

    def __call__(self, name_or_index: Any) -> Book:
        if isinstance(name_or_index, int):
            return self._books[name_or_index - 1]
        return next(b for b in self._books if b.name == name_or_index)

    def __len__(self) -> int:
        return len(self._books)

    def __iter__(self) -> Any:
        return iter(self._books)

    def open_memory(self, memory: MemoryBook) -> Book:
        book = Book(self, memory)
        self._books.insert(0, book)
        return book


class Book(base_classes.Book):
    def __init__(self, books: Books, memory: MemoryBook) -> None:
        self.books = books
        self.memory = memory

    @property
    def api(self) -> MemoryBook:
        return self.memory

    @property
    def name(self) -> str:
        return self.memory.fullname.replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def fullname(self) -> str:
        return self.memory.fullname

    @property
    def names(self) -> Names:
        return Names(self)

    @property
    def sheets(self) -> Sheets:
        return Sheets(self)

    @property
    def app(self) -> App:
        return self.books.app

    def save(self, path: Any = None, password: Any = None) -> None:
        self.memory.saved += 1

    def activate(self) -> None:
        pass


class Sheets(base_classes.Sheets):
    def __init__(self, book: Book) -> None:
        self.book = book

    @property
    def api(self) -> Any:
        return self.book.memory.sheets

    @property
    def active(self) -> Sheet:
        return Sheet(self.book, self.book.memory.sheets[0])

    def __call__(self, name_or_index: Any) -> Sheet:
        sheets = self.book.memory.sheets
        if isinstance(name_or_index, int):
            return Sheet(self.book, sheets[name_or_index - 1])
        for s in sheets:
            if s.name.lower() == str(name_or_index).lower():
                return Sheet(self.book, s)
        raise KeyError(name_or_index)

    def __len__(self) -> int:
        return len(self.book.memory.sheets)

    def __iter__(self) -> Any:
        for s in list(self.book.memory.sheets):
            yield Sheet(self.book, s)

    def add(self, before: Any = None, after: Any = None, name: str | None = None) -> Sheet:
        memory = self.book.memory
        sheet = MemorySheet(memory, name or f"Tabelle{len(memory.sheets) + 1}")
        if after is not None:
            memory.sheets.insert(memory.sheets.index(after.data) + 1, sheet)
        elif before is not None:
            memory.sheets.insert(memory.sheets.index(before.data), sheet)
        else:
            memory.sheets.insert(0, sheet)  # Excel adds before the active sheet
        return Sheet(self.book, sheet)


class PageBreaks:
    """``Worksheet.HPageBreaks``: ``Add(Before=cell)`` ends a page above that cell."""

    def __init__(self, sheet: MemorySheet) -> None:
        self._sheet = sheet

    def Add(self, Before: Any) -> None:
        self._sheet.row_breaks.append(Before.coords[1] - 1)


class SheetApi:
    """The native sheet object, as far as xlsozial uses it (protection, visibility, page
    breaks)."""

    def __init__(self, sheet: MemorySheet) -> None:
        self._sheet = sheet

    def Protect(self, **kwargs: Any) -> None:
        self._sheet.protected = True
        self._sheet.protect_flags = dict(kwargs)  # what Excel would allow the user

    def Unprotect(self, password: str = "") -> None:
        self._sheet.protected = False

    @property
    def ProtectContents(self) -> bool:
        return self._sheet.protected

    @property
    def HPageBreaks(self) -> PageBreaks:
        return PageBreaks(self._sheet)

    def ResetAllPageBreaks(self) -> None:
        self._sheet.row_breaks.clear()

    @property
    def Visible(self) -> int:
        return self._sheet.visible

    @Visible.setter
    def Visible(self, value: int) -> None:
        self._sheet.visible = value


class Sheet(base_classes.Sheet):
    def __init__(self, book: Book, data: MemorySheet) -> None:
        self._book = book
        self.data = data

    @property
    def api(self) -> SheetApi:
        return SheetApi(self.data)

    @property
    def name(self) -> str:
        return self.data.name

    @property
    def index(self) -> int:
        return self._book.memory.sheets.index(self.data) + 1

    @property
    def book(self) -> Book:
        return self._book

    @property
    def names(self) -> Names:
        return Names(self._book)

    def range(self, arg1: Any, arg2: Any = None) -> Range:
        self.data.book.range_calls += 1
        self.data.range_calls += 1
        return Range.make(self, arg1, arg2)

    @property
    def cells(self) -> Range:
        return Range(self, [(1, 1, 1_048_576, 16_384)])

    @property
    def used_range(self) -> Range:
        self.data.book.range_calls += 1
        self.data.range_calls += 1
        keys = set(self.data.cells) | set(self.data.formulas) or {(1, 1)}
        return Range(self, [(1, 1, max(r for r, _ in keys), max(c for _, c in keys))])

    def clear(self) -> None:
        self.data.check_writable()
        self.data.cells.clear()
        self.data.formulas.clear()
        self.data.colours.clear()
        self.data.formats.clear()
        self.data.bold.clear()

    @property
    def tables(self) -> Tables:
        return Tables(self)

    @property
    def charts(self) -> Charts:
        return Charts(self)

    def activate(self) -> None:
        pass


# -- ranges ------------------------------------------------------------------------------
def _cell(ref: str) -> tuple[int, int]:
    text = ref.replace("$", "")
    letters = "".join(ch for ch in text if ch.isalpha())
    return int(text[len(letters) :]), column_index_from_string(letters)


class Range(base_classes.Range):
    """One or more rectangular areas (r1, c1, r2, c2) of a sheet."""

    def __init__(self, sheet: Sheet, areas: list[tuple[int, int, int, int]]) -> None:
        self.sheet = sheet
        self.areas = areas
        self.options: dict[str, Any] = {}

    @classmethod
    def make(cls, sheet: Sheet, arg1: Any, arg2: Any = None) -> Range:
        if isinstance(arg1, Range):
            a, b = arg1.areas[0], (arg2 or arg1).areas[0]
            return cls(
                sheet, [(min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))]
            )
        if isinstance(arg1, tuple) and len(arg1) == 4:  # (row, column, rows, columns)
            r, c, n, m = (int(x) for x in arg1)
            return cls(sheet, [(r, c, r + n - 1, c + m - 1)])
        if isinstance(arg1, tuple):
            r1, c1 = int(arg1[0]), int(arg1[1])
            r2, c2 = (int(arg2[0]), int(arg2[1])) if arg2 is not None else (r1, c1)
            return cls(sheet, [(min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2))])
        text = str(arg1)
        if not re.fullmatch(r"[$A-Za-z0-9:,]+", text) or not re.search(r"\d", text):
            name = sheet.book.memory.names.get(text)
            if name is None:
                raise ValueError(f"Excel: Bezug „{text}“ ungültig")
            return name.refers_to_range
        areas = []
        for part in text.split(","):
            first, _, last = part.partition(":")
            r1, c1 = _cell(first)
            r2, c2 = _cell(last) if last else (r1, c1)
            areas.append((r1, c1, r2, c2))
        return cls(sheet, areas)

    @property
    def _box(self) -> tuple[int, int, int, int]:
        return self.areas[0]

    @property
    def _memory(self) -> MemorySheet:
        return self.sheet.data

    @property
    def api(self) -> Any:
        return self

    @property
    def coords(self) -> tuple[str, int, int, int, int]:
        r1, c1, r2, c2 = self._box
        return self.sheet.name, r1, c1, r2 - r1 + 1, c2 - c1 + 1

    @property
    def row(self) -> int:
        return self._box[0]

    @property
    def column(self) -> int:
        return self._box[1]

    @property
    def shape(self) -> tuple[int, int]:
        r1, c1, r2, c2 = self._box
        return (r2 - r1 + 1, c2 - c1 + 1)

    def __len__(self) -> int:
        rows, cols = self.shape
        return rows * cols

    @property
    def max_cells_per_read(self) -> None:
        return None

    @property
    def max_cells_per_write(self) -> None:
        return None

    @property
    def has_array(self) -> bool:
        return False

    @property
    def address(self) -> str:
        parts = []
        for r1, c1, r2, c2 in self.areas:
            first = f"${get_column_letter(c1)}${r1}"
            parts.append(
                first if (r1, c1) == (r2, c2) else f"{first}:${get_column_letter(c2)}${r2}"
            )
        return ",".join(parts)

    @property
    def left(self) -> float:
        return float(self.column * 50)

    @property
    def top(self) -> float:
        return float(self.row * 15)

    def __call__(self, arg1: int, arg2: int | None = None) -> Range:
        if arg2 is None:
            cols = self.shape[1]
            arg1, arg2 = (arg1 - 1) // cols + 1, (arg1 - 1) % cols + 1
        r, c = self.row + arg1 - 1, self.column + arg2 - 1
        return Range(self.sheet, [(r, c, r, c)])

    def _grid(self, cell: Any) -> Any:
        r1, c1, r2, c2 = self._box
        grid = tuple(tuple(cell((r, c)) for c in range(c1, c2 + 1)) for r in range(r1, r2 + 1))
        return grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else grid

    @property
    def raw_value(self) -> Any:
        cells = self._memory.cells
        return self._grid(lambda key: _as_excel(cells.get(key)))

    @raw_value.setter
    def raw_value(self, data: Any) -> None:
        memory = self._memory
        memory.check_writable()
        memory.writes += 1
        r1, c1, r2, c2 = self._box
        if not isinstance(data, (list, tuple)):
            for r in range(r1, r2 + 1):  # a scalar fills the whole range
                for c in range(c1, c2 + 1):
                    memory.set_value((r, c), data)
            return
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                memory.set_value((r1 + i, c1 + j), v)

    def clear_contents(self) -> None:
        self.raw_value = None

    @property
    def formula(self) -> Any:
        """Formula text, a constant's value, or "" for a cell an array spills into."""
        memory = self._memory
        return self._grid(
            lambda key: (
                ""
                if key in memory.spilled
                else memory.formulas.get(key, _as_excel(memory.cells.get(key)))
            )
        )

    @formula.setter
    def formula(self, value: Any) -> None:
        """Implicit intersection, as Excel does for Range.Formula: a range never spills."""
        grid = value if isinstance(value, (list, tuple)) else [[value]]
        self.formula2 = [
            [("=@" + v[1:]) if isinstance(v, str) and RANGE_FORMULA.match(v) else v for v in row]
            for row in grid
        ]

    @property
    def formula2(self) -> Any:
        return self.formula

    @formula2.setter
    def formula2(self, value: Any) -> None:
        memory = self._memory
        memory.check_writable()
        memory.writes += 1
        grid = value if isinstance(value, (list, tuple)) else [[value]]
        r1, c1 = self._box[:2]
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                key = (r1 + i, c1 + j)
                memory.written.add(key)
                if isinstance(v, str) and v.startswith("="):
                    memory.formulas[key] = v
                else:
                    memory.set_value(key, v)

    def _each(self) -> Any:
        for r1, c1, r2, c2 in self.areas:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    yield (r, c)

    @property
    def color(self) -> Any:
        return self._memory.colours.get(self._box[:2])

    @color.setter
    def color(self, value: Any) -> None:
        if isinstance(value, str):
            value = tuple(int(value.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
        for key in self._each():
            if value is None:
                self._memory.colours.pop(key, None)
            else:
                self._memory.colours[key] = tuple(value)

    @property
    def number_format(self) -> str:
        return self._memory.formats.get(self._box[:2], "General")

    @number_format.setter
    def number_format(self, value: str) -> None:
        for key in self._each():
            self._memory.formats[key] = value

    @property
    def column_width(self) -> float:
        return self._memory.widths.get(self.column, 8.43)

    @column_width.setter
    def column_width(self, value: float) -> None:
        for c in range(self._box[1], self._box[3] + 1):
            self._memory.widths[c] = value

    @property
    def font(self) -> Font:
        return Font(self)

    @property
    def wrap_text(self) -> bool:
        return self._box[:2] in self._memory.wrapped

    @wrap_text.setter
    def wrap_text(self, value: bool) -> None:
        for key in self._each():
            (self._memory.wrapped.add if value else self._memory.wrapped.discard)(key)

    @property
    def horizontal_alignment(self) -> str | None:
        return self._memory.aligned.get(self._box[:2])

    @horizontal_alignment.setter
    def horizontal_alignment(self, value: str) -> None:
        for key in self._each():
            self._memory.aligned[key] = value

    @property
    def vertical_alignment(self) -> str:
        return "top"

    @vertical_alignment.setter
    def vertical_alignment(self, value: str) -> None:
        pass

    @property
    def row_height(self) -> float:
        return self._memory.heights.get(self.row, 15.0)

    @row_height.setter
    def row_height(self, value: float) -> None:
        for r in range(self._box[0], self._box[2] + 1):
            self._memory.heights[r] = value

    def end(self, direction: str) -> Range:
        raise NotImplementedError("end() is not used by xlsozial")


class Font(base_classes.Font):
    def __init__(self, rng: Range) -> None:
        self.rng = rng

    @property
    def api(self) -> Any:
        return None

    @property
    def bold(self) -> bool:
        return self.rng._box[:2] in self.rng._memory.bold

    @bold.setter
    def bold(self, value: bool) -> None:
        for key in self.rng._each():
            if value:
                self.rng._memory.bold.add(key)
            else:
                self.rng._memory.bold.discard(key)


# -- tables, names, charts ---------------------------------------------------------------
class TableImpl(base_classes.Table):
    def __init__(self, sheet: MemorySheet, name: str, box: tuple[int, int, int, int]) -> None:
        self.sheet_data, self._name, self.box = sheet, name, box

    def bind(self, sheet: Sheet) -> TableImpl:
        self._sheet = sheet
        return self

    @property
    def api(self) -> Any:
        return self

    @property
    def name(self) -> str:
        return self._name

    @property
    def parent(self) -> Sheet:
        return self._sheet

    @property
    def range(self) -> Range:
        return Range(self._sheet, [self.box])

    @property
    def data_body_range(self) -> Range | None:
        r1, c1, r2, c2 = self.box
        return Range(self._sheet, [(r1 + 1, c1, r2, c2)]) if r2 > r1 else None

    def resize(self, rng: Any) -> None:
        self.box = rng.impl.areas[0]


class Tables(base_classes.Tables):
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    @property
    def api(self) -> Any:
        return self.sheet.data.tables

    def __call__(self, name_or_index: Any) -> TableImpl:
        tables = self.sheet.data.tables
        if isinstance(name_or_index, int):
            return tables[name_or_index - 1].bind(self.sheet)
        return next(t for t in tables if t.name == name_or_index).bind(self.sheet)

    def __len__(self) -> int:
        return len(self.sheet.data.tables)

    def __iter__(self) -> Any:
        return (t.bind(self.sheet) for t in self.sheet.data.tables)

    def __contains__(self, key: str) -> bool:
        return any(t.name == key for t in self.sheet.data.tables)


class NameImpl(base_classes.Name):
    def __init__(self, book: MemoryBook, name: str, refers_to: str) -> None:
        self.memory, self._name, self._refers_to = book, name, refers_to

    @property
    def api(self) -> Any:
        return self

    @property
    def name(self) -> str:
        return self._name

    @property
    def refers_to(self) -> str:
        return self._refers_to

    @property
    def refers_to_range(self) -> Range:
        target = re.fullmatch(r"='?(.+?)'?!(\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)", self._refers_to)
        if target is None:
            raise ValueError("Excel: der Name ist kein Bezug")  # COM raises for a constant
        sheet_name = target.group(1).replace("''", "'")
        app_book = next(b for a in ENGINE.apps for b in a.books if b.memory is self.memory)
        sheet = Sheet(app_book, self.memory.sheet(sheet_name))
        return Range.make(sheet, target.group(2))

    def delete(self) -> None:
        self.memory.names.pop(self._name, None)


class Names(base_classes.Names):
    def __init__(self, book: Book) -> None:
        self.book = book

    @property
    def api(self) -> Any:
        return self.book.memory.names

    def snapshot(self) -> list[tuple[str, NameImpl]]:
        return list(self.book.memory.names.items())

    def __call__(self, name_or_index: Any) -> NameImpl:
        names = self.book.memory.names
        if isinstance(name_or_index, int):
            return list(names.values())[name_or_index - 1]
        return names[name_or_index]

    def contains(self, name_or_index: Any) -> bool:
        return name_or_index in self.book.memory.names

    def __len__(self) -> int:
        return len(self.book.memory.names)

    def add(self, name: str, refers_to: str) -> NameImpl:
        if len(refers_to) > 255:
            raise ValueError("Excel: a name's formula may have at most 255 characters")
        item = NameImpl(self.book.memory, name, refers_to)
        self.book.memory.names[name] = item
        return item


class ChartImpl(base_classes.Chart):
    def __init__(self, sheet: MemorySheet) -> None:
        self.sheet_data = sheet
        self.kind = ""
        self.source: str | None = None
        self._name = f"Diagramm {len(sheet.charts) + 1}"

    @property
    def api(self) -> Any:
        raise NotImplementedError("no native chart API in the test engine")

    @property
    def name(self) -> str:
        return self._name

    @property
    def chart_type(self) -> str:
        return self.kind

    @chart_type.setter
    def chart_type(self, value: str) -> None:
        self.kind = value

    def set_source_data(self, rng: Range, plot_by: Any = None) -> None:
        self.source = rng.address

    def delete(self) -> None:
        self.sheet_data.charts.remove(self)


class Charts(base_classes.Charts):
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    def __call__(self, name_or_index: Any) -> ChartImpl:
        return self.sheet.data.charts[name_or_index - 1]

    def __len__(self) -> int:
        return len(self.sheet.data.charts)

    def __iter__(self) -> Any:
        return iter(list(self.sheet.data.charts))

    def __contains__(self, key: str) -> bool:
        return any(c.name == key for c in self.sheet.data.charts)

    def add(self, left: float, top: float, width: float, height: float, **kwargs: Any) -> Any:
        chart = ChartImpl(self.sheet.data)
        self.sheet.data.charts.append(chart)
        return chart


ENGINE = Engine()


def install() -> None:
    """Register the engine in ``xlwings.engines`` and make it the active one."""
    if ENGINE_NAME not in xlwings.engines.engines_by_name:
        xlwings.engines.add(xlwings.main.Engine(impl=ENGINE))
    xlwings.engines[ENGINE_NAME].activate()
    if not ENGINE.apps._apps:
        ENGINE.apps.add()


def open_book(data: bytes, fullname: str | None = None, locale: str = "de") -> xlwings.Book:
    """An xlwings ``Book`` over an in-memory copy of the workbook ``data``."""
    install()
    memory = MemoryBook.from_bytes(data)
    memory.locale = locale
    if fullname is not None:
        memory.fullname = fullname
    impl = ENGINE.apps[0].books.open_memory(memory)
    memory.range_calls = 0
    return xlwings.Book(impl=impl)


def memory(book: xlwings.Book) -> MemoryBook:
    return book.impl.memory  # type: ignore[no-any-return]


def udf_decorators() -> types.ModuleType:
    """xlwings' real UDF decorators (``xlwings.udfs``), importable without Windows.

    ``xlwings.udfs`` imports pywin32 at module level but its decorators only record
    metadata (``__xlfunc__``); the COM parts are stubbed so the metadata is xlwings' own.
    """
    stubs = ("pythoncom", "pywintypes", "win32com", "win32com.client")
    added = [name for name in stubs if name not in sys.modules]
    for name in added:
        sys.modules[name] = types.ModuleType(name)
    sys.modules["pythoncom"].CoInitialize = lambda: None  # type: ignore[attr-defined]
    sys.modules["win32com.client"].Dispatch = object  # type: ignore[attr-defined]
    try:
        import xlwings.udfs
    finally:
        for name in added:
            del sys.modules[name]
    return xlwings.udfs
