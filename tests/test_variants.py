"""Varianten: what if HzE weighs more, the corridor is narrower, the age group another.

Each variant is the same inputs with its settings changed and computed by the same exact
core; the Variantenvergleich shows it beside the decided setting. A variant that does not
fit is refused at its cell in the Varianten table, never dropped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bookutil import copy_bundled, set_cells, sha
from openpyxl import load_workbook

from xlsozial.app.cli import main
from xlsozial.book import layout
from xlsozial.domain.errors import InputError
from xlsozial.domain.example import example_inputs
from xlsozial.domain.models import AgeGroup, ModelKey, VariantSetting
from xlsozial.evaluation.compute import compute

SHEET = "Varianten"


def setting(name: str, key: str, value: float | str) -> VariantSetting:
    return VariantSetting(variant=name, setting=key, value=value)


def test_a_variant_is_the_full_computation_with_its_settings() -> None:
    inputs = example_inputs()
    res = compute(inputs, for_sheets=True)
    hze = next(v for v in res.variants if v.name == "HzE doppelt")
    heavier = [
        i.model_copy(update={"weight": 6.0}) if i.key == "HZE" else i for i in inputs.indicators
    ]
    direct = compute(inputs.model_copy(update={"indicators": heavier, "variants": []}))
    assert hze.amounts == {a.name: a.allocation[ModelKey.M2] for a in direct.areas}
    assert sum(hze.amounts.values()) == res.budget
    young = next(v for v in res.variants if v.name == "unter 18")
    params = inputs.parameters.model_copy(update={"age_group": AgeGroup.U18})
    other = compute(inputs.model_copy(update={"parameters": params, "variants": []}))
    assert young.quota == {a.name: a.quota for a in other.areas}


def test_a_corridor_that_binds_keeps_every_sozialraum_within_two_percent() -> None:
    inputs = example_inputs()
    res = compute(inputs, for_sheets=True)
    narrow = next(v for v in res.variants if v.name == "M4 ±2 %")
    assert narrow.chosen_model is ModelKey.M4
    base = {a.name: a.allocation[ModelKey.M2] for a in res.areas}
    assert narrow.amounts != base  # the corridor binds: M4 ±2 % is not M2
    for a in res.areas:  # within 2 % of the Bestand scaled to the budget, to the unit
        assert abs(narrow.amounts[a.name] - a.reference) <= 0.02 * a.reference + res.unit


def test_a_variant_that_does_not_fit_is_refused_at_its_cell() -> None:
    inputs = example_inputs().model_copy(
        update={
            "variants": [
                setting("Text", "weight:HZE", "viel"),
                setting("Zu breit", "corridor_down", 1.5),
                setting("Sockel", "chosen_model", "M3"),
                setting("Sockel", "base_amount", 300_000.0),
            ]
        }
    )
    with pytest.raises(InputError) as caught:
        compute(inputs, for_sheets=True)
    said = [p.message for p in caught.value.problems]
    assert any(s.startswith("Variante „Text“:") and "viel" in s for s in said)
    assert any(s.startswith("Variante „Zu breit“:") and "100 %" in s for s in said)
    assert compute(inputs.model_copy(update={"variants": inputs.variants[2:]})) is not None
    with pytest.raises(InputError) as infeasible:
        compute(inputs.model_copy(update={"variants": inputs.variants[2:]}), for_sheets=True)
    message = infeasible.value.problems[0].message
    assert message.startswith("Variante „Sockel“: lässt sich nicht rechnen")


def test_in_the_workbook_a_wrong_variant_names_the_cell_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = copy_bundled(tmp_path)
    set_cells(book, {(SHEET, "D5"): "viel", (SHEET, "C9"): "Gewicht XYZ"})
    before = sha(book)
    assert main(["berechnen", str(book)]) == 1
    err = capsys.readouterr().err
    assert "Varianten!D5" in err and "Variante „HzE doppelt“" in err
    assert "Varianten!C9" in err and "unbekannte Einstellung „Gewicht XYZ“" in err
    assert sha(book) == before


def test_the_comparison_sheet_shows_every_variant_beside_the_decision(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    assert main(["berechnen", str(book)]) == 0
    ws = load_workbook(book, data_only=True)[layout.VARIANTENVERGLEICH]
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    heads = [v for v in cells if isinstance(v, str) and v.endswith("(€)")]
    assert heads[:4] == ["Beschluss (€)", "HzE doppelt (€)", "Δ (€)", "M4 ±2 % (€)"]
    text = " ".join(v for v in cells if isinstance(v, str))
    assert "Geändert: Gewicht HZE = 6." in text and "Korridor M4 nach unten = 2 %" in text


def test_a_workbook_from_before_the_varianten_sheet_computes_as_before(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    wb = load_workbook(book, keep_vba=True)
    del wb[SHEET]
    del wb[layout.VARIANTENVERGLEICH]
    wb.save(book)
    assert main(["berechnen", str(book)]) == 0
    ws = load_workbook(book, data_only=True)[layout.VARIANTENVERGLEICH]
    assert "Keine Varianten" in str(ws["A4"].value)


def test_the_vorlage_carries_the_variants_as_anlage_7_only_when_there_are_some() -> None:
    from datetime import date

    from xlsozial.documents.paper import Table, Text
    from xlsozial.documents.vorlage import build_paper

    inputs = example_inputs()
    paper = build_paper(inputs, compute(inputs, for_sheets=True), date(2026, 12, 1))
    annex = next(a for a in paper.annexes if a.number == "7")
    assert annex.title == "Varianten im Vergleich"
    said = " ".join(b.text for b in annex.blocks if isinstance(b, Text))
    assert "HzE doppelt: Hilfen zur Erziehung wiegen doppelt so viel" in said
    assert "Korridor M4 nach unten = 2 %" in said
    table = next(b for b in annex.blocks if isinstance(b, Table))
    assert table.head[:4] == ["Sozialraum", "Vorschlag", "HzE doppelt", "Δ"]
    assert table.rows[-1][:3] == ["Summe", "2.000.000 €", "2.000.000 €"]
    plain = inputs.model_copy(update={"variants": []})
    none = build_paper(plain, compute(plain, for_sheets=True), date(2026, 12, 1))
    assert all(a.number != "7" for a in none.annexes)
