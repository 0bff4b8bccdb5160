"""Cell values as openpyxl reads them (ints stay ints, dates by number format), plus the
formula text, without loading the workbook into openpyxl.

A sheet is read in one streaming pass (lxml ``iterparse``) into a grid of plain values; no
element of the sheet stays in memory, so a workbook of 60 cost sheets × 1,000 rows costs a
few seconds and some tens of MB, not a tree per sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from lxml import etree

from xlsozial.book.ooxml.opc import col_index, q
from xlsozial.book.ooxml.sheetxml import IS, C, F, R, V, text_of
from xlsozial.book.ooxml.styles import EPOCH, StyleSheet, from_serial

_REF = re.compile(r"([A-Za-z]+)(\d+)")


def shared_strings(data: bytes | None) -> list[str]:
    if not data:
        return []
    from xlsozial.book.ooxml.opc import parse

    return [text_of(si) for si in parse(data).iterchildren(q("si"))]


def number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


@dataclass(frozen=True)
class Formula:
    """A formula cell: its text ('=SUM(A1:A3)') and the value last stored with it."""

    text: str
    stored: Any


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
    groups: dict[str | None, str] = {}  # shared formulas: the group's text sits on its first cell
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
        text = formula = None
        for child in elem:
            if child.tag == V:
                text = child.text
            elif child.tag == IS:
                text = text_of(child)
            elif child.tag == F:
                body = child.text or ""
                if child.get("t") == "shared":
                    si = child.get("si")
                    if body:
                        groups.setdefault(si, body)
                    else:
                        body = groups.get(si, "")
                formula = "=" + body
        value = decode(kind, text, elem.get("s", "0"), dates, shared)
        elem.clear()
        if formula is not None:
            value = Formula(formula, value)
        elif value is None:
            continue
        grid.rows.setdefault(row_number, {})[col] = value
        grid.max_row = max(grid.max_row, row_number)
    return grid


_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(?:/>|>(.*?)</sheetData>)", re.S)
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(rb'\b(r|t|s)="([^"]*)"')
_VALUE = re.compile(rb"<v(?:\s[^>]*)?>(.*?)</v>", re.S)
_FORMULA = re.compile(rb"<f\b([^>]*?)(?:/>|>(.*?)</f>)", re.S)
_SHARED_SI = re.compile(rb'\bsi="(\d+)"')
_INLINE = re.compile(rb"<is>(.*?)</is>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_TEXT = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_CELL_REF = re.compile(rb"([A-Z]+)(\d+)$")
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
    elements in the main namespace, double-quoted attributes, no CDATA or comments."""
    head = data[:2000]
    return (
        b"<worksheet" in head
        and b"<![CDATA[" not in data
        and b"<!--" not in data
        and b"<!DOCTYPE" not in head
    )


# A cell as Excel, LibreOffice, openpyxl and xlsozial write it: address, style, type, an
# optional formula, a value or one plain inline text run. Cells in any other shape make the
# sheet go through the general scan below.
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
    found = _SHEET_DATA.search(data)
    grid = SheetGrid()
    if found is None or found.group(1) is None:
        return grid
    body = found.group(1)
    cells = _SIMPLE.findall(body)
    if len(cells) == body.count(b"<c ") + body.count(b"<c>") + body.count(b"<c/>"):
        return _simple_grid(cells, shared, dates)
    groups: dict[bytes, str] = {}
    for cell in _CELL.finditer(found.group(1)):
        attrs = dict(_ATTR.findall(cell.group(1)))
        ref = _CELL_REF.match(attrs.get(b"r", b""))
        if ref is None:
            return None  # cells without their address: let the tree reader count them
        row, col = int(ref.group(2)), col_index(ref.group(1).decode())
        kind = attrs.get(b"t", b"n").decode()
        inner = cell.group(2) or b""
        text: str | None = None
        formula: str | None = None
        if inner:
            if kind == "inlineStr":
                inline = _INLINE.search(inner)
                if inline is not None:
                    body = _PHONETIC.sub(b"", inline.group(1))
                    text = "".join(_text(t) for t in _TEXT.findall(body))
            else:
                value = _VALUE.search(inner)
                text = _text(value.group(1)) if value is not None else None
            if b"<f" in inner:
                formula = _formula(inner, groups)
        value = decode(kind, text, attrs.get(b"s", b"0"), dates, shared)
        if formula is not None:
            grid.rows.setdefault(row, {})[col] = Formula(formula, value)
        elif value is not None:
            grid.rows.setdefault(row, {})[col] = value
        else:
            continue
        if row > grid.max_row:
            grid.max_row = row
    return grid


def _simple_grid(cells: list[tuple[bytes, ...]], shared: list[str], dates: Dates) -> SheetGrid:
    grid = SheetGrid()
    columns: dict[bytes, int] = {}
    groups: dict[bytes, str] = {}
    rows = grid.rows
    current, row_cells = b"", {}
    for letters, row, style, kind, f_whole, _f_attrs, _f_body, v, inline in cells:
        if kind == b"inlineStr":
            value: Any = _text(inline) if inline else None
        elif not v:
            value = None
        elif kind == b"s":
            value = shared[int(v)]
        elif kind in (b"", b"n"):
            value = dates.convert(style, number(v.decode()))
        else:
            value = decode(kind.decode(), _text(v), style, dates, shared)
        if f_whole:
            value = Formula(_formula(f_whole, groups) or "=", value)
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


def _formula(inner: bytes, groups: dict[bytes, str]) -> str | None:
    match = _FORMULA.search(inner)
    if match is None:
        return None
    body = _text(match.group(2)) if match.group(2) is not None else ""
    attrs = match.group(1)
    if b't="shared"' in attrs:
        si = _SHARED_SI.search(attrs)
        key = si.group(1) if si is not None else b""
        if body:
            groups.setdefault(key, body)
        else:
            body = groups.get(key, "")
    return "=" + body
