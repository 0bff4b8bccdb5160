"""``xl/workbook.xml`` and its relationships: sheets, defined names, calculation settings."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from xlsozial.adapters.package.ooxml.opc import (
    CT_WORKSHEET,
    REL_NS,
    T_CALC,
    T_WORKSHEET,
    ContentTypes,
    Rels,
    free_member,
    parse,
    q,
    rels_path,
    serialise,
)
from xlsozial.adapters.package.ooxml.zipparts import Package

WORKBOOK = "xl/workbook.xml"
RID = q("id", REL_NS)


@dataclass(frozen=True)
class SheetEntry:
    name: str
    member: str
    kind: str  # relationship type
    state: str


def split_destination(text: str) -> tuple[str, str] | None:
    """ "'Start'!$B$15" → ("Start", "B15") for a single-area reference, else None."""
    sheet, bang, coord = text.strip().rpartition("!")
    if not bang or "," in coord or "(" in text:
        return None
    if sheet.startswith("'") and sheet.endswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, coord.replace("$", "").split(":")[0]


class WorkbookDoc:
    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.root = parse(pkg.get(WORKBOOK))
        self.rels = Rels(WORKBOOK, pkg.get(rels_path(WORKBOOK)))
        self.dirty = False

    @property
    def date1904(self) -> bool:
        """Dates count from 1904 (old Mac workbooks) instead of 1900."""
        pr = self.root.find(q("workbookPr"))
        return pr is not None and pr.get("date1904", "0") in ("1", "true")

    def sheets(self) -> list[SheetEntry]:
        rels = {i: (kind, member) for i, kind, member in self.rels.items()}
        out = []
        for node in self.root.iter(q("sheet")):
            kind, member = rels.get(node.get(RID, ""), ("", ""))
            out.append(SheetEntry(node.get("name", ""), member, kind, node.get("state", "visible")))
        return out

    def defined(self, name: str) -> str | None:
        """Text of a workbook-level defined name."""
        for node in self.root.iter(q("definedName")):
            if node.get("name") == name and node.get("localSheetId") is None:
                return node.text or ""
        return None

    def _names(self) -> etree._Element:
        names = self.root.find(q("definedNames"))
        if names is None:
            names = etree.Element(q("definedNames"))
            sheets = self.root.find(q("sheets"))
            sheets.addnext(names)
        return names

    def set_defined(self, name: str, text: str | None, local_id: int | None = None) -> None:
        names = self._names()
        for node in list(names):
            same_scope = node.get("localSheetId") == (None if local_id is None else str(local_id))
            if node.get("name") == name and same_scope:
                if text is None:
                    names.remove(node)
                    self.dirty = True
                elif node.text != text:
                    node.text = text
                    self.dirty = True
                return
        if text is not None:
            node = etree.SubElement(names, q("definedName"), name=name)
            if local_id is not None:
                node.set("localSheetId", str(local_id))
            node.text = text
            self.dirty = True
        if len(names) == 0:
            self.root.remove(names)

    def add_sheet(self, name: str, state: str, types: ContentTypes) -> str:
        """A new worksheet at the end of the book; returns its member name."""
        member = free_member(self.pkg.names, "xl/worksheets/sheet{n}.xml")
        rel_id = self.rels.add(T_WORKSHEET, member)
        sheets = self.root.find(q("sheets"))
        ids = [int(n.get("sheetId", "0")) for n in sheets]
        node = etree.SubElement(sheets, q("sheet"), name=name, sheetId=str(max(ids, default=0) + 1))
        if state != "visible":
            node.set("state", state)
        node.set(RID, rel_id)
        types.override(member, CT_WORKSHEET)
        self.dirty = True
        return member

    def drop_calc_chain(self, types: ContentTypes) -> None:
        """Excel rebuilds the calculation chain; a stale one makes it repair the file."""
        for rel_id, kind, member in self.rels.items():
            if kind == T_CALC:
                self.rels.drop(rel_id)
                self.pkg.remove(member)
                types.remove(member)

    def full_calc_on_load(self) -> None:
        calc = self.root.find(q("calcPr"))
        if calc is None:
            calc = etree.Element(q("calcPr"), calcId="191029")
            later = {
                "oleSize",
                "customWorkbookViews",
                "pivotCaches",
                "smartTagPr",
                "smartTagTypes",
                "webPublishing",
                "fileRecoveryPr",
                "webPublishObjects",
                "extLst",
            }
            for child in self.root:
                if etree.QName(child).localname in later:
                    child.addprevious(calc)
                    break
            else:
                self.root.append(calc)
        if calc.get("fullCalcOnLoad") != "1":
            calc.set("fullCalcOnLoad", "1")
            self.dirty = True

    def save(self) -> None:
        if self.dirty:
            self.pkg.set(WORKBOOK, serialise(self.root))
        if self.rels.dirty:
            self.pkg.set(rels_path(WORKBOOK), serialise(self.rels.root))
