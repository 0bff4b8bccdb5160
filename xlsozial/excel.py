"""Live Excel: the functions the ribbon buttons call through xlwings' RunPython.

Each entry point works on the calling book (``xw.Book.caller()``) through
:class:`XlwingsBook`, which implements the same adapter interface as the headless openpyxl
path, so both run the same reader, core and writer. Tables and output blocks move in one
call each; the number of range calls does not grow with the number of rows.

Domain errors never reach the user as a traceback: they get a short German message box,
the full list on the Prüfungen sheet, and the offending cells are highlighted.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from xlsozial.book import layout, rounds
from xlsozial.book.adapter import (
    Block,
    ChartSpec,
    NamedValue,
    SheetOutput,
    TableData,
    Uncomputed,
    address,
    filled,
)
from xlsozial.book.collect import CollectReport, change_note, evaluate, record
from xlsozial.book.distribute import check_folder, distribute_inputs, save_state
from xlsozial.book.freeze import is_udf_formula
from xlsozial.book.outputs import checks_sheet, problems_sheet
from xlsozial.book.reader import read_inputs
from xlsozial.book.writer import write_results
from xlsozial.core import compute
from xlsozial.errors import BookError, InputError, UsageError
from xlsozial.fileio import master_lock, os_error_text
from xlsozial.models import CostPosition
from xlsozial.results import Results

TITLE = "Sozialraumbudget"
MARK_NAME = "xlsozial_Markierungen"
MARK_COLOUR = (255, 199, 206)
HEADER_COLOUR = (221, 235, 247)
MAX_MARKS = 25
MARK_SEPARATOR = "*"  # cannot occur in a sheet name or a cell address
MARK_CHUNK = 250  # characters per defined name (Excel allows 255 in its formula)
OUTBOX = "Versand"
INBOX = "Rücklauf"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16))


def _runs(rows: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive row offsets grouped into (first, last) runs."""
    start = prev = None
    for r in sorted(rows):
        if start is None:
            start = prev = r
        elif prev is not None and r == prev + 1:
            prev = r
        else:
            assert prev is not None
            yield start, prev
            start = prev = r
    if start is not None and prev is not None:
        yield start, prev


