"""German words for pydantic's errors, and numbers as messages show them (1.234,5; 150 %).

Validation raises pydantic errors with English texts and type codes; a user reads a German
sentence that says what is wrong with the value in this cell and what is allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from xlsozial.domain.german import flexible


def fmt_number(value: Any) -> str:
    """German number text (1.234,5) for messages."""
    if isinstance(value, PercentText):
        return flexible(float(value) * 100) + " %"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if not math.isfinite(value):
        return "unendlich" if value == value else "keine Zahl"
    if abs(value) >= 1e15:
        mantissa, exponent = f"{value:.3e}".split("e")
        return f"{mantissa.replace('.', ',')} · 10^{int(exponent)}"
    return flexible(value)


PERCENT_FIELDS = {
    "corridor_down",
    "corridor_up",
    "fixed_bound_share",
    "bound_share",
    "sensitivity_spread",
}


def translate(error: Mapping[str, Any]) -> str:
    """German text for one pydantic error dict; shares are shown as percentages."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    given = error.get("input")
    loc = error.get("loc") or ()
    if loc and str(loc[0]) in PERCENT_FIELDS:
        ctx = {k: _percent(v) for k, v in ctx.items()}
        given = _percent(given)
    if isinstance(given, bool):
        shown = f" (eingegeben: {'ja' if given else 'nein'})"
    elif given is None or isinstance(given, (dict, list)):
        shown = ""
    elif isinstance(given, (int, float)) and not isinstance(given, bool):
        shown = f" (eingegeben: {fmt_number(given)})"
    else:
        shown = f" (eingegeben: „{str(given)[:40]}“)"
    simple = {
        "missing": "Pflichtangabe fehlt",
        "float_parsing": f"ist keine Zahl{shown}",
        "float_type": f"ist keine Zahl{shown}",
        "int_parsing": f"ist keine ganze Zahl{shown}",
        "int_type": f"ist keine ganze Zahl{shown}",
        "int_from_float": f"muss eine ganze Zahl sein{shown}",
        "string_type": f"muss ein Text sein{shown}",
        "finite_number": "ist keine endliche Zahl",
        "extra_forbidden": "unbekanntes Feld",
        "bool_parsing": f"ist kein Wahrheitswert{shown}",
        "list_type": "muss eine Liste sein",
        "model_type": "muss ein Objekt sein",
        "dict_type": "muss ein Objekt sein",
    }
    if kind in simple:
        return simple[kind]
    if kind == "greater_than":
        return f"muss größer als {fmt_number(ctx.get('gt'))} sein{shown}"
    if kind == "greater_than_equal":
        return f"darf nicht kleiner als {fmt_number(ctx.get('ge'))} sein{shown}"
    if kind == "less_than":
        return f"muss kleiner als {fmt_number(ctx.get('lt'))} sein{shown}"
    if kind == "less_than_equal":
        return f"darf nicht größer als {fmt_number(ctx.get('le'))} sein{shown}"
    if kind == "string_too_short":
        return "darf nicht leer sein"
    if kind == "string_too_long":
        return f"ist zu lang (höchstens {ctx.get('max_length')} Zeichen)"
    if kind == "string_pattern_mismatch":
        return f"darf nur Buchstaben A–Z, Ziffern und _ enthalten{shown}"
    if kind == "enum":
        expected = str(ctx.get("expected", "")).replace(" or ", " oder ")
        expected = re.sub(r"'([^']*)'", "„\\1“", expected)
        return f"ungültiger Wert{shown}; erlaubt sind: {expected}"
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "ungültiger Wert")))
    return str(error.get("msg", "ungültiger Wert"))


def _percent(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return PercentText(value)
    return value


class PercentText(float):
    """A share that prints as a German percentage in messages (1.5 → 150 %)."""
