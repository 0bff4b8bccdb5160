"""The year's Besitzstand in plain German: where the transition stands and who pays it.

One wording for the Übergang sheet, the Beschlussvorlage and the terminal, so the sheet and
the paper never explain the same money differently.
"""

from __future__ import annotations

from xlsozial.domain.german import money, number, year_count
from xlsozial.domain.models import HoldingFunding, Inputs, RegionKey
from xlsozial.domain.results import Results, TransitionRow


def key_words(inputs: Inputs) -> str:
    """How money is split over the regions, e.g. „nach Einwohnern (0 bis unter 21)“."""
    par = inputs.parameters
    if par.region_key is RegionKey.FIXED:
        shares = ", ".join(
            f"{s.region} {number(s.share * 100, 1 if (s.share * 1000) % 10 else 0)} %"
            for s in inputs.region_shares
        )
        return f"nach festen Anteilen ({shares})"
    if par.region_key is RegionKey.POPULATION:
        return f"nach Einwohnern ({par.age_group.value})"
    return "anteilig nach ihrem regionalen Budget 1"


TRANSITION_CHECK = "Übergang finanzierbar"  # the Prüfung of the budget year's step


def failed_plan(res: Results) -> str:
    """Why the budget year's step cannot be paid (the red Prüfung's detail), or ""."""
    return next((c.detail for c in res.checks if c.name == TRANSITION_CHECK and not c.ok), "")


def transition_words(inputs: Inputs, res: Results) -> str:
    """Where the transition stands and how it is funded: the one text of the Übergang sheet,
    the Beschlussvorschlag and the Finanzielle Auswirkungen. A plan that cannot be paid says
    why, and who was to pay it."""
    failed = failed_plan(res)
    if failed:
        return f"Kein Übergangsplan möglich: {failed.rstrip('.')}. {funding_words(inputs)}"
    return f"{status_words(inputs, res)} {funding_words(inputs, res)}".strip()


def _now(inputs: Inputs, res: Results) -> TransitionRow | None:
    """The budget year's step of the transition, if one falls on it."""
    year = inputs.parameters.first_year
    return res.transition[0] if res.transition and res.transition[0].year == year else None


def pays_besitzstand(inputs: Inputs, res: Results) -> bool:
    """Whether any Sozialraum is paid a Besitzstand in the budget year."""
    now = _now(inputs, res)
    return now is not None and now.compensation_total > 0


def extra_purpose(inputs: Inputs, res: Results) -> str:
    """What the extra money above the Gesamtbudget is for this year; "" if none is paid (a
    plan that cannot be paid keeps its purpose: the paper asks for the Besitzstand)."""
    if inputs.parameters.holding_funding is not HoldingFunding.EXTRA:
        return ""
    if pays_besitzstand(inputs, res) or failed_plan(res):
        return "den Besitzstand"
    return "das regionale Budget 1" if res.extra_used else ""


MODEL_ONLY = "der Betrag des Modells"  # paid_means when nothing is added or taken


def paid_means(inputs: Inputs, res: Results) -> str:
    """What „tatsächlich“ adds to the model amount in this budget year."""
    if pays_besitzstand(inputs, res):
        return "mit Besitzstand und seiner Finanzierung"
    return "mit den zusätzlichen Mitteln" if res.extra_used else MODEL_ONLY


