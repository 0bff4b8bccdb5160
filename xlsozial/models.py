"""Validated inputs of the computation (pydantic).

Enum *values* are the German texts users pick from dropdowns in the workbook; member
names are English. Each row model may carry an :class:`~xlsozial.errors.Origin` so that
later checks can point at the right cell; it is excluded from serialisation and hashing.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from xlsozial.errors import Origin
from xlsozial.money import whole_cents


class AgeGroup(str, Enum):
    TOTAL = "gesamt"
    U18 = "0 bis unter 18"
    U21 = "0 bis unter 21"
    U27 = "0 bis unter 27"


class Normalisation(str, Enum):
    RATIO = "Verhältnis zum Kreiswert"
    ZSCORE = "z-Wert"
    MINMAX = "Min-Max"
    RANK = "Rang"


class Aggregation(str, Enum):
    ARITHMETIC = "arithmetisch"
    GEOMETRIC = "geometrisch"


class Direction(str, Enum):
    """Whether a higher indicator value means more burden (belastend) or less."""

    BURDEN = "belastend"
    RELIEF = "entlastend"


class ModelKey(str, Enum):
    M1 = "M1"
    M2 = "M2"
    M3 = "M3"
    M4 = "M4"

    @classmethod
    def from_text(cls, text: object) -> ModelKey:
        """ "M2", "m2" or the dropdown's "M2 Belastungsquote"; ValueError otherwise."""
        words = str(text).split()
        return cls(words[0].upper() if words else "")


MODEL_LABELS: dict[ModelKey, str] = {
    ModelKey.M1: "M1 Einwohner",
    ModelKey.M2: "M2 Belastungsquote",
    ModelKey.M3: "M3 Sockel + Quote",
    ModelKey.M4: "M4 Bestand mit Korridor",
}


class BaseLevel(str, Enum):
    """Whether the Sockel (M3) is given per Sozialraum or per SRT."""

    AREA = "Sozialraum"
    PROVIDER = "SRT"


class SplitMethod(str, Enum):
    """How the total budget is split into gebunden / regionales Budget 1."""

    UNIFORM = "einheitlich"
    PER_PROVIDER = "je SRT"
    FIXED = "fester Anteil"


# Plausible ranges: far above any real Landkreis, far below where arithmetic would overflow.
MONEY_MAX = 1_000_000_000  # 1 Mrd. € per amount
PEOPLE_MAX = 20_000_000  # inhabitants of one Sozialraum
COUNT_MAX = 1_000_000_000_000  # Zähler, Nenner, direct values
WEIGHT_MAX = 1_000
_GERMAN_NUMBER = re.compile(
    r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?\s*(?P<unit>%|€|EUR)?$", re.IGNORECASE
)


def german_text_number(text: str) -> str | None:
    """'196.000' → '196.000', '1.234,56 €' → '1.234,56 €', '12,5 %' → '12,5 %': the German
    reading of a text that looks like a number, written back as a German number; else None."""
    match = _GERMAN_NUMBER.match(text.strip())
    if not match:
        return None
    body = text.strip()[: match.start("unit")] if match.group("unit") else text.strip()
    value = float(body.replace(".", "").replace(",", ".").strip())
    decimals = len(body.split(",")[1].strip()) if "," in body else 0
    shown = f"{value:,.{decimals}f}".replace(",", "§").replace(".", ",").replace("§", ".")
    unit = match.group("unit")
    return f"{shown} {'%' if unit == '%' else '€'}" if unit else shown


def _numeric_input(value: Any) -> Any:
    """Numbers only: text, truth values, dates and non-finite values are never read as one.

    A text such as „196.000“ (German thousands point) would otherwise be read the English way
    (196); the message says which number it probably means, so the user can type it as one.
    """
    if isinstance(value, bool):
        raise PydanticCustomError("number_bool", "ist ein Wahrheitswert (WAHR/FALSCH), keine Zahl")
    if isinstance(value, (datetime, date, time)):
        raise PydanticCustomError("number_date", "ist ein Datum oder eine Uhrzeit, keine Zahl")
    if isinstance(value, str):
        text = value.strip()
        meant = german_text_number(text)
        if meant is not None:
            raise PydanticCustomError(
                "number_text",
                "enthält den Text „{text}“ statt einer Zahl; gemeint ist vermutlich {meant} – "
                "bitte als Zahl eintragen",
                {"text": text, "meant": meant},
            )
        if re.fullmatch(r"[+-]?\d+\.\d+", text):
            raise PydanticCustomError(
                "number_text",
                "enthält den Text „{text}“ statt einer Zahl; das Dezimalzeichen ist das Komma "
                "(z. B. {meant}) – bitte als Zahl eintragen",
                {"text": text, "meant": text.replace(".", ",")},
            )
        raise PydanticCustomError("number_text", "„{text}“ ist keine Zahl", {"text": text[:40]})
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("number_finite", "ist keine endliche Zahl")
    return value


