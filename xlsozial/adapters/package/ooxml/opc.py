"""Package plumbing: namespaces, relationships, content types, part paths, cell references."""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from xlsozial.book.adapter import col_letter as col_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
RT = REL_NS + "/"
T_WORKSHEET = RT + "worksheet"
T_TABLE = RT + "table"
T_DRAWING = RT + "drawing"
T_CHART = RT + "chart"
T_STYLES = RT + "styles"
T_SHARED = RT + "sharedStrings"
T_CALC = RT + "calcChain"
T_PIVOT = RT + "pivotTable"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False, huge_tree=True)


def q(tag: str, ns: str = MAIN) -> str:
    return f"{{{ns}}}{tag}"


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, PARSER)


def serialise(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve(source_part: str, target: str) -> str:
    """Zip member name of a relationship target (absolute '/xl/..' or relative)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


class Rels:
    """The relationships of one part, editable."""

    def __init__(self, part: str, data: bytes | None) -> None:
        self.part = part
        self.root = (
            parse(data)
            if data
            else etree.Element(q("Relationships", PKG_REL), nsmap={None: PKG_REL})
        )
        self.dirty = False

    def items(self) -> list[tuple[str, str, str]]:
        """(id, type, member name) of internal relationships."""
        out = []
        for rel in self.root:
            if rel.get("TargetMode") == "External":
                continue
            out.append(
                (rel.get("Id", ""), rel.get("Type", ""), resolve(self.part, rel.get("Target", "")))
            )
        return out

    def targets(self, rel_type: str) -> list[str]:
        return [t for _, kind, t in self.items() if kind == rel_type]

    def target(self, rel_id: str) -> str | None:
        return next((t for i, _, t in self.items() if i == rel_id), None)

    def add(self, rel_type: str, member: str) -> str:
        used = {rel.get("Id") for rel in self.root}
        n = 1
        while f"rId{n}" in used:
            n += 1
        rel = etree.SubElement(self.root, q("Relationship", PKG_REL))
        rel.set("Id", f"rId{n}")
        rel.set("Type", rel_type)
        rel.set("Target", "/" + member)
        self.dirty = True
        return f"rId{n}"

    def drop(self, rel_id: str) -> None:
        for rel in list(self.root):
            if rel.get("Id") == rel_id:
                self.root.remove(rel)
                self.dirty = True


class ContentTypes:
    def __init__(self, data: bytes) -> None:
        self.root = parse(data)
        self.dirty = False

    def override(self, member: str, content_type: str) -> None:
        for node in self.root:
            if node.get("PartName") == "/" + member and node.get("ContentType") == content_type:
                return
        self.remove(member)
        node = etree.SubElement(self.root, q("Override", CT_NS))
        node.set("PartName", "/" + member)
        node.set("ContentType", content_type)
        self.dirty = True

    def remove(self, member: str) -> None:
        """Forget ``member``'s override (a part re-added under the same name keeps its own)."""
        for node in list(self.root):
            if node.get("PartName") == "/" + member:
                self.root.remove(node)
                self.dirty = True


_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)$")


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def split_ref(ref: str) -> tuple[int, int]:
    """'B7' → (row 7, column 2)."""
    match = _CELL.match(ref)
    if match is None:
        raise ValueError(ref)
    return int(match.group(2)), col_index(match.group(1))


def cell_ref(row: int, col: int) -> str:
    return f"{col_letter(col)}{row}"


def range_bounds(ref: str) -> tuple[int, int, int, int]:
    """'A4:H14' → (min_col, min_row, max_col, max_row)."""
    first, _, last = ref.replace("$", "").partition(":")
    r1, c1 = split_ref(first)
    r2, c2 = split_ref(last or first)
    return c1, r1, c2, r2


def free_member(existing: set[str] | list[str], pattern: str) -> str:
    """First 'xl/charts/chart{n}.xml' style member name not taken."""
    taken = set(existing)
    n = 1
    while pattern.format(n=n) in taken:
        n += 1
    return pattern.format(n=n)
