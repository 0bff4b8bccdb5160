"""Einsammeln: import returned SRT cost sheets into the master, safely, all or nothing.

A returned file is untrusted. Before openpyxl sees it, the package is checked: size, zip
structure (zip bombs), XML without DTDs or entities (defusedxml), the expected sheets and
table. Macros are never run or copied, only reported. Text is stored as text, also when it
looks like a formula. If any file is rejected, the master stays exactly as it was.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from openpyxl import load_workbook

from xlsozial.adapters.fileio import os_error_text
from xlsozial.adapters.openpyxl_book import OpenpyxlBook
from xlsozial.book import layout
from xlsozial.book.table_read import table_rows
from xlsozial.circulation import rounds
from xlsozial.circulation.distribute import ID_SHEET
from xlsozial.domain.errors import Problem
from xlsozial.domain.german import money as eur
from xlsozial.domain.models import CostPosition, Inputs, normal_text
from xlsozial.domain.money import cents
from xlsozial.domain.results import Results
from xlsozial.domain.validation import build_rows

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 150
MAX_ENTRIES = 2000


class Rejected(Exception):
    """A returned file that cannot be used; the reasons are German sentences. ``key`` is
    the SRT it belongs to, set only once its token proved it (never a mere claim)."""

    def __init__(self, reasons: list[str], key: str = "") -> None:
        self.reasons = reasons
        self.key = key
        super().__init__("; ".join(reasons))


@dataclass
class Returned:
    path: Path
    key: str
    positions: list[CostPosition]
    warnings: list[str] = field(default_factory=list)
    saved: str = ""  # when the SRT saved it (ISO timestamp from the file), if it says


@dataclass
class Change:
    key: str
    added: list[CostPosition]
    removed: list[CostPosition]
    changed: list[tuple[CostPosition, CostPosition]]
    old_total: int
    new_total: int


@dataclass
class CollectReport:
    accepted: list[Returned] = field(default_factory=list)
    rejected: list[tuple[Path, list[str]]] = field(default_factory=list)
    # The SRT of a rejected file whose token proved it (content refused): recorded under it.
    owner: dict[Path, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    written: bool = False
    results: Results | None = None

    def render(self) -> str:
        lines = []
        for change in self.changes:
            lines.append(
                f"SRT {change.key}: {len(change.added)} neu, {len(change.removed)} entfernt, "
                f"{len(change.changed)} geändert; Summe {eur(change.old_total)} → "
                f"{eur(change.new_total)} ({_signed(change.new_total - change.old_total)})"
            )
            for p in change.added:
                lines.append(f"  + {p.category} / {p.position or '–'}: {eur(_cents(p))}")
            for p in change.removed:
                lines.append(f"  − {p.category} / {p.position or '–'}: {eur(_cents(p))}")
            for old, new in change.changed:
                lines.append(
                    f"  ~ {new.category} / {new.position or '–'}: {eur(_cents(old))} → "
                    f"{eur(_cents(new))}"
                )
        for ret in self.accepted:
            lines.extend(f"Hinweis {ret.path.name}: {w}" for w in ret.warnings)
        for path, reasons in self.rejected:
            lines.append(f"ABGELEHNT {path.name}:")
            lines.extend(f"  - {r}" for r in reasons)
        if self.rejected and self.written:
            lines.append(
                f"{len(self.accepted)} Rückläufer übernommen; "
                "abgelehnte im Blatt Rücklauf vermerkt."
            )
        elif self.rejected:
            lines.append("Die Mappe wurde NICHT geändert, weil Dateien abgelehnt wurden.")
        elif self.written:
            lines.append(f"{len(self.accepted)} Rückläufer übernommen.")
        return "\n".join(lines)


def _signed(cents: int) -> str:
    return ("+" if cents > 0 else "") + eur(cents)


def _cents(p: CostPosition) -> int:
    return cents(p.amount)


def check_package(path: Path) -> list[str]:
    """Structural checks before any parser sees the file; returns warnings, raises Rejected."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Rejected(
            [
                f"Datei ist zu groß ({size // 1024 // 1024} MB; höchstens "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB)"
            ]
        )
    if not zipfile.is_zipfile(path):
        raise Rejected(["keine Excel-Datei (.xlsx); bitte die verteilte Datei zurücksenden"])
    warnings: list[str] = []
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        if len(infos) > MAX_ENTRIES:
            raise Rejected([f"zu viele Teile in der Datei ({len(infos)})"])
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED_BYTES:
            raise Rejected(["entpackt zu groß (möglicherweise eine Zip-Bombe)"])
        for info in infos:
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise Rejected(
                    [
                        f"verdächtig stark komprimierter Teil {info.filename} "
                        "(möglicherweise eine Zip-Bombe)"
                    ]
                )
        names = {i.filename for i in infos}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise Rejected(["keine Excel-Arbeitsmappe (Teile fehlen)"])
        macro_parts = sorted(
            n for n in names if "vbaproject" in n.lower() or "activex" in n.lower()
        )
        if macro_parts or b"macroEnabled" in z.read("[Content_Types].xml"):
            warnings.append("enthält Makros; sie wurden weder ausgeführt noch übernommen")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                safe_fromstring(
                    z.read(info), forbid_dtd=True, forbid_entities=True, forbid_external=True
                )
            except DefusedXmlException:
                raise Rejected([f"unsicheres XML (DTD/Entitäten) in {info.filename}"]) from None
            except Exception:
                raise Rejected([f"beschädigter Teil {info.filename}"]) from None
    return warnings


