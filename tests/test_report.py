"""The Beschlussvorlage as a Landkreis files it: an archivable, tagged PDF with the head of
the council information system, numbered decision points, readable tables and figures,
each Anlage as its own file and the text as a Word document – and never a normal-looking
paper on red Prüfungen."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from bookutil import BUNDLED, copy_bundled, set_cells
from pypdf import PdfReader

from xlsozial.adapters.session import open_master
from xlsozial.app.cli import main
from xlsozial.book import layout
from xlsozial.book.reader import read_inputs
from xlsozial.documents.paper import eur, rounding_note
from xlsozial.evaluation.compute import compute

MIN_POINTS = 8.0


def text_of(pdf: Path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]


@pytest.fixture(scope="module")
def vorlage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("vorlage")
    pdf = folder / "Vorlage.pdf"
    assert main(["bericht", str(BUNDLED), "--pdf", str(pdf)]) == 0
    return pdf


def test_the_head_and_the_decision_as_a_council_files_them(vorlage: Path) -> None:
    pages = text_of(vorlage)
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Seite {number} von {total}" in page
        assert "Haushaltsjahr 2027" in page and "Vorlage 2026/123" in page
    first = pages[0]
    order = ["Vorlage-Nr.", "Betreff", "Status", "Vorlage-Art", "Verantwortlich", "Federführend"]
    order += ["Bearbeiter/-in", "Produkt(e)", "Beratungsfolge", "Beschlussvorschlag"]
    positions = [first.find(word) for word in order]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    assert "Jugendhilfeausschuss 10.12.2026 Entscheidung" in first
    assert "Der Jugendhilfeausschuss beschließt: 1." in first  # numbered points
    assert "wie in Anlage 1 festgelegt" in first and "spätestens für 2032 zu überprüfen" in first
    assert "2.000.000 €" in first and "M2 Belastungsquote" in first
    body = " ".join(pages[:3])
    for part in ("Sachverhalt und Begründung", "Finanzielle Auswirkungen", "Anlagen"):
        assert part in body
    assert "Blatt Quoten" not in " ".join(pages)  # members do not have the workbook


def test_finance_shows_what_each_sozialraum_really_receives(vorlage: Path) -> None:
    res = compute(read_inputs(open_master(BUNDLED)))
    body = " ".join(text_of(vorlage)[:3])
    # Gains and losses compare paid with paid; in the example's first year the budget rises
    # by 5 %: with the Besitzstand every Sozialraum gets more, though the model alone gives
    # Amt Neuhaus less.
    gains = sum(1 for a in res.areas if a.paid > a.previous)
    assert body.count("▲ mehr") == gains == 10 and "▼ weniger" not in body
    neuhaus = next(a for a in res.areas if a.name == "Amt Neuhaus")
    assert neuhaus.allocation[res.chosen_model] < neuhaus.previous < neuhaus.paid
    assert (
        f"Amt Neuhaus {eur(neuhaus.previous)} {eur(neuhaus.allocation[res.chosen_model])}" in body
    )
    assert "Je Sozialraumträger und je Region" in body and "Jugendhilfeverbund Nord" in body
    assert "36.3.01 Sozialräumliche Jugendhilfe" in body  # Produkt / Haushaltsstelle
    assert "Frei werdend" in body and "umgerechnet auf" in body


def test_anlage_1_holds_factor_and_quota_and_every_anlage_is_a_file(vorlage: Path) -> None:
    res = compute(read_inputs(open_master(BUNDLED)))
    pages = text_of(vorlage)
    anlage1 = next(p for p in pages if "Anlage 1: Belastungsfaktor" in p)
    for a in res.areas:
        assert f"{a.name} {a.region}" in anlage1
    assert "1,308 5,89 %" in anlage1  # Amt Neuhaus: factor and quota
    listed = sorted(p.name for p in vorlage.parent.glob("Vorlage_*.pdf"))
    assert len(listed) == 9  # Anlagen 1–8 (7: Varianten, 8: Karte) and the technical one
    for name in listed:
        assert name in " ".join(pages[:4])  # the Anlagen list names the file
        own = text_of(vorlage.parent / name)
        label = "Technischer Anhang" if "Technischer" in name else name.split("_")[1] + " "
        label = label if label.startswith("Techn") else f"Anlage {name.split('_')[2]}:"
        assert own[0].startswith(pages[0][:20]) and label in own[0], (name, own[0][:200])
        assert "Seite 1 von" in own[0] and "zur Vorlage 2026/123" in own[0]
    docx = vorlage.with_suffix(".docx")
    from docx import Document

    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "Beschlussvorschlag" in text and "Finanzielle Auswirkungen" in text
    assert Document(str(docx)).core_properties.language == "de-DE"


def test_the_pdf_is_archivable_and_tagged(vorlage: Path) -> None:
    for path in [vorlage, *vorlage.parent.glob("Vorlage_*.pdf")]:
        with pikepdf.open(path) as pdf:
            assert pdf.check_pdf_syntax() == []  # qpdf's structural check
            root = pdf.Root
            assert str(root.Lang) == "de-DE"
            assert bool(root.MarkInfo.Marked) and "/StructTreeRoot" in root
            assert bool(root.ViewerPreferences.DisplayDocTitle)
            with pdf.open_metadata() as meta:
                assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "A"
                assert meta["pdfuaid:part"] == "1"
                assert meta["dc:title"] and meta["dc:creator"]
            for page in pdf.pages:
                for font in page.Resources.get("/Font", {}).values():
                    desc = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
                    assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    with pikepdf.open(vorlage) as pdf:
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        figures = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure"
        ]
    assert {"Beschlussvorschlag", "Sachverhalt und Begründung", "Finanzielle Auswirkungen"} <= (
        set(_flatten(titles, outline_items(vorlage)))
    )
    assert figures and all("/Alt" in f for f in figures)  # every figure speaks


def outline_items(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        out: list[str] = []

        def walk(items: Any) -> None:
            for item in items:
                out.append(item.title)
                walk(item.children)

        walk(outline.root)
        return out


def _flatten(top: list[str], everything: list[str]) -> list[str]:
    return [*top, *everything]


def _words_and_sizes(path: Path) -> tuple[list[float], list[tuple[int, Any]], list[Any]]:
    sizes: list[float] = []
    words: list[tuple[int, Any]] = []
    pages = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            sizes += [c["size"] for c in page.chars if c["text"].strip()]
            # Slanted axis labels of a figure come out as single letters whose boxes
            # overlap; words are checked on level text.
            level = page.filter(lambda o: o.get("object_type") != "char" or _level(o))
            words += [(number, w) for w in level.extract_words(keep_blank_chars=False)]
            pages.append((page.width, page.height))
    return sizes, words, pages


def _level(char: dict[str, Any]) -> bool:
    _, b, c, *_ = char["matrix"]
    return abs(b) < 1e-6 and abs(c) < 1e-6


def assert_readable(path: Path) -> None:
    """No text under 8 pt, nothing outside the page, no two words drawn over each other."""
    sizes, words, pages = _words_and_sizes(path)
    assert sizes and min(sizes) >= MIN_POINTS, min(sizes)
    for number, w in words:
        width, height = pages[number]
        assert w["x0"] >= 0 and w["x1"] <= width and w["top"] >= 0 and w["bottom"] <= height, w
    by_page: dict[int, list[Any]] = {}
    for number, w in words:
        by_page.setdefault(number, []).append(w)
    for page_words in by_page.values():
        for a, b in itertools.combinations(page_words, 2):
            across = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            assert across < 0.5 or down < 0.5, (a["text"], b["text"])


def test_no_text_is_small_cut_or_drawn_over_other_text(vorlage: Path) -> None:
    assert_readable(vorlage)


def test_a_large_district_fits_its_amounts_with_their_signs(tmp_path: Path) -> None:
    """21 Mio. € and nine-digit changes: columns size from their content."""
    book = copy_bundled(tmp_path)
    cells = {(layout.PARAMETER, "B5"): 210_000_000}
    inputs = read_inputs(open_master(book))
    gebiete = [(layout.GEBIETE, f"H{5 + i}") for i in range(len(inputs.areas))]
    previous = [173_883_149, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 19_267_083]
    cells.update(dict(zip(gebiete, previous)))
    set_cells(book, _by_name(book, cells))
    assert main(["berechnen", str(book)]) in (0, 5)
    pdf = tmp_path / "Gross.pdf"
    assert main(["bericht", str(book), "--pdf", str(pdf)]) in (0, 5)
    assert_readable(pdf)
    text = " ".join(text_of(pdf))
    assert "173.883.149 €" in text and "-1" in text


def _by_name(book: Path, cells: dict[tuple[str, str], Any]) -> dict[tuple[str, str], Any]:
    """Parameter!B5 stands for the Gesamtbudget cell, wherever its name points."""
    named = open_master(book).named("Gesamtbudget")
    assert named is not None
    sheet, cell = named.where.split("!")
    out = {k: v for k, v in cells.items() if k != (layout.PARAMETER, "B5")}
    out[(sheet, cell)] = cells[(layout.PARAMETER, "B5")]
    return out


def test_red_pruefungen_make_a_draft_on_every_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    book = copy_bundled(tmp_path)
    wb = load_workbook(book, keep_vba=True)
    ws = wb["Regionalbudget"]
    ws["E5"], ws["F5"] = 9_000_000, 9_000_000  # Region Nord approves far too much
    wb.save(book)
    assert main(["berechnen", str(book)]) == 5
    capsys.readouterr()
    pdf = tmp_path / "Vorlage.pdf"
    assert main(["bericht", str(book), "--pdf", str(pdf)]) == 5
    said = capsys.readouterr()
    assert "ENTWURF – Prüfungen nicht bestanden" in said.out + said.err
    assert "Region Nord" in said.out + said.err
    pages = text_of(pdf)
    assert all("ENTWURF – Prüfungen nicht bestanden" in page for page in pages)
    assert "Regionalbudget: keine Region überzeichnet" in pages[0]  # the box names the check
    for annex in tmp_path.glob("Vorlage_*.pdf"):
        assert all("ENTWURF" in page for page in text_of(annex))


def test_a_passed_or_last_years_meeting_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from xlsozial.documents.vorlage import paper_warnings

    inputs = read_inputs(open_master(BUNDLED))
    assert paper_warnings(inputs, date(2026, 12, 5)) == []
    assert paper_warnings(inputs, date(2026, 12, 11)) == [
        "Der Sitzungstermin 10.12.2026 ist bereits vorbei."
    ]
    old = inputs.model_copy(
        update={
            "consultations": [],
            "parameters": inputs.parameters.model_copy(
                update={"paper_number": "2024/99", "meeting_date": "12.12.2024"}
            ),
        }
    )
    warned = " ".join(paper_warnings(old, date(2026, 12, 5)))
    assert "12.12.2024 liegt vor 2026" in warned and "2024/99 sieht nach einem früheren" in warned


def test_money_is_rounded_half_up_and_a_sum_says_when_rows_do_not_add_up() -> None:
    assert eur(73_669_850) == "736.699 €" and eur(-73_669_850) == "-736.699 €"
    assert eur(73_669_849) == "736.698 €"
    assert rounding_note([([150, 150], 300)]) != ""  # 2 + 2 printed, Summe 3
    assert rounding_note([([100, 200], 300)]) == ""


def test_no_transition_says_why_nothing_is_paid(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    named = open_master(book).named("Uebergangsjahre")
    assert named is not None
    sheet, cell = named.where.split("!")
    set_cells(book, {(sheet, cell): 0})
    assert main(["berechnen", str(book)]) == 0
    pdf = tmp_path / "V.pdf"
    assert main(["bericht", str(book), "--pdf", str(pdf)]) == 0
    text = " ".join(text_of(pdf)[:4])
    assert "Ein Übergang ist nicht vorgesehen" in text
    assert "Kein Sozialraum verliert" not in text


def test_developer_words_stay_out_of_the_paper(vorlage: Path) -> None:
    text = " ".join(text_of(vorlage))
    for trace in ("docs/GLOSSAR", "Eingabe-Hash", "U(1", "Perzentil", "Größte-Reste"):
        assert trace not in text, trace
    assert "Prüfsumme der Eingaben" in text  # the checksum, labelled for a reader


def test_bericht_on_invalid_input_writes_nothing(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    set_cells(book, {(layout.GEBIETE, "H6"): -1})
    pdf = tmp_path / "Bericht.pdf"
    assert main(["bericht", str(book), "--pdf", str(pdf)]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [book.name]


def test_live_bericht_next_to_the_workbook(tmp_path: Path) -> None:
    from xlwings_engine import memory, open_book

    from xlsozial.adapters.xlwings_book import XlwingsBook
    from xlsozial.app import excel

    xl = open_book(BUNDLED.read_bytes(), fullname=str(tmp_path / "Sozialraumbudget.xlsm"))
    assert excel.run(excel.report, XlwingsBook(xl)) is not None
    (target,) = [p for p in tmp_path.glob("Bericht_Sozialraumbudget_*.pdf") if "_An" not in p.name]
    assert target.stat().st_size > 10_000
    assert memory(xl).alerts[-1].startswith("Bericht gespeichert")


def test_an_amount_never_breaks_before_its_unit() -> None:
    from xlsozial.documents.paper import Paper, Section, Table, Text
    from xlsozial.documents.render_html import document

    said = Text("Es stehen 210.000.000 € bereit, 8,7 % mehr.")
    paper = Paper("Amt", "Betreff", "Kopf", [], Table(["a"], []), [], [Section("S", [said])])
    html = document(paper)
    assert "210.000.000\u00a0€" in html and "8,7\u00a0%" in html


def test_an_anlage_of_a_paper_without_number_yet_names_no_dash() -> None:
    # After the Jahreswechsel the Vorlage-Nr. is empty until the clerk enters it.
    from xlsozial.documents.render_html import document
    from xlsozial.documents.vorlage import build_paper
    from xlsozial.domain.example import example_inputs

    inputs = example_inputs()
    unnumbered = inputs.model_copy(
        update={"parameters": inputs.parameters.model_copy(update={"paper_number": ""})}
    )
    numbered = f"zur Vorlage {inputs.parameters.paper_number}:"
    for given, expected in ((inputs, numbered), (unnumbered, "zur Vorlage:")):
        paper = build_paper(given, compute(given), date(2026, 11, 1))
        html = document(paper, annex=paper.annexes[0])
        assert expected in html and "zur Vorlage –" not in html
