"""Year over year: a decided quota that holds, the Jahreswechsel 2026 → 2027 → 2028, and
regional budget 1 decisions. Expected numbers are worked out here by hand from year 1."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from bookutil import copy_bundled, sha
from openpyxl import load_workbook
from reference import largest_remainder

from xlsozial.adapters.session import open_master
from xlsozial.app.cli import main
from xlsozial.book import layout, layout_years
from xlsozial.book.reader import read_inputs
from xlsozial.domain.models import Inputs, ModelKey
from xlsozial.domain.results import Results
from xlsozial.evaluation.compute import compute

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


EUR = 100  # cents; the example pays in whole euros


def shares_by_hand(total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` cents in whole euros over ``weights`` by largest remainder (the reference)."""
    names = sorted(weights)
    got = largest_remainder(total // EUR, [Fraction(weights[n]) for n in names], names)
    assert got is not None
    return {n: g * EUR for n, g in zip(names, got)}


def paid_by_hand(res: Results, comp: dict[str, int], change: dict[str, int]) -> dict[str, int]:
    """Model + Besitzstand + the area's share of its region's change of regionales Budget 1
    (taken: negative, extra money: positive), shared by the areas' own regionales Budget 1."""
    out = {a.name: a.allocation[res.chosen_model] + comp.get(a.name, 0) for a in res.areas}
    for region, delta in change.items():
        own = {a.name: a.regional for a in res.areas if a.region == region}
        for name, part in shares_by_hand(abs(delta), own).items():
            out[name] += part if delta > 0 else -part
    return out


def regional_by_region(res: Results) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in res.areas:
        out[a.region] = out.get(a.region, 0) + a.regional
    return out


def previous(inputs: Inputs) -> dict[str, int]:
    return {a.name: round(a.previous_budget * 100) for a in inputs.areas}


def test_three_years_from_regional_budget_1_add_up(year_2026: Path, tmp_path: Path) -> None:
    """Besitzstand paid out of regionales Budget 1: every year pays out exactly the
    Gesamtbudget, so every Vorjahr sums to 2.000.000 €, never model + Besitzstand."""
    budget = 2_000_000 * EUR
    inputs26, res26 = state(year_2026)
    m = res26.chosen_model
    alloc = {a.name: a.allocation[m] for a in res26.areas}
    baseline = {a.name: a.reference for a in res26.areas}  # Vorjahr scaled to the budget
    loss = {k: max(0, baseline[k] - alloc[k]) for k in alloc}
    total_loss = sum(loss.values())
    assert total_loss > 0  # some Sozialräume lose: the Besitzstand has work to do
    comp26 = res26.transition[0].compensation
    assert res26.transition[0].year == 2026 and comp26 == loss  # held harmless in year 1
    # The regions pay it pro rata to their regionales Budget 1 (the default key).
    taken26 = shares_by_hand(total_loss, regional_by_region(res26))
    paid26 = paid_by_hand(res26, comp26, {r: -v for r, v in taken26.items()})
    assert {a.name: a.paid for a in res26.areas} == paid26
    assert sum(paid26.values()) == budget  # what was paid out in 2026

    source_digest = sha(year_2026)
    assert main(["jahreswechsel", str(year_2026)]) == 0
    assert sha(year_2026) == source_digest  # the source is never written
    book27 = tmp_path / "Sozialraumbudget_2027.xlsm"
    assert (tmp_path / "Sozialraumbudget_2026.xlsx").exists()

    inputs27, res27 = state(book27)
    assert inputs27.parameters.first_year == 2027
    assert inputs27.parameters.transition_start == 2026
    assert previous(inputs27) == paid26  # Vorjahr 2027 = what was actually paid in 2026
    assert sum(previous(inputs27).values()) == budget
    assert {a.name: round((a.holding or 0) * 100) for a in inputs27.areas} == baseline
    # Same budget and the decided quota: the allocation stays; step 2 pays 75 %.
    assert {a.name: a.allocation[m] for a in res27.areas} == alloc
    year27 = res27.transition[0]
    assert year27.year == 2027 and year27.factor == 0.75
    assert year27.compensation_total == half_up(3 * total_loss // EUR, 4) * EUR
    assert all(year27.compensation[k] <= loss[k] for k in loss)
    assert year27.freed == total_loss - year27.compensation_total
    plans = {p.name: p for p in res27.region_plans}
    assert sum(p.freed for p in plans.values()) == year27.freed  # back into regional 1
    taken27 = shares_by_hand(year27.compensation_total, regional_by_region(res27))
    assert {p.name: p.compensation for p in plans.values()} == taken27
    paid27 = paid_by_hand(res27, year27.compensation, {r: -v for r, v in taken27.items()})
    assert {a.name: a.paid for a in res27.areas} == paid27
    assert sum(paid27.values()) == budget
    # The cost sheets are empty for the new year; last year's positions are kept.
    assert inputs27.cost_positions == []
    assert len(inputs27.previous_costs) == len(inputs26.cost_positions)
    assert any(c.warning and "zuletzt gemeldeten Kosten" in c.detail for c in res27.checks)
    # At an unchanged budget the actual change sums to 0 € (not a 2,4 % loss for all).
    vergleich = load_workbook(book27, keep_vba=True)[layout.MODELLVERGLEICH]
    changes = next(r for r in vergleich.iter_rows() if r[0].value == "Sozialraum: Veränderung (€)")
    column = [c.value for c in changes].index("Δ tatsächlich (€)")
    total_row = changes[0].row + len(res27.areas) + 1
    assert vergleich.cell(total_row, 1).value == "Summe"
    assert vergleich.cell(total_row, column + 1).value == 0

    assert main(["jahreswechsel", str(book27)]) == 0
    book28 = tmp_path / "Sozialraumbudget_2028.xlsm"
    inputs28, res28 = state(book28)
    year28 = res28.transition[0]
    assert (year28.year, year28.factor) == (2028, 0.5)
    assert year28.compensation_total == half_up(total_loss // EUR, 2) * EUR
    assert year28.freed == year27.compensation_total - year28.compensation_total
    assert previous(inputs28) == paid27
    assert sum(previous(inputs28).values()) == res28.paid_total == budget
    # History: both closed years, per Sozialraum, with what was actually paid.
    history = {(h.year, h.area): h for h in inputs28.history}
    assert {y for y, _ in history} == {2026, 2027}
    regional26 = {a.name: a.regional for a in res26.areas}
    for name in alloc:
        h26, h27 = history[(2026, name)], history[(2027, name)]
        assert round(h26.allocation * 100) == alloc[name] == round(h27.allocation * 100)
        assert round(h26.compensation * 100) == comp26[name]
        assert round(h27.compensation * 100) == year27.compensation[name]
        assert round(h26.regional * 100) == regional26[name]
        assert round((h26.paid or 0) * 100) == paid26[name]
        assert round((h27.paid or 0) * 100) == paid27[name]
    verlauf = load_workbook(book28, keep_vba=True)[layout.VERLAUF]
    assert [verlauf.cell(4, c).value for c in (2, 3, 4)] == [
        "tatsächlich 2026 (€)",
        "tatsächlich 2027 (€)",
        "tatsächlich 2028 (€)",
    ]
    sums = next(r for r in verlauf.iter_rows(min_row=5, values_only=True) if r[0] == "Summe")
    assert list(sums[1:4]) == [budget / 100] * 3
    assert verlauf._charts  # the chart over the years
    # The Beschlussvorlage of 2028 says which step of the phase-out it proposes, and that
    # the sum of the Vorjahr equals the budget.
    from pypdf import PdfReader

    pdf = tmp_path / "Vorlage_2028.pdf"
    set_param(book28, "Vorlage_Nr", "2027/200")
    set_param(book28, "Sitzungstermin", "09.12.2027")
    assert main(["berechnen", str(book28)]) == 0
    assert main(["bericht", str(book28), "--pdf", str(pdf)]) == 0
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages[:3])
    assert "Der 2026 begonnene Übergang geht weiter" in text
    assert "2028 (Schritt 3 von 5) werden noch 50 % des Ausgleichs gezahlt" in text
    assert "aus dem regionalen Budget 1" in text
    assert "2027 wurden tatsächlich 2.000.000 € gezahlt (gleich viel)" in text
    # The decided quota went through both years untouched.
    assert table(book28, layout_years.QUOTA) == table(year_2026, layout_years.QUOTA)


def test_three_years_as_lueneburg_decided_add_up(year_2026: Path, tmp_path: Path) -> None:
    """Lüneburg (Beschlussvorlage 2025/124): extra money equal to the deficit pays the
    Besitzstand in full in 2026; from 2027 it is phased out over four years and every freed
    euro goes into regionales Budget 1 of the regions by a Verteilschlüssel (here fixed
    shares 40/25/35). Paid out each year: Gesamtbudget + the extra money."""
    budget = 2_000_000 * EUR
    _, plain = state(year_2026)
    total_loss = sum(max(0, a.reference - a.allocation[plain.chosen_model]) for a in plain.areas)
    set_param(year_2026, "Besitzstand_Finanzierung", "aus zusätzlichen Mitteln")
    set_param(year_2026, "Zusatzmittel", total_loss / 100)
    set_param(year_2026, "Verteilschluessel", "feste Anteile")
    assert main(["berechnen", str(year_2026)]) == 0
    _, res26 = state(year_2026)
    comp26 = res26.transition[0].compensation
    m = res26.chosen_model
    paid26 = {a.name: a.allocation[m] + comp26.get(a.name, 0) for a in res26.areas}
    assert {a.name: a.paid for a in res26.areas} == paid26  # nothing left over in 2026
    assert sum(paid26.values()) == budget + total_loss
    assert all(p.compensation == 0 and p.extra == 0 for p in res26.region_plans)

    assert main(["jahreswechsel", str(year_2026)]) == 0
    book27 = tmp_path / "Sozialraumbudget_2027.xlsm"
    inputs27, res27 = state(book27)
    assert previous(inputs27) == paid26
    assert sum(previous(inputs27).values()) == budget + total_loss
    year27 = res27.transition[0]
    assert year27.compensation_total == half_up(3 * total_loss // EUR, 4) * EUR
    freed = total_loss - year27.compensation_total
    key = {"Region Nord": 40, "Region Ost": 25, "Region Süd-West": 35}
    extra27 = shares_by_hand(freed, key)
    assert {p.name: p.extra for p in res27.region_plans} == extra27
    paid27 = paid_by_hand(res27, year27.compensation, extra27)
    assert {a.name: a.paid for a in res27.areas} == paid27
    assert sum(paid27.values()) == budget + total_loss

    # 2028 with a Preis-/Tarifsteigerung of 2 %: 2.040.000 € plus the extra money.
    assert main(["jahreswechsel", str(book27), "--steigerung", "2"]) == 0
    book28 = tmp_path / "Sozialraumbudget_2028.xlsm"
    inputs28, res28 = state(book28)
    assert inputs28.parameters.total_budget == 2_040_000
    assert inputs28.parameters.indexation == 0  # applied once, not again next year
    assert previous(inputs28) == paid27
    year28 = res28.transition[0]
    loss28 = sum(max(0, a.reference - a.allocation[m]) for a in res28.areas)
    assert year28.compensation_total == half_up(loss28 // EUR, 2) * EUR
    assert res28.paid_total == 2_040_000 * EUR + total_loss
    log = load_workbook(book28, keep_vba=True)[layout.PROTOKOLL]
    details = [str(r[5]) for r in log.iter_rows(min_row=5, values_only=True) if r[2]]
    assert any("Preis-/Tarifsteigerung 2 %" in d for d in details)
    # The paper says how the Besitzstand is funded, in words.
    from pypdf import PdfReader

    set_param(book28, "Vorlage_Nr", "2027/201")
    set_param(book28, "Sitzungstermin", "09.12.2027")
    assert main(["berechnen", str(book28)]) == 0
    pdf = tmp_path / "Vorlage_2028.pdf"
    assert main(["bericht", str(book28), "--pdf", str(pdf)]) == 0
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages[:3])
    assert "aus zusätzlichen Mitteln von" in text
    assert "nach festen Anteilen (Region Nord 40 %, Region Ost 25 %, Region Süd-West 35 %)" in (
        text
    )


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
    from xlsozial.domain.errors import InputError

    with pytest.raises(InputError) as err:
        state(year_2026)
    assert "Quote fehlt für Amt Neuhaus" in str(err.value)


def test_a_quota_that_does_not_add_up_is_refused(year_2026: Path) -> None:
    wb = load_workbook(year_2026, keep_vba=True)
    wb[layout_years.QUOTA.sheet]["B6"] = 0.5  # typed over by hand
    wb.save(year_2026)
    from xlsozial.domain.errors import InputError

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
    from xlsozial.domain.errors import InputError

    with pytest.raises(InputError) as err:
        state(book)
    assert "Regionalbudget!A5" in str(err.value) and "Region Mitte" in str(err.value)


def test_no_new_year_without_its_archive(
    year_2026: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlsozial.adapters import pairs

    real = pairs._write_synced

    def disk_full(path: Path, data: bytes) -> None:
        if path.suffix == ".xlsx":
            raise OSError(28, "No space left on device", str(path))
        real(path, data)

    monkeypatch.setattr(pairs, "_write_synced", disk_full)
    assert main(["jahreswechsel", str(year_2026)]) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Sozialraumbudget.xlsm"]


class Killed(BaseException):
    """The process dies here: no except or finally of the program runs after it."""


def _kill_at_rename(monkeypatch: pytest.MonkeyPatch, number: int) -> None:
    import os

    from xlsozial.adapters import pairs

    real = os.replace
    calls = {"n": 0}

    def replace(src: Any, dst: Any) -> None:
        if pairs.STAGE_PREFIX in str(src):
            calls["n"] += 1
            if calls["n"] == number:
                raise Killed
        real(src, dst)

    monkeypatch.setattr(pairs.os, "replace", replace)


def test_a_jahreswechsel_killed_between_the_renames_is_finished_next_time(
    year_2026: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kill_at_rename(monkeypatch, 2)  # the archive is in place, the new year not yet
    with pytest.raises(Killed):
        main(["jahreswechsel", str(year_2026)])
    assert (tmp_path / "Sozialraumbudget_2026.xlsx").exists()
    assert not (tmp_path / "Sozialraumbudget_2027.xlsm").exists()
    monkeypatch.undo()
    assert main(["jahreswechsel", str(year_2026)]) == 0  # finishes, does not say "gibt es"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "Sozialraumbudget.xlsm",
        "Sozialraumbudget_2026.xlsx",
        "Sozialraumbudget_2027.xlsm",
    ]
    inputs27, _ = state(tmp_path / "Sozialraumbudget_2027.xlsm")
    assert inputs27.parameters.first_year == 2027


def test_a_jahreswechsel_killed_while_writing_leaves_nothing(
    year_2026: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlsozial.adapters import pairs

    real = pairs._write_synced

    def die_on_archive(path: Path, data: bytes) -> None:
        if pairs.STAGE_PREFIX not in path.name:  # the journal: written whole
            return real(path, data)
        real(path, data[: len(data) // 2])  # a staged file half written …
        if path.suffix == ".xlsx":
            raise Killed  # … and the power goes

    monkeypatch.setattr(pairs, "_write_synced", die_on_archive)
    with pytest.raises(Killed):
        main(["jahreswechsel", str(year_2026)])
    monkeypatch.undo()
    assert main(["jahreswechsel", str(year_2026)]) == 0  # cleans up, then does the work
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "Sozialraumbudget.xlsm",
        "Sozialraumbudget_2026.xlsx",
        "Sozialraumbudget_2027.xlsm",
    ]


def test_the_archive_says_what_it_is_and_is_never_computed(
    year_2026: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["jahreswechsel", str(year_2026)]) == 0
    archive = tmp_path / "Sozialraumbudget_2026.xlsx"
    wb = load_workbook(archive)
    for ws in wb.worksheets:
        if ws.title != layout.XLWINGS_CONF:
            assert str(ws["A1"].value).startswith("ARCHIV 2026 – nur Werte"), ws.title
    conf = wb[layout.XLWINGS_CONF]
    assert all(c.value is None for row in conf.iter_rows() for c in row)  # no Python link
    digest = sha(archive)
    capsys.readouterr()
    for command in (
        ["berechnen", str(archive), "--ausgabe", str(tmp_path / "x.xlsx")],
        ["pruefen", str(archive)],
    ):
        assert main(command) == 1
        assert "Archiv des Haushaltsjahres 2026" in capsys.readouterr().err
    assert sha(archive) == digest and not (tmp_path / "x.xlsx").exists()


def test_the_new_year_clears_last_years_paper_and_carries_open_applications(
    year_2026: Path, tmp_path: Path
) -> None:
    inputs26, _ = state(year_2026)
    assert inputs26.parameters.paper_number and inputs26.parameters.meeting_date
    assert main(["jahreswechsel", str(year_2026)]) == 0
    inputs27, res27 = state(tmp_path / "Sozialraumbudget_2027.xlsm")
    assert inputs27.parameters.paper_number == "" and inputs27.parameters.meeting_date == ""
    assert inputs27.parameters.subject == ""  # the paper's Betreff named 2026
    assert [(c.body, c.role, c.date) for c in inputs27.consultations] == [
        (c.body, c.role, "") for c in inputs26.consultations
    ]
    check = next(c for c in res27.checks if c.name == "Angaben zur Beschlussvorlage")
    assert check.warning and "Vorlage-Nr. und Sitzungstermin fehlen" in check.detail
    still_open = [a for a in inputs26.applications if a.status.value == "beantragt"]
    assert [a.project for a in inputs27.applications] == [a.project for a in still_open]
    assert {a.carried_from for a in inputs27.applications} == {2026}


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
    from xlsozial.domain.errors import InputError

    with pytest.raises(InputError) as err:
        state(book27)
    assert f"{layout.GEBIETE}!" in str(err.value) and "Besitzstand fehlt" in str(err.value)


DYNAMIC_METADATA = (
    '<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray">'
    '<metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" '
    'copy="1" pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" '
    'clearFormats="1" clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes>'
    '<futureMetadata name="XLDAPR" count="1"><bk><extLst>'
    '<ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}">'
    '<xda:dynamicArrayProperties fDynamic="1" fCollapsed="0"/></ext></extLst></bk>'
    '</futureMetadata><cellMetadata count="1"><bk><rc t="1" v="0"/></bk></cellMetadata>'
    "</metadata>"
)
SOCKEL = [40000] * 10  # the example's Sockel: what each grafted formula shows


def _gebiete_cells(book: Path) -> tuple[str, dict[str, str]]:
    import re
    import zipfile

    with zipfile.ZipFile(book) as z:
        xml = z.read("xl/worksheets/sheet3.xml").decode("utf-8")
    assert 'codeName="Sheet3"' in xml and ">Gebiete<" not in xml  # the Gebiete part
    cells = dict(re.findall(r'(<c r="(I(?:[5-9]|1[0-4]))"[^>]*?(?:/>|>.*?</c>))', xml))
    return xml, {v: k for k, v in cells.items()}


def _graft(book: Path, cells: dict[str, str], dynamic: bool) -> None:
    import re
    import zipfile

    with zipfile.ZipFile(book) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = members["xl/worksheets/sheet3.xml"].decode("utf-8")
    for ref, text in cells.items():
        xml, n = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', text, xml, count=1)
        assert n == 1, ref
    members["xl/worksheets/sheet3.xml"] = xml.encode("utf-8")
    if dynamic:
        members["xl/metadata.xml"] = DYNAMIC_METADATA.encode("utf-8")
        types = (
            members["[Content_Types].xml"]
            .decode("utf-8")
            .replace(
                "</Types>",
                '<Override PartName="/xl/metadata.xml" ContentType="application/vnd.openxmlformats-'
                'officedocument.spreadsheetml.sheetMetadata+xml"/></Types>',
            )
        )
        members["[Content_Types].xml"] = types.encode("utf-8")
        rels = (
            members["xl/_rels/workbook.xml.rels"]
            .decode("utf-8")
            .replace(
                "</Relationships>",
                '<Relationship Id="rIdMeta" Type="http://schemas.openxmlformats.org/officeDocument/'
                '2006/relationships/sheetMetadata" Target="metadata.xml"/></Relationships>',
            )
        )
        members["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


ARRAY = '<c r="I5" s="7"><f t="array" ref="I5">SUM(IF(C$5:C$14=C5,1,0))*40000/3</f><v>40000</v></c>'
DYNAMIC = (
    '<c r="I5" s="7" cm="1"><f t="array" ref="I5">SUM(IF(C$5:C$14=C5,1,0))*40000/3</f>'
    "<v>40000</v></c>"
)
SPANNING = {
    "I5": '<c r="I5" s="7"><f t="array" ref="I5:I14">IF(C5:C14="",0,40000)</f><v>40000</v></c>',
    **{f"I{r}": f'<c r="I{r}" s="7"><v>{v}</v></c>' for r, v in zip(range(6, 15), SOCKEL[1:])},
}


@pytest.mark.parametrize(
    ("cells", "dynamic"),
    [({"I5": ARRAY}, False), ({"I5": DYNAMIC}, True), (SPANNING, False)],
    ids=["array", "dynamic-array", "spanning"],
)
def test_formulas_in_rows_the_jahreswechsel_rewrites_keep_their_kind(
    year_2026: Path, tmp_path: Path, cells: dict[str, str], dynamic: bool
) -> None:
    _, before = _gebiete_cells(year_2026)
    assert [before[f"I{r}"].split("<v>")[1].split("<")[0] for r in range(5, 15)] == [
        str(v) for v in SOCKEL
    ]  # the grafted formulas show the values the sheet had: the inputs stay the same
    _graft(year_2026, cells, dynamic)
    assert main(["jahreswechsel", str(year_2026)]) == 0
    book27 = tmp_path / "Sozialraumbudget_2027.xlsm"
    _, after = _gebiete_cells(book27)
    for ref, text in cells.items():
        assert after[ref] == text  # exactly as the user's Excel wrote it
    if dynamic:
        import zipfile

        with zipfile.ZipFile(book27) as z:
            assert z.read("xl/metadata.xml").decode("utf-8") == DYNAMIC_METADATA
            assert "metadata.xml" in z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    inputs27, _ = state(book27)
    assert [round(a.base_amount or 0) for a in inputs27.areas] == SOCKEL


def test_the_uebergang_sheet_names_the_basis_and_says_when_it_ended(
    year_2026: Path, tmp_path: Path
) -> None:
    assert main(["jahreswechsel", str(year_2026)]) == 0
    book27 = tmp_path / "Sozialraumbudget_2027.xlsm"
    cells = [
        str(c.value)
        for row in load_workbook(book27, keep_vba=True)[layout.UEBERGANG].iter_rows()
        for c in row
        if c.value is not None
    ]
    assert "Besitzstand-Basis skaliert (€)" in cells and "Vorjahr skaliert (€)" not in cells
    assert "tatsächlich 2027 (€)" in cells
    set_param(book27, "Erstes_Jahr", 2031)  # four years after 2026: the transition is over
    assert main(["berechnen", str(book27)]) == 5  # red only because the quota expired in 2030
    _, res = state(book27)
    assert [c.name for c in res.checks if not c.ok] == ["Festgeschriebene Quote gilt"]
    sheet = load_workbook(book27, keep_vba=True)[layout.UEBERGANG]
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "mit 2030 abgeschlossen; 2031 wird kein Besitzstand mehr gezahlt" in text
    assert "tatsächlich 2031 (€)" in text  # the table of what is paid stays


def test_a_new_decision_keeps_the_old_one_as_history(year_2026: Path) -> None:
    args = ["quote-festschreiben", str(year_2026), "--beschluss", "JHA 2027/9", "--ab", "2028"]
    assert main(args) == 0
    rows = table(year_2026, layout_years.QUOTA)
    assert len(rows) == 20
    assert {(r[2], r[3], r[4]) for r in rows} == {
        (DECISION, 2026, 2027),
        ("JHA 2027/9", 2028, 2032),
    }
    _, res = state(year_2026)  # 2026: the first decision holds, the second waits
    assert res.quota_decided_used and res.ok
    set_param(year_2026, "Erstes_Jahr", 2028)
    inputs, res = state(year_2026)
    assert {r.decision for r in inputs.quota_in_force} == {"JHA 2027/9"}
    assert res.quota_decided_used


def test_a_jahreswechsel_into_an_expired_quota_says_what_is_red(
    year_2026: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The new year is written (exit 5, as berechnen with red Prüfungen), and the clerk is
    told which Prüfung is red and why – not only that the Jahreswechsel went through."""
    set_param(year_2026, "Erstes_Jahr", 2030)  # the last year of the decision JHA 2026/123
    assert main(["berechnen", str(year_2026)]) == 0
    capsys.readouterr()
    assert main(["jahreswechsel", str(year_2026)]) == 5
    out = capsys.readouterr().out
    assert "In der neuen Mappe 2031 sind Prüfungen rot" in out
    assert f"- Festgeschriebene Quote gilt: Beschluss „{DECISION}“ (2026–2030) ist für 2031" in out
    # The Vorlage is what asks for the new decision: it is no draft, and says why.
    from pypdf import PdfReader

    book31 = tmp_path / "Sozialraumbudget_2031.xlsm"
    set_param(book31, "Vorlage_Nr", "2030/88")
    set_param(book31, "Sitzungstermin", "03.12.2030")
    assert main(["berechnen", str(book31)]) == 5  # the workbook stays red until festgeschrieben
    pdf = tmp_path / "Vorlage_2031.pdf"
    assert main(["bericht", str(book31), "--pdf", str(pdf)]) == 0
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "ENTWURF" not in text
    assert "Die Gesamtbudgetverteilungsquote je Sozialraum wird wie in Anlage 1 festgelegt" in text
    assert f"Die mit Beschluss {DECISION} festgelegte Quote (gültig 2026 bis 2030) gilt" in text
    assert "diese Vorlage schlägt in Punkt 1 eine neue Quote vor" in text  # Technischer Anhang
