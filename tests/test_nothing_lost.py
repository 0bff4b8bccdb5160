"""Nothing typed is ever lost: concurrent runs, rows below tables, files and the OS, stale
results. Each case is something that happens between two meetings."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from bookutil import copy_bundled, set_cells, sha
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from xlsozial.adapters.fileio import lock_path
from xlsozial.adapters.openpyxl_book import OpenpyxlBook
from xlsozial.app.cli import main
from xlsozial.book import layout
from xlsozial.book.reader import read_inputs
from xlsozial.evaluation.compute import compute


@pytest.fixture
def master(tmp_path: Path) -> Path:
    return copy_bundled(tmp_path)


# -- two runs at once ----------------------------------------------------------------------

HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from xlsozial.adapters.fileio import master_lock
    with master_lock(Path(sys.argv[1]), "berechnen"):
        Path(sys.argv[2]).write_text("gesperrt")
        time.sleep(float(sys.argv[3]))
    """
)


def test_a_second_process_is_refused_while_the_first_holds_the_master(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flag = tmp_path / "flag"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(master), str(flag), "30"])
    try:
        for _ in range(200):
            if flag.exists():
                break
            time.sleep(0.05)
        assert flag.exists(), "the first process never took the lock"
        digest = sha(master)
        assert main(["einsammeln", str(master), str(tmp_path / "egal.xlsx")]) == 3
        err = capsys.readouterr().err
        assert "wird gerade von einem anderen xlsozial-Lauf bearbeitet (berechnen" in err
        assert sha(master) == digest
    finally:
        holder.kill()
        holder.wait()


def test_two_real_cli_processes_never_lose_an_update(master: Path, tmp_path: Path) -> None:
    # Two berechnen at once: each either wins the lock or is refused with exit 3; the file
    # is always a complete workbook, never a mix.
    cmd = [sys.executable, "-m", "xlsozial.app.cli", "berechnen", str(master)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)]
    procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    codes = [p.wait(timeout=120) for p in procs]
    assert sorted(codes) in ([0, 0], [0, 3])
    read_inputs(OpenpyxlBook.open(master))  # still a valid workbook
    assert not lock_path(master).exists()


