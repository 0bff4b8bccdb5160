"""The workbook as a zip package: is it usable, and did a save keep what it must?"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from xlsozial.domain.errors import BookError, FileProblem

VBA_PART = "xl/vbaProject.bin"
RIBBON_PART = "customUI/customUI.xml"
RIBBON_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def has_part(data: bytes, name: str) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return name in z.namelist()


OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def check_package_bytes(data: bytes, path: Path) -> None:
    """A usable .xlsx/.xlsm package, or a German reason why not (exit code 3)."""
    if data.startswith(OLE_MAGIC):
        raise FileProblem(
            f"Die Mappe „{path.name}“ ist mit einem Kennwort geschützt (verschlüsselt) oder im "
            "alten .xls-Format. Bitte in Excel ohne Kennwort zum Öffnen als .xlsm speichern."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileProblem(f"„{path.name}“ ist keine Excel-Mappe (.xlsm oder .xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            listed = z.namelist()
            names = set(listed)
            bad = z.testzip()
            damage = _damage(z, listed) if bad is None else None
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        bad, names, damage = "?", set(), None
    if bad is not None or "xl/workbook.xml" not in names:
        raise FileProblem(
            f"Die Mappe „{path.name}“ ist beschädigt (unvollständige oder fehlerhafte Teile). "
            "Bitte eine Sicherung verwenden oder in Excel reparieren lassen."
        )
    if damage:
        raise FileProblem(
            f"Die Mappe „{path.name}“ ist beschädigt: {damage}. Es wurde nichts gelesen und "
            "nichts geschrieben; bitte eine Sicherung verwenden oder in Excel reparieren lassen."
        )


_ROOT_START = re.compile(rb"<[A-Za-z_]")  # the first element: no DOCTYPE can follow it


def _declares_doctype(z: zipfile.ZipFile, name: str) -> bool:
    """A document type stands before the root element, after any comments: read the part
    only up to its root (a few bytes for every part Excel writes)."""
    prolog = b""
    with z.open(name) as part:
        while chunk := part.read(65536):
            prolog += chunk
            root = _ROOT_START.search(prolog)
            if root is not None:
                prolog = prolog[: root.start()]
                break
    return b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog


def _damage(z: zipfile.ZipFile, listed: list[str]) -> str | None:
    """What makes a package unusable or hostile beyond its zip structure: a part stored
    twice (which copy counts?), a declared sheet whose part is missing, an XML part with a
    document type (entity expansion)."""
    seen: set[str] = set()
    for name in listed:
        if name in seen:
            return f"der Teil „{name}“ steht zweimal im Paket"
        seen.add(name)
    for name in listed:
        if name.endswith((".xml", ".rels", ".vml")) and _declares_doctype(z, name):
            return f"der Teil „{name}“ enthält eine Dokumenttyp-Deklaration (nicht erlaubt)"
    rels = "xl/_rels/workbook.xml.rels"
    if rels in seen:
        text = z.read(rels).decode("utf-8", "replace")
        for target in re.findall(r'Type="[^"]*/worksheet"[^>]*Target="([^"]+)"', text) + [
            t for t in re.findall(r'Target="([^"]+)"[^>]*Type="[^"]*/worksheet"', text)
        ]:
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if member not in seen:
                return f"das Blatt „{member}“ ist angekündigt, fehlt aber im Paket"
    return None


def verify_package(before: bytes, after: bytes) -> None:
    """A package saved through openpyxl must keep VBA byte-identical and the ribbon wired up.

    No command writes the master through openpyxl any more (see ``package_book``); this
    guards the few callers that still save a whole openpyxl workbook."""
    with zipfile.ZipFile(io.BytesIO(before)) as zb, zipfile.ZipFile(io.BytesIO(after)) as za:
        names_b, names_a = set(zb.namelist()), set(za.namelist())
        if VBA_PART in names_b and (
            VBA_PART not in names_a or zb.read(VBA_PART) != za.read(VBA_PART)
        ):
            raise BookError("Interner Fehler: Makros wären verändert worden; nichts geschrieben.")
        if RIBBON_PART in names_b:
            if RIBBON_PART not in names_a or zb.read(RIBBON_PART) != za.read(RIBBON_PART):
                raise BookError("Interner Fehler: Menüband wäre verloren gegangen.")
            if RIBBON_REL not in za.read("_rels/.rels").decode("utf-8"):
                raise BookError("Interner Fehler: Menüband-Verknüpfung fehlt.")
