"""Reacting without registration (002, A5): the reaction counts at once; the administration costs are
charged only to the seeker who gets the home, when they accept the final allocation."""

from decimal import Decimal

import pytest

from allocation import offers
from allocation.models import OfferKind, Reaction
from allocation.tests.test_reacting import listing, region_002, seeker
from conftest import client_for
from payments.models import OpenItem


@pytest.fixture
def zw(waardwonen):
    region = region_002(waardwonen)
    region.unregistered_fee = Decimal("50.00")
    region.save()
    return region


def test_reacting_without_registration_charges_the_fee_only_on_getting_the_home(
    zw, waardwonen, medewerker, settings
):
    settings.MOLLIE_API_KEY = ""
    home = listing(zw, waardwonen, 1, base_rent=Decimal("800"), ordering_policy="eerste-reactie")
    person = seeker("zonder@example.nl")
    client = client_for(person)
    page = client.get(f"/woningzoekend/reageren/{home.number}/").content.decode()
    assert "administratiekosten" in page
    assert client.post(f"/woningzoekend/reageren/{home.number}/").status_code == 302
    reaction = Reaction.objects.get(seeker=person)
    assert reaction.registration is None and reaction.state == "active"
    assert not OpenItem.objects.filter(reference__startswith="REA-").exists()

    offers.reaction_period_close(home, medewerker, early=True)
    offers.offer_answer(offers.offer_send(home, medewerker, OfferKind.PROVISIONAL), True)
    offers.offer_answer(offers.offer_send(home, medewerker, OfferKind.FINAL), True)
    item = OpenItem.objects.get(reference=f"REA-{home.number}-{person.pk}")
    assert item.amount == Decimal("50.00") and item.tenant == person and item.paid_at is None

    assert "administratiekosten met iDEAL" in client.get("/woningzoekend/mijn/reacties/").content.decode()
    other = seeker("ander@example.nl")
    assert client_for(other).post(f"/woningzoekend/mijn/reacties/{reaction.pk}/betalen/").status_code == 404
    response = client.post(f"/woningzoekend/mijn/reacties/{reaction.pk}/betalen/")
    assert response.status_code == 302 and "/betalen/demo/" in response.url
    back = client.post(response.url, {"action": "pay", "bank": "ing"})
    client.get(back.url)
    item.refresh_from_db()
    assert item.paid_at is not None
    assert "administratiekosten met iDEAL" not in client.get("/woningzoekend/mijn/reacties/").content.decode()
