"""The real xlwings Server with xlsozial's scripts, started and stopped by the test.

The server project is the repository's ``server/`` folder (what a Landkreis IT deploys);
uvicorn serves ``xlwings_server.main:main_app`` on localhost, the test posts the book as
the VBA client posts it and carries out the answer as the VBA client would.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import xlwings
from bookutil import copy_bundled
from remote_client import apply, payload
from test_exchange import edit
from test_remote import differences, headless

from xlsozial.app.remote import SCRIPTS

pytest.importorskip("xlwings_server", reason="xlwings-server ist nicht installiert")

SERVER = Path(__file__).resolve().parent.parent / "server"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def ablage(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ablage")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, ablage: Path) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "uvicorn.log"
    env = {
        **os.environ,
        "XLWINGS_PROJECT_DIR": str(SERVER),
        "XLWINGS_LICENSE_KEY": "noncommercial",
        "XLWINGS_ENABLE_SOCKETIO": "false",
        "XLWINGS_ENABLE_HOTRELOAD": "false",
        "XLSOZIAL_ABLAGE": str(ablage),
        "XLSOZIAL_SCHLUESSEL": "schluessel-des-tests",
        "XLSOZIAL_SERVER_URL": f"http://127.0.0.1:{port}",
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "xlwings_server.main:main_app", "--port", str(port)],
            cwd=SERVER,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"{url}/xlwings/custom-scripts-meta", timeout=1)
                    break
                except (urllib.error.URLError, ConnectionError):
                    if proc.poll() is not None:
                        pytest.fail(f"Server beendet: {log.read_text(errors='replace')}")
                    time.sleep(0.1)
            else:
                pytest.fail(f"Server antwortet nicht: {log.read_text(errors='replace')}")
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def post(url: str, data: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        return dict(json.loads(answer.read()))


def test_the_server_offers_a_script_per_button_and_the_four_functions(server: str) -> None:
    with urllib.request.urlopen(f"{server}/xlwings/custom-scripts-meta") as answer:
        scripts = {s["function_name"] for s in json.loads(answer.read())}
    with urllib.request.urlopen(f"{server}/xlwings/custom-functions-meta") as answer:
        functions = {f["name"] for f in json.loads(answer.read())["functions"]}
    assert scripts == set(SCRIPTS)
    assert functions == {"SRB_BELASTUNGSFAKTOR", "SRB_QUOTE", "SRB_VERTEILUNG", "SRB_RUNDEN"}


def test_berechnen_through_the_running_server_is_the_command_line_s(
    server: str, tmp_path: Path
) -> None:
    book = copy_bundled(tmp_path)
    expected, code = headless(book, tmp_path)
    answer = post(f"{server}/xlwings/custom-scripts-call/berechnen", payload(book))
    actual = tmp_path / "server.xlsm"
    alerts = apply(book, answer["actions"], actual)
    assert code == 0 and alerts == []
    assert differences(expected, actual) == []


def test_the_server_s_functions_take_the_desktop_parameters() -> None:
    """The custom functions of the server are the desktop UDFs under other decorators: the
    same parameter names and defaults, so a formula means the same in both."""
    import inspect

    sys.path.insert(0, str(SERVER))
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    try:
        import custom_functions as served
    finally:
        sys.path.remove(str(SERVER))
    from udfs import sozialraum as desktop

    for name in ("SRB_BELASTUNGSFAKTOR", "SRB_QUOTE", "SRB_VERTEILUNG", "SRB_RUNDEN"):
        ours = inspect.signature(getattr(served, name)).parameters
        theirs = inspect.signature(getattr(desktop, name)).parameters
        assert [(p.name, p.default) for p in ours.values()] == [
            (p.name, p.default) for p in theirs.values()
        ], name


def test_a_round_through_the_running_server_and_its_page(server: str, tmp_path: Path) -> None:
    """Verteilen on the server, the SRT's file downloaded from the page, filled in, uploaded
    through the page, Einsammeln on the server: the clerk's whole round without Python."""
    httpx = pytest.importorskip("httpx", reason="httpx fehlt (kommt mit dem Extra [server])")
    book = copy_bundled(tmp_path)
    answer = post(f"{server}/xlwings/custom-scripts-call/verteilen", payload(book))
    sent = tmp_path / "gespeichert" / book.name  # the clerk's book keeps its name
    sent.parent.mkdir()
    macros: list[str] = []
    alerts = apply(book, answer["actions"], sent, macros)
    assert macros.count("SrbSpeichern") == 1 and "Runde 1: 4 Kostenblatt-Dateien" in alerts[0]
    link = next(a["args"][0] for a in answer["actions"] if a["func"] == "addHyperlink")
    page = httpx.get(link)
    assert page.status_code == 200 and "Kosten_ELBE.xlsx</a>" in page.text
    download = link.replace("?", "/Versand/Kosten_ELBE.xlsx?")
    blank = tmp_path / "Kosten_ELBE.xlsx"
    blank.write_bytes(httpx.get(download).content)
    filled = edit(blank, "Kosten ELBE", {"C5": 22_000.0})
    done = httpx.post(
        link.replace("?", "/hochladen?"),
        data={"art": "ruecklauf"},
        files=[("dateien", (filled.name, filled.read_bytes()))],
        follow_redirects=True,
    )
    assert "Hochgeladen: Kosten_ELBE.xlsx" in done.text
    answer = post(f"{server}/xlwings/custom-scripts-call/einsammeln", payload(sent))
    merged = tmp_path / "eingesammelt.xlsm"
    alerts = apply(sent, answer["actions"], merged)
    assert "SRT ELBE: 0 neu, 0 entfernt, 1 geändert" in alerts[0], alerts
    assert httpx.get(link.replace("sig=", "sig=0")).status_code == 403


