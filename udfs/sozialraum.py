"""Worksheet functions (UDFs) for Excel, thin wrappers over the xlsozial core.

In Excel they return dynamic arrays (one value per row). Excel-facing names carry the
prefix SRB_ (Sozialraumbudget) so they never clash with built-in functions such as RUNDEN.
On Linux xlwings' decorators are no-ops, so the tests call these functions directly.
Problems are returned as a German text in the cell instead of a Python traceback.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import xlwings as xw

from xlsozial.core.apportion import InfeasibleError, apportion, exact
from xlsozial.core.burden import (
    IndicatorData,
    IndicatorIssues,
    burden_factor,
    quota,
    relative_values,
)
from xlsozial.core.financing import CorridorInfeasible, ModelInputs, allocate
from xlsozial.domain.errors import InputError
from xlsozial.domain.models import Aggregation, Direction, Indicator, ModelKey, Normalisation
from xlsozial.domain.money import cents, whole_cents
from xlsozial.evaluation.compute import indicator_problems

__all__ = ["SRB_BELASTUNGSFAKTOR", "SRB_QUOTE", "SRB_RUNDEN", "SRB_VERTEILUNG"]

F = TypeVar("F", bound=Callable[..., Any])
INFEASIBLE = "die Beträge lassen sich mit diesen Grenzen in ganzen Einheiten nicht verteilen"
Column = list[list[Any]]


def _german_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            return [[f"Fehler: {p.message}"] for p in exc.problems[:1]]
        except IndicatorIssues as exc:
            return [[f"Fehler: {p.message}"] for p in indicator_problems(exc)[:1]]
        except InfeasibleError:  # the core's reason is for developers; this is for the cell
            return [[f"Fehler: {INFEASIBLE}"]]
        except (ValueError, TypeError, KeyError) as exc:
            return [[f"Fehler: {exc}"]]

    return wrapper  # type: ignore[return-value]


def _empty(value: Any) -> bool:
    """An empty cell: None or "" as a list, NaN through xlwings' numpy converter."""
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _vector(values: Any, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=object).reshape(-1)
    if any(_empty(v) for v in arr):
        raise ValueError(f"„{name}“ enthält leere Zellen")
    try:
        return np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"„{name}“ enthält Text statt Zahlen") from exc


def _column(values: Sequence[Any]) -> Column:
    return [[v] for v in values]


def _keys(names: Any, n: int) -> list[str]:
    if names is None:
        return [f"{i:06d}" for i in range(n)]
    keys = [str(v) for v in np.asarray(names, dtype=object).reshape(-1)]
    if len(keys) != n:
        raise ValueError("„namen“ hat nicht so viele Zeilen wie die Werte")
    return keys


def _units(amount: float, unit: float) -> tuple[int, int]:
    unit_cents = cents(unit)
    if unit_cents <= 0:
        raise ValueError("Einheit muss größer als 0 sein")
    total = cents(amount)
    if not whole_cents(amount):
        raise ValueError("Betrag hat mehr als zwei Nachkommastellen")
    if total % unit_cents:
        raise ValueError("Betrag ist kein Vielfaches der Einheit")
    return total // unit_cents, unit_cents


@xw.func
@xw.arg("raten", np.array, ndim=2)
@xw.arg("kreiswerte", np.array, ndim=1)
@xw.arg("gewichte", np.array, ndim=1)
@xw.arg("richtungen", ndim=1)
@_german_errors
def SRB_BELASTUNGSFAKTOR(
    raten: Any,
    kreiswerte: Any,
    gewichte: Any,
    richtungen: Any,
    normierung: str = "Verhältnis zum Kreiswert",
    aggregation: str = "arithmetisch",
    daempfung: float = 1.0,
) -> Column:
    """Durchschnittlicher Belastungsfaktor je Zeile (Sozialraum × Indikator-Raten)."""
    if any(_empty(v) for v in np.asarray(raten, dtype=object).reshape(-1)):
        raise ValueError("„raten“ enthält leere Zellen")
    rates = np.asarray(raten, dtype=np.float64)
    if rates.ndim == 1:
        rates = rates.reshape(-1, 1)
    district = _vector(kreiswerte, "kreiswerte")
    weights = _vector(gewichte, "gewichte")
    directions = [str(d) for d in np.asarray(richtungen, dtype=object).reshape(-1)]
    if not (rates.shape[1] == len(district) == len(weights) == len(directions)):
        raise ValueError("Raten, Kreiswerte, Gewichte und Richtungen passen nicht zusammen")
    indicators = [
        Indicator(key=f"I{k + 1}", label=f"Indikator {k + 1}", weight=w, direction=Direction(d))
        for k, (w, d) in enumerate(zip(weights, directions))
    ]
    data = IndicatorData(indicators, rates, district, years={}, skipped=[])
    relative = relative_values(data, Normalisation(normierung))
    factor = burden_factor(relative, weights, Aggregation(aggregation), float(daempfung))
    return _column(factor.tolist())


