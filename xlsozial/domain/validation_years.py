"""Checks of the multi-year tables: the decided quota and the applications."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from xlsozial.domain.errors import Problem, where
from xlsozial.domain.german import percent
from xlsozial.domain.models_years import relevant_decision
from xlsozial.domain.money import exact

QUOTA_TABLE = "Quote"


def _get(row: Any, name: str) -> Any:
    return getattr(row, name, None)


def year_problems(inputs: Any, area_names: set[Any]) -> list[Problem]:
    """Every check of the multi-year tables, robust against rows that failed their own."""
    regions = {_get(a, "region") for a in inputs.areas} - {None}
    par = getattr(inputs, "parameters", None)
    year = _get(par, "first_year")
    decisions = getattr(inputs, "quota_decisions", [])
    if isinstance(year, int) and all(isinstance(_get(r, "valid_from"), int) for r in decisions):
        decisions = relevant_decision(decisions, year)
    return [
        *quota_problems(decisions, area_names),
        *application_problems(getattr(inputs, "applications", []), regions),
        *holding_problems(inputs.areas),
        *history_problems(getattr(inputs, "history", [])),
        *region_share_problems(
            getattr(inputs, "region_shares", []), regions, _get(par, "region_key")
        ),
    ]


def quota_problems(decisions: Any, area_names: set[Any]) -> list[Problem]:
    """The decision that holds for the budget year: every Sozialraum exactly once, summing
    to 100 %. Decisions of other periods are history and not checked here."""
    if not decisions:
        return []
    problems = []
    seen: dict[Any, Any] = {}
    for row in decisions:
        area = _get(row, "area")
        if area is None:
            continue
        if area not in area_names:
            problems.append(Problem(where(row.origin, "area"), f"unbekannter Sozialraum „{area}“"))
        elif area in seen:
            problems.append(
                Problem(where(row.origin, "area"), f"„{area}“ steht zweimal in der Quote")
            )
        seen[area] = row
    missing = sorted(str(a) for a in area_names - set(seen))
    if missing:
        problems.append(
            Problem(
                QUOTA_TABLE,
                "Die festgeschriebene Quote fehlt für "
                + ", ".join(missing[:8])
                + (f" und {len(missing) - 8} weiteren" if len(missing) > 8 else "")
                + " – bitte „Quote festschreiben“ erneut ausführen",
            )
        )
    periods = {(_get(r, "decision"), _get(r, "valid_from"), _get(r, "valid_to")) for r in decisions}
    if len(periods) > 1:
        problems.append(
            Problem(QUOTA_TABLE, "Die Zeilen der Quote gehören zu verschiedenen Beschlüssen")
        )
    quotas = [_get(r, "quota") for r in decisions]
    if all(isinstance(q, int | float) for q in quotas):
        total = sum((exact(q) for q in quotas), Fraction(0))
        if max(total - 1, 1 - total) > Fraction(1, 10**9):
            text = f"Die festgeschriebene Quote ergibt {percent(total)} statt 100 %"
            problems.append(Problem(QUOTA_TABLE, text))
    return problems


def application_problems(applications: Any, regions: set[Any]) -> list[Problem]:
    problems = []
    known = ", ".join(sorted(str(r) for r in regions)) or "keine"
    for row in applications:
        region = _get(row, "region")
        if region is not None and region not in regions:
            problems.append(
                Problem(
                    where(row.origin, "region"), f"unbekannte Region „{region}“; möglich: {known}"
                )
            )
    return problems


def holding_problems(areas: Any) -> list[Problem]:
    """The Besitzstand is the basis of the whole transition: for every Sozialraum or none,
    and not 0 for all (no Sozialraum can lose against nothing)."""
    given = [a for a in areas if _get(a, "holding") is not None]
    if given and len(given) == len(areas) and not any(_get(a, "holding") for a in given):
        return [
            Problem(
                where(a.origin, "holding"),
                f"Besitzstand von „{_get(a, 'name')}“ ist 0 €, wie bei allen Sozialräumen: "
                "gegenüber 0 € verliert niemand; bitte den Besitzstand eintragen, den der "
                "Jahreswechsel festhielt, oder die Spalte für alle leeren (kein Übergang)",
            )
            for a in given
        ]
    if not given or len(given) == len(areas):
        return []
    return [
        Problem(
            where(a.origin, "holding"),
            f"Besitzstand fehlt für „{_get(a, 'name')}“; er gilt für alle Sozialräume oder für "
            "keinen (der Jahreswechsel trägt ihn ein)",
        )
        for a in areas
        if _get(a, "holding") is None
    ]


def history_problems(history: Any) -> list[Problem]:
    """One row per year and Sozialraum in the Historie."""
    seen: set[tuple[Any, Any]] = set()
    problems = []
    for row in history:
        key = (_get(row, "year"), _get(row, "area"))
        if None in key:
            continue
        if key in seen:
            problems.append(
                Problem(
                    where(row.origin, "year"),
                    f"Historie: {key[1]} steht für {key[0]} mehr als einmal",
                )
            )
        seen.add(key)
    return problems


SHARES_TABLE = "Verteilschlüssel"


def region_share_problems(shares: Any, regions: set[Any], key: Any) -> list[Problem]:
    """Fixed shares of the Verteilschlüssel: each region once, known, summing to 100 %.
    Only checked when the key „feste Anteile“ is chosen (otherwise the table is unused)."""
    if getattr(key, "name", None) != "FIXED":
        return []
    problems = []
    seen: set[Any] = set()
    for row in shares:
        region = _get(row, "region")
        if region is None:
            continue
        if region not in regions:
            known = ", ".join(sorted(str(r) for r in regions))
            problems.append(
                Problem(
                    where(row.origin, "region"), f"unbekannte Region „{region}“; möglich: {known}"
                )
            )
        elif region in seen:
            problems.append(
                Problem(where(row.origin, "region"), f"„{region}“ steht zweimal im Schlüssel")
            )
        seen.add(region)
    missing = sorted(str(r) for r in regions - seen)
    if missing:
        problems.append(
            Problem(
                SHARES_TABLE,
                "Verteilschlüssel „feste Anteile“: Anteil fehlt für " + ", ".join(missing),
            )
        )
    values = [_get(r, "share") for r in shares]
    if all(isinstance(v, int | float) for v in values):
        total = sum((exact(v) for v in values), Fraction(0))
        if max(total - 1, 1 - total) > Fraction(1, 10**9):
            problems.append(
                Problem(
                    SHARES_TABLE,
                    f"Verteilschlüssel „feste Anteile“ ergibt {percent(total)} statt 100 %",
                )
            )
    return problems
