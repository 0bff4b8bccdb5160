"""Circulation rounds: only the right SRT's file of the open round of this workbook counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from bookutil import copy_bundled, sha
from openpyxl import load_workbook

from xlsozial.adapters.openpyxl_book import OpenpyxlBook
from xlsozial.app.cli import main
from xlsozial.book import layout
from xlsozial.book.reader import read_inputs
from xlsozial.circulation import rounds


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


def test_a_mixed_round_is_told_the_same_everywhere(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """NORD valid, ELBE with a negative amount, a HEIDE file that is really OSTHEIDE's,
    OSTHEIDE open, a deadline passed: the Rücklauf sheet, `ruecklauf` and the einsammeln
    report say the same status and reason for each; the foreign file stands under its own
    name, never under the SRT it merely claims."""
    from datetime import date, timedelta

    from xlsozial.app import headless

    sent_on = date.today() - timedelta(days=30)  # deadline 14 days later: passed
    folder = tmp_path / "versand"
    headless.distribute(master, folder, today=sent_on)
    nord = fill(folder / "Kosten_NORD.xlsx", "NORD", 41_000.0)
    elbe = fill(folder / "Kosten_ELBE.xlsx", "ELBE", -5.0)
    fake = spoof(fill(folder / "Kosten_OSTHEIDE.xlsx", "OSTHEIDE", 1.0), "OSTHEIDE", "HEIDE")
    fake = fake.rename(fake.with_name("alt_HEIDE.xlsx"))
    assert collect(master, nord, elbe, fake, partial=True) == 1  # some rejected
    report = output(capsys)
    assert "SRT NORD:" in report and "ABGELEHNT Kosten_ELBE.xlsx" in report
    assert "darf nicht kleiner als 0" in report and "ABGELEHNT alt_HEIDE.xlsx" in report
    assert main(["ruecklauf", str(master)]) == 0
    text = output(capsys)
    lines = {line.split()[0]: line for line in text.splitlines()[1:]}
    assert "übernommen" in lines["NORD"]
    assert "abgelehnt" in lines["ELBE"] and "darf nicht kleiner als 0" in lines["ELBE"]
    assert "offen" in lines["HEIDE"] and "offen" in lines["OSTHEIDE"]
    assert ", ," not in text and "  Positionen" not in text  # no empty gaps
    assert "Datei alt_HEIDE.xlsx (keinem SRT zuzuordnen)" in text
    assert "Kennung passt nicht" in lines["Datei"]
    wb = load_workbook(master)
    overview = [[c.value for c in row] for row in wb[layout.RUECKLAUF].iter_rows(min_row=5)]
    first = overview[: next(i for i, r in enumerate(overview) if not r[0])]  # the SRT rows
    status = {r[0]: (r[8], r[9]) for r in first}
    assert status["NORD"] == ("übernommen", None)
    assert status["ELBE"][0] == "abgelehnt" and "darf nicht kleiner als 0" in status["ELBE"][1]
    assert status["HEIDE"][0] == status["OSTHEIDE"][0] == "offen"
    foreign = next(r for r in overview if r[0] == "alt_HEIDE.xlsx")
    assert "Kennung passt nicht" in foreign[2]
    # The merge went in and the results are current.
    nord_costs = [
        c for c in read_inputs(OpenpyxlBook.open(master)).cost_positions if c.provider == "NORD"
    ]
    assert 41_000.0 in [c.amount for c in nord_costs]
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


def test_an_older_file_of_the_round_does_not_roll_an_srt_back(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import datetime

    folder = send(master, tmp_path / "versand")
    old = folder / "Kosten_NORD.xlsx"
    newer = tmp_path / "neu_NORD.xlsx"
    newer.write_bytes(old.read_bytes())
    for path, amount in ((old, 40_000.0), (newer, 45_000.0)):
        fill(path, "NORD", amount)
    # openpyxl stamps the save time itself: set it as an SRT's Excel would have
    _stamp(old, datetime(2026, 12, 1, 10, 0))
    _stamp(newer, datetime(2026, 12, 2, 10, 0))
    assert collect(master, newer) == 0
    digest = sha(master)
    assert collect(master, old) == 1  # the e-mail of last week, collected again
    said = output(capsys)
    assert "bereits übernommen am" in said and "diese Datei ist älter" in said
    assert sha(master) == digest
    nord = [
        c for c in read_inputs(OpenpyxlBook.open(master)).cost_positions if c.provider == "NORD"
    ]
    assert 45_000.0 in [c.amount for c in nord]
    assert collect(master, old, partial=True) == 1  # recorded where the office looks
    assert main(["ruecklauf", str(master)]) == 0
    line = next(x for x in output(capsys).splitlines() if x.strip().startswith("NORD"))
    assert "übernommen" in line and "Kosten_NORD.xlsx" in line and "älter" in line
    args = ["einsammeln", str(master), str(old), "--aeltere-zulassen"]
    assert main(args) == 0  # asked for explicitly


def _stamp(path: Path, when: object) -> None:
    """Rewrite dcterms:modified in docProps/core.xml (openpyxl sets it to now on save)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            if name == "docProps/core.xml":
                stamp = f"{when:%Y-%m-%dT%H:%M:%SZ}".encode()
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            z.writestr(name, data)


