"""Excel's own content grafted onto an input sheet of the bundled workbook, for tests of the
headless write path. The pieces come from real Excel files in ``tests/fixtures/excel-saved``
(Apache POI test data, Apache License 2.0, notice in its README): a threaded comment with
its persons, a picture, a text box, an x14 data bar, an x14 data validation, plus a
sparkline group and a 2009 ribbon (customUI14) in Excel's markup.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

# Copied from shared/fixtures/excel-saved with its README (the Apache-2.0 notice of Apache POI).
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "excel-saved"

X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
EXTENSIONS = (
    f'<extLst><ext uri="{{78C0D931-6437-407d-A8EE-F0AAD7539E65}}" xmlns:x14="{X14}">'
    f'<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="{XM}">'
    '<x14:cfRule type="dataBar" id="{00000000-0000-0000-0000-000000000001}"><x14:dataBar>'
    '<x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/></x14:dataBar></x14:cfRule>'
    "<xm:sqref>H5:H14</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext>"
    f'<ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14}">'
    f'<x14:dataValidations count="1" xmlns:xm="{XM}"><x14:dataValidation type="list" '
    'allowBlank="1" showInputMessage="1" showErrorMessage="1"><x14:formula1>'
    "<xm:f>Parameter!$B$5:$B$6</xm:f></x14:formula1><xm:sqref>K5:K14</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext>"
    f'<ext uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}" xmlns:x14="{X14}">'
    f'<x14:sparklineGroups xmlns:xm="{XM}"><x14:sparklineGroup displayEmptyCellsAs="gap">'
    '<x14:colorSeries rgb="FF376092"/><x14:sparklines><x14:sparkline><xm:f>Gebiete!D5:G5</xm:f>'
    "<xm:sqref>L5</xm:sqref></x14:sparkline></x14:sparklines></x14:sparklineGroup>"
    "</x14:sparklineGroups></ext></extLst>"
)
PERSON_REL = "http://schemas.microsoft.com/office/2017/10/relationships/person"
THREAD_REL = "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment"
UI14_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"

GRAFTED = (
    "xl/threadedComments/threadedComment9.xml",
    "xl/persons/person.xml",
    "xl/drawings/drawing9.xml",
    "xl/drawings/_rels/drawing9.xml.rels",
    "xl/media/image9.png",
    "customUI/customUI14.xml",
)


def _read(name: str, member: str) -> bytes:
    with zipfile.ZipFile(FIXTURES / name) as z:
        return z.read(member)


def _sheet_member(parts: dict[str, bytes], sheet: str) -> str:
    workbook = parts["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet name="{sheet}"[^>]*r:id="([^"]+)"', workbook).group(1)  # type: ignore[union-attr]
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return target.group(1).lstrip("/")  # type: ignore[union-attr]


def _add_rel(parts: dict[str, bytes], member: str, rel_id: str, kind: str, target: str) -> None:
    rel = f'<Relationship Id="{rel_id}" Type="{kind}" Target="{target}"/>'
    parts[member] = parts[member].replace(b"</Relationships>", rel.encode() + b"</Relationships>")


def _override(parts: dict[str, bytes], member: str, content_type: str) -> None:
    node = f'<Override PartName="/{member}" ContentType="{content_type}"/>'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", node.encode() + b"</Types>"
    )


def _drawing() -> tuple[bytes, bytes]:
    """A text box (WithTextBox.xlsx) and a picture (57181.xlsm) in one drawing."""
    text_box = _read("WithTextBox.xlsx", "xl/drawings/drawing1.xml").decode()
    pictures = _read("57181.xlsm", "xl/drawings/drawing1.xml").decode()
    anchor = re.search(r"<xdr:oneCellAnchor>.*?</xdr:oneCellAnchor>", pictures, re.S).group(0)  # type: ignore[union-attr]
    anchor = re.sub(r'r:embed="[^"]+"', 'r:embed="rIdPic"', anchor)
    drawing = text_box.replace("</xdr:wsDr>", anchor + "</xdr:wsDr>")
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdPic" Type="{REL}/image" Target="../media/image9.png"/>'
        "</Relationships>"
    )
    return drawing.encode(), rels.encode()


def graft(source: Path, target: Path, sheet: str = "Gebiete") -> None:
    """``target`` = ``source`` with Excel content on input sheet ``sheet``."""
    with zipfile.ZipFile(source) as z:
        order = z.namelist()
        parts = {n: z.read(n) for n in order}
    member = _sheet_member(parts, sheet)
    rels = member.replace("worksheets/", "worksheets/_rels/") + ".rels"
    thread = _read("64759.xlsx", "xl/threadedComments/threadedComment1.xml")
    parts[GRAFTED[0]] = thread.replace(b'ref="C2"', b'ref="H4"')
    parts[GRAFTED[1]] = _read("64759.xlsx", "xl/persons/person.xml")
    parts[GRAFTED[2]], parts[GRAFTED[3]] = _drawing()
    parts[GRAFTED[4]] = _read("57181.xlsm", "xl/media/image1.png")
    ribbon = parts["customUI/customUI.xml"].replace(
        b"http://schemas.microsoft.com/office/2006/01/customui",
        b"http://schemas.microsoft.com/office/2009/07/customui",
    )
    parts[GRAFTED[5]] = ribbon
    _add_rel(parts, rels, "rIdThread", THREAD_REL, "../threadedComments/threadedComment9.xml")
    _add_rel(parts, rels, "rIdDrawing", f"{REL}/drawing", "../drawings/drawing9.xml")
    _add_rel(parts, "xl/_rels/workbook.xml.rels", "rIdPersons", PERSON_REL, "persons/person.xml")
    _add_rel(parts, "_rels/.rels", "rIdUi14", UI14_REL, "customUI/customUI14.xml")
    _override(parts, GRAFTED[0], "application/vnd.ms-excel.threadedcomments+xml")
    _override(parts, GRAFTED[1], "application/vnd.ms-excel.person+xml")
    _override(parts, GRAFTED[2], "application/vnd.openxmlformats-officedocument.drawing+xml")
    types = parts["[Content_Types].xml"]
    if b'Extension="png"' not in types:
        parts["[Content_Types].xml"] = types.replace(
            b"<Override", b'<Default Extension="png" ContentType="image/png"/><Override', 1
        )
    xml = parts[member]
    xml = xml.replace(
        b"<legacyDrawing",
        b'<drawing r:id="rIdDrawing" xmlns:r="' + REL.encode() + b'"/><legacyDrawing',
        1,
    )
    parts[member] = xml.replace(b"</worksheet>", EXTENSIONS.encode() + b"</worksheet>")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name in order + [n for n in parts if n not in order]:
            z.writestr(name, parts[name])
