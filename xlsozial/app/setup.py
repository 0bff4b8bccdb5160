"""Einrichten: connect a copy of the workbook to this Python, so the ribbon buttons work.

Writes the interpreter of the running environment into the workbook's ``xlwings.conf``
sheet (the form Excel on Windows or macOS expects), checks that the xlwings in this
environment is the version whose VBA the workbook embeds, optionally writes to a copy, and
lists what only the user can do in Excel (allow macros, remove the Mark of the Web).
There is no ribbon button for this: before it runs, Excel cannot start Python at all.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

import xlwings

from xlsozial.adapters.package.package_book import PackageBook
from xlsozial.adapters.session import master_session
from xlsozial.book import layout
from xlsozial.domain.errors import FileProblem, InputError, Problem, UsageError

SYSTEMS = {"windows": "Interpreter_Win", "mac": "Interpreter_Mac"}
SERVER_KEY = "XLSOZIAL SERVER"  # read by the ribbon's VBA (workbook/vba/Ribbon.bas)
REMOTE_MODULE = "Remote"  # xlwings' VBA client for xlwings Server, embedded by the build
VBA_VERSION = re.compile(r'XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"', re.IGNORECASE)

STEPS = {
    "windows": [
        "Datei im Explorer: Rechtsklick → Eigenschaften → unten „Zulassen“ ankreuzen → OK "
        "(entfernt die Internet-Markierung „Mark of the Web“; sonst sperrt Excel die Makros).",
        "Mappe in Excel öffnen und „Inhalt aktivieren“ (Makros) bestätigen.",
        "Im Menüband die Registerkarte „Sozialraumbudget“ wählen und „Prüfen“ drücken: "
        "die Meldung „Alle … Prüfungen bestanden“ zeigt, dass Python antwortet.",
    ],
    "mac": [
        "Im Terminal die Internet-Markierung entfernen: xattr -d com.apple.quarantine MAPPE",
        "Mappe in Excel öffnen und „Makros aktivieren“ wählen; beim ersten Lauf den Zugriff "
        "von Excel auf Python (AppleScript) erlauben.",
        "Im Menüband die Registerkarte „Sozialraumbudget“ wählen und „Prüfen“ drücken.",
    ],
}


@dataclass
class SetupReport:
    target: Path
    system: str
    interpreter: str
    xlwings_version: str

    def render(self) -> str:
        lines = [
            f"Mappe eingerichtet: {self.target}",
            f"Python für Excel ({self.system}): {self.interpreter}",
            f"xlwings {self.xlwings_version} in Python und in den Makros der Mappe: passt.",
            "Noch zu tun:",
        ]
        steps = [s.replace("MAPPE", str(self.target)) for s in STEPS[self.system]]
        lines += [f"  {i}. {s}" for i, s in enumerate(steps, start=1)]
        return "\n".join(lines)


def running_system() -> str | None:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "mac"
    return None


def default_interpreter(system: str, executable: str = sys.executable) -> str:
    """This environment's Python; on Windows pythonw.exe, which opens no console window."""
    if system == "windows":
        path = PureWindowsPath(executable)
        if path.name.lower() == "python.exe":
            return str(path.with_name("pythonw.exe"))
    return executable


def workbook_xlwings_version(path: Path) -> str | None:
    """The xlwings version the workbook's VBA was written for (its ``xlwings`` module)."""
    from pyopenvba import ExcelFile

    try:
        code = ExcelFile(str(path)).get_module("xlwings")
    except Exception:
        return None
    match = VBA_VERSION.search(str(code))
    return match.group(1) if match else None


def check_versions(path: Path) -> str:
    in_book = workbook_xlwings_version(path)
    if in_book is None:
        raise FileProblem(
            f"„{path.name}“ enthält das xlwings-Makromodul nicht; bitte die Mappe aus "
            "„xlsozial mappe-bauen“ oder die mitgelieferte Mappe verwenden."
        )
    if in_book != xlwings.__version__:
        raise InputError(
            [
                Problem(
                    f"{path.name} (Makromodul xlwings)",
                    f"Die Mappe erwartet xlwings {in_book}, diese Python-Umgebung hat "
                    f"{xlwings.__version__}. Bitte: pip install xlwings=={in_book}",
                )
            ]
        )
    return in_book


def set_config(book: PackageBook, key: str, value: str) -> None:
    """Set ``key`` in column A / value in column B of xlwings.conf (a new row if missing)."""
    sheet = layout.XLWINGS_CONF
    if sheet not in book.sheetnames:
        raise FileProblem(f"Blatt „{sheet}“ fehlt in der Mappe.")
    row = 1
    while book.cell(sheet, row, 1) not in (key, None):
        row += 1
    book.set_cell(sheet, row, 1, key)
    book.set_cell(sheet, row, 2, value)


