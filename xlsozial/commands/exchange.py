"""Verteilen, Einsammeln and Rücklauf: the exchange with the Sozialraumträger.

One flow per command for the ribbon and the command line. The adapter's ``commit`` makes
the round durable before any provider file exists (headless: the atomic replace of the
master; Excel: saving the open book), so no file goes out with a token the master forgot.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xlsozial.book import layout
from xlsozial.book.adapter import BookAdapter
from xlsozial.book.reader import read_inputs
from xlsozial.book.table_write import replace_items
from xlsozial.circulation import rounds
from xlsozial.commands.feedback import Feedback
from xlsozial.domain.errors import UsageError

if TYPE_CHECKING:
    from xlsozial.circulation.collect import CollectReport

# The provider files are openpyxl workbooks: their modules load only when a round runs, so
# berechnen never imports openpyxl; the computation loads only for Einsammeln (Verteilen and
# Rücklauf need no numpy).


def distribute(
    book: BookAdapter,
    feedback: Feedback,
    folder: Path,
    deadline: date | None = None,
    only: str | None = None,
    today: date | None = None,
) -> list[Path]:
    """Open a round (or re-issue one SRT's file) and write Kosten_KEY.xlsx into ``folder``.

    All or nothing: the files are written into a hidden folder first, then the round is
    recorded in the master, then the files are moved into place; a failure after the
    round is recorded says exactly which files exist."""
    from xlsozial.circulation.distribute import (
        check_folder,
        discard,
        place,
        save_state,
        stage_files,
    )

    check_folder(folder)
    inputs = read_inputs(book)
    keys = [p.key for p in inputs.providers]
    if only is not None and only not in keys:
        raise UsageError(f"SRT „{only}“ gibt es nicht; möglich: {', '.join(keys)}")
    day = today or date.today()
    if deadline is not None and deadline < day:
        raise UsageError(
            f"Die Rückgabefrist {deadline:%d.%m.%Y} liegt vor heute ({day:%d.%m.%Y}); jede "
            "Datei nennte einen verstrichenen Termin. Bitte ein späteres Datum angeben."
        )
    state = rounds.open_round(rounds.load(book), keys, day, deadline, only)
    staged = stage_files(inputs, folder, book.file_name, state, only)
    try:
        save_state(book, state, inputs)
        book.commit()
    except BaseException:
        discard(staged)
        raise
    written = place(staged)
    if only:
        feedback.alert(
            f"Datei für {only} neu ausgestellt (neue Kennung); die Dateien der anderen SRT "
            "gelten weiter."
        )
    else:
        feedback.alert(
            f"Runde {state.number}: {len(written)} Kostenblatt-Dateien (ohne Makros) im "
            f"Ordner {folder}; Rückgabe bis {rounds.german_date(state.deadline)}."
        )
    return written


def collect(
    book: BookAdapter,
    feedback: Feedback,
    files: Sequence[Path],
    partial: bool = False,
    today: date | None = None,
    allow_older: bool = False,
) -> CollectReport:
    """Check returned cost sheets and merge them, all or nothing (or only the valid ones).
    A file older than the one already merged for its SRT is refused unless ``allow_older``.

    Whatever is merged is recomputed in the same run, so no output sheet keeps numbers from
    before the merge. With rejected files and without ``partial`` nothing is written.
    """
    from xlsozial.book.writer import write_results
    from xlsozial.circulation.collect import change_note, evaluate, record
    from xlsozial.circulation.distribute import save_state
    from xlsozial.commands.calculation import map_shapes
    from xlsozial.evaluation.compute import compute

    inputs = read_inputs(book)
    state = rounds.load(book)
    total, done = len(files), itertools.count(1)

    def step(path: Path) -> None:
        feedback.progress(next(done), total, path.name)

    report = evaluate(inputs, files, step, state, allow_older)
    if (report.rejected and not partial) or not (report.accepted or report.rejected):
        feedback.alert(report.render() or "Keine Rückläufer.", critical=bool(report.rejected))
        return report
    merged = inputs
    for ret in report.accepted:
        replace_items(book, layout.cost_table(ret.key), ret.positions)
    if report.accepted:
        merged = read_inputs(book)  # the master must still be valid input
        report.results = compute(merged, for_sheets=True)
    if state is not None:
        record(state, report, today or date.today())
        save_state(book, state, merged)
    if report.results is not None:
        results = rounds.with_round_check(report.results, book, today)
        note = change_note(report)
        shapes = map_shapes(book, results)
        write_results(book, merged, results, "einsammeln", note=note, shapes=shapes)
        report.results = results
    report.written = True
    feedback.alert(report.render(), critical=bool(report.rejected))
    return report


def overview(book: BookAdapter) -> str:
    """Rücklauf: which SRT returned what in the open round."""
    names = {p.key: p.name for p in read_inputs(book).providers}
    return rounds.overview_text(rounds.load(book), names)