def read_return(path: Path, master: Inputs, state: rounds.RoundState | None = None) -> Returned:
    warnings = check_package(path)
    try:
        data = path.read_bytes()
        wb = load_workbook(io.BytesIO(data), keep_vba=False)
    except Exception:
        raise Rejected(
            ["Datei lässt sich nicht lesen: keine gültige Excel-Datei oder beschädigt"]
        ) from None
    if ID_SHEET not in wb.sheetnames:
        raise Rejected(["Kennblatt fehlt: bitte die mit „verteilen“ erstellte Datei verwenden"])
    ident = {
        str(a or "").strip(): str(b or "").strip()
        for a, b in wb[ID_SHEET].iter_rows(min_col=1, max_col=2, values_only=True)
    }
    key = ident.get("SRT", "")
    keys = {p.key for p in master.providers}
    if key not in keys:
        raise Rejected([f"SRT „{key}“ gibt es in der Mappe nicht"])
    reasons = rounds.verify(state, ident)
    if reasons:
        raise Rejected(reasons)  # not authenticated: never recorded under the SRT it names
    spec = layout.cost_table(key)
    if spec.sheet not in wb.sheetnames:
        raise Rejected([f"Blatt „{spec.sheet}“ fehlt (umbenannt oder gelöscht?)"])
    book = OpenpyxlBook(wb, data)
    problems: list[Problem] = []
    # LibreOffice does not grow tables: rows typed below the table are positions too.
    rows = table_rows(book, spec, problems, {"provider": key}, read_below=True)
    categories = {c.category for c in master.category_shares}
    served_by = {a.name: a.provider for a in master.areas}
    # References on the raw rows, so a row with a bad amount *and* a bad category reports
    # both in this round, not the second one in the next e-mail.
    for raw in rows:
        category = normal_text(str(raw.values.get("category", "")))
        if category and category not in categories:
            problems.append(
                Problem(raw.origin.at("category"), f"Kategorie „{category}“ ist nicht erlaubt")
            )
        area = raw.values.get("area")
        area = normal_text(str(area)) if area is not None else None
        if area is not None and area not in served_by:
            problems.append(Problem(raw.origin.at("area"), f"unbekannter Sozialraum „{area}“"))
        elif area is not None and served_by[area] != key:
            warnings.append(
                f"{raw.origin.at('area')}: Sozialraum „{area}“ wird von SRT "
                f"{served_by[area]} betreut, nicht von {key}"
            )
    positions = build_rows(CostPosition, rows, problems)
    if problems:
        raise Rejected([str(p) for p in sorted(problems, key=_row_order)], key)
    return Returned(path, key, positions, warnings, saved_at(wb))


def _row_order(problem: Problem) -> tuple[int, str]:
    digits = "".join(c for c in problem.where.rpartition("!")[2] if c.isdigit())
    return (int(digits) if digits else 0, problem.where)


def diff(key: str, old: Sequence[CostPosition], new: Sequence[CostPosition]) -> Change:
    def ident(p: CostPosition) -> tuple[str, str, str]:
        return (p.category, p.position, p.area or "")

    remaining = list(old)
    added: list[CostPosition] = []
    changed: list[tuple[CostPosition, CostPosition]] = []
    for p in new:
        match = next((o for o in remaining if ident(o) == ident(p)), None)
        if match is None:
            added.append(p)
            continue
        remaining.remove(match)
        if _cents(match) != _cents(p) or (match.note or "") != (p.note or ""):
            changed.append((match, p))
    return Change(key, added, remaining, changed, sum(map(_cents, old)), sum(map(_cents, new)))


