"""The Beschlussvorlage's main text, in the shape a Landkreis files it (ALLRIS): the head,
the Beratungsfolge, the numbered Beschlussvorschlag, Sachverhalt in plain German,
Finanzielle Auswirkungen and the list of Anlagen (built in :mod:`.annexes`)."""

from __future__ import annotations

import re
from datetime import date

from xlsozial.documents.annexes import annexes
from xlsozial.documents.paper import (
    Box,
    Heading,
    Paper,
    Points,
    Section,
    Table,
    Text,
    eur,
    pct,
    rounding_note,
    signed_eur,
    trend,
)
from xlsozial.domain.geo import Boundaries
from xlsozial.domain.german import change_ratio
from xlsozial.domain.german import number as de
from xlsozial.domain.models import MODEL_LABELS, HoldingFunding, Inputs
from xlsozial.domain.results import GroupResult, Results
from xlsozial.domain.transition_text import funding_words, pays_besitzstand, status_words
from xlsozial.evaluation.checks import TRANSITION_CHECK


def build_paper(
    inputs: Inputs,
    res: Results,
    today: date,
    stem: str = "Vorlage",
    shapes: Boundaries | None = None,
) -> Paper:
    """``stem``: the PDF's file name without suffix; each Anlage is named after it.
    ``shapes``: the Sozialräume's boundaries for the map (else a schematic tile map)."""
    par = inputs.parameters
    year = par.first_year
    subject = par.subject or f"Verteilung des Sozialraumbudgets {year}"
    draft = [f"{c.name}: {c.detail}" for c in res.checks if not c.ok]
    notices = [Box("ENTWURF – Prüfungen nicht bestanden", draft)] if draft else []
    warnings = paper_warnings(inputs, today)
    if warnings:
        notices.append(Box("Vor dem Einreichen bitte prüfen", warnings))
    listed = annexes(inputs, res, shapes)
    return Paper(
        authority=par.authority or "Jugendamt",
        title=subject,
        running=(f"Vorlage {par.paper_number} · " if par.paper_number else "")
        + f"Haushaltsjahr {year}",
        head=_head(inputs, subject, today),
        consultation=_consultation(inputs),
        notices=notices,
        sections=[
            Section("Beschlussvorschlag", _proposal(inputs, res)),
            Section("Sachverhalt und Begründung", _facts(inputs, res)),
            Section("Finanzielle Auswirkungen", _finance(inputs, res)),
            Section(
                "Anlagen",
                [
                    Text("Jede Anlage liegt auch als eigene Datei bei:"),
                    Table(
                        ["Anlage", "Inhalt", "Datei"],
                        [[a.label, a.title, a.file_name(stem)] for a in listed],
                    ),
                ],
            ),
        ],
        annexes=listed,
        draft=draft,
    )


def paper_warnings(inputs: Inputs, today: date) -> list[str]:
    """Vorlage-Nr. and Sitzungstermin that are missing, look like last year's or have passed."""
    par = inputs.parameters
    out = []
    if not par.paper_number:
        out.append("Die Vorlage-Nr. fehlt (Blatt Parameter).")
    dates = [c.date for c in inputs.consultations if c.date] or [par.meeting_date]
    if not any(dates):
        out.append("Der Sitzungstermin fehlt (Blatt Parameter oder Beratungsfolge).")
    for text in filter(None, dates):
        when = _date(text)
        if when is None:
            continue
        if when.year < par.first_year - 1:
            out.append(
                f"Der Sitzungstermin {text} liegt vor {par.first_year - 1}: stammt er aus einem "
                "früheren Jahr?"
            )
        elif when < today:
            out.append(f"Der Sitzungstermin {text} ist bereits vorbei.")
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", par.paper_number)]
    if years and max(years) < par.first_year - 1:
        out.append(f"Die Vorlage-Nr. {par.paper_number} sieht nach einem früheren Jahr aus.")
    return out


