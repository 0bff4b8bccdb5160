"""Circulation rounds: who got which cost file, who sent it back, and only from whom.

Each ``verteilen`` opens a round (number, date, deadline, workbook) and issues every SRT a
random token. The provider file carries the token, the round and the workbook id on its
very hidden sheet; ``einsammeln`` accepts a return only if all three match what the master
holds for that SRT, compared in constant time. The token is a capability, not a password:
it stops mix-ups and one SRT speaking for another; it cannot stop an SRT from passing its
own file on.

The master keeps the state as JSON in one cell of a very hidden sheet (name
``xlsozial_Runde``), never on a visible sheet; the visible sheet „Rücklauf“ shows the
overview without tokens.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from xlsozial.book import layout, style
from xlsozial.book.adapter import Block, BookAdapter, SheetOutput
from xlsozial.domain.errors import BookError
from xlsozial.domain.german import money
from xlsozial.domain.money import cents
from xlsozial.domain.results import Check, Results

OPEN, RECEIVED, REJECTED, MERGED = "offen", "eingegangen", "abgelehnt", "übernommen"
DEFAULT_DAYS = 14
YELLOW, GREEN, RED = style.YELLOW, style.GREEN, style.RED
MONEY_FORMAT = style.MONEY


@dataclass
class Ticket:
    """One SRT's file in the current round."""

    key: str
    token: str
    sent: str  # ISO date
    file: str
    returned: str = ""
    returned_file: str = ""
    status: str = OPEN
    reason: str = ""
    positions: int | None = None
    sums: dict[str, int] = field(default_factory=dict)  # category → cents
    saved: str = ""  # when the merged file was saved by the SRT (ISO), to refuse older ones


@dataclass
class Unassigned:
    """A returned file that could not be authenticated: listed under its name, never under
    the SRT it merely claims to be from."""

    file: str
    returned: str  # ISO date
    reason: str


@dataclass
class RoundState:
    workbook_id: str
    number: int
    opened: str
    deadline: str
    tickets: dict[str, Ticket]
    unassigned: list[Unassigned] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> RoundState:
        data = json.loads(text)
        tickets = {k: Ticket(**v) for k, v in data.pop("tickets").items()}
        unassigned = [Unassigned(**u) for u in data.pop("unassigned", [])]
        return cls(tickets=tickets, unassigned=unassigned, **data)


DAMAGED = (
    "Die Steuerdaten der Versandrunde (sehr verstecktes Blatt „xlsozial_Steuerung“, {where}) "
    "sind beschädigt und lassen sich nicht lesen. Bitte die Mappe aus einer Sicherung nehmen "
    "(die verschickten Dateien gelten dann weiter). Nur wenn es keine Sicherung gibt: mit "
    "„verteilen“ eine neue Runde öffnen – dann gelten die bisher verschickten Dateien nicht "
    "mehr und müssen neu verschickt werden. Es wurde nichts geschrieben."
)


def load(book: BookAdapter) -> RoundState | None:
    """The open round, None before the first „verteilen“; damaged data is an error that
    says so (advice to „verteilen“ again would void every file already sent)."""
    named = book.named(layout.NAME_ROUNDS)
    if named is None or named.value is None or not str(named.value).strip():
        return None
    try:
        state = RoundState.from_json(str(named.value))
    except (ValueError, TypeError, KeyError, AttributeError):
        raise BookError(DAMAGED.format(where=named.where)) from None
    if parse_day(state.deadline) is None or parse_day(state.opened) is None:
        raise BookError(DAMAGED.format(where=named.where))
    return state