class XlwingsBook:
    """Adapter over an xlwings Book (or anything with the same small object model)."""

    def __init__(self, book: Any) -> None:
        self.book = book

    # -- reading ---------------------------------------------------------------------
    def _find_table(self, name: str) -> tuple[Any, Any] | None:
        for sheet in self.book.sheets:
            for table in sheet.tables:
                if table.name == name:
                    return sheet, table
        return None

    def table(self, name: str) -> TableData | None:
        found = self._find_table(name)
        if found is None:
            return None
        sheet, table = found
        rng = table.range
        values = rng.options(ndim=2).value or [[]]
        return TableData(
            name=name,
            sheet=sheet.name,
            header=[str(v) if v is not None else "" for v in values[0]],
            rows=[list(r) for r in values[1:]],
            first_row=rng.row + 1,
            first_col=rng.column,
            below=self._below(sheet, rng, len(values[0])),
        )

    def _below(self, sheet: Any, rng: Any, width: int) -> list[tuple[int, list[Any]]]:
        """Filled rows under a table, in one range read down to the sheet's last used row."""
        last_table_row = rng.row + rng.shape[0] - 1
        used = sheet.used_range
        last_used = used.row + used.shape[0] - 1
        if last_used <= last_table_row:
            return []
        block = (
            sheet.range((last_table_row + 1, rng.column), (last_used, rng.column + width - 1))
            .options(ndim=2)
            .value
            or []
        )
        return [(last_table_row + 1 + i, list(r)) for i, r in enumerate(block) if filled(list(r))]

    def resolve(self, value: Uncomputed) -> Any:
        """Excel hands over computed values; there is never a formula left to look up."""
        return value

    def _name_range(self, name: str) -> Any | None:
        for item in self.book.names:
            if item.name == name:
                try:
                    return item.refers_to_range
                except Exception:  # a name that is a constant, not a range
                    return None
        return None

    def named(self, name: str) -> NamedValue | None:
        rng = self._name_range(name)
        if rng is None:
            return None
        return NamedValue(value=rng.value, where=address(rng.sheet.name, rng.row, rng.column))

    # -- writing ---------------------------------------------------------------------
    def set_named(self, name: str, value: Any) -> None:
        rng = self._name_range(name)
        if rng is None and name == layout.NAME_ROUNDS:
            rng = self._make_store()
        if rng is not None:
            rng.value = as_written(value)

    def _make_store(self) -> Any:
        """The very hidden control sheet, for a master built before it existed."""
        sheet = self._sheet(layout.CONTROL_STORE)
        with contextlib.suppress(Exception):  # Windows: xlSheetVeryHidden
            sheet.api.Visible = 2
        self.book.names.add(layout.NAME_ROUNDS, f"='{layout.CONTROL_STORE}'!$A$1")
        return sheet.range(layout.ROUNDS_CELL)

    def append_log(self, values: list[Any]) -> None:
        found = self._find_table(layout.LOG.name)
        if found is None:
            return
        sheet, table = found
        rng = table.range
        rows = rng.options(ndim=2).value
        last = rows[-1] if len(rows) > 1 else None
        if last is not None and all(v is None or v == "" for v in last):
            target = rng.row + len(rows) - 1
        else:
            target = rng.row + len(rows)
            table.resize(sheet.range((rng.row, rng.column), (target, rng.column + len(values) - 1)))
        sheet.range((target, rng.column)).value = [[as_written(v) for v in values]]

    def _sheet(self, name: str) -> Any:
        for sheet in self.book.sheets:
            if sheet.name == name:
                return sheet
        return self.book.sheets.add(name, after=self.book.sheets[len(self.book.sheets) - 1])

    def write_sheet(self, output: SheetOutput) -> None:
        sheet = self._sheet(output.sheet)
        with contextlib.suppress(Exception):  # output sheets are protected (no password)
            sheet.api.Unprotect()
        for chart in list(sheet.charts):
            chart.delete()
        sheet.clear()
        head = sheet.range((1, 1))
        head.value = [[as_written(output.title)], [as_written(output.subtitle)]]
        head.font.bold = True
        for block in output.blocks:
            self._write_block(sheet, block)
        for spec in output.charts:
            self._chart(sheet, output.blocks[spec.block_index], spec)
        with contextlib.suppress(Exception):
            sheet.api.Protect(DrawingObjects=False, Contents=True, AllowFormattingColumns=True)

    def _write_block(self, sheet: Any, block: Block) -> None:
        if not block.values:
            return
        width = max(len(r) for r in block.values)
        values = [list(r) + [None] * (width - len(r)) for r in block.values]
        top, left = block.row, block.col
        bottom = top + len(values) - 1
        sheet.range((top, left)).value = [[as_written(v) for v in row] for row in values]
        header = sheet.range((top, left), (top + block.header_rows - 1, left + width - 1))
        header.font.bold = True
        header.color = HEADER_COLOUR
        for c, fmt in block.formats.items():
            if bottom > top:
                sheet.range(
                    (top + block.header_rows, left + c), (bottom, left + c)
                ).number_format = fmt
        for r in block.bold_rows:
            sheet.range((top + r, left), (top + r, left + width - 1)).font.bold = True
        by_colour: dict[tuple[int, str], list[int]] = {}
        for (r, c), colour in block.fills.items():
            by_colour.setdefault((c, colour), []).append(r)
        for (c, colour), rows in by_colour.items():
            for first, last in _runs(rows):
                sheet.range((top + first, left + c), (top + last, left + c)).color = _rgb(colour)
        for c, w in block.widths.items():
            sheet.range((top, left + c)).column_width = w

    def _chart(self, sheet: Any, block: Block, spec: ChartSpec) -> None:
        top = block.row
        bottom = block.row + spec.last_data_row
        cols = [spec.category_col, *spec.series_cols]
        parts = [sheet.range((top, block.col + c), (bottom, block.col + c)).address for c in cols]
        anchor = sheet.range(spec.anchor)
        chart = sheet.charts.add(left=anchor.left, top=anchor.top, width=680, height=260)
        chart.chart_type = "column_stacked" if spec.stacked else "column_clustered"
        chart.set_source_data(sheet.range(",".join(parts)))
        try:  # the title needs the native API (Windows/macOS differ); cosmetic only
            chart.api[1].HasTitle = True
            chart.api[1].ChartTitle.Text = spec.title
        except Exception:
            pass

    def replace_cost_rows(self, key: str, positions: list[CostPosition]) -> None:
        """Replace an SRT's cost table rows in two range writes and one resize."""
        found = self._find_table(layout.cost_table(key).name)
        if found is None:
            raise BookError(f"Tabelle {layout.cost_table(key).name} fehlt in der Mappe")
        sheet, table = found
        rng = table.range
        old_rows = len(rng.options(ndim=2).value) - 1
        columns = layout.COSTS_COLUMNS
        width = len(columns)
        values = [[as_written(v) for v in layout.row_values(columns, p)] for p in positions] or [
            [None] * width
        ]
        top, left = rng.row + 1, rng.column
        sheet.range((top, left)).value = values
        if old_rows > len(values):
            blank = [[None] * width for _ in range(old_rows - len(values))]
            sheet.range((top + len(values), left)).value = blank
        table.resize(sheet.range((rng.row, left), (top + len(values) - 1, left + width - 1)))

    @property
    def folder(self) -> Path | None:
        full = str(getattr(self.book, "fullname", "") or "")
        path = Path(full)
        return path.parent if path.is_absolute() and path.parent.exists() else None

    # -- problems --------------------------------------------------------------------
    def clear_marks(self) -> None:
        """Restore the colour of every cell highlighted by the previous failed run."""
        records = [n for n in self.book.names if str(n.name).startswith(MARK_NAME)]
        for item in records:
            text = str(item.refers_to)
            text = text[2:-1] if text.startswith('="') and text.endswith('"') else text
            for entry in filter(None, text.replace('""', '"').split(MARK_SEPARATOR)):
                where, _, colour = entry.rpartition("|")
                sheet, _, cell = where.rpartition("!")
                try:
                    target = self.book.sheets[sheet.strip("'").replace("''", "'")].range(cell)
                    target.color = _rgb(colour) if colour else None
                except Exception:
                    continue
            item.delete()

    def mark(self, places: list[str]) -> None:
        """Highlight the cells named in problems (first MAX_MARKS) and remember every one.

        The record lives in defined names, whose formula Excel limits to 255 characters;
        it is split over as many names as it needs, so no mark outlives its fix.
        """
        entries = []
        for where in places[:MAX_MARKS]:
            match = re.fullmatch(r"'?(.+?)'?!([A-Z]{1,3}[0-9]+)", where)
            if not match:
                continue
            try:
                target = self.book.sheets[match.group(1).replace("''", "'")].range(match.group(2))
                old = target.color
                target.color = MARK_COLOUR
            except Exception:
                continue
            old_hex = "".join(f"{int(v):02X}" for v in old) if old else ""
            entries.append(f"{where}|{old_hex}".replace('"', '""'))
        chunks: list[str] = []
        for entry in entries:
            if chunks and len(chunks[-1]) + len(entry) + 1 <= MARK_CHUNK:
                chunks[-1] += MARK_SEPARATOR + entry
            else:
                chunks.append(entry)
        for i, chunk in enumerate(chunks, start=1):
            self.book.names.add(f"{MARK_NAME}_{i}", f'="{chunk}"')

    def status(self, text: str | bool) -> None:
        with contextlib.suppress(Exception):
            self.book.app.status_bar = text

    def alert(self, text: str, critical: bool = True) -> None:
        self.book.app.alert(text, title=TITLE, mode="critical" if critical else "info")


