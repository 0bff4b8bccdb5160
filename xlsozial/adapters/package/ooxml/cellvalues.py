"""Cell values as openpyxl reads them (ints stay ints, dates by number format), plus the
formula text, without loading the workbook into openpyxl.

A sheet is read in one streaming pass (lxml ``iterparse``) into a grid of plain values; no
element of the sheet stays in memory, so a workbook of 60 cost sheets × 1,000 rows costs a
few seconds and some tens of MB, not a tree per sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from typing import Any

from lxml import etree

from xlsozial.adapters.package.ooxml.opc import cell_ref, col_index, q
from xlsozial.adapters.package.ooxml.sheetxml import IS, C, F, R, V, text_of
from xlsozial.adapters.package.ooxml.styles import EPOCH, StyleSheet, from_serial

_REF = re.compile(r"([A-Za-z]+)(\d+)")


def shared_strings(data: bytes | None) -> list[str]:
    if not data:
        return []
    from xlsozial.adapters.package.ooxml.opc import parse

    return [text_of(si) for si in parse(data).iterchildren(q("si"))]


def number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class Formula:
    """A formula cell: its text ('=SUM(A1:A3)') and the value last stored with it.

    A cell that shares the formula of an earlier cell (Excel stores a filled-down formula
    once) gets its own text, moved as Excel moves it, when the text is first asked for.
    """

    __slots__ = ("_cell", "_origin", "_text", "stored")

    def __init__(
        self, text: str, stored: Any, origin: str | None = None, cell: str | None = None
    ) -> None:
        self._text, self.stored, self._origin, self._cell = text, stored, origin, cell

    @property
    def text(self) -> str:
        if self._origin is not None and self._cell is not None and self._origin != self._cell:
            from openpyxl.formula.translate import Translator  # only for shared formulas

            self._text = Translator(self._text, origin=self._origin).translate_formula(self._cell)
            self._origin = None
        return self._text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formula) and (self.text, self.stored) == (other.text, other.stored)

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"Formula({self.text!r}, {self.stored!r})"


class SheetGrid:
    """The values of one sheet by row and column (formula cells as :class:`Formula`)."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[int, Any]] = {}
        self.max_row = 0

    def get(self, row: int, col: int) -> Any:
        cells = self.rows.get(row)
        return None if cells is None else cells.get(col)

    def formulas(self) -> list[tuple[int, int, Formula]]:
        return [
            (r, c, v)
            for r, cells in self.rows.items()
            for c, v in cells.items()
            if isinstance(v, Formula)
        ]


class Dates:
    """Which cell formats show dates (or durations), and the moment a serial number is."""

    def __init__(self, styles: StyleSheet, epoch: dt.datetime = EPOCH) -> None:
        self.styles, self.epoch = styles, epoch
        self._kinds: dict[str | bytes, int] = {}

    def convert(self, style: str | bytes, value: int | float) -> Any:
        kind = self._kinds.get(style)
        if kind is None:
            index = int(style or 0)
            kind = 2 if self.styles.is_duration(index) else int(self.styles.is_date(index))
            self._kinds[style] = kind
        return value if kind == 0 else from_serial(float(value), self.epoch, kind == 2)


def decode(kind: str, text: str | None, style: str | bytes, dates: Dates, shared: list[str]) -> Any:
    """The value of a cell of type ``kind`` and format ``style`` whose ``<v>`` holds ``text``."""
    if text is None:
        return None
    if kind == "s":
        return shared[int(text)]
    if kind in ("str", "e", "inlineStr"):
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "d":
        return dt.datetime.fromisoformat(text.rstrip("Z"))
    return dates.convert(style, number(text)) if kind == "n" else number(text)


def read_grid(data: bytes, shared: list[str], dates: Dates) -> SheetGrid:
    """All cell values of a worksheet part, in one pass that frees each row once read."""
    grid = SheetGrid()
    groups: dict[str | None, tuple[str, str]] = {}  # shared formula → its text and first cell
    row_number, col = 0, 0
    for _, elem in etree.iterparse(
        BytesIO(data), events=("end",), tag=(C, R), huge_tree=True, resolve_entities=False
    ):
        if elem.tag == R:
            elem.clear()
            while elem.getprevious() is not None:
                del elem.getparent()[0]
            continue
        ref = elem.get("r")
        match = _REF.match(ref) if ref else None
        if match is not None:
            col, number_in_ref = col_index(match.group(1)), int(match.group(2))
        else:
            parent = elem.getparent()
            number_in_ref = int(parent.get("r") or 0) if parent is not None else 0
            col += 1
        if number_in_ref != row_number:
            row_number = number_in_ref
            if match is None:
                col = 1
        kind = elem.get("t", "n")
        text = None
        formula: Formula | None = None
        here = ref or cell_ref(row_number, col)
        seen = False  # the first value counts, as openpyxl reads it
        for child in elem:
            if child.tag in (V, IS) and not seen:
                text, seen = (child.text if child.tag == V else text_of(child)), True
            elif child.tag == F:
                formula = _shared(child.text or "", child.get("t"), child.get("si"), here, groups)
        value = decode(kind, text, elem.get("s", "0"), dates, shared)
        elem.clear()
        if formula is not None:
            formula.stored = value
            value = formula
        elif value is None:
            continue
        grid.rows.setdefault(row_number, {})[col] = value
        grid.max_row = max(grid.max_row, row_number)
    return grid


SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(?:/>|>(.*?)</sheetData>)", re.S)
_SHARED_SI = re.compile(rb'\bsi="(\d+)"')
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _NAMED[name]


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "\r" in text:  # XML turns line ends into \n (a literal \r arrives as &#13;)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ENTITY.sub(_entity, text) if "&" in text else text


def _plain_markup(data: bytes) -> bool:
    """The fast reader handles the markup Excel, LibreOffice and openpyxl write: unprefixed
    elements in the main namespace, double-quoted attributes, no CDATA or comments, and a
    part that is complete (a cut-off part goes to the XML parser, which names the damage)."""
    head = data[:2000]
    return (
        b"<worksheet" in head
        and data.rstrip().endswith(b"</worksheet>")
        and b"<![CDATA[" not in data
        and b"<!--" not in data
        and b"<!DOCTYPE" not in head
    )


# A cell as Excel, LibreOffice, openpyxl and xlsozial write it: address, style, type, an
# optional formula, a value or one plain inline text run. A sheet with cells in any other
# shape goes to the XML parser (:func:`read_grid`).
_SIMPLE = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"(?: s="(\d+)")?(?: t="(\w+)")?\s*'
    rb"(?:/>|>(<f([^>]*?)(?:/>|>([^<]*)</f>))?(?:<v>([^<]*)</v>)?"
    rb"(?:<is><t(?: xml:space=\"preserve\")?>([^<]*)</t></is>)?</c>)"
)


def fast_grid(data: bytes, shared: list[str], dates: Dates) -> SheetGrid | None:
    """The same grid as :func:`read_grid`, by scanning the markup; None when the part uses
    markup this scan does not handle."""
    if not _plain_markup(data):
        return None
    body = _sheet_data(data)
    if not body:
        return SheetGrid()
    cells = _SIMPLE.findall(body)
    if len(cells) != body.count(b"<c ") + body.count(b"<c>") + body.count(b"<c/>"):
        return None
    return _simple_grid(cells, shared, dates)


def _sheet_data(data: bytes) -> bytes | None:
    """The markup inside ``<sheetData>``, as :data:`SHEET_DATA` finds it, by searching for
    the tags (a lazy regex group over megabytes of cells is slow)."""
    start = data.find(b"<sheetData")
    while start >= 0 and data[start + 10 : start + 11].isalnum():  # \b: not <sheetDataX
        start = data.find(b"<sheetData", start + 1)
    if start < 0:
        return None
    tag_end = data.find(b">", start)
    if tag_end < 0 or data[tag_end - 1 : tag_end] == b"/":
        return None
    end = data.find(b"</sheetData>", tag_end)
    return data[tag_end + 1 : end] if end >= 0 else None


def _number(v: bytes) -> int | float:
    """As :func:`number`; int() and float() read the bytes themselves."""
    return float(v) if b"." in v or b"E" in v or b"e" in v else int(v)


def _simple_grid(cells: list[tuple[bytes, ...]], shared: list[str], dates: Dates) -> SheetGrid:
    grid = SheetGrid()
    columns: dict[bytes, int] = {}
    groups: dict[Any, tuple[str, str]] = {}
    rows = grid.rows
    current, row_cells = b"", {}
    for letters, row, style, kind, f_whole, f_attrs, f_body, v, inline in cells:
        if kind == b"inlineStr":
            value: Any = _text(inline) if inline else None
        elif not v:
            value = None
        elif kind == b"s":
            value = shared[int(v)]
        elif kind in (b"", b"n"):
            value = dates.convert(style, _number(v))
        else:
            value = decode(kind.decode(), _text(v), style, dates, shared)
        if f_whole:
            shared_f = b't="shared"' in f_attrs
            si = _SHARED_SI.search(f_attrs) if shared_f else None
            formula = _shared(
                _text(f_body),
                "shared" if shared_f else None,
                si.group(1) if si is not None else b"",
                (letters + row).decode(),
                groups,
            )
            formula.stored = value
            value = formula
        elif value is None:
            continue
        if row != current:
            current, row_cells = row, rows.setdefault(int(row), {})
        col = columns.get(letters)
        if col is None:
            col = columns[letters] = col_index(letters.decode())
        row_cells[col] = value
    grid.max_row = max(rows, default=0)
    return grid


def _shared(
    body: str, kind: str | None, si: Any, here: str, groups: dict[Any, tuple[str, str]]
) -> Formula:
    """The formula of a cell; a shared one takes its group's text from the group's first cell."""
    if kind != "shared":
        return Formula("=" + body, None)
    if body:
        groups.setdefault(si, (body, here))
        return Formula("=" + body, None)
    master, origin = groups.get(si, ("", here))
    return Formula("=" + master, None, origin, here)