def parse_day(text: str) -> date | None:
    """An ISO date as xlsozial writes it, or a German one typed by hand (TT.MM.JJJJ)."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        pass
    try:
        day, month, year = (int(x) for x in str(text).strip().split("."))
        return date(year, month, day)
    except (TypeError, ValueError):
        return None


def new_token() -> str:
    return secrets.token_urlsafe(32)


def open_round(
    previous: RoundState | None,
    keys: list[str],
    today: date,
    deadline: date | None = None,
    only: str | None = None,
) -> RoundState:
    """A new round for every SRT, or (``only``) a new token for one SRT in the open round."""
    if only is not None and previous is not None:
        tickets = dict(previous.tickets)
        tickets[only] = Ticket(only, new_token(), today.isoformat(), f"Kosten_{only}.xlsx")
        return RoundState(
            previous.workbook_id,
            previous.number,
            previous.opened,
            previous.deadline,
            tickets,
            list(previous.unassigned),
        )
    number = previous.number + 1 if previous else 1
    due = deadline or today + timedelta(days=DEFAULT_DAYS)
    return RoundState(
        workbook_id=previous.workbook_id if previous else secrets.token_hex(16),
        number=number,
        opened=today.isoformat(),
        deadline=due.isoformat(),
        tickets={k: Ticket(k, new_token(), today.isoformat(), f"Kosten_{k}.xlsx") for k in keys},
    )


def verify(state: RoundState | None, ident: dict[str, str]) -> list[str]:
    """Reasons to refuse a return (empty when it belongs to its SRT in this round)."""
    if state is None:
        return ["für diese Mappe wurde noch keine Runde verteilt (erst „verteilen“)"]
    token = ident.get("Kennung", "")
    if not token:
        return ["ältere Datei ohne Kennung der Runde; bitte die Datei neu verteilen"]
    if not hmac.compare_digest(ident.get("Mappe-ID", "").encode(), state.workbook_id.encode()):
        return ["die Datei gehört zu einer anderen Mappe (nicht zu dieser)"]
    if ident.get("Runde", "") != str(state.number):
        return [
            f"die Datei stammt aus Runde {ident.get('Runde') or '?'}; offen ist Runde "
            f"{state.number} vom {german_date(state.opened)} – bitte die aktuelle Datei verwenden"
        ]
    ticket = state.tickets.get(ident.get("SRT", ""))
    if ticket is None or not hmac.compare_digest(token.encode(), ticket.token.encode()):
        return [
            f"die Kennung passt nicht zu SRT „{ident.get('SRT', '')}“ (Kennblatt verändert, "
            "oder die Datei wurde für einen anderen SRT oder neu ausgestellt)"
        ]
    return []


def german_date(iso: str) -> str:
    day = parse_day(iso)
    return day.strftime("%d.%m.%Y") if day is not None else iso


def round_check(state: RoundState | None, today: date) -> Check | None:
    """Yellow while returns are still open after the deadline."""
    if state is None:
        return None
    waiting = sorted(k for k, t in state.tickets.items() if t.status != MERGED)
    due = parse_day(state.deadline) or today
    late = bool(waiting) and today > due
    return Check(
        name="Rückläufer der Runde vollständig",
        ok=True,
        warning=late,
        detail=(
            f"Frist {german_date(state.deadline)} verstrichen, offen: {', '.join(waiting)}"
            if late
            else f"Runde {state.number}: "
            + (
                f"offen {', '.join(waiting)} (Frist {german_date(state.deadline)})"
                if waiting
                else "alle übernommen"
            )
        ),
    )


def with_round_check(results: Results, book: BookAdapter, today: date | None = None) -> Results:
    check = round_check(load(book), today or date.today())
    if check is None:
        return results
    return results.model_copy(update={"checks": [*results.checks, check]})


COLUMNS = [
    "SRT",
    "Name",
    "versendet am",
    "Frist",
    "zurück am",
    "Datei",
    "Positionen",
    "Summe",
    "Status",
    "Grund",
]


def overview_rows(state: RoundState | None, names: dict[str, str]) -> list[list[Any]]:
    if state is None:
        return []
    rows = []
    for key in sorted(state.tickets):
        t = state.tickets[key]
        rows.append(
            [
                key,
                names.get(key, ""),
                german_date(t.sent),
                german_date(state.deadline),
                german_date(t.returned) if t.returned else "",
                t.returned_file,
                t.positions if t.positions is not None else "",
                sum(t.sums.values()) / 100 if t.sums else "",
                t.status,
                t.reason,
            ]
        )
    return rows


def overview_sheet(
    state: RoundState | None, names: dict[str, str], categories: list[str]
) -> SheetOutput:
    """The visible overview: one row per SRT, below it the sums per category; never the
    tokens. Two blocks, each within one printed page width."""
    rows: list[list[Any]] = [list(COLUMNS)]
    sums: list[list[Any]] = [["SRT: Summen", *(f"{c} (€)" for c in categories)]]
    fills: dict[tuple[int, int], str] = {}
    status_col = COLUMNS.index("Status")
    for i, base in enumerate(overview_rows(state, names), start=1):
        ticket = state.tickets[base[0]] if state else None
        rows.append(base)
        sums.append(
            [
                base[0],
                *[
                    (ticket.sums.get(c, 0) / 100 if ticket and ticket.sums else "")
                    for c in categories
                ],
            ]
        )
        fills[(i, status_col)] = {MERGED: GREEN, REJECTED: RED}.get(base[8], YELLOW)
    subtitle = (
        f"Runde {state.number} vom {german_date(state.opened)}, Rückgabe bis "
        f"{german_date(state.deadline)}. Status: offen, eingegangen, abgelehnt (mit Grund), "
        "übernommen."
        if state
        else "Noch nichts verteilt: „Verteilen“ legt je SRT eine Kostenblatt-Datei an."
    )
    widths = {0: 12.0, 1: 28.0, 2: 12.0, 3: 11.0, 4: 12.0, 5: 22.0, 6: 10.0, 7: 14.0, 8: 12.0}
    widths[9] = 27.0
    blocks = [
        Block(row=4, col=1, values=rows, fills=fills, widths=widths, formats={7: MONEY_FORMAT})
    ]
    row = 4 + len(rows) + 1
    if len(sums) > 1:
        formats = {1 + c: MONEY_FORMAT for c in range(len(categories))}
        blocks.append(Block(row=row, col=1, values=sums, formats=formats))
        row += len(sums) + 1
    if state is not None and state.unassigned:
        foreign: list[list[Any]] = [["Datei, keinem SRT zuzuordnen", "eingegangen am", "Grund"]]
        foreign += [[u.file, german_date(u.returned), u.reason] for u in state.unassigned]
        fills_f = {(i, 0): RED for i in range(1, len(foreign))}
        blocks.append(Block(row=row, col=1, values=foreign, fills=fills_f))
    return SheetOutput(
        sheet=layout.RUECKLAUF,
        title="Rücklauf der Kostenblätter",
        subtitle=subtitle,
        blocks=blocks,
    )


def overview_text(state: RoundState | None, names: dict[str, str]) -> str:
    if state is None:
        return "Noch nichts verteilt."
    lines = [
        f"Runde {state.number} vom {german_date(state.opened)}, "
        f"Rückgabe bis {german_date(state.deadline)}"
    ]
    for row in overview_rows(state, names):
        key, name, sent, _, back, file, count, total, status, reason = row
        total_text = money(cents(total)) if isinstance(total, float) else ""
        if status == REJECTED:
            extra = f", abgelehnt am {back} ({file})"
        elif back:
            extra = f", zurück am {back} ({file}), {count} Positionen, {total_text}"
        else:
            extra = ""
        lines.append(
            f"  {key:<10} {status:<12} {name} – versendet am {sent}{extra}"
            + (f": {reason}" if reason else "")
        )
    for u in state.unassigned:
        lines.append(
            f"  Datei {u.file} (keinem SRT zuzuordnen), eingegangen am "
            f"{german_date(u.returned)}: {u.reason}"
        )
    return "\n".join(lines)
