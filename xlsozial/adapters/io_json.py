"""JSON input and output, so the core is usable without a workbook.

The reader remembers the line of every JSON object, so a bad value is reported as
"eingabe.json, Zeile 14, Feld „population_total“" rather than as a path nobody can find.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from pathlib import Path
from typing import Any

from xlsozial.adapters.fileio import os_error_text
from xlsozial.domain.errors import InputError, Origin, Problem
from xlsozial.domain.models import (
    Application,
    Area,
    CategoryShare,
    Consultation,
    CostPosition,
    HistoryRow,
    Indicator,
    IndicatorValue,
    Inputs,
    Parameters,
    Provider,
    QuotaDecision,
    RegionShare,
    VariantSetting,
)
from xlsozial.domain.results import Results, euro
from xlsozial.domain.validation import RawRow, build_row, build_rows

SECTIONS: dict[str, type[Any]] = {
    "areas": Area,
    "providers": Provider,
    "indicators": Indicator,
    "indicator_values": IndicatorValue,
    "cost_positions": CostPosition,
    "category_shares": CategoryShare,
    "quota_decisions": QuotaDecision,
    "applications": Application,
    "history": HistoryRow,
    "previous_costs": CostPosition,
    "region_shares": RegionShare,
    "consultations": Consultation,
    "variants": VariantSetting,
}


class _LineDict(dict[str, Any]):
    line: int = 0


class _LineDecoder(json.JSONDecoder):
    """A decoder whose objects know the line they start on."""

    def __init__(self) -> None:
        super().__init__()
        base_parse = json.decoder.JSONObject  # type: ignore[attr-defined]

        def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Any, int]:
            text, start = s_and_end
            obj, end = base_parse(s_and_end, *args)
            marked = _LineDict(obj)
            marked.line = text.count("\n", 0, start) + 1
            return marked, end

        self.parse_object = parse_object
        self.scan_once = json.scanner.py_make_scanner(self)  # type: ignore[attr-defined]


def _place(name: str, obj: Any) -> str:
    return f"{name}, Zeile {getattr(obj, 'line', 0)}"


def _origin(name: str, obj: Any) -> Origin:
    line = getattr(obj, "line", 0)
    place = f"{name}, Zeile {line}"
    fields = obj.keys() if isinstance(obj, dict) else []
    cells = {f: f"{place}, Feld „{f}“" for f in fields}
    return _FieldOrigin(place, cells)


class _FieldOrigin(Origin):
    """Origin that names any field, also ones missing from the object."""

    __slots__ = ()

    def at(self, field_name: str | None = None) -> str:
        if field_name is None:
            return self.place
        return self._cells.get(field_name, f"{self.place}, Feld „{field_name}“")


def read_inputs(path: Path) -> Inputs:
    """Read and validate an input JSON file; raises InputError with all problems."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            [Problem(name, os_error_text(exc, name, "kann nicht gelesen werden"))]
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError([Problem(name, "Datei ist nicht UTF-8-kodiert")]) from exc
    try:
        data = _LineDecoder().decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(f"{name}, Zeile {exc.lineno}, Spalte {exc.colno}", "ungültiges JSON")]
        ) from exc
    if not isinstance(data, dict):
        raise InputError([Problem(name, "erwartet wird ein JSON-Objekt")])
    problems: list[Problem] = []
    unknown = set(data) - {"parameters", *SECTIONS}
    for key in sorted(unknown):
        problems.append(Problem(_place(name, data), f"unbekannter Abschnitt „{key}“"))
    par_obj = data.get("parameters")
    parameters = None
    if not isinstance(par_obj, dict):
        problems.append(Problem(name, "Abschnitt „parameters“ fehlt"))
    else:
        parameters = build_row(Parameters, RawRow(par_obj, _origin(name, par_obj)), problems)
    sections: dict[str, list[Any]] = {}
    for key, model in SECTIONS.items():
        rows = data.get(key, [])
        if not isinstance(rows, list):
            problems.append(Problem(_place(name, data), f"„{key}“ muss eine Liste sein"))
            continue
        raw = []
        for row in rows:
            if not isinstance(row, dict):
                problems.append(Problem(name, f"Eintrag in „{key}“ ist kein Objekt"))
                continue
            raw.append(RawRow(row, _origin(name, row)))
        sections[key] = build_rows(model, raw, problems)
    if problems or parameters is None:
        raise InputError(problems)
    return Inputs(parameters=parameters, **sections)


def inputs_to_json(inputs: Inputs) -> str:
    return json.dumps(inputs.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def results_to_json(results: Results) -> str:
    """Results with money in euros (two decimals)."""
    data = results.model_dump(mode="json")
    money_keys = {
        "budget",
        "unit",
        "previous",
        "reference",
        "base",
        "corridor_low",
        "corridor_high",
        "bound",
        "regional",
        "freed",
        "bound_total",
        # region plans, actual payments and the Besitzstand (int cents, also in dicts)
        "from_split",
        "compensation",
        "available",
        "approved",
        "open",
        "paid",
        "extra",
        "extra_used",
    }

    def convert(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            if key in {"allocation", "amount", "compensation"} or key in {"bound", "regional"}:
                return {k: euro(v) if isinstance(v, int) else convert(v) for k, v in node.items()}
            return {k: convert(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [convert(v) for v in node]
        if isinstance(node, int) and not isinstance(node, bool) and key in money_keys:
            return euro(node)
        return node

    out = convert(data)
    out["währung"] = "EUR"
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"
