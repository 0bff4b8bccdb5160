"""The Ablage's page on xlwings Server: download what the server made, upload what it needs.

Mounted by the server project (``server/routers/custom.py``) next to xlwings' own routes.
Every address carries the signature of :func:`xlsozial.app.remote_files.page_link`; a wrong
or expired one gets 403 and touches nothing. Uploads: the SRT's returns (.xlsx/.xlsm) into
Rücklauf, the saved workbook (.xlsm) and ``Sozialraeume.geojson`` into Mappe – each checked
to be what it claims (an Office file is a ZIP package, the GeoJSON is JSON) and written
atomically, so Einsammeln never reads half a file.
"""

from __future__ import annotations

import html
import json
import os
import re
import zipfile
from datetime import datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from xlsozial.adapters.fileio import atomic_write_bytes
from xlsozial.app.remote_files import (
    ENV_ROOT,
    MAPPE,
    ROUTE,
    RUECKLAUF,
    SUBFOLDERS,
    Filing,
    folder_name,
    valid,
)
from xlsozial.domain.geo import GEOJSON

MAX_BYTES = 25 * 1024 * 1024
KINDS = {"ruecklauf": RUECKLAUF, "mappe": MAPPE}

router = APIRouter(prefix=ROUTE)


def _filing(name: str, bis: int, sig: str) -> Filing:
    root = os.environ.get(ENV_ROOT, "").strip()
    if not root or folder_name(name) != name or not valid(name, bis, sig):
        raise HTTPException(403, "Link ungültig oder abgelaufen – bitte in Excel neu anfordern.")
    return Filing(Path(root).expanduser(), name)


def _query(bis: int, sig: str) -> str:
    return f"bis={bis}&sig={sig}"


@router.get("/{name}", response_class=HTMLResponse)
def page(name: str, bis: int, sig: str, gespeichert: str = "", fehler: str = "") -> str:
    filing = _filing(name, bis, sig)
    return render_page(filing, _query(bis, sig), gespeichert, fehler, datetime.fromtimestamp(bis))


@router.get("/{name}/{kind}/{file}")
def download(name: str, kind: str, file: str, bis: int, sig: str) -> FileResponse:
    filing = _filing(name, bis, sig)
    if kind not in SUBFOLDERS:
        raise HTTPException(404, "Unbekannter Ordner.")
    found = next((p for p in filing.files(kind) if p.name == file), None)
    if found is None:
        raise HTTPException(404, f"Die Datei „{file}“ gibt es nicht (mehr).")
    return FileResponse(found, filename=found.name)


@router.post("/{name}/hochladen")
async def upload(
    name: str,
    bis: int,
    sig: str,
    art: str = Form(...),
    dateien: list[UploadFile] = File(...),  # noqa: B008 – FastAPI's way to declare uploads
) -> RedirectResponse:
    filing = _filing(name, bis, sig)
    back = f"{ROUTE}/{quote(name)}?{_query(bis, sig)}"
    saved: list[str] = []
    try:
        for item in dateien:
            data = await item.read(MAX_BYTES + 1)
            target = upload_target(filing, art, item.filename or "", data)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, data)
            saved.append(target.name)
    except ValueError as exc:
        done = f"&gespeichert={quote(', '.join(saved))}" if saved else ""
        return RedirectResponse(f"{back}{done}&fehler={quote(str(exc))}", status_code=303)
    return RedirectResponse(f"{back}&gespeichert={quote(', '.join(saved))}", status_code=303)


