"""Which cells Werte einfrieren replaces: formulas that call an SRB_ function.

People without Python (or in LibreOffice) would otherwise see #NAME? where an SRB_ function
stood. The user's own formulas are never touched (see :mod:`xlsozial.commands.freezing`).
"""

from __future__ import annotations

import re
from typing import Any

UDF_CALL = re.compile(r"\bSRB_[A-Z_]+\s*\(", re.IGNORECASE)


def formula_text(value: Any) -> str | None:
    """The formula of a cell value (a plain "=…" string or openpyxl's ArrayFormula)."""
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text if text.startswith("=") else "=" + text
    if isinstance(value, str) and value.startswith("="):
        return value
    return None


def is_udf_formula(value: Any) -> bool:
    text = formula_text(value)
    return bool(text and UDF_CALL.search(text))
