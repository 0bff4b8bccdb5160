"""Live Excel: the functions the ribbon buttons call through xlwings' RunPython.

Entry points only: each takes the calling book, wraps it in :class:`XlwingsBook` and an
:class:`ExcelFeedback`, and runs the same service function of :mod:`xlsozial.commands` as
the command line. Errors never reach the user as a traceback: invalid input gets a short
German message box, the full list on the Prüfungen sheet and highlighted cells; file and
program errors get a message (and a log file for the support).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from xlsozial import commands
from xlsozial.adapters.fileio import master_lock, os_error_text
from xlsozial.adapters.xlwings_book import ExcelFeedback, XlwingsBook
from xlsozial.book import layout
from xlsozial.book.outputs import problems_sheet
from xlsozial.domain.errors import BookError, InputError, UsageError

OUTBOX = "Versand"
INBOX = "Rücklauf"
Action = Callable[[XlwingsBook, ExcelFeedback], object]


def show_problems(book: XlwingsBook, feedback: ExcelFeedback, exc: InputError) -> None:
    """Every problem on the Prüfungen sheet, the cells marked, the first five in a box."""
    book.write_sheet(problems_sheet([(p.where, p.message) for p in exc.problems]))
    feedback.mark([p.where for p in exc.problems])
    feedback.status(None)
    first = "\n".join(f"- {p}" for p in exc.problems[:5])
    more = f"\n… und {len(exc.problems) - 5} weitere" if len(exc.problems) > 5 else ""
    feedback.alert(
        f"{len(exc.problems)} Problem(e) in den Eingaben. Es wurde nichts berechnet.\n\n"
        f"{first}{more}\n\nDie vollständige Liste steht auf dem Blatt Prüfungen; "
        "betroffene Zellen sind rot markiert.",
        critical=True,
    )


def _folder(book: XlwingsBook, what: str) -> Path:
    if book.folder is None:
        raise UsageError(f"Bitte die Mappe zuerst speichern: {what} im Ordner daneben.")
    return book.folder


def calculate(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    return commands.calculate(book, feedback, "Berechnen (Excel)")


def check(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    return commands.check(book, feedback)


def distribute(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    folder = _folder(book, "die Kostenblatt-Dateien entstehen") / OUTBOX
    return commands.distribute(book, feedback, folder)


def collect(book: XlwingsBook, feedback: ExcelFeedback, partial: bool = False) -> object:
    return collect_from(book, feedback, _folder(book, "Rückläufer liegen") / INBOX, partial)


def collect_from(
    book: XlwingsBook, feedback: ExcelFeedback, inbox: Path, partial: bool = False
) -> object:
    """Einsammeln from ``inbox`` (next to the book; on the server: its Ablage)."""
    files = [
        path
        for pattern in ("*.xlsx", "*.xlsm")
        for path in sorted(inbox.glob(pattern))
        if not path.name.startswith(".")  # a file being written (xlsozial's temporary files)
    ]
    if not files:
        feedback.alert(f"Keine Rückläufer gefunden. Bitte die Dateien der SRT nach {inbox} legen.")
        return None
    report = commands.collect(book, feedback, files, partial)
    if report.rejected and not report.written:
        book.write_sheet(
            problems_sheet([(p.name, "; ".join(reasons)) for p, reasons in report.rejected])
        )
    return report


def collect_valid(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    """Einsammeln (nur gültige): valid returns are merged, rejected ones noted in Rücklauf."""
    return collect(book, feedback, partial=True)


def report(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    return commands.report(book, feedback, _folder(book, "der Bericht entsteht") / report_name())


def report_name() -> str:
    return f"Bericht_Sozialraumbudget_{datetime.now():%Y-%m-%d_%H%M}.pdf"


def freeze(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    return commands.freeze(book, feedback)


def fix_quota(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    """The Vorlage-Nr. on the Parameter sheet is the Beschluss; valid from the budget year
    for the review interval (the command line can set both explicitly)."""
    from xlsozial.commands.years import fix_quota as service

    paper = book.named("Vorlage_Nr")
    decision = str(paper.value or "") if paper is not None else ""
    where = paper.where if paper is not None else layout.PARAMETER
    return service(book, feedback, decision, user_of(book), decision_where=where)


def roll_over(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    """Works on the saved file: the new year is a new workbook next to it."""
    from xlsozial.commands.rollover import roll

    full = book.path
    saved = bool(getattr(book.book.api, "Saved", True))
    if not full.is_file() or not saved:
        raise UsageError(
            "Bitte die Mappe zuerst berechnen und speichern; der Jahreswechsel "
            "liest die gespeicherte Datei und erstellt daneben die neue."
        )
    done = roll(full, user=user_of(book))
    feedback.alert(done.render(), critical=not done.results.ok)
    return done


def user_of(book: XlwingsBook) -> str:
    import getpass

    return book.user or getpass.getuser()


def _caller() -> XlwingsBook:
    import xlwings as xw

    return XlwingsBook(xw.Book.caller())


def run(
    action: Action, book: XlwingsBook | None = None, feedback: ExcelFeedback | None = None
) -> object:
    """Run a ribbon command: xlsozial's lock on the file while it works (so no headless run
    interleaves), German messages for every failure, never a traceback on screen. (The
    remote path, :mod:`xlsozial.app.remote`, passes its own book and feedback.)"""
    book = book or _caller()
    feedback = feedback or ExcelFeedback(book)
    full = book.path
    try:
        saved = book.folder is not None and full.is_file()  # a remote book has no file here
        lock = master_lock(full, action.__name__) if saved else contextlib.nullcontext()
        with lock:
            book.clear_marks()
            return action(book, feedback)
    except InputError as exc:
        show_problems(book, feedback, exc)
    except (BookError, UsageError) as exc:
        feedback.status(None)
        feedback.alert(str(exc), critical=True)
    except OSError as exc:
        feedback.status(None)
        feedback.alert(os_error_text(exc), critical=True)
    except Exception:
        from xlsozial.adapters.fileio import log_traceback

        feedback.status(None)
        feedback.alert(
            "Interner Fehler in xlsozial – das liegt nicht an Ihren Eingaben. "
            f"Details für den Support: {log_traceback()}",
            critical=True,
        )
    return None


def berechnen() -> None:
    """Ribbon: Berechnen."""
    run(calculate)


def pruefen() -> None:
    """Ribbon: Prüfen."""
    run(check)


def verteilen() -> None:
    """Ribbon: Kostenblätter verteilen (Ordner „Versand“ neben der Mappe)."""
    run(distribute)


def einsammeln() -> None:
    """Ribbon: Rückläufer einsammeln (Ordner „Rücklauf“ neben der Mappe)."""
    run(collect)


def einsammeln_gueltige() -> None:
    """Ribbon: nur gültige Rückläufer übernehmen, abgelehnte im Blatt Rücklauf vermerken."""
    run(collect_valid)


def bericht() -> None:
    """Ribbon: Bericht (PDF neben der Mappe)."""
    run(report)


def quote_festschreiben() -> None:
    """Ribbon: Quote festschreiben."""
    run(fix_quota)


def jahreswechsel() -> None:
    """Ribbon: Jahreswechsel (neue Mappe für das nächste Jahr neben dieser)."""
    run(roll_over)


def werte_einfrieren() -> None:
    """Ribbon: Werte einfrieren."""
    run(freeze)