@xw.func
@xw.arg("einwohner", np.array, ndim=1)
@xw.arg("faktoren", np.array, ndim=1)
@_german_errors
def SRB_QUOTE(einwohner: Any, faktoren: Any) -> Column:
    """Gesamtbudgetverteilungsquote: Einwohner × Faktor, auf 100 % normiert."""
    pop = _vector(einwohner, "einwohner")
    factor = _vector(faktoren, "faktoren")
    if len(pop) != len(factor):
        raise ValueError("Einwohner und Faktoren haben unterschiedlich viele Zeilen")
    if (pop * factor).sum() <= 0:
        raise ValueError("Summe aus Einwohner × Faktor ist 0")
    return _column(quota(pop, factor).tolist())


@xw.func
@xw.arg("einwohner", np.array, ndim=1)
@xw.arg("faktoren", np.array, ndim=1)
@_german_errors
def SRB_VERTEILUNG(
    modell: str,
    budget: float,
    einwohner: Any,
    faktoren: Any,
    vorjahr: Any = None,
    sockel: Any = None,
    korridor_unten: float = 0.05,
    korridor_oben: float = 0.05,
    einheit: float = 1.0,
    namen: Any = None,
) -> Column:
    """Verteilung des Budgets nach Modell M1–M4 (Größte-Reste-Verfahren), in €."""
    try:
        model = ModelKey.from_text(modell)
    except ValueError:
        raise ValueError("Modell muss M1, M2, M3 oder M4 sein") from None
    units, unit_cents = _units(float(budget), float(einheit))
    pop = [exact(x) for x in _vector(einwohner, "einwohner").tolist()]
    keys = _keys(namen, len(pop))
    weighted: list[Any] = []
    if model is not ModelKey.M1:
        factors = [exact(x) for x in _vector(faktoren, "faktoren").tolist()]
        if len(factors) != len(pop):
            raise ValueError("Einwohner und Faktoren haben unterschiedlich viele Zeilen")
        weighted = [p * f for p, f in zip(pop, factors)]
    base = (
        [exact(x) * 100 / unit_cents for x in _vector(sockel, "sockel").tolist()]
        if model is ModelKey.M3
        else []
    )
    if sum(base) > units:
        raise ValueError("Summe der Sockel ist größer als das Budget")
    previous = (
        [cents(x) for x in _vector(vorjahr, "vorjahr").tolist()] if model is ModelKey.M4 else []
    )
    inputs = ModelInputs(
        units, keys, pop, weighted, base, previous, korridor_unten, korridor_oben, unit_cents
    )
    try:
        result = allocate(model, inputs)
    except CorridorInfeasible:
        raise ValueError(
            "Der Korridor lässt sich mit dieser Rundungseinheit nicht einhalten"
        ) from None
    return _column([u * unit_cents / 100 for u in result])


@xw.func
@xw.arg("gewichte", np.array, ndim=1)
@_german_errors
def SRB_RUNDEN(gesamt: float, gewichte: Any, einheit: float = 0.01, namen: Any = None) -> Column:
    """Betrag nach dem Größte-Reste-Verfahren auf Zeilen verteilen; Summe stimmt exakt."""
    units, unit_cents = _units(float(gesamt), float(einheit))
    weights = _vector(gewichte, "gewichte").tolist()
    result = apportion(units, weights, _keys(namen, len(weights)))
    return _column([u * unit_cents / 100 for u in result])
