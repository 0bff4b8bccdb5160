"""The ribbon commands that work with files, on the server: the desktop's entry points
(:mod:`xlsozial.app.excel`) with the server's Ablage (:mod:`xlsozial.app.remote_files`)
in place of the folder next to the workbook.

- Verteilen writes the cost files into the Ablage's Versand (saving the book first, as at
  the desk); Einsammeln reads its Rücklauf (uploaded through the page, or put there by the IT
  on a share); Bericht writes the Vorlage into Berichte.
- Werte einfrieren and Jahreswechsel need the saved file, which a client never sends: the
  clerk uploads it to the page; it is used only if its inputs and round equal the open
  book's, and what it makes (the workbook with values instead of SRB_ formulas, the next
  year's workbook and the archive) is offered for download. The open book stays as it is.

Every message names the Ablage instead of a server path and ends with the page's link,
which is also written into Blatt Start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from xlsozial import commands
from xlsozial.adapters.remote_book import RemoteBook, RemoteFeedback
from xlsozial.adapters.session import open_master
from xlsozial.adapters.xlwings_book import ExcelFeedback, XlwingsBook
from xlsozial.app import excel
from xlsozial.app.remote_files import (
    BERICHTE,
    MAPPE,
    RUECKLAUF,
    VERSAND,
    Filing,
    expiry,
    filing_for,
    page_link,
    server_address,
)
from xlsozial.book import layout
from xlsozial.book.adapter import BookAdapter
from xlsozial.book.reader import read_inputs
from xlsozial.book.writer import input_hash
from xlsozial.circulation import rounds


class FilingFeedback(ExcelFeedback):
    """The command's messages with the Ablage named by its label and the page's link."""

    def __init__(
        self,
        inner: ExcelFeedback,
        filing: Filing,
        footer: str,
        rewrite: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(inner.book)
        self.inner, self.filing, self.footer, self.rewrite = inner, filing, footer, rewrite

    def status(self, text: str | None) -> None:
        self.inner.status(text)

    def alert(self, text: str, critical: bool = False) -> None:
        text = text.replace(str(self.filing.folder), self.filing.label())
        if self.rewrite is not None:
            text = self.rewrite(text)
        if isinstance(self.inner, RemoteFeedback):  # the link survives a shortened message
            self.inner.alert(text, critical, keep=f"\n\n{self.footer}")
        else:
            self.inner.alert(f"{text}\n\n{self.footer}", critical)


def _one_line_for_the_rest(text: str) -> str:
    """Bericht names each Anlage it wrote; on the server they are all on the page, so one
    line counts them (a message box shows only about 1,000 characters)."""
    lines = text.split("\n")
    extra = [line for line in lines if line.startswith("  dazu: ")]
    if len(extra) <= 2:
        return text
    first = lines.index(extra[0])
    rest = [line for line in lines if line not in extra]
    summary = f"  dazu: {len(extra)} weitere Dateien (Anlagen als PDF, der Text als Word-Datei)"
    return "\n".join([*rest[:first], summary, *rest[first:]])


def _open_filing(
    book: XlwingsBook,
    feedback: ExcelFeedback,
    what: str,
    command: str,
    rewrite: Callable[[str], str] | None = None,
) -> tuple[Filing, FilingFeedback]:
    filing = filing_for(book.file_name, what, command)
    conf = _conf_server(book)
    until = expiry()
    link = page_link(server_address(conf), filing.name, until=until)
    text = (
        f"Dateien „{filing.name}“ auf dem Server (Link gültig bis "
        f"{datetime.fromtimestamp(until):%d.%m.%Y})"
    )
    shown = isinstance(book, RemoteBook) and book.show_link(link, text, "Herunterladen/Hochladen")
    where = " Der Link steht auch auf Blatt Start." if shown else ""
    footer = f"Dateien auf dem Server ({filing.label()}): {link}{where}"
    return filing, FilingFeedback(feedback, filing, footer, rewrite)


def _conf_server(book: XlwingsBook) -> str | None:
    from xlsozial.app.setup import SERVER_KEY

    names = [s.name for s in book.book.sheets]
    if layout.XLWINGS_CONF not in names:
        return None
    rows = book.book.sheets[layout.XLWINGS_CONF].used_range.value or []
    rows = rows if rows and isinstance(rows[0], list) else [rows]
    return next((str(r[1]) for r in rows if len(r) > 1 and r[0] == SERVER_KEY and r[1]), None)


def distribute(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    filing, said = _open_filing(book, feedback, "Verteilen", "verteilen")
    return commands.distribute(book, said, filing.sub(VERSAND))


def collect(book: XlwingsBook, feedback: ExcelFeedback, partial: bool = False) -> object:
    filing, said = _open_filing(book, feedback, "Einsammeln", "einsammeln")
    return excel.collect_from(book, said, filing.sub(RUECKLAUF), partial)


def collect_valid(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    return collect(book, feedback, partial=True)


def report(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    filing, said = _open_filing(book, feedback, "Bericht", "bericht", _one_line_for_the_rest)
    folder = filing.sub(BERICHTE)
    folder.mkdir(parents=True, exist_ok=True)
    return commands.report(book, said, folder / excel.report_name())


def freeze(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    """A copy without SRB_ formulas (macro-free .xlsx) of the uploaded, saved workbook."""
    from xlsozial.app import headless

    filing, said = _open_filing(book, feedback, "Werte einfrieren", "werte-einfrieren")
    source = uploaded(book, filing, "Werte einfrieren", said)
    if source is None:
        return None
    target = filing.sub(MAPPE) / f"{filing.name}_Werte.xlsx"
    count = headless.freeze(source, target)
    said.alert(
        f"{count} Formel(n) mit SRB_-Funktionen durch Werte ersetzt – in einer Kopie ohne "
        f"Makros zum Weitergeben: {target.name}. Die geöffnete Mappe bleibt unverändert."
    )
    return count


def roll_over(book: XlwingsBook, feedback: ExcelFeedback) -> object:
    """The next year's workbook and the archive, made from the uploaded, saved workbook."""
    from xlsozial.commands.rollover import rollover

    filing, said = _open_filing(book, feedback, "Jahreswechsel", "jahreswechsel")
    source = uploaded(book, filing, "Jahreswechsel", said)
    if source is None:
        return None
    done = rollover(source, user=excel.user_of(book))
    said.alert(
        done.render() + "\nDie neue Mappe über den Link herunterladen und in ihr weiterarbeiten.",
        critical=not done.results.ok,
    )
    return done


def uploaded(book: XlwingsBook, filing: Filing, what: str, said: FilingFeedback) -> Path | None:
    """The saved workbook the clerk uploaded, if it is the open one as it stands now; else
    None, and the clerk is told (with the link) what to upload."""
    source = filing.saved_book
    if not source.is_file():
        said.alert(
            f"„{what}“ braucht die gespeicherte Mappe, die Excel dem Server nicht schickt: "
            "bitte die Mappe speichern, über den Link unten (auch auf Blatt Start) unter "
            "„Gespeicherte Mappe hochladen“ hochladen und dann erneut klicken.",
            critical=True,
        )
        return None
    if _state(open_master(source)) != _state(book):
        said.alert(
            f"Die hochgeladene Mappe ({source.name}) ist nicht der Stand der geöffneten: "
            "Eingaben oder Runde unterscheiden sich. Bitte speichern, über den Link unten "
            f"erneut hochladen und „{what}“ noch einmal klicken.",
            critical=True,
        )
        return None
    return source


def _state(book: BookAdapter) -> tuple[str, str]:
    state = rounds.load(book)
    return input_hash(read_inputs(book)), state.to_json() if state is not None else ""
