"""Jahreswechsel: from the computed, green workbook of year N the workbook of year N+1.

- Vorjahresbudget per Sozialraum := what it finally got in year N: the chosen model plus
  the Besitzstand payment the transition defines for N.
- The Besitzstand baseline (column „Besitzstand (€)“) is fixed at the first Jahreswechsel of a
  transition, and „Übergang begann im Jahr“ is set, so year N+1 is the next step of the
  same phase-out instead of a new transition against the raised Vorjahr.
- Haushaltsjahr N+1; the decided quota stays; open applications stay, decided ones go to the
  archive with year N; the cost sheets are emptied for the new year, last year's positions
  kept on „Kosten Vorjahr“ (the split uses them until the new ones are back); the round of
  cost sheets is closed.
- Year N is kept as it was: a values-only archive copy (.xlsx) and rows in „Historie“.

The source file is never written. Refused (German message, nothing written) when year N is
not computed, has red Prüfungen, or was already rolled over, or a target file exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from xlsozial.book import layout, layout_years
from xlsozial.book.package_book import PackageBook
from xlsozial.book.reader import read_inputs
from xlsozial.book.rounds import overview_sheet, with_round_check
from xlsozial.book.session import check_master, open_master
from xlsozial.book.table_write import replace_items, updated_rows
from xlsozial.book.writer import write_results
from xlsozial.commands.calculation import ensure_current
from xlsozial.errors import InputError, Problem, UsageError
from xlsozial.evaluation import compute
from xlsozial.fileio import atomic_write_bytes, master_lock, read_bytes
from xlsozial.models import ApplicationStatus, HistoryRow, Inputs
from xlsozial.money import euros
from xlsozial.results import Results


@dataclass
class Rollover:
    source: Path
    target: Path
    archive: Path
    year: int  # the year that was closed
    results: Results  # of the new year

    def render(self) -> str:
        return (
            f"Jahreswechsel {self.year} → {self.year + 1}: neue Mappe {self.target}\n"
            f"Jahr {self.year} unverändert archiviert (nur Werte): {self.archive}\n"
            f"Die Ausgangsmappe {self.source.name} wurde nicht verändert."
        )


def default_paths(source: Path, year: int) -> tuple[Path, Path]:
    stem = re.sub(r"[_ -]?\d{4}$", "", source.stem) or source.stem
    return (
        source.with_name(f"{stem}_{year + 1}{source.suffix}"),
        source.with_name(f"{stem}_{year}.xlsx"),
    )


def rollover(source: Path, target: Path | None = None, archive: Path | None = None) -> Rollover:
    """The command; see the module docstring."""
    check_master(source)
    with master_lock(source, "jahreswechsel"):
        return roll(source, target, archive)


def roll(source: Path, target: Path | None = None, archive: Path | None = None) -> Rollover:
    """The same, for a caller that already holds the lock (the Excel button)."""
    book = open_master(source)
    inputs = read_inputs(book)
    year = inputs.parameters.first_year
    target, archive = _targets(source, year, target, archive)
    results = _closed_year(book, inputs)
    _carry_over(book, inputs, results)
    new_inputs = read_inputs(book)
    new_results = with_round_check(compute(new_inputs), book)
    note = f"Jahreswechsel {year} → {year + 1} aus {source.name}"
    write_results(book, new_inputs, new_results, "Jahreswechsel", note=note)
    archived = _archive_bytes(source)  # both files ready before either is written
    book.save_atomic(target)
    try:
        atomic_write_bytes(archive, archived)
    except BaseException:
        target.unlink(missing_ok=True)  # no new year without the archive of the old one
        raise
    return Rollover(source, target, archive, year, new_results)


def _targets(
    source: Path, year: int, target: Path | None, archive: Path | None
) -> tuple[Path, Path]:
    default_target, default_archive = default_paths(source, year)
    if default_archive.exists():  # the source is never marked, its archive is the trace
        raise InputError(
            [
                Problem(
                    str(default_archive),
                    f"Das Jahr {year} wurde bereits abgeschlossen (Archiv vorhanden); die "
                    f"Mappe für {year + 1} gibt es schon",
                )
            ]
        )
    target, archive = target or default_target, archive or default_archive
    if target.suffix.lower() != source.suffix.lower():
        raise UsageError(f"„{target.name}“: die neue Mappe braucht die Endung {source.suffix}")
    if archive.suffix.lower() != ".xlsx":
        raise UsageError(f"„{archive.name}“: das Archiv ist eine Mappe ohne Makros (.xlsx)")
    for path in (target, archive):
        if path.exists() or path.resolve() == source.resolve():
            raise UsageError(
                f"„{path}“ gibt es schon; der Jahreswechsel überschreibt keine Datei. Bitte mit "
                "--ziel/--archiv einen anderen Namen wählen."
            )
    return target, archive


def _closed_year(book: PackageBook, inputs: Inputs) -> Results:
    """Year N as the workbook shows it: computed, green, not yet rolled over."""
    year = inputs.parameters.first_year
    if any(h.year == year for h in inputs.history):
        raise InputError([Problem(layout.HISTORIE, f"Das Jahr {year} wurde bereits abgeschlossen")])
    ensure_current(book, inputs)
    results = with_round_check(compute(inputs), book)
    red = [c for c in results.checks if not c.ok]
    if red:
        raise InputError(
            [
                Problem(
                    layout.PRUEFUNGEN,
                    f"Prüfung rot: {c.name} – {c.detail}; der "
                    f"Jahreswechsel braucht ein gültiges Jahr {year}",
                )
                for c in red
            ]
        )
    return results


def _carry_over(book: PackageBook, inputs: Inputs, res: Results) -> None:
    par = inputs.parameters
    year = par.first_year
    step = next((t for t in res.transition if t.year == year), None)
    compensation = step.compensation if step else {}
    chosen = res.chosen_model
    final = {a.name: a.allocation[chosen] + compensation.get(a.name, 0) for a in res.areas}
    keep_holding = step is not None and par.transition_years > 0
    holding = {
        a.name: (x.holding if x.holding is not None else euros(a.reference))
        for a, x in zip(res.areas, inputs.areas)
    }

    def change(name: object) -> dict[str, object]:
        values: dict[str, object] = {"previous_budget": euros(final[str(name)])}
        values["holding"] = holding[str(name)] if keep_holding else None
        return values

    book.replace_rows(layout.AREAS.name, updated_rows(book, layout.AREAS, "name", change))
    book.set_named("Erstes_Jahr", year + 1)
    if keep_holding:
        book.set_named("Uebergang_ab", par.transition_start or year)
    history = [
        *inputs.history,
        *(
            HistoryRow(
                year=year,
                area=a.name,
                allocation=euros(a.allocation[chosen]),
                compensation=euros(compensation.get(a.name, 0)),
                regional=euros(a.regional),
            )
            for a in res.areas
        ),
    ]
    replace_items(book, layout_years.HISTORY, history)
    replace_items(book, layout_years.PREVIOUS_COSTS, inputs.effective_costs)
    for provider in inputs.providers:
        replace_items(book, layout.cost_table(provider.key), [])
    still_open = [a for a in inputs.applications if a.status is ApplicationStatus.REQUESTED]
    replace_items(book, layout_years.APPLICATIONS, still_open)
    book.set_named(layout.NAME_ROUNDS, "")  # the round of cost sheets belongs to year N
    names = {p.key: p.name for p in inputs.providers}
    book.write_sheet(overview_sheet(None, names, [c.category for c in inputs.category_shares]))


def _archive_bytes(source: Path) -> bytes:
    """Year N as values: no macros, no formulas, nothing that changes when opened; whatever
    else the workbook holds (comments, pictures, Excel's formats) stays as it was."""
    book = PackageBook(read_bytes(source), source)
    book.freeze_all()
    book.macro_free = True
    return book.to_bytes()