def test_a_deadline_in_the_past_is_refused(master: Path, tmp_path: Path) -> None:
    digest = sha(master)
    args = ["verteilen", str(master), "--ziel", str(tmp_path / "v"), "--frist", "01.01.2020"]
    assert main(args) == 2
    assert sha(master) == digest and not (tmp_path / "v").exists()


def test_a_full_versand_folder_leaves_no_round_and_no_file(
    master: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All files and the round, or none: here the third file does not fit."""
    calls = {"n": 0}
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device", str(self))
        return real(self, data)

    digest = sha(master)
    monkeypatch.setattr(Path, "write_bytes", full)
    assert main(["verteilen", str(master), "--ziel", str(tmp_path / "v")]) == 3
    monkeypatch.undo()
    assert sha(master) == digest  # no round recorded
    assert list((tmp_path / "v").iterdir()) == []  # and no file, not even a hidden one


def test_damaged_round_data_says_so_and_how_to_recover(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = send(master, tmp_path / "versand")
    wb = load_workbook(master, keep_vba=True)
    store = wb[layout.CONTROL_STORE]
    store["A1"] = str(store["A1"].value)[:80]  # cut off
    wb.save(master)
    nord = fill(folder / "Kosten_NORD.xlsx", "NORD", 1.0)
    assert collect(master, nord) == 3
    said = output(capsys)
    assert "Steuerdaten der Versandrunde" in said and "beschädigt" in said
    assert "Sicherung" in said and "noch keine Runde" not in said


def test_a_deadline_typed_by_hand_into_the_round_data_is_read_as_a_date(
    master: Path, tmp_path: Path
) -> None:
    import json

    send(master, tmp_path / "versand")
    wb = load_workbook(master, keep_vba=True)
    store = wb[layout.CONTROL_STORE]
    data = json.loads(store["A1"].value)
    data["deadline"] = "15.12.2099"
    store["A1"] = json.dumps(data)
    wb.save(master)
    assert main(["berechnen", str(master)]) == 0
    assert main(["ruecklauf", str(master)]) == 0


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


def test_a_reissued_file_shows_its_own_send_date(
    master: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date, timedelta

    from xlsozial.app import headless

    first = date.today() - timedelta(days=3)
    headless.distribute(master, tmp_path / "v1", today=first)
    headless.distribute(master, tmp_path / "v2", only="NORD", today=date.today())
    assert main(["ruecklauf", str(master)]) == 0
    lines = {line.split()[0]: line for line in output(capsys).splitlines()[1:]}
    assert f"versendet am {date.today():%d.%m.%Y}" in lines["NORD"]
    assert f"versendet am {first:%d.%m.%Y}" in lines["ELBE"]


def test_a_red_check_after_a_merge_names_the_item_and_the_amount() -> None:
    """„Regionalbudget: keine Region überzeichnet“ alone reads as a contradiction: the
    terminal names the region and the amounts."""
    from xlsozial.app.report_text import summary
    from xlsozial.domain.example import example_inputs
    from xlsozial.evaluation.compute import compute

    inputs = example_inputs()
    apps = list(inputs.applications)
    apps[0] = apps[0].model_copy(update={"approved": 9_000_000.0, "requested": 9_000_000.0})
    text = summary(compute(inputs.model_copy(update={"applications": apps})))
    assert "Prüfungen NICHT bestanden: Regionalbudget: keine Region überzeichnet – " in text
    assert "Region Nord: bewilligt 9.000.000 €" in text
