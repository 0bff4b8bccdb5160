"""Example data: the 10 Sozialräume of the Landkreis Lüneburg Jugendamt.

Names and total populations (2019) are public. Everything else — age groups, previous
budgets, indicator values, SRT names and cost breakdowns, regions' composition — is
FICTITIOUS (fiktiv), made up for demonstration, and labelled so in the workbook.
"""

from __future__ import annotations

import hashlib

from xlsozial.domain.example_years import example_applications
from xlsozial.domain.models import (
    AgeGroup,
    Area,
    CategoryShare,
    Consultation,
    CostPosition,
    Direction,
    Indicator,
    IndicatorValue,
    Inputs,
    ModelKey,
    Parameters,
    Provider,
    RegionShare,
    VariantSetting,
)

FICTITIOUS_NOTE = (
    "Beispieldaten: Namen und Einwohnerzahlen 2019 der Sozialräume sind öffentlich; "
    "Altersgruppen, Indikatorwerte, Vorjahresbudgets, SRT und Kosten sind FIKTIV."
)

# name, region, SRT, population 2019 (public), burden level (fictitious), previous budget
_AREAS: list[tuple[str, str, str, int, float, float]] = [
    ("Adendorf", "Region Nord", "NORD", 10853, 0.95, 196_000.00),
    ("Amt Neuhaus", "Region Ost", "ELBE", 4965, 1.25, 118_500.00),
    ("Stadt Bleckede", "Region Ost", "ELBE", 9471, 1.20, 205_300.00),
    ("SG Amelinghausen", "Region Süd-West", "HEIDE", 8373, 0.90, 139_800.00),
    ("SG Bardowick", "Region Nord", "NORD", 17884, 0.85, 262_400.00),
    ("SG Dahlenburg", "Region Ost", "OSTHEIDE", 6124, 1.15, 131_900.00),
    ("SG Gellersen", "Region Süd-West", "HEIDE", 14295, 0.80, 203_700.00),
    ("SG Ilmenau", "Region Süd-West", "HEIDE", 10802, 0.90, 176_200.00),
    ("SG Ostheide", "Region Ost", "OSTHEIDE", 10332, 1.05, 190_600.00),
    ("SG Scharnebeck", "Region Nord", "NORD", 15700, 1.00, 275_600.00),
]

_PROVIDERS = [
    ("NORD", "Jugendhilfeverbund Nord gGmbH (fiktiv)"),
    ("ELBE", "Familienhilfe an der Elbe e.V. (fiktiv)"),
    ("OSTHEIDE", "Kinder- und Jugendhilfe Ostheide gGmbH (fiktiv)"),
    ("HEIDE", "Sozialraumteam Heide gGmbH (fiktiv)"),
]

# key, label, weight, direction, base rate, denominator age group / None for a value
_INDICATORS: list[tuple[str, str, float, Direction, float, AgeGroup | None, str]] = [
    (
        "HZE",
        "Hilfen zur Erziehung je Einw. unter 21",
        3.0,
        Direction.BURDEN,
        0.021,
        AgeGroup.U21,
        "Jugendamt, Fachverfahren (fiktiv)",
    ),
    (
        "SGB2",
        "Kinder unter 18 in SGB-II-Bedarfsgemeinschaften",
        2.0,
        Direction.BURDEN,
        0.085,
        AgeGroup.U18,
        "Bundesagentur für Arbeit (fiktiv)",
    ),
    (
        "ALLEIN",
        "Alleinerziehende je Einw. unter 18",
        1.5,
        Direction.BURDEN,
        0.11,
        AgeGroup.U18,
        "Melderegister (fiktiv)",
    ),
    (
        "KWG",
        "Meldungen Kindeswohlgefährdung je Einw. unter 18",
        1.0,
        Direction.BURDEN,
        0.012,
        AgeGroup.U18,
        "Jugendamt (fiktiv)",
    ),
    (
        "JALO",
        "Arbeitslose unter 25 je Einw. unter 27",
        1.0,
        Direction.BURDEN,
        0.028,
        AgeGroup.U27,
        "Bundesagentur für Arbeit (fiktiv)",
    ),
    (
        "KITA",
        "Betreuungsquote unter 3 Jahren in %",
        0.5,
        Direction.RELIEF,
        38.0,
        None,
        "Landesamt für Statistik (fiktiv)",
    ),
    (
        "WOHN",
        "Wohnfläche je Einwohner in m²",
        0.0,
        Direction.RELIEF,
        47.0,
        None,
        "Zensus (fiktiv, Gewicht 0: nur informativ)",
    ),
]

