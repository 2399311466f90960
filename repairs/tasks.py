"""Background work for repairs: e-mails with the appointment file (outbox jobs), reminders, drafts."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from portal.outbox import job
from repairs.models import RepairRequest


@job
def repair_email(repair_id: int, event: str) -> None:
    from repairs.ics import appointment_ics
    from repairs.services import SUBJECTS, WITH_ICS

    repair = (
        RepairRequest.objects.select_related("slot", "kind", "corporation", "unit", "complex", "common_area")
        .filter(pk=repair_id)
        .first()
    )
    if repair is None:
        return
    context = {
        "repair": repair,
        "event": event,
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
    }
    message = EmailMessage(
        subject=str(SUBJECTS[event]) % {"number": repair.number},
        body=render_to_string("repairs/email/repair.txt", context),
        to=[repair.contact_email],
    )
    if event in WITH_ICS:
        message.attach(f"afspraak-{repair.number}.ics", appointment_ics(repair), "text/calendar")
    message.send()


@shared_task
def repair_reminders() -> int:
    """Daily: remind everyone with an appointment tomorrow. Running it twice sends one reminder."""
    from repairs.services import reminders_send

    return reminders_send()


@shared_task
def repair_drafts_clean() -> int:
    from repairs.services import drafts_clean

    return drafts_clean()