def test_a_lock_left_by_a_killed_run_is_taken_over(master: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock_path(master).write_text(
        json.dumps({"pid": dead.pid, "host": socket.gethostname(), "command": "berechnen"})
    )
    assert main(["berechnen", str(master)]) == 0
    assert not lock_path(master).exists()


def test_a_master_saved_by_someone_else_meanwhile_is_not_overwritten(
    master: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from xlsozial.commands import calculation as run

    other = tmp_path / "anders.xlsm"
    set_cells(master, {(layout.GEBIETE, "H5"): 200_000})
    other.write_bytes(master.read_bytes())
    original_compute = run.compute

    def excel_saves_meanwhile(inputs: object, for_sheets: bool = False) -> object:
        # A colleague saves the file in Excel while xlsozial computes.
        set_cells(master, {(layout.GEBIETE, "H6"): 123_456})
        return original_compute(inputs, for_sheets)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "compute", excel_saves_meanwhile)
    saved = None
    try:
        assert main(["berechnen", str(master)]) == 3
        saved = sha(master)
    finally:
        monkeypatch.undo()
    assert "wurde verändert, während xlsozial damit arbeitete" in capsys.readouterr().err
    # The colleague's change is there, and our results were not written over it.
    wb = load_workbook(master, keep_vba=True)
    assert wb[layout.GEBIETE]["H6"].value == 123_456
    assert saved == sha(master)


# -- rows below tables ---------------------------------------------------------------------


def _table_end(path: Path, sheet: str) -> tuple[int, int]:
    ws = load_workbook(path)[sheet]
    tbl = next(iter(ws.tables.values()))
    min_col, _, _, max_row = range_boundaries(tbl.ref)
    return min_col, max_row


def test_positions_typed_below_a_returned_table_are_all_merged(
    master: Path, tmp_path: Path
) -> None:
    # 209 positions, the last 50 typed below the table (LibreOffice does not grow tables).
    out = tmp_path / "versand"
    assert main(["verteilen", str(master), "--ziel", str(out)]) == 0
    path = out / "Kosten_NORD.xlsx"
    wb = load_workbook(path)
    ws = wb["Kosten NORD"]
    tbl = ws.tables[layout.cost_table("NORD").name]
    _, first_row, _, last_row = range_boundaries(tbl.ref)
    rows = list(range(first_row + 1, last_row + 1)) + list(range(last_row + 1, last_row + 51))
    for i, r in enumerate(rows[:209]):
        ws.cell(row=r, column=1, value="Sachkosten")
        ws.cell(row=r, column=2, value=f"Position {i + 1:03d}")
        ws.cell(row=r, column=3, value=10.0)
    wb.save(path)
    assert main(["einsammeln", str(master), str(path)]) == 0
    inputs = read_inputs(OpenpyxlBook.open(master))
    nord = [c for c in inputs.cost_positions if c.provider == "NORD"]
    assert len(nord) == 209 and sum(c.amount for c in nord) == 2090.0


def test_rows_typed_below_a_master_table_are_named_not_dropped(
    master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, last = _table_end(master, layout.GEBIETE)
    set_cells(
        master, {(layout.GEBIETE, f"A{last + 1}"): "Neu", (layout.GEBIETE, f"A{last + 2}"): "X"}
    )
    digest = sha(master)
    assert main(["berechnen", str(master)]) == 1
    err = capsys.readouterr().err
    assert (
        f"Gebiete!A{last + 1}: Zeilen {last + 1}–{last + 2} unter der Tabelle „tblGebiete“" in err
    )
    assert sha(master) == digest


def test_einsammeln_into_a_master_whose_cost_sheet_was_renamed(
    master: Path, tmp_path: Path
) -> None:
    out = tmp_path / "versand"
    assert main(["verteilen", str(master), "--ziel", str(out)]) == 0
    wb = load_workbook(master, keep_vba=True)
    wb["Kosten NORD"].title = "Kosten Nord (alt)"
    wb.save(master)
    assert main(["einsammeln", str(master), str(out / "Kosten_NORD.xlsx")]) == 0


# -- files and the operating system ---------------------------------------------------------


def test_a_read_only_master_is_refused(master: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.chmod(master, 0o444)
    digest = sha(master)
    assert main(["berechnen", str(master)]) == 3
    assert "ist schreibgeschützt" in capsys.readouterr().err
    assert sha(master) == digest and (master.stat().st_mode & 0o777) == 0o444


def test_a_symlinked_master_is_written_through_to_its_target(master: Path, tmp_path: Path) -> None:
    link = tmp_path / "Verknüpfung.xlsm"
    link.symlink_to(master)
    before = sha(master)
    assert main(["berechnen", str(link)]) == 0
    assert link.is_symlink() and sha(master) != before


def test_a_macro_workbook_is_never_written_as_xlsx(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["berechnen", str(master), "--ausgabe", str(tmp_path / "E.xlsx")]) == 2
    assert "muss als .xlsm gespeichert werden" in capsys.readouterr().err
    assert not (tmp_path / "E.xlsx").exists()


def test_werte_einfrieren_to_xlsx_makes_a_genuine_macro_free_workbook(
    master: Path, tmp_path: Path
) -> None:
    out = tmp_path / "Weitergabe.xlsx"
    assert main(["werte-einfrieren", str(master), "--ausgabe", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert not any("vbaProject" in n for n in names)
        assert b"macroEnabled" not in z.read("[Content_Types].xml")
    assert load_workbook(out)[layout.MODELLVERGLEICH]["A1"].value


def test_bericht_without_extension_gets_pdf(master: Path, tmp_path: Path) -> None:
    assert main(["berechnen", str(master)]) == 0
    assert main(["bericht", str(master), "--pdf", str(tmp_path / "Vorlage")]) == 0
    assert (tmp_path / "Vorlage.pdf").read_bytes().startswith(b"%PDF")


def test_a_damaged_part_and_a_password_are_named(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "kaputt.xlsm"
    with zipfile.ZipFile(master) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = data[: len(data) // 2]
            dst.writestr(info, data)
    assert main(["berechnen", str(broken)]) == 3
    assert "ist beschädigt" in capsys.readouterr().err
    locked = tmp_path / "geheim.xlsm"
    locked.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    assert main(["pruefen", str(locked)]) == 3
    assert "mit einem Kennwort geschützt" in capsys.readouterr().err


def test_verteilen_into_a_file_instead_of_a_folder(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "datei.txt"
    target.write_text("x")
    assert main(["verteilen", str(master), "--ziel", str(target)]) == 3
    assert "ist eine Datei, kein Ordner" in capsys.readouterr().err


def test_an_internal_failure_has_its_own_code_and_a_log(
    master: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from xlsozial.commands import calculation as run

    def broken(inputs: object, for_sheets: bool = False) -> object:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(run, "compute", broken)
    digest = sha(master)
    assert main(["berechnen", str(master)]) == 4
    err = capsys.readouterr().err
    assert "Interner Fehler" in err and "Traceback" not in err
    log = Path(err.rsplit("Details für den Support: ", 1)[1].strip())
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    assert sha(master) == digest


def test_temp_files_of_a_killed_run_are_removed_later(master: Path) -> None:
    tag = "".join(c for c in socket.gethostname() if c.isalnum())[:20]
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = master.with_name(f".xlsozial-{tag}-{dead.pid}-abc123.xlsm")
    left.write_bytes(b"halb")
    assert main(["berechnen", str(master)]) == 0
    assert not left.exists()


# -- results that are never stale ------------------------------------------------------------


def test_einsammeln_leaves_every_result_sheet_current(master: Path, tmp_path: Path) -> None:
    out = tmp_path / "versand"
    assert main(["verteilen", str(master), "--ziel", str(out)]) == 0
    path = out / "Kosten_NORD.xlsx"
    wb = load_workbook(path)
    wb["Kosten NORD"]["C5"] = 99_000.0
    wb.save(path)
    assert main(["einsammeln", str(master), str(path)]) == 0
    book = OpenpyxlBook.open(master)
    res = compute(read_inputs(book))
    ws = load_workbook(master)[layout.UEBERGANG]
    cells = {c.value for row in ws.iter_rows() for c in row}
    first = res.transition[0] if res.transition else None
    if first is not None:
        assert first.bound_total / 100 in cells
    # and the Bericht accepts the file without another Berechnen
    assert main(["bericht", str(master), "--pdf", str(tmp_path / "b.pdf")]) == 0


def test_bericht_refuses_results_older_than_the_inputs(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["berechnen", str(master)]) == 0
    set_cells(master, {(layout.GEBIETE, "H5"): 250_000})
    assert main(["bericht", str(master), "--pdf", str(tmp_path / "b.pdf")]) == 1
    assert "seit der letzten Berechnung geändert" in capsys.readouterr().err
    assert not (tmp_path / "b.pdf").exists()
    assert main(["berechnen", str(master)]) == 0
    assert main(["bericht", str(master), "--pdf", str(tmp_path / "b.pdf")]) == 0


def test_red_checks_are_written_but_every_sheet_says_invalid(
    master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # All previous money in one Sozialraum: its loss exceeds regionales Budget 1.
    changes = {(layout.GEBIETE, f"H{r}"): 1 for r in range(6, 15)}
    changes[(layout.GEBIETE, "H5")] = 1_999_991
    set_cells(master, changes)
    assert main(["berechnen", str(master)]) == 5
    assert "Prüfungen sind rot" in capsys.readouterr().err
    wb = load_workbook(master)
    for sheet in layout.OUTPUT_SHEETS:
        assert str(wb[sheet]["A1"].value).startswith("UNGÜLTIG – "), sheet


# -- one round --------------------------------------------------------------------------------


def test_type_and_reference_errors_come_in_one_round(
    master: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_cells(
        master,
        {
            (layout.GEBIETE, "D5"): "viele",
            (layout.GEBIETE, "C6"): "UNBEKANNT",
            (layout.GEBIETE, "D7"): "auch viele",
        },
    )
    assert main(["pruefen", str(master)]) == 1
    err = capsys.readouterr().err
    assert "Gebiete!D5: „viele“ ist keine Zahl" in err
    assert "Gebiete!C6: unbekannter SRT „UNBEKANNT“" in err
    assert "Gebiete!D7" in err


def test_a_position_for_another_srts_sozialraum_is_merged_with_a_hint(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "versand"
    assert main(["verteilen", str(master), "--ziel", str(out)]) == 0
    capsys.readouterr()
    path = out / "Kosten_NORD.xlsx"
    wb = load_workbook(path)
    wb["Kosten NORD"]["D5"] = "Amt Neuhaus"  # served by ELBE, not by NORD
    wb.save(path)
    assert main(["einsammeln", str(master), str(path)]) == 0
    assert "Sozialraum „Amt Neuhaus“ wird von SRT ELBE betreut, nicht von NORD" in (
        capsys.readouterr().out
    )