YEARS = (2022, 2023, 2024)
BASE_PER_AREA = 40_000.00  # Sockel for M3, fictitious

_COSTS: dict[str, list[tuple[str, str, float]]] = {
    "NORD": [
        ("Betriebskosten", "Miete Sozialraumbüro Bardowick", 38_400.00),
        ("Betriebskosten", "Personal Koordination (0,5 VZÄ)", 41_250.00),
        ("Sachkosten", "Fahrzeugkosten", 9_870.50),
        ("Sachkosten", "IT und Telefon", 4_215.80),
        ("Netzwerktätigkeit", "Stadtteilkonferenzen", 12_600.00),
        ("Netzwerktätigkeit", "Kooperation Schulen", 18_940.00),
        ("Angebote und Projekte", "Elterncafé Adendorf", 22_300.00),
        ("Angebote und Projekte", "Mädchengruppe Scharnebeck", 15_780.00),
        ("Angebote und Projekte", "Ferienprogramm", 27_450.00),
    ],
    "ELBE": [
        ("Betriebskosten", "Miete Büro Bleckede", 21_600.00),
        ("Betriebskosten", "Personal Koordination (0,4 VZÄ)", 33_000.00),
        ("Sachkosten", "Fahrzeugkosten (Fläche Amt Neuhaus)", 14_320.00),
        ("Netzwerktätigkeit", "Netzwerk Frühe Hilfen", 16_200.00),
        ("Angebote und Projekte", "Mobile Jugendarbeit Amt Neuhaus", 31_800.00),
        ("Angebote und Projekte", "Hausaufgabenhilfe Bleckede", 19_450.00),
    ],
    "OSTHEIDE": [
        ("Betriebskosten", "Miete Büro Dahlenburg", 16_800.00),
        ("Betriebskosten", "Personal Koordination (0,3 VZÄ)", 24_750.00),
        ("Sachkosten", "Material und Verbrauch", 5_640.25),
        ("Netzwerktätigkeit", "Runder Tisch Ostheide", 9_300.00),
        ("Angebote und Projekte", "Jugendtreff Barendorf", 23_900.00),
        ("Angebote und Projekte", "Familienwochenende", 12_150.00),
    ],
    "HEIDE": [
        ("Betriebskosten", "Miete Büro Reppenstedt", 30_000.00),
        ("Betriebskosten", "Personal Koordination (0,5 VZÄ)", 41_250.00),
        ("Sachkosten", "Fahrzeugkosten", 11_045.00),
        ("Sachkosten", "Fortbildung", 3_900.00),
        ("Netzwerktätigkeit", "Sozialraumkonferenz Heide", 14_700.00),
        ("Angebote und Projekte", "Schulsozialarbeit Ergänzung Amelinghausen", 28_600.00),
        ("Angebote und Projekte", "Erziehungsberatung offene Sprechstunde", 21_300.00),
        ("Angebote und Projekte", "Jugendbeteiligung Ilmenau", 9_850.00),
    ],
}

CATEGORIES: list[tuple[str, float]] = [
    ("Betriebskosten", 1.0),
    ("Sachkosten", 1.0),
    ("Netzwerktätigkeit", 0.5),
    ("Angebote und Projekte", 0.0),
]


