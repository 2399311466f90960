"""Complexes, units and contracts in the admin, as staff see them."""

import sys
import types

import pytest

from conftest import make_unit
from contracts.models import Complex, Contract, Unit
from portal.errors import DomainError

UNITS = "/beheer/contracts/unit/"


@pytest.fixture
def fake_valuation(monkeypatch):
    """Stands in for contracts.services.unit_valuation_compute; records the units it gets."""
    calls = []

    def unit_valuation_compute(*, unit):
        if unit.kind != "home":
            raise DomainError("Alleen een woning heeft een woningwaardering.")
        calls.append(unit.pk)

    module = types.ModuleType("contracts.services")
    module.unit_valuation_compute = unit_valuation_compute
    monkeypatch.setitem(sys.modules, "contracts.services", module)
    return calls


def test_it_lists_only_its_own_corporations_units(medewerker_client, collega_client, huurder, waardwonen):
    make_unit(waardwonen, None, 3, postcode="3262 AB")
    assert "7601 AB" in medewerker_client.get(UNITS).text
    text = collega_client.get(UNITS).text
    assert "3262 AB" in text and "7601 AB" not in text


def test_it_finds_a_unit_by_a_postcode_typed_loosely(medewerker_client, huurder, woonkracht):
    make_unit(woonkracht, None, 5, postcode="7602 CD")
    text = medewerker_client.get(UNITS, {"q": "7602cd"}).text
    assert "7602 CD" in text and "7601 AB" not in text


def test_it_computes_the_valuation_of_the_chosen_units(medewerker_client, huurder, fake_valuation):
    home = Contract.objects.get(number="HC-1").unit
    response = medewerker_client.post(
        UNITS, {"action": "compute_valuation", "_selected_action": [home.pk]}, follow=True
    )
    assert fake_valuation == [home.pk]
    assert "De woningwaardering van 1 eenheid is berekend." in response.text


def test_it_shows_why_a_valuation_could_not_be_computed(medewerker_client, huurder, fake_valuation):
    parking = Contract.objects.get(number="PC-1").unit
    response = medewerker_client.post(
        UNITS, {"action": "compute_valuation", "_selected_action": [parking.pk]}, follow=True
    )
    assert "Alleen een woning heeft een woningwaardering." in response.text


def test_it_does_not_compute_another_corporations_units(collega_client, huurder, fake_valuation):
    home = Contract.objects.get(number="HC-1").unit
    collega_client.post(UNITS, {"action": "compute_valuation", "_selected_action": [home.pk]})
    assert fake_valuation == []


def test_it_offers_only_its_own_complexes_for_a_unit(medewerker_client, complex_, waardwonen):
    Complex.objects.create(corporation=waardwonen, code="OB-1", name="Havenzicht", city="Oud-Beijerland")
    form = medewerker_client.get(f"{UNITS}add/").context["adminform"].form
    assert list(form.fields["complex"].queryset) == [complex_]


def test_it_adds_a_unit_for_its_own_corporation(medewerker_client, woonkracht, waardwonen, complex_):
    data = {
        "corporation": waardwonen.pk,
        "kind": "garage",
        "unit_number": "G-1",
        "complex": complex_.pk,
        "street": "Lindelaan",
        "house_number": "40",
        "postcode": "7601ab",
        "city": "Almelo",
        "spaces-TOTAL_FORMS": "0",
        "spaces-INITIAL_FORMS": "0",
        "_save": "Opslaan",
    }
    assert medewerker_client.post(f"{UNITS}add/", data).status_code == 302
    unit = Unit.objects.get(unit_number="G-1")
    assert (unit.corporation, unit.postcode) == (woonkracht, "7601 AB")
