"""Output sheets across the years: the quota (decided against today's), the regional
budget 1 per region, and the Verlauf of past allocations."""

from __future__ import annotations

from typing import Any

from xlsozial.book import layout, style
from xlsozial.book.adapter import Block, ChartSpec, SheetOutput
from xlsozial.domain.models import HoldingFunding, Inputs
from xlsozial.domain.money import cents
from xlsozial.domain.results import Results, euro
from xlsozial.domain.transition_text import MODEL_ONLY, paid_means


def quota_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    group = inputs.parameters.age_group.value
    decided = res.decided_quota
    head = [
        "Sozialraum",
        "Region",
        "SRT",
        f"Einwohner ({group})",
        "Belastungsfaktor",
        "Einwohner × Faktor",
        "Quote aus aktuellen Daten",
    ]
    if decided:
        head += ["Quote beschlossen", "Differenz (€): aktuelle − beschlossene Quote"]
    rows: list[list[Any]] = [head]
    for a in res.areas:
        row = [a.name, a.region, a.provider, a.population, a.factor, a.population * a.factor]
        row.append(a.quota)
        if decided:
            share = decided.get(a.name, 0.0)
            row += [share, euro(round(res.budget * (a.quota - share)))]
        rows.append(row)
    total = ["Summe", "", "", sum(a.population for a in res.areas), None]
    total += [sum(a.population * a.factor for a in res.areas), sum(a.quota for a in res.areas)]
    if decided:
        total += [sum(decided.values()), None]
    rows.append(total)
    money = style.money_format(res.unit)
    formats = {3: style.INTEGER, 4: style.FACTOR, 5: style.ONE_DECIMAL, 6: "0.0000%"}
    if decided:
        formats.update({7: "0.0000%", 8: f"+{money};[Red]-{money};{money}"})
    block = Block(
        row=4,
        col=1,
        values=rows,
        formats=formats,
        bold_rows={len(rows) - 1},
        widths={0: 22, 1: 18, 6: 16, 7: 16, 8: 22},
    )
    return SheetOutput(
        sheet=layout.QUOTEN,
        title="Quoten: Gesamtbudgetverteilungsquote je Sozialraum",
        subtitle=_quota_note(inputs, res),
        blocks=[block],
    )


def _quota_note(inputs: Inputs, res: Results) -> str:
    base = "Quote = Einwohner × Belastungsfaktor / Summe über alle Sozialräume."
    if not res.decided_quota:
        return base + " Es ist keine Quote festgeschrieben: M2–M4 verteilen nach dieser Quote."
    first = inputs.quota_in_force[0]
    period = f"{first.valid_from}–{first.valid_to}" if first.valid_to else f"ab {first.valid_from}"
    used = (
        "verteilen M2–M4 nach der beschlossenen"
        if res.quota_decided_used
        else ("gilt nicht für dieses Haushaltsjahr; M2–M4 verteilen nach der aktuellen")
    )
    return (
        f"{base} Beschluss {first.decision or '(ohne Angabe)'} ({period}): {used} Quote. "
        "Die Differenz zeigt, was die aktuellen Daten ändern würden."
    )


def region_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    extra = inputs.parameters.holding_funding is HoldingFunding.EXTRA
    fields = [
        ("reg. Budget 1 aus Aufteilung (€)", "from_split"),
        ("davon Besitzstand (€)", "compensation"),
        *([("zusätzliche Mittel (€)", "extra")] if extra else []),
        ("frei geworden ggü. Vorjahresschritt (€)", "freed"),
        ("verfügbar (€)", "available"),
        ("bewilligt (€)", "approved"),
        ("beantragt, offen (€)", "open"),
    ]
    head = ["Region", *[h for h, _ in fields], "Rest (€)"]
    rows: list[list[Any]] = [head]
    fills: dict[tuple[int, int], str] = {}
    col = {f: i + 1 for i, (_, f) in enumerate(fields)}
    for i, p in enumerate(res.region_plans, start=1):
        rows.append([p.name, *[euro(getattr(p, f)) for _, f in fields], euro(p.remaining)])
        if p.approved > p.available:
            fills[(i, col["approved"])] = style.RED
        elif p.approved + p.open > p.available:
            fills[(i, col["open"])] = style.YELLOW
    plans = res.region_plans
    rows.append(
        [
            "Summe",
            *[euro(sum(getattr(p, f) for p in plans)) for _, f in fields],
            euro(sum(p.remaining for p in plans)),
        ]
    )
    block = Block(
        row=4,
        col=1,
        values=rows,
        formats={c: style.MONEY for c in range(1, len(head))},
        bold_rows={len(rows) - 1},
        fills=fills,
        widths={0: 20, **{c: 17 for c in range(1, len(head))}},
    )
    plus = " zuzüglich zusätzlicher Mittel" if extra else ""
    return SheetOutput(
        sheet=layout.REGIONALBUDGET_STAND,
        title=f"Regionales Budget 1 im Haushaltsjahr {inputs.parameters.first_year} je Region",
        subtitle=f"Verfügbar = regionales Budget 1 aus der Aufteilung abzüglich Besitzstand{plus}; "
        "bewilligt und offen aus Blatt Regionalbudget. Rot: mehr bewilligt als verfügbar.",
        blocks=[block],
    )


def history_sheet(inputs: Inputs, res: Results) -> SheetOutput:
    """What each Sozialraum was actually paid per year: past years from the Historie, this
    year as computed (chosen model, Besitzstand and its funding)."""
    year = inputs.parameters.first_year
    past: dict[int, dict[str, int]] = {}
    for h in inputs.history:
        # Rows written before the column „tatsächlich gezahlt“ existed: model + Besitzstand.
        paid = cents(h.paid) if h.paid is not None else cents(h.allocation) + cents(h.compensation)
        past.setdefault(h.year, {})[h.area] = paid
    years = sorted(y for y in past if y < year)
    head = ["Sozialraum", *[f"tatsächlich {y} (€)" for y in years], f"tatsächlich {year} (€)"]
    rows: list[list[Any]] = [head]
    for a in res.areas:
        rows.append([a.name, *[euro(past[y].get(a.name, 0)) for y in years], euro(a.paid)])
    rows.append(
        [
            "Summe",
            *[euro(sum(past[y].values())) for y in years],
            euro(res.paid_total),
        ]
    )
    block = Block(
        row=4,
        col=1,
        values=rows,
        formats={c: style.MONEY_WHOLE for c in range(1, len(head))},
        bold_rows={len(rows) - 1},
        widths={0: 22},
    )
    chart = ChartSpec(
        title="Tatsächlich gezahlt je Sozialraum über die Jahre (€)",
        block_index=0,
        category_col=0,
        series_cols=tuple(range(1, len(head))),
        first_data_row=1,
        last_data_row=len(res.areas),
        anchor=f"A{4 + len(rows) + 2}",
    )
    note = (
        f"Vorjahre aus Blatt Historie ({', '.join(map(str, years))}); "
        if years
        else "Noch keine Vorjahre: die Historie füllt der Jahreswechsel. "
    )
    means = paid_means(inputs, res)
    this_year = "Betrag des Modells" if means == MODEL_ONLY else f"gewähltes Modell {means}"
    return SheetOutput(
        sheet=layout.VERLAUF,
        title="Verlauf: was jeder Sozialraum in den Jahren tatsächlich erhielt",
        subtitle=note + f"{year}: {this_year}.",
        blocks=[block],
        charts=[chart],
    )
