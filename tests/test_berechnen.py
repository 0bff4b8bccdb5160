"""Headless Berechnen/Prüfen: results land in the workbook and nothing a user typed is lost."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from bookutil import copy_bundled, part, set_cells, sha, snapshot
from openpyxl import load_workbook

from xlsozial.adapters.openpyxl_book import OpenpyxlBook
from xlsozial.app.cli import main
from xlsozial.book import layout
from xlsozial.book.reader import read_inputs
from xlsozial.domain.models import ModelKey
from xlsozial.domain.results import euro
from xlsozial.evaluation.compute import compute


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return copy_bundled(tmp_path)


def test_berechnen_keeps_inputs_names_tables_vba_and_ribbon(book: Path) -> None:
    before = snapshot(book)
    vba, ribbon = part(book, "xl/vbaProject.bin"), part(book, "customUI/customUI.xml")
    assert main(["berechnen", str(book)]) == 0
    assert main(["berechnen", str(book)]) == 0  # a second run on its own output, too
    after = snapshot(book)
    assert after["names"] == before["names"]
    assert after["tables"] == before["tables"]
    for sheet, content in before["sheets"].items():
        assert after["sheets"][sheet] == content, sheet
    assert part(book, "xl/vbaProject.bin") == vba
    assert part(book, "customUI/customUI.xml") == ribbon
    assert b"ui/extensibility" in part(book, "_rels/.rels")


def test_output_values_equal_the_core_results(book: Path) -> None:
    main(["berechnen", str(book)])
    inputs = read_inputs(OpenpyxlBook.open(book))
    res = compute(inputs)
    year = inputs.parameters.first_year
    ws = load_workbook(book, keep_vba=True)[layout.MODELLVERGLEICH]
    header = [c.value for c in ws[4]]
    col = {h: i for i, h in enumerate(header)}
    rows = {r[0].value: r for r in ws.iter_rows(min_row=5, max_row=4 + len(res.areas))}
    for a in res.areas:
        row = rows[a.name]
        assert row[col[f"Vorjahr {year - 1} (€)"]].value == euro(a.previous)
        assert row[col[f"tatsächlich {year} (€)"]].value == euro(a.paid)
        assert row[col["M2 Belastungsquote (€)"]].value == euro(a.allocation[ModelKey.M2])
        assert row[col["M4 Bestand mit Korridor (€)"]].value == euro(a.allocation[ModelKey.M4])
    # Outputs are values, not formulas, so a copy without Python still shows them.
    assert all(not str(c.value).startswith("=") for row in ws.iter_rows() for c in row if c.value)


def test_each_run_appends_one_protokoll_row_with_a_stable_hash(book: Path) -> None:
    main(["berechnen", str(book)])
    main(["berechnen", str(book)])
    ws = load_workbook(book, keep_vba=True)[layout.PROTOKOLL]
    tbl = ws.tables[layout.LOG.name]
    assert tbl.ref == "A4:H6"
    rows = list(ws.iter_rows(min_row=5, max_row=6, values_only=True))
    assert rows[0][2] == "berechnen" and rows[0][7] == "OK"
    assert rows[0][6] == rows[1][6] and len(rows[0][6]) == 16
    start = load_workbook(book, keep_vba=True)[layout.START]
    assert any("berechnen" in str(c.value) for row in start.iter_rows() for c in row)


def test_invalid_input_leaves_the_file_byte_identical_and_names_the_cell(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cells(book, {(layout.GEBIETE, "D7"): "viele", (layout.INDIKATOREN, "C6"): -2})
    digest = sha(book)
    assert main(["berechnen", str(book)]) == 1
    err = capsys.readouterr().err
    assert "Gebiete!D7: „viele“ ist keine Zahl" in err
    assert "Indikatoren!C6: darf nicht kleiner als 0 sein" in err
    assert "Es wurde nichts geschrieben." in err
    assert sha(book) == digest
    assert [p.name for p in book.parent.iterdir()] == [book.name]  # no temp file left


def test_pruefen_writes_nothing(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    digest = sha(book)
    assert main(["pruefen", str(book)]) == 0
    assert "[OK    ] M1 Einwohner" in capsys.readouterr().out
    assert sha(book) == digest


def test_refuses_while_open_in_excel(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lock = book.with_name("~$" + book.name)
    lock.write_bytes(b"owner")
    digest = sha(book)
    assert main(["berechnen", str(book)]) == 3
    assert "in Excel oder LibreOffice geöffnet" in capsys.readouterr().err
    assert sha(book) == digest


def test_a_full_disk_while_saving_leaves_the_old_file_and_says_so_in_german(
    book: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = sha(book)

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(args[0]))

    monkeypatch.setattr(os, "replace", boom)
    assert main(["berechnen", str(book)]) == 3
    err = capsys.readouterr().err
    assert f"„{book}“ kann nicht geschrieben werden: der Datenträger ist voll." in err
    assert ".xlsozial-" not in err and "Errno" not in err and "space" not in err
    assert sha(book) == digest
    assert [p.name for p in book.parent.iterdir()] == [book.name]


def test_ausgabe_writes_a_new_file_and_leaves_the_original(book: Path, tmp_path: Path) -> None:
    digest = sha(book)
    out = tmp_path / "Ergebnis.xlsm"
    assert main(["berechnen", str(book), "--ausgabe", str(out)]) == 0
    assert sha(book) == digest and out.exists()


def test_rows_added_by_the_user_are_found_through_the_table(book: Path) -> None:
    """A new Sozialraum typed below the table (table extended) takes part in the run."""
    wb = load_workbook(book, keep_vba=True)
    ws = wb[layout.GEBIETE]
    tbl = ws.tables[layout.AREAS.name]
    ws.append(["Neu-Gemeinde", "Region Nord", "NORD", 3000, 500, 600, 800, 50_000, None])
    tbl.ref = "A4:I15"
    wv = wb[layout.INDIKATORWERTE]
    values_tbl = wv.tables[layout.INDICATOR_VALUES.name]
    last = int(values_tbl.ref.split(":")[1][1:])
    for key, num, den, val in [
        ("HZE", 14, 600, None),
        ("SGB2", 40, 500, None),
        ("ALLEIN", 60, 500, None),
        ("KWG", 6, 500, None),
        ("JALO", 20, 800, None),
        ("KITA", None, None, 35.0),
    ]:
        for year in (2022, 2023, 2024):
            last += 1
            for c, v in enumerate(["Neu-Gemeinde", key, year, num, den, val], start=1):
                wv.cell(row=last, column=c, value=v)
    values_tbl.ref = f"A4:F{last}"
    wb.save(book)
    assert main(["berechnen", str(book)]) == 0
    res = compute(read_inputs(OpenpyxlBook.open(book)))
    assert "Neu-Gemeinde" in [a.name for a in res.areas]
    ws = load_workbook(book, keep_vba=True)[layout.MODELLVERGLEICH]
    assert "Neu-Gemeinde" in [c.value for c in ws["A"]]


def test_formula_inputs_are_read_by_their_stored_value(book: Path) -> None:
    set_cells(book, {(layout.GEBIETE, "H5"): "=190000+6000"})
    digest = sha(book)
    assert main(["pruefen", str(book)]) == 1  # openpyxl stores no value for the formula
    assert sha(book) == digest


def test_missing_table_is_reported_not_crashed(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = load_workbook(book, keep_vba=True)
    del wb[layout.ZUORDNUNG].tables[layout.CATEGORY_SHARES.name]
    wb.save(book)
    assert main(["berechnen", str(book)]) == 1
    assert "Tabelle „tblZuordnung“ fehlt" in capsys.readouterr().err


def test_not_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "kaputt.xlsm"
    fake.write_text("kein zip")
    assert main(["berechnen", str(fake)]) == 3
    assert "„kaputt.xlsm“ ist keine Excel-Mappe" in capsys.readouterr().err
    assert main(["berechnen", str(tmp_path / "fehlt.xlsm")]) == 3


def test_content_only_excel_knows_survives_a_headless_run(book: Path) -> None:
    """A data bar Excel stored as x14 extension on an input sheet: berechnen leaves the sheet
    byte for byte as it was (it used to refuse the whole workbook, because openpyxl drops
    such content)."""
    import zipfile

    ext = (
        b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b"<x14:conditionalFormattings><x14:conditionalFormatting "
        b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        b'<x14:cfRule type="dataBar" id="{00000000-0000-0000-0000-000000000001}">'
        b'<x14:dataBar><x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/></x14:dataBar>'
        b"</x14:cfRule><xm:sqref>H5:H14</xm:sqref></x14:conditionalFormatting>"
        b"</x14:conditionalFormattings></ext></extLst>"
    )
    patched = book.with_name("mit_datenbalken.xlsm")
    sheet = ""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if b"<t>Vorjahresbudget (\xe2\x82\xac)</t>" in data and info.filename.startswith(
                "xl/worksheets/sheet"
            ):
                data, sheet = data.replace(b"</worksheet>", ext + b"</worksheet>"), info.filename
            dst.writestr(info, data)
    before = part(patched, sheet)
    assert main(["berechnen", str(patched)]) == 0
    assert part(patched, sheet) == before and b"x14:dataBar" in before


def test_inconsistent_parameters_point_at_the_cell_to_fix(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # BF_Untergrenze (B11) above BF_Obergrenze (B12): the message names B11, not the sheet.
    set_cells(book, {(layout.PARAMETER, "B11"): 1.5, (layout.PARAMETER, "B12"): 1.2})
    assert main(["pruefen", str(book)]) == 1
    assert "Parameter!B11: Untergrenze des Belastungsfaktors" in capsys.readouterr().err
