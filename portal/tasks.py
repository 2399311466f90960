"""E-mails about people and messages: outbox jobs (portal.outbox), so a mail server or broker
that does not answer delays them and never fails the page that caused them; and the daily
clean-up of the forms' sends (portal.once)."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import once
from portal.models import EmailChange, Message, User
from portal.outbox import job


def mail_send(to: str, subject: str, template: str, context: dict) -> None:
    """Render a plain-text mail with the site's name and address and send it (for every app's jobs)."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    send_mail(subject, render_to_string(template, context), None, [to])


@job
def message_email(message_id: int) -> None:
    message = Message.objects.select_related("person").filter(pk=message_id).first()
    if message is None:
        return
    mail_send(message.person.email, message.subject, "portal/email/message.txt", {"message": message})


@job
def email_changed_notice(user_id: int, old_email: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    mail_send(old_email, _("Uw e-mailadres is gewijzigd"), "portal/email/email_changed.txt", {"user": user})


@job
def email_change_email(change_id: int) -> None:
    """The link to confirm a new address; to an address someone else logs in with,
    a note that it cannot be used (the page that asked said the same either way)."""
    from portal.selectors import email_change_valid
    from portal.services import email_change_token

    change = EmailChange.objects.select_related("user").filter(pk=change_id).first()
    if change is None or not email_change_valid(change):
        return  # replaced by a newer request (or done) before the mail went out
    if User.objects.filter(email__iexact=change.email).exclude(pk=change.user_id).exists():
        mail_send(
            change.email,
            _("Dit e-mailadres kan niet worden gebruikt"),
            "portal/email/email_change_taken.txt",
            {"email": change.email},
        )
        return
    mail_send(
        change.email,
        _("Bevestig uw nieuwe e-mailadres"),
        "portal/email/email_change_link.txt",
        {
            "user": change.user,
            "email": change.email,
            "link": settings.SITE_URL + reverse("portal:email_confirm", args=[email_change_token(change)]),
            "hours": int(EmailChange.LINK_MAX_AGE.total_seconds() // 3600),
        },
    )


@job
def invitation_email(user_id: int) -> None:
    from portal.services import activation_path

    user = User.objects.select_related("corporation").filter(pk=user_id).first()
    if user is None or user.has_usable_password():
        return
    mail_send(
        user.email,
        _("Uw account voor %(site)s") % {"site": settings.SITE_NAME},
        "portal/email/invitation.txt",
        {"user": user, "link": settings.SITE_URL + activation_path(user)},
    )


@shared_task
def sends_forget() -> int:
    """Daily: forget the sends of forms whose sessions have expired (see `portal.once`)."""
    return once.forget()
