"""The home valuation (WWS): mapping to the calculator, the stored result, Mijn woning."""

import decimal
import warnings
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest

from conftest import make_unit
from contracts.demo import FLAT_SPACES
from contracts.models import Space, Unit, Valuation
from contracts.services import unit_valuation_compute
from contracts.wws import value_unit
from portal.errors import DomainError

ON = date(2026, 11, 23)

# The demo's galerijflat of 1978 (label B, WOZ € 198.000): 153 points.
DEMO_FLAT = {
    "build_year": 1978,
    "energy_label": "B",
    "energy_label_registered_on": date(2023, 5, 1),
    "woz_value": Decimal("198000"),
    "woz_reference_date": date(2025, 1, 1),
}
BEDROOM = {"kind": "slaapkamer", "name": "Slaapkamer 3", "area": Decimal("8.50"), "heated": True}


def flat(**fields):
    return Unit(kind="home", unit_number="T-1", city="Almelo", home_type="Galerijflat", **DEMO_FLAT | fields)


def spaces(*extra, living_room=None):
    rows = [dict(row) for row in [*FLAT_SPACES, *extra]]
    if living_room is not None:
        rows[0]["area"] = Decimal(living_room)
    return [Space(**row) for row in rows]


def furnish(unit):
    """Give a saved home the demo flat's data and rooms."""
    Unit.objects.filter(pk=unit.pk).update(**DEMO_FLAT)
    unit.refresh_from_db()
    Space.objects.bulk_create(Space(unit=unit, **row) for row in FLAT_SPACES)
    return unit


@pytest.fixture
def home(huurder):
    return furnish(huurder.contracts.get(number="HC-1").unit)


def test_it_values_the_demo_flat_with_plausible_points(home):
    valuation = unit_valuation_compute(unit=home, on=ON)
    assert 100 <= valuation.points <= 200
    names = [rubric["name"] for rubric in valuation.rubrics]
    assert {"Oppervlakte van vertrekken", "Energieprestatie", "Punten voor de WOZ-waarde"} <= set(names)


def test_it_adds_the_rubrics_up_to_the_total_in_whole_points():
    result = value_unit(flat(), spaces(), on=ON)
    total = sum(points for _name, points in result.rubrics)
    assert total.quantize(Decimal("1"), rounding=ROUND_HALF_UP) == result.points


@pytest.mark.parametrize(
    ("fields", "living_room", "points", "max_rent"),
    [
        ({}, "17", 143, "932.93"),
        ({"energy_label": "A", "woz_value": Decimal("320000")}, "45", 186, "1228.07"),
    ],
)
def test_it_gives_the_max_rent_of_the_2026_rent_table(fields, living_room, points, max_rent):
    result = value_unit(flat(**fields), spaces(living_room=living_room), on=ON)
    assert (result.points, result.max_rent) == (points, Decimal(max_rent))


def test_it_counts_an_extra_bedroom_as_a_room():
    # A room earns a point per m²: 8.5 m² more is 8 points more, before heating and WOZ.
    gain = value_unit(flat(), spaces(BEDROOM), on=ON).points - value_unit(flat(), spaces(), on=ON).points
    assert gain >= 8


def test_it_counts_a_better_energy_label():
    better = value_unit(flat(energy_label="A"), spaces(), on=ON)
    assert better.points > value_unit(flat(), spaces(), on=ON).points


def test_it_refuses_a_parking_space(huurder):
    parking = huurder.contracts.get(number="PC-1").unit
    with pytest.raises(DomainError, match="Alleen een woning heeft een woningwaardering"):
        unit_valuation_compute(unit=parking, on=ON)


def test_it_refuses_a_home_without_spaces(woonkracht):
    with pytest.raises(DomainError, match="nog geen ruimten"):
        unit_valuation_compute(unit=make_unit(woonkracht, None, 20), on=ON)


def test_it_explains_a_year_the_calculator_has_no_rules_for(home):
    with pytest.raises(DomainError, match="voor 2020 zijn nog niet beschikbaar"):
        unit_valuation_compute(unit=home, on=date(2020, 6, 1))


def test_it_replaces_the_valuation_when_recomputed(home):
    first = unit_valuation_compute(unit=home, on=ON)
    Space.objects.create(unit=home, **BEDROOM)
    second = unit_valuation_compute(unit=home, on=ON)
    assert Valuation.objects.filter(unit=home).count() == 1
    assert (second.pk, Valuation.objects.get(unit=home).points) == (first.pk, second.points)
    assert second.points > first.points


def test_it_keeps_the_decimal_context_and_warning_filters_of_the_process():
    value_unit(flat(), spaces(), on=ON)
    assert decimal.getcontext().prec == 28
    assert not [f for f in warnings.filters if f[0] == "error" and f[2] is UserWarning]


def test_it_shows_the_tenant_the_points_and_max_rent(huurder_client, home):
    unit_valuation_compute(unit=home, on=ON)
    html = huurder_client.get("/mijn/woning/").text
    assert "<strong>153 punten</strong>" in html
    assert "maximale kale huur van <strong>€\xa01.001,50</strong>" in html