def run_calculate(book: XlwingsBook, command: str = "Berechnen (Excel)") -> Results | None:
    """Berechnen on a live book; returns the results or None when the inputs were invalid."""
    book.status("Sozialraumbudget: Eingaben lesen …")
    book.clear_marks()
    try:
        inputs = read_inputs(book)
        book.status("Sozialraumbudget: rechnen …")
        results = rounds.with_round_check(compute(inputs), book)
    except InputError as exc:
        _report(book, exc)
        return None
    book.status("Sozialraumbudget: Ergebnisse schreiben …")
    write_results(book, inputs, results, command)
    book.status(False)
    if not results.ok:
        failed = [c.name for c in results.checks if not c.ok]
        book.alert("Berechnet, aber Prüfungen sind rot:\n- " + "\n- ".join(failed))
    return results


def run_check(book: XlwingsBook) -> Results | None:
    book.status("Sozialraumbudget: prüfen …")
    book.clear_marks()
    try:
        results = rounds.with_round_check(compute(read_inputs(book)), book)
    except InputError as exc:
        _report(book, exc)
        return None
    book.write_sheet(checks_sheet(results))
    book.status(False)
    book.alert(
        "Alle Prüfungen bestanden." if results.ok else "Prüfungen sind rot: siehe Blatt Prüfungen.",
        critical=not results.ok,
    )
    return results


