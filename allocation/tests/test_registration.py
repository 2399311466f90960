"""Signing up (A2, A3), Mijn inschrijving, documents, expiry and tips."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from allocation import registrations, signup
from allocation.models import Document, Registration
from allocation.tests.test_reacting import listing, region_001, region_002, registration, seeker
from conftest import client_for, send_key
from portal.models import Message
from portal.tests.files import pdf_bytes


@pytest.fixture
def hw(woonkracht):
    return region_001(woonkracht)


@pytest.fixture
def zw(waardwonen):
    return region_002(waardwonen)


def form(**extra):
    data = {
        "email": "nieuw@example.nl",
        "password": "een-lang-wachtwoord-42",
        "first_name": "Noor",
        "surname": "Jansen",
        "birth_date": "1992-03-04",
        "household_income": "31000",
        "address": "Dorpsstraat 1",
        "city": "Oud-Beijerland",
        "address_since": "2018-01-01",
        "lived_in_region_since": "2018-01-01",
        "member_1_name": "Sam Jansen",
        "member_1_birth_date": "2020-06-01",
        "member_1_relation": "kind",
        "places": "Oud-Beijerland, Puttershoek",
        "max_rent": "800",
        "min_rooms": "2",
    }
    return data | extra


def signup_link(email="nieuw@example.nl") -> str:
    """The link the sign-up mail sends (see test_signup for the mail itself)."""
    return f"/woningzoekend/inschrijven/{signup.signup_token(email)}/"


def test_it_registers_and_activates_on_payment(zw, settings):
    settings.MOLLIE_API_KEY = ""
    client = Client()
    response = client.post(signup_link(), form(regions=[zw.pk]))
    assert response.status_code == 302 and "/betalen/demo/" in response.url
    reg = Registration.objects.get(seeker__email="nieuw@example.nl")
    assert reg.state == "pending" and reg.household.count() == 2
    assert reg.search_profile["places"] == ["Oud-Beijerland", "Puttershoek"]
    back = client.post(response.url, {"action": "pay", "bank": "ing"})
    client.get(back.url)  # the return page asks the (demo) bank and books the payment
    reg.refresh_from_db()
    assert reg.state == "active" and reg.registered_on == timezone.localdate()
    assert reg.renew_by == date(reg.registered_on.year + 1, reg.registered_on.month, reg.registered_on.day)


def test_a_sign_up_while_the_bank_is_down_is_saved_and_offers_to_pay_later(zw, settings, monkeypatch):
    from payments import providers

    settings.MOLLIE_API_KEY = ""
    create = providers.DemoProvider.create

    def down(self, data):
        raise providers.ProviderUnavailable("timeout")

    monkeypatch.setattr(providers.DemoProvider, "create", down)
    client = Client()
    response = client.post(signup_link(), form(regions=[zw.pk]), follow=True)
    assert response.redirect_chain == [("/woningzoekend/mijn/", 302)]
    said = [str(m) for m in response.context["messages"]]
    assert said[0].startswith("Uw gegevens zijn opgeslagen.")
    assert said[1].startswith("De betaalpagina van de bank is nu niet bereikbaar.")
    registration = Registration.objects.get(seeker__email="nieuw@example.nl")
    assert registration.state == "pending"

    monkeypatch.setattr(providers.DemoProvider, "create", create)  # back
    page = client.get("/woningzoekend/mijn/")
    paid = client.post(f"/woningzoekend/mijn/{registration.number}/betalen/", send_key(page))
    assert "/betalen/demo/" in paid.url


def test_it_activates_at_once_without_a_fee(hw):
    client = Client()
    assert client.post(signup_link(), form(regions=[hw.pk])).url == "/woningzoekend/mijn/"
    assert Registration.objects.get().state == "active"


def test_it_keeps_the_input_on_a_failed_submit(hw):
    response = Client().post(signup_link(), form(regions=[hw.pk], birth_date="", city=""))
    page = response.content.decode()
    assert response.status_code == 200 and "error-summary" in page
    assert "Dorpsstraat 1" in page and "Sam Jansen" in page and "Noor" in page and "nieuw@example.nl" in page
    assert not Registration.objects.exists()


def test_it_asks_for_a_member_birth_date(hw):
    page = Client().post(signup_link(), form(regions=[hw.pk], member_1_birth_date=""))
    assert "Vul de geboortedatum van deze huisgenoot in" in page.content.decode()


def pdf():
    return SimpleUploadedFile("id.pdf", pdf_bytes(), "application/pdf")


def jpeg():
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "JPEG")
    return SimpleUploadedFile("loon.png", out.getvalue(), "image/png")


@pytest.fixture
def zoeker(hw):
    person = seeker()
    registration(person, hw, documents=False)
    return person


def test_it_accepts_a_pdf_and_a_jpeg(zoeker):
    client = client_for(zoeker)
    assert client.post("/woningzoekend/mijn/documenten/", {"kind": "id", "file": pdf()}).status_code == 302
    assert (
        client.post("/woningzoekend/mijn/documenten/", {"kind": "income", "file": jpeg()}).status_code == 302
    )
    kinds = sorted(Document.objects.values_list("kind", flat=True))
    assert kinds == ["id", "income"]
    assert Document.objects.get(kind="income").file.name.endswith(".jpg")


def test_it_refuses_other_files(zoeker):
    fake = SimpleUploadedFile("id.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client_for(zoeker).post("/woningzoekend/mijn/documenten/", {"kind": "id", "file": fake})
    assert "alleen een PDF of een foto" in response.content.decode()
    assert not Document.objects.exists()


def test_it_reminds_to_hide_the_bsn(zoeker):
    assert "Maak uw BSN onleesbaar" in client_for(zoeker).get("/woningzoekend/mijn/").content.decode()


def test_it_hides_another_seekers_registration_and_documents(zoeker):
    client_for(zoeker).post("/woningzoekend/mijn/documenten/", {"kind": "id", "file": pdf()})
    document = Document.objects.get()
    other = client_for(seeker("ander@example.nl"))
    number = zoeker.registrations.get().number
    assert other.get(f"/woningzoekend/mijn/documenten/{document.pk}/").status_code == 404
    assert other.post(f"/woningzoekend/mijn/documenten/{document.pk}/verwijderen/").status_code == 404
    assert other.get(f"/woningzoekend/mijn/{number}/uitschrijven/").status_code == 404
    assert number not in other.get("/woningzoekend/mijn/").content.decode()


def test_it_deregisters_on_request(zoeker):
    number = zoeker.registrations.get().number
    client_for(zoeker).post(f"/woningzoekend/mijn/{number}/uitschrijven/")
    reg = zoeker.registrations.get()
    assert reg.state == "ended" and reg.ended_on == timezone.localdate()


def test_it_caps_the_counted_time(zoeker):
    reg = zoeker.registrations.get()
    reg.registered_on = date(2015, 1, 1)
    assert registrations.counted_time(reg, on=date(2026, 1, 1)).years == 3


def test_it_ends_registrations_not_renewed_unless_an_option_is_held(zoeker, hw):
    other = seeker("optie@example.nl")
    registration(other, hw, option_held=True)
    late = timezone.localdate() + timedelta(days=200 + registrations.RENEWAL_GRACE_DAYS + 1)
    assert registrations.registrations_expire(today=late) == 1
    assert registrations.registrations_expire(today=late) == 0
    assert zoeker.registrations.get().state == "ended"
    assert other.registrations.get().state == "active"


def test_it_ends_registrations_at_the_maximum_time_unless_an_option_is_held(zw):
    today = date(2027, 3, 1)
    plain = registration(
        seeker("drie@example.nl"), zw, registered_on=date(2024, 2, 28), renew_by=date(2027, 6, 1)
    )
    holder = seeker("houder@example.nl")
    option = registration(
        holder, zw, registered_on=date(2024, 3, 1), renew_by=date(2027, 6, 1), option_held=True
    )
    young = registration(
        seeker("jong@example.nl"), zw, registered_on=date(2024, 3, 2), renew_by=date(2027, 6, 1)
    )
    assert registrations.registrations_expire(today=today) == 1
    assert registrations.registrations_expire(today=today) == 0
    plain.refresh_from_db()
    option.refresh_from_db()
    young.refresh_from_db()
    assert plain.state == "ended" and plain.ended_on == today
    assert option.state == "active" and option.registered_on == date(2027, 3, 1)
    assert young.state == "active" and young.registered_on == date(2024, 3, 2)
    assert Message.objects.filter(person=plain.seeker, subject="Uw inschrijving is beëindigd").count() == 1
    assert Message.objects.filter(person=holder, subject="Uw inschrijftijd begint opnieuw").count() == 1


def test_it_sends_tips_once(hw, woonkracht):
    person = seeker("tip@example.nl")
    reg = registration(person, hw)
    reg.search_profile = {"places": ["Almelo"], "max_rent": "700"}
    reg.save()
    listing(hw, woonkracht, 1)
    listing(hw, woonkracht, 2, base_rent=Decimal("900"))  # above the profile's rent
    assert registrations.tips_send() == 1
    assert registrations.tips_send() == 0
    message = Message.objects.get(person=person)
    assert "Woning 1" in message.body and "Woning 2" not in message.body
    # A link that works from an e-mail: the whole address of the listing.
    assert f"{settings.SITE_URL}/woningaanbod/A0001/" in message.body


def test_a_tenant_who_wants_to_move_may_register_but_staff_may_not(huurder_client, medewerker_client):
    """A doorstromer is a tenant of ours looking for another home; staff do not sign up here."""
    assert huurder_client.get("/woningzoekend/inschrijven/").status_code == 200
    assert medewerker_client.get("/woningzoekend/inschrijven/").status_code == 404


def test_it_writes_the_counted_time_with_singular_and_plural():
    from dateutil.relativedelta import relativedelta

    assert registrations.duration_text(relativedelta(years=1, months=1)) == "1 jaar en 1 maand"
    assert registrations.duration_text(relativedelta(years=3, months=0)) == "3 jaar en 0 maanden"
