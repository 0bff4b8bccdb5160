"""A macro-free copy of a workbook package: the VBA project and the ribbon go, the rest stays.

Used for a frozen .xlsx for people without Python and for the archive of a closed year:
Excel refuses a .xlsx that still holds ``vbaProject.bin``, and a ribbon whose buttons call
macros that are gone would only confuse.
"""

from __future__ import annotations

from xlsozial.adapters.package.ooxml.opc import CT_NS, Rels, q, rels_path, serialise
from xlsozial.adapters.package.ooxml.parts import TYPES, Parts

VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
RIBBON_RELS = (
    "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
    "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
)
VBA_TYPE = "application/vnd.ms-office.vbaProject"
PLAIN_BOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PRINTER = "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"


def _drop_part(parts: Parts, member: str) -> None:
    """A part, the parts only it points to, and their content types."""
    rels = rels_path(member)
    if rels in parts.pkg:
        for _, _, target in Rels(member, parts.pkg.get(rels)).items():
            if target in parts.pkg:
                _drop_part(parts, target)
        parts.pkg.remove(rels)
    parts.pkg.remove(member)
    parts.types.remove(member)


def drop_macros(parts: Parts) -> None:
    for rel_id, kind, member in parts.book.rels.items():
        if kind == VBA_REL:
            parts.book.rels.drop(rel_id)
            _drop_part(parts, member)
    root_rels = Rels("", parts.pkg.get("_rels/.rels"))
    for rel_id, kind, member in root_rels.items():
        if kind in RIBBON_RELS:
            root_rels.drop(rel_id)
            _drop_part(parts, member.lstrip("/"))
    if root_rels.dirty:
        parts.pkg.set("_rels/.rels", serialise(root_rels.root))
    types = parts.types.root
    for node in list(types):
        if node.get("PartName") == "/xl/workbook.xml":
            node.set("ContentType", PLAIN_BOOK)
        if node.tag == q("Default", CT_NS) and node.get("ContentType") == VBA_TYPE:
            types.remove(node)
            for member in parts.pkg.names:  # printer settings relied on the same default
                if member.endswith(".bin") and not _has_override(parts, member):
                    parts.types.override(member, PRINTER)
    parts.types.dirty = True
    parts.pkg.set(TYPES, serialise(types))


def _has_override(parts: Parts, member: str) -> bool:
    return any(n.get("PartName") == "/" + member for n in parts.types.root)
