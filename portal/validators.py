"""Checks and normal forms for Dutch data: postcodes, phone numbers and e-mail addresses."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.encoding import punycode
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as nl_postcode


def normalize_postcode(value: str) -> str:
    """Return a Dutch postcode as '7601 AB', or raise ValidationError.

    python-stdnum knows the format and that the letter pairs SA, SD and SS
    are not used.
    """
    try:
        return nl_postcode.validate((value or "").upper())
    except StdnumError:
        raise ValidationError(
            _("Vul een geldige postcode in, zoals 1234 AB."), code="invalid_postcode"
        ) from None


def validate_postcode(value: str) -> None:
    normalize_postcode(value)


def normalize_phone(value: str) -> str:
    """Return a phone number in its usual written form, or raise ValidationError.

    Dutch numbers are written the Dutch way (06 17507926, 0546 546 464);
    foreign numbers keep their country code (+44 20 7946 0958).
    """
    try:
        number = phonenumbers.parse(value or "", "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Vul een geldig telefoonnummer in, zoals 06 12345678."), code="invalid_phone")
    if number.country_code == 31:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_phone(value: str) -> None:
    normalize_phone(value)


#: The longest address a mail can be sent to (RFC 5321's 256-octet path less its angle
#: brackets), and what every e-mail column holds (Django's EmailField, allauth's).
EMAIL_MAX_LENGTH = 254


def validate_email_length(value: str) -> None:
    """Django's form field takes addresses up to 320 characters, the columns hold 254: a
    longer one passed the form and failed when it was saved (a 500, or a DataError on
    PostgreSQL once the sign-up link was used)."""
    if len(value) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            _("Dit e-mailadres is te lang. Een e-mailadres heeft hoogstens %(limit)s tekens."),
            code="max_length",
            params={"limit": EMAIL_MAX_LENGTH},
        )


def validate_mail_domain(value: str) -> None:
    """The address's domain can be written in a mail header (as IDNA, the way Django's
    mail does it).

    Django's EmailValidator accepts any letter above U+00A0 in a domain, IDNA does not
    (U+FFFD, private-use characters): an address like that passed the form, and sending
    to it raised UnicodeError, a 500 after the form had been accepted.
    """
    domain = value.rpartition("@")[2]
    try:
        punycode(domain)
    except UnicodeError:
        raise ValidationError(
            _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."), code="invalid"
        ) from None
