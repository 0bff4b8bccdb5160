"""Plain-text summaries for the terminal (German number format)."""

from __future__ import annotations

from xlsozial.domain.german import money, number
from xlsozial.domain.models import MODEL_LABELS, ModelKey
from xlsozial.domain.results import Results

MAX_ROWS = 30


eur = money  # 1234567 cents → '12.345,67 €'


def summary(results: Results) -> str:
    name_w = max(len("Sozialraum"), *(len(a.name) for a in results.areas))
    head = f"{'Sozialraum':<{name_w}}  {'Faktor':>7}  {'Quote':>7}  " + "  ".join(
        f"{m.value:>14}" for m in ModelKey
    )
    lines = [
        f"Gesamtbudget {eur(results.budget)}, gewähltes Modell: "
        f"{MODEL_LABELS[results.chosen_model]}",
        head,
        "-" * len(head),
    ]
    shown = results.areas if len(results.areas) <= MAX_ROWS else results.areas[: MAX_ROWS - 5]
    for a in shown:
        lines.append(
            f"{a.name:<{name_w}}  {number(a.factor, 3):>7}  {number(a.quota * 100, 2):>6}%  "
            + "  ".join(f"{eur(a.allocation[m]):>14}" for m in ModelKey)
        )
    if len(shown) < len(results.areas):
        lines.append(f"… und {len(results.areas) - len(shown)} weitere Sozialräume (siehe Mappe)")
    failed = [c for c in results.checks if not c.ok]
    lines.append(
        "Prüfungen: alle bestanden"
        if not failed
        else "Prüfungen NICHT bestanden: " + "; ".join(f"{c.name} – {c.detail}" for c in failed)
    )
    return "\n".join(lines)


def checks_text(results: Results) -> str:
    lines = ["Prüfungen:"]
    for c in results.checks:
        mark = "OK    " if c.ok else "FEHLER"
        lines.append(f"  [{mark}] {c.name}" + (f" – {c.detail}" if c.detail else ""))
    return "\n".join(lines)
