"""Mijn reacties leads a seeker to an offer that waits for their answer."""

from datetime import timedelta

from django.utils import timezone

from allocation.models import Offer, Reaction
from allocation.tests.test_reacting import listing, region_001, registration, seeker
from conftest import client_for


def test_an_open_offer_is_linked_and_an_answered_one_is_not(woonkracht):
    person = seeker()
    region = region_001(woonkracht)
    reg = registration(person, region)
    home = listing(region, woonkracht, 1)
    reaction = Reaction.objects.create(
        listing=home, registration=reg, seeker=person, reacted_at=timezone.now(), state="offered"
    )
    offer = Offer.objects.create(
        reaction=reaction,
        kind="provisional",
        sent_at=timezone.now(),
        deadline=timezone.now() + timedelta(days=1),
    )
    client = client_for(person)
    page = client.get("/woningzoekend/mijn/reacties/").content.decode()
    assert f'href="/woningzoekend/aanbod/{offer.pk}/"' in page and "geef uw antwoord" in page

    Offer.objects.filter(pk=offer.pk).update(answered_at=timezone.now(), accepted=True)
    page = client.get("/woningzoekend/mijn/reacties/").content.decode()
    assert f'href="/woningzoekend/aanbod/{offer.pk}/"' not in page
