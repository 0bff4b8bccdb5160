"""Edit a cell range in a spreadsheet with LibreOffice through UNO, like a user would.

Run with the system Python that has the ``uno`` module (Debian: python3-uno), not the venv:
    /usr/bin/python3 tests/lo_edit.py FILE SHEET CELL=VALUE [CELL=VALUE ...]
Starts a private headless LibreOffice on a loopback port, edits, stores as .xlsx, quits.
Exit code 3 if a cell is protected (LibreOffice refuses the edit).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    path, sheet_name, *edits = sys.argv[1:]
    port = free_port()
    profile = tempfile.mkdtemp(prefix="lo-profil-")
    office = subprocess.Popen(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            f"--accept=socket,host=127.0.0.1,port={port};urp;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.time() + 90
        while True:
            try:
                ctx = resolver.resolve(
                    f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
                )
                break
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            print(f"LibreOffice konnte {path} nicht öffnen", file=sys.stderr)
            return 2
        sheet = doc.Sheets.getByName(sheet_name)
        status = 0
        for edit in edits:
            cell_name, _, value = edit.partition("=")
            cell = sheet.getCellRangeByName(cell_name)
            if sheet.isProtected() and cell.CellProtection.IsLocked:
                status = 3
                continue
            try:
                cell.setValue(float(value))
            except ValueError:
                cell.setString(value)
        doc.storeToURL(url, (prop("FilterName", "Calc MS Excel 2007 XML"), prop("Overwrite", True)))
        doc.close(True)
        return status
    finally:
        office.terminate()
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    sys.exit(main())
