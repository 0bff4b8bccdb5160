"""Building blocks of the input models: enums, number types from cells, the row base.

Enum *values* are the German texts users pick from dropdowns in the workbook; member
names are English. Each row model may carry an :class:`~xlsozial.domain.errors.Origin` so that
later checks can point at the right cell; it is excluded from serialisation and hashing.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from xlsozial.domain.errors import Origin
from xlsozial.domain.money import whole_cents


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


class HoldingFunding(str, Enum):
    """Who pays the Besitzstand: the regions' regionales Budget 1 of the same budget, or
    extra money decided on top of the Gesamtbudget (Lüneburg 2026: +203.000 €)."""

    REGIONAL = "aus dem regionalen Budget 1"
    EXTRA = "aus zusätzlichen Mitteln"


class ExtraRest(str, Enum):
    """What happens to extra money the Besitzstand does not need (freed amounts included)."""

    REGIONAL = "ins regionale Budget 1"
    UNPAID = "wird nicht ausgezahlt"


class RegionKey(str, Enum):
    """Verteilschlüssel: how money for (or from) regionales Budget 1 is split over regions."""

    PRO_RATA = "anteilig regionales Budget 1"
    POPULATION = "nach Einwohnern"
    FIXED = "feste Anteile"


# Plausible ranges: far above any real Landkreis, far below where arithmetic would overflow.
MONEY_MAX = 1_000_000_000  # 1 Mrd. € per amount
PEOPLE_MAX = 20_000_000  # inhabitants of one Sozialraum
COUNT_MAX = 1_000_000_000_000  # Zähler, Nenner, direct values
WEIGHT_MAX = 1_000
_GERMAN_NUMBER = re.compile(
    r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?\s*(?P<unit>%|€|EUR)?$", re.IGNORECASE
)


def german_text_number(text: str) -> str | None:
    """'196.000' → '196000', '1.234,56 €' → '1234,56 €', '12,5 %' → '12,5 %': the German
    reading of a text that looks like a number, written as one types it into a number cell
    (no thousands point, so it never repeats what was typed); else None."""
    match = _GERMAN_NUMBER.match(text.strip())
    if not match:
        return None
    body = text.strip()[: match.start("unit")] if match.group("unit") else text.strip()
    shown = body.replace(".", "").strip()
    unit = match.group("unit")
    return f"{shown} {'%' if unit == '%' else '€'}" if unit else shown


def _numeric_input(value: Any) -> Any:
    """Numbers only: text, truth values, dates and non-finite values are never read as one.

    A text such as „196.000“ (German thousands point) would otherwise be read the English way
    (196); the message says which number it probably means, so the user can type it as one.
    """
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):
        return value  # nearly every cell: the checks below are for what is not a number
    if isinstance(value, bool):
        raise PydanticCustomError("number_bool", "ist ein Wahrheitswert (WAHR/FALSCH), keine Zahl")
    if isinstance(value, (datetime, date, time)):
        raise PydanticCustomError("number_date", "ist ein Datum oder eine Uhrzeit, keine Zahl")
    if isinstance(value, str):
        text = value.strip()
        meant = german_text_number(text)
        if meant is not None:
            plain = " (ohne Tausenderpunkt)" if "." in text else ""
            raise PydanticCustomError(
                "number_text",
                "enthält den Text „{text}“ statt einer Zahl; gemeint ist vermutlich {meant}"
                "{plain} – bitte als Zahl eintragen",
                {"text": text, "meant": meant, "plain": plain},
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
        """A decomposed „ü“ or a non-breaking space must not make a second Sozialraum.
        (Inlined, and a copy only where a text changes: it runs for every row read.)"""
        if not isinstance(data, dict):
            return data
        changed: dict[str, Any] | None = None
        for key, value in data.items():
            if isinstance(value, str):
                text = " ".join(unicodedata.normalize("NFC", value).split())
                if text != value:
                    if changed is None:
                        changed = dict(data)
                    changed[key] = text
        return data if changed is None else changed
