"""One way into the master for every headless command that writes it.

Checks the call (file exists, is a workbook, the output keeps what the file is), refuses a
file open in Excel or LibreOffice or read-only, holds xlsozial's own lock for the whole
read–compute–write, and hands out the opened book; the book's ``commit`` then replaces the
master (or writes the chosen output) only if the master is still the file that was read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from xlsozial.adapters.fileio import ensure_not_open, ensure_writable, master_lock, read_bytes
from xlsozial.adapters.package.integrity import check_package_bytes
from xlsozial.adapters.package.package_book import PackageBook
from xlsozial.book import layout
from xlsozial.domain.errors import FileProblem, UsageError

WORKBOOK_SUFFIXES = {".xlsm", ".xlsx"}


def check_master(path: Path) -> None:
    if not path.exists():
        raise FileProblem(f"Datei nicht gefunden: „{path}“.")
    if path.is_dir():
        raise FileProblem(f"„{path}“ ist ein Ordner, keine Arbeitsmappe.")
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise FileProblem(f"„{path.name}“ ist keine Excel-Mappe (.xlsm oder .xlsx erwartet).")


PROVIDER_ID_SHEET = "xlsozial"  # the very hidden sheet of a provider's cost file


def _not_a_provider_file(path: Path, names: list[str]) -> None:
    if PROVIDER_ID_SHEET in names and layout.PARAMETER not in names:
        raise UsageError(
            f"„{path.name}“ ist das Kostenblatt eines SRT, nicht die Mappe des Jugendamts – "
            "meinten Sie: xlsozial einsammeln MAPPE " + path.name + " ?"
        )


def open_master(path: Path) -> PackageBook:
    """Open a master workbook part by part (no openpyxl): what every command reads and
    what berechnen, einsammeln, verteilen, werte-einfrieren and quote-festschreiben write."""
    check_master(path)
    data = read_bytes(path)
    check_package_bytes(data, path)
    try:
        book = PackageBook(data, path)
    except Exception:
        raise FileProblem(
            f"Die Mappe „{path.name}“ ist beschädigt und lässt sich nicht lesen. Bitte in "
            "Excel öffnen (Excel bietet eine Reparatur an) oder eine Sicherung verwenden."
        ) from None
    _not_a_provider_file(path, book.sheetnames)
    return book


def check_output_suffix(out: Path, macros: bool) -> None:
    """A macro workbook only as .xlsm: Excel refuses a .xlsx that holds macros."""
    suffix = out.suffix.lower()
    if macros and suffix != ".xlsm":
        raise UsageError(
            f"„{out.name}“: eine Mappe mit Makros muss als .xlsm gespeichert werden (Excel "
            "öffnet eine .xlsx mit Makros nicht). Eine Fassung ohne Makros für Personen ohne "
            "Python erstellt: xlsozial werte-einfrieren MAPPE --ausgabe NAME.xlsx"
        )
    if suffix not in WORKBOOK_SUFFIXES:
        raise UsageError(f"„{out.name}“: Ausgabe als .xlsm (oder ohne Makros als .xlsx).")


@contextlib.contextmanager
def master_session(
    path: Path,
    target: Path | None,
    command: str,
    macro_output: bool = True,
) -> Iterator[PackageBook]:
    """Open the master for a writing command; see the module docstring."""
    check_master(path)
    out = target or path
    if target is not None and out.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise UsageError(f"„{out.name}“: Ausgabe als .xlsm (oder ohne Makros als .xlsx).")
    ensure_not_open(path)
    if target is not None:
        ensure_not_open(out)
    ensure_writable(out.resolve() if out.is_symlink() else out)
    with master_lock(path, command):
        book = open_master(path)
        book.macro_free = not macro_output
        if macro_output:
            check_output_suffix(out, book.has_macros)
        book.target = out
        yield book
