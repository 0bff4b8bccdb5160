"""xlsozial einrichten: the workbook learns which Python to start, nothing else changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from bookutil import copy_bundled, sha
from openpyxl import load_workbook

from xlsozial.app import setup
from xlsozial.app.cli import main
from xlsozial.book import layout

WIN_PYTHON = r"C:\Users\kaemmerei\xlsozial\.venv\Scripts\pythonw.exe"


def conf(path: Path) -> dict[str, str]:
    ws = load_workbook(path, keep_vba=True)[layout.XLWINGS_CONF]
    return {str(r[0].value): str(r[1].value) for r in ws.iter_rows() if r[0].value}


def test_a_copy_for_excel_on_windows_gets_the_interpreter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    master = copy_bundled(tmp_path)
    before = sha(master)
    copy = tmp_path / "Kämmerei" / "Budget.xlsm"
    copy.parent.mkdir()
    args = ["einrichten", str(master), "--kopie", str(copy), "--system", "windows"]
    assert main([*args, "--python", WIN_PYTHON]) == 0
    assert sha(master) == before  # the source stays as it was
    settings = conf(copy)
    assert settings["Interpreter_Win"] == WIN_PYTHON
    assert settings["Interpreter_Mac"] == conf(master)["Interpreter_Mac"]
    assert settings["UDF Modules"] == conf(master)["UDF Modules"]
    out = capsys.readouterr().out
    assert "Zulassen" in out and "Inhalt aktivieren" in out and "0.37.8" in out


def test_a_mac_setup_in_place_keeps_the_macros(tmp_path: Path) -> None:
    master = copy_bundled(tmp_path)
    vba_before = setup.workbook_xlwings_version(master)
    args = ["einrichten", str(master), "--system", "mac", "--python", "/Users/k/.venv/bin/python"]
    assert main(args) == 0
    assert conf(master)["Interpreter_Mac"] == "/Users/k/.venv/bin/python"
    assert setup.workbook_xlwings_version(master) == vba_before


def test_another_xlwings_in_python_than_in_the_macros_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    master = copy_bundled(tmp_path)
    before = sha(master)
    monkeypatch.setattr(setup.xlwings, "__version__", "0.99.0")
    args = ["einrichten", str(master), "--system", "windows", "--python", WIN_PYTHON]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "erwartet xlwings 0.37.8" in err and "pip install xlwings==0.37.8" in err
    assert sha(master) == before


def test_on_linux_the_target_system_must_be_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(setup.sys, "platform", "linux")
    master = copy_bundled(tmp_path)
    assert main(["einrichten", str(master)]) == 2
    assert "--system windows" in capsys.readouterr().err
    assert main(["einrichten", str(master), "--system", "mac"]) == 2  # which Python, then?


def test_pythonw_is_chosen_on_windows_so_no_console_window_opens() -> None:
    exe = r"C:\Users\k\xlsozial\.venv\Scripts\python.exe"
    assert setup.default_interpreter("windows", exe) == WIN_PYTHON.replace("kaemmerei", "k")
    assert setup.default_interpreter("mac", "/opt/venv/bin/python") == "/opt/venv/bin/python"


def test_a_copy_for_a_pc_without_python_points_the_buttons_at_the_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Landkreis runs xlwings Server; the clerk's copy gets its address, which the
    ribbon's VBA reads at every press (RunRemotePython instead of RunPython)."""
    master = copy_bundled(tmp_path)
    before = sha(master)
    copy = tmp_path / "Budget.xlsm"
    url = "https://xlsozial.landkreis.intern/"
    assert main(["einrichten", str(master), "--kopie", str(copy), "--server", url]) == 0
    assert sha(master) == before
    settings = conf(copy)
    assert settings["XLSOZIAL SERVER"] == url.rstrip("/")
    assert settings["Interpreter_Win"] == conf(master)["Interpreter_Win"]
    assert "rechnen auf dem Server https://xlsozial.landkreis.intern" in capsys.readouterr().out
    # and back to the PC's own Python
    assert main(["einrichten", str(copy), "--ohne-server"]) == 0
    assert conf(copy).get("XLSOZIAL SERVER", "None") == "None"
    # the key rows stay one block from A1 down, as xlwings' VBA reads them (End(xlDown))
    rows = [r[0].value for r in load_workbook(copy)[layout.XLWINGS_CONF].iter_rows()]
    assert None not in rows[: rows.index("XLSOZIAL SERVER") + 1]


@pytest.mark.parametrize(
    "args",
    [
        ["--server", "xlsozial.landkreis.intern"],
        ["--server", "https://a.b", "--ohne-server"],
        ["--server", "https://a.b", "--system", "windows"],
    ],
)
def test_a_wrong_server_call_is_refused_and_changes_nothing(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    master = copy_bundled(tmp_path)
    before = sha(master)
    assert main(["einrichten", str(master), *args]) == 2
    assert "--server" in capsys.readouterr().err
    assert sha(master) == before


def test_a_workbook_without_the_macros_the_server_asks_for_is_not_switched_to_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A book built before the server lifted sheet protection through SrbSchutzSetzen would
    stop at the first output sheet in Excel: einrichten --server refuses it, names what is
    missing and changes nothing."""
    from pyopenvba import ExcelFile

    master = copy_bundled(tmp_path)
    with ExcelFile(str(master)) as book:
        code = book.get_module("Ribbon")
        book.set_module("Ribbon", code.replace("Public Sub SrbSchutzSetzen", "Public Sub Alt"))
        book.save()
    before = sha(master)
    assert main(["einrichten", str(master), "--server", "https://xlsozial.kreis.intern"]) == 3
    said = capsys.readouterr().err
    assert "fehlt: SrbSchutzSetzen" in said and "mappe-bauen" in said
    assert sha(master) == before
