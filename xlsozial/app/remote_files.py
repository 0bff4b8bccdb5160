"""The server's Ablage: where the remote path keeps what the desktop writes next to the book.

At the desk, Verteilen, Einsammeln, Bericht, Werte einfrieren and Jahreswechsel work with
folders next to the saved workbook. A remote client sends only the open book's values, so on
the server these files live in one folder per workbook name under ``XLSOZIAL_ABLAGE`` (a disk
or network share the Landkreis IT chooses), with the desktop's subfolders: Versand (the cost
files for the SRT), Rücklauf (their returns), Berichte (the Vorlage), Mappe (the saved
workbook a clerk uploads for Werte einfrieren and Jahreswechsel, and what those make of it).

The clerk reaches the folder through one page: the server writes its link into the workbook
(Blatt Start, "Dateien auf dem Server") and says it in its message. The page lists every file
for download and takes uploads. The link carries an expiry and an HMAC signature made with
``XLSOZIAL_SCHLUESSEL``, so a browser needs no login of its own: only a script call that
passed the server's authentication hands one out, like a link to a shared folder; a changed
name or date breaks the signature. Nothing here writes outside the workbook's folder.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from xlsozial.domain.errors import UsageError

ENV_ROOT = "XLSOZIAL_ABLAGE"
ENV_KEY = "XLSOZIAL_SCHLUESSEL"
ENV_URL = "XLSOZIAL_SERVER_URL"
LINK_DAYS = 14
ROUTE = "/xlsozial/ablage"

VERSAND = "Versand"
RUECKLAUF = "Rücklauf"
BERICHTE = "Berichte"
MAPPE = "Mappe"
SUBFOLDERS = (VERSAND, RUECKLAUF, BERICHTE, MAPPE)

NOT_SET_UP = (
    "Auf dem Server ist keine Ablage für Dateien eingerichtet ({missing} fehlt). "
    "„{what}“ legt dort Dateien ab; bitte die IT, {missing} zu setzen (siehe README, "
    "Abschnitt Server) – oder in Excel mit dem Python des Arbeitsplatzes bzw. mit der "
    "Kommandozeile (xlsozial {command} MAPPE) ausführen."
)


def folder_name(book_name: str) -> str:
    """The workbook's folder: its file name without extension, reduced to letters, digits,
    ``_ - .`` (no path can be smuggled in), e.g. ``Sozialraumbudget_2027``."""
    stem = Path(book_name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    cleaned = re.sub(r"[^\w.-]+", "_", stem).strip("._")
    return cleaned or "Mappe"


@dataclass(frozen=True)
class Filing:
    """One workbook's folder in the Ablage."""

    root: Path
    name: str

    @property
    def folder(self) -> Path:
        return self.root / self.name

    def sub(self, kind: str) -> Path:
        if kind not in SUBFOLDERS:
            raise ValueError(kind)
        return self.folder / kind

    @property
    def saved_book(self) -> Path:
        """Where the clerk's uploaded, saved workbook lies (one per folder, by its name)."""
        return self.sub(MAPPE) / f"{self.name}.xlsm"

    def files(self, kind: str) -> list[Path]:
        """The visible files of one subfolder, by name (staging folders are hidden)."""
        folder = self.sub(kind)
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))

    def label(self) -> str:
        return f"Serverablage „{self.name}“"


def filing_for(book_name: str, what: str, command: str) -> Filing:
    """The Ablage of ``book_name``; a German refusal naming the setting if the IT has not
    set one up (``what``/``command``: the ribbon command and its command-line twin)."""
    for missing in (ENV_ROOT, ENV_KEY):
        if not os.environ.get(missing, "").strip():
            raise UsageError(NOT_SET_UP.format(missing=missing, what=what, command=command))
    root = Path(os.environ[ENV_ROOT]).expanduser()
    return Filing(root, folder_name(book_name))


def signature(name: str, until: int) -> str:
    key = os.environ.get(ENV_KEY, "").encode()
    message = f"{name}\n{until}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


def valid(name: str, until: int, sig: str, now: float | None = None) -> bool:
    """Whether a link to ``name`` is genuine and not expired (no key: never)."""
    if not os.environ.get(ENV_KEY, "").strip():
        return False
    fresh = until >= (time.time() if now is None else now)
    return fresh and hmac.compare_digest(signature(name, until), sig)


def expiry(now: float | None = None) -> int:
    """Until when (seconds since 1970) a link made ``now`` holds: :data:`LINK_DAYS` days."""
    return int((time.time() if now is None else now) + LINK_DAYS * 86400)


def page_link(base_url: str, name: str, now: float | None = None, until: int | None = None) -> str:
    """The signed address of a workbook's page, valid until ``until`` (default: for
    :data:`LINK_DAYS` days from ``now``)."""
    until = expiry(now) if until is None else until
    base = base_url.rstrip("/")
    return f"{base}{ROUTE}/{quote(name)}?bis={until}&sig={signature(name, until)}"


def server_address(configured: str | None) -> str:
    """The address clients reach the server at: ``XLSOZIAL_SERVER_URL`` if set (behind a
    proxy the server cannot know it), else what the workbook's xlwings.conf names."""
    address = os.environ.get(ENV_URL, "").strip() or (configured or "").strip()
    if not address:
        raise UsageError(
            f"Die Adresse des Servers ist unbekannt: bitte {ENV_URL} auf dem Server setzen "
            "oder die Mappe mit „xlsozial einrichten --server URL“ einrichten."
        )
    return address
