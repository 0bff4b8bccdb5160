"""Berechnen, Prüfen and Bericht: the same flow for the ribbon and the command line."""

from __future__ import annotations

from pathlib import Path

from xlsozial.book import layout
from xlsozial.book.adapter import BookAdapter
from xlsozial.book.outputs import checks_sheet
from xlsozial.book.reader import read_inputs
from xlsozial.book.writer import results_are_current, write_results
from xlsozial.circulation.rounds import with_round_check
from xlsozial.commands.feedback import Feedback
from xlsozial.documents.geo import boundaries_for
from xlsozial.domain.errors import InputError, Problem
from xlsozial.domain.geo import Boundaries
from xlsozial.domain.models import Inputs
from xlsozial.domain.results import Results
from xlsozial.evaluation.compute import compute

RED_WRITTEN = (
    "Achtung: Prüfungen sind rot. Die Ergebnisse wurden geschrieben, aber jedes "
    "Ergebnisblatt ist als UNGÜLTIG gekennzeichnet; bitte Blatt Prüfungen ansehen:\n- "
)


def evaluate(
    book: BookAdapter, feedback: Feedback, for_sheets: bool = False
) -> tuple[Inputs, Results]:
    """Read and validate every input in one round, compute, add the round's Prüfung
    (``for_sheets``: with what the sheets show beyond the run: M2 under every
    normalisation, the variants)."""
    feedback.status("Sozialraumbudget: Eingaben lesen …")
    inputs = read_inputs(book)
    feedback.status("Sozialraumbudget: rechnen …")
    return inputs, with_round_check(compute(inputs, for_sheets), book)


def calculate(book: BookAdapter, feedback: Feedback, command: str) -> Results:
    """Berechnen: inputs → core → every output sheet, Start cells and a Protokoll row.

    Results with a red Prüfung are written too, with „UNGÜLTIG“ in every output title, and
    the user is told which Prüfungen failed. Invalid input raises before anything is written.
    """
    inputs, results = evaluate(book, feedback, for_sheets=True)
    feedback.status("Sozialraumbudget: Ergebnisse schreiben …")
    write_results(book, inputs, results, command, shapes=map_shapes(book, results))
    feedback.status(None)
    if not results.ok:
        failed = [c.name for c in results.checks if not c.ok]
        feedback.alert(RED_WRITTEN + "\n- ".join(failed), critical=True)
    return results


def map_shapes(book: BookAdapter, results: Results) -> Boundaries:
    """The boundaries for Blatt Karte: ``Sozialraeume.geojson`` next to the workbook file,
    else the schematic tile map (a book in Excel over the server has no folder here)."""
    areas = [(a.name, a.region) for a in results.areas]
    return boundaries_for(getattr(book, "path", None), areas)


def check(book: BookAdapter, feedback: Feedback) -> tuple[Inputs, Results]:
    """Prüfen: compute and show the Prüfungen sheet; the caller decides whether to keep it."""
    inputs, results = evaluate(book, feedback)
    book.write_sheet(checks_sheet(results))
    feedback.status(None)
    failed = [c for c in results.checks if not c.ok]
    if failed:
        feedback.alert(
            f"{len(failed)} von {len(results.checks)} Prüfungen rot:\n"
            + "\n".join(f"- {c.name}: {c.detail}" for c in failed),
            critical=True,
        )
    else:
        feedback.alert(f"Alle {len(results.checks)} Prüfungen bestanden.")
    return inputs, results


def report(book: BookAdapter, feedback: Feedback, target: Path) -> Results:
    """Bericht: the Beschlussvorlage (PDF, each Anlage as PDF, the text as Word), only from
    results the workbook shows. With a red Prüfung it is stamped ENTWURF on every page and
    says so here (an expired decided quota excepted: the paper proposes the new one); missing
    or stale Vorlage-Nr. and Sitzungstermin are named too."""
    from xlsozial.documents.files import write_vorlage

    inputs, results = evaluate(book, feedback, for_sheets=True)
    ensure_current(book, inputs)
    feedback.status("Sozialraumbudget: Bericht erstellen …")
    paper, written = write_vorlage(inputs, results, target, getattr(book, "path", None))
    feedback.status(None)
    lines = [f"Bericht gespeichert: {target}"]
    lines += [f"  dazu: {path.name}" for path in written[1:]]
    if paper.draft:
        lines.insert(0, "ENTWURF – Prüfungen nicht bestanden; jede Seite ist so gekennzeichnet:")
        lines[1:1] = [f"  - {line}" for line in paper.draft]
    for box in paper.notices[1 if paper.draft else 0 :]:
        lines += [f"Hinweis: {line}" for line in box.lines]
    feedback.alert("\n".join(lines), critical=bool(paper.draft))
    return results


def ensure_current(book: BookAdapter, inputs: Inputs) -> None:
    """The PDF must never print numbers that differ from the output sheets."""
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
