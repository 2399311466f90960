"""An e-mail address the mail cannot be sent to is refused in the form, not a 500 when
the mail goes out. Django's validator accepts any letter above U+00A0 in the domain;
the mail writes the domain as IDNA, which refuses some of them (private use, U+FFFD)."""

import pytest
from django.core.exceptions import ValidationError

from conftest import TOO_LONG, TOO_LONG_EMAIL
from portal.models import EmailChange
from portal.validators import validate_mail_domain

UNSENDABLE = "huurder@example\ue000.nl"


def test_password_reset_refuses_an_address_the_mail_cannot_carry(anoniem, huurder, mailoutbox):
    response = anoniem.post("/accounts/password/reset/", {"email": UNSENDABLE})
    assert "Vul een geldig e-mailadres in" in response.text
    assert mailoutbox == []


def test_mijn_gegevens_refuses_an_address_the_mail_cannot_carry(huurder_client, huurder):
    data = {"phone_private": "06 12345678", "phone_work": "", "phone_mobile": "", "email": UNSENDABLE}
    response = huurder_client.post("/mijn/gegevens/", data)
    assert "Vul een geldig e-mailadres in" in response.text
    huurder.refresh_from_db()
    assert huurder.email == "huurder@example.nl"


def test_a_domain_in_other_letters_is_fine():
    validate_mail_domain("naam@café.nl")
    with pytest.raises(ValidationError):
        validate_mail_domain("naam@caf\ufffd.nl")


# --- addresses longer than any column holds (Django's form field takes up to 320) ----------


def test_mijn_gegevens_refuses_an_address_longer_than_any_mailbox(huurder_client, huurder):
    data = {"phone_private": "06 12345678", "phone_work": "", "phone_mobile": "", "email": TOO_LONG_EMAIL}
    response = huurder_client.post("/mijn/gegevens/", data)
    assert response.status_code == 200 and TOO_LONG in response.text
    assert not EmailChange.objects.exists()


def test_the_login_and_the_password_reset_refuse_an_address_longer_than_any_mailbox(anoniem, db, mailoutbox):
    login = anoniem.post("/accounts/login/", {"login": TOO_LONG_EMAIL, "password": "geraden"})
    assert login.status_code == 200 and TOO_LONG in login.text
    reset = anoniem.post("/accounts/password/reset/", {"email": TOO_LONG_EMAIL})
    assert reset.status_code == 200 and TOO_LONG in reset.text
    assert mailoutbox == []


def test_staff_cannot_give_a_tenant_an_address_longer_than_any_mailbox(medewerker_client, huurder):
    url = f"/beheer/portal/user/{huurder.pk}/change/"
    page = medewerker_client.get(url)
    assert page.status_code == 200
    data = {
        "email": TOO_LONG_EMAIL,
        "phone_private": huurder.phone_private,
        "initials": huurder.initials,
        "surname": huurder.surname,
        "civil_status": huurder.civil_status,
        "corporation": huurder.corporation_id,
        "preferred_language": huurder.preferred_language,
        "is_active": "on",
    }
    response = medewerker_client.post(url, data)
    assert response.status_code == 200 and TOO_LONG in response.text
    assert not EmailChange.objects.exists()
