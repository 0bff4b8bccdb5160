"""The Vorlage's text as an editable Word document: the clerk pastes it into the council
information system (head, Beratungsfolge, Beschlussvorschlag, Sachverhalt, Finanzielle
Auswirkungen, Anlagen list); the Anlagen themselves are uploaded as PDF files."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from xlsozial.documents.paper import Block, Box, Figure, Heading, Paper, Points, Table, Text


def docx_bytes(paper: Paper) -> bytes:
    doc = Document()
    _german(doc)
    doc.core_properties.title = paper.title
    doc.core_properties.author = paper.authority
    doc.core_properties.language = "de-DE"
    doc.core_properties.subject = paper.running
    doc.add_paragraph(paper.authority)
    doc.add_heading(paper.title, level=1)
    _table(doc, Table(["", ""], [[k, v] for k, v in paper.head]), header=False)
    _table(doc, paper.consultation)
    for box in paper.notices:
        _block(doc, box)
    for section in paper.sections:
        doc.add_heading(section.title, level=2)
        for block in section.blocks:
            _block(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _german(doc: object) -> None:
    """German spelling and hyphenation for every paragraph; a readable default font."""
    normal = doc.styles["Normal"]  # type: ignore[attr-defined]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "de-DE")
    lang.set(qn("w:eastAsia"), "de-DE")
    rpr.append(lang)


def _block(doc: object, block: Block) -> None:
    add = doc.add_paragraph  # type: ignore[attr-defined]
    if isinstance(block, Heading):
        doc.add_heading(block.text, level=min(4, block.level + 1))  # type: ignore[attr-defined]
    elif isinstance(block, Text):
        paragraph = add()
        if block.lead:
            paragraph.add_run(block.lead + " ").bold = True
        paragraph.add_run(block.text)
    elif isinstance(block, Points):
        for item in block.items:
            add(item, style="List Number")
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Box):
        add().add_run(block.title).bold = True
        for line in block.lines:
            add(line, style="List Bullet")
    elif isinstance(block, Figure):
        add(f"Abbildung: {block.caption} (siehe Anlage als PDF).")


def _table(doc: object, table: Table, header: bool = True) -> None:
    rows = ([table.head] if header else []) + table.rows
    grid = doc.add_table(rows=len(rows), cols=len(table.head))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.text = str(value)
            paragraph = cell.paragraphs[0]
            bold = (
                (header and r == 0)
                or (table.total and r == len(rows) - 1)
                or (not header and c == 0)
            )
            for run in paragraph.runs:
                run.bold = bold
                run.font.size = Pt(9)
            if c in table.numeric and (r > 0 or not header):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.note:
        doc.add_paragraph(table.note)  # type: ignore[attr-defined]
