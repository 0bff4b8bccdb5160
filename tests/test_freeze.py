"""Werte einfrieren: SRB_ formulas become values; the user's own formulas stay."""

from __future__ import annotations

import zipfile
from pathlib import Path

from bookutil import BUNDLED, copy_bundled, part, sha
from openpyxl import load_workbook
from xlwings_engine import memory, open_book

from xlsozial.adapters.xlwings_book import XlwingsBook
from xlsozial.app import excel
from xlsozial.app.cli import main
from xlsozial.book import layout


def freeze_values(book: object) -> object:
    return excel.run(excel.freeze, XlwingsBook(book))


def test_live_freeze_replaces_only_udf_formulas() -> None:
    xl = open_book(BUNDLED.read_bytes())
    fake = memory(xl)
    sheet = fake.sheet(layout.QUOTEN)
    sheet.formulas[(30, 1)] = "=SRB_QUOTE(D5:D14,E5:E14)"
    sheet.cells[(30, 1)] = 0.0976
    sheet.cells[(31, 1)] = 0.0589  # spilled from the formula above
    sheet.spilled.add((31, 1))
    sheet.formulas[(32, 1)] = "=SUM(A30:A31)"
    sheet.cells[(32, 1)] = 0.1565
    fake.range_calls = 0
    assert freeze_values(xl) == 1
    assert (30, 1) not in sheet.formulas and sheet.cells[(30, 1)] == 0.0976
    assert sheet.cells[(31, 1)] == 0.0589 and (31, 1) in sheet.written
    assert sheet.formulas[(32, 1)] == "=SUM(A30:A31)"
    assert sheet.protected  # Excel refuses writes into a protected sheet: lifted, then back
    # one used range per sheet, one write per SRB_ formula (xlwings resizes it: 3 calls)
    assert fake.range_calls == len(fake.sheets) + 3


def test_live_freeze_leaves_the_users_dynamic_arrays_alone() -> None:
    xl = open_book(BUNDLED.read_bytes())
    sheet = memory(xl).sheet(layout.QUOTEN)
    sheet.formulas[(30, 2)] = "=Quoten!A5:A14"  # a user's own dynamic array …
    for r in range(30, 40):
        sheet.cells[(r, 2)] = f"Gebiet {r}"
        if r > 30:
            sheet.spilled.add((r, 2))  # … spilling into the nine cells below
    sheet.formulas[(30, 4)] = "=SRB_RUNDEN(100,{1;1;1})"
    for r, v in zip(range(30, 33), [33.34, 33.33, 33.33]):
        sheet.cells[(r, 4)] = v
        if r > 30:
            sheet.spilled.add((r, 4))
    assert freeze_values(xl) == 1
    assert sheet.formulas[(30, 2)] == "=Quoten!A5:A14"  # not "=@Quoten!A5:A14"
    assert not {(r, 2) for r in range(30, 40)} & sheet.written  # not turned into constants
    assert [sheet.cells[(r, 4)] for r in range(30, 33)] == [33.34, 33.33, 33.33]
    assert (30, 4) not in sheet.formulas


def test_headless_freeze_needs_stored_values(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    wb = load_workbook(book, keep_vba=True)
    wb[layout.QUOTEN]["A30"] = "=SRB_QUOTE(D5:D14,E5:E14)"
    wb.save(book)
    digest = sha(book)
    assert main(["werte-einfrieren", str(book)]) == 1  # never calculated: nothing to freeze
    assert sha(book) == digest


def test_headless_freeze_uses_the_value_excel_stored(tmp_path: Path) -> None:
    """The value Excel saved with the formula is kept; the user's own formula survives."""
    book = copy_bundled(tmp_path)
    wb = load_workbook(book, keep_vba=True)
    wb[layout.QUOTEN]["A30"] = "=1+1"
    wb[layout.QUOTEN]["A31"] = "=SUM(D5:D6)"
    wb.save(book)
    # Store a value with the formula, as Excel does on save: edit the sheet XML directly.
    src = zipfile.ZipFile(book)
    sheet_part = next(
        n
        for n in src.namelist()
        if n.startswith("xl/worksheets/sheet") and b"<f>1+1</f>" in src.read(n)
    )
    out = tmp_path / "mit_wert.xlsm"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == sheet_part:
                data = data.replace(
                    b"<f>1+1</f><v></v>", b"<f>SRB_QUOTE(D5:D14,E5:E14)</f><v>0.5</v>"
                )
                data = data.replace(b"<f>1+1</f>", b"<f>SRB_QUOTE(D5:D14,E5:E14)</f><v>0.5</v>")
            dst.writestr(info, data)
    src.close()
    vba = part(out, "xl/vbaProject.bin")
    assert main(["werte-einfrieren", str(out)]) == 0
    ws = load_workbook(out, keep_vba=True)[layout.QUOTEN]
    assert ws["A30"].value == 0.5
    assert ws["A31"].value == "=SUM(D5:D6)"
    assert part(out, "xl/vbaProject.bin") == vba
