"""An e-mail address the mail cannot be sent to is refused in the form, not a 500 when
the mail goes out. Django's validator accepts any letter above U+00A0 in the domain;
the mail writes the domain as IDNA, which refuses some of them (private use, U+FFFD)."""

import pytest
from django.core.exceptions import ValidationError

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
