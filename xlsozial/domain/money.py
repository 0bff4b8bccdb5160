"""Money has one home: euros as typed in a cell, integer cents from then on.

Input models hold euros as the number a user typed (validated to at most two decimals);
the core, the results and every writer work in integer cents; a rounding unit is a whole
number of cents. These functions are the only conversions between the two.
"""

from __future__ import annotations

import math
from fractions import Fraction
from numbers import Rational
from typing import Any

EXCEL_DIGITS = 15  # Excel keeps 15 significant digits: what a cell holds as a number


def exact(value: Any) -> Fraction:
    """The exact rational value of a number: ints and Fractions as they are, floats by the
    shortest decimal that prints as them (what a user typed), never by their binary noise."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise TypeError("a truth value is not a number")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("non-finite number")
    if number.is_integer():
        return Fraction(int(number))
    return Fraction(repr(number))


def as_typed(value: float) -> Fraction:
    """A cell's number as Excel treats it (15 significant digits): 0.1+0.2 is 0.3 here."""
    return Fraction(format(value, f".{EXCEL_DIGITS}g"))


def whole_cents(value: float) -> bool:
    """True when ``value`` euros is a whole number of cents (at most two decimals).

    Read off the 15-digit text Excel would show (a Fraction per amount costs ~15 µs, and a
    large workbook has tens of thousands); numbers shown with an exponent take the exact way.
    """
    text = format(value, f".{EXCEL_DIGITS}g")
    if "e" in text or "n" in text:  # exponent, nan or inf
        return (as_typed(value) * 100).denominator == 1
    return len(text.partition(".")[2]) <= 2


def cents(euros: Any) -> int:
    """Euros → integer cents, exactly (half to even only for amounts finer than a cent).

    Fast path for the usual case, a float of whole cents: its product with 100 lies within
    a millionth of the integer, so rounding it gives the same as the exact decimal would.
    """
    if type(euros) is float and abs(euros) < 1e12:
        scaled = euros * 100
        whole = round(scaled)
        if abs(scaled - whole) < 1e-6:
            return whole
    return round(exact(euros) * 100)


def euros(amount_cents: int) -> float:
    """Integer cents → euros for a cell, JSON or a chart; exact to the cent."""
    return round(amount_cents / 100, 2)
