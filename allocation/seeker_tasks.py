"""Celery tasks of the seekers' side: registrations ending, tip messages (A15); sign-up mails (an outbox job).

The periodic ones are safe to run twice: the second run finds nothing left to do.
"""

from datetime import date, datetime

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from allocation import registrations
from portal import outbox


@shared_task
def registrations_expire(today: str | None = None) -> int:
    """End registrations not renewed in time, unless an option is held (daily)."""
    return registrations.registrations_expire(today=date.fromisoformat(today) if today else None)


@shared_task
def tips_send(now: str | None = None) -> int:
    """Tell each active seeker about new listings that fit their profile and data (daily)."""
    return registrations.tips_send(now=datetime.fromisoformat(now) if now else None)


@outbox.job
def signup_email(email: str, link: str, hours: int) -> None:
    """The sign-up link (made by `signup.signup_link_request`, valid `hours`); to an address
    that has an account, how to log in instead."""
    from portal.models import User
    from portal.tasks import mail_send

    owner = User.objects.filter(email__iexact=email).first()
    if owner is not None:
        login = reverse("account_login") + "?" + urlencode({"next": reverse("seeker:signup")})
        mail_send(
            email,
            _("Inschrijven met uw e-mailadres"),
            "allocation/email/signup_account_exists.txt",
            {
                "user": owner,
                "email": email,
                "login_link": settings.SITE_URL + login,
                "reset_link": settings.SITE_URL + reverse("account_reset_password"),
            },
        )
        return
    mail_send(
        email,
        _("Verder met inschrijven als woningzoekende"),
        "allocation/email/signup_link.txt",
        {"email": email, "link": link, "hours": hours},
    )