def test_a_worksheet_function_called_on_the_server_is_the_desktop_s(server: str) -> None:
    """=SRB_RUNDEN(100; {1;1;1}) in Excel on the web: the largest-remainder cents, as in the
    desktop UDF (the server's custom function wraps the same code)."""
    from udfs.sozialraum import SRB_RUNDEN

    call = {
        "func_name": "SRB_RUNDEN",
        "args": [[[100]], [[1], [1], [1]], [[0.01]], None],
        "caller_address": "[Sozialraumbudget.xlsx]Quote!F5",
        "formula_name": "SRB_RUNDEN",
        "version": xlwings.__version__,
        "client": "Office.js",
        "runtime": "1.4",
        "culture_info_name": "de-DE",
        "date_format": "dd.MM.yyyy",
    }
    answer = post(f"{server}/xlwings/custom-functions-call", call)
    desktop = SRB_RUNDEN(100, [1, 1, 1], 0.01)
    assert answer["result"] == desktop
    assert sorted(v for row in answer["result"] for v in row) == [33.33, 33.33, 33.34]


def test_the_add_in_s_task_pane_has_a_button_per_command(server: str) -> None:
    """Excel on the web and the Office.js add-in have no .xlsm ribbon: the task pane is it."""
    with urllib.request.urlopen(f"{server}/taskpane.html") as answer:
        page = answer.read().decode("utf-8")
    assert set(re.findall(r'xw-click="(\w+)"', page)) == set(SCRIPTS)
    assert "Sozialraumbudget" in page and "Berechnen</button>" in page


def test_the_add_in_registers_the_macros_the_server_asks_for(server: str) -> None:
    """Office.js runs ``runMacro`` as a callback of the task pane: each macro the server
    requests is registered there under its name, and the task pane loads the file."""
    from xlsozial.adapters.remote_book import PROTECT_MACRO, SAVE_MACRO, UNPROTECT_MACRO

    with urllib.request.urlopen(f"{server}/static/js/xlsozial.js") as answer:
        script = answer.read().decode("utf-8")
    registered = set(re.findall(r"registerCallback\((\w+)\)", script))
    assert registered == {SAVE_MACRO, UNPROTECT_MACRO, PROTECT_MACRO}
    for name in registered:
        assert re.search(rf"async function {name}\(context", script), name
    with urllib.request.urlopen(f"{server}/taskpane.html") as answer:
        assert "/static/js/xlsozial.js" in answer.read().decode("utf-8")
