"""Committee report: a real PDF with the decision page, figures, indicators and checks."""

from __future__ import annotations

from pathlib import Path

from bookutil import BUNDLED, copy_bundled, set_cells
from pypdf import PdfReader

from xlsozial.book import layout
from xlsozial.book.reader import read_inputs
from xlsozial.book.session import open_master
from xlsozial.cli import main
from xlsozial.evaluation import compute


def text_of(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def test_bericht_is_a_beschlussvorlage_a_member_can_read(tmp_path: Path) -> None:
    pdf = tmp_path / "Bericht.pdf"
    assert main(["bericht", str(BUNDLED), "--pdf", str(pdf)]) == 0
    pages = text_of(pdf)
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {total}" in page
        assert "Haushaltsjahr 2027" in page and "Vorlage 2026/123" in page
    first = pages[0]
    # The usual parts of a German Beschlussvorlage, in their order.
    order = [
        "Beschlussvorlage",
        "Gremium",
        "Sitzung",
        "Beschlussvorschlag",
        "Sachverhalt",
        "Finanzielle Auswirkungen",
    ]
    positions = [first.find(word) for word in order]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert "Jugendhilfeausschuss beschließt" in first and "2.000.000 €" in first
    assert "M2 Belastungsquote" in first
    body = "\n".join(pages[:2])
    # SRT by name; gains and losses in words, not colour alone; both bases named. In the
    # example's first year the budget rises by 5 %: with the Besitzstand every Sozialraum
    # actually gets more than last year, although the model alone gives Amt Neuhaus less.
    res = compute(read_inputs(open_master(BUNDLED)))
    gains = sum(1 for a in res.areas if a.paid > a.previous)
    assert "Jugendhilfeverbund" in body and body.count("▲ mehr") == gains == 10
    assert "▼ weniger" not in body
    neuhaus = next(a for a in res.areas if a.name == "Amt Neuhaus")
    assert neuhaus.allocation[res.chosen_model] < neuhaus.previous < neuhaus.paid
    assert "Ausgleich" in body and "Frei werdend" in body and "umgerechnet auf" in body
    assert "Anlagen" in body
    # Jargon only in the technical annex at the end.
    main_text = "\n".join(pages[:-1])
    for jargon in ("Größte-Reste", "Startwert", "Eingabe-Hash", "Perzentil", "U(1"):
        assert jargon not in main_text, jargon
    assert "Größte-Reste-Verfahren" in pages[-1] and "Eingabe-Hash" in pages[-1]
    annexes = "\n".join(pages)
    for title in ("Anlage 1", "Anlage 2", "Anlage 3", "Anlage 4", "Anlage 5"):
        assert title in annexes
    # Sensitivity: the weight band and the method comparison apart, each with a sentence.
    assert "Gewichte:" in annexes and "Rechenweg:" in annexes


def test_bericht_on_invalid_input_writes_nothing(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    set_cells(book, {(layout.GEBIETE, "H6"): -1})
    pdf = tmp_path / "Bericht.pdf"
    assert main(["bericht", str(book), "--pdf", str(pdf)]) == 1
    assert not pdf.exists()


def test_live_bericht_next_to_the_workbook(tmp_path: Path) -> None:
    from xlwings_engine import memory, open_book

    from xlsozial import excel
    from xlsozial.book.xlwings_book import XlwingsBook

    xl = open_book(BUNDLED.read_bytes(), fullname=str(tmp_path / "Sozialraumbudget.xlsm"))
    assert excel.run(excel.report, XlwingsBook(xl)) is not None
    (target,) = tmp_path.glob("Bericht_Sozialraumbudget_*.pdf")
    assert target.stat().st_size > 10_000
    assert memory(xl).alerts[-1].startswith("Bericht gespeichert")
