"""Verteilen and Einsammeln: the round trip with SRT managing directors, and every rejection."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from bookutil import ROOT, copy_bundled, part, sha
from openpyxl import load_workbook

from xlsozial.adapters.openpyxl_book import OpenpyxlBook
from xlsozial.app.cli import main
from xlsozial.book import layout
from xlsozial.book.reader import read_inputs
from xlsozial.evaluation.compute import compute

SOFFICE = shutil.which("soffice")
UNO_PYTHON = "/usr/bin/python3"


def has_uno() -> bool:
    if SOFFICE is None or not Path(UNO_PYTHON).exists():
        return False
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.fixture
def master(tmp_path: Path) -> Path:
    return copy_bundled(tmp_path)


@pytest.fixture
def sent(master: Path, tmp_path: Path) -> Path:
    out = tmp_path / "versand"
    assert main(["verteilen", str(master), "--ziel", str(out)]) == 0
    return out


def edit(path: Path, sheet: str, changes: dict[str, object], save_as: Path | None = None) -> Path:
    wb = load_workbook(path)
    for coord, value in changes.items():
        wb[sheet][coord] = value
        if isinstance(value, str) and value.startswith("="):
            wb[sheet][coord].data_type = "s"  # typed as text by the user
    target = save_as or path
    wb.save(target)
    return target


def test_verteilen_makes_one_protected_macro_free_xlsx_per_srt(sent: Path) -> None:
    files = sorted(p.name for p in sent.iterdir())
    assert files == [f"Kosten_{k}.xlsx" for k in sorted(["NORD", "ELBE", "OSTHEIDE", "HEIDE"])]
    path = sent / "Kosten_NORD.xlsx"
    with zipfile.ZipFile(path) as z:
        assert not any("vbaProject" in n for n in z.namelist())
        assert b"macroEnabled" not in z.read("[Content_Types].xml")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Anleitung", "Kosten NORD", "Kategorien", "xlsozial"]
    ws = wb["Kosten NORD"]
    assert ws.protection.sheet and wb["Kategorien"].protection.sheet
    assert ws["A1"].protection.locked and not ws["C5"].protection.locked
    assert not ws["A100"].protection.locked  # spare rows for new positions
    assert wb["xlsozial"].sheet_state == "veryHidden" and wb["xlsozial"]["B1"].value == "NORD"
    assert ws["B5"].value == "Miete Sozialraumbüro Bardowick"


def test_round_trip_openpyxl_edit_then_berechnen(master: Path, sent: Path, tmp_path: Path) -> None:
    nord = edit(
        sent / "Kosten_NORD.xlsx",
        "Kosten NORD",
        {
            "C5": 40_000.0,  # Miete steigt
            "A14": "Netzwerktätigkeit",
            "B14": "Fachtag Jugendhilfe",
            "C14": 2_000.0,
        },
    )
    renamed = nord.with_name("Kosten Nord – final (2).xlsx")  # users rename files
    nord.rename(renamed)
    assert main(["einsammeln", str(master), str(renamed)]) == 0
    assert main(["berechnen", str(master)]) == 0
    res = compute(read_inputs(OpenpyxlBook.open(master)))
    netz = next(r for r in res.matrix if r.category == "Netzwerktätigkeit")
    assert netz.amount["NORD"] == (12_600 + 18_940 + 2_000) * 100
    betrieb = next(r for r in res.matrix if r.category == "Betriebskosten")
    assert betrieb.amount["NORD"] == (40_000 + 41_250) * 100
    ws = load_workbook(master, keep_vba=True)[layout.MATRIX]
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert 33_540.0 in cells  # Netzwerktätigkeit NORD in the written matrix


@pytest.mark.skipif(not has_uno(), reason="LibreOffice mit python3-uno nicht installiert")
def test_round_trip_through_libreoffice(master: Path, sent: Path) -> None:
    heide = sent / "Kosten_HEIDE.xlsx"
    result = subprocess.run(
        [
            UNO_PYTHON,
            str(ROOT / "tests" / "lo_edit.py"),
            str(heide),
            "Kosten HEIDE",
            "C5=31000",
            "A13=Sachkosten",
            "B13=Neue Position",
            "C13=777",
            "A1=Überschrieben",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 3, result.stderr  # A1 is protected: LibreOffice refused it
    vba = part(master, "xl/vbaProject.bin")
    assert main(["einsammeln", str(master), str(heide)]) == 0
    assert main(["berechnen", str(master)]) == 0
    res = compute(read_inputs(OpenpyxlBook.open(master)))
    sach = next(r for r in res.matrix if r.category == "Sachkosten")
    assert sach.amount["HEIDE"] == (11_045 + 3_900 + 777) * 100
    assert part(master, "xl/vbaProject.bin") == vba


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice nicht installiert")
def test_distributed_file_opens_in_libreoffice(sent: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profil"
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(sent / "Kosten_ELBE.xlsx"),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert (tmp_path / "Kosten_ELBE.pdf").stat().st_size > 1000


def test_formula_looking_text_is_stored_as_text(master: Path, sent: Path) -> None:
    path = edit(
        sent / "Kosten_ELBE.xlsx",
        "Kosten ELBE",
        {
            "A11": "Sachkosten",
            "B11": '=HYPERLINK("http://x","klick")',
            "C11": 10.0,
            "A12": "Sachkosten",
            "B12": "+49 4131 0000",
            "C12": 20.0,
            "E12": "@SUMME(A1)",
            "A13": "Sachkosten",
            "B13": "-Rabatt",
            "C13": 30.0,
        },
    )
    assert main(["einsammeln", str(master), str(path)]) == 0
    ws = load_workbook(master, keep_vba=True)["Kosten ELBE"]
    stored = {ws.cell(r, 2).value: ws.cell(r, 2) for r in range(5, ws.max_row + 1)}
    link = stored['=HYPERLINK("http://x","klick")']
    assert link.data_type == "s" and link.quotePrefix
    assert stored["+49 4131 0000"].data_type == "s"
    assert main(["berechnen", str(master)]) == 0


def test_macros_in_a_returned_file_are_reported_not_copied(
    master: Path, sent: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sent / "Kosten_NORD.xlsx"
    data = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(data, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "Boese"\nSub Auto_Open()\nEnd Sub')
    path.write_bytes(data.getvalue())
    vba = part(master, "xl/vbaProject.bin")
    assert main(["einsammeln", str(master), str(path)]) == 0
    assert part(master, "xl/vbaProject.bin") == vba
    assert "Kosten_NORD.xlsx: enthält Makros; sie wurden weder ausgeführt noch übernommen" in (
        capsys.readouterr().out
    )


def rejected(master: Path, files: list[Path], capsys: pytest.CaptureFixture[str]) -> str:
    digest = sha(master)
    assert main(["einsammeln", str(master), *map(str, files)]) == 1
    assert sha(master) == digest, "master must stay byte-identical"
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_reject_oversized_file(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "gross.xlsx"
    big.write_bytes(b"\0" * (11 * 1024 * 1024))
    assert "Datei ist zu groß" in rejected(master, [big], capsys)


def test_reject_zip_bomb(master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))
    assert "Zip-Bombe" in rejected(master, [bomb], capsys)


def test_reject_xml_entity_attack(
    master: Path, sent: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sent / "Kosten_NORD.xlsx"
    dtd = (
        b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    data = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(data, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":  # the cost sheet
                content = dtd + content.replace(b"Miete", b"&lol2;", 1)
            dst.writestr(info, content)
    path.write_bytes(data.getvalue())
    assert "unsicheres XML" in rejected(master, [path], capsys)


def test_reject_renamed_sheet(master: Path, sent: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sent / "Kosten_NORD.xlsx"
    wb = load_workbook(path)
    wb["Kosten NORD"].title = "Unsere Kosten"
    wb.save(path)
    assert "Blatt „Kosten NORD“ fehlt" in rejected(master, [path], capsys)


def test_reject_foreign_workbook(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    other = tmp_path / "irgendwas.xlsx"
    Workbook().save(other)
    assert "Kennblatt fehlt" in rejected(master, [other], capsys)


def test_reject_unknown_srt(master: Path, sent: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sent / "Kosten_NORD.xlsx"
    wb = load_workbook(path)
    wb["xlsozial"]["B1"] = "SUED"
    wb.save(path)
    assert "SRT „SUED“ gibt es in der Mappe nicht" in rejected(master, [path], capsys)


def test_second_return_of_the_same_srt_is_not_merged(
    master: Path, sent: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = sent / "Kosten_NORD.xlsx"
    second = edit(first, "Kosten NORD", {"C5": 1.0}, save_as=tmp_path / "Kosten_NORD_neu.xlsx")
    out = rejected(master, [first, second], capsys)
    assert "mehrere Rückläufer für SRT NORD" in out and "keiner wird übernommen" in out


def test_one_bad_file_keeps_the_master_unchanged(
    master: Path, sent: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = edit(sent / "Kosten_ELBE.xlsx", "Kosten ELBE", {"C5": 22_000.0})
    bad = edit(sent / "Kosten_NORD.xlsx", "Kosten NORD", {"C6": "viel", "A7": "Sonstiges"})
    out = rejected(master, [good, bad], capsys)
    assert "ABGELEHNT Kosten_NORD.xlsx" in out
    assert "'Kosten NORD'!C6: „viel“ ist keine Zahl" in out
    assert "Kategorie „Sonstiges“ ist nicht erlaubt" in out
    assert "SRT ELBE: 0 neu, 0 entfernt, 1 geändert" in out  # the report still shows it


def test_live_verteilen_and_einsammeln_in_excel(tmp_path: Path) -> None:
    from xlwings_engine import memory, open_book

    from xlsozial.adapters.xlwings_book import XlwingsBook
    from xlsozial.app import excel

    xl = open_book((ROOT / "workbook" / "Sozialraumbudget.xlsm").read_bytes())
    fake = memory(xl)
    assert excel.run(excel.distribute, XlwingsBook(xl)) is None  # unsaved book
    assert "Bitte die Mappe zuerst speichern" in fake.alerts[-1]
    fake.fullname = str(tmp_path / "Sozialraumbudget.xlsm")
    written = excel.run(excel.distribute, XlwingsBook(xl))
    assert isinstance(written, list) and [p.parent.name for p in written] == ["Versand"] * 4
    assert fake.saved == 1  # the round's tokens are saved before the files go out
    inbox = tmp_path / "Rücklauf"
    inbox.mkdir()
    edit(
        tmp_path / "Versand" / "Kosten_OSTHEIDE.xlsx",
        "Kosten OSTHEIDE",
        {
            "A11": "Sachkosten",
            "B11": "=2+2",
            "C11": 99.5,
            "A12": "Sachkosten",
            "B12": "0815",
            "C12": 8.15,
        },
        save_as=inbox / "ostheide.xlsx",
    )
    (inbox / "kaputt.xlsx").write_bytes(b"not a workbook")
    refused = excel.run(excel.collect, XlwingsBook(xl))  # all or nothing: nothing taken
    assert refused is not None and not getattr(refused, "written", True)
    assert "kaputt.xlsx" in fake.alerts[-1]
    report = excel.run(excel.collect_valid, XlwingsBook(xl))  # „Nur gültige einsammeln“
    assert report is not None and getattr(report, "written", False)
    sheet = fake.sheet("Kosten OSTHEIDE")
    table = next(t for t in sheet.tables if t.name == "tblKosten_OSTHEIDE")
    assert table.box[2] == 12  # header row 4 + 8 positions
    # Texts stay texts (Excel would parse "0815" to 815 and take "=2+2" for a formula).
    assert sheet.cells[(11, 2)] == "=2+2" and (11, 2) not in sheet.formulas
    assert sheet.cells[(11, 3)] == 99.5
    assert sheet.cells[(12, 2)] == "0815"
    assert "SRT OSTHEIDE: 2 neu" in fake.alerts[-1] and "ABGELEHNT kaputt.xlsx" in fake.alerts[-1]


def test_the_provider_file_prints_on_a4_and_explains_itself(sent: Path) -> None:
    wb = load_workbook(sent / "Kosten_NORD.xlsx")
    ws = wb["Kosten NORD"]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$4"  # header rows repeat on every page
    assert "Seite &P von &N" in ws.oddFooter.right.text
    assert "NORD" in ws.oddFooter.left.text
    assert ws["G4"].value == "Summe je Kategorie" and str(ws["H5"].value).startswith("=SUMIF(")
    guide = [c.value for c in wb["Anleitung"]["A"] if c.value]
    assert any(str(v).startswith("Rückgabe bis: ") for v in guide)
    assert any("Ansprechpartner: " in str(v) for v in guide)
    assert any("100 % = ganz gebunden" in str(v) for v in guide)
    prompts = [dv.prompt for dv in ws.data_validations.dataValidation]
    assert prompts and all(prompts)
    # Which year's use, how a position goes away, what goes back how – and a place to sign.
    text = " ".join(str(v) for v in guide)
    assert "verwendet haben" in text and "Budget 2026" in text and "Budgets 2027" in text
    assert "alle ihre gelben Zellen leeren" in text and "weiterschreiben" not in text
    assert "per E-Mail" in text and "per Post" in text
    labels = [ws.cell(r, 7).value for r in range(1, 40)]
    for label in ("Richtigkeit bestätigt", "Ort, Datum", "Name", "Funktion", "Unterschrift"):
        assert label in labels
    positions = sum(1 for r in range(5, 200) if ws.cell(r, 1).value)
    assert ws.print_area == f"'Kosten NORD'!$A$1:$H${4 + positions + 25}"  # also blank rows
    assert ws["A30"].border.bottom.style == "hair"  # lines to write in by hand
    cats = wb["Kategorien"]
    assert str(cats["A1"].value).startswith("Kategorien und Sozialräume")
    assert "Seite &P von &N" in cats.oddFooter.right.text


def test_a_note_longer_than_a_cell_holds_is_refused_at_its_cell(
    master: Path, sent: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openpyxl cuts such a text when it saves; LibreOffice and hand-made files do not."""
    import re
    import zipfile

    path = edit(sent / "Kosten_NORD.xlsx", "Kosten NORD", {"E5": "kurz"})
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    sheet = next(n for n, _ in members if n.startswith("xl/worksheets/sheet2"))
    long_cell = '<c r="E5" t="inlineStr"><is><t>' + "x" * 32_768 + "</t></is></c>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            if name == sheet:
                data = re.sub(rb'<c r="E5"[^>]*?(?:/>|>.*?</c>)', long_cell.encode(), data)
            z.writestr(name, data)
    said = rejected(master, [path], capsys)
    assert "'Kosten NORD'!E5: Text mit 32.768 Zeichen" in said and "32.767" in said


def test_an_error_value_in_a_returned_cost_sheet_is_refused_at_its_cell(
    master: Path, sent: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A return whose amount is a failed formula (#WERT!) is refused with the cell, never
    merged as text or as nothing."""
    path = sent / "Kosten_NORD.xlsx"
    wb = load_workbook(path)
    ws = wb["Kosten NORD"]
    ws["C5"] = "#VALUE!"
    ws["C5"].data_type = "e"  # as Excel stores an error value
    wb.save(path)
    said = rejected(master, [path], capsys)
    assert "'Kosten NORD'!C5: enthält den Fehlerwert #WERT!" in said
    assert "Pflichtangabe fehlt" not in said  # one problem for the cell, not two
