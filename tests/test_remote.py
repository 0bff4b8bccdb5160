"""Berechnen without Python on the clerk's PC: the remote path (xlwings Server / Lite).

Each test sends the book as the VBA client ``Remote.bas`` sends it (:mod:`remote_client`),
runs the command through ``xw.Book(json=…)`` exactly as the server does, carries out the
returned actions on a copy of the file as the VBA client would, and compares every cell with
what the headless command line writes for the same file.
"""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import xlwings
from bookutil import copy_bundled, set_cells
from openpyxl import load_workbook
from remote_client import apply, payload

from xlsozial.adapters.remote_book import CLIENT_ACTIONS
from xlsozial.app.cli import main
from xlsozial.app.remote import SCRIPTS, run_remote
from xlsozial.book import layout

REMOTE_BAS = Path(xlwings.__file__).parent / "addin" / "Remote.bas"
# What differs by nature: when and by which path the run was made.
RUN_STAMPS = {("Start", "B17"), ("Protokoll", "A"), ("Protokoll", "B"), ("Protokoll", "C")}


@pytest.fixture(autouse=True)
def licence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


def remote(book: Path, script: str, tmp_path: Path) -> tuple[Path, list[str], list[Any]]:
    out = run_remote(script, payload(book), user="sachbearbeitung")
    target = tmp_path / f"remote_{book.name}"
    return target, apply(book, out["actions"], target), out["actions"]


def headless(book: Path, tmp_path: Path) -> tuple[Path, int]:
    target = tmp_path / f"headless_{book.name}"
    shutil.copyfile(book, target)
    return target, main(["berechnen", str(target)])


def _stamp(sheet: str, coordinate: str) -> bool:
    column = re.match(r"[A-Z]+", coordinate)
    return (sheet, coordinate) in RUN_STAMPS or (
        sheet == "Protokoll" and column is not None and (sheet, column.group()) in RUN_STAMPS
    )


def differences(expected: Path, actual: Path) -> list[tuple[str, str, Any, Any]]:
    """Cells whose values differ; numbers to Excel's 15 significant digits (what a cell
    holds – xlwings' remote model sends them so), money is whole cents and exact."""
    a, b = load_workbook(expected, data_only=True), load_workbook(actual, data_only=True)
    assert a.sheetnames == b.sheetnames
    found = []
    for ws in a.worksheets:
        other = b[ws.title]
        rows = max(ws.max_row, other.max_row)
        cols = max(ws.max_column, other.max_column)
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                x, y = ws.cell(r, c).value, other.cell(r, c).value
                where = ws.cell(r, c).coordinate
                if x == y or _stamp(ws.title, where):
                    continue
                both_float = isinstance(x, float) and isinstance(y, float)
                if both_float and math.isclose(x, y, rel_tol=1e-15, abs_tol=1e-300):
                    continue
                found.append((ws.title, where, x, y))
    return found


def test_every_action_is_one_the_vba_client_carries_out(tmp_path: Path) -> None:
    subs = set(
        re.findall(
            r"^Sub (\w+)\(wb As Workbook, action As Dictionary\)",
            REMOTE_BAS.read_text(encoding="utf-8"),
            re.M,
        )
    )
    assert subs == CLIENT_ACTIONS
    _, _, actions = remote(copy_bundled(tmp_path), "berechnen", tmp_path)
    assert actions and {a["func"] for a in actions} <= CLIENT_ACTIONS


