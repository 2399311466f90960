"""Demo complexes, homes, parking space and contracts, with their valuations."""

import logging
from datetime import date
from decimal import Decimal

from contracts.models import (
    CommonArea,
    Complex,
    Contract,
    ServiceCharge,
    ServiceContract,
    Space,
    Unit,
    UnitKind,
)
from contracts.services import unit_valuation_compute
from portal.errors import DomainError
from portal.models import Corporation, User

log = logging.getLogger(__name__)

D = Decimal

# A two-bedroom flat of the 1970s, recorded room by room for the valuation.
FLAT_SPACES = [
    {"kind": "woonkamer", "name": "Woonkamer", "area": D("28.40"), "heated": True},
    {"kind": "keuken", "name": "Keuken", "area": D("9.10"), "heated": True, "worktop_length_mm": 2400},
    {"kind": "slaapkamer", "name": "Slaapkamer 1", "area": D("13.20"), "heated": True},
    {"kind": "slaapkamer", "name": "Slaapkamer 2", "area": D("9.80"), "heated": True},
    {
        "kind": "badkamer",
        "name": "Badkamer",
        "area": D("5.20"),
        "heated": True,
        "washbasins": 1,
        "showers": 1,
    },
    {"kind": "toilet", "name": "Toilet", "area": D("1.30"), "toilets": 1, "washbasins": 1},
    {"kind": "hal", "name": "Hal", "area": D("6.00")},
    {"kind": "berging", "name": "Berging", "area": D("5.50")},
    {"kind": "balkon", "name": "Balkon", "area": D("6.40")},
]

# A two-bedroom porch flat of the 1960s: a shorter worktop, a bath with a
# shower over it and the storage in the basement.
PORCH_FLAT_SPACES = [
    {"kind": "woonkamer", "name": "Woonkamer", "area": D("24.60"), "heated": True},
    {"kind": "keuken", "name": "Keuken", "area": D("7.20"), "heated": True, "worktop_length_mm": 1800},
    {"kind": "slaapkamer", "name": "Slaapkamer 1", "area": D("12.40"), "heated": True},
    {"kind": "slaapkamer", "name": "Slaapkamer 2", "area": D("8.10"), "heated": True},
    {
        "kind": "badkamer",
        "name": "Badkamer",
        "area": D("4.30"),
        "heated": True,
        "washbasins": 1,
        "showers": 1,
        "baths": 1,
    },
    {"kind": "toilet", "name": "Toilet", "area": D("1.10"), "toilets": 1},
    {"kind": "hal", "name": "Hal", "area": D("4.80"), "heated": True},
    {"kind": "berging", "name": "Kelderberging", "area": D("4.20")},
    {"kind": "balkon", "name": "Balkon", "area": D("3.60")},
]


def _unit(corporation, complex_, number, **fields):
    address = {
        "postcode": fields.pop("postcode"),
        "house_number": fields.pop("house_number"),
        "house_letter": fields.pop("house_letter", ""),
        "house_number_addition": fields.pop("house_number_addition", ""),
    }
    unit, _ = Unit.objects.update_or_create(
        **address, defaults={"corporation": corporation, "complex": complex_, "unit_number": number, **fields}
    )
    return unit


def _spaces(unit, spaces):
    if unit.spaces.exists():
        return
    Space.objects.bulk_create(Space(unit=unit, **space) for space in spaces)


def _contract(corporation, number, unit, tenants, start, rent, charges=(), services=()):
    contract, _ = Contract.objects.update_or_create(
        corporation=corporation,
        number=number,
        defaults={"unit": unit, "start_date": start, "base_rent": rent},
    )
    contract.tenants.set(tenants)
    for description, amount in charges:
        ServiceCharge.objects.update_or_create(
            contract=contract, description=description, defaults={"amount": amount}
        )
    for name, fee, text in services:
        ServiceContract.objects.update_or_create(
            contract=contract,
            name=name,
            defaults={"monthly_fee": fee, "description": text, "start_date": start},
        )
    return contract