Number = Annotated[float, BeforeValidator(_numeric_input)]
Whole = Annotated[int, BeforeValidator(_numeric_input)]
Money = Annotated[float, BeforeValidator(_numeric_input), Field(ge=0, le=MONEY_MAX)]


def normal_text(text: str) -> str:
    """One spelling per name: Unicode NFC, trimmed, runs of white space as one blank."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _cents_exact(value: float) -> float:
    if not math.isfinite(value):
        raise PydanticCustomError("money", "ist keine endliche Zahl")
    if not whole_cents(value):
        raise PydanticCustomError("money", "Betrag hat mehr als zwei Nachkommastellen")
    return value


class Row(BaseModel):
    """Base of all input rows: strict about unknown fields, remembers its origin."""

    model_config = ConfigDict(
        extra="forbid",
        arbitrary_types_allowed=True,
        frozen=True,
        str_strip_whitespace=True,
        allow_inf_nan=False,
    )
    origin: Origin | None = Field(default=None, exclude=True, repr=False)

    @model_validator(mode="before")
    @classmethod
    def _normal_texts(cls, data: Any) -> Any:
        """A decomposed „ü“ or a non-breaking space must not make a second Sozialraum."""
        if isinstance(data, dict):
            return {k: normal_text(v) if isinstance(v, str) else v for k, v in data.items()}
        return data


class Parameters(Row):
    total_budget: Number = Field(gt=0, le=MONEY_MAX)
    age_group: AgeGroup = AgeGroup.U21
    normalisation: Normalisation = Normalisation.RATIO
    aggregation: Aggregation = Aggregation.ARITHMETIC
    damping: Number = Field(default=1.0, ge=0, le=1)
    factor_min: Number | None = Field(default=None, gt=0, le=100)
    factor_max: Number | None = Field(default=None, gt=0, le=100)
    years_average: Whole = Field(default=1, ge=1, le=10)
    base_level: BaseLevel = BaseLevel.AREA
    corridor_down: Number = Field(default=0.05, ge=0, le=1)
    corridor_up: Number = Field(default=0.05, ge=0, le=10)
    rounding_unit: Number = Field(default=1.0, gt=0, le=1_000_000)
    chosen_model: ModelKey = ModelKey.M2
    split_method: SplitMethod = SplitMethod.UNIFORM
    fixed_bound_share: Number | None = Field(default=None, ge=0, le=1)
    transition_years: Whole = Field(default=4, ge=0, le=20)
    first_year: Whole = Field(default=2027, ge=2000, le=2100)
    sensitivity_draws: Whole = Field(default=1000, ge=0, le=100_000)
    sensitivity_spread: Number = Field(default=0.25, ge=0, le=0.9)
    sensitivity_vary_normalisation: bool = False
    sensitivity_seed: Whole = Field(default=2026, ge=0, le=2**32 - 1)
    contact: str = Field(default="", max_length=300)
    authority: str = Field(default="", max_length=200)
    paper_number: str = Field(default="", max_length=60)
    committee: str = Field(default="Jugendhilfeausschuss", max_length=120)
    meeting_date: str = Field(default="", max_length=60)

    _money = field_validator("total_budget", "rounding_unit")(_cents_exact)

    @model_validator(mode="after")
    def _consistent(self) -> Parameters:
        if (
            self.factor_min is not None
            and self.factor_max is not None
            and self.factor_min > self.factor_max
        ):
            raise PydanticCustomError(
                "bounds",
                "Untergrenze des Belastungsfaktors ist größer als die Obergrenze",
                {"field": "factor_min"},
            )
        if self.split_method is SplitMethod.FIXED and self.fixed_bound_share is None:
            raise PydanticCustomError(
                "fixed_share",
                "Für „fester Anteil“ fehlt der Anteil gebunden",
                {"field": "fixed_bound_share"},
            )
        return self


class Area(Row):
    """A Sozialraum: served by one SRT, belonging to one region."""

    name: str = Field(min_length=1)
    region: str = Field(min_length=1)
    provider: str = Field(min_length=1)
    population_total: Whole = Field(ge=0, le=PEOPLE_MAX)
    population_u18: Whole = Field(ge=0, le=PEOPLE_MAX)
    population_u21: Whole = Field(ge=0, le=PEOPLE_MAX)
    population_u27: Whole = Field(ge=0, le=PEOPLE_MAX)
    previous_budget: Number = Field(gt=0, le=MONEY_MAX)
    base_amount: Number | None = Field(default=None, ge=0, le=MONEY_MAX)

    _money = field_validator("previous_budget")(_cents_exact)

    @field_validator("base_amount")
    @classmethod
    def _base_cents(cls, value: float | None) -> float | None:
        return None if value is None else _cents_exact(value)

    @model_validator(mode="after")
    def _nested_ages(self) -> Area:
        if not (
            self.population_u18
            <= self.population_u21
            <= self.population_u27
            <= self.population_total
        ):
            raise PydanticCustomError(
                "ages",
                "Altersgruppen passen nicht zusammen (es muss gelten: "
                "unter 18 ≤ unter 21 ≤ unter 27 ≤ gesamt)",
            )
        return self

    def population(self, group: AgeGroup) -> int:
        return {
            AgeGroup.TOTAL: self.population_total,
            AgeGroup.U18: self.population_u18,
            AgeGroup.U21: self.population_u21,
            AgeGroup.U27: self.population_u27,
        }[group]


class Provider(Row):
    """A Sozialraumträger (SRT); ``key`` also names its cost sheet."""

    key: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_]+$")
    name: str = Field(min_length=1)
    base_amount: Number | None = Field(default=None, ge=0, le=MONEY_MAX)
    bound_share: Number | None = Field(default=None, ge=0, le=1)

    @field_validator("base_amount")
    @classmethod
    def _base_cents(cls, value: float | None) -> float | None:
        return None if value is None else _cents_exact(value)


class Indicator(Row):
    key: str = Field(min_length=1)
    label: str = Field(min_length=1)
    weight: Number = Field(ge=0, le=WEIGHT_MAX)
    direction: Direction = Direction.BURDEN
    data_year: Whole | None = Field(default=None, ge=1990, le=2100)
    source: str = ""


class IndicatorValue(Row):
    """One observation: a rate given as Zähler/Nenner, or a value given directly."""

    area: str = Field(min_length=1)
    indicator: str = Field(min_length=1)
    year: Whole = Field(ge=1990, le=2100)
    numerator: Number | None = Field(default=None, ge=0, le=COUNT_MAX)
    denominator: Number | None = Field(default=None, gt=0, le=COUNT_MAX)
    value: Number | None = Field(default=None, ge=0, le=COUNT_MAX)

    @model_validator(mode="after")
    def _one_form(self) -> IndicatorValue:
        rate = self.numerator is not None or self.denominator is not None
        if rate and self.value is not None:
            raise PydanticCustomError(
                "form", "entweder Zähler und Nenner oder einen Wert angeben, nicht beides"
            )
        if rate and (self.numerator is None or self.denominator is None):
            raise PydanticCustomError("form", "Zähler und Nenner müssen beide angegeben sein")
        if not rate and self.value is None:
            raise PydanticCustomError("form", "weder Zähler/Nenner noch Wert angegeben")
        return self

    @property
    def is_rate(self) -> bool:
        return self.value is None


class CostPosition(Row):
    """A line of an SRT's cost breakdown of its past budget use."""

    provider: str = Field(min_length=1)
    category: str = Field(min_length=1)
    position: str = ""
    amount: Money
    area: str | None = None
    note: str | None = None

    _money = field_validator("amount")(_cents_exact)


class CategoryShare(Row):
    """Which share of a cost category counts as gebundenes Budget (rest: regional 1)."""

    category: str = Field(min_length=1)
    bound_share: Number = Field(ge=0, le=1)


class Inputs(BaseModel):
    """Everything the core needs; nothing here knows about Excel."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parameters: Parameters
    areas: list[Area]
    providers: list[Provider]
    indicators: list[Indicator]
    indicator_values: list[IndicatorValue]
    cost_positions: list[CostPosition] = []
    category_shares: list[CategoryShare]

    def canonical_lines(self) -> Iterator[str]:
        """Order-independent text of the inputs, row by row, for the Protokoll hash.

        Rows are serialised one at a time and sorted as short strings, so hashing a large
        workbook does not hold a second copy of all inputs as dicts.
        """
        yield _json(self.parameters.model_dump(mode="json"))
        for name in (
            "areas",
            "providers",
            "indicators",
            "indicator_values",
            "cost_positions",
            "category_shares",
        ):
            rows: list[Row] = getattr(self, name)
            yield name
            yield from sorted(_json(r.model_dump(mode="json")) for r in rows)


def _json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
