"""Varianten: the same inputs under other settings, computed with the same exact core.

Each variant is the rows of Blatt Varianten with its name, applied one after another to
the decided inputs: a parameter, an indicator's weight (``weight:KEY``) or the Sockel of
every Sozialraum (``base_amount``). A value that does not fit (a weight of text, a corridor
above 100 %) and a variant the core cannot compute (a corridor that cannot hold) are
problems at the variant's cells, never a variant silently dropped. The sensitivity draws
are not repeated per variant: the comparison is of money, not of its spread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from xlsozial.domain.errors import InputError, Problem, where
from xlsozial.domain.messages import translate
from xlsozial.domain.models import Area, Indicator, Inputs, Parameters, VariantSetting
from xlsozial.domain.results import Results, VariantResult


def grouped(rows: list[VariantSetting]) -> dict[str, list[VariantSetting]]:
    """Rows by variant name, in the order the variants first appear."""
    groups: dict[str, list[VariantSetting]] = {}
    for row in rows:
        groups.setdefault(row.variant, []).append(row)
    return groups


def _refused(row: VariantSetting, message: str) -> Problem:
    return Problem(where(row.origin, "value"), f"Variante „{row.variant}“: {message}")


Parts = tuple[Parameters, list[Indicator], list[Area]]


def apply_setting(parts: Parts, row: VariantSetting) -> Parts:
    """Parameters, indicators and areas with one setting changed; ValidationError where the
    value does not fit."""
    parameters, indicators, areas = parts
    if row.setting.startswith("weight:"):
        key = row.setting.split(":", 1)[1]
        indicators = [
            Indicator.model_validate({**i.model_dump(), "weight": row.value, "origin": i.origin})
            if i.key == key
            else i
            for i in indicators
        ]
    elif row.setting == "base_amount":
        areas = [
            Area.model_validate({**a.model_dump(), "base_amount": row.value, "origin": a.origin})
            for a in areas
        ]
    else:
        data: dict[str, Any] = {**parameters.model_dump(), row.setting: row.value}
        parameters = Parameters.model_validate({**data, "origin": parameters.origin})
    return parameters, indicators, areas


def setting_problems(parts: Parts, rows: list[VariantSetting]) -> list[Problem]:
    """Each row on its own against the decided inputs: the reader names every value that
    does not fit in the same round as the other input problems."""
    problems: list[Problem] = []
    for row in rows:
        try:
            apply_setting(parts, row)
        except ValidationError as exc:
            problems += [_refused(row, translate(e)) for e in exc.errors()]
    return problems


def _apply(inputs: Inputs, row: VariantSetting) -> Inputs:
    parameters, indicators, areas = apply_setting(
        (inputs.parameters, inputs.indicators, inputs.areas), row
    )
    return inputs.model_copy(
        update={"parameters": parameters, "indicators": indicators, "areas": areas}
    )


def variant_inputs(inputs: Inputs) -> list[tuple[list[VariantSetting], Inputs]]:
    """Each variant's rows and inputs; InputError naming every cell whose value does not fit."""
    problems: list[Problem] = []
    found = []
    base = inputs.model_copy(update={"variants": []})
    for rows in grouped(inputs.variants).values():
        current = base
        for row in rows:
            try:
                current = _apply(current, row)
            except ValidationError as exc:
                problems += [_refused(row, translate(e)) for e in exc.errors()]
        draws = current.parameters.model_copy(update={"sensitivity_draws": 0})
        found.append((rows, current.model_copy(update={"parameters": draws})))
    if problems:
        raise InputError(problems)
    return found


def run_variants(inputs: Inputs, compute: Callable[[Inputs], Results]) -> list[VariantResult]:
    """Every variant computed by ``compute`` (the same chain as the decided setting)."""
    problems: list[Problem] = []
    results = []
    for rows, varied in variant_inputs(inputs):
        try:
            res = compute(varied)
        except InputError as exc:
            said = [f"lässt sich nicht rechnen – {p.message}" for p in exc.problems]
            problems += [_refused(rows[0], text) for text in said]
            continue
        model = res.chosen_model
        results.append(
            VariantResult(
                name=rows[0].variant,
                description=next((r.description for r in rows if r.description), ""),
                settings=[(r.setting, r.value) for r in rows],
                chosen_model=model,
                amounts={a.name: a.allocation[model] for a in res.areas},
                quota={a.name: a.quota for a in res.areas},
                providers={g.name: g.allocation[model] for g in res.providers},
                regions={g.name: g.allocation[model] for g in res.regions},
            )
        )
    if problems:
        raise InputError(problems)
    return results
