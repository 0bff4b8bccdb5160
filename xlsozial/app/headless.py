"""The ribbon commands on a workbook file, without Excel: what the command line runs.

Each function opens the master under xlsozial's lock (:func:`master_session`), runs the one
service function of :mod:`xlsozial.commands` that Excel runs too, and replaces the file
atomically, or leaves it byte for byte as it was when the command writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from xlsozial import commands
from xlsozial.adapters.session import master_session, open_master
from xlsozial.commands.feedback import Feedback, Recorder
from xlsozial.domain.models import Inputs
from xlsozial.domain.results import Results

if TYPE_CHECKING:
    from xlsozial.circulation.collect import CollectReport


def calculate(
    path: Path,
    target: Path | None = None,
    feedback: Feedback | None = None,
    command: str = "berechnen",
) -> Results:
    with master_session(path, target, command) as book:
        results = commands.calculate(book, feedback or Recorder(), command)
        book.commit()
    return results


def check(path: Path, feedback: Feedback | None = None) -> tuple[Inputs, Results]:
    """Prüfen writes nothing to the file: the Prüfungen sheet lives only in memory here."""
    return commands.check(open_master(path), feedback or Recorder())


def report(path: Path, pdf: Path, feedback: Feedback | None = None) -> Results:
    return commands.report(open_master(path), feedback or Recorder(), pdf)


def distribute(
    path: Path,
    folder: Path,
    deadline: date | None = None,
    only: str | None = None,
    today: date | None = None,
    feedback: Feedback | None = None,
) -> list[Path]:
    """The master records the round (atomically) before any provider file is written."""
    with master_session(path, None, "verteilen") as book:
        return commands.distribute(book, feedback or Recorder(), folder, deadline, only, today)


def collect(
    path: Path,
    files: Sequence[Path],
    target: Path | None = None,
    partial: bool = False,
    today: date | None = None,
    feedback: Feedback | None = None,
    allow_older: bool = False,
) -> CollectReport:
    with master_session(path, target, "einsammeln") as book:
        report = commands.collect(book, feedback or Recorder(), files, partial, today, allow_older)
        if report.written:
            book.commit()
    return report


def freeze(path: Path, target: Path | None = None, feedback: Feedback | None = None) -> int:
    """With a ``.xlsx`` target the result is a genuine macro-free workbook (no VBA, no
    ribbon, the plain workbook content type): the form for people without Python."""
    macro_free = target is not None and target.suffix.lower() == ".xlsx"
    with master_session(path, target, "werte-einfrieren", macro_output=not macro_free) as book:
        count = commands.freeze(book, feedback or Recorder())
        book.commit()
    return count


def overview(path: Path) -> str:
    return commands.overview(open_master(path))


def fix_quota(
    path: Path,
    decision: str,
    user: str,
    valid_from: int | None = None,
    valid_to: int | None = None,
    feedback: Feedback | None = None,
) -> Results:
    from xlsozial.commands.years import fix_quota as service

    with master_session(path, None, "quote-festschreiben") as book:
        results = service(book, feedback or Recorder(), decision, user, valid_from, valid_to)
        book.commit()
    return results
