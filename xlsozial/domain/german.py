"""German number and money text (1.234,56 €) and the verdict words, for every output."""

from __future__ import annotations

from fractions import Fraction


def _swap(text: str) -> str:
    """'1,234.5' → '1.234,5': English separators to German ones."""
    return text.replace(",", "§").replace(".", ",").replace("§", ".")


def number(value: float, decimals: int = 0) -> str:
    """With thousands separators: 1234.5 → '1.234,5' (decimals=1)."""
    return _swap(f"{value:,.{decimals}f}")


def money(cents: int, decimals: int = 2) -> str:
    """1234567 cents → '12.345,67 €' (or '12.346 €' with decimals=0)."""
    return f"{number(cents / 100, decimals)} €"


def year_count(count: int) -> str:
    """„1 Jahr“, „4 Jahre“."""
    return f"{count} Jahr" if count == 1 else f"{count} Jahre"


def flexible(value: float) -> str:
    """Up to six decimals, trailing zeros dropped: for numbers quoted in messages."""
    return _swap(f"{value:,.6f}".rstrip("0").rstrip("."))


def percent(value: float | Fraction) -> str:
    """0.125 → '12,5 %' (up to four decimals of the percentage, zeros dropped)."""
    return _swap(f"{float(value) * 100:,.4f}".rstrip("0").rstrip(".")) + " %"


def change_ratio(new: int, old: int) -> float | None:
    """Relative change against the previous year; None when there was nothing before."""
    return (new - old) / old if old else None


def verdict(delta: int) -> str:
    return "Gewinner" if delta > 0 else "Verlierer" if delta < 0 else "unverändert"