def funding_words(inputs: Inputs, res: Results | None = None) -> str:
    """Who pays the Besitzstand and where freed money goes, as decided in the parameters.

    Given the year's results and a year that pays no Besitzstand (the last step of 0 %, an
    ended transition, none decided, nobody loses), it says only what still happens to freed
    and extra money: a paper must not put the funding of a payment nobody gets to the vote.
    """
    par = inputs.parameters
    key = key_words(inputs)
    extra = money(round(par.extra_funds * 100), 0)
    if res is not None and not pays_besitzstand(inputs, res):
        now = _now(inputs, res)
        if par.holding_funding is not HoldingFunding.EXTRA:
            freed = now.freed if now is not None else 0
            return (
                f"Was beim Abbau frei wird, bleibt im regionalen Budget 1 der Regionen, die den "
                f"Ausgleich {key} trugen."
                if freed
                else ""
            )
        if par.extra_funds == 0:
            return ""
        if par.extra_rest.name == "REGIONAL":
            return (
                f"Die zusätzlichen Mittel von {extra} je Jahr über dem Gesamtbudget fließen "
                f"{key} in das regionale Budget 1 der Regionen."
            )
        return (
            f"Die zusätzlichen Mittel von {extra} je Jahr werden {par.first_year} nicht "
            "gebraucht und nicht ausgezahlt."
        )
    if par.holding_funding is HoldingFunding.EXTRA:
        rest = (
            f"fließt {key} in das regionale Budget 1 der Regionen"
            if par.extra_rest.name == "REGIONAL"
            else "wird nicht ausgezahlt"
        )
        return (
            f"Der Ausgleich wird aus zusätzlichen Mitteln von {extra} je Jahr über dem "
            f"Gesamtbudget bezahlt. Was davon nicht gebraucht wird – auch die beim Abbau frei "
            f"werdenden Beträge –, {rest}."
        )
    return (
        "Der Ausgleich wird aus dem regionalen Budget 1 desselben Gesamtbudgets bezahlt; die "
        f"Regionen tragen ihn {key}. Was beim Abbau frei wird, bleibt nach demselben "
        "Schlüssel im regionalen Budget 1 der Regionen."
    )


def status_words(inputs: Inputs, res: Results) -> str:
    """Where the transition stands in the budget year, with the real reason when nothing is
    paid (no loss, no transition decided, or the transition has ended)."""
    par = inputs.parameters
    year = par.first_year
    start = par.transition_start or year
    if res.transition_ended is not None:
        return (
            f"Der {start} begonnene Übergang über {year_count(par.transition_years)} ist mit "
            f"{res.transition_ended} abgeschlossen; {year} wird kein Besitzstand mehr gezahlt."
        )
    if par.transition_years == 0:
        return (
            "Ein Übergang ist nicht vorgesehen (Abschmelzen über 0 Jahre): "
            f"{year} wird kein Besitzstand gezahlt; jeder Sozialraum erhält sofort den Betrag "
            "des Modells."
        )
    now = _now(inputs, res)
    if now is not None and now.factor == 0 and start < year:
        # What was really paid the year before (Historie), not this year's rescaled plan.
        before = [h for h in inputs.history if h.year == year - 1]
        paid_before = (
            f" ({year - 1}: {money(sum(round(h.compensation * 100) for h in before), 0)})"
            if before
            else ""
        )
        return (
            f"Der {start} begonnene Übergang endet: {year} (Schritt {year - start + 1} von "
            f"{par.transition_years + 1}) wird kein Ausgleich mehr gezahlt{paid_before}."
        )
    if now is None or not any(t.compensation_total for t in res.transition):
        return (
            "Kein Sozialraum erhält nach dem Modell weniger als seinen bisherigen Anteil; "
            "ein Ausgleich ist nicht nötig."
        )
    if start == year:
        return (
            f"{year} erhalten Sozialräume, die nach dem Modell weniger als ihren bisherigen "
            f"Anteil erhalten, den Unterschied in voller Höhe ({money(now.compensation_total, 0)}"
            f"); der Ausgleich wird über {year_count(par.transition_years)} abgebaut."
        )
    step = year - start + 1
    return (
        f"Der {start} begonnene Übergang geht weiter: {year} (Schritt {step} von "
        f"{par.transition_years + 1}) werden noch {number(now.factor * 100, 0)} % des "
        f"Ausgleichs gezahlt ({money(now.compensation_total, 0)})."
    )