def setup(
    path: Path,
    copy_to: Path | None = None,
    system: str | None = None,
    interpreter: str | None = None,
) -> SetupReport:
    system = system or running_system()
    if system is None:
        raise UsageError(
            "Excel läuft unter Windows oder macOS. Für welches System soll die Mappe "
            "eingerichtet werden? --system windows oder --system mac, dazu --python PFAD"
        )
    if system not in SYSTEMS:
        raise UsageError(f"--system „{system}“: möglich sind windows oder mac")
    if interpreter is None:
        if system != running_system():
            raise UsageError(f"Für {system} bitte den Pfad zu Python angeben: --python PFAD")
        interpreter = default_interpreter(system)
    if system == running_system() and not Path(interpreter).exists():
        raise UsageError(f"Python „{interpreter}“ gibt es auf diesem Rechner nicht.")
    version = check_versions(path)
    with master_session(path, copy_to, "einrichten") as book:
        set_config(book, SYSTEMS[system], interpreter)
        book.commit()
    target = copy_to or path
    if system == running_system() == "windows":
        unblock(target)
    return SetupReport(target, system, interpreter, version)


def unblock(path: Path) -> bool:
    """Remove the Mark of the Web (NTFS stream Zone.Identifier), as „Zulassen“ does."""
    try:
        Path(f"{path}:Zone.Identifier").unlink()
    except OSError:
        return False
    return True


SERVER_STEPS = [
    "Datei im Explorer: Rechtsklick → Eigenschaften → unten „Zulassen“ ankreuzen → OK "
    "(sonst sperrt Excel die Makros).",
    "Mappe in Excel öffnen und „Inhalt aktivieren“ (Makros) bestätigen.",
    "Im Menüband „Sozialraumbudget“ → „Prüfen“: die Meldung „Alle … Prüfungen bestanden“ "
    "kommt jetzt vom Server; auf dem Arbeitsplatz ist kein Python nötig.",
    "Verteilen, Einsammeln, Bericht, Werte einfrieren und Jahreswechsel legen ihre Dateien "
    "auf dem Server ab; den Link dorthin (Herunterladen, Hochladen) nennt jede dieser "
    "Meldungen, er steht auch auf Blatt Start.",
]


@dataclass
class ServerReport:
    target: Path
    url: str

    def render(self) -> str:
        if not self.url:
            return (
                f"Mappe eingerichtet: {self.target}\nDie Knöpfe rechnen wieder mit dem Python "
                "des Arbeitsplatzes (xlsozial einrichten MAPPE verbindet es)."
            )
        lines = [
            f"Mappe eingerichtet: {self.target}",
            f"Die Knöpfe rechnen auf dem Server {self.url} (xlwings Server).",
            "Noch zu tun:",
        ]
        lines += [f"  {i}. {s}" for i, s in enumerate(SERVER_STEPS, start=1)]
        return "\n".join(lines)


def server_setup(path: Path, url: str, copy_to: Path | None = None) -> ServerReport:
    """Point the ribbon at an xlwings Server (``url``) or, with ``url == ""``, back at the
    workbook's own Python; the VBA reads the address from xlwings.conf at every press."""
    url = url.strip().rstrip("/")
    if url and not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", url):
        raise UsageError(
            f"--server „{url}“: bitte die Adresse des Servers mit http:// oder https:// "
            "angeben, z. B. --server https://xlsozial.landkreis.intern"
        )
    check_versions(path)
    missing = missing_for_server(path) if url else []
    if missing:
        raise FileProblem(
            f"„{path.name}“ enthält nicht alle Makros, die der Server braucht (fehlt: "
            f"{', '.join(missing)}); bitte die mit dieser Version gebaute Mappe verwenden "
            "(xlsozial mappe-bauen) und die Eingaben hineinkopieren."
        )
    with master_session(path, copy_to, "einrichten") as book:
        set_config(book, SERVER_KEY, url)
        book.commit()
    return ServerReport(copy_to or path, url)


def missing_for_server(path: Path) -> list[str]:
    """What the server path needs in the workbook's VBA and this one lacks: xlwings' client
    (module Remote) and the macros the server asks the client to run (Ribbon.bas)."""
    from pyopenvba import ExcelFile

    from xlsozial.adapters.remote_book import PROTECT_MACRO, SAVE_MACRO, UNPROTECT_MACRO

    try:
        book = ExcelFile(str(path))
        names = book.module_names()
        code = "\n".join(str(book.get_module(n) or "") for n in names)
    except Exception:
        names, code = [], ""
    missing = [f"Modul {REMOTE_MODULE}"] if REMOTE_MODULE not in names else []
    for macro in (SAVE_MACRO, UNPROTECT_MACRO, PROTECT_MACRO):
        if not re.search(rf"(?im)^\s*Public\s+Sub\s+{macro}\s*\(", code):
            missing.append(macro)
    return missing
