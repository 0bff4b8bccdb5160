"""Fictitious applications for regionales Budget 1 in the example (Landkreis Lüneburg)."""

from __future__ import annotations

from xlsozial.domain.models import Application, ApplicationStatus

# Region, Träger, Projekt, Zeitraum, beantragt, bewilligt, Beschlussdatum, Gremium, Status
_APPLICATIONS = [
    (
        "Region Nord",
        "NORD",
        "Elterncafé Bardowick",
        "2027",
        18_000.0,
        18_000.0,
        "12.02.2027",
        "Regionalgremium Nord",
        ApplicationStatus.APPROVED,
    ),
    (
        "Region Nord",
        "NORD",
        "Ferienprogramm Adendorf",
        "Sommer 2027",
        9_500.0,
        None,
        "",
        "Regionalgremium Nord",
        ApplicationStatus.REQUESTED,
    ),
    (
        "Region Ost",
        "ELBE",
        "Jugendtreff Amt Neuhaus",
        "2027",
        24_000.0,
        20_000.0,
        "19.02.2027",
        "Regionalgremium Ost",
        ApplicationStatus.APPROVED,
    ),
    (
        "Region Ost",
        "OSTHEIDE",
        "Lernpaten Dahlenburg",
        "2027",
        7_200.0,
        None,
        "19.02.2027",
        "Regionalgremium Ost",
        ApplicationStatus.REJECTED,
    ),
    (
        "Region Süd-West",
        "HEIDE",
        "Familienzentrum Gellersen",
        "2027–2028",
        30_000.0,
        None,
        "",
        "Regionalgremium Süd-West",
        ApplicationStatus.REQUESTED,
    ),
]


def example_applications() -> list[Application]:
    return [
        Application(
            region=r,
            provider=p,
            project=j,
            period=z,
            requested=b,
            approved=w,
            decided_on=d,
            committee=g,
            status=s,
        )
        for r, p, j, z, b, w, d, g, s in _APPLICATIONS
    ]