def _jitter(*parts: object) -> float:
    """Deterministic pseudo-random number in [-1, 1] (stable across Python versions)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**31 - 1.0


def _ages(total: int, name: str) -> tuple[int, int, int]:
    u18 = round(total * (0.168 + 0.012 * _jitter(name, "u18")))
    u21 = u18 + round(total * (0.029 + 0.003 * _jitter(name, "u21")))
    u27 = u21 + round(total * (0.058 + 0.006 * _jitter(name, "u27")))
    return u18, u21, u27


def _example_areas() -> list[Area]:
    areas: list[Area] = []
    for name, region, provider, total, _, previous in _AREAS:
        u18, u21, u27 = _ages(total, name)
        areas.append(
            Area(
                name=name,
                region=region,
                provider=provider,
                population_total=total,
                population_u18=u18,
                population_u21=u21,
                population_u27=u27,
                previous_budget=previous,
                base_amount=BASE_PER_AREA,
            )
        )
    return areas


def _example_values(areas: list[Area]) -> list[IndicatorValue]:
    values: list[IndicatorValue] = []
    for key, _, _, direction, base, group, _ in _INDICATORS:
        for (name, _, _, _, level, _), area in zip(_AREAS, areas):
            for year in YEARS:
                drift = 1.0 + 0.02 * (year - 2023) + 0.06 * _jitter(name, key, year)
                if group is None:
                    lean = level if direction is Direction.BURDEN else 2.0 - level
                    values.append(
                        IndicatorValue(
                            area=name, indicator=key, year=year, value=round(base * lean * drift, 1)
                        )
                    )
                else:
                    den = area.population(group)
                    num = max(0, round(den * base * level * drift))
                    values.append(
                        IndicatorValue(
                            area=name, indicator=key, year=year, numerator=num, denominator=den
                        )
                    )
    return values


EXAMPLE_PARAMETERS = {
    "total_budget": 2_000_000.00,
    "age_group": AgeGroup.U21,
    "years_average": 3,
    "corridor_down": 0.05,
    "corridor_up": 0.08,
    "rounding_unit": 1.0,
    "chosen_model": ModelKey.M2,
    "transition_years": 4,
    "first_year": 2027,
    "sensitivity_draws": 2000,
    "sensitivity_vary_normalisation": True,
    "contact": "Jugendamt, Fachdienst Sozialraumbudget (fiktiv), Tel. 04131 00000-0, "
    "sozialraumbudget@example.org",
    "authority": "Landkreis Lüneburg – Jugendamt (Beispiel, Werte fiktiv)",
    "paper_number": "2026/123 (fiktiv)",
    "committee": "Jugendhilfeausschuss",
    "meeting_date": "10.12.2026",
    "subject": "Sozialraumbudget 2027: Verteilung auf die Sozialräume",
    "responsible": "Dezernat III – Soziales, Jugend (fiktiv)",
    "lead_office": "Fachbereich Jugend und Familie (fiktiv)",
    "clerk": "E. Mustermann (fiktiv)",
    "products": "36.3.01 Sozialräumliche Jugendhilfe (fiktiv)",
}


def example_inputs() -> Inputs:
    areas = _example_areas()
    return Inputs(
        parameters=Parameters(**EXAMPLE_PARAMETERS),
        areas=areas,
        providers=[Provider(key=k, name=n) for k, n in _PROVIDERS],
        indicators=[
            Indicator(
                key=key,
                label=label,
                weight=weight,
                direction=direction,
                data_year=YEARS[-1],
                source=source,
            )
            for key, label, weight, direction, _, _, source in _INDICATORS
        ],
        indicator_values=_example_values(areas),
        cost_positions=[
            CostPosition(provider=prov, category=cat, position=pos, amount=amount)
            for prov, rows in _COSTS.items()
            for cat, pos, amount in rows
        ],
        category_shares=[CategoryShare(category=c, bound_share=s) for c, s in CATEGORIES],
        applications=example_applications(),
        consultations=[
            Consultation(body="Jugendhilfeausschuss", date="10.12.2026", role="Entscheidung"),
        ],
        # Fictitious fixed shares, used only if the Verteilschlüssel „feste Anteile“ is chosen.
        region_shares=[
            RegionShare(region="Region Nord", share=0.4),
            RegionShare(region="Region Ost", share=0.25),
            RegionShare(region="Region Süd-West", share=0.35),
        ],
        variants=example_variants(),
    )


def example_variants() -> list[VariantSetting]:
    """What a committee asks next, ready to compare: another weighting, a wider corridor,
    another age group (Blatt Varianten)."""
    rows = [
        (
            "HzE doppelt",
            "Hilfen zur Erziehung wiegen doppelt so viel (Gewicht 6 statt 3)",
            "weight:HZE",
            6.0,
        ),
        (
            "M4 ±2 %",
            "Bestand mit Korridor: höchstens 2 % mehr oder weniger (statt −5 % / +8 %)",
            "chosen_model",
            "M4",
        ),
        ("M4 ±2 %", "", "corridor_down", 0.02),
        ("M4 ±2 %", "", "corridor_up", 0.02),
        ("unter 18", "Bevölkerung unter 18 statt unter 21 Jahren", "age_group", "0 bis unter 18"),
    ]
    return [VariantSetting(variant=v, description=d, setting=s, value=x) for v, d, s, x in rows]


def synthetic_inputs(
    areas: int, indicators: int, providers: int, positions: int, years: int = 1
) -> Inputs:
    """A made-up district of any size (for scale tests and benchmarks), deterministic."""
    provider_keys = [f"SRT{p + 1:03d}" for p in range(providers)]
    area_rows = _synthetic_areas(areas, provider_keys)
    inds = [
        Indicator(
            key=f"I{k + 1:02d}",
            label=f"Indikator {k + 1} (synthetisch)",
            weight=1.0 + (k % 3),
            direction=Direction.RELIEF if k % 7 == 6 else Direction.BURDEN,
            data_year=2024,
        )
        for k in range(indicators)
    ]
    values = [
        IndicatorValue(
            area=a.name,
            indicator=ind.key,
            year=2024 - y,
            numerator=float(
                round(a.population_u21 * 0.05 * (1.0 + 0.5 * _jitter(a.name, ind.key, y)))
            ),
            denominator=float(a.population_u21),
        )
        for a in area_rows
        for ind in inds
        for y in range(years)
    ]
    categories = [c for c, _ in CATEGORIES]
    costs = [
        CostPosition(
            provider=key,
            category=categories[j % len(categories)],
            position=f"Position {j + 1}",
            amount=float(round(500 + 400 * _jitter(key, j), 2)),
        )
        for key in provider_keys
        for j in range(positions)
    ]
    budget = float(min(areas * 200_000, 900_000_000))  # within the plausible range (1 Mrd. €)
    return Inputs(
        parameters=Parameters(total_budget=budget, rounding_unit=1.0, years_average=years),
        areas=area_rows,
        providers=[Provider(key=k, name=f"Träger {k} (synthetisch)") for k in provider_keys],
        indicators=inds,
        indicator_values=values,
        cost_positions=costs,
        category_shares=[CategoryShare(category=c, bound_share=s) for c, s in CATEGORIES],
    )


def _synthetic_areas(areas: int, provider_keys: list[str]) -> list[Area]:
    area_rows: list[Area] = []
    for i in range(areas):
        total = 2_000 + int(18_000 * (0.5 + 0.5 * _jitter("pop", i)))
        u18, u21, u27 = _ages(total, f"A{i}")
        area_rows.append(
            Area(
                name=f"Sozialraum {i + 1:05d}",
                region=f"Region {i % 12 + 1:02d}",
                provider=provider_keys[i % len(provider_keys)],
                population_total=total,
                population_u18=u18,
                population_u21=u21,
                population_u27=u27,
                previous_budget=float(round(total * (18 + 4 * _jitter("prev", i)))),
                base_amount=1_000.0,
            )
        )
    return area_rows
