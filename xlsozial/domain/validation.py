"""Turning raw rows into validated models, and checks across tables.

Readers hand over plain dicts plus an :class:`Origin`; this module builds the pydantic
rows (German messages from :mod:`.messages`), and runs the cross-table checks
(unknown Sozialraum, duplicate keys, missing indicator values …). Every problem is
collected; one :class:`InputError` is raised at the end.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from xlsozial.domain import validation_years as years
from xlsozial.domain.errors import InputError, Origin, Problem, where
from xlsozial.domain.messages import fmt_number, translate
from xlsozial.domain.models import (
    Area,
    BaseLevel,
    Inputs,
    Parameters,
    SplitMethod,
    normal_text,
)
from xlsozial.domain.money import cents

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class RawRow:
    values: Mapping[str, Any]
    origin: Origin


def build_row(model: type[M], raw: RawRow, problems: list[Problem]) -> M | None:
    """Validate one row; on failure record every field problem at its cell."""
    try:
        return model.model_validate({**raw.values, "origin": raw.origin})
    except ValidationError as exc:
        for err in exc.errors():
            loc = err.get("loc") or ()
            # Checks across fields name the cell to fix in their context ("field").
            field_name = str(loc[0]) if loc else (err.get("ctx") or {}).get("field")
            said = raw.origin.context(field_name) if hasattr(raw.origin, "context") else ""
            message = translate(err) + (f" – {said}" if said else "")
            problems.append(Problem(raw.origin.at(field_name), message))
        return None


@functools.cache
def _list_adapter(model: type[M]) -> TypeAdapter[list[M]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def build_rows(
    model: type[M],
    rows: Iterable[RawRow],
    problems: list[Problem],
    unchecked: list[Any] | None = None,
) -> list[M]:
    """Valid rows; rows that fail are reported and, if ``unchecked`` is given, kept there
    unvalidated, so their references can still be checked in the same round.

    A whole table is validated in one call (a large district has 90.000 indicator rows);
    only when it holds an invalid row is it validated again row by row, for messages that
    name each cell."""
    rows = list(rows)
    try:
        valid = _list_adapter(model).validate_python(
            [{**raw.values, "origin": raw.origin} for raw in rows]
        )
    except ValidationError:
        pass
    else:
        if unchecked is not None:
            unchecked.extend(valid)
        return valid
    out: list[M] = []
    for raw in rows:
        row = build_row(model, raw, problems)
        if row is not None:
            out.append(row)
            if unchecked is not None:
                unchecked.append(row)
        elif unchecked is not None:
            texts = {k: normal_text(v) if isinstance(v, str) else v for k, v in raw.values.items()}
            unchecked.append(model.model_construct(None, **{**texts, "origin": raw.origin}))
    return out


def check_inputs(inputs: Inputs) -> list[Problem]:
    """Cross-table consistency; returns all problems (empty list when fine)."""
    problems = check_references(inputs)
    if inputs.indicators and not any(i.weight > 0 for i in inputs.indicators):
        problems.append(
            Problem(where(inputs.indicators[0].origin, "weight"), "Alle Gewichte sind 0")
        )
    _check_parameters(inputs.parameters, inputs.areas, inputs, problems)
    return problems


def _get(row: Any, name: str) -> str | None:
    """A text field of a row that may not have passed validation (then built unchecked)."""
    value = getattr(row, name, None)
    return value if isinstance(value, str) else None


def check_references(inputs: Any) -> list[Problem]:
    """Duplicates and references between tables: keys, Sozialräume, SRT, categories.

    Robust against rows that failed their own validation (built unchecked by the reader),
    so a workbook with type errors gets its reference errors in the same round.
    """
    problems: list[Problem] = []
    areas, providers, indicators = inputs.areas, inputs.providers, inputs.indicators
    if not areas:
        problems.append(Problem("Gebiete", "Es ist kein Sozialraum eingetragen"))
    if not indicators:
        problems.append(Problem("Indikatoren", "Es ist kein Indikator eingetragen"))
    for rows, field_name, label in (
        (areas, "name", "Sozialraum"),
        (providers, "key", "SRT"),
        (indicators, "key", "Indikator"),
        (inputs.category_shares, "category", "Kategorie"),
    ):
        keyed = [r for r in rows if _get(r, field_name) is not None]
        _duplicates((_get(r, field_name) or "" for r in keyed), keyed, field_name, label, problems)
    problems += _region_spelling(areas)
    problems += _provider_links(areas, providers)
    area_names = {_get(a, "name") for a in areas} - {None}
    _check_values(inputs.indicator_values, area_names, indicators, problems)
    problems += _cost_links(inputs, area_names)
    problems += years.year_problems(inputs, area_names)
    return problems


def _region_spelling(areas: Any) -> list[Problem]:
    problems = []
    spelling: dict[str, str] = {}
    for a in areas:
        region = _get(a, "region")
        if region is None:
            continue
        seen_as = spelling.setdefault(region.casefold(), region)
        if seen_as != region:
            problems.append(
                Problem(
                    where(a.origin, "region"),
                    f"Region „{region}“ ist anders geschrieben als „{seen_as}“ "
                    "(Groß-/Kleinschreibung); bitte einheitlich schreiben",
                )
            )
    return problems


def _provider_links(areas: Any, providers: Any) -> list[Problem]:
    """Every Sozialraum names a known SRT, and every SRT serves a Sozialraum."""
    problems = []
    provider_keys = {_get(p, "key") for p in providers} - {None}
    known_providers = ", ".join(sorted(k for k in provider_keys if k)) or "keiner"
    for area in areas:
        provider = _get(area, "provider")
        if provider is not None and provider not in provider_keys:
            problems.append(
                Problem(
                    where(area.origin, "provider"),
                    f"unbekannter SRT „{provider}“; möglich: {known_providers}",
                )
            )
    served = {_get(a, "provider") for a in areas}
    for provider_row in providers:
        key = _get(provider_row, "key")
        if key is not None and key not in served:
            problems.append(
                Problem(
                    where(provider_row.origin, "key"),
                    f"SRT „{key}“ ist keinem Sozialraum zugeordnet",
                )
            )
    return problems


def _cost_links(inputs: Any, area_names: set[Any]) -> list[Problem]:
    problems = []
    provider_keys = {_get(p, "key") for p in inputs.providers} - {None}
    categories = {_get(c, "category") for c in inputs.category_shares} - {None}
    for cost in inputs.cost_positions or getattr(inputs, "previous_costs", []):
        provider, category, area_name = (
            _get(cost, "provider"),
            _get(cost, "category"),
            _get(cost, "area"),
        )
        if provider is not None and provider not in provider_keys:
            problems.append(
                Problem(where(cost.origin, "provider"), f"unbekannter SRT „{provider}“")
            )
        if category is not None and category not in categories:
            problems.append(
                Problem(
                    where(cost.origin, "category"),
                    f"Kategorie „{category}“ steht nicht in der Zuordnung",
                )
            )
        if area_name is not None and area_name not in area_names:
            problems.append(
                Problem(where(cost.origin, "area"), f"unbekannter Sozialraum „{area_name}“")
            )
    return problems


def _check_values(
    values: list[Any], area_names: set[str | None], indicators: list[Any], problems: list[Problem]
) -> None:
    """Unknown Sozialraum or indicator, and duplicates, of the indicator values.

    Hundreds of thousands of rows in a large district: sets first, a row loop only when
    something is wrong.
    """
    add = problems.append
    indicator_keys = {_get(i, "key") for i in indicators} - {None}
    keys = [(_get(v, "area"), _get(v, "indicator"), getattr(v, "year", None)) for v in values]
    areas_used = {k[0] for k in keys} - {None}
    indicators_used = {k[1] for k in keys} - {None}
    bad_area = areas_used - area_names
    bad_indicator = indicators_used - indicator_keys
    complete = [k for k in keys if k[0] is not None and k[1] is not None and isinstance(k[2], int)]
    duplicated = len(set(complete)) != len(complete)
    if not (bad_area or bad_indicator or duplicated):
        return
    seen: set[tuple[Any, Any, Any]] = set()
    reported: set[tuple[Any, Any, Any]] = set()
    for value, (area, indicator, year) in zip(values, keys):
        if area in bad_area:
            add(Problem(where(value.origin, "area"), f"unbekannter Sozialraum „{area}“"))
        if indicator in bad_indicator:
            add(Problem(where(value.origin, "indicator"), f"unbekannter Indikator „{indicator}“"))
        if area is None or indicator is None or not isinstance(year, int):
            continue
        key = (area, indicator, year)
        if key not in seen:
            seen.add(key)
        elif key not in reported:
            reported.add(key)
            add(
                Problem(
                    where(value.origin),
                    f"doppelter Eintrag für {area} / {indicator} / {year}",
                )
            )


def _check_parameters(
    par: Parameters, areas: list[Area], inputs: Inputs, problems: list[Problem]
) -> None:
    unit_cents = cents(par.rounding_unit)
    budget_cents = cents(par.total_budget)
    if unit_cents <= 0:
        problems.append(Problem(where(par.origin, "rounding_unit"), "Rundungseinheit zu klein"))
    for field, label in (
        ("total_budget", "Gesamtbudget ist"),
        ("extra_funds", "Zusätzliche Mittel sind"),
    ):
        if unit_cents > 0 and cents(getattr(par, field)) % unit_cents:
            text = (
                f"{label} kein Vielfaches der Rundungseinheit ({fmt_number(par.rounding_unit)} €)"
            )
            problems.append(Problem(where(par.origin, field), text))
    # In whole cents: 6 × 0,01 € is 0,06 €, not the 0,060000000000000005 of floats.
    if par.base_level is BaseLevel.AREA:
        total_base = sum(cents(a.base_amount or 0) for a in areas) / 100
    else:
        total_base = sum(cents(p.base_amount or 0) for p in inputs.providers) / 100
    if cents(total_base) > budget_cents:
        problems.append(
            Problem(
                where(par.origin, "total_budget"),
                f"Summe der Sockelbeträge ({fmt_number(total_base)} €) ist größer als das "
                f"Gesamtbudget ({fmt_number(par.total_budget)} €)",
            )
        )
    if par.split_method is SplitMethod.PER_PROVIDER:
        with_costs = {c.provider for c in inputs.effective_costs if c.amount > 0}
        for provider in inputs.providers:
            if provider.bound_share is None and provider.key not in with_costs:
                problems.append(
                    Problem(
                        where(provider.origin, "key"),
                        f"SRT „{provider.key}“ hat keine Kosten; für die Aufteilung „je SRT“ "
                        "fehlt das Verhältnis",
                    )
                )
    if par.split_method is SplitMethod.UNIFORM and not any(
        c.amount > 0 for c in inputs.effective_costs
    ):
        problems.append(
            Problem(
                where(par.origin, "split_method"),
                "Für die einheitliche Aufteilung fehlen Kostenpositionen der SRT",
            )
        )


def _duplicates(
    keys: Iterable[str], rows: list[Any], field_name: str, label: str, problems: list[Problem]
) -> None:
    """Keys that differ only in case or Unicode form (NFC) are the same key."""
    first: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for key, row in zip(keys, rows):
        folded = normal_text(key).casefold()
        counts[folded] += 1
        first.setdefault(folded, key)
        if counts[folded] == 2:
            same = "" if first[folded] == key else f" (wie „{first[folded]}“)"
            problems.append(
                Problem(where(row.origin, field_name), f"{label} „{key}“ doppelt{same}")
            )


def ensure_valid(inputs: Inputs) -> None:
    problems = check_inputs(inputs)
    if problems:
        raise InputError(problems)
