"""Writing the Vorlage: one PDF with every Anlage (PDF/A-3a, tagged, identified as PDF/UA-1),
each Anlage as its own PDF, and the text as a Word document – built first, then each file
replaced atomically, so a failure leaves no half of the set."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from xlsozial.documents.paper import Paper
from xlsozial.documents.render_html import document
from xlsozial.domain.models import Inputs
from xlsozial.domain.results import Results

OFFICE_CSS = "Vorlage.css"  # next to the workbook: the office's letterhead and colours


def pdf_bytes(html: str) -> bytes:
    import weasyprint

    return _finish(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-3a"))


def _finish(raw: bytes) -> bytes:
    """PDF/A-3a (archivable, tagged, fonts embedded, /Lang) from WeasyPrint; the XMP also
    names PDF/UA-1, whose requirements the tagged variant meets (structure tree, alt texts,
    reading order, document title shown, bookmarks)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(raw)) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["pdfuaid:part"] = "1"
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def office_css(workbook: Path | None) -> str:
    if workbook is None:
        return ""
    path = workbook.with_name(OFFICE_CSS)
    try:
        return path.read_text(encoding="utf-8") if path.is_file() else ""
    except OSError:
        return ""


def build_files(paper: Paper, target: Path, extra_css: str = "") -> dict[Path, bytes]:
    """Every file of the Vorlage, by path: the PDF, the Word text and one PDF per Anlage
    (laid out on its own, so its pages count „Seite 1 von n“ and its head names the
    Vorlage it belongs to)."""
    from xlsozial.documents.render_docx import docx_bytes

    out = {target: pdf_bytes(document(paper, extra_css))}
    out[target.with_suffix(".docx")] = docx_bytes(paper)
    for annex in paper.annexes:
        path = target.with_name(annex.file_name(target.stem))
        out[path] = pdf_bytes(document(paper, extra_css, annex))
    return out


def write_vorlage(
    inputs: Inputs,
    res: Results,
    target: Path,
    workbook: Path | None = None,
    today: date | None = None,
) -> tuple[Paper, list[Path]]:
    from xlsozial.adapters.fileio import atomic_write_bytes
    from xlsozial.documents.geo import boundaries_for
    from xlsozial.documents.vorlage import build_paper

    shapes = boundaries_for(workbook, [(a.name, a.region) for a in res.areas])
    paper = build_paper(inputs, res, today or date.today(), target.stem, shapes)
    files = build_files(paper, target, office_css(workbook))
    for path, data in files.items():
        atomic_write_bytes(path, data)
    return paper, list(files)
