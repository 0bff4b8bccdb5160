"""Results → workbook, through any adapter: output sheets, last-run cell, Protokoll row."""

from __future__ import annotations

import getpass
import hashlib
from dataclasses import replace
from datetime import datetime
from typing import Any

from xlsozial import __version__
from xlsozial.book import layout
from xlsozial.book.adapter import BookAdapter, SheetOutput
from xlsozial.book.outputs import all_outputs
from xlsozial.domain.geo import Boundaries
from xlsozial.domain.german import money as eur
from xlsozial.domain.models import MODEL_LABELS, Inputs
from xlsozial.domain.money import cents
from xlsozial.domain.results import Results, euro


def input_hash(inputs: Inputs) -> str:
    """Short SHA-256 of the order-independent inputs: same inputs, same hash."""
    digest = hashlib.sha256()
    for line in inputs.canonical_lines():
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()[:16]


def parameter_summary(inputs: Inputs) -> str:
    p = inputs.parameters
    parts = [
        f"Altersgruppe {p.age_group.value}",
        f"Normierung {p.normalisation.value}",
        f"Mittel {p.aggregation.value}",
        f"Dämpfung {p.damping:g}".replace(".", ","),
        f"Korridor −{p.corridor_down:.0%}/+{p.corridor_up:.0%}",
        f"Rundung {eur(cents(p.rounding_unit))}",
        f"Aufteilung {p.split_method.value}",
        f"Übergang {p.transition_years} J.",
    ]
    return "; ".join(parts)


def write_results(
    book: BookAdapter,
    inputs: Inputs,
    results: Results,
    command: str,
    when: datetime | None = None,
    log: bool = True,
    note: str = "",
    user: str | None = None,
    shapes: Boundaries | None = None,
) -> None:
    """Output sheets, Start cells and one Protokoll row (``note`` heads its details);
    ``shapes``: the boundaries next to the workbook, for Blatt Karte."""
    for output in all_outputs(inputs, results, shapes):
        book.write_sheet(output if results.ok else invalid(output, results))
    status = "alle Prüfungen bestanden" if results.ok else "Prüfungen NICHT bestanden"
    book.set_named(layout.NAME_VERSION, __version__)
    digest = input_hash(inputs)
    book.set_named(layout.NAME_RESULT_HASH, digest)
    user = user or getattr(book, "user", None)  # Excel knows who pressed the button
    if log:
        entry = log_entry(
            command,
            MODEL_LABELS[results.chosen_model],
            euro(results.budget),
            "; ".join(filter(None, [note, parameter_summary(inputs)])),
            inputs,
            results.ok,
            when,
            user,
            digest,
        )
        book.set_named(layout.NAME_LAST_RUN, f"{entry[0]} ({command})")
        book.set_named(layout.NAME_LAST_RESULT, status)
        book.append_log(entry)


INVALID_TITLE = "UNGÜLTIG – "


def invalid(output: SheetOutput, results: Results) -> SheetOutput:
    """A red Prüfung: the sheet says in its first two lines that these numbers must not be
    used (in print too, without colour), and names the failed checks."""
    failed = ", ".join(c.name for c in results.checks if not c.ok)
    return replace(
        output,
        title=INVALID_TITLE + output.title,
        subtitle=f"Nicht verwenden: Prüfungen nicht bestanden ({failed}). " + output.subtitle,
    )


def results_are_current(book: BookAdapter, inputs: Inputs) -> bool:
    """Whether the output sheets were computed from exactly these inputs."""
    named = book.named(layout.NAME_RESULT_HASH)
    return named is not None and named.value == input_hash(inputs)


def log_entry(
    command: str,
    subject: str,
    budget: float | None,
    details: str,
    inputs: Inputs,
    ok: bool,
    when: datetime | None = None,
    user: str | None = None,
    digest: str | None = None,
) -> list[Any]:
    """One Protokoll row in the column order of ``layout.LOG``: who, when, what, on which data."""
    return [
        (when or datetime.now()).strftime("%d.%m.%Y %H:%M:%S"),
        user or getpass.getuser(),
        command,
        subject,
        budget,
        details,
        digest or input_hash(inputs),
        "OK" if ok else "FEHLER",
    ]
