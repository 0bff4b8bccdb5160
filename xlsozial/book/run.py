"""The headless commands behind the ribbon buttons: Berechnen and Prüfen on a file."""

from __future__ import annotations

from pathlib import Path

from xlsozial.book import layout
from xlsozial.book.adapter import BookAdapter
from xlsozial.book.reader import read_inputs
from xlsozial.book.rounds import with_round_check
from xlsozial.book.session import master_session, open_master
from xlsozial.book.writer import results_are_current, write_results
from xlsozial.core import compute
from xlsozial.errors import InputError, Problem
from xlsozial.models import Inputs
from xlsozial.results import Results


def run_calculate(path: Path, target: Path | None = None, command: str = "berechnen") -> Results:
    """Read, validate, compute, write; the file is replaced atomically or not at all.

    Results with a red Prüfung are written too, but every output sheet says in its title
    that they are not valid (see ``write_results``); the caller reports it.
    """
    with master_session(path, target, command) as book:
        inputs = read_inputs(book)
        results = with_round_check(compute(inputs), book)
        write_results(book, inputs, results, command)
        book.save_atomic(target or path)
    return results


def run_check(path: Path) -> tuple[Inputs, Results]:
    """Validate and compute without writing anything."""
    book = open_master(path)
    inputs = read_inputs(book)
    return inputs, with_round_check(compute(inputs), book)


def report_inputs(path: Path) -> tuple[Inputs, Results]:
    """Inputs and results for the Bericht, only if the output sheets show these results.

    The PDF must never print numbers that differ from the workbook: if the inputs changed
    since the last Berechnen (input hash on the Start sheet), the report is refused.
    """
    book = open_master(path)
    inputs = read_inputs(book)
    ensure_current(book, inputs)
    return inputs, compute(inputs)


def ensure_current(book: BookAdapter, inputs: Inputs) -> None:
    if not results_are_current(book, inputs):
        raise InputError(
            [
                Problem(
                    layout.START,
                    "Die Eingaben wurden seit der letzten Berechnung geändert (oder die Mappe "
                    "wurde nie berechnet); die Ergebnisblätter sind nicht aktuell. Bitte zuerst "
                    "„Berechnen“ ausführen, damit Bericht und Mappe dieselben Zahlen zeigen.",
                )
            ]
        )
