"""Signing up as a seeker: first the address, then the account and the registrations.

Someone without an account types their e-mail address, and the page answers the
same whoever the address belongs to: "we sent you a mail". The mail
(`allocation.seeker_tasks.signup_email`) holds a link to the sign-up form, valid for
a day, or, when the address already has an account, how to log in or choose a new
password. Only the owner of the mailbox learns which, so the sign-up cannot be used
to find out who has an account, and every seeker's address is known to be theirs.

A logged-in person (a tenant who wants to move) signs up at once, without a link.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from allocation import registrations
from allocation.models import Registration
from portal import outbox
from portal.errors import DomainError
from portal.models import User

#: How long the link in the mail works.
LINK_MAX_AGE = timedelta(hours=24)
SALT = "allocation.signup"

MESSAGES = {
    "account_exists": _("Er is al een account met dit e-mailadres. Log in en schrijf u daarna in."),
}


def signup_link_request(*, email: str) -> None:
    """Mail `email` the link to sign up, or, if it has an account, how to log in.

    Which of the two is decided by the mail job, not here: the request does the
    same work, and answers the same, for every address.
    """
    from allocation.seeker_tasks import signup_email

    email = User.objects.normalize_email(email).strip().lower()
    link = settings.SITE_URL + reverse("seeker:signup_account", args=[signup_token(email)])
    hours = int(LINK_MAX_AGE.total_seconds() // 3600)
    # Nobody's corporation yet: only superusers see it waiting (with the link hidden).
    outbox.enqueue(
        signup_email,
        email,
        link,
        hours,
        summary=str(_("Verder met inschrijven als woningzoekende")) + f" → {email}",
    )


def signup_token(email: str) -> str:
    return signing.dumps(email, salt=SALT)


def email_for_token(token: str) -> str | None:
    """The address a sign-up link was sent to; None when it is forged or older than a day."""
    try:
        return signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()


@dataclass(frozen=True)
class NewAccount:
    """The account of someone who signs up through the link sent to `email`."""

    email: str
    password: str
    first_name: str
    surname_prefix: str
    surname: str


def seeker_signup(
    *,
    seeker: User | None = None,
    account: NewAccount | None = None,
    birth_date: date,
    phone: str,
    regions,
    data: registrations.SeekerData,
) -> tuple[User, list[Registration]]:
    """Register `seeker`, or a new account, in the chosen regions (A2, A3).

    The new account's address was confirmed by the link, so allauth's address
    book gets it as the verified login address. A second send of the same form
    finds the account made by the first and is refused; the database's unique
    address decides when both arrive at once.
    """
    if (seeker is None) == (account is None):
        raise ValueError("either a seeker or a new account")
    with transaction.atomic():
        if account is not None:
            if account_exists(account.email):
                raise DomainError(MESSAGES["account_exists"], code="account_exists")
            try:
                with transaction.atomic():
                    seeker = User.objects.create_user(
                        email=account.email,
                        password=account.password,
                        first_name=account.first_name,
                        surname_prefix=account.surname_prefix,
                        surname=account.surname,
                    )
            except IntegrityError:
                raise DomainError(MESSAGES["account_exists"], code="account_exists") from None
            EmailAddress.objects.create(user=seeker, email=seeker.email, primary=True, verified=True)
        seeker.birth_date = birth_date
        if phone:
            seeker.phone_mobile = phone
        seeker.save(update_fields=["birth_date", "phone_mobile"])
        made = registrations.registration_create(seeker=seeker, regions=regions, data=data)
    return seeker, made
