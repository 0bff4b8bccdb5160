"""Year over year: a decided quota that holds, the Jahreswechsel 2026 → 2027 → 2028, and
regional budget 1 decisions. Expected numbers are worked out here by hand from year 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bookutil import copy_bundled, sha
from openpyxl import load_workbook

from xlsozial.book import layout, layout_years
from xlsozial.book.reader import read_inputs
from xlsozial.book.session import open_master
from xlsozial.cli import main
from xlsozial.evaluation import compute
from xlsozial.models import Inputs, ModelKey
from xlsozial.results import Results

DECISION = "JHA 2026/123"


def set_param(path: Path, name: str, value: Any) -> None:
    wb = load_workbook(path, keep_vba=True)
    sheet, coord = next(iter(wb.defined_names[name].destinations))
    wb[sheet][coord.replace("$", "")] = value
    wb.save(path)


def state(path: Path) -> tuple[Inputs, Results]:
    inputs = read_inputs(open_master(path))
    return inputs, compute(inputs)


def table(path: Path, spec: layout.TableSpec) -> list[list[Any]]:
    data = open_master(path).table(spec.name)
    assert data is not None
    return [row for row in data.rows if any(v is not None for v in row)]


@pytest.fixture()
def year_2026(tmp_path: Path) -> Path:
    """The example as the Landkreis starts: budget year 2026, quota decided for 2026–2030."""
    book = copy_bundled(tmp_path, "Sozialraumbudget.xlsm")
    set_param(book, "Erstes_Jahr", 2026)
    assert main(["berechnen", str(book)]) == 0
    args = ["quote-festschreiben", str(book), "--beschluss", DECISION, "--ab", "2026"]
    assert main([*args, "--bis", "2030", "--von", "Kämmerei"]) == 0
    return book


def half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def test_three_years_through_the_jahreswechsel(year_2026: Path, tmp_path: Path) -> None:
    inputs26, res26 = state(year_2026)
    m = res26.chosen_model
    alloc = {a.name: a.allocation[m] for a in res26.areas}
    baseline = {a.name: a.reference for a in res26.areas}  # Vorjahr scaled to the budget
    loss = {k: max(0, baseline[k] - alloc[k]) for k in alloc}
    total_loss = sum(loss.values())
    assert total_loss > 0  # some Sozialräume lose: the Besitzstand has work to do
    comp26 = res26.transition[0].compensation
    assert res26.transition[0].year == 2026 and comp26 == loss  # held harmless in year 1

    source_digest = sha(year_2026)
    assert main(["jahreswechsel", str(year_2026)]) == 0
    assert sha(year_2026) == source_digest  # the source is never written
    book27 = tmp_path / "Sozialraumbudget_2027.xlsm"
    assert (tmp_path / "Sozialraumbudget_2026.xlsx").exists()

    inputs27, res27 = state(book27)
    assert inputs27.parameters.first_year == 2027
    assert inputs27.parameters.transition_start == 2026
    # Vorjahr 2027 = what each Sozialraum finally got in 2026: model plus Besitzstand.
    previous27 = {a.name: round(a.previous_budget * 100) for a in inputs27.areas}
    assert previous27 == {k: alloc[k] + comp26[k] for k in alloc}
    assert {a.name: round((a.holding or 0) * 100) for a in inputs27.areas} == baseline
    # Same budget and the decided quota: the allocation stays; step 2 pays 75 %.
    assert {a.name: a.allocation[m] for a in res27.areas} == alloc
    year27 = res27.transition[0]
    assert year27.year == 2027 and year27.factor == 0.75
    unit = res26.unit  # the Besitzstand is paid in whole rounding units (here 1 €)
    assert year27.compensation_total == half_up(3 * total_loss // unit, 4) * unit
    assert all(year27.compensation[k] <= loss[k] for k in loss)
    assert year27.freed == total_loss - year27.compensation_total
    plans = {p.name: p for p in res27.region_plans}
    assert sum(p.freed for p in plans.values()) == year27.freed  # back into regional 1
    assert sum(p.compensation for p in plans.values()) == year27.compensation_total
    # The cost sheets are empty for the new year; last year's positions are kept.
    assert inputs27.cost_positions == []
    assert len(inputs27.previous_costs) == len(inputs26.cost_positions)
    assert any(c.warning and "Vorjahres" in c.detail for c in res27.checks)

    assert main(["jahreswechsel", str(book27)]) == 0
    book28 = tmp_path / "Sozialraumbudget_2028.xlsm"
    inputs28, res28 = state(book28)
    year28 = res28.transition[0]
    assert (year28.year, year28.factor) == (2028, 0.5)
    assert year28.compensation_total == half_up(total_loss // unit, 2) * unit
    assert year28.freed == year27.compensation_total - year28.compensation_total
    previous28 = {a.name: round(a.previous_budget * 100) for a in inputs28.areas}
    assert previous28 == {k: alloc[k] + year27.compensation[k] for k in alloc}
    # History: both closed years, per Sozialraum, by hand.
    history = {(h.year, h.area): h for h in inputs28.history}
    assert {y for y, _ in history} == {2026, 2027}
    regional26 = {a.name: a.regional for a in res26.areas}
    for name in alloc:
        h26, h27 = history[(2026, name)], history[(2027, name)]
        assert round(h26.allocation * 100) == alloc[name] == round(h27.allocation * 100)
        assert round(h26.compensation * 100) == comp26[name]
        assert round(h27.compensation * 100) == year27.compensation[name]
        assert round(h26.regional * 100) == regional26[name]
    verlauf = load_workbook(book28, keep_vba=True)[layout.VERLAUF]
    assert [verlauf.cell(4, c).value for c in (2, 3, 4)] == ["2026 (€)", "2027 (€)", "2028 (€)"]
    assert verlauf._charts  # the chart over the years
    # The Beschlussvorlage of 2028 says which step of the phase-out it proposes.
    from pypdf import PdfReader

    pdf = tmp_path / "Vorlage_2028.pdf"
    assert main(["bericht", str(book28), "--pdf", str(pdf)]) == 0
    first_page = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Der 2026 begonnene Übergang geht weiter" in first_page
    assert "2028 noch 50 % des Ausgleichs" in first_page
    # The decided quota went through both years untouched.
    assert table(book28, layout_years.QUOTA) == table(year_2026, layout_years.QUOTA)


def test_the_same_year_is_not_closed_twice(year_2026: Path, tmp_path: Path) -> None:
    assert main(["jahreswechsel", str(year_2026)]) == 0
    book27 = tmp_path / "Sozialraumbudget_2027.xlsm"
    digest = sha(book27)
    assert main(["jahreswechsel", str(year_2026)]) == 1  # 2026 is archived already
    elsewhere = ["--ziel", str(tmp_path / "y.xlsm"), "--archiv", str(tmp_path / "y.xlsx")]
    assert main(["jahreswechsel", str(year_2026), *elsewhere]) == 1  # also under other names
    assert sha(book27) == digest and not (tmp_path / "y.xlsm").exists()
    set_param(book27, "Erstes_Jahr", 2026)  # someone turns the year back by hand
    again = ["--ziel", str(tmp_path / "x.xlsm"), "--archiv", str(tmp_path / "x.xlsx")]
    assert main(["jahreswechsel", str(book27), *again]) == 1  # 2026 is in its Historie
    assert not (tmp_path / "x.xlsm").exists() and not (tmp_path / "x.xlsx").exists()


def test_an_uncomputed_or_red_year_is_not_rolled_over(
    year_2026: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_param(year_2026, "Gesamtbudget", 2_100_000)  # changed, not computed again
    assert main(["jahreswechsel", str(year_2026)]) == 1
    assert "nicht aktuell" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Sozialraumbudget.xlsm"]


def test_the_decided_quota_survives_an_indicator_update(year_2026: Path) -> None:
    _, before = state(year_2026)
    wb = load_workbook(year_2026, keep_vba=True)
    ws = wb[layout.INDIKATORWERTE]
    for row in range(5, 15):  # new monitoring data for the first Sozialraum's rates
        if ws.cell(row, 1).value == before.areas[0].name:
            ws.cell(row, 4).value = (ws.cell(row, 4).value or 0) * 3
    wb.save(year_2026)
    assert main(["berechnen", str(year_2026)]) == 0
    _, after = state(year_2026)
    assert after.areas[0].quota != before.areas[0].quota  # today's data moved …
    for m in (ModelKey.M2, ModelKey.M3, ModelKey.M4):  # … the decided quota did not
        assert [a.allocation[m] for a in after.areas] == [a.allocation[m] for a in before.areas]
    quoten = load_workbook(year_2026, keep_vba=True)[layout.QUOTEN]
    assert quoten["H4"].value == "Quote beschlossen"
    assert quoten["I5"].value != 0  # the difference in € the new data would make


def test_an_old_decision_asks_for_review_and_an_expired_one_is_red(year_2026: Path) -> None:
    set_param(year_2026, "Quote_pruefen_nach", 3)
    set_param(year_2026, "Erstes_Jahr", 2029)
    _, res = state(year_2026)
    check = next(c for c in res.checks if c.name == "Festgeschriebene Quote gilt")
    assert check.ok and check.warning and "Überprüfung" in check.detail
    assert res.quota_decided_used
    set_param(year_2026, "Erstes_Jahr", 2031)
    _, res = state(year_2026)
    check = next(c for c in res.checks if c.name == "Festgeschriebene Quote gilt")
    assert not check.ok and "abgelaufen" in check.detail
    assert not res.quota_decided_used


def test_a_quota_missing_a_sozialraum_names_it(year_2026: Path) -> None:
    wb = load_workbook(year_2026, keep_vba=True)
    wb[layout_years.QUOTA.sheet]["A6"] = None  # one row of the decided quota lost
    wb[layout_years.QUOTA.sheet]["B6"] = None
    wb.save(year_2026)
    from xlsozial.errors import InputError

    with pytest.raises(InputError) as err:
        state(year_2026)
    assert "Quote fehlt für Amt Neuhaus" in str(err.value)


def test_a_quota_that_does_not_add_up_is_refused(year_2026: Path) -> None:
    wb = load_workbook(year_2026, keep_vba=True)
    wb[layout_years.QUOTA.sheet]["B6"] = 0.5  # typed over by hand
    wb.save(year_2026)
    from xlsozial.errors import InputError

    with pytest.raises(InputError) as err:
        state(year_2026)
    assert "statt 100 %" in str(err.value)


def test_an_over_committed_region_is_red(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    _, res = state(book)
    nord = next(p for p in res.region_plans if p.name == "Region Nord")
    wb = load_workbook(book, keep_vba=True)
    ws = wb[layout_years.APPLICATIONS.sheet]
    ws["F5"] = nord.available / 100 + 0.01  # one cent more than the region has
    ws["E5"] = nord.available / 100 + 0.01
    wb.save(book)
    assert main(["pruefen", str(book)]) == 1
    _, res = state(book)
    check = next(c for c in res.checks if c.name.startswith("Regionalbudget"))
    assert not check.ok and "Region Nord" in check.detail
    ws["F5"] = nord.available / 100 - 18_000  # exactly what is left besides the other one
    ws["E5"] = nord.available / 100 - 18_000
    wb.save(book)
    _, res = state(book)
    check = next(c for c in res.checks if c.name.startswith("Regionalbudget"))
    assert check.ok


def test_an_application_for_an_unknown_region_is_an_input_error(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    wb = load_workbook(book, keep_vba=True)
    wb[layout_years.APPLICATIONS.sheet]["A5"] = "Region Mitte"
    wb.save(book)
    from xlsozial.errors import InputError

    with pytest.raises(InputError) as err:
        state(book)
    assert "Regionalbudget!A5" in str(err.value) and "Region Mitte" in str(err.value)


def test_no_new_year_without_its_archive(
    year_2026: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlsozial import rollover

    real = rollover.atomic_write_bytes

    def disk_full(path: Path, data: bytes, *args: Any) -> None:
        if path.suffix == ".xlsx":
            raise OSError(28, "No space left on device", str(path))
        real(path, data, *args)

    monkeypatch.setattr(rollover, "atomic_write_bytes", disk_full)
    assert main(["jahreswechsel", str(year_2026)]) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Sozialraumbudget.xlsm"]


def test_a_quota_from_red_data_is_not_fixed(tmp_path: Path) -> None:
    book = copy_bundled(tmp_path)
    wb = load_workbook(book, keep_vba=True)
    ws = wb[layout_years.APPLICATIONS.sheet]
    ws["E5"], ws["F5"] = 9_000_000, 9_000_000  # Region Nord approves far too much
    wb.save(book)
    digest = sha(book)
    assert main(["quote-festschreiben", str(book), "--beschluss", DECISION]) == 1
    assert sha(book) == digest


def test_the_new_year_sends_last_years_positions_as_a_start(
    year_2026: Path, tmp_path: Path
) -> None:
    assert main(["jahreswechsel", str(year_2026)]) == 0
    book27 = tmp_path / "Sozialraumbudget_2027.xlsm"
    inputs27, _ = state(book27)
    assert main(["verteilen", str(book27), "--ziel", str(tmp_path / "Versand")]) == 0
    sent = load_workbook(tmp_path / "Versand" / "Kosten_NORD.xlsx")["Kosten NORD"]
    first = [sent.cell(5, c).value for c in (1, 2, 3)]
    nord = next(p for p in inputs27.previous_costs if p.provider == "NORD")
    assert first == [nord.category, nord.position, nord.amount]


def test_a_besitzstand_for_some_sozialraeume_only_is_refused(
    year_2026: Path, tmp_path: Path
) -> None:
    assert main(["jahreswechsel", str(year_2026)]) == 0
    book27 = tmp_path / "Sozialraumbudget_2027.xlsm"
    wb = load_workbook(book27, keep_vba=True)
    ws = wb[layout.GEBIETE]
    column = next(c for c in range(1, 20) if ws.cell(4, c).value == "Besitzstand (€)")
    ws.cell(6, column).value = None  # one deleted by hand
    wb.save(book27)
    from xlsozial.errors import InputError

    with pytest.raises(InputError) as err:
        state(book27)
    assert f"{layout.GEBIETE}!" in str(err.value) and "Besitzstand fehlt" in str(err.value)
