"""Finanzielle Auswirkungen of the Beschlussvorlage: the year's money against what was
actually paid the year before, per Sozialraum, SRT and region, and the Übergang (Besitzstand)
in the same words as the Übergang sheet (:mod:`xlsozial.domain.transition_text`)."""

from __future__ import annotations

from xlsozial.documents.paper import (
    Heading,
    Table,
    Text,
    eur,
    pct,
    rounding_note,
    signed_eur,
    trend,
)
from xlsozial.domain.german import change_ratio
from xlsozial.domain.models import MODEL_LABELS, Inputs
from xlsozial.domain.results import GroupResult, Results
from xlsozial.domain.transition_text import (
    extra_purpose,
    failed_plan,
    paid_means,
    transition_words,
)


def finance(inputs: Inputs, res: Results) -> list[Text | Table | Heading]:
    par = inputs.parameters
    year = par.first_year
    before = sum(a.previous for a in res.areas)
    purpose = extra_purpose(inputs, res)
    extra = (
        f", dazu {eur(round(par.extra_funds * 100))} zusätzliche Mittel für {purpose}"
        if purpose
        else ""
    )
    difference = res.paid_total - before
    compare = "gleich viel" if difference == 0 else f"{signed_eur(difference)}"
    where = f" Die Mittel stehen unter {par.products}." if par.products else ""
    out: list[Text | Table | Heading] = [
        Text(
            f"Im Haushaltsjahr {year} stehen {eur(res.budget)} zur Verfügung{extra}. "
            f"Ausgezahlt werden {year} insgesamt {eur(res.paid_total)}; {year - 1} wurden "
            f"tatsächlich {eur(before)} gezahlt ({compare}).{where}"
        ),
        Heading(
            f"Was jeder Sozialraum {year} erhält ({MODEL_LABELS[res.chosen_model]}; "
            f"tatsächlich = {paid_means(inputs, res)})"
        ),
        _change_table(res, year),
        Heading(f"Je Sozialraumträger und je Region ({year}, tatsächlich)"),
        _group_table("Sozialraumträger", res.providers, res.provider_names, year),
        _group_table("Region", res.regions, {}, year),
        Heading("Übergang: Besitzstand und Abbau"),
        *_transition(inputs, res),
    ]
    return out


def _change_table(res: Results, year: int) -> Table:
    chosen = res.chosen_model
    rows = []
    for a in res.areas:
        delta = a.paid - a.previous
        rows.append(
            [
                a.name,
                eur(a.previous),
                eur(a.allocation[chosen]),
                eur(a.compensation),
                eur(a.paid),
                signed_eur(delta),
                pct(change_ratio(a.paid, a.previous)),
                trend(delta),
            ]
        )
    before = sum(a.previous for a in res.areas)
    sums = [before, res.budget, sum(a.compensation for a in res.areas), res.paid_total]
    rows.append(
        [
            "Summe",
            *[eur(v) for v in sums],
            signed_eur(res.paid_total - before),
            pct(change_ratio(res.paid_total, before)),
            "",
        ]
    )
    columns = [
        ([a.previous for a in res.areas], before),
        ([a.allocation[chosen] for a in res.areas], res.budget),
        ([a.paid for a in res.areas], res.paid_total),
    ]
    return Table(
        [
            "Sozialraum",
            f"tatsächlich {year - 1}",
            f"Modell {year}",
            "Besitzstand",
            f"tatsächlich {year}",
            "Veränderung",
            "in %",
            "",
        ],
        rows,
        numeric=frozenset(range(1, 8)),
        total=True,
        note=rounding_note(columns),
    )


def _group_table(label: str, groups: list[GroupResult], names: dict[str, str], year: int) -> Table:
    chosen_rows = [
        [
            names.get(g.name, g.name),
            eur(g.previous),
            eur(g.paid),
            signed_eur(g.paid - g.previous),
            pct(change_ratio(g.paid, g.previous)),
        ]
        for g in groups
    ]
    before, paid = sum(g.previous for g in groups), sum(g.paid for g in groups)
    chosen_rows.append(
        [
            "Summe",
            eur(before),
            eur(paid),
            signed_eur(paid - before),
            pct(change_ratio(paid, before)),
        ]
    )
    return Table(
        [label, f"tatsächlich {year - 1}", f"tatsächlich {year}", "Veränderung", "in %"],
        chosen_rows,
        numeric=frozenset(range(1, 5)),
        total=True,
        note=rounding_note(
            [([g.paid for g in groups], paid), ([g.previous for g in groups], before)]
        ),
    )


def _transition(inputs: Inputs, res: Results) -> list[Text | Table]:
    words = transition_words(inputs, res)
    if failed_plan(res) or not any(t.compensation_total for t in res.transition):
        return [Text(words)]
    out: list[Text | Table] = [
        Text(
            "Einen Ausgleich (Besitzstand) erhält ein Sozialraum, der nach dem neuen Modell "
            "weniger erhält als seinen bisherigen Anteil am Budget – gemessen am Vorjahr, "
            "umgerechnet auf das neue Gesamtbudget (bisheriger Anteil × neues Gesamtbudget). "
            "Deshalb kann ein Sozialraum in Euro mehr als im Vorjahr erhalten und trotzdem "
            f"einen Ausgleich bekommen, wenn sein Anteil sinkt – und umgekehrt. {words}",
            lead="Ausgleich.",
        ),
        Text(
            "Frei werdend ist der Betrag, um den der Ausgleich von einem Jahr zum nächsten "
            f"sinkt, beide Jahre auf das Gesamtbudget {inputs.parameters.first_year} "
            "umgerechnet.",
            lead="Frei werdend.",
        ),
    ]
    years = [t.year for t in res.transition]
    names = [a.name for a in res.areas if any(t.compensation.get(a.name) for t in res.transition)]
    rows = [[n, *[eur(t.compensation.get(n, 0)) for t in res.transition]] for n in names]
    rows.append(["Ausgleich gesamt", *[eur(t.compensation_total) for t in res.transition]])
    rows.append(["frei werdend", *[eur(t.freed) for t in res.transition]])
    out.append(
        Table(
            ["Sozialraum", *map(str, years)],
            rows,
            numeric=frozenset(range(1, len(years) + 1)),
        )
    )
    return out