def _date(text: str) -> date | None:
    match = re.fullmatch(r"\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*", text)
    if not match:
        return None
    try:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def _head(inputs: Inputs, subject: str, today: date) -> list[tuple[str, str]]:
    par = inputs.parameters
    return [
        ("Vorlage-Nr.", par.paper_number or "–"),
        ("Betreff", subject),
        ("Status", par.paper_status or "öffentlich"),
        ("Vorlage-Art", par.paper_kind or "Beschlussvorlage"),
        ("Verantwortlich", par.responsible or "–"),
        ("Federführend", par.lead_office or par.authority or "–"),
        ("Bearbeiter/-in", par.clerk or "–"),
        ("Produkt(e)", par.products or "–"),
        ("Datum", today.strftime("%d.%m.%Y")),
    ]


def _consultation(inputs: Inputs) -> Table:
    par = inputs.parameters
    rows = [[c.body, c.date or "–", c.role.value, c.outcome or ""] for c in inputs.consultations]
    if not rows:
        rows = [
            [par.committee or "Jugendhilfeausschuss", par.meeting_date or "–", "Entscheidung", ""]
        ]
    return Table(["Beratungsfolge", "Sitzung", "Rolle", "Ergebnis"], rows)


def _deciding(inputs: Inputs) -> str:
    chosen = [c.body for c in inputs.consultations if c.role.value == "Entscheidung"]
    return (chosen or [inputs.parameters.committee or "Jugendhilfeausschuss"])[-1]


def _proposal(inputs: Inputs, res: Results) -> list[Text | Points]:
    par = inputs.parameters
    year = par.first_year
    decided = inputs.quota_in_force
    if res.quota_decided_used and decided:
        first = decided[0]
        until = first.valid_to or first.valid_from + par.review_years - 1
        quota = (
            f"Es gilt die mit Beschluss {first.decision or '(ohne Angabe)'} festgelegte "
            f"Verteilungsquote je Sozialraum (Anlage 1), gültig {first.valid_from} bis {until}; "
            f"sie ist spätestens für {until + 1} zu überprüfen."
        )
    else:
        quota = (
            "Die Gesamtbudgetverteilungsquote je Sozialraum wird wie in Anlage 1 festgelegt "
            f"(Belastungsfaktor und Einwohner). Sie gilt ab {year} und ist spätestens für "
            f"{year + par.review_years} zu überprüfen."
        )
    extra = (
        f" zuzüglich {eur(round(par.extra_funds * 100))} zusätzlicher Mittel für den Besitzstand"
        if par.holding_funding is HoldingFunding.EXTRA
        else ""
    )
    where = f" ({par.products})" if par.products else ""
    points = [
        quota,
        f"Das Gesamtbudget von {eur(res.budget)}{extra} für das Haushaltsjahr {year}{where} "
        f"wird nach dem Modell „{MODEL_LABELS[res.chosen_model]}“ auf die Sozialräume "
        "verteilt (Anlage 2); was jeder Sozialraum erhält, zeigen die Finanziellen "
        "Auswirkungen.",
        f"{status_words(inputs, res)} {funding_words(inputs, res)}".strip(),
    ]
    return [Text(f"Der {_deciding(inputs)} beschließt:"), Points(points)]


def _facts(inputs: Inputs, res: Results) -> list[Text | Heading]:
    par = inputs.parameters
    used = [i for i in res.indicators if i.weight > 0]
    names = ", ".join(f"{i.label} (Gewicht {de(i.weight, 1)})" for i in used)
    chosen = res.chosen_model
    gain = sum(1 for a in res.areas if a.allocation[chosen] > a.previous)
    loss = sum(1 for a in res.areas if a.allocation[chosen] < a.previous)
    texts = [
        "Das Jugendamt verteilt jedes Jahr ein Gesamtbudget für die sozialräumliche "
        f"Jugendhilfe auf {len(res.areas)} Sozialräume, die von {len(res.providers)} "
        "Sozialraumträgern betreut werden.",
        "Wie stark ein Sozialraum belastet ist, beschreiben vereinbarte Kennzahlen "
        f"(Belastungsindikatoren): {names}. Für jeden Sozialraum wird jede Kennzahl mit dem "
        "Durchschnitt des ganzen Kreises verglichen. Der durchschnittliche Belastungsfaktor "
        "fasst diese Vergleiche gewichtet zusammen: 1,0 heißt „so belastet wie der Kreis im "
        "Durchschnitt“, 1,2 heißt „20 % stärker belastet“.",
        "Aus dem Belastungsfaktor und der Zahl der jungen Menschen "
        f"({par.age_group.value} Jahre) ergibt sich die Verteilungsquote: der Anteil, den ein "
        "Sozialraum am Gesamtbudget erhält. Belastungsfaktor und Quote je Sozialraum stehen in "
        "Anlage 1.",
        "Verglichen wurden vier Modelle. M1 verteilt nur nach der Zahl der Einwohner. M2 "
        "verteilt nach der Verteilungsquote, also nach Einwohnern und Belastung. M3 gibt jedem "
        "Sozialraum zuerst einen festen Sockelbetrag und verteilt den Rest nach der Quote. M4 "
        "geht vom bisherigen Budget aus und lässt es nur in einem vereinbarten Rahmen "
        "(Korridor) steigen oder sinken.",
        _winners(inputs, res, gain, loss),
        *_quota_text(inputs, res),
    ]
    return [Text(t) for t in texts]


