"""The seeker's sends, each sent twice (portal.once): one reaction, one sign-up, one fee payment,
one renewal, one split, one document; the repeat answers with the first one's confirmation."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from allocation import offers
from allocation.models import Document, OfferKind, Reaction, Registration
from allocation.tests.test_joint import join, pair  # noqa: F401 (fixture)
from allocation.tests.test_reacting import listing, region_001, region_002, registration, seeker
from allocation.tests.test_registration import form, pdf, signup_link
from conftest import client_for, send_key
from payments.models import OpenItem, Payment
from portal.models import Message, User

MINE = "/woningzoekend/mijn/"
SIGNUP = "/woningzoekend/inschrijven/"


@pytest.fixture(autouse=True)
def _demo(settings):
    settings.MOLLIE_API_KEY = ""


@pytest.fixture
def hw(woonkracht):
    return region_001(woonkracht)


@pytest.fixture
def zw(waardwonen):
    return region_002(waardwonen)


def twice(client, url, data):
    answers = [client.post(url, data) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302], [a.content.decode()[:2000] for a in answers]
    return [a["Location"] for a in answers]


def test_the_react_form_sent_twice_gives_the_same_confirmation(hw, woonkracht):
    person = seeker()
    registration(person, hw)
    home = listing(hw, woonkracht, 1)
    client = client_for(person)
    url = f"/woningzoekend/reageren/{home.number}/"
    key = send_key(client.get(url))

    pages = [client.post(url, key, follow=True) for _ in range(2)]

    assert [page.redirect_chain[-1][0] for page in pages] == ["/woningzoekend/mijn/reacties/"] * 2
    assert all(f"U heeft gereageerd op {home.title}" in page.text for page in pages)
    assert Reaction.objects.count() == 1


def test_the_react_form_sent_again_after_withdrawing_reacts_anew(hw, woonkracht):
    """The back button to the react page and "Ja, ik reageer" once more: a new reaction."""
    person = seeker()
    registration(person, hw)
    home = listing(hw, woonkracht, 1)
    client = client_for(person)
    url = f"/woningzoekend/reageren/{home.number}/"
    key = send_key(client.get(url))
    client.post(url, key)
    client.post(f"/woningzoekend/mijn/reacties/{Reaction.objects.get().pk}/intrekken/")

    client.post(url, key)

    assert sorted(Reaction.objects.values_list("state", flat=True)) == ["active", "withdrawn"]


def test_a_sign_up_sent_twice_makes_one_account_registration_and_payment(zw):
    client = Client()
    data = form(regions=[zw.pk], **send_key(client.get(signup_link())))

    first, again = twice(client, signup_link(), data)

    payment = Payment.objects.get()
    assert first == again == payment.checkout_url
    assert User.objects.filter(email="nieuw@example.nl").count() == 1
    assert Registration.objects.get().state == "pending" and payment.amount == Decimal("17.50")


def test_a_sign_up_without_a_fee_sent_twice_goes_to_mijn_inschrijving_twice(hw):
    client = Client()
    data = form(regions=[hw.pk], **send_key(client.get(signup_link())))

    assert twice(client, signup_link(), data) == [MINE, MINE]
    assert Registration.objects.get().state == "active"


def test_a_sign_up_sent_twice_without_its_key_registers_once(hw):
    client = Client()
    assert twice(client, signup_link(), form(regions=[hw.pk])) == [MINE, MINE]
    assert Registration.objects.count() == 1


def test_a_sign_up_sent_again_from_a_session_that_lost_the_race_logs_in_and_confirms(zw):
    """Two tabs of one browser, or requests that crossed: the second send still has the
    session from before the first logged in, and finds the account made meanwhile."""
    client = Client()
    data = form(regions=[zw.pk], **send_key(client.get(signup_link())))
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    first = client.post(signup_link(), data)["Location"]
    client.cookies[settings.SESSION_COOKIE_NAME] = before  # the session as it was, not logged in

    again = client.post(signup_link(), data)

    assert again["Location"] == first == Payment.objects.get().checkout_url
    assert client.get(MINE).status_code == 200  # logged in


def test_a_tenant_signing_up_sends_the_form_twice_and_registers_once(huurder_client, hw):
    data = form(regions=[hw.pk], **send_key(huurder_client.get(SIGNUP)))

    assert twice(huurder_client, SIGNUP, data) == [MINE, MINE]
    assert Registration.objects.get().seeker.email == "huurder@example.nl"


def test_the_fee_button_pressed_twice_starts_one_payment(zw):
    person = seeker()
    pending = registration(person, zw, state="pending")
    OpenItem.objects.create(
        corporation=zw.corporations.get(),
        tenant=person,
        reference=f"INS-{pending.number}",
        description="Inschrijfgeld Zuidwest",
        amount=zw.registration_fee,
        due_date=date.today(),
    )
    client = client_for(person)
    key = send_key(client.get(MINE))

    answers = twice(client, f"{MINE}{pending.number}/betalen/", key)

    assert answers == [Payment.objects.get().checkout_url] * 2


def test_renewing_twice_without_a_fee_renews_one_year(hw):
    person = seeker()
    mine = registration(person, hw)
    before = mine.renew_by
    client = client_for(person)
    key = send_key(client.get(MINE))

    assert twice(client, f"{MINE}{mine.number}/verlengen/", key) == [MINE, MINE]

    mine.refresh_from_db()
    assert mine.renew_by == date(before.year + 1, before.month, before.day)


def test_renewing_twice_with_a_fee_starts_one_payment(zw):
    person = seeker()
    mine = registration(person, zw, renew_by=date.today() + timedelta(days=20))
    client = client_for(person)
    key = send_key(client.get(MINE))

    answers = twice(client, f"{MINE}{mine.number}/verlengen/", key)

    assert answers == [Payment.objects.get().checkout_url] * 2


def test_splitting_twice_splits_once_and_starts_one_payment(pair):  # noqa: F811
    main, partner, mine, _theirs = pair
    join(main, partner, mine)
    client = client_for(partner)
    key = send_key(client.get(MINE))

    answers = twice(client, f"{MINE}{mine.number}/splitsen/", key)

    assert Registration.objects.filter(seeker=partner, state="pending").count() == 1
    assert answers == [Payment.objects.get().checkout_url] * 2


def test_a_document_uploaded_twice_is_kept_once(hw):
    person = seeker()
    registration(person, hw, documents=False)
    client = client_for(person)
    key = send_key(client.get(f"{MINE}documenten/"))

    for _ in range(2):
        assert client.post(f"{MINE}documenten/", {"kind": "id", "file": pdf(), **key}).status_code == 302

    assert Document.objects.count() == 1


def test_the_fee_of_a_home_got_without_registration_paid_twice_starts_one_payment(zw, waardwonen, medewerker):
    zw.unregistered_fee = Decimal("50.00")
    zw.save()
    home = listing(zw, waardwonen, 1, base_rent=Decimal("800"), ordering_policy="eerste-reactie")
    person = seeker("zonder@example.nl")
    client = client_for(person)
    client.post(f"/woningzoekend/reageren/{home.number}/")
    offers.reaction_period_close(home, medewerker, early=True)
    offers.offer_answer(offers.offer_send(home, medewerker, OfferKind.PROVISIONAL), True)
    offers.offer_answer(offers.offer_send(home, medewerker, OfferKind.FINAL), True)
    reaction = Reaction.objects.get(seeker=person)
    key = send_key(client.get(f"{MINE}reacties/"))

    answers = twice(client, f"{MINE}reacties/{reaction.pk}/betalen/", key)

    assert answers == [Payment.objects.get().checkout_url] * 2


def test_the_co_applicant_invitation_sent_twice_answers_as_the_first(pair):  # noqa: F811
    main, partner, mine, _theirs = pair
    client = client_for(main)
    data = {"email": "partner@example.nl", **send_key(client.get(MINE))}
    url = f"{MINE}{mine.number}/medeaanvrager/"

    answers = [client.post(url, data, follow=True) for _ in range(2)]

    said = [[str(m.message) for m in answer.context["messages"]] for answer in answers]
    assert said[0] == said[1] and "krijgt die het verzoek" in said[0][0]
    assert Message.objects.filter(person=partner, subject="Verzoek medeaanvrager").count() == 1


def test_a_new_invitation_after_withdrawing_is_another_send(pair):  # noqa: F811
    main, partner, mine, _theirs = pair
    client = client_for(main)
    url = f"{MINE}{mine.number}/medeaanvrager/"
    client.post(url, {"email": "partner@example.nl", **send_key(client.get(MINE))})
    client.post(f"{MINE}{mine.number}/medeaanvrager/intrekken/")
    client.post(url, {"email": "partner@example.nl", **send_key(client.get(MINE))})
    mine.refresh_from_db()
    assert mine.search_profile["co_invite"]["seeker"] == partner.pk
    assert Message.objects.filter(person=partner, subject="Verzoek medeaanvrager").count() == 2
