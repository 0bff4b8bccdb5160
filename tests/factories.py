"""Small hand-made inputs for the tests: three or four Sozialräume, easy numbers."""

from __future__ import annotations

from typing import Any

from xlsozial.domain.models import (
    Area,
    CategoryShare,
    CostPosition,
    Indicator,
    IndicatorValue,
    Inputs,
    Parameters,
    Provider,
)


def area(name: str, pop: int, previous: float, **kw: Any) -> Area:
    values: dict[str, Any] = {
        "name": name,
        "region": kw.pop("region", "Region A"),
        "provider": kw.pop("provider", "SRT1"),
        "population_total": pop,
        "population_u18": pop,
        "population_u21": pop,
        "population_u27": pop,
        "previous_budget": previous,
    }
    values.update(kw)
    return Area(**values)


def rate_values(key: str, year: int, rows: dict[str, tuple[float, float]]) -> list[IndicatorValue]:
    return [
        IndicatorValue(area=a, indicator=key, year=year, numerator=n, denominator=d)
        for a, (n, d) in rows.items()
    ]


def simple_inputs(**params: Any) -> Inputs:
    """Three Sozialräume, one rate indicator; Nord is twice as burdened as the district."""
    areas = [
        area("Nord", 1000, 100_000.0, provider="SRT1", region="Region A"),
        area("Mitte", 2000, 200_000.0, provider="SRT1", region="Region A"),
        area("Süd", 1000, 100_000.0, provider="SRT2", region="Region B"),
    ]
    # Pooled district rate: (40 + 40 + 20) / 4000 = 0.025
    values = rate_values("HZE", 2024, {"Nord": (40, 1000), "Mitte": (40, 2000), "Süd": (20, 1000)})
    base: dict[str, Any] = {"total_budget": 400_000.0, "rounding_unit": 1.0}
    base.update(params)
    return Inputs(
        parameters=Parameters(**base),
        areas=areas,
        providers=[
            Provider(key="SRT1", name="Träger Eins"),
            Provider(key="SRT2", name="Träger Zwei"),
        ],
        indicators=[Indicator(key="HZE", label="Hilfen zur Erziehung", weight=1.0)],
        indicator_values=values,
        cost_positions=[
            CostPosition(provider="SRT1", category="Betriebskosten", amount=60_000.0),
            CostPosition(provider="SRT1", category="Netzwerktätigkeit", amount=20_000.0),
            CostPosition(provider="SRT2", category="Angebote und Projekte", amount=20_000.0),
        ],
        category_shares=[
            CategoryShare(category="Betriebskosten", bound_share=1.0),
            CategoryShare(category="Netzwerktätigkeit", bound_share=0.5),
            CategoryShare(category="Angebote und Projekte", bound_share=0.0),
        ],
    )


def replace(inputs: Inputs, **changes: Any) -> Inputs:
    return inputs.model_copy(update=changes)


def with_params(inputs: Inputs, **params: Any) -> Inputs:
    data = inputs.parameters.model_dump()
    data.update(params)
    return replace(inputs, parameters=Parameters(**data))
