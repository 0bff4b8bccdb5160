"""The Excel path, run through xlwings' own API on a registered test engine (no Excel here).

Every call goes through ``xlwings.Book``/``Sheet``/``Range``/``Table``/``Name`` and xlwings'
conversion pipeline; only Excel itself is played by ``tests/xlwings_engine.py``.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import pytest
from bookutil import BUNDLED, copy_bundled
from openpyxl import load_workbook
from xlwings_engine import memory, open_book

from xlsozial.adapters.xlwings_book import XlwingsBook
from xlsozial.app import excel, headless
from xlsozial.book import layout
from xlsozial.commands.build_workbook import build_bytes
from xlsozial.domain.example import synthetic_inputs
from xlsozial.domain.results import Results

MARK = (255, 199, 206)


def run_calculate(book: Any) -> Results | None:
    result = excel.run(excel.calculate, XlwingsBook(book))
    return result if isinstance(result, Results) else None


def run_check(book: Any) -> object:
    return excel.run(excel.check, XlwingsBook(book))


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
    # The engine parses written strings as Excel does in that locale: texts must stay texts.
    xl = open_book(BUNDLED.read_bytes(), locale=locale)
    live = run_calculate(xl)
    book = copy_bundled(tmp_path)
    from_file = headless.calculate(book)
    assert live is not None
    assert live == from_file
    mem = memory(xl)
    for sheet in OUTPUTS:
        # The file stores floats to 15–16 digits, like Excel; compare to that precision.
        assert same(mem.grid(sheet), openpyxl_grid(book, sheet)), sheet
    log = mem.sheet(layout.PROTOKOLL)
    assert log.cells[(5, 3)] == "Berechnen (Excel)" and log.cells[(5, 8)] == "OK"
    assert log.cells[(5, 2)] == "Frau Meyer (Excel)"  # who pressed the button, from Excel
    assert mem.status_history[-1] is False  # status bar handed back to Excel
    assert len(mem.sheet(layout.MODELLVERGLEICH).charts) == 1
    assert all(mem.sheet(s).protected for s in OUTPUTS)  # protected again after writing
    # Headers as the headless path writes them: wrapped, tall enough, amounts right-aligned.
    comparison = mem.sheet(layout.MODELLVERGLEICH)
    assert (4, 1) in comparison.wrapped and comparison.heights[4] > 15
    assert comparison.aligned[(4, 4)] == "right" and (4, 1) not in comparison.aligned
    # Pages end where the headless writer ends them (a table or chart starts a new page).
    for sheet in (layout.MODELLVERGLEICH, layout.BUDGETAUFTEILUNG):
        written = load_workbook(book, keep_vba=True)[sheet].row_breaks.brk
        assert mem.sheet(sheet).row_breaks == [b.id for b in written] != [], sheet


def test_range_calls_do_not_grow_with_rows() -> None:
    def calls(areas: int, positions: int) -> tuple[int, int]:
        data = build_bytes(synthetic_inputs(areas, 4, 3, positions))
        xl = open_book(data)
        assert run_calculate(xl) is not None
        mem = memory(xl)
        page_ends = sum(len(mem.sheet(s).row_breaks) for s in OUTPUTS)  # one per table/chart
        diagnosis = mem.sheet(layout.DIAGNOSE).range_calls
        tiles = mem.sheet(layout.KARTE).range_calls
        return mem.range_calls - page_ends - diagnosis - tiles, diagnosis, tiles

    (small, small_diagnosis, small_map), (large, large_diagnosis, large_map) = (
        calls(12, 5),
        calls(60, 40),
    )
    assert small == large
    assert small < 700  # per sheet, block and column, never per row
    # The Indikatoren-Diagnose marks the pairs and gaps the data have: bounded by the four
    # indicators (pairs both ways round, years), not by the rows.
    assert max(small_diagnosis, large_diagnosis) <= 60 + 2 * 4 * 4 + 4 * 3
    # Blatt Karte is one shaded cell per Sozialraum (twice): bounded by the Sozialräume.
    assert small_map <= 40 + 2 * 12 and large_map <= 40 + 2 * 60


def test_invalid_input_gives_message_box_list_and_marked_cells() -> None:
    wb = load_workbook(io.BytesIO(BUNDLED.read_bytes()), keep_vba=True)
    wb[layout.GEBIETE]["D7"] = "viele"
    wb[layout.INDIKATOREN]["C6"] = -1
    buffer = io.BytesIO()
    wb.save(buffer)
    xl = open_book(buffer.getvalue())
    mem = memory(xl)
    before = mem.grid(layout.MODELLVERGLEICH)
    assert run_calculate(xl) is None
    assert len(mem.alerts) == 1
    alert = mem.alerts[0]
    assert "2 Problem(e)" in alert and "Gebiete!D7" in alert and "Traceback" not in alert
    checks = mem.grid(layout.PRUEFUNGEN)
    assert (5, 1) in checks and checks[(5, 1)] == "Gebiete!D7"
    assert mem.sheet(layout.GEBIETE).colours[(7, 4)] == MARK
    assert mem.grid(layout.MODELLVERGLEICH) == before  # nothing computed, nothing overwritten
    # Fixing the input and running again restores the cell colour and computes.
    mem.sheet(layout.GEBIETE).cells[(7, 4)] = 9471
    mem.sheet(layout.INDIKATOREN).cells[(6, 3)] = 2.0
    assert run_calculate(xl) is not None
    assert mem.sheet(layout.GEBIETE).colours.get((7, 4)) != MARK


def test_many_marked_cells_all_lose_their_mark_once_fixed() -> None:
    # 25 faulty cells: more marks than one defined name (255 characters) can remember.
    wb = load_workbook(io.BytesIO(BUNDLED.read_bytes()), keep_vba=True)
    ws = wb[layout.INDIKATORWERTE]
    good = {r: ws[f"D{r}"].value for r in range(5, 30)}
    for r in good:
        ws[f"D{r}"] = "viel"
    buffer = io.BytesIO()
    wb.save(buffer)
    xl = open_book(buffer.getvalue())
    sheet = memory(xl).sheet(layout.INDIKATORWERTE)
    assert run_calculate(xl) is None
    marked = {k for k, v in sheet.colours.items() if v == MARK}
    assert marked == {(r, 4) for r in good}
    for r, value in good.items():
        sheet.cells[(r, 4)] = value
    assert run_calculate(xl) is not None
    assert not {k for k, v in sheet.colours.items() if v == MARK}


def test_pruefen_writes_only_the_checks_sheet() -> None:
    xl = open_book(BUNDLED.read_bytes())
    mem = memory(xl)
    before = mem.grid(layout.MODELLVERGLEICH)
    assert run_check(xl) is not None
    assert mem.grid(layout.MODELLVERGLEICH) == before
    assert mem.alerts == ["Alle 17 Prüfungen bestanden."]


@pytest.mark.parametrize("entry", ["berechnen", "pruefen", "werte_einfrieren"])
def test_ribbon_entry_points_work_on_the_calling_book(entry: str) -> None:
    import xlwings as xw

    xl = open_book(BUNDLED.read_bytes())
    xl.set_mock_caller()  # what RunPython does: Book.caller() is this book
    try:
        getattr(excel, entry)()
    finally:
        del xw.Book._mock_caller
    mem = memory(xl)
    assert not any("Interner Fehler" in a for a in mem.alerts), mem.alerts
    if entry == "berechnen":
        assert mem.sheet(layout.PROTOKOLL).cells[(5, 3)] == "Berechnen (Excel)"
    else:
        assert mem.alerts


def test_a_program_failure_in_excel_is_a_message_and_a_log(monkeypatch: pytest.MonkeyPatch) -> None:
    from xlsozial.commands import calculation as service

    def broken(inputs: object, for_sheets: bool = False) -> object:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(service, "compute", broken)
    xl = open_book(BUNDLED.read_bytes())
    assert run_calculate(xl) is None
    alert = memory(xl).alerts[-1]
    assert alert.startswith("Interner Fehler") and "Traceback" not in alert
    log = Path(alert.rsplit("Details für den Support: ", 1)[1].strip())
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")


def test_quote_festschreiben_in_excel_takes_the_vorlage_as_beschluss() -> None:
    xl = open_book(BUNDLED.read_bytes())
    assert excel.run(excel.fix_quota, XlwingsBook(xl)) is not None
    mem = memory(xl)
    quota = mem.sheet("Quote")
    assert quota.cells[(5, 3)] == "2026/123 (fiktiv)"  # Beschluss = Vorlage-Nr.
    assert quota.cells[(5, 4)] == 2027 and quota.cells[(5, 5)] == 2031
    assert mem.sheet(layout.PROTOKOLL).cells[(5, 3)] == "Quote festschreiben"
    assert "Quote festgeschrieben" in mem.alerts[-1]


def test_jahreswechsel_in_excel_needs_the_saved_file(tmp_path: Path) -> None:
    xl = open_book(BUNDLED.read_bytes())
    assert excel.run(excel.roll_over, XlwingsBook(xl)) is None
    assert "zuerst berechnen und speichern" in memory(xl).alerts[-1]
    saved = copy_bundled(tmp_path)
    memory(xl).fullname = str(saved)
    assert excel.run(excel.roll_over, XlwingsBook(xl)) is not None
    assert (tmp_path / "Sozialraumbudget_2028.xlsm").exists()
    assert (tmp_path / "Sozialraumbudget_2027.xlsx").exists()
    assert "Jahreswechsel 2027 → 2028" in memory(xl).alerts[-1]
    # The new year's Protokoll names Excel's user, like every other button's row.
    log = load_workbook(tmp_path / "Sozialraumbudget_2028.xlsm", keep_vba=True)[layout.PROTOKOLL]
    rows = [r for r in log.iter_rows(min_row=5, values_only=True) if r[2] == "Jahreswechsel"]
    assert rows and rows[-1][1] == "Frau Meyer (Excel)"


def test_quote_festschreiben_in_excel_without_vorlage_points_at_the_cell() -> None:
    xl = open_book(BUNDLED.read_bytes())
    mem = memory(xl)
    sheet, coord = "Parameter", None
    for name in mem.names.values():
        if name.name == "Vorlage_Nr":
            coord = name.refers_to.split("!")[1].replace("$", "")
    assert coord is not None
    target = xl.sheets[sheet].range(coord)
    target.value = None
    assert excel.run(excel.fix_quota, XlwingsBook(xl)) is None
    assert "Vorlage-Nr." in mem.alerts[-1] and f"Parameter!{coord}" in mem.alerts[-1]
    assert mem.sheet(sheet).colours.get((target.row, target.column)) == MARK  # marked
    assert (5, 1) not in mem.sheet("Quote").cells  # nothing fixed


def test_output_sheets_are_protected_with_the_same_flags_as_headless(tmp_path: Path) -> None:
    """After any button the user may still widen columns and rows (a wrapped head row), as
    in the file the command line writes (formatColumns/formatRows „0“ = allowed)."""
    from openpyxl import load_workbook

    xl = open_book(BUNDLED.read_bytes())
    assert run_calculate(xl) is not None
    flags = memory(xl).sheet(layout.MODELLVERGLEICH).protect_flags
    assert flags["Contents"] is True
    assert flags["AllowFormattingColumns"] is True and flags["AllowFormattingRows"] is True
    book = copy_bundled(tmp_path)
    from xlsozial.app.cli import main

    assert main(["berechnen", str(book)]) == 0
    headless = load_workbook(book, keep_vba=True)[layout.MODELLVERGLEICH].protection
    assert headless.sheet and not headless.formatColumns and not headless.formatRows
