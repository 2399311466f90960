"""The public housing offer (/woningaanbod/), one listing, and the accountability (A1, A14)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from allocation.models import Listing, ListingState, Reaction, ReactionState, Region, Registration
from conftest import make_person, make_unit


def make_region(name="Hoeksche Waard", **fields):
    defaults = {"limit_kind": "reactions", "max_reactions": 2, "default_ordering": "reacties"}
    region, _ = Region.objects.get_or_create(
        name=name, slug=name.lower().replace(" ", "-"), defaults=defaults
    )
    return region


def make_listing(corporation, number, *, region=None, state=ListingState.PUBLISHED, days=7, **fields):
    unit_fields = {k: fields.pop(k) for k in ("kind", "postcode") if k in fields}
    unit = make_unit(corporation, None, number=100 + int(number[-3:]), **unit_fields)
    if "city" in fields:
        unit.city = fields.pop("city")
        unit.save()
    now = timezone.now()
    defaults = {
        "region": region or make_region(),
        "corporation": corporation,
        "unit": unit,
        "title": "Galerijflat",
        "home_type": "Galerijflat",
        "rooms": 3,
        "base_rent": Decimal("600.00"),
        "service_charges": Decimal("25.00"),
        "energy_label": "B",
        "ordering_policy": "reacties",
        "published_at": now - timedelta(days=1),
        "reaction_deadline": now + timedelta(days=days),
        "state": state,
    }
    return Listing.objects.create(number=number, **(defaults | fields))


def allocate(listing, *, reactions=3, deciding_value="12 correcte reacties", urgent=False, when=None):
    listing.state = ListingState.ALLOCATED
    listing.allocated_at = when or timezone.now()
    listing.save()
    for i in range(reactions):
        seeker = make_person(f"z{listing.number}-{i}@example.nl")
        registration = Registration.objects.create(
            seeker=seeker,
            region=listing.region,
            number=f"I-{listing.number}-{i}",
            state="active",
            registered_on=date(2020, 1, 1),
            urgent=urgent and i == 0,
        )
        Reaction.objects.create(
            listing=listing,
            registration=registration,
            seeker=seeker,
            reacted_at=timezone.now(),
            position=i + 1,
            state=ReactionState.ACCEPTED if i == 0 else ReactionState.NOT_CHOSEN,
            deciding_value=deciding_value if i == 0 else "",
        )


# --- the list -----------------------------------------------------------------


def test_it_shows_open_listings_of_every_corporation(anoniem, woonkracht, waardwonen):
    make_listing(woonkracht, "W-001")
    make_listing(waardwonen, "W-002", city="Oud-Beijerland")
    html = anoniem.get("/woningaanbod/").content.decode()
    assert "W-001" in html and "W-002" in html
    assert "2 woningen gevonden" in html


def test_it_hides_drafts_closed_and_expired_listings(anoniem, woonkracht):
    make_listing(woonkracht, "W-001", state=ListingState.DRAFT)
    make_listing(woonkracht, "W-002", state=ListingState.CLOSED)
    make_listing(woonkracht, "W-003", days=-1)
    make_listing(woonkracht, "W-004", state=ListingState.ALLOCATED)
    make_listing(woonkracht, "W-005")
    html = anoniem.get("/woningaanbod/").content.decode()
    assert "1 woning gevonden" in html
    assert "W-005" in html
    assert not any(n in html for n in ("W-001", "W-002", "W-003", "W-004"))


def test_it_shows_rent_split_labels_and_deadline_on_a_card(anoniem, woonkracht):
    make_listing(
        woonkracht, "W-001", temporary=True, category="starter", min_age=55, energy_label="A", kind="home"
    )
    html = anoniem.get("/woningaanbod/").content.decode()
    assert "€\xa0625,00" in html
    assert "kale huur €\xa0600,00 + servicekosten €\xa025,00" in html
    assert "Tijdelijke verhuur" in html and "Voor starters" in html and "55 jaar of ouder" in html
    assert "Reageren kan tot" in html
    assert "Geen foto" in html


def test_it_labels_a_garage(anoniem, woonkracht):
    make_listing(woonkracht, "W-001", kind="garage", rooms=None, home_type="")
    assert "Garage" in anoniem.get("/woningaanbod/").content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("plaats=Oud-Beijerland", {"W-002"}),
        ("huur=700", {"W-001", "W-003"}),
        ("huur=700&soort=home", {"W-001"}),
        ("kamers=4", {"W-002"}),
        ("soort=garage", {"W-003"}),
        ("regio=zuidwest", {"W-003"}),
        ("", {"W-001", "W-002", "W-003"}),
    ],
)
def test_it_filters(anoniem, woonkracht, waardwonen, query, expected):
    zuidwest = make_region("Zuidwest")
    make_listing(woonkracht, "W-001")
    make_listing(waardwonen, "W-002", city="Oud-Beijerland", rooms=4, base_rent=Decimal("760.00"))
    make_listing(waardwonen, "W-003", region=zuidwest, kind="garage", rooms=None, base_rent=Decimal("90"))
    response = anoniem.get(f"/woningaanbod/?{query}")
    assert {listing.number for listing in response.context["page"].object_list} == expected


def test_it_filters_on_the_total_rent(anoniem, woonkracht):
    make_listing(woonkracht, "W-001", base_rent=Decimal("690.00"), service_charges=Decimal("20.00"))
    assert anoniem.get("/woningaanbod/?huur=700").context["page"].paginator.count == 0
    assert anoniem.get("/woningaanbod/?huur=710").context["page"].paginator.count == 1


def test_it_ignores_a_wrong_filter_value_and_says_so(anoniem, woonkracht):
    make_listing(woonkracht, "W-001")
    response = anoniem.get("/woningaanbod/?kamers=veel")
    assert response.status_code == 200
    assert "Controleer de zoekvelden" in response.content.decode()


def test_the_list_needs_the_same_queries_for_many_listings(
    anoniem, woonkracht, django_assert_max_num_queries
):
    for i in range(2):
        make_listing(woonkracht, f"W-{i:03d}")
    with django_assert_max_num_queries(15) as few:
        assert anoniem.get("/woningaanbod/").status_code == 200
    for i in range(2, 20):
        listing = make_listing(woonkracht, f"W-{i:03d}")
        listing.photos.create(image="listings/photos/x.jpg", alt="Voorkant")
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        assert anoniem.get("/woningaanbod/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# --- one listing ----------------------------------------------------------------


def test_it_shows_a_listing_with_cost_indication_rules_and_react_button(anoniem, woonkracht):
    make_listing(woonkracht, "W-001", energy_label="A")
    html = anoniem.get("/woningaanbod/W-001/").content.decode()
    assert "Woonlasten: een indicatie" in html
    assert "U kunt op 2 woningen tegelijk reageren." in html
    assert 'href="/woningzoekend/reageren/W-001/"' in html


@pytest.mark.parametrize("state", [ListingState.DRAFT, ListingState.WITHDRAWN])
def test_it_hides_a_listing_that_was_never_public(anoniem, woonkracht, state):
    make_listing(woonkracht, "W-001", state=state)
    assert anoniem.get("/woningaanbod/W-001/").status_code == 404


def test_it_shows_an_expired_listing_without_react_button(anoniem, woonkracht):
    make_listing(woonkracht, "W-001", days=-1)
    response = anoniem.get("/woningaanbod/W-001/")
    assert response.status_code == 200
    assert "/woningzoekend/reageren/" not in response.content.decode()


def test_it_serves_a_photo_only_of_a_public_listing(anoniem, woonkracht, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "listings/photos").mkdir(parents=True)
    (tmp_path / "listings/photos/a.jpg").write_bytes(b"\xff\xd8\xff")
    public = make_listing(woonkracht, "W-001")
    draft = make_listing(woonkracht, "W-002", state=ListingState.DRAFT)
    photo = public.photos.create(image="listings/photos/a.jpg", alt="Voorkant")
    hidden = draft.photos.create(image="listings/photos/a.jpg", alt="Voorkant")
    assert anoniem.get(f"/woningaanbod/W-001/foto/{photo.pk}/").status_code == 200
    assert anoniem.get(f"/woningaanbod/W-002/foto/{hidden.pk}/").status_code == 404
    assert anoniem.get(f"/woningaanbod/W-001/foto/{hidden.pk}/").status_code == 404


# --- accountability ---------------------------------------------------------------


def test_the_accountability_shows_only_allocated_listings_with_the_deciding_value(anoniem, woonkracht):
    allocate(make_listing(woonkracht, "W-001"), reactions=3, deciding_value="14 correcte reacties")
    make_listing(woonkracht, "W-002")
    make_listing(woonkracht, "W-003", state=ListingState.CLOSED)
    response = anoniem.get("/woningaanbod/verantwoording/")
    rows = list(response.context["page"].object_list)
    assert [r.number for r in rows] == ["W-001"]
    assert rows[0].reaction_count == 3
    assert "14 correcte reacties" in response.content.decode()


def test_the_accountability_marks_urgency_and_puts_the_newest_first(anoniem, woonkracht):
    allocate(make_listing(woonkracht, "W-001"), when=timezone.now() - timedelta(days=5))
    allocate(make_listing(woonkracht, "W-002"), urgent=True)
    response = anoniem.get("/woningaanbod/verantwoording/")
    rows = list(response.context["page"].object_list)
    assert [r.number for r in rows] == ["W-002", "W-001"]
    assert rows[0].winner_urgent and not rows[1].winner_urgent
    assert "Urgent" in response.content.decode()


def test_the_accountability_does_not_count_withdrawn_reactions(anoniem, woonkracht):
    listing = make_listing(woonkracht, "W-001")
    allocate(listing, reactions=2)
    Reaction.objects.filter(listing=listing, position=2).update(state=ReactionState.WITHDRAWN)
    response = anoniem.get("/woningaanbod/verantwoording/")
    assert response.context["page"].object_list[0].reaction_count == 1


def test_the_accountability_needs_the_same_queries_for_many(
    anoniem, woonkracht, django_assert_max_num_queries
):
    allocate(make_listing(woonkracht, "W-001"))
    with django_assert_max_num_queries(15) as few:
        assert anoniem.get("/woningaanbod/verantwoording/").status_code == 200
    for i in range(2, 15):
        allocate(make_listing(woonkracht, f"W-{i:03d}"), reactions=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert anoniem.get("/woningaanbod/verantwoording/").status_code == 200


def test_ik_zoek_links_to_the_offer_and_registering(anoniem, db):
    html = anoniem.get("/ik-zoek/").content.decode()
    assert 'href="/woningaanbod/"' in html
    assert 'href="/woningzoekend/inschrijven/"' in html
    assert 'href="/woningaanbod/verantwoording/"' in html


# --- demo -------------------------------------------------------------------------


def demo_counts() -> dict:
    from allocation.models import Document, ListingPhoto, Offer, Region
    from contracts.models import Unit

    return {
        "regions": Region.objects.count(),
        "listings": Listing.objects.count(),
        "open": Listing.objects.filter(state="published").count(),
        "photos": ListingPhoto.objects.count(),
        "units": Unit.objects.count(),
        "registrations": Registration.objects.count(),
        "documents": Document.objects.count(),
        "reactions": Reaction.objects.count(),
        "offers": Offer.objects.count(),
    }


@pytest.fixture
def demo(db, settings, tmp_path):
    from portal.management.commands.demo import load_demo_data

    settings.MEDIA_ROOT = tmp_path
    logins = load_demo_data()
    first = demo_counts()
    load_demo_data()
    return first, logins


def test_the_demo_loaded_twice_gives_the_same_data(demo):
    first, logins = demo
    assert demo_counts() == first
    assert first["regions"] == 2 and first["listings"] == 10 and first["open"] == 9
    assert ("seeker", "zoeker@example.nl", "welkom-zoeker") in logins


def test_the_demo_has_the_seed_rules_and_a_seeker_in_both_regions(demo):
    hw = Region.objects.get(name="Hoeksche Waard")
    zw = Region.objects.get(name="Zuidwest")
    assert (hw.limit_kind, hw.max_reactions, hw.default_ordering) == ("reactions", 2, "reacties")
    assert (zw.limit_kind, zw.max_provisional_offers, zw.default_ordering) == ("offers", 2, "inschrijfduur")
    assert zw.unregistered_rent_threshold == Decimal("720.42")
    assert (zw.registration_fee, zw.split_fee) == (Decimal("17.50"), Decimal("35.00"))
    regions = Registration.objects.filter(seeker__email="zoeker@example.nl", state="active")
    assert {r.region.name for r in regions} == {"Hoeksche Waard", "Zuidwest"}


def test_the_demo_pages_show_the_offer_and_the_allocation(demo, anoniem):
    assert "9 woningen gevonden" in anoniem.get("/woningaanbod/").content.decode()
    html = anoniem.get("/woningaanbod/verantwoording/").content.decode()
    assert "Julianastraat 22" in html and "14 correcte reacties" in html
    listing = Listing.objects.filter(state="published").first()
    photo = listing.photos.first()
    response = anoniem.get(f"/woningaanbod/{listing.number}/foto/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
