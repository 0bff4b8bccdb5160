"""The Prüfungen: green/red/yellow facts about a result, each recomputed from the numbers.

Every check here has a test that turns it red (tests/test_checks.py). The words are German
because they are what the finance officer and the committee read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from xlsozial.domain.german import percent as fmt_percent
from xlsozial.domain.german import year_count
from xlsozial.domain.messages import fmt_number
from xlsozial.domain.models import MODEL_LABELS, Inputs, ModelKey
from xlsozial.domain.money import cents
from xlsozial.domain.results import Check, Results


def _eur(amount_cents: int) -> str:
    return f"{fmt_number(amount_cents / 100)} €"


def model_sums(inputs: Inputs, res: Results) -> list[Check]:
    out = []
    for m in ModelKey:
        total = sum(a.allocation[m] for a in res.areas)
        out.append(
            Check(
                name=f"{MODEL_LABELS[m]}: Summe = Gesamtbudget",
                ok=total == res.budget,
                detail=f"{_eur(total)} von {_eur(res.budget)}",
            )
        )
    return out


def no_negative(inputs: Inputs, res: Results) -> list[Check]:
    negative = [a.name for a in res.areas if any(v < 0 for v in a.allocation.values())]
    return [
        Check(
            name="Keine negativen Beträge",
            ok=not negative,
            detail=", ".join(negative) or "kein Betrag unter 0 €",
        )
    ]


def corridor_held(inputs: Inputs, res: Results) -> list[Check]:
    outside = [
        a.name
        for a in res.areas
        if not a.corridor_low <= a.allocation[ModelKey.M4] <= a.corridor_high
    ]
    return [
        Check(
            name="M4: Korridor eingehalten (nach Rundung)",
            ok=not outside,
            detail=", ".join(outside) or "alle Sozialräume im Korridor",
        )
    ]


def base_held(inputs: Inputs, res: Results) -> list[Check]:
    below = [a.name for a in res.areas if a.allocation[ModelKey.M3] < a.base]
    return [
        Check(
            name="M3: Sockel eingehalten",
            ok=not below,
            detail=", ".join(below) or "jeder Sozialraum erhält mindestens seinen Sockel",
        )
    ]


def weights_usable(inputs: Inputs, res: Results) -> list[Check]:
    weights = [i.weight for i in inputs.indicators]
    return [
        Check(
            name="Gewichte nicht negativ, Summe > 0",
            ok=all(w >= 0 for w in weights) and sum(weights) > 0,
            detail=f"Summe der Gewichte {fmt_number(sum(weights))}",
        )
    ]


def indicator_gaps(inputs: Inputs, res: Results) -> list[str]:
    """Every indicator with weight > 0 was used, with a value for each area and year."""
    used = {i.key: i.years for i in res.indicators}
    present = {(v.indicator, v.area, v.year) for v in inputs.indicator_values}
    gaps = []
    for ind in inputs.indicators:
        if ind.weight <= 0:
            continue
        if ind.key not in used:
            gaps.append(f"{ind.key}: nicht berücksichtigt")
            continue
        missing = [
            f"{a.name} {y}"
            for a in inputs.areas
            for y in used[ind.key]
            if (ind.key, a.name, y) not in present
        ]
        if missing:
            gaps.append(f"{ind.key}: fehlt für {', '.join(missing[:3])}")
    return gaps


def indicators_complete(inputs: Inputs, res: Results) -> list[Check]:
    gaps = indicator_gaps(inputs, res)
    if res.skipped_indicators:
        fine = "nicht berücksichtigt (Gewicht 0, unvollständig): " + ", ".join(
            res.skipped_indicators
        )
    else:
        fine = "alle Indikatoren vollständig"
    return [
        Check(name="Indikatorwerte vollständig", ok=not gaps, detail="; ".join(gaps[:5]) or fine)
    ]


def quotas_whole(inputs: Inputs, res: Results) -> list[Check]:
    quota_sum = math.fsum(a.quota for a in res.areas)
    return [
        Check(
            name="Quoten ergeben 100 %",
            ok=abs(quota_sum - 1.0) < 1e-9,
            detail=fmt_percent(quota_sum),
        )
    ]


def matrix_matches(inputs: Inputs, res: Results) -> list[Check]:
    cost_total = sum(cents(c.amount) for c in inputs.effective_costs)
    matrix_total = sum(sum(r.amount.values()) for r in res.matrix)
    split_ok = all(r.amount[p] == r.bound[p] + r.regional[p] for r in res.matrix for p in r.amount)
    out = [
        Check(
            name="Matrix = Summe der Kostenblätter",
            ok=cost_total == matrix_total and split_ok,
            detail=_eur(matrix_total),
        )
    ]
    late = inputs.providers_on_last_year
    if late:
        who = (
            "noch keine zurück"
            if not inputs.cost_positions
            else "noch nicht zurück: " + (", ".join(late))
        )
        out.append(
            Check(
                name="Kostenblätter des Haushaltsjahres",
                ok=True,
                warning=True,
                detail=f"{who}: für diese SRT gelten ihre zuletzt gemeldeten Kosten (Blatt "
                "Kosten Vorjahr), bis ihr neues Kostenblatt Positionen hat",
            )
        )
    return out


def split_whole(inputs: Inputs, res: Results) -> list[Check]:
    split_total = sum(a.bound + a.regional for a in res.areas)
    return [
        Check(
            name="Aufteilung gebunden + regional = Gesamtbudget",
            ok=split_total == res.budget,
            detail=_eur(split_total),
        )
    ]


def transition_years(inputs: Inputs, res: Results) -> list[Check]:
    """Every year of the plan adds up, and so does what the budget year pays out per
    Sozialraum (also in a year without a transition: that sum is next year's Vorjahr)."""
    bad_years = [
        str(t.year)
        for t in res.transition
        if t.bound_total + t.compensation_total + t.regional_total != res.budget + t.extra_used
        or any(v < 0 for v in t.regional.values())
    ]
    year, paid = inputs.parameters.first_year, sum(a.paid for a in res.areas)
    if paid != res.budget + res.extra_used:
        bad_years.insert(
            0, f"Auszahlung {year}: {_eur(paid)} statt {_eur(res.budget + res.extra_used)}"
        )
    checked = (
        f"{year_count(len(res.transition))} geprüft"
        if res.transition
        else f"Auszahlung {year} geprüft (kein Übergang)"
    )
    return [
        Check(
            name="Übergang: jedes Jahr = Gesamtbudget (+ zusätzliche Mittel)",
            ok=not bad_years,
            detail=", ".join(bad_years) or checked,
        )
    ]


QUOTA_CHECK = "Festgeschriebene Quote gilt"
NEW_QUOTA_PROPOSED = "diese Vorlage schlägt in Punkt 1 eine neue Quote vor"


def red_for_the_paper(res: Results) -> list[Check]:
    """The red Prüfungen that make a Beschlussvorlage a draft. An expired decided quota does
    not: the paper's first point proposes the new quota, which is the decision it asks for."""
    return [c for c in res.checks if not c.ok and c.name != QUOTA_CHECK]


def quota_current(inputs: Inputs, res: Results) -> list[Check]:
    """The decided quota: in force, due for re-evaluation (yellow) or expired (red)."""
    name = QUOTA_CHECK
    rows = inputs.quota_in_force
    year = inputs.parameters.first_year
    if not rows:
        return [
            Check(name=name, ok=True, detail="keine beschlossen; Quote aus den aktuellen Daten")
        ]
    first = rows[0]
    label = f"„{first.decision}“ " if first.decision else ""
    period = f"{first.valid_from}–{first.valid_to}" if first.valid_to else f"ab {first.valid_from}"
    if first.valid_to is not None and year > first.valid_to:
        return [
            Check(
                name=name,
                ok=False,
                detail=f"Beschluss {label}({period}) ist für {year} abgelaufen; bitte neu "
                "beschließen und „Quote festschreiben“",
            )
        ]
    if year < first.valid_from:
        return [
            Check(name=name, ok=True, detail=f"Beschluss {label}gilt erst ab {first.valid_from}")
        ]
    age = year - first.valid_from
    review = inputs.parameters.review_years
    if age >= review:
        return [
            Check(
                name=name,
                ok=True,
                warning=True,
                detail=f"Beschluss {label}({period}) ist {year_count(age)} alt; Überprüfung nach "
                f"{review} Jahr{'' if review == 1 else 'en'} fällig",
            )
        ]
    return [Check(name=name, ok=True, detail=f"Beschluss {label}({period}) gilt für {year}")]


def regions_covered(inputs: Inputs, res: Results) -> list[Check]:
    """No region approves more than its regionales Budget 1 (red); open applications
    beyond what is left are a yellow hint."""
    name = "Regionalbudget: keine Region überzeichnet"
    over = [p for p in res.region_plans if p.approved > p.available]
    if over:
        detail = "; ".join(
            f"{p.name}: bewilligt {_eur(p.approved)} von {_eur(p.available)}" for p in over
        )
        return [Check(name=name, ok=False, detail=detail)]
    tight = [p for p in res.region_plans if p.approved + p.open > p.available]
    if tight:
        detail = "offene Anträge übersteigen den Rest: " + ", ".join(p.name for p in tight)
        return [Check(name=name, ok=True, warning=True, detail=detail)]
    return [Check(name=name, ok=True, detail=f"{len(res.region_plans)} Regionen geprüft")]


def paper_ready(inputs: Inputs, res: Results) -> list[Check]:
    """Vorlage-Nr. and Sitzungstermin belong to one year's paper: empty (the Jahreswechsel
    cleared them) or a meeting before the year preceding the budget year is a yellow hint."""
    par = inputs.parameters
    name = "Angaben zur Beschlussvorlage"
    missing = [
        label
        for label, value in (
            ("Vorlage-Nr.", par.paper_number),
            ("Sitzungstermin", par.meeting_date),
        )
        if not value.strip()
    ]
    if missing:
        return [
            Check(
                name=name,
                ok=True,
                warning=True,
                detail=f"{' und '.join(missing)} {'fehlen' if len(missing) > 1 else 'fehlt'} – "
                "vor dem Bericht eintragen (der "
                "Jahreswechsel leert die Angaben des Vorjahres)",
            )
        ]
    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", par.meeting_date)]
    if years and max(years) < par.first_year - 1:
        return [
            Check(
                name=name,
                ok=True,
                warning=True,
                detail=f"Sitzungstermin {par.meeting_date} liegt vor {par.first_year - 1}: "
                "stammt er aus einem früheren Jahr?",
            )
        ]
    return [Check(name=name, ok=True, detail=f"Vorlage {par.paper_number}, {par.meeting_date}")]


CHECKS: list[Callable[[Inputs, Results], list[Check]]] = [
    model_sums,
    no_negative,
    corridor_held,
    base_held,
    weights_usable,
    indicators_complete,
    quotas_whole,
    matrix_matches,
    split_whole,
    transition_years,
    quota_current,
    regions_covered,
    paper_ready,
]


def run_checks(inputs: Inputs, res: Results) -> list[Check]:
    """Green/red checks for the Prüfungen sheet, in the order the sheet shows them."""
    return [check for rule in CHECKS for check in rule(inputs, res)]
