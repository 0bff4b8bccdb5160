"""The Beschlussvorlage's main text, in the shape a Landkreis files it (ALLRIS): the head,
the Beratungsfolge, the numbered Beschlussvorschlag, Sachverhalt in plain German,
Finanzielle Auswirkungen (:mod:`.finance`) and the list of Anlagen (:mod:`.annexes`)."""

from __future__ import annotations

import re
from datetime import date

from xlsozial.documents.annexes import annexes
from xlsozial.documents.finance import finance
from xlsozial.documents.paper import (
    Box,
    Heading,
    Paper,
    Points,
    Section,
    Table,
    Text,
    eur,
)
from xlsozial.domain.geo import Boundaries
from xlsozial.domain.german import number as de
from xlsozial.domain.models import MODEL_LABELS, Inputs
from xlsozial.domain.results import Results
from xlsozial.domain.transition_text import (
    MODEL_ONLY,
    extra_purpose,
    paid_means,
    transition_words,
)
from xlsozial.evaluation.checks import red_for_the_paper


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
    draft = [f"{c.name}: {c.detail}" for c in red_for_the_paper(res)]
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
            Section("Finanzielle Auswirkungen", finance(inputs, res)),
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
    purpose = extra_purpose(inputs, res)
    extra = (
        f" zuzüglich {eur(round(par.extra_funds * 100))} zusätzlicher Mittel für {purpose}"
        if purpose
        else ""
    )
    where = f" ({par.products})" if par.products else ""
    points = [
        quota,
        f"Das Gesamtbudget von {eur(res.budget)}{extra} für das Haushaltsjahr {year}{where} "
        f"wird nach dem Modell „{MODEL_LABELS[res.chosen_model]}“ auf die Sozialräume "
        "verteilt (Anlage 2); was jeder Sozialraum erhält, zeigen die Finanziellen "
        "Auswirkungen.",
        transition_words(inputs, res),
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


def _winners(inputs: Inputs, res: Results, gain: int, loss: int) -> str:
    model = MODEL_LABELS[res.chosen_model]
    before = inputs.parameters.first_year - 1
    means = paid_means(inputs, res)
    if means == MODEL_ONLY:
        return (
            f"Nach dem vorgeschlagenen Modell {model} {_more_less(gain, loss, before)} "
            "(Anlage 2); ein Besitzstand wird nicht gezahlt."
        )
    more = sum(1 for a in res.areas if a.paid > a.previous)
    less = sum(1 for a in res.areas if a.paid < a.previous)
    return (
        f"Nach dem vorgeschlagenen Modell {model} allein {_more_less(gain, loss, before, True)} "
        f"(Anlage 2). {means[:1].upper()}{means[1:]} {_more_less(more, less, before)}."
    )


def _more_less(more: int, less: int, year: int, would: bool = False) -> str:
    """„erhalten 3 Sozialräume mehr und 2 weniger …“ (``would``: „erhielten“, the model
    alone); plainly so when nobody's amount moves."""
    if more == less == 0:
        verb = "erhielte" if would else "erhält"
        return f"{verb} jeder Sozialraum genau so viel, wie er {year} tatsächlich erhielt"
    verb = "erhielten" if would else "erhalten"
    return (
        f"{verb} {more} Sozialräume mehr und {less} weniger Geld, als sie {year} tatsächlich "
        "erhielten"
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