def load() -> None:
    woonkracht = Corporation.objects.get(slug="woonkracht")
    waardwonen = Corporation.objects.get(slug="waardwonen")
    huurder = User.objects.get(email="huurder@example.nl")
    buur = User.objects.get(email="buur@example.nl")

    linde, _ = Complex.objects.update_or_create(
        corporation=woonkracht, code="AL-0101", defaults={"name": "Lindehof", "city": "Almelo"}
    )
    for kind in ("lift", "portiek", "trappenhuis", "fietsenberging", "parkeergarage"):
        CommonArea.objects.get_or_create(complex=linde, kind=kind)

    flat = {
        "kind": "home",
        "street": "Lindelaan",
        "city": "Almelo",
        "postcode": "7601 AB",
        "home_type": "Galerijflat",
        "rooms": 3,
        "build_year": 1978,
        "energy_label": "B",
        "energy_label_registered_on": date(2023, 5, 1),
        "woz_value": D("198000"),
        "woz_reference_date": date(2025, 1, 1),
    }
    home = _unit(woonkracht, linde, "AL0101-012", house_number=12, **flat)
    neighbour_home = _unit(woonkracht, linde, "AL0101-014", house_number=14, **flat)
    for number in (10, 16, 18):
        _spaces(_unit(woonkracht, linde, f"AL0101-{number:03d}", house_number=number, **flat), FLAT_SPACES)
    _spaces(home, FLAT_SPACES)
    _spaces(neighbour_home, FLAT_SPACES)
    parking = _unit(
        woonkracht,
        linde,
        "AL0101-P12",
        kind="parking",
        street="Lindelaan",
        house_number=12,
        house_number_addition="P12",
        postcode="7601 AB",
        city="Almelo",
        home_type="Parkeerplaats in de parkeergarage",
    )

    _contract(
        woonkracht,
        "HC-2019-0312",
        home,
        [huurder],
        date(2019, 3, 1),
        D("612.40"),
        charges=[
            ("Schoonmaak trappenhuis en galerij", D("14.25")),
            ("Onderhoud lift", D("9.80")),
            ("Verlichting gemeenschappelijke ruimten", D("4.15")),
        ],
        services=[
            (
                "Onderhoudsabonnement",
                D("3.50"),
                "Kleine reparaties in huis die normaal voor uw rekening zijn, zoals kranen en sloten.",
            ),
            ("Glasfonds", D("1.45"), "Gebroken ruiten in uw woning worden zonder kosten vervangen."),
        ],
    )
    _contract(woonkracht, "PC-2021-0044", parking, [huurder], date(2021, 6, 1), D("37.75"))
    _contract(
        woonkracht,
        "HC-2015-0107",
        neighbour_home,
        [buur],
        date(2015, 1, 1),
        D("598.10"),
        charges=[("Schoonmaak trappenhuis en galerij", D("14.25")), ("Onderhoud lift", D("9.80"))],
    )

    haven, _ = Complex.objects.update_or_create(
        corporation=waardwonen, code="OB-0201", defaults={"name": "Havenkwartier", "city": "Oud-Beijerland"}
    )
    for kind in ("portiek", "trappenhuis", "binnentuin"):
        CommonArea.objects.get_or_create(complex=haven, kind=kind)
    for number in (3, 5, 7):
        unit = _unit(
            waardwonen,
            haven,
            f"OB0201-{number:03d}",
            kind="home",
            street="Kaaistraat",
            house_number=number,
            postcode="3262 AB",
            city="Oud-Beijerland",
            home_type="Portiekwoning",
            rooms=3,
            build_year=1965,
            energy_label="C",
            energy_label_registered_on=date(2022, 9, 14),
            woz_value=D("231000"),
            woz_reference_date=date(2025, 1, 1),
        )
        _spaces(unit, PORCH_FLAT_SPACES)

    _valuations()


def _valuations():
    """Value every demo home, so Mijn woning shows its points and maximum rent."""
    for unit in Unit.objects.filter(kind=UnitKind.HOME, spaces__isnull=False).distinct():
        try:
            unit_valuation_compute(unit=unit)
        except DomainError as exc:
            # E.g. a year the installed calculator has no rules for: the page then
            # says the valuation is not computed yet; the rest of the demo loads.
            log.warning("no valuation for %s: %s", unit, exc.message)
