"""Cell values as openpyxl reads them (ints stay ints, dates by number format), plus the
formula text, without loading the workbook into openpyxl."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lxml import etree

from xlsozial.book.ooxml.opc import q
from xlsozial.book.ooxml.sheetxml import IS, F, V, text_of
from xlsozial.book.ooxml.styles import StyleSheet, from_serial


def shared_strings(data: bytes | None) -> list[str]:
    if not data:
        return []
    from xlsozial.book.ooxml.opc import parse

    return [text_of(si) for si in parse(data).iterchildren(q("si"))]


def number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


class SheetValues:
    """Decodes the cells of one sheet; remembers shared formulas' text by group."""

    def __init__(self, shared: list[str], styles: StyleSheet) -> None:
        self.shared = shared
        self.styles = styles
        self.groups: dict[str, str] = {}

    def formula(self, node: etree._Element) -> str | None:
        f = node.find(F)
        if f is None:
            return None
        text = f.text or ""
        if f.get("t") == "shared":
            si = f.get("si", "")
            if text:
                self.groups.setdefault(si, text)
            else:
                text = self.groups.get(si, "")
        return "=" + text

    def value(self, node: etree._Element) -> Any:
        """The stored value (for a formula cell: its last result)."""
        kind = node.get("t", "n")
        if kind == "inlineStr":
            inline = node.find(IS)
            return None if inline is None else text_of(inline)
        v = node.find(V)
        if v is None or v.text is None:
            return None
        text = v.text
        if kind == "s":
            return self.shared[int(text)]
        if kind in ("str", "e"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            return dt.datetime.fromisoformat(text.rstrip("Z"))
        result = number(text)
        if self.styles.is_date(int(node.get("s", "0"))):
            return from_serial(float(result))
        return result
