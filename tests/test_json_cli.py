"""The core end to end through JSON and the command line, including German errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xlsozial.adapters.io_json import inputs_to_json, read_inputs
from xlsozial.app.cli import main
from xlsozial.domain.errors import InputError
from xlsozial.domain.example import example_inputs

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_example_json_is_the_generated_example() -> None:
    bundled = (ROOT / "examples" / "eingabe_lueneburg.json").read_text(encoding="utf-8")
    assert bundled == inputs_to_json(example_inputs())


def test_rechnen_json_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ergebnis.json"
    assert (
        main(
            [
                "rechnen-json",
                str(ROOT / "examples" / "eingabe_lueneburg.json"),
                "--ausgabe",
                str(out),
            ]
        )
        == 0
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["budget"] == 2_000_000.0
    for model in ("M1", "M2", "M3", "M4"):
        assert round(sum(a["allocation"][model] for a in data["areas"]), 2) == 2_000_000.0
    assert "Prüfungen: alle bestanden" in capsys.readouterr().out


def test_every_problem_is_reported_with_file_and_line(tmp_path: Path) -> None:
    data = json.loads(inputs_to_json(example_inputs()))
    data["areas"][2]["population_total"] = "viele"
    data["areas"][4]["previous_budget"] = -5
    data["indicators"][0]["weight"] = -1
    path = tmp_path / "eingabe.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_inputs(path)
    problems = err.value.problems
    assert len(problems) == 3
    lines = path.read_text(encoding="utf-8").splitlines()
    first = problems[0]
    assert first.where.startswith("eingabe.json, Zeile ")
    assert "Feld „population_total“" in first.where and "keine Zahl" in first.message
    line_no = int(first.where.split("Zeile ")[1].split(",")[0])
    assert lines[line_no - 1].strip() == "{"  # the object of the third Sozialraum starts there
    assert "Stadt Bleckede" in lines[line_no]
    assert any("größer als 0" in p.message for p in problems)
    assert any("nicht kleiner als 0" in p.message for p in problems)


def test_cli_exit_code_and_german_message_on_bad_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "kaputt.json"
    path.write_text('{"parameters": {"total_budget": 1000,}\n}', encoding="utf-8")
    assert main(["rechnen-json", str(path)]) == 1
    err = capsys.readouterr().err
    assert "kaputt.json, Zeile 1" in err and "ungültiges JSON" in err


def test_cross_table_problems_name_their_rows(tmp_path: Path) -> None:
    data = json.loads(inputs_to_json(example_inputs()))
    data["areas"][0]["provider"] = "UNBEKANNT"
    data["indicator_values"][5]["area"] = "Lüneburg-Stadt"
    path = tmp_path / "eingabe.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    from xlsozial.evaluation.compute import compute

    with pytest.raises(InputError) as err:
        compute(read_inputs(path))
    text = str(err.value)
    assert "unbekannter SRT „UNBEKANNT“" in text
    assert "unbekannter Sozialraum „Lüneburg-Stadt“" in text
    assert "Feld „provider“" in text


def test_help_is_german(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "Aufruf:" in out and "berechnen" in out and "diese Hilfe anzeigen" in out


def test_every_money_field_of_the_json_is_in_euros_as_on_the_sheets(tmp_path: Path) -> None:
    """The JSON says „währung: EUR“: region plans, actual payments and Besitzstand too, equal
    to what the workbook shows after berechnen (no cent amounts beside euro amounts)."""
    from bookutil import copy_bundled
    from openpyxl import load_workbook

    from xlsozial.book import layout

    book = copy_bundled(tmp_path)
    assert main(["berechnen", str(book)]) == 0
    out = tmp_path / "ergebnis.json"
    example = str(ROOT / "examples" / "eingabe_lueneburg.json")
    assert main(["rechnen-json", example, "--ausgabe", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    stand = load_workbook(book)[layout.REGIONALBUDGET_STAND]
    rows = {r[0]: r for r in stand.iter_rows(min_row=5, values_only=True) if r[0]}
    for plan in data["region_plans"]:
        sheet = rows[plan["name"]]
        fields = ("from_split", "compensation", "freed", "available", "approved", "open")
        assert [plan[f] for f in fields] == list(sheet[1:7]), plan["name"]
    split = load_workbook(book)[layout.BUDGETAUFTEILUNG]
    paid = {
        r[0]: r[6]
        for r in split.iter_rows(values_only=True)
        if r[0] in {a["name"] for a in data["areas"]}
    }
    assert {a["name"]: a["paid"] for a in data["areas"]} == paid
    assert {a["name"]: a["compensation"] for a in data["areas"]}["SG Ilmenau"] == 18_209.0


def test_red_pruefungen_in_rechnen_json_exit_5_as_berechnen(tmp_path: Path) -> None:
    data = json.loads(inputs_to_json(example_inputs()))
    data["applications"][0]["approved"] = 9_000_000.0  # Region Nord approves far too much
    data["applications"][0]["requested"] = 9_000_000.0
    path = tmp_path / "eingabe.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "ergebnis.json"
    assert main(["rechnen-json", str(path), "--ausgabe", str(out)]) == 5
    assert out.exists()  # written, as the exit code table says for 5
