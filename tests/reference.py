"""An independent exact reference of the money rules, written from docs/GLOSSAR.md.

It shares no code with ``xlsozial.core``: plain Fractions, plain loops, the M4 corridor by
the iteration the glossary describes (not by solving for λ), one unit at a time in the
largest-remainder rule. Tests compare the production results against it.
"""

from __future__ import annotations

import math
import unicodedata
from fractions import Fraction

from xlsozial.domain.models import Inputs


def dec(x: float | int) -> Fraction:
    return Fraction(repr(float(x))) if not float(x).is_integer() else Fraction(int(x))


def din5007(name: str) -> tuple[str, str, str]:
    """German dictionary order: Ä = A, ß = ss, case ignored; then plain before accented."""
    low = unicodedata.normalize("NFD", name.casefold())
    return ("".join(c for c in low if unicodedata.category(c) != "Mn"), low, name)


def largest_remainder(
    total: int,
    weights: list[Fraction],
    names: list[str],
    lower: list[int] | None = None,
    upper: list[int] | None = None,
) -> list[int] | None:
    """None when the bounds cannot hold; ties: remainder, larger exact amount, DIN 5007."""
    n = len(weights)
    lower = lower or [0] * n
    upper = upper or [total] * n
    if sum(lower) > total or sum(upper) < total or any(a > b for a, b in zip(lower, upper)):
        return None
    s = sum(weights)
    exact = [w * total / s if s else Fraction(0) for w in weights]
    got = [min(max(math.floor(e), lo), hi) for e, lo, hi in zip(exact, lower, upper)]

    def rank(i: int) -> tuple[Fraction, Fraction, tuple[str, str, str]]:
        return (exact[i] - got[i], exact[i], din5007(names[i]))

    while sum(got) < total:
        # one pass in the rule's order: everybody with room gets one unit, best first
        order = sorted(range(n), key=lambda i: (-rank(i)[0], -rank(i)[1], rank(i)[2]))
        order = [i for i in order if got[i] < upper[i]]
        for i in order[: total - sum(got)]:
            got[i] += 1
    while sum(got) > total:
        order = sorted(range(n), key=lambda i: (-rank(i)[0], -rank(i)[1], rank(i)[2]))
        order = [i for i in reversed(order) if got[i] > lower[i]]
        for i in order[: sum(got) - total]:
            got[i] -= 1
    return got


def factors(inp: Inputs, names: list[str]) -> list[Fraction]:
    """Belastungsfaktor (ratio to the pooled district rate, arithmetic mean, one year)."""
    par = inp.parameters
    out = [Fraction(0)] * len(names)
    wsum = Fraction(0)
    for ind in inp.indicators:
        vals = {v.area: v for v in inp.indicator_values if v.indicator == ind.key}
        num = [dec(vals[a].numerator or 0) for a in names]
        den = [dec(vals[a].denominator or 1) for a in names]
        district = sum(num) / sum(den)
        w = dec(ind.weight)
        wsum += w
        for i in range(len(names)):
            rate = num[i] / den[i]
            rel = rate / district if ind.direction.value == "belastend" else district / rate
            out[i] += w * rel
    bf = [x / wsum for x in out]
    d = dec(par.damping)
    return [1 + d * (f - 1) for f in bf]


def corridor_iteration(
    budget: Fraction, quota: list[Fraction], lo: list[Fraction], hi: list[Fraction]
) -> list[Fraction] | None:
    """The glossary's iteration: share the rest over the free areas by quota, clamp those
    outside their bounds (the side with the larger total excess first), repeat."""
    n = len(quota)
    held: dict[int, Fraction] = {}
    for _ in range(2 * n + 2):
        free = [i for i in range(n) if i not in held]
        qf = sum(quota[i] for i in free)
        rest = budget - sum(held.values())
        x = [held.get(i, rest * quota[i] / qf if qf else Fraction(0)) for i in range(n)]
        below = {i: lo[i] - x[i] for i in free if x[i] < lo[i]}
        above = {i: x[i] - hi[i] for i in free if x[i] > hi[i]}
        if not below and not above:
            break
        if sum(below.values()) >= sum(above.values()):
            held.update({i: lo[i] for i in below})
        else:
            held.update({i: hi[i] for i in above})
    if sum(x) != budget or any(not a <= v <= b for a, v, b in zip(lo, x, hi)):
        return None
    return x


def models(inp: Inputs) -> dict[str, dict[str, int]] | None:
    """Cents per model and Sozialraum; None where M4 (or M3) cannot hold in whole units."""
    par = inp.parameters
    names = [a.name for a in inp.areas]
    unit = round(dec(par.rounding_unit) * 100)
    g = round(dec(par.total_budget) * 100) // unit
    pop = [a.population(par.age_group) for a in inp.areas]
    bf = factors(inp, names)
    pw = [p * f for p, f in zip(pop, bf)]
    q = [x / sum(pw) for x in pw]
    out: dict[str, dict[str, int]] = {}
    m1 = largest_remainder(g, [Fraction(p) for p in pop], names)
    m2 = largest_remainder(g, q, names)
    base = [dec(a.base_amount or 0) * 100 / unit for a in inp.areas]
    m3_exact = [b + (g - sum(base)) * x for b, x in zip(base, q)]
    m3 = largest_remainder(g, m3_exact, names, lower=[math.ceil(b) for b in base])
    prev = [round(dec(a.previous_budget) * 100) for a in inp.areas]
    scaled = [Fraction(v) * g / sum(prev) for v in prev]
    lo = [s * (1 - dec(par.corridor_down)) for s in scaled]
    hi = [s * (1 + dec(par.corridor_up)) for s in scaled]
    m4_exact = corridor_iteration(Fraction(g), q, lo, hi)
    m4 = (
        None
        if m4_exact is None
        else largest_remainder(
            g, m4_exact, names, [math.ceil(x) for x in lo], [math.floor(x) for x in hi]
        )
    )
    if m1 is None or m2 is None or m3 is None or m4 is None:
        return None
    for key, units in (("M1", m1), ("M2", m2), ("M3", m3), ("M4", m4)):
        out[key] = {n: u * unit for n, u in zip(names, units)}
    return out


def transition(
    chosen: list[int],
    reference: list[int],
    names: list[str],
    regional: list[int],
    regions: list[str],
    years: int,
) -> list[tuple[list[int], list[int], int]] | None:
    """Per year: compensation per area, regional budget 1 per region, freed amount. None when
    the budget year's (the first) step cannot be paid from regionales Budget 1."""
    loss = [max(0, r - a) for a, r in zip(chosen, reference)]
    first = Fraction(1) if years else Fraction(0)
    if math.floor(sum(loss) * first + Fraction(1, 2)) > sum(regional):
        return None
    rows = []
    prev_comp, prev_total = loss, sum(loss)
    for t in range(1, (years + 1 if years else 1) + 1):
        f = Fraction(max(0, years - (t - 1)), years) if years else Fraction(0)
        total = math.floor(sum(loss) * f + Fraction(1, 2))
        comp = largest_remainder(total, [Fraction(x) for x in loss], names, upper=prev_comp)
        fund = largest_remainder(total, [Fraction(x) for x in regional], regions, upper=regional)
        assert comp is not None and fund is not None
        rows.append(
            (comp, [r - f for r, f in zip(regional, fund)], prev_total - total if t > 1 else 0)
        )
        prev_comp, prev_total = comp, total
    return rows
