"""Committee report: a real PDF with the decision page, figures, indicators and checks."""

from __future__ import annotations

from pathlib import Path

from bookutil import BUNDLED, copy_bundled, set_cells
from pypdf import PdfReader

from xlsozial.book import layout
from xlsozial.cli import main


def text_of(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def test_bericht_writes_the_committee_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "Bericht.pdf"
    assert main(["bericht", str(BUNDLED), "--pdf", str(pdf)]) == 0
    pages = text_of(pdf)
    assert len(pages) == 5
    first = pages[0]
    assert "Vergleich der Finanzierungsmodelle" in first
    for name in ("Adendorf", "SG Scharnebeck", "Region Ost", "NORD"):
        assert name in first
    assert "Gewinner" in first and "Verlierer" in first and "2.000.000 €" in first
    assert "Modellvergleich" in pages[1]
    assert "Gewinner und Verlierer je Modell" in pages[2] and "M4 Bestand mit Korridor" in pages[2]
    assert "Übergang" in pages[3] and "2031" in pages[3]
    assert "Sensitivität" in pages[4] and "HZE" in pages[4] and "2022–2024" in pages[4]


def test_bericht_on_invalid_input_writes_nothing(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    set_cells(book, {(layout.GEBIETE, "H6"): -1})
    pdf = tmp_path / "Bericht.pdf"
    assert main(["bericht", str(book), "--pdf", str(pdf)]) == 1
    assert not pdf.exists()


def test_live_bericht_next_to_the_workbook(tmp_path: Path) -> None:
    from fake_xlwings import FakeBook

    from xlsozial.excel import XlwingsBook, run_report

    fake = FakeBook.from_bytes(BUNDLED.read_bytes())
    fake.fullname = str(tmp_path / "Sozialraumbudget.xlsm")
    target = run_report(XlwingsBook(fake))
    assert target is not None and target.parent == tmp_path and target.stat().st_size > 10_000
    assert fake.app.alerts[-1].startswith("Bericht gespeichert")