def upload_target(filing: Filing, art: str, filename: str, data: bytes) -> Path:
    """Where an upload goes, or a German ValueError that says why it is refused."""
    if art not in KINDS:
        raise ValueError(f"Unbekannte Art „{art}“.")
    plain = Path(filename.replace("\\", "/")).name
    suffix = Path(plain).suffix.lower()
    if len(data) > MAX_BYTES:
        raise ValueError(f"„{plain}“ ist größer als {MAX_BYTES // 2**20} MB.")
    if art == "mappe" and suffix == ".geojson":
        try:
            json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ValueError(f"„{plain}“ ist kein GeoJSON (kein gültiges JSON).") from None
        return filing.sub(MAPPE) / GEOJSON
    allowed = (".xlsm",) if art == "mappe" else (".xlsx", ".xlsm")
    if suffix not in allowed:
        raise ValueError(f"„{plain}“: hier nur {' oder '.join(allowed)}-Dateien.")
    if not zipfile.is_zipfile(BytesIO(data)):
        raise ValueError(f"„{plain}“ ist keine Excel-Datei (beschädigt oder umbenannt).")
    if art == "mappe":
        return filing.saved_book
    safe = re.sub(r"[^\w.() -]+", "_", plain).lstrip(".") or f"Rücklauf{suffix}"
    return filing.sub(RUECKLAUF) / safe


TITLES = {
    "Versand": "Kostenblätter zum Versand an die SRT",
    "Rücklauf": "Rückläufer der SRT (werden bei „Einsammeln“ gelesen)",
    "Berichte": "Beschlussvorlagen (Bericht)",
    "Mappe": "Gespeicherte Mappe und was daraus entstand",
}


def render_page(
    filing: Filing, query: str, saved: str = "", error: str = "", until: datetime | None = None
) -> str:
    """The page: each folder with its files (name, size, time) and the two upload forms."""
    parts = [f"<h1>Sozialraumbudget – Dateien „{html.escape(filing.name)}“</h1>"]
    valid_to = f" Dieser Link gilt bis {until:%d.%m.%Y}." if until is not None else ""
    parts.append(
        "<p>Die Dateien der Mappe auf dem Server. Nach dem Hochladen von Rückläufern in Excel "
        f"„Einsammeln“ klicken; jeder Knopf mit Dateien gibt einen neuen Link.{valid_to}</p>"
    )
    if saved:
        parts.append(f"<p class='ok'>Hochgeladen: {html.escape(saved)}</p>")
    if error:
        parts.append(f"<p class='fehler'>Nicht übernommen: {html.escape(error)}</p>")
    for kind in SUBFOLDERS:
        rows = [
            f"<li><a href='{ROUTE}/{quote(filing.name)}/{quote(kind)}/{quote(p.name)}?{query}'>"
            f"{html.escape(p.name)}</a> – {p.stat().st_size / 1024:.0f} KB, "
            f"{datetime.fromtimestamp(p.stat().st_mtime):%d.%m.%Y %H:%M}</li>"
            for p in filing.files(kind)
        ]
        listing = "".join(rows) or "<li><i>keine Dateien</i></li>"
        parts.append(f"<h2>{html.escape(TITLES[kind])}</h2><ul>{listing}</ul>")
    action = f"{ROUTE}/{quote(filing.name)}/hochladen?{query}"
    parts.append(_form(action, "ruecklauf", "Rückläufer der SRT hochladen (.xlsx, .xlsm)", True))
    parts.append(
        _form(
            action,
            "mappe",
            "Gespeicherte Mappe hochladen (.xlsm; für „Werte einfrieren“ und "
            "„Jahreswechsel“) oder Sozialraeume.geojson (Karte)",
            False,
        )
    )
    style = "body{font-family:Calibri,Carlito,sans-serif;max-width:60em;margin:2em}"
    style += ".ok{color:#1b5e20}.fehler{color:#b71c1c}"
    body = "".join(parts)
    return (
        f"<!doctype html><html lang='de'><head><meta charset='utf-8'>"
        f"<title>Sozialraumbudget – Dateien</title><style>{style}</style></head>"
        f"<body>{body}</body></html>"
    )


def _form(action: str, art: str, label: str, multiple: bool) -> str:
    many = " multiple" if multiple else ""
    return (
        f"<form method='post' enctype='multipart/form-data' action='{action}'>"
        f"<h2>{html.escape(label)}</h2><input type='hidden' name='art' value='{art}'>"
        f"<input type='file' name='dateien'{many} required> "
        "<button type='submit'>Hochladen</button></form>"
    )
