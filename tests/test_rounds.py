"""Circulation rounds: only the right SRT's file of the open round of this workbook counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from bookutil import copy_bundled, sha
from openpyxl import load_workbook

from xlsozial.book import layout, rounds
from xlsozial.book.openpyxl_book import OpenpyxlBook
from xlsozial.book.reader import read_inputs
from xlsozial.cli import main


@pytest.fixture
def master(tmp_path: Path) -> Path:
    return copy_bundled(tmp_path)


def send(master: Path, folder: Path, *extra: str) -> Path:
    assert main(["verteilen", str(master), "--ziel", str(folder), *extra]) == 0
    return folder


def fill(path: Path, key: str, amount: float) -> Path:
    wb = load_workbook(path)
    wb[f"Kosten {key}"]["C5"] = amount
    wb.save(path)
    return path


def spoof(path: Path, old: str, new: str) -> Path:
    """What anyone with Excel's VBA editor or LibreOffice can do to the hidden sheet."""
    wb = load_workbook(path)
    wb["xlsozial"]["B1"] = new
    ws = wb[f"Kosten {old}"]
    ws.title = f"Kosten {new}"
    table = ws.tables[f"tblKosten_{old}"]
    table.name = table.displayName = f"tblKosten_{new}"
    del ws.tables[f"tblKosten_{old}"]
    ws.tables[table.name] = table
    wb.save(path)
    return path


def output(capsys: pytest.CaptureFixture[str]) -> str:
    """What the terminal showed: the report on stdout, the refusals on stderr."""
    captured = capsys.readouterr()
    return captured.out + captured.err


def collect(master: Path, *files: Path, partial: bool = False) -> int:
    args = ["einsammeln", str(master), *map(str, files)]
    return main([*args, "--nur-gueltige"] if partial else args)


def test_a_spoofed_return_is_refused_and_the_master_stays_as_it_was(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sent = send(master, tmp_path / "versand")
    fake = spoof(fill(sent / "Kosten_ELBE.xlsx", "ELBE", 1.0), "ELBE", "NORD")
    digest = sha(master)
    assert collect(master, fake) == 1
    out = output(capsys)
    assert "die Kennung passt nicht zu SRT „NORD“" in out
    assert sha(master) == digest


def test_a_return_from_the_previous_round_is_refused(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = send(master, tmp_path / "runde1")
    send(master, tmp_path / "runde2")
    digest = sha(master)
    assert collect(master, fill(old / "Kosten_NORD.xlsx", "NORD", 5.0)) == 1
    assert "stammt aus Runde 1; offen ist Runde 2" in output(capsys)
    assert sha(master) == digest


def test_a_return_for_another_workbook_is_refused(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = copy_bundled(tmp_path, "Vorjahr.xlsm")
    send(master, tmp_path / "versand")
    foreign = send(other, tmp_path / "versand_vorjahr")
    digest = sha(master)
    assert collect(master, fill(foreign / "Kosten_NORD.xlsx", "NORD", 5.0)) == 1
    assert "gehört zu einer anderen Mappe" in output(capsys)
    assert sha(master) == digest


def test_a_file_from_before_rounds_existed_is_refused(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sent = send(master, tmp_path / "versand")
    path = sent / "Kosten_NORD.xlsx"
    wb = load_workbook(path)
    for row in wb["xlsozial"].iter_rows():
        if row[0].value in ("Runde", "Kennung", "Mappe-ID"):
            row[0].value = row[1].value = None
    wb.save(path)
    assert collect(master, path) == 1
    assert "ohne Kennung" in output(capsys)


def test_the_overview_shows_two_in_one_rejected_one_open(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sent = send(master, tmp_path / "versand", "--frist", "01.01.2020")
    nord = fill(sent / "Kosten_NORD.xlsx", "NORD", 41_000.0)
    elbe = fill(sent / "Kosten_ELBE.xlsx", "ELBE", 22_000.0)
    fake = spoof(fill(sent / "Kosten_OSTHEIDE.xlsx", "OSTHEIDE", 1.0), "OSTHEIDE", "HEIDE")
    assert collect(master, nord, elbe, fake, partial=True) == 1  # one rejected
    capsys.readouterr()
    assert main(["ruecklauf", str(master)]) == 0
    text = output(capsys)
    lines = {line.split()[0]: line for line in text.splitlines()[1:]}
    assert "übernommen" in lines["NORD"] and "übernommen" in lines["ELBE"]
    assert "abgelehnt" in lines["HEIDE"] and "Kennung passt nicht" in lines["HEIDE"]
    assert "offen" in lines["OSTHEIDE"]
    # The merge went in and the results are current.
    nord_costs = [
        c for c in read_inputs(OpenpyxlBook.open(master)).cost_positions if c.provider == "NORD"
    ]
    assert 41_000.0 in [c.amount for c in nord_costs]
    wb = load_workbook(master)
    overview = [[c.value for c in row] for row in wb[layout.RUECKLAUF].iter_rows(min_row=5)]
    first = overview[: next(i for i, r in enumerate(overview) if not r[0])]  # the SRT rows
    status = {r[0]: r[8] for r in first}
    assert status == {
        "ELBE": "übernommen",
        "HEIDE": "abgelehnt",
        "NORD": "übernommen",
        "OSTHEIDE": "offen",
    }
    # Past the deadline with returns open: a yellow Prüfung, not a red one.
    assert main(["berechnen", str(master)]) == 0
    checks = {r[0].value: r[1].value for r in load_workbook(master)[layout.PRUEFUNGEN].iter_rows()}
    assert checks["Rückläufer der Runde vollständig"] == "HINWEIS"
    # Tokens never stand on a visible sheet.
    state = rounds.load(OpenpyxlBook.open(master))
    assert state is not None
    tokens = {t.token for t in state.tickets.values()}
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            values = {str(c.value) for row in ws.iter_rows() for c in row if c.value}
            assert not any(t in v for t in tokens for v in values), ws.title


def test_resending_one_file_keeps_the_others_valid(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = send(master, tmp_path / "versand")
    again = send(master, tmp_path / "nochmal", "--srt", "NORD")
    assert [p.name for p in again.iterdir()] == ["Kosten_NORD.xlsx"]
    assert collect(master, fill(first / "Kosten_NORD.xlsx", "NORD", 1.0)) == 1
    assert "die Kennung passt nicht zu SRT „NORD“" in output(capsys)
    elbe = fill(first / "Kosten_ELBE.xlsx", "ELBE", 2.0)
    nord = fill(again / "Kosten_NORD.xlsx", "NORD", 3.0)
    assert collect(master, elbe, nord) == 0
    assert main(["verteilen", str(master), "--ziel", str(tmp_path / "z"), "--srt", "XY"]) == 2
