"""The Indikatoren-Diagnose sheet: what to check before the weights are fixed.

Influence on the factor first (what a committee member asks: which indicator decides?),
then pairs that measure the same thing twice with the correlation matrix, outliers with
the Sozialraum named, and the data coverage per indicator and year. Each table stands under
the line that explains it, narrow enough for one page width (figures:
:mod:`xlsozial.core.diagnostics`).
"""

from __future__ import annotations

from typing import Any

from xlsozial.book import layout, style
from xlsozial.book.adapter import Block, SheetOutput
from xlsozial.book.paragraphs import lines
from xlsozial.domain.german import number
from xlsozial.domain.results import IndicatorDiagnosis, Results


def _influence(blocks: list[Block], row: int, d: IndicatorDiagnosis, res: Results) -> int:
    row = lines(
        blocks,
        row,
        "Einfluss: welcher Anteil der Unterschiede im Belastungsfaktor zwischen den "
        "Sozialräumen auf jeden Indikator entfällt – Gewicht und Streuung zusammen. Ein "
        "negativer Anteil heißt: der Indikator wirkt gegen die anderen.",
    )
    if d.influence is None:
        return lines(blocks, row, "Der Belastungsfaktor ist überall gleich: nichts zu messen.")
    labels = {i.key: (i.label, i.weight) for i in res.indicators}
    rows: list[list[Any]] = [["Indikator", "Kürzel", "Gewicht", "Anteil am Einfluss"]]
    order = sorted(d.indicators, key=lambda k: -d.influence[k] if d.influence else 0)
    rows += [[labels[k][0], k, labels[k][1], d.influence[k]] for k in order]
    rows.append(["Summe", "", sum(labels[k][1] for k in d.indicators), sum(d.influence.values())])
    blocks.append(
        Block(
            row=row,
            col=1,
            values=rows,
            formats={2: "0.00", 3: style.PERCENT_SHORT},
            bold_rows={len(rows) - 1},
            widths={0: 44, 1: 12, 2: 12, 3: 14},
        )
    )
    return row + len(rows) + 1


def _correlation(blocks: list[Block], row: int, d: IndicatorDiagnosis) -> int:
    if d.pairs:
        named = "; ".join(f"{a}–{b} ({number(r, 2)})" for a, b, r in d.pairs)
        said = (
            f"{len(d.pairs)} Paar(e) gewichteter Indikatoren hängen sehr eng zusammen (|r| über "
            f"0,9) und messen vermutlich dasselbe zweimal – es zählt dann doppelt: {named}."
        )
    else:
        said = "Kein Paar gewichteter Indikatoren hängt enger als |r| = 0,9 zusammen."
    row = lines(blocks, row, "Korrelation der Raten über die Sozialräume (Pearson). " + said)
    keys = d.indicators
    rows: list[list[Any]] = [["Korrelation", *keys]]
    fills: dict[tuple[int, int], str] = {}
    for i, k in enumerate(keys):
        rows.append([k, *["–" if r is None else r for r in d.correlation[i]]])
    for a, b, _ in d.pairs:  # the pairs named above, both ways round
        i, j = keys.index(a), keys.index(b)
        fills[(i + 1, j + 1)] = fills[(j + 1, i + 1)] = style.YELLOW
    blocks.append(
        Block(
            row=row,
            col=1,
            values=rows,
            formats={c: "0.00" for c in range(1, len(keys) + 1)},
            fills=fills,
        )
    )
    return row + len(rows) + 1


def _outliers(blocks: list[Block], row: int, d: IndicatorDiagnosis) -> int:
    intro = (
        "Ausreißer: Raten, die weiter als das Dreifache der MAD vom Median ihres Indikators "
        "liegen (MAD: der Median der Abstände aller Raten zum Median) – vor dem Beschluss die "
        "Zahl prüfen."
    )
    if d.no_spread:
        intro += f" Ohne Streuung um den Median (MAD 0, keine Aussage): {', '.join(d.no_spread)}."
    row = lines(blocks, row, intro)
    if not d.outliers:
        return lines(blocks, row, "Keine Ausreißer.") + 1
    rows: list[list[Any]] = [["Indikator", "Sozialraum", "Rate", "Median", "Abstand (MAD)"]]
    rows += [[o.indicator, o.area, o.value, o.median, o.mads] for o in d.outliers]
    blocks.append(
        Block(
            row=row,
            col=1,
            values=rows,
            formats={2: style.RATE, 3: style.RATE, 4: "+0.0;-0.0"},
            widths={1: 30},
        )
    )
    return row + len(rows) + 1


def _coverage(blocks: list[Block], row: int, d: IndicatorDiagnosis) -> int:
    years = sorted({y for per in d.coverage.values() for y in per})
    row = lines(
        blocks,
        row,
        f"Datenabdeckung: wie viele der {d.areas} Sozialräume je Indikator und Jahr einen "
        "Wert haben (gelb: nicht alle), und welche Jahre die Rechnung mittelt.",
    )
    rows: list[list[Any]] = [["Indikator", "gemittelt", *[str(y) for y in years]]]
    fills: dict[tuple[int, int], str] = {}
    for i, (key, per) in enumerate(d.coverage.items(), start=1):
        used = d.years_used.get(key, [])
        span = (
            f"{used[0]}–{used[-1]}"
            if len(used) > 1
            else str(used[0])
            if used
            else "nicht verwendet"
        )
        rows.append([key, span, *[per.get(y, 0) for y in years]])
        for j, y in enumerate(years, start=2):
            if per.get(y, 0) < d.areas:
                fills[(i, j)] = style.YELLOW
    blocks.append(
        Block(
            row=row,
            col=1,
            values=rows,
            formats={c: style.INTEGER for c in range(2, len(years) + 2)},
            fills=fills,
        )
    )
    return row + len(rows) + 1


def diagnosis_sheet(res: Results) -> SheetOutput:
    blocks: list[Block] = []
    d = res.diagnosis
    if d is None:
        lines(blocks, 4, "Keine Diagnose: die Ergebnisse stammen nicht aus einer Berechnung.")
    else:
        row = _influence(blocks, 4, d, res)
        row = _correlation(blocks, row, d)
        row = _outliers(blocks, row, d)
        _coverage(blocks, row, d)
    return SheetOutput(
        sheet=layout.DIAGNOSE,
        title="Indikatoren-Diagnose: Was vor dem Festlegen der Gewichte zu prüfen ist",
        subtitle="Einfluss, Doppelzählung, Ausreißer und Datenabdeckung der Indikatoren, wie "
        "diese Berechnung sie verwendet.",
        blocks=blocks,
    )
