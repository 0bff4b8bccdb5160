"""The parts of one workbook package a run may read or change, parsed on first use."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from xlsozial.adapters.package.ooxml.cellvalues import (
    SHEET_DATA,
    Dates,
    SheetGrid,
    fast_grid,
    read_grid,
    shared_strings,
)
from xlsozial.adapters.package.ooxml.opc import (
    T_SHARED,
    T_STYLES,
    T_TABLE,
    ContentTypes,
    Rels,
    parse,
    q,
    range_bounds,
    rels_path,
    serialise,
)
from xlsozial.adapters.package.ooxml.sheetxml import SheetDoc, put
from xlsozial.adapters.package.ooxml.styles import EPOCH, MAC_EPOCH, StyleSheet
from xlsozial.adapters.package.ooxml.workbookxml import SheetEntry, WorkbookDoc
from xlsozial.adapters.package.ooxml.zipparts import Package
from xlsozial.domain.errors import FileProblem

TYPES = "[Content_Types].xml"
GRIDS_KEPT = 6
EMPTY_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b"<sheetData/></worksheet>"
)


@dataclass
class TablePart:
    name: str
    sheet: str
    member: str
    root: etree._Element
    dirty: bool = field(default=False)

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        return range_bounds(self.root.get("ref", "A1"))

    @property
    def header_rows(self) -> int:
        return int(self.root.get("headerRowCount", "1"))

    @property
    def totals_rows(self) -> int:
        return int(self.root.get("totalsRowCount", "0"))

    def set_ref(self, ref: str) -> None:
        self.root.set("ref", ref)
        auto = self.root.find(q("autoFilter"))
        if auto is not None:
            auto.set("ref", ref)
        self.dirty = True


class Parts:
    def __init__(self, data: bytes) -> None:
        self.pkg = Package(data)
        self.book = WorkbookDoc(self.pkg)
        self.types = ContentTypes(self.pkg.get(TYPES))
        self.entries = {e.name: e for e in self.book.sheets()}
        self.docs: dict[str, SheetDoc] = {}
        self.grids: dict[str, SheetGrid] = {}
        self.rels: dict[str, Rels] = {}
        self.dirty: set[str] = set()
        self._styles: StyleSheet | None = None
        self._shared: list[str] | None = None
        self._tables: dict[str, TablePart] | None = None
        self._dates: Dates | None = None

    @property
    def sheetnames(self) -> list[str]:
        return list(self.entries)

    def _part(self, rel_type: str, default: str) -> str:
        return next(iter(self.book.rels.targets(rel_type)), default)

    @property
    def styles(self) -> StyleSheet:
        if self._styles is None:
            member = self._part(T_STYLES, "xl/styles.xml")
            self._styles = StyleSheet(self.pkg.get(member))
        return self._styles

    def sheet(self, name: str, cells: bool = True) -> SheetDoc:
        """The sheet as an editable tree (only for sheets a run writes); ``cells=False`` for
        a sheet whose cells are rewritten whole: its old cells are never parsed."""
        if name not in self.docs:
            data = self.pkg.get(self.entries[name].member)
            if not cells:
                data = SHEET_DATA.sub(b"<sheetData/>", data, count=1)
            self.docs[name] = SheetDoc(data)
        return self.docs[name]

    def grid(self, name: str) -> SheetGrid:
        """The sheet's values; after an edit, read again from the edited tree.

        Only the last few sheets' values stay in memory: a run reads each input table once,
        and a workbook with sixty cost sheets would otherwise hold all of them at its peak.
        """
        grid = self.grids.pop(name, None)
        if grid is None:
            doc = self.docs.get(name)
            data = doc.to_bytes() if doc is not None else self.pkg.get(self.entries[name].member)
            try:
                grid = fast_grid(data, self.shared, self.dates) or read_grid(
                    data, self.shared, self.dates
                )
            except (etree.XMLSyntaxError, ValueError, IndexError, KeyError):
                raise FileProblem(
                    f"Das Blatt „{name}“ der Mappe ist beschädigt und lässt sich nicht lesen. "
                    "Bitte in Excel öffnen (Excel bietet eine Reparatur an) oder eine Sicherung "
                    "verwenden."
                ) from None
        self.grids[name] = grid  # most recently used last
        while len(self.grids) > GRIDS_KEPT:
            del self.grids[next(iter(self.grids))]
        return grid

    def flush(self, name: str) -> None:
        """Store an edited sheet's part now and let its tree go (an output sheet is written
        once per run; keeping all their trees would double a large run's memory)."""
        self._store(name)
        del self.docs[name]
        self.dirty.discard(name)
        self.grids.pop(name, None)

    def _store(self, name: str) -> None:
        doc = self.docs[name]
        doc.update_dimension()
        self.pkg.set(self.entries[name].member, doc.to_bytes())

    def touch(self, name: str) -> None:
        """``name`` was edited: its values are read again when next asked for."""
        self.dirty.add(name)
        self.grids.pop(name, None)

    @property
    def dates(self) -> Dates:
        if self._dates is None:
            self._dates = Dates(self.styles, MAC_EPOCH if self.book.date1904 else EPOCH)
        return self._dates

    @property
    def shared(self) -> list[str]:
        if self._shared is None:
            member = self._part(T_SHARED, "xl/sharedStrings.xml")
            self._shared = shared_strings(self.pkg.get(member) if member in self.pkg else None)
        return self._shared

    def sheet_rels(self, name: str) -> Rels:
        member = self.entries[name].member
        if member not in self.rels:
            path = rels_path(member)
            self.rels[member] = Rels(member, self.pkg.get(path) if path in self.pkg else None)
        return self.rels[member]

    def tables(self) -> dict[str, TablePart]:
        if self._tables is None:
            self._tables = {}
            for entry in self.entries.values():
                if not entry.kind.endswith("/worksheet"):
                    continue
                for member in self.sheet_rels(entry.name).targets(T_TABLE):
                    root = parse(self.pkg.get(member))
                    name = root.get("displayName") or root.get("name", "")
                    self._tables[name] = TablePart(name, entry.name, member, root)
        return self._tables

    def add_sheet(
        self, name: str, state: str = "visible", code_name: str | None = None
    ) -> SheetDoc:
        """A new empty worksheet at the end; ``code_name`` as the VBA project knows it."""
        member = self.book.add_sheet(name, state, self.types)
        self.pkg.set(member, EMPTY_SHEET)
        self.entries[name] = SheetEntry(name, member, self.book.sheets()[-1].kind, state)
        self.touch(name)
        doc = self.sheet(name)
        if code_name:
            put(doc.root, etree.Element(q("sheetPr"), codeName=code_name))
        return doc

    def owned_members(self) -> set[str]:
        """Members that a commit may change: every other one is copied as stored."""
        return set(self.pkg.changed) | self.pkg.removed

    def to_bytes(self) -> bytes:
        for name in self.dirty:  # flushed sheets are already in the package
            self._store(name)
        for member, rels in self.rels.items():
            if rels.dirty:
                self.pkg.set(rels_path(member), serialise(rels.root))
        for table in (self._tables or {}).values():
            if table.dirty:
                self.pkg.set(table.member, serialise(table.root))
        if self._styles is not None and self._styles.dirty:
            self.pkg.set(self._part(T_STYLES, "xl/styles.xml"), serialise(self._styles.root))
        if any(entry.member in self.pkg.changed for entry in self.entries.values()):
            self.book.drop_calc_chain(self.types)
            self.book.full_calc_on_load()
        self.book.save()
        if self.types.dirty:
            self.pkg.set(TYPES, serialise(self.types.root))
        return self.pkg.to_bytes()