def saved_at(wb: Any) -> str:
    """When the file was last saved (Excel and LibreOffice write it into the file)."""
    modified = getattr(wb.properties, "modified", None)
    return modified.isoformat(timespec="seconds") if modified is not None else ""


def _refuse_older(
    report: CollectReport, state: rounds.RoundState | None, allow_older: bool
) -> None:
    """A file of this round saved before the one already merged for its SRT would roll
    the SRT back (replayed from an old e-mail): refused unless asked for."""
    if state is None or allow_older:
        return
    for ret in list(report.accepted):
        ticket = state.tickets.get(ret.key)
        if ticket is None or ticket.status != rounds.MERGED or not (ticket.saved and ret.saved):
            continue
        if ret.saved < ticket.saved:
            report.accepted.remove(ret)
            report.rejected.append(
                (
                    ret.path,
                    [
                        f"bereits übernommen am {rounds.german_date(ticket.returned)} "
                        f"({ticket.returned_file}, gespeichert {_when(ticket.saved)}); diese "
                        f"Datei ist älter (gespeichert {_when(ret.saved)}). Soll sie trotzdem "
                        "gelten: einsammeln mit --aeltere-zulassen"
                    ],
                )
            )
            report.owner[ret.path] = ret.key


def _when(iso: str) -> str:
    return f"{rounds.german_date(iso[:10])} {iso[11:16]}".strip()


def evaluate(
    inputs: Inputs,
    files: Sequence[Path],
    progress: Callable[[Path], None] | None = None,
    state: rounds.RoundState | None = None,
    allow_older: bool = False,
) -> CollectReport:
    """Check every returned file against the master's inputs and round; writes nothing."""
    report = CollectReport()
    for path in files:
        if progress:
            progress(path)
        try:
            report.accepted.append(read_return(path, inputs, state))
        except Rejected as exc:
            report.rejected.append((path, exc.reasons))
            if exc.key:
                report.owner[path] = exc.key
        except OSError as exc:
            report.rejected.append(
                (path, [os_error_text(exc, path.name, "kann nicht gelesen werden")])
            )
    counts = Counter(r.key for r in report.accepted)
    for key, n in counts.items():
        if n < 2:
            continue
        dupes = [r for r in report.accepted if r.key == key]
        names = ", ".join(r.path.name for r in dupes)
        for r in dupes:
            report.rejected.append(
                (r.path, [f"mehrere Rückläufer für SRT {key} ({names}); keiner wird übernommen"])
            )
            report.owner[r.path] = key
        report.accepted = [r for r in report.accepted if r.key != key]
    _refuse_older(report, state, allow_older)
    for ret in report.accepted:
        old = [p for p in inputs.cost_positions if p.provider == ret.key]
        report.changes.append(diff(ret.key, old, ret.positions))
    return report


def change_note(report: CollectReport) -> str:
    """For the Protokoll: per SRT, positions added, removed and changed."""
    return "Rückläufer " + ", ".join(
        f"{c.key} (+{len(c.added)} −{len(c.removed)} ~{len(c.changed)})" for c in report.changes
    )


def record(state: rounds.RoundState, report: CollectReport, today: date) -> None:
    """Returns into the round: merged (or, if not merged, received) and rejected ones."""
    for ret in report.accepted:
        ticket = state.tickets.get(ret.key)
        if ticket is None:
            continue
        ticket.returned, ticket.returned_file = today.isoformat(), ret.path.name
        ticket.status = rounds.MERGED if report.results is not None else rounds.RECEIVED
        ticket.reason = ""
        ticket.positions = len(ret.positions)
        ticket.saved = ret.saved
        sums: dict[str, int] = {}
        for p in ret.positions:
            sums[p.category] = sums.get(p.category, 0) + _cents(p)
        ticket.sums = sums
    for path, reasons in report.rejected:
        owner = report.owner.get(path)
        if owner is None:  # not authenticated: listed under its file name
            state.unassigned.append(
                rounds.Unassigned(path.name, today.isoformat(), "; ".join(reasons))
            )
            continue
        ticket = state.tickets.get(owner)
        if ticket is None:
            continue
        if ticket.status == rounds.MERGED:  # stays merged; the refused file is noted with it
            ticket.reason = f"{path.name} am {today:%d.%m.%Y} abgelehnt: {'; '.join(reasons)}"
            continue
        ticket.returned, ticket.returned_file = today.isoformat(), path.name
        ticket.status, ticket.reason = rounds.REJECTED, "; ".join(reasons)
        ticket.positions, ticket.sums = None, {}
