"""Signing up as a seeker: first the address, then the account and the registrations.

Someone without an account types their e-mail address, and the page answers the
same whoever the address belongs to: "we sent you a mail". The mail
(`allocation.seeker_tasks.signup_email`) holds a link to the sign-up form, valid for
a day, or, when the address already has an account, how to log in or choose a new
password. Only the owner of the mailbox learns which, so the sign-up cannot be used
to find out who has an account, and every seeker's address is known to be theirs.

A logged-in person (a tenant who wants to move) signs up at once, without a link.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from allocation import registrations
from allocation.models import Registration, RegistrationState
from portal import once, outbox
from portal.errors import DomainError
from portal.models import User

log = logging.getLogger(__name__)

#: How long the link in the mail works.
LINK_MAX_AGE = timedelta(hours=24)
SALT = "allocation.signup"

MESSAGES = {
    "account_exists": _("Er is al een account met dit e-mailadres. Log in en schrijf u daarna in."),
}
BANK_DOWN = _(
    "De betaalpagina van de bank is nu niet bereikbaar. Er is niets afgeschreven. "
    "Probeer het over een paar minuten opnieuw."
)


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


@dataclass(frozen=True)
class SignedUp:
    """What a sign-up made, for its confirmation.

    `registration` is the one to pay for first (else any); `payment` is its fee's
    payment at the bank, and `problem` says in Dutch why there is none although the
    fee is open (the bank did not answer): Mijn inschrijving then offers to pay.
    """

    registration: Registration
    payment: object | None = None
    problem: str = ""

    @property
    def seeker(self) -> User:
        return self.registration.seeker


def seeker_signup(
    *,
    seeker: User | None = None,
    account: NewAccount | None = None,
    birth_date: date,
    phone: str,
    regions,
    data: registrations.SeekerData,
    key: once.SendKey | None = None,
) -> SignedUp:
    """Register `seeker`, or a new account, in the chosen regions (A2, A3), and start the fee's payment.

    The new account's address was confirmed by the link, so allauth's address
    book gets it as the verified login address. The form sent again (its `key`,
    see `portal.once`) signs up once and answers with what the first send made,
    the same payment included; sent at the same moment, the database's unique
    address decides which send makes the account.
    """
    if (seeker is None) == (account is None):
        raise ValueError("either a seeker or a new account")

    def sign_up() -> Registration:
        made = _sign_up(seeker, account, birth_date, phone, regions, data)
        return next((r for r in made if r.state == RegistrationState.PENDING), made[0])

    return _with_fee(once.send(key, sign_up), key)


def signup_earlier(*, key: once.SendKey | None, seeker: User | None = None) -> SignedUp | None:
    """What this sign-up form's earlier send made, or None: for a send that finds the account
    its first send made (it is then logged in, or not yet when the two crossed)."""
    first = once.earlier(key)
    if first is None or (seeker is not None and first.seeker_id != seeker.pk):
        return None
    return _with_fee(first, key)


def _sign_up(seeker, account, birth_date, phone, regions, data) -> list[Registration]:
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
        return registrations.registration_create(seeker=seeker, regions=regions, data=data)


def _with_fee(registration: Registration, key: once.SendKey | None) -> SignedUp:
    """The registration with its fee's payment started (the same one for a resent form).

    The registration is saved by then: a bank that does not answer, or a fee no longer
    open, is told on Mijn inschrijving, never as an error on the sign-up form.
    """
    from payments.providers import ProviderError

    if registration.state != RegistrationState.PENDING:
        return SignedUp(registration)
    try:
        payment = registrations.fee_payment_start(
            seeker=registration.seeker, number=registration.number, key=key.derive("pay") if key else None
        )
    except DomainError as exc:
        return SignedUp(registration, problem=exc.message)
    except ProviderError:
        log.exception("registration fee payment could not be started after signing up")
        return SignedUp(registration, problem=str(BANK_DOWN))
    return SignedUp(registration, payment)