def _report(book: XlwingsBook, exc: InputError) -> None:
    book.write_sheet(problems_sheet([(p.where, p.message) for p in exc.problems]))
    book.mark([p.where for p in exc.problems])
    book.status(False)
    first = "\n".join(f"- {p}" for p in exc.problems[:5])
    more = f"\n… und {len(exc.problems) - 5} weitere" if len(exc.problems) > 5 else ""
    book.alert(
        f"{len(exc.problems)} Problem(e) in den Eingaben. Es wurde nichts berechnet.\n\n"
        f"{first}{more}\n\nDie vollständige Liste steht auf dem Blatt Prüfungen; "
        "betroffene Zellen sind rot markiert."
    )


def _grid(formulas: Any) -> list[list[Any]]:
    """Range.formula is a string for one cell and a tuple of tuples for a block."""
    if not isinstance(formulas, (list, tuple)):
        return [[formulas]]
    return [list(row) if isinstance(row, (list, tuple)) else [row] for row in formulas]


def as_written(value: Any) -> Any:
    """A value as the adapter hands it to Excel: text with an apostrophe prefix.

    Excel parses a string written through COM as if it were typed, in the user's locale:
    "0815" would become 815, "580.361,55 €" or a time stamp a number or a date. The prefix
    keeps every text a text (Excel stores it without the apostrophe); numbers and dates
    are written as they are.
    """
    if isinstance(value, str):
        return "'" + value if value else None
    return value


def run_distribute(book: XlwingsBook) -> list[Path]:
    folder = book.folder
    if folder is None:
        book.alert("Bitte die Mappe zuerst speichern: die Dateien entstehen im Ordner daneben.")
        return []
    try:
        inputs = read_inputs(book)
    except InputError as exc:
        _report(book, exc)
        return []
    target = folder / OUTBOX
    check_folder(target)
    keys = [p.key for p in inputs.providers]
    state = rounds.open_round(rounds.load(book), keys, date.today())
    save_state(book, state, inputs)
    written = distribute_inputs(inputs, target, Path(str(book.book.fullname)).name, state)
    book.alert(
        f"Runde {state.number}: {len(written)} Kostenblatt-Dateien (ohne Makros) im Ordner\n"
        f"{target}\n\nBitte die Mappe jetzt speichern: sie enthält die Kennungen der Runde.",
        False,
    )
    return written


def run_collect(book: XlwingsBook) -> CollectReport | None:
    folder = book.folder
    if folder is None:
        book.alert("Bitte die Mappe zuerst speichern: Rückläufer liegen im Ordner daneben.")
        return None
    inbox = folder / INBOX
    files = sorted(inbox.glob("*.xlsx")) + sorted(inbox.glob("*.xlsm"))
    if not files:
        book.alert(f"Keine Rückläufer gefunden. Bitte die Dateien der SRT nach\n{inbox}\nlegen.")
        return None
    try:
        inputs = read_inputs(book)
    except InputError as exc:
        _report(book, exc)
        return None
    state = rounds.load(book)
    report = evaluate(inputs, files, lambda p: book.status(f"Prüfe {p.name} …"), state)
    book.status(False)
    if report.rejected or not report.accepted:
        book.write_sheet(
            problems_sheet([(p.name, "; ".join(reasons)) for p, reasons in report.rejected])
        )
        book.alert("Nichts übernommen:\n\n" + report.render())
        return report
    for ret in report.accepted:
        book.replace_cost_rows(ret.key, ret.positions)
    # Recompute at once, as headless einsammeln does: no sheet keeps pre-merge numbers.
    try:
        merged = read_inputs(book)
        results = compute(merged)
    except InputError as exc:
        _report(book, exc)
        return report
    report.results = results
    if state is not None:
        record(state, report, date.today())
        save_state(book, state, merged)
    results = rounds.with_round_check(results, book)
    write_results(book, merged, results, "einsammeln (Excel)", note=change_note(report))
    report.results = results
    report.written = True
    book.alert(report.render() + "\n\nBitte die Mappe speichern.", critical=False)
    return report


