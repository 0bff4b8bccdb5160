"""The ribbon commands for a remote client (xlwings Server or xlwings Lite).

A client sends the book as JSON; :func:`run_remote` wraps it in a :class:`RemoteBook`, runs
the same entry point as the desktop button (:mod:`xlsozial.app.excel`; for the commands
with files its twin in :mod:`xlsozial.app.remote_commands`, which puts the server's Ablage
where the desktop has the folder next to the book – both call the same service function of
:mod:`xlsozial.commands`), and returns the actions the client carries out. Every failure is
a German alert, as on the desktop; nothing raises to the client.

xlwings' remote object model is licensed under the PolyForm Noncommercial License 1.0.0,
which permits use by a government institution; it is enabled by setting the environment
variable ``XLWINGS_LICENSE_KEY=noncommercial`` (the README says so). xlsozial does not set
it on the office's behalf: without it, every call answers with an alert that says what to do.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xlsozial.adapters.remote_book import RemoteBook, RemoteFeedback
from xlsozial.adapters.xlwings_book import ExcelFeedback, XlwingsBook
from xlsozial.app import excel, remote_commands
from xlsozial.app.remote_files import ENV_ROOT, MAPPE, Filing, folder_name

LICENCE_MISSING = (
    "xlsozial auf dem Server: die Lizenz für xlwings' Server-Teil ist nicht eingetragen. "
    "Für ein Jugendamt (öffentliche Einrichtung) ist die nichtkommerzielle Lizenz frei: "
    "bitte auf dem Server XLWINGS_LICENSE_KEY=noncommercial setzen und neu starten."
)


# What each ribbon button runs on the server; the names are the scripts' URLs. The commands
# with files use the server's Ablage instead of the folder next to the book.
SCRIPTS: dict[str, Callable[[XlwingsBook, ExcelFeedback], Any]] = {
    "berechnen": excel.calculate,
    "pruefen": excel.check,
    "quote_festschreiben": excel.fix_quota,
    "werte_einfrieren": remote_commands.freeze,
    "verteilen": remote_commands.distribute,
    "einsammeln": remote_commands.collect,
    "einsammeln_gueltige": remote_commands.collect_valid,
    "bericht": remote_commands.report,
    "jahreswechsel": remote_commands.roll_over,
}


VERSIONS = (
    "Die Mappe und der Server passen nicht zusammen: die Mappe enthält die Excel-Anbindung "
    "xlwings {client}, der Server arbeitet mit xlwings {server}. Bitte die IT, den Server mit "
    "der xlsozial-Version zu betreiben, mit der diese Mappe gebaut wurde (Blatt Start, "
    "„xlsozial-Version“), oder eine Mappe dieser Version verwenden."
)


def run_remote(script: str, payload: dict[str, Any], user: str | None = None) -> dict[str, Any]:
    """Run the ribbon command ``script`` on the book in ``payload`` (as a client sends it);
    the actions for the client. ``user``: who is logged in at the server (Protokoll)."""
    import xlwings as xw

    if os.environ.get("XLWINGS_LICENSE_KEY", "").strip() == "":
        return {"actions": [_alert(LICENCE_MISSING)]}
    _remote_engine()
    client = str(payload.get("version", "")) if isinstance(payload, dict) else ""
    if isinstance(payload, dict) and payload.get("client") == "VBA" and client != xw.__version__:
        return {"actions": [_alert(VERSIONS.format(client=client, server=xw.__version__))]}
    try:
        book = xw.Book(json=payload)
    except Exception as exc:  # a payload no client of this xlwings sends
        return {"actions": [_alert(f"Die Mappe ließ sich auf dem Server nicht lesen: {exc}")]}
    run_on_book(script, book, user)
    return {"actions": RemoteBook(book).actions()}


def run_on_book(script: str, book: Any, user: str | None = None) -> None:
    """The command ``script`` on a remote ``xw.Book`` (what xlwings Server hands to a
    script); its changes and messages become the book's actions."""
    remote = RemoteBook(book, user, _home(str(book.name)))
    action = SCRIPTS.get(script)
    if action is None:
        book.app.alert(f"Unbekannter Befehl „{script}“.", title="Sozialraumbudget")
        return
    excel.run(action, remote, RemoteFeedback(remote))


def _home(book_name: str) -> Path | None:
    """Where the book's saved copy would lie in the Ablage (a GeoJSON next to it counts)."""
    root = os.environ.get(ENV_ROOT, "").strip()
    return Filing(Path(root).expanduser(), folder_name(book_name)).sub(MAPPE) if root else None


def _remote_engine() -> None:
    """xlwings registers its remote engine when it is imported with the licence set; a
    process that imported it before (a test run, a notebook) gets it registered here."""
    import xlwings as xw

    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.main import Engine
        from xlwings.pro import _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))


def _alert(text: str) -> dict[str, Any]:
    return {
        "func": "alert",
        "args": [text, "Sozialraumbudget", "ok", "critical", ""],
        "values": None,
        "sheet_position": 0,
        "start_row": 0,
        "start_column": 0,
        "row_count": 0,
        "column_count": 0,
    }
