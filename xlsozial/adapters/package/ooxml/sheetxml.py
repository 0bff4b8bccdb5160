"""One worksheet part, parsed with lxml: read cell values, set cells, keep everything else.

Setting a cell touches only that ``<c>`` (and creates its ``<row>`` where missing); text is
written as an inline string, so ``sharedStrings.xml`` is never rewritten.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from lxml import etree

from xlsozial.adapters.package.ooxml.opc import cell_ref, col_index, parse, q, serialise

ORDER = [
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
]
C, R, V, F, IS, T = q("c"), q("row"), q("v"), q("f"), q("is"), q("t")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_REF = re.compile(r"([A-Z]+)(\d+)")


def local(node: etree._Element) -> str:
    return str(etree.QName(node).localname)


def put(root: etree._Element, node: etree._Element) -> etree._Element:
    """Insert or replace a worksheet child in schema order."""
    tag = local(node)
    old = root.find(q(tag))
    if old is not None:
        root.replace(old, node)
        return node
    later = set(ORDER[ORDER.index(tag) + 1 :])
    for i, child in enumerate(root):
        if local(child) in later:
            root.insert(i, node)
            return node
    root.append(node)
    return node


def drop(root: etree._Element, tag: str) -> None:
    for node in root.findall(q(tag)):
        root.remove(node)


def text_of(node: etree._Element | None) -> str:
    """Text of an ``<is>`` or shared-string ``<si>``: plain or rich runs, without phonetics."""
    if node is None:
        return ""
    direct = node.find(T)
    if direct is not None:
        return direct.text or ""
    return "".join(t.text or "" for r in node.findall(q("r")) for t in r.findall(T))


class SheetDoc:
    """A worksheet tree with an index of its rows.

    Only row elements are kept as Python objects: lxml frees a tree in time that grows with
    the square of the element proxies still alive (21,000 cells took 10 s), so cells are
    looked up in their row each time instead of being cached.
    """

    def __init__(self, data: bytes) -> None:
        self.root = parse(data)
        data_el = self.root.find(q("sheetData"))
        if data_el is None:
            data_el = put(self.root, etree.Element(q("sheetData")))
        self.data = data_el
        self._rows: dict[int, etree._Element] | None = None

    # -- index -------------------------------------------------------------------------------
    def rows(self) -> dict[int, etree._Element]:
        if self._rows is None:
            self._rows = {}
            last = 0
            for row in self.data.iterchildren(R):
                number = int(row.get("r") or last + 1)
                row.set("r", str(number))
                self._rows[number] = row
                last = number
        return self._rows

    def cells(self, r: int) -> dict[int, etree._Element]:
        """Cells of row ``r`` by column (missing ``r`` attributes are filled in)."""
        row = self.rows().get(r)
        found: dict[int, etree._Element] = {}
        last = 0
        for c in row.iterchildren(C) if row is not None else ():
            ref = c.get("r")
            col = col_index(_REF.match(ref).group(1)) if ref else last + 1  # type: ignore[union-attr]
            if not ref:
                c.set("r", cell_ref(r, col))
            found[col] = c
            last = col
        return found

    def replace_cells(self, data: etree._Element) -> None:
        """A new ``<sheetData>`` (an output sheet's cells, rewritten whole)."""
        self.data = put(self.root, data)
        self._rows = None

    # -- writing -----------------------------------------------------------------------------
    def row(self, r: int) -> etree._Element:
        rows = self.rows()
        if r in rows:
            return rows[r]
        node = etree.Element(R, r=str(r))
        after = [n for n in rows if n < r]
        if after:
            rows[max(after)].addnext(node)
        else:
            self.data.insert(0, node)
        rows[r] = node
        return node

    def cell(self, r: int, col: int) -> etree._Element:
        cells = self.cells(r)
        if col in cells:
            return cells[col]
        row = self.row(r)
        row.attrib.pop("spans", None)  # a hint for Excel; stale once a cell is added
        node = etree.Element(C, r=cell_ref(r, col))
        before = [n for n in cells if n < col]
        if before:
            cells[max(before)].addnext(node)
        else:
            row.insert(0, node)
        return node

    def set(self, r: int, col: int, value: Any, style: int | None = None) -> etree._Element:
        node = self.cell(r, col)
        formula = node.find(F)
        if formula is not None and formula.get("t") == "shared" and formula.get("ref"):
            self._unshare(node, formula)
        write_value(node, value)
        if style is not None:
            if style:
                node.set("s", str(style))
            else:
                node.attrib.pop("s", None)
        return node

    def set_formula(
        self, r: int, col: int, text: str, stored: Any, style: int | None = None
    ) -> None:
        """A formula with the value it last showed (so the file reads the same before Excel
        or LibreOffice recalculates it)."""
        node = self.set(r, col, stored, style)
        if node.get("t") == "inlineStr":  # a text result is stored as a formula string
            inline = node.find(IS)
            node.remove(inline)
            node.set("t", "str")
            etree.SubElement(node, V).text = text_of(inline)
        formula = etree.Element(F)
        formula.text = text[1:] if text.startswith("=") else text
        node.insert(0, formula)

    def _unshare(self, master: etree._Element, formula: etree._Element) -> None:
        """Overwriting the first cell of a shared formula would leave the other cells of the
        group without their formula: each gets its own, translated as Excel fills down."""
        from openpyxl.formula.translate import Translator  # rare: loaded only when needed

        group, origin = formula.get("si"), master.get("r", "")
        text = "=" + (formula.text or "")
        for other in list(self.root.iter(F)):
            if other is formula or other.get("t") != "shared" or other.get("si") != group:
                continue
            cell = other.getparent()
            translated = Translator(text, origin=origin).translate_formula(cell.get("r", ""))
            for attr in ("t", "si", "ref"):
                other.attrib.pop(attr, None)
            other.text = translated[1:]

    def style_of(self, r: int, col: int) -> int:
        node = self.cells(r).get(col)
        return int(node.get("s", "0")) if node is not None else 0

    def extent(self) -> tuple[int, int]:
        """Last row and column holding a cell (the last cell of a row is its rightmost)."""
        max_row = max_col = 0
        for r, row in self.rows().items():
            last = row[len(row) - 1] if len(row) else None
            if last is not None and last.tag == C:
                max_row = max(max_row, r)
                ref = _REF.match(last.get("r") or "")
                col = col_index(ref.group(1)) if ref else len(row)
                max_col = max(max_col, col)
        return max_row, max_col

    def update_dimension(self) -> None:
        max_row, max_col = self.extent()
        ref = f"A1:{cell_ref(max_row, max_col)}" if max_row and max_col else "A1"
        put(self.root, etree.Element(q("dimension"), ref=ref))

    def to_bytes(self) -> bytes:
        return serialise(self.root)


def protect(root: etree._Element) -> None:
    """Sheet protection on (keeping a password or options the sheet already has)."""
    node = root.find(q("sheetProtection"))
    if node is None:
        node = put(root, etree.Element(q("sheetProtection")))
    node.set("sheet", "1")


def write_value(node: etree._Element, value: Any) -> None:
    """The cell holds ``value`` as a constant (formula, old value and type removed)."""
    for child in list(node):
        if local(child) in ("f", "v", "is"):
            node.remove(child)
    node.attrib.pop("t", None)
    node.attrib.pop("cm", None)
    node.attrib.pop("vm", None)
    if value is None or value == "":  # an empty text is an empty cell, as openpyxl writes it
        return
    if isinstance(value, bool):
        node.set("t", "b")
        etree.SubElement(node, V).text = "1" if value else "0"
    elif isinstance(value, float) and not math.isfinite(value):
        node.set("t", "e")  # no number to show: Excel's own error value, never "nan"
        etree.SubElement(node, V).text = "#NUM!"
    elif isinstance(value, (int, float)):
        etree.SubElement(node, V).text = number_text(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        from xlsozial.adapters.package.ooxml.styles import excel_serial

        etree.SubElement(node, V).text = number_text(excel_serial(value))
    else:
        text = _ILLEGAL.sub("", str(value))
        node.set("t", "inlineStr")
        t = etree.SubElement(etree.SubElement(node, IS), T)
        t.text = text
        if text != text.strip() or "\n" in text:
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def number_text(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text