def run_report(book: XlwingsBook) -> Path | None:
    from datetime import datetime

    from xlsozial.book.run import ensure_current
    from xlsozial.report import write_report

    folder = book.folder
    if folder is None:
        book.alert("Bitte die Mappe zuerst speichern: der Bericht entsteht im Ordner daneben.")
        return None
    try:
        inputs = read_inputs(book)
        ensure_current(book, inputs)
        results = compute(inputs)
    except InputError as exc:
        _report(book, exc)
        return None
    target = folder / f"Bericht_Sozialraumbudget_{datetime.now():%Y-%m-%d_%H%M}.pdf"
    book.status("Sozialraumbudget: Bericht erstellen …")
    write_report(inputs, results, target)
    book.status(False)
    book.alert(f"Bericht gespeichert:\n{target}", critical=False)
    return target


def _caller() -> XlwingsBook:
    import xlwings as xw

    return XlwingsBook(xw.Book.caller())


def _guarded(action: Callable[[XlwingsBook], object]) -> None:
    """Run a ribbon command: xlsozial's lock on the file while it works (so no headless run
    interleaves), German messages for every failure, never a traceback on screen."""
    book = _caller()
    full = Path(str(getattr(book.book, "fullname", "") or ""))
    try:
        lock = master_lock(full, action.__name__) if full.is_file() else contextlib.nullcontext()
        with lock:
            action(book)
    except (BookError, UsageError) as exc:
        book.status(False)
        book.alert(str(exc))
    except OSError as exc:
        book.status(False)
        book.alert(os_error_text(exc))
    except Exception:
        from xlsozial.cli import _log_traceback

        book.status(False)
        book.alert(
            "Interner Fehler in xlsozial – das liegt nicht an Ihren Eingaben. "
            f"Details für den Support: {_log_traceback()}"
        )


def freeze_values(book: XlwingsBook) -> int:
    """Werte einfrieren on a live book: only SRB_ formulas and the cells they spill into.

    One read of formulas (``formula2``: the dynamic-array form) and values per sheet, one
    write per SRB_ formula. Nothing else is written back: a user's own formulas, dynamic
    arrays among them, stay exactly as they are (``Range.formula`` would turn
    ``=Quoten!A5:A14`` into ``=@Quoten!A5:A14`` and its spilled cells into constants).
    """
    count = 0
    for sheet in book.book.sheets:
        rng = sheet.used_range
        formulas = _grid(rng.formula2)
        values = rng.options(ndim=2).value
        for r, row in enumerate(formulas):
            for c, formula in enumerate(row):
                if not is_udf_formula(formula):
                    continue
                spill = [values[r][c]]
                below = r + 1
                while (
                    below < len(formulas)
                    and formulas[below][c] in ("", None)
                    and values[below][c] is not None
                ):
                    spill.append(values[below][c])
                    below += 1
                top, left = rng.row + r, rng.column + c
                target = sheet.range((top, left), (top + len(spill) - 1, left))
                target.value = [[as_written(v)] for v in spill]
                count += 1
    book.alert(f"{count} Formel(n) mit SRB_-Funktionen durch Werte ersetzt.", critical=False)
    return count


def werte_einfrieren() -> None:
    """Ribbon: Werte einfrieren."""
    _guarded(freeze_values)


def verteilen() -> None:
    """Ribbon: Kostenblätter verteilen (Ordner „Versand“ neben der Mappe)."""
    _guarded(run_distribute)


def einsammeln() -> None:
    """Ribbon: Rückläufer einsammeln (Ordner „Rücklauf“ neben der Mappe)."""
    _guarded(run_collect)


def bericht() -> None:
    """Ribbon: Bericht (PDF neben der Mappe)."""
    _guarded(run_report)


def berechnen() -> None:
    """Ribbon: Berechnen."""
    _guarded(run_calculate)


def pruefen() -> None:
    """Ribbon: Prüfen."""
    _guarded(run_check)
