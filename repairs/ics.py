"""The appointment as a calendar file (.ics) for the confirmation and reminder e-mails."""

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from repairs.models import RepairRequest, RepairState


def appointment_ics(repair: RepairRequest) -> bytes:
    """One VEVENT for the two-hour block; a cancelled repair cancels the same event (same UID)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Reparaties//NL")
    calendar.add("version", "2.0")
    cancelled = repair.state in (RepairState.CANCELLED,)
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    event.add("uid", f"{repair.number}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", repair.slot.starts_at)
    event.add("dtend", repair.slot.ends_at)
    # A later version of the same appointment replaces the earlier one in the calendar.
    event.add("sequence", int(timezone.now().timestamp()))
    event.add(
        "summary", _("Reparatie %(number)s: %(kind)s") % {"number": repair.number, "kind": repair.kind.name}
    )
    event.add("location", repair.address)
    event.add(
        "description",
        _(
            "De vakman komt tussen %(start)s en %(end)s. Blijf deze twee uur thuis. "
            "Bent u niet thuis, dan betaalt u € 20 voorrijkosten. Afspraak wijzigen? Bel %(phone)s."
        )
        % {
            "start": f"{repair.slot.start_hour:02d}:00",
            "end": f"{repair.slot.end_hour:02d}:00",
            "phone": repair.corporation.phone,
        },
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    # RFC 5545 wants a VTIMEZONE for the TZID of DTSTART; without it some
    # calendars read 08:00 as UTC. The years around the appointment suffice.
    year = repair.slot.date.year
    calendar.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    return calendar.to_ical()