def _paid_means(inputs: Inputs, res: Results) -> str:
    """What „tatsächlich“ adds to the model amount in this budget year."""
    if pays_besitzstand(inputs, res):
        return "mit Besitzstand und seiner Finanzierung"
    return "mit den zusätzlichen Mitteln" if res.extra_used else "der Betrag des Modells"


def _winners(inputs: Inputs, res: Results, gain: int, loss: int) -> str:
    model = MODEL_LABELS[res.chosen_model]
    if _paid_means(inputs, res) == "der Betrag des Modells":  # paid is the model amount
        return (
            f"Nach dem vorgeschlagenen Modell {model} erhalten {gain} Sozialräume mehr und "
            f"{loss} weniger Geld, als sie {inputs.parameters.first_year - 1} tatsächlich "
            "erhielten (Anlage 2); ein Besitzstand wird nicht gezahlt."
        )
    more = sum(1 for a in res.areas if a.paid > a.previous)
    less = sum(1 for a in res.areas if a.paid < a.previous)
    return (
        f"Nach dem vorgeschlagenen Modell {model} allein erhielten {gain} Sozialräume mehr und "
        f"{loss} weniger Geld als im Vorjahr (Anlage 2). {_paid_means(inputs, res)[:1].upper()}"
        f"{_paid_means(inputs, res)[1:]} erhalten {more} Sozialräume mehr und {less} weniger, "
        f"als sie {inputs.parameters.first_year - 1} tatsächlich erhielten."
    )


def _quota_text(inputs: Inputs, res: Results) -> list[str]:
    decided = inputs.quota_in_force
    if not decided:
        return []
    first = decided[0]
    period = (
        f"{first.valid_from} bis {first.valid_to}" if first.valid_to else f"ab {first.valid_from}"
    )
    if res.quota_decided_used:
        return [
            f"Verteilt wird nach der mit Beschluss {first.decision} festgelegten Quote (gültig "
            f"{period}); Anlage 1 zeigt daneben die Quote aus den aktuellen Daten."
        ]
    return [
        f"Die mit Beschluss {first.decision} festgelegte Quote (gültig {period}) gilt für dieses "
        "Haushaltsjahr nicht; verteilt wird nach den aktuellen Daten."
    ]


def _finance(inputs: Inputs, res: Results) -> list[Text | Table | Heading]:
    par = inputs.parameters
    year = par.first_year
    before = sum(a.previous for a in res.areas)
    extra = ""
    pays = pays_besitzstand(inputs, res)
    if par.holding_funding is HoldingFunding.EXTRA and (res.extra_used or pays):
        purpose = "den Besitzstand" if pays else "das regionale Budget 1"
        extra = f", dazu {eur(round(par.extra_funds * 100))} zusätzliche Mittel für {purpose}"
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
            f"tatsächlich = {_paid_means(inputs, res)})"
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
    failed = [c for c in res.checks if c.name == TRANSITION_CHECK and not c.ok]
    if failed:
        return [Text(f"Kein Übergangsplan möglich: {failed[0].detail}")]
    words = f"{status_words(inputs, res)} {funding_words(inputs, res)}".strip()
    if not res.transition or not any(t.compensation_total for t in res.transition):
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
