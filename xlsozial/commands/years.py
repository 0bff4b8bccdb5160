"""Quote festschreiben: the committee's decision becomes the quota the models use.

The quota today's data give is stored per Sozialraum with the Beschluss reference and its
period; from then on M2–M4 distribute by it while indicator data may be updated for
monitoring, and the Quoten sheet shows both side by side. Earlier decisions stay in the
table as history (their period ends the year before the new one starts). Logged in the
Protokoll with who and when. A quota from data with red Prüfungen is not fixed.
"""

from __future__ import annotations

from datetime import date

from xlsozial.book import layout, layout_years
from xlsozial.book.adapter import BookAdapter
from xlsozial.book.reader import read_inputs
from xlsozial.book.table_write import replace_items
from xlsozial.book.writer import write_results
from xlsozial.circulation.rounds import with_round_check
from xlsozial.commands.calculation import evaluate, map_shapes
from xlsozial.commands.feedback import Feedback
from xlsozial.domain.errors import InputError, Problem
from xlsozial.domain.models import Inputs, QuotaDecision
from xlsozial.domain.results import Results
from xlsozial.evaluation.checks import QUOTA_CHECK
from xlsozial.evaluation.compute import compute


def fix_quota(
    book: BookAdapter,
    feedback: Feedback,
    decision: str,
    user: str,
    valid_from: int | None = None,
    valid_to: int | None = None,
    today: date | None = None,
    decision_where: str = f"{layout.PARAMETER}!Vorlage-Nr.",
) -> Results:
    """``decision_where`` names the cell (Excel) or option the Beschluss came from."""
    inputs, results = evaluate(book, feedback)
    par = inputs.parameters
    problems = [
        Problem(layout.PRUEFUNGEN, f"Prüfung rot: {c.name} – {c.detail}")
        for c in results.checks
        if not c.ok and c.name != QUOTA_CHECK
    ]
    decision = decision.strip()
    if not decision:
        problems.append(
            Problem(
                decision_where,
                "Für „Quote festschreiben“ fehlt der Beschluss (z. B. die Vorlage-Nr.)",
            )
        )
    start = valid_from or par.first_year
    end = valid_to if valid_to is not None else start + par.review_years - 1
    if end < start:
        problems.append(Problem(layout_years.QUOTA.sheet, f"gültig bis {end} liegt vor {start}"))
    if problems:
        raise InputError(problems)
    stamp = (today or date.today()).strftime("%d.%m.%Y")
    rows = _history_and_new(inputs, results, decision, start, end, stamp, user)
    replace_items(book, layout_years.QUOTA, rows)
    fixed = read_inputs(book)
    new_results = with_round_check(compute(fixed, for_sheets=True), book)
    note = f"Quote festgeschrieben: Beschluss {decision}, gültig {start}–{end}"
    shapes = map_shapes(book, new_results)
    write_results(
        book, fixed, new_results, "Quote festschreiben", note=note, user=user, shapes=shapes
    )
    feedback.alert(
        f"{note}. M2–M4 verteilen ab {start} nach dieser Quote; das Blatt Quoten zeigt sie "
        "neben der Quote aus den aktuellen Daten."
    )
    return new_results


def _history_and_new(
    inputs: Inputs,
    results: Results,
    decision: str,
    start: int,
    end: int,
    stamp: str,
    user: str,
) -> list[QuotaDecision]:
    """Earlier decisions are history: kept, their period ended the year before this one
    starts; one that would only start with or after it is replaced."""
    earlier = [
        r.model_copy(update={"valid_to": min(r.valid_to or start - 1, start - 1)})
        for r in inputs.quota_decisions
        if r.valid_from < start
    ]
    # 15 significant digits: what a cell keeps, so the stored quota is the one used.
    new = [
        QuotaDecision(
            area=a.name,
            quota=float(f"{a.quota:.15g}"),
            decision=decision,
            valid_from=start,
            valid_to=end,
            decided_on=stamp,
            decided_by=user,
        )
        for a in results.areas
    ]
    return [*earlier, *new]
