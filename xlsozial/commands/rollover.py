"""Jahreswechsel: from the computed, green workbook of year N the workbook of year N+1.

- Vorjahresbudget per Sozialraum := what it was actually paid in year N (tatsächlich: chosen
  model + Besitzstand ± its share of its region's change of regionales Budget 1, see
  :mod:`xlsozial.core.transition`). The sum is what was paid out in N: the Gesamtbudget,
  plus extra money for the Besitzstand where there was any. (Model plus Besitzstand would
  count a Besitzstand paid out of regionales Budget 1 twice.) Only these cells of the
  Gebiete rows are written; the user's other cells (array formulas, rich text) stay.
- The Gesamtbudget of N+1 rises by the Preis-/Tarifsteigerung, if one is set (then reset to
  0 %); Vorlage-Nr. and Sitzungstermin belong to year N's paper and are cleared.
- The Besitzstand baseline (column „Besitzstand (€)“) is fixed at the first Jahreswechsel of a
  transition, and „Übergang begann im Jahr“ is set, so year N+1 is the next step of the
  same phase-out instead of a new transition against the raised Vorjahr.
- Haushaltsjahr N+1; the decided quota stays; open applications stay, decided ones go to the
  archive with year N; the cost sheets are emptied for the new year, last year's positions
  kept on „Kosten Vorjahr“ (the split uses them until the new ones are back); the round of
  cost sheets is closed.
- Year N is kept as it was: a values-only archive copy (.xlsx), marked „ARCHIV N – nur
  Werte“ on every sheet and refused by every command, and rows in „Historie“.
- The new workbook and the archive appear together or not at all: both are staged first,
  then a journal beside the source names them, then both are renamed; a run killed after
  the journal is finished by the next Jahreswechsel, one killed before leaves nothing.

The source file is never written. Refused (German message, nothing written) when year N is
not computed, has red Prüfungen, or was already rolled over, or a target file exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from xlsozial.adapters import pairs
from xlsozial.adapters.fileio import master_lock, read_bytes
from xlsozial.adapters.package.package_book import PackageBook
from xlsozial.adapters.session import check_master, open_master
from xlsozial.book import layout, layout_years
from xlsozial.book.reader import read_inputs
from xlsozial.book.table_write import changed_cells, replace_items
from xlsozial.book.writer import write_results
from xlsozial.circulation.rounds import overview_sheet, with_round_check
from xlsozial.commands.calculation import ensure_current, map_shapes
from xlsozial.domain.errors import InputError, Problem, UsageError
from xlsozial.domain.german import money, percent
from xlsozial.domain.models import ApplicationStatus, HistoryRow, Inputs
from xlsozial.domain.money import cents, euros, exact
from xlsozial.domain.results import Results
from xlsozial.evaluation.compute import compute


@dataclass
class Rollover:
    source: Path
    target: Path
    archive: Path
    year: int  # the year that was closed
    results: Results  # of the new year
    budget_note: str = ""
    finished_earlier_run: bool = False

    def render(self) -> str:
        lead = (
            "Ein abgebrochener Jahreswechsel wurde zu Ende geführt.\n"
            if self.finished_earlier_run
            else ""
        )
        failed = [f"- {c.name}: {c.detail}" for c in self.results.checks if not c.ok]
        red = (
            f"\nAchtung: In der neuen Mappe {self.year + 1} sind Prüfungen rot; ihre "
            "Ergebnisblätter sind als UNGÜLTIG gekennzeichnet, bis das behoben und neu "
            "berechnet ist:\n" + "\n".join(failed)
            if failed
            else ""
        )
        return (
            f"{lead}Jahreswechsel {self.year} → {self.year + 1}: neue Mappe {self.target}\n"
            + (f"{self.budget_note}\n" if self.budget_note else "")
            + f"Jahr {self.year} unverändert archiviert (nur Werte): {self.archive}\n"
            f"Die Ausgangsmappe {self.source.name} wurde nicht verändert.{red}"
        )


def default_paths(source: Path, year: int) -> tuple[Path, Path]:
    stem = re.sub(r"[_ -]?\d{4}$", "", source.stem) or source.stem
    return (
        source.with_name(f"{stem}_{year + 1}{source.suffix}"),
        source.with_name(f"{stem}_{year}.xlsx"),
    )


def rollover(
    source: Path,
    target: Path | None = None,
    archive: Path | None = None,
    indexation: float | None = None,
    user: str | None = None,
) -> Rollover:
    """The command; see the module docstring."""
    check_master(source)
    with master_lock(source, "jahreswechsel"):
        return roll(source, target, archive, indexation, user)


def roll(
    source: Path,
    target: Path | None = None,
    archive: Path | None = None,
    indexation: float | None = None,
    user: str | None = None,
) -> Rollover:
    """The same, for a caller that already holds the lock (the Excel button). ``indexation``
    overrides the Preis-/Tarifsteigerung of the Parameter sheet; ``user`` is who asked
    (Excel's user name from the button)."""
    finished = pairs.finish_interrupted(source)
    if finished is not None:
        new_archive, new_target, year = finished
        done = open_master(new_target)
        results = with_round_check(compute(read_inputs(done)), done)
        return Rollover(source, new_target, new_archive, year, results, "", True)
    book = open_master(source)
    inputs = read_inputs(book)
    year = inputs.parameters.first_year
    target, archive = _targets(source, year, target, archive)
    results = _closed_year(book, inputs)
    budget_note = _carry_over(book, inputs, results, indexation)
    new_inputs = read_inputs(book)
    new_results = with_round_check(compute(new_inputs, for_sheets=True), book)
    note = f"Jahreswechsel {year} → {year + 1} aus {source.name}" + (
        f"; {budget_note}" if budget_note else ""
    )
    shapes = map_shapes(book, new_results)
    write_results(
        book, new_inputs, new_results, "Jahreswechsel", note=note, user=user, shapes=shapes
    )
    archived = _archive_bytes(source, year)  # both files ready before either is written
    # The archive first: it is the trace that year N is closed.
    pairs.write_pair(source, [(archive, archived), (target, book.to_bytes())], year)
    return Rollover(source, target, archive, year, new_results, budget_note)


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


def _carry_over(book: PackageBook, inputs: Inputs, res: Results, indexation: float | None) -> str:
    """Year N's payments become year N+1's Vorjahr; returns the budget change in words."""
    par = inputs.parameters
    year = par.first_year
    step = next((t for t in res.transition if t.year == year), None)
    compensation = step.compensation if step else {}
    paid = {a.name: a.paid for a in res.areas}
    keep_holding = step is not None and par.transition_years > 0
    holding = {
        a.name: (x.holding if x.holding is not None else euros(a.reference))
        for a, x in zip(res.areas, inputs.areas)
    }

    def change(name: object) -> dict[str, object]:
        return {
            "previous_budget": euros(paid[str(name)]),
            "holding": holding[str(name)] if keep_holding else None,
        }

    for cell in changed_cells(book, layout.AREAS, "name", change):
        book.set_cell(*cell)
    book.set_named("Erstes_Jahr", year + 1)
    if keep_holding:
        book.set_named("Uebergang_ab", par.transition_start or year)
    _clear_paper(book, inputs)
    budget_note = _index_budget(book, inputs, indexation)
    history = [
        *inputs.history,
        *(
            HistoryRow(
                year=year,
                area=a.name,
                allocation=euros(a.allocation[res.chosen_model]),
                compensation=euros(compensation.get(a.name, 0)),
                regional=euros(a.regional),
                paid=euros(a.paid),
            )
            for a in res.areas
        ),
    ]
    replace_items(book, layout_years.HISTORY, history)
    replace_items(book, layout_years.PREVIOUS_COSTS, inputs.effective_costs)
    for provider in inputs.providers:
        replace_items(book, layout.cost_table(provider.key), [])
    carried = [
        a.model_copy(update={"carried_from": a.carried_from or year})
        for a in inputs.applications
        if a.status is ApplicationStatus.REQUESTED
    ]
    replace_items(book, layout_years.APPLICATIONS, carried)
    book.set_named(layout.NAME_ROUNDS, "")  # the round of cost sheets belongs to year N
    names = {p.key: p.name for p in inputs.providers}
    book.write_sheet(overview_sheet(None, names, [c.category for c in inputs.category_shares]))
    return budget_note


def _clear_paper(book: PackageBook, inputs: Inputs) -> None:
    """Vorlage-Nr., Sitzungstermin and Betreff belong to year N's paper; the Beratungsfolge
    keeps its bodies and roles for new meetings."""
    for name in ("Vorlage_Nr", "Sitzungstermin", "Betreff"):
        if book.named(name) is not None:
            book.set_named(name, None)
    if book.table(layout_years.CONSULTATIONS.name) is not None:
        cleared = {"date": "", "outcome": ""}
        next_round = [c.model_copy(update=cleared) for c in inputs.consultations]
        replace_items(book, layout_years.CONSULTATIONS, next_round)


def _index_budget(book: PackageBook, inputs: Inputs, indexation: float | None) -> str:
    """Gesamtbudget N+1 = Gesamtbudget N × (1 + Steigerung), half up to the rounding unit."""
    par = inputs.parameters
    rate = par.indexation if indexation is None else indexation
    if book.named("Steigerung") is not None:
        book.set_named("Steigerung", 0)
    if not rate:
        return ""
    unit = cents(par.rounding_unit)
    old = cents(par.total_budget)
    scaled = exact(old) * (1 + exact(rate)) / unit
    new = int(scaled + Fraction(1, 2)) * unit  # half up (kaufmännisch)
    book.set_named("Gesamtbudget", euros(new))
    return (
        f"Gesamtbudget {money(old, 0)} → {money(new, 0)} (Preis-/Tarifsteigerung "
        f"{percent(exact(rate))})"
    )


def _archive_bytes(source: Path, year: int) -> bytes:
    """Year N as values: no macros, no formulas, nothing that changes when opened; whatever
    else the workbook holds (comments, pictures, Excel's formats) stays as it was. Every
    sheet says it is the archive, the Start sheet why, and read_inputs refuses it."""
    book = PackageBook(read_bytes(source), source)
    book.freeze_all()
    mark = f"{layout.ARCHIVE_MARK} {year} – nur Werte"
    for sheet in book.sheetnames:
        if sheet == layout.XLWINGS_CONF:  # no link to any Python: blank the settings
            for row in range(1, 30):
                for col in (1, 2):
                    if book.cell(sheet, row, col) is not None:
                        book.set_cell(sheet, row, col, None)
            continue
        title = book.cell(sheet, 1, 1)
        book.set_cell(sheet, 1, 1, f"{mark} · {title}" if title else mark)
    book.set_named(
        layout.NAME_LAST_RUN,
        f"{mark}: abgeschlossen durch den Jahreswechsel; gerechnet wird in der Mappe {year + 1}",
    )
    book.macro_free = True
    return book.to_bytes()
