"""Staff allocation pages and the seeker's offer page: who may see them, what they do, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from allocation import offers
from allocation.models import Listing, ListingState, Offer, OfferKind
from allocation.tests.test_offer_cycle import make_listing, make_region, make_seeker, react
from conftest import client_for


@pytest.fixture
def listing(woonkracht):
    region = make_region(corporation=woonkracht)
    listing = make_listing(region, woonkracht)
    listing.reaction_deadline = timezone.now() - timedelta(hours=1)
    listing.save()
    for i, (name, correct) in enumerate([("een", 12), ("twee", 11)]):
        react(listing, make_seeker(region, name, correct=correct), i)
    return listing


def staff_urls(listing):
    return [
        reverse("allocation_staff:listings"),
        reverse("allocation_staff:listing", args=[listing.number]),
    ]


def test_staff_of_the_corporation_see_the_pages(listing, medewerker_client):
    for url in staff_urls(listing):
        response = medewerker_client.get(url)
        assert response.status_code == 200
    page = medewerker_client.get(staff_urls(listing)[1]).content.decode()
    assert "12 correcte reacties" in page and "table-scroll" in page


@pytest.mark.parametrize("who", ["collega", "seeker", "huurder"])
def test_others_get_404(listing, who, request):
    user = listing.reactions.first().seeker if who == "seeker" else request.getfixturevalue(who)
    client = client_for(user)
    # Staff of the other corporation have their own (empty) list; the listing does not exist for them.
    urls = staff_urls(listing)[1:] if who == "collega" else staff_urls(listing)
    for url in urls:
        assert client.get(url).status_code == 404
    talk = reverse("allocation_staff:talk", args=[listing.number, listing.reactions.first().pk])
    answer = reverse("allocation_staff:answer", args=[listing.number, 1])
    assert client.post(talk).status_code == 404 and client.post(answer).status_code == 404
    for name in ("close", "offer"):
        assert client.post(reverse(f"allocation_staff:{name}", args=[listing.number])).status_code == 404


def test_anonymous_goes_to_login(listing, anoniem):
    for url in staff_urls(listing):
        response = anoniem.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_other_corporation_does_not_see_it_in_its_list(listing, collega_client):
    assert listing.number not in collega_client.get(reverse("allocation_staff:listings")).content.decode()


def test_staff_close_offer_and_record_the_answer(listing, medewerker_client):
    medewerker_client.post(reverse("allocation_staff:close", args=[listing.number]))
    assert Listing.objects.get(pk=listing.pk).state == ListingState.CLOSED
    medewerker_client.post(reverse("allocation_staff:offer", args=[listing.number]), {"kind": "final"})
    offer = Offer.objects.get()
    assert offer.kind == OfferKind.FINAL and offer.reaction.registration.number == "W-een"
    medewerker_client.post(
        reverse("allocation_staff:answer", args=[listing.number, offer.pk]), {"answer": "accept"}
    )
    assert Listing.objects.get(pk=listing.pk).state == ListingState.ALLOCATED


def test_query_counts_do_not_grow_with_the_candidates(listing, medewerker, medewerker_client):
    url = reverse("allocation_staff:listing", args=[listing.number])
    offers.reaction_period_close(listing, medewerker)
    offers.offer_send(listing, medewerker, OfferKind.POLL)
    with CaptureQueriesContext(connection) as few:
        medewerker_client.get(url)
        medewerker_client.get(reverse("allocation_staff:listings"))
    for i, name in enumerate(["drie", "vier", "vijf"]):
        react(listing, make_seeker(listing.region, name, correct=i), 10 + i)
    offers.offer_send(listing, medewerker, OfferKind.POLL)
    with CaptureQueriesContext(connection) as many:
        medewerker_client.get(url)
        medewerker_client.get(reverse("allocation_staff:listings"))
    assert len(many) == len(few)


def test_the_watch_list_talk_is_recorded_on_the_reaction_and_shown(woonkracht, medewerker, medewerker_client):
    region = make_region(corporation=woonkracht)
    listing = make_listing(region, woonkracht)
    flagged = make_seeker(region, "gesignaleerd", correct=20, watch=True)
    reaction = react(listing, flagged)
    offers.reaction_period_close(listing, medewerker)
    url = reverse("allocation_staff:listing", args=[listing.number])
    assert "Eerst een gesprek" in medewerker_client.get(url).content.decode()
    medewerker_client.post(
        reverse("allocation_staff:talk", args=[listing.number, reaction.pk]),
        {"note": "Afspraken over de huur.", "outcome": "offer"},
    )
    reaction.refresh_from_db()
    assert reaction.watch_talk_by == medewerker and reaction.watch_talk_offer is True
    with CaptureQueriesContext(connection) as one:
        page = medewerker_client.get(url).content.decode()
    assert "Eerst een gesprek" not in page and "Afspraken over de huur." in page
    for i, name in enumerate(["twee", "drie"]):
        other = react(listing, make_seeker(region, name, correct=i, watch=True), 10 + i)
        offers.watch_talk_record(other, medewerker, f"Gesprek {name}")
    with CaptureQueriesContext(connection) as three:
        medewerker_client.get(url)
    assert len(three) == len(one)


def test_the_seeker_offer_page_is_for_that_seeker_only(listing, medewerker, buur):
    offers.reaction_period_close(listing, medewerker)
    offer = offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL)
    url = reverse("offers:detail", args=[offer.pk])
    assert url == f"/woningzoekend/aanbod/{offer.pk}/"
    seeker = client_for(offer.reaction.seeker)
    page = seeker.get(url)
    assert page.status_code == 200 and "Reageer voor" in page.content.decode()
    other = listing.reactions.exclude(pk=offer.reaction_id).first().seeker
    assert client_for(other).get(url).status_code == 404
    assert client_for(buur).get(url).status_code == 404
    assert client_for(medewerker).get(url).status_code == 404

    # Refusing needs a reason and whether it concerns the home.
    assert seeker.post(url, {"answer": "refuse"}).status_code == 400
    response = seeker.post(url, {"answer": "refuse", "reason": "Te klein", "concerns_home": "yes"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.accepted is False and offer.reason_concerns_home is True
    # The next candidate got the offer.
    assert Offer.objects.filter(reaction__seeker=other).exists()


def test_anonymous_offer_page_goes_to_login(listing, medewerker, anoniem):
    offers.reaction_period_close(listing, medewerker)
    offer = offers.offer_send(listing, medewerker, OfferKind.PROVISIONAL)
    response = anoniem.get(reverse("offers:detail", args=[offer.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
