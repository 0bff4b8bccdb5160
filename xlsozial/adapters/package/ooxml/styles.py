"""``xl/styles.xml``: styles found by meaning or appended, never renumbered.

A workbook saved by Excel keeps every existing index valid (cells of input sheets point into
``cellXfs``); xlsozial only appends the fonts, fills, number formats and cell formats its
output needs, and reuses one that already means the same.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from xlsozial.adapters.package.ooxml.opc import q

BUILTIN = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
    "0.00E+00": 11,
    "# ?/?": 12,
    "# ??/??": 13,
    "mm-dd-yy": 14,
    "d-mmm-yy": 15,
    "d-mmm": 16,
    "mmm-yy": 17,
    "h:mm AM/PM": 18,
    "h:mm:ss AM/PM": 19,
    "h:mm": 20,
    "h:mm:ss": 21,
    "m/d/yy h:mm": 22,
    "#,##0_);(#,##0)": 37,
    "#,##0_);[Red](#,##0)": 38,
    "#,##0.00_);(#,##0.00)": 39,
    "#,##0.00_);[Red](#,##0.00)": 40,
    "mm:ss": 45,
    "[h]:mm:ss": 46,
    "mmss.0": 47,
    "##0.0E+0": 48,
    "@": 49,
}
BUILTIN_DATES = set(range(14, 23)) | {45, 46, 47}
# openpyxl's rules (styles/numbers.py), so both readers see the same dates
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_DURATION = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?")


def is_date_code(code: str) -> bool:
    """A format with day/month/year/hour/second parts outside quotes and brackets."""
    return _DATE_PART.search(_STRIP.sub("", code.split(";")[0])) is not None


def is_duration_code(code: str) -> bool:
    """Elapsed time ([h]:mm:ss): read as a duration, not as a moment."""
    return _DURATION.search(code.split(";")[0]) is not None


@dataclass(frozen=True)
class CellStyle:
    """What the writer asks for; ``None`` means the workbook default."""

    number_format: str = "General"
    font: tuple[tuple[str, str], ...] = ()  # (child tag, value) in openpyxl's order
    fill: str | None = None  # solid fill RGB
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False


def font(
    name: str = "Calibri", bold: bool = False, italic: bool = False, size: float | None = None
) -> tuple[tuple[str, str], ...]:
    """A font's children in the order Excel writes them (b, i, sz, name), which the Open XML
    SDK's schema checks; meaning is compared order-free."""
    parts = []
    if bold:
        parts.append(("b", "1"))
    if italic:
        parts.append(("i", "1"))
    if size is not None:
        parts.append(("sz", f"{size:g}"))
    parts.append(("name", name))
    return tuple(parts)


def _argb(rgb: str) -> str:
    return ("00" + rgb if len(rgb) == 6 else rgb).upper()


def _font_key(node: etree._Element) -> tuple[tuple[str, str], ...]:
    parts = []
    for child in node:
        tag = etree.QName(child).localname
        if tag in ("b", "i", "strike", "outline", "shadow", "condense", "extend"):
            if child.get("val", "1") in ("0", "false"):
                continue
            parts.append((tag, "1"))
        elif tag == "color":
            parts.append((tag, ";".join(f"{k}={v}" for k, v in sorted(child.attrib.items()))))
        else:
            parts.append((tag, child.get("val", "")))
    return tuple(sorted(parts))


def _fill_key(node: etree._Element) -> tuple[str, str] | None:
    pattern = node.find(q("patternFill"))
    if pattern is None or len(node) != 1 or pattern.get("patternType") != "solid":
        return None
    fg = pattern.find(q("fgColor"))
    others = [c for c in pattern if c is not fg]
    if fg is None or others or set(fg.attrib) != {"rgb"}:
        return None
    return ("solid", fg.get("rgb", "").upper())


