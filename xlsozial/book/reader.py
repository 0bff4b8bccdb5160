"""Workbook → validated :class:`~xlsozial.domain.models.Inputs`, through tables and defined names.

Works on any :class:`~xlsozial.book.adapter.BookAdapter`, so Excel (xlwings) and the headless
path (the package adapter) read identically. Every problem names its sheet and cell.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, NoReturn

from xlsozial.book import layout, layout_variants, layout_years
from xlsozial.book.adapter import BookAdapter, Uncomputed
from xlsozial.book.cell_errors import error_problem, excel_error
from xlsozial.book.table_read import UNCOMPUTED_MESSAGE, clean_cell, table_rows
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
    ModelKey,
    Parameters,
    Provider,
    QuotaDecision,
    RegionShare,
    VariantSetting,
)
from xlsozial.domain.validation import RawRow, build_row, build_rows, check_references
from xlsozial.evaluation.variants import setting_problems

_ADDED_OPTIONAL = {"extra_funds", "indexation", "subject", "paper_status", "paper_kind"}
_ADDED_OPTIONAL |= {"responsible", "lead_office", "clerk", "products"}
OPTIONAL_PARAMETERS = {
    "factor_min",
    "factor_max",
    "fixed_bound_share",
    "contact",
    "authority",
    "paper_number",
    "committee",
    "meeting_date",
    "transition_start",
    *_ADDED_OPTIONAL,
}
LATER_PARAMETERS = {
    "transition_start",
    "review_years",
    "holding_funding",
    "extra_rest",
    "region_key",
    *_ADDED_OPTIONAL,
}


def read_parameters(book: BookAdapter, problems: list[Problem]) -> Parameters | None:
    values: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for spec in layout.PARAMETERS:
        named = book.named(spec.name)
        if named is None and spec.field in LATER_PARAMETERS:
            continue
        if named is None:
            problems.append(
                Problem(
                    layout.PARAMETER, f"Der Name „{spec.name}“ fehlt; die Mappe wurde verändert"
                )
            )
            continue
        cells[spec.field] = named.where
        value = named.value
        if isinstance(value, Uncomputed):
            problems.append(Problem(named.where, UNCOMPUTED_MESSAGE.format(formula=value.formula)))
            continue
        error = excel_error(value)
        if error is not None:
            problems.append(
                Problem(named.where, f"{spec.label}: {error_problem('', error).message}")
            )
            continue
        if spec.kind == "text" and isinstance(value, (datetime, date)):
            value = value.strftime("%d.%m.%Y")  # a date typed into a text parameter
        value = clean_cell(value, "percent" if spec.kind == "percent" else spec.kind)
        if spec.field == "chosen_model" and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = ModelKey.from_text(value).value
        if spec.kind == "bool" and isinstance(value, str):
            value = {"ja": True, "nein": False}.get(value.casefold(), value)
        if spec.choices and value is not None and not _is_choice(spec, value):
            shown = ", ".join(f"„{c}“" for c in spec.choices)
            problems.append(
                Problem(
                    named.where,
                    f"{spec.label}: „{named.value}“ ist nicht in der Auswahl; möglich: {shown}",
                )
            )
            continue
        if value is None:
            if spec.field in OPTIONAL_PARAMETERS:
                continue
            problems.append(Problem(named.where, f"{spec.label}: Pflichtangabe fehlt"))
            continue
        values[spec.field] = value
    origin = Origin(layout.PARAMETER, cells)
    mine: list[Problem] = []
    built = build_row(Parameters, RawRow(values, origin), mine)
    labels = {cells[p.field]: p.label for p in layout.PARAMETERS if p.field in cells}
    # A parameter's problem names the parameter, not just its cell.
    problems.extend(
        Problem(p.where, f"{labels[p.where]}: {p.message}")
        if p.where in labels and labels[p.where].split()[0] not in p.message
        else p
        for p in mine
    )
    return built


def _is_choice(spec: layout.ParamSpec, value: Any) -> bool:
    if isinstance(value, bool):
        return True
    text = str(value)
    if spec.field == "chosen_model":
        return any(c.split()[0] == text for c in spec.choices)
    return text in spec.choices


def _later_tables(rows: Any, book: BookAdapter) -> dict[str, list[Any]]:
    """Tables added in a later version: an older workbook without them has none."""
    return {
        spec.name: rows(model, spec, {}) if book.table(spec.name) is not None else []
        for model, spec in (
            (QuotaDecision, layout_years.QUOTA),
            (Application, layout_years.APPLICATIONS),
            (HistoryRow, layout_years.HISTORY),
            (CostPosition, layout_years.PREVIOUS_COSTS),
            (RegionShare, layout_years.REGION_SHARES),
            (Consultation, layout_years.CONSULTATIONS),
        )
    }


def _variants(
    rows: Any, book: BookAdapter, indicators: list[str], problems: list[Problem]
) -> list[VariantSetting]:
    """The Varianten table (a later addition), each setting turned from the label a user
    picked into the field it changes; an unknown label is a problem at its cell."""
    if book.table(layout_variants.VARIANTS.name) is None:
        return []
    found = []
    for row in rows(VariantSetting, layout_variants.VARIANTS, {}):
        key = layout_variants.setting_key(row.setting, indicators)
        if key is None:
            allowed = ", ".join(f"„{c}“" for c in layout_variants.choices())
            problems.append(
                Problem(
                    row.origin.at("setting") if row.origin else layout_variants.VARIANTS.sheet,
                    f"unbekannte Einstellung „{row.setting}“ – möglich: {allowed}, "
                    f"„{layout_variants.WEIGHT_SETTING}KÜRZEL“ eines Indikators oder "
                    f"„{layout_variants.BASE_SETTING}“",
                )
            )
            continue
        found.append(row.model_copy(update={"setting": key}))
    return found


def _raise_all(problems: list[Problem], seen: dict[str, list[Any]], parameters: Any) -> NoReturn:
    """Type errors and reference errors in one round: the references of every row that
    was read are checked even where other rows failed their own checks."""
    everything = SimpleNamespace(
        areas=seen.get(layout.AREAS.name, []),
        providers=seen.get(layout.PROVIDERS.name, []),
        indicators=seen.get(layout.INDICATORS.name, []),
        indicator_values=seen.get(layout.INDICATOR_VALUES.name, []),
        category_shares=seen.get(layout.CATEGORY_SHARES.name, []),
        cost_positions=seen.get("costs", []),
        quota_decisions=seen.get(layout_years.QUOTA.name, []),
        applications=seen.get(layout_years.APPLICATIONS.name, []),
        history=seen.get(layout_years.HISTORY.name, []),
        previous_costs=seen.get(layout_years.PREVIOUS_COSTS.name, []),
        region_shares=seen.get(layout_years.REGION_SHARES.name, []),
        consultations=seen.get(layout_years.CONSULTATIONS.name, []),
        parameters=parameters,
    )
    known = {(p.where, p.message) for p in problems}
    more = [p for p in check_references(everything) if (p.where, p.message) not in known]
    raise InputError(problems + more)


def refuse_archive(book: BookAdapter) -> None:
    """The values-only archive of a closed year is never computed again."""
    last = book.named(layout.NAME_LAST_RUN)
    text = str(last.value) if last is not None and last.value is not None else ""
    match = re.match(rf"{layout.ARCHIVE_MARK} (\d{{4}})", text)
    if last is not None and match:
        raise InputError(
            [
                Problem(
                    last.where,
                    f"Diese Mappe ist das Archiv des Haushaltsjahres {match.group(1)} (nur "
                    "Werte) und wird nicht mehr berechnet oder geändert; gearbeitet wird in der "
                    f"Mappe für {int(match.group(1)) + 1}",
                )
            ]
        )


def read_inputs(book: BookAdapter) -> Inputs:
    """Read every input table and parameter; raises InputError with all problems found.

    Type errors and reference errors (unknown SRT, category, Sozialraum …) come in one
    round: when rows fail their own checks, the references of all rows are checked anyway.
    """
    refuse_archive(book)
    problems: list[Problem] = []
    seen: dict[str, list[Any]] = {}

    def rows(model: type[Any], spec: layout.TableSpec, extra: dict[str, Any]) -> list[Any]:
        own_cost_sheet = spec.name.startswith(layout.COST_TABLE_PREFIX)
        kept = seen.setdefault("costs" if own_cost_sheet else spec.name, [])
        return build_rows(model, table_rows(book, spec, problems, extra), problems, kept)

    parameters = read_parameters(book, problems)
    areas = rows(Area, layout.AREAS, {})
    providers = rows(Provider, layout.PROVIDERS, {})
    indicators = rows(Indicator, layout.INDICATORS, {})
    values = rows(IndicatorValue, layout.INDICATOR_VALUES, {})
    shares = rows(CategoryShare, layout.CATEGORY_SHARES, {})
    later = _later_tables(rows, book)
    variants = _variants(rows, book, [i.key for i in indicators], problems)
    if parameters is not None:
        problems += setting_problems((parameters, indicators, areas), variants)
    costs: list[CostPosition] = []
    for provider in providers:
        costs.extend(
            rows(CostPosition, layout.cost_table(provider.key), {"provider": provider.key})
        )
    if problems or parameters is None:
        _raise_all(problems, seen, parameters)
    return Inputs(
        parameters=parameters,
        areas=areas,
        providers=providers,
        indicators=indicators,
        indicator_values=values,
        cost_positions=costs,
        category_shares=shares,
        quota_decisions=later[layout_years.QUOTA.name],
        applications=later[layout_years.APPLICATIONS.name],
        history=later[layout_years.HISTORY.name],
        previous_costs=later[layout_years.PREVIOUS_COSTS.name],
        region_shares=later[layout_years.REGION_SHARES.name],
        consultations=later[layout_years.CONSULTATIONS.name],
        variants=variants,
    )
