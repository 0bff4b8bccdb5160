"""The live-Excel adapter, run against an in-memory fake of xlwings' object model."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import pytest
from bookutil import BUNDLED, copy_bundled
from fake_xlwings import FakeBook
from openpyxl import load_workbook

from xlsozial.book import layout
from xlsozial.book.build import build_bytes
from xlsozial.book.run import run_calculate as headless_calculate
from xlsozial.example import synthetic_inputs
from xlsozial.excel import XlwingsBook, run_calculate, run_check

OUTPUTS = [*layout.OUTPUT_SHEETS]


def openpyxl_grid(path: Path, sheet: str) -> dict[tuple[int, int], Any]:
    ws = load_workbook(path, keep_vba=True)[sheet]
    return {
        (c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None
    }


def same(a: dict[tuple[int, int], Any], b: dict[tuple[int, int], Any]) -> bool:
    """Equal grids; floats to 12 significant digits (a file keeps 15–17, like Excel)."""
    if a.keys() != b.keys():
        return False
    for key, x in a.items():
        y = b[key]
        if isinstance(x, float) and isinstance(y, (int, float)):
            if not math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12):
                return False
        elif x != y:
            return False
    return True


@pytest.mark.parametrize("locale", ["de", "en"])
def test_excel_and_headless_write_identical_results(tmp_path: Path, locale: str) -> None:
    # The fake parses written strings as Excel does in that locale: texts must stay texts.
    fake = FakeBook.from_bytes(BUNDLED.read_bytes())
    fake.locale = locale
    live = run_calculate(XlwingsBook(fake))
    book = copy_bundled(tmp_path)
    headless = headless_calculate(book)
    assert live is not None
    assert live == headless
    for sheet in OUTPUTS:
        # The file stores floats to 15–16 digits, like Excel; compare to that precision.
        assert same(fake.grid(sheet), openpyxl_grid(book, sheet)), sheet
    log = fake.sheets[layout.PROTOKOLL]
    assert log.cells[(5, 3)] == "Berechnen (Excel)" and log.cells[(5, 8)] == "OK"
    assert fake.app.status_bar is False  # status bar handed back to Excel
    assert len(fake.sheets[layout.MODELLVERGLEICH].charts) == 1


def test_range_calls_do_not_grow_with_rows() -> None:
    def calls(areas: int, positions: int) -> int:
        data = build_bytes(synthetic_inputs(areas, 4, 3, positions))
        fake = FakeBook.from_bytes(data)
        assert run_calculate(XlwingsBook(fake)) is not None
        return fake.counter.range_calls

    small, large = calls(12, 5), calls(60, 40)
    assert small == large
    assert small < 400


def test_invalid_input_gives_message_box_list_and_marked_cells() -> None:
    wb = load_workbook(io.BytesIO(BUNDLED.read_bytes()), keep_vba=True)
    wb[layout.GEBIETE]["D7"] = "viele"
    wb[layout.INDIKATOREN]["C6"] = -1
    buffer = io.BytesIO()
    wb.save(buffer)
    fake = FakeBook.from_bytes(buffer.getvalue())
    before = fake.grid(layout.MODELLVERGLEICH)
    assert run_calculate(XlwingsBook(fake)) is None
    assert len(fake.app.alerts) == 1
    alert = fake.app.alerts[0]
    assert "2 Problem(e)" in alert and "Gebiete!D7" in alert and "Traceback" not in alert
    checks = fake.grid(layout.PRUEFUNGEN)
    assert (5, 1) in checks and checks[(5, 1)] == "Gebiete!D7"
    assert fake.sheets[layout.GEBIETE].colours[(7, 4)] == (255, 199, 206)
    assert fake.grid(layout.MODELLVERGLEICH) == before  # nothing computed, nothing overwritten
    # Fixing the input and running again restores the cell colour and computes.
    fake.sheets[layout.GEBIETE].cells[(7, 4)] = 9471
    fake.sheets[layout.INDIKATOREN].cells[(6, 3)] = 2.0
    assert run_calculate(XlwingsBook(fake)) is not None
    assert fake.sheets[layout.GEBIETE].colours.get((7, 4)) != (255, 199, 206)


def test_many_marked_cells_all_lose_their_mark_once_fixed() -> None:
    # 25 faulty cells: more marks than one defined name (255 characters) can remember.
    wb = load_workbook(io.BytesIO(BUNDLED.read_bytes()), keep_vba=True)
    ws = wb[layout.INDIKATORWERTE]
    good = {r: ws[f"D{r}"].value for r in range(5, 30)}
    for r in good:
        ws[f"D{r}"] = "viel"
    buffer = io.BytesIO()
    wb.save(buffer)
    fake = FakeBook.from_bytes(buffer.getvalue())
    sheet = fake.sheets[layout.INDIKATORWERTE]
    assert run_calculate(XlwingsBook(fake)) is None
    marked = {k for k, v in sheet.colours.items() if v == (255, 199, 206)}
    assert marked == {(r, 4) for r in good}
    for r, value in good.items():
        sheet.cells[(r, 4)] = value
    assert run_calculate(XlwingsBook(fake)) is not None
    assert not {k for k, v in sheet.colours.items() if v == (255, 199, 206)}


def test_pruefen_writes_only_the_checks_sheet() -> None:
    fake = FakeBook.from_bytes(BUNDLED.read_bytes())
    before = fake.grid(layout.MODELLVERGLEICH)
    assert run_check(XlwingsBook(fake)) is not None
    assert fake.grid(layout.MODELLVERGLEICH) == before
    assert fake.app.alerts == ["Alle Prüfungen bestanden."]


@pytest.mark.parametrize("entry", ["berechnen", "pruefen"])
def test_entry_points_use_the_calling_book(entry: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import xlwings as xw

    import xlsozial.excel as excel

    fake = FakeBook.from_bytes(BUNDLED.read_bytes())
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: fake))
    getattr(excel, entry)()
    assert fake.app.alerts == [] if entry == "berechnen" else fake.app.alerts
