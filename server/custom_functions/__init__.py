"""The workbook's worksheet functions (SRB_…) as xlwings Server custom functions, for
Excel on the web and the Office.js add-in: the desktop UDFs of ``udfs/sozialraum.py``
(same code, same German errors in the cell) under the server's decorators. A test keeps
the parameters equal to the desktop ones."""

from typing import Any

import numpy as np
from xlwings.server import arg, func

from udfs import sozialraum as desktop


@func
@arg("raten", np.array, ndim=2)
@arg("kreiswerte", np.array, ndim=1)
@arg("gewichte", np.array, ndim=1)
@arg("richtungen", ndim=1)
def SRB_BELASTUNGSFAKTOR(
    raten: Any,
    kreiswerte: Any,
    gewichte: Any,
    richtungen: Any,
    normierung: str = "Verhältnis zum Kreiswert",
    aggregation: str = "arithmetisch",
    daempfung: float = 1.0,
) -> Any:
    return desktop.SRB_BELASTUNGSFAKTOR(
        raten, kreiswerte, gewichte, richtungen, normierung, aggregation, daempfung
    )


@func
@arg("einwohner", np.array, ndim=1)
@arg("faktoren", np.array, ndim=1)
def SRB_QUOTE(einwohner: Any, faktoren: Any) -> Any:
    return desktop.SRB_QUOTE(einwohner, faktoren)


@func
@arg("einwohner", np.array, ndim=1)
@arg("faktoren", np.array, ndim=1)
def SRB_VERTEILUNG(
    modell: str,
    budget: float,
    einwohner: Any,
    faktoren: Any,
    vorjahr: Any = None,
    sockel: Any = None,
    korridor_unten: float = 0.05,
    korridor_oben: float = 0.05,
    einheit: float = 1.0,
    namen: Any = None,
) -> Any:
    return desktop.SRB_VERTEILUNG(
        modell,
        budget,
        einwohner,
        faktoren,
        vorjahr,
        sockel,
        korridor_unten,
        korridor_oben,
        einheit,
        namen,
    )


@func
@arg("gewichte", np.array, ndim=1)
def SRB_RUNDEN(gesamt: float, gewichte: Any, einheit: float = 0.01, namen: Any = None) -> Any:
    return desktop.SRB_RUNDEN(gesamt, gewichte, einheit, namen)
