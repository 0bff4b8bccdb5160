"""The Varianten sheet's contract: which settings a variant may change, and its table."""

from __future__ import annotations

from xlsozial.book.layout import Column, TableSpec
from xlsozial.book.layout_parameters import PARAMETERS
from xlsozial.domain.german import flexible, percent
from xlsozial.domain.models import VariantSetting

# Varianten: other settings of the same inputs, computed side by side ------------------
VARIANT_FIELDS = (
    "total_budget",
    "age_group",
    "normalisation",
    "aggregation",
    "years_average",
    "damping",
    "factor_min",
    "factor_max",
    "chosen_model",
    "corridor_down",
    "corridor_up",
    "base_level",
    "rounding_unit",
    "split_method",
    "fixed_bound_share",
    "transition_years",
)
WEIGHT_SETTING = "Gewicht "  # + an indicator's Kürzel
BASE_SETTING = "Sockel (€) je Sozialraum"

VARIANTS = TableSpec(
    name="tblVarianten",
    sheet="Varianten",
    title="Varianten: was wäre, wenn …",
    help="Je Zeile eine Einstellung einer Variante; mehrere Zeilen mit demselben Namen bilden "
    "eine Variante. Einstellung: die Bezeichnung eines Parameters (wie auf Blatt Parameter), "
    "„Gewicht KÜRZEL“ eines Indikators oder „Sockel (€) je Sozialraum“; Prozente mit % "
    "(10 %) oder als Anteil (0,1). Berechnen rechnet jede Variante mit denselben Daten und "
    "zeigt sie auf Blatt Variantenvergleich.",
    columns=(
        Column("Variante", "variant", width=22),
        Column("Beschreibung", "description", width=62, required=False),
        Column("Einstellung", "setting", width=32),
        Column("Wert", "value", "number", 16, required=False),
    ),
)


def setting_key(label: str, indicators: list[str]) -> str | None:
    """The model field a label names (a Parameter label or defined name, „Gewicht KÜRZEL“,
    the Sockel), or None: ``weight:KEY`` for a weight, ``base_amount`` for the Sockel."""
    text = " ".join(label.split()).casefold()
    if text.startswith(WEIGHT_SETTING.strip().casefold() + " "):
        key = text[len(WEIGHT_SETTING) :].strip()
        match = next((k for k in indicators if k.casefold() == key), None)
        return f"weight:{match}" if match else None
    if text == BASE_SETTING.casefold():
        return "base_amount"
    for spec in PARAMETERS:
        if spec.field in VARIANT_FIELDS and text in (spec.label.casefold(), spec.name.casefold()):
            return spec.field
    return None


def setting_label(key: str) -> str:
    """The label a user reads for a setting key (the inverse of :func:`setting_key`)."""
    if key.startswith("weight:"):
        return WEIGHT_SETTING + key.split(":", 1)[1]
    if key == "base_amount":
        return BASE_SETTING
    return next((s.label for s in PARAMETERS if s.field == key), key)


def choices() -> list[str]:
    """The parameter labels a variant may change, for the message and the sheet's help."""
    return [s.label for s in PARAMETERS if s.field in VARIANT_FIELDS]


def describe(key: str, value: float | str | None) -> str:
    """„Korridor M4 nach unten = 10 %“: a setting as the Variantenvergleich names it."""
    spec = next((s for s in PARAMETERS if s.field == key), None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = percent(value) if spec is not None and spec.kind == "percent" else flexible(value)
    else:
        shown = "leer" if value is None else str(value)
    return f"{setting_label(key)} = {shown}"


def shown(row: VariantSetting) -> VariantSetting:
    """A variant's setting as the sheet shows it: the label a user picks, not the field."""
    return row.model_copy(update={"setting": setting_label(row.setting)})