def test_berechnen_on_the_server_writes_what_the_command_line_writes(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    expected, code = headless(book, tmp_path)
    actual, alerts, _ = remote(book, "berechnen", tmp_path)
    assert code == 0 and alerts == []
    assert differences(expected, actual) == []
    log = load_workbook(actual)[layout.LOG.sheet]
    users = [c.value for c in log["B"] if c.value == "sachbearbeitung"]
    assert users, "der Protokoll-Eintrag nennt den am Server angemeldeten Benutzer"


def test_red_checks_on_the_server_are_written_invalid_and_said(tmp_path: Path) -> None:
    # All previous money in one Sozialraum: its loss exceeds regionales Budget 1.
    book = copy_bundled(tmp_path)
    changes: dict[tuple[str, str], Any] = {(layout.GEBIETE, f"H{r}"): 1 for r in range(6, 15)}
    changes[(layout.GEBIETE, "H5")] = 1_999_991
    set_cells(book, changes)
    expected, code = headless(book, tmp_path)
    actual, alerts, _ = remote(book, "berechnen", tmp_path)
    assert code == 5
    assert len(alerts) == 1 and "Prüfungen sind rot" in alerts[0]
    assert differences(expected, actual) == []
    wb = load_workbook(actual)
    for sheet in layout.OUTPUT_SHEETS:
        assert str(wb[sheet]["A1"].value).startswith("UNGÜLTIG – "), sheet


def test_an_input_error_names_its_cell_on_the_server_as_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = copy_bundled(tmp_path)
    set_cells(book, {(layout.GEBIETE, "H7"): "viel"})
    _, code = headless(book, tmp_path)
    said = capsys.readouterr().err
    actual, alerts, _ = remote(book, "berechnen", tmp_path)
    assert code == 1 and "Gebiete!H7" in said
    assert len(alerts) == 1 and "Gebiete!H7" in alerts[0] and "nichts berechnet" in alerts[0]
    listed = [
        " ".join(str(c.value) for c in row if c.value is not None)
        for row in load_workbook(actual)[layout.PRUEFUNGEN].iter_rows()
    ]
    assert any("Gebiete!H7" in line for line in listed)
    # nothing else was written: the other output sheets are as the client sent them
    before = load_workbook(book, data_only=True)
    after = load_workbook(actual, data_only=True)
    for sheet in set(layout.OUTPUT_SHEETS) - {layout.PRUEFUNGEN}:
        assert [[c.value for c in r] for r in before[sheet].iter_rows()] == [
            [c.value for c in r] for r in after[sheet].iter_rows()
        ], sheet


def test_pruefen_on_the_server_says_every_check_passed(tmp_path: Path) -> None:
    _, alerts, actions = remote(copy_bundled(tmp_path), "pruefen", tmp_path)
    assert len(alerts) == 1 and alerts[0].startswith("Alle ") and "bestanden" in alerts[0]
    assert {a["func"] for a in actions} <= CLIENT_ACTIONS


def test_every_ribbon_button_has_a_script_on_the_server() -> None:
    vba = (Path(__file__).resolve().parent.parent / "workbook" / "vba" / "Ribbon.bas").read_text(
        encoding="utf-8"
    )
    buttons = set(re.findall(r"x\.(\w+)\(\)", vba))
    assert buttons == set(SCRIPTS)


def test_without_the_licence_setting_the_server_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XLWINGS_LICENSE_KEY")
    out = run_remote("berechnen", payload(copy_bundled(tmp_path)))
    assert [a["func"] for a in out["actions"]] == ["alert"]
    assert "XLWINGS_LICENSE_KEY=noncommercial" in out["actions"][0]["args"][0]


def test_quote_festschreiben_on_the_server_is_the_command_line_s(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    paper = load_workbook(book, data_only=True)
    decision = next(
        str(ws[ref].value)
        for name, defined in paper.defined_names.items()
        if name == "Vorlage_Nr"
        for sheet, ref in defined.destinations
        for ws in [paper[sheet]]
    )
    expected = tmp_path / "headless.xlsm"
    shutil.copyfile(book, expected)
    args = ["quote-festschreiben", str(expected), "--beschluss", decision]
    assert main([*args, "--von", "sachbearbeitung"]) == 0
    actual, alerts, actions = remote(book, "quote_festschreiben", tmp_path)
    assert len(alerts) == 1 and alerts[0].startswith(f"Quote festgeschrieben: Beschluss {decision}")
    assert "resizeTable" in {a["func"] for a in actions}
    assert differences(expected, actual) == []


def test_a_workbook_built_for_another_xlwings_gets_a_german_answer_not_xlwings_english(
    tmp_path: Path,
) -> None:
    sent = payload(copy_bundled(tmp_path))
    sent["version"] = "0.33.1"  # a book built with an older xlsozial
    out = run_remote("berechnen", sent)
    assert [a["func"] for a in out["actions"]] == ["alert"]
    said = out["actions"][0]["args"][0]
    assert "xlwings 0.33.1" in said and f"xlwings {xlwings.__version__}" in said
    assert "Your xlwings version" not in said


def test_an_old_workbook_without_the_link_cell_still_gets_the_link_in_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XLSOZIAL_ABLAGE", str(tmp_path / "ablage"))
    monkeypatch.setenv("XLSOZIAL_SCHLUESSEL", "k")
    monkeypatch.setenv("XLSOZIAL_SERVER_URL", "https://server")
    sent = payload(copy_bundled(tmp_path))
    sent["names"] = [n for n in sent["names"] if n["name"] != layout.NAME_FILING]
    out = run_remote("einsammeln", sent)
    assert "addHyperlink" not in {a["func"] for a in out["actions"]}
    said = [a["args"][0] for a in out["actions"] if a["func"] == "alert"]
    assert len(said) == 1 and "https://server/xlsozial/ablage/Sozialraumbudget?" in said[0]
    assert "Blatt Start" not in said[0].rsplit("https://server", 1)[1]


def test_the_add_in_gets_the_same_cells_and_the_same_macro_requests(tmp_path: Path) -> None:
    """Excel on the web (Office.js) sends the same book; its task pane runs the macros."""
    book = copy_bundled(tmp_path)
    expected, _ = headless(book, tmp_path)
    sent = payload(book)
    sent["client"] = "Office.js"
    out = run_remote("berechnen", sent, user="sachbearbeitung")
    actual = tmp_path / "officejs.xlsm"
    assert apply(book, out["actions"], actual) == []
    assert differences(expected, actual) == []
    asked = {a["args"][0] for a in out["actions"] if a["func"] == "runMacro"}
    assert asked == {"SrbSchutzAufheben", "SrbSchutzSetzen"}


def test_under_xlwings_lite_no_macro_is_requested(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lite (Pyodide) runs no macros: asking for one would stop the script."""
    monkeypatch.setattr("sys.platform", "emscripten")
    out = run_remote("pruefen", payload(copy_bundled(tmp_path)))
    funcs = [a["func"] for a in out["actions"]]
    assert "runMacro" not in funcs and funcs[-1] == "alert"
