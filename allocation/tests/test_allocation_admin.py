"""The allocation admin: staff see their own corporation's listings and their regions' seekers."""

from datetime import date

import pytest
from django.utils import timezone

from allocation.models import ListingState, Reaction, Registration
from allocation.tests.test_listings import make_listing, make_region
from conftest import make_person


@pytest.fixture
def regions(woonkracht, waardwonen):
    hw = make_region("Hoeksche Waard")
    hw.corporations.set([waardwonen])
    zw = make_region("Zuidwest")
    zw.corporations.set([woonkracht])
    return {"hw": hw, "zw": zw}


def test_it_shows_staff_only_their_own_listings(medewerker_client, woonkracht, waardwonen, regions):
    make_listing(woonkracht, "W-001", region=regions["zw"])
    make_listing(waardwonen, "W-002", region=regions["hw"])
    html = medewerker_client.get("/beheer/allocation/listing/").content.decode()
    assert "W-001" in html
    assert "W-002" not in html


def test_staff_cannot_open_another_corporations_listing(collega_client, woonkracht, regions):
    listing = make_listing(woonkracht, "W-001", region=regions["zw"])
    response = collega_client.get(f"/beheer/allocation/listing/{listing.pk}/change/")
    assert response.status_code == 302  # the admin's "does not exist" redirect to the index


def test_staff_see_only_their_regions(medewerker_client, regions):
    html = medewerker_client.get("/beheer/allocation/region/").content.decode()
    assert "Zuidwest" in html
    assert "Hoeksche Waard" not in html


def test_staff_see_registrations_of_their_regions_only(medewerker_client, regions):
    for key, number in (("zw", "ZW-1"), ("hw", "HW-1")):
        Registration.objects.create(
            seeker=make_person(f"{number}@example.nl"),
            region=regions[key],
            number=number,
            registered_on=date(2024, 1, 1),
        )
    html = medewerker_client.get("/beheer/allocation/registration/").content.decode()
    assert "ZW-1" in html
    assert "HW-1" not in html


def test_staff_see_reactions_to_their_own_listings_only(medewerker_client, woonkracht, waardwonen, regions):
    seeker = make_person("zoeker@example.nl")
    own = make_listing(woonkracht, "W-001", region=regions["zw"])
    other = make_listing(waardwonen, "W-002", region=regions["hw"])
    for listing in (own, other):
        Reaction.objects.create(listing=listing, seeker=seeker, reacted_at=timezone.now())
    response = medewerker_client.get("/beheer/allocation/reaction/")
    assert {r.listing.number for r in response.context["cl"].result_list} == {"W-001"}


def test_publish_moves_only_drafts(medewerker_client, woonkracht, regions):
    draft = make_listing(woonkracht, "W-001", region=regions["zw"], state=ListingState.DRAFT)
    closed = make_listing(woonkracht, "W-002", region=regions["zw"], state=ListingState.CLOSED)
    response = medewerker_client.post(
        "/beheer/allocation/listing/",
        {"action": "publish", "_selected_action": [draft.pk, closed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    closed.refresh_from_db()
    assert draft.state == ListingState.PUBLISHED and draft.published_at is not None
    assert closed.state == ListingState.CLOSED


def test_close_reactions_closes_a_published_listing(medewerker_client, woonkracht, regions):
    listing = make_listing(woonkracht, "W-001", region=regions["zw"])
    medewerker_client.post(
        "/beheer/allocation/listing/", {"action": "close_reactions", "_selected_action": [listing.pk]}
    )
    listing.refresh_from_db()
    assert listing.state == ListingState.CLOSED


def test_staff_cannot_change_a_reaction(medewerker_client, woonkracht, regions):
    listing = make_listing(woonkracht, "W-001", region=regions["zw"])
    reaction = Reaction.objects.create(
        listing=listing, seeker=make_person("z@example.nl"), reacted_at=timezone.now()
    )
    response = medewerker_client.post(
        f"/beheer/allocation/reaction/{reaction.pk}/change/", {"state": "accepted"}
    )
    assert response.status_code == 403
    reaction.refresh_from_db()
    assert reaction.state == "active"


@pytest.mark.parametrize("model", ["listing", "registration"])
def test_the_region_filter_names_only_the_staff_members_regions(
    collega_client, woonkracht, waardwonen, regions, model
):
    make_listing(woonkracht, "W-001", region=regions["zw"])
    make_listing(waardwonen, "W-002", region=regions["hw"])
    for key, number in (("zw", "ZW-1"), ("hw", "HW-1")):
        Registration.objects.create(
            seeker=make_person(f"{number}@example.nl"),
            region=regions[key],
            number=number,
            registered_on=date(2024, 1, 1),
        )
    response = collega_client.get(f"/beheer/allocation/{model}/")
    assert response.status_code == 200
    assert "Zuidwest" not in response.text


def test_staff_filter_their_listings_by_region_and_deadline(medewerker_client, woonkracht, regions):
    listing = make_listing(woonkracht, "W-001", region=regions["zw"])
    region = regions["zw"].pk
    year = timezone.localtime(listing.reaction_deadline).year
    response = medewerker_client.get(
        "/beheer/allocation/listing/", {"region__id__exact": region, "reaction_deadline__year": year}
    )
    assert [row.number for row in response.context["cl"].result_list] == ["W-001"]