class StyleSheet:
    """Find or append cell formats (``cellXfs``) in a parsed ``styles.xml``."""

    def __init__(self, data: bytes) -> None:
        from xlsozial.adapters.package.ooxml.opc import parse

        self.root = parse(data)
        self.dirty = False
        self._section("cellXfs")
        self._xf_cache: dict[CellStyle, int] = {}
        self.xfs = list(self.root.find(q("cellXfs")))
        fmts = self.root.find(q("numFmts"))
        self.formats = {
            int(n.get("numFmtId", "0")): n.get("formatCode", "")
            for n in (fmts if fmts is not None else [])
        }

    def _section(self, tag: str) -> etree._Element:
        node = self.root.find(q(tag))
        if node is not None:
            return node
        order = [
            "numFmts",
            "fonts",
            "fills",
            "borders",
            "cellStyleXfs",
            "cellXfs",
            "cellStyles",
            "dxfs",
            "tableStyles",
            "colors",
            "extLst",
        ]
        node = etree.Element(q(tag))
        later = order[order.index(tag) + 1 :]
        for i, child in enumerate(self.root):
            if etree.QName(child).localname in later:
                self.root.insert(i, node)
                break
        else:
            self.root.append(node)
        return node

    def _append(self, section: str, node: etree._Element) -> int:
        parent = self._section(section)
        parent.append(node)
        parent.set("count", str(len(parent)))
        self.dirty = True
        return len(parent) - 1

    # -- reading ---------------------------------------------------------------------------
    def number_format(self, xf_index: int) -> str:
        if not 0 <= xf_index < len(self.xfs):
            return "General"
        fmt_id = int(self.xfs[xf_index].get("numFmtId", "0"))
        if fmt_id in self.formats:
            return str(self.formats[fmt_id])
        return next((code for code, i in BUILTIN.items() if i == fmt_id), "General")

    def is_date(self, xf_index: int) -> bool:
        if not 0 <= xf_index < len(self.xfs):
            return False
        fmt_id = int(self.xfs[xf_index].get("numFmtId", "0"))
        return fmt_id in BUILTIN_DATES or (
            fmt_id in self.formats and is_date_code(self.formats[fmt_id])
        )

    def is_duration(self, xf_index: int) -> bool:
        return self.is_date(xf_index) and is_duration_code(self.number_format(xf_index))

    # -- writing ---------------------------------------------------------------------------
    def _format_id(self, code: str) -> int:
        for fmt_id, existing in self.formats.items():
            if existing == code:
                return fmt_id
        if code in BUILTIN:
            return BUILTIN[code]
        fmt_id = max([163, *self.formats]) + 1
        node = etree.Element(q("numFmt"), numFmtId=str(fmt_id), formatCode=code)
        self._append("numFmts", node)
        self.formats[fmt_id] = code
        return fmt_id

    def _font_id(self, spec: tuple[tuple[str, str], ...]) -> int:
        if not spec:
            return 0
        fonts = self._section("fonts")
        wanted = tuple(sorted(spec))
        for i, node in enumerate(fonts):
            if _font_key(node) == wanted:
                return i
        node = etree.Element(q("font"))
        for tag, value in spec:
            etree.SubElement(node, q(tag), val=value)
        return self._append("fonts", node)

    def _fill_id(self, rgb: str | None) -> int:
        if rgb is None:
            return 0
        fills = self._section("fills")
        wanted = ("solid", _argb(rgb))
        for i, node in enumerate(fills):
            if _fill_key(node) == wanted:
                return i
        node = etree.Element(q("fill"))
        pattern = etree.SubElement(node, q("patternFill"), patternType="solid")
        etree.SubElement(pattern, q("fgColor"), rgb=_argb(rgb))
        return self._append("fills", node)

    def xf(self, style: CellStyle) -> int:
        """Index of a cell format meaning ``style`` (appended when none does)."""
        if style in self._xf_cache:
            return self._xf_cache[style]
        attrs = {
            "numFmtId": str(self._format_id(style.number_format)),
            "fontId": str(self._font_id(style.font)),
            "fillId": str(self._fill_id(style.fill)),
            "borderId": "0",
        }
        align = {
            k: v for k, v in (("horizontal", style.horizontal), ("vertical", style.vertical)) if v
        }
        if style.wrap:
            align["wrapText"] = "1"
        index = self._find_xf(attrs, align)
        if index is None:
            node = etree.Element(q("xf"), **attrs, xfId="0")
            if attrs["numFmtId"] != "0":
                node.set("applyNumberFormat", "1")
            if attrs["fontId"] != "0":
                node.set("applyFont", "1")
            if attrs["fillId"] != "0":
                node.set("applyFill", "1")
            if align:
                node.set("applyAlignment", "1")
                etree.SubElement(node, q("alignment"), **align)
            index = self._append("cellXfs", node)
            self.xfs.append(node)
        self._xf_cache[style] = index
        return index

    def _find_xf(self, attrs: dict[str, str], align: dict[str, str]) -> int | None:
        for i, node in enumerate(self.xfs):
            if any(node.get(k, "0") != v for k, v in attrs.items()):
                continue
            if node.get("xfId", "0") != "0" or node.get("quotePrefix", "0") not in ("0", "false"):
                continue
            if node.get("pivotButton", "0") not in ("0", "false"):
                continue
            extra = [c for c in node if etree.QName(c).localname != "alignment"]
            found = node.find(q("alignment"))
            have = dict(found.attrib) if found is not None else {}
            have = {k: v for k, v in have.items() if not (k == "wrapText" and v in ("0", "false"))}
            if have == align and not extra:
                return i
        return None

    def quoted(self, xf_index: int) -> int:
        """The same format with Excel's quote prefix: typed text that looks like a formula.

        Found by the whole format, so the quoted twin is appended once per format, not once
        per cell (Excel leaves ``quotePrefix`` out where openpyxl writes "0")."""
        if 0 <= xf_index < len(self.xfs):
            base = self.xfs[xf_index]
        else:
            base = etree.Element(q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0")
            base.set("xfId", "0")
        if base.get("quotePrefix") in ("1", "true"):
            return xf_index
        wanted = copy.deepcopy(base)
        wanted.set("quotePrefix", "1")
        key = _xf_key(wanted)
        for i, node in enumerate(self.xfs):
            if node.get("quotePrefix") in ("1", "true") and _xf_key(node) == key:
                return i
        index = self._append("cellXfs", wanted)
        self.xfs.append(wanted)
        return index


def _xf_key(node: etree._Element) -> tuple[Any, ...]:
    """A cell format by meaning: its attributes and its children's (serialised text would
    differ by namespace declarations alone)."""
    attrs = {k: v for k, v in node.attrib.items() if k != "quotePrefix"}
    attrs["quotePrefix"] = "1" if node.get("quotePrefix") in ("1", "true") else "0"
    children = tuple((c.tag, tuple(sorted(c.attrib.items()))) for c in node)
    return (tuple(sorted(attrs.items())), children)


EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)  # workbooks with date1904="1"


def excel_serial(value: dt.date | dt.datetime) -> float:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value - EPOCH
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6


def from_serial(
    serial: float, epoch: dt.datetime = EPOCH, duration: bool = False
) -> dt.datetime | dt.time | dt.timedelta:
    """A date cell's value as openpyxl reads it: a moment, a time of day below one day, or
    for [h]:mm formats a duration; milliseconds as Excel stores them."""
    if duration:
        span = dt.timedelta(days=serial)
        if span.microseconds:
            span = dt.timedelta(
                seconds=span.total_seconds() // 1, microseconds=round(span.microseconds, -3)
            )
        return span
    day, fraction = divmod(serial, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= serial < 1 and diff.days == 0:
        return (dt.datetime.min + diff).time()
    if 0 < serial < 60 and epoch == EPOCH:
        day += 1  # Excel's phantom 29 February 1900
    return epoch + dt.timedelta(days=day) + diff
