"""Background work for repairs: reminders the day before and the e-mail with the appointment file.

"Wij vragen u om deze twee uur vrij te houden en thuis te blijven": the day before, everyone with an
appointment gets a reminder, once.
"""

from datetime import date, datetime

import pytest
from django.db import transaction
from icalendar import Calendar

from conftest import make_repair
from portal.models import Message
from repairs import services
from repairs.models import RepairRequest
from repairs.rules import AMSTERDAM
from repairs.tasks import repair_email, repair_reminders

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)  # Tuesday
TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (date(2026, 12, d) for d in (1, 2, 3, 4))


@pytest.fixture
def home(huurder):
    return next(u for u in services.tenant_units(huurder) if u.kind == "home")


@pytest.fixture
def planned(home, huurder, repair_catalogue):
    """huurder's repair, reported by her at NOW for Wednesday 08:00 (its confirmation is not sent here)."""
    return make_repair(home, repair_catalogue, reporter=huurder, now=NOW)


def reminders(mailoutbox):
    return [mail for mail in mailoutbox if mail.subject.startswith("Herinnering")]


def send_reminders(capture, today):
    with capture(execute=True):
        return services.reminders_send(today=today)


def test_a_reminder_goes_out_the_day_before(planned, huurder, mailoutbox, django_capture_on_commit_callbacks):
    """ "Wij vragen u om deze twee uur vrij te houden en thuis te blijven." """
    assert send_reminders(django_capture_on_commit_callbacks, TUESDAY) == 1

    [mail] = mailoutbox
    assert mail.subject.startswith("Herinnering") and planned.number in mail.subject
    assert mail.to == [huurder.email]
    assert "Blijf deze twee uur thuis" in mail.body
    [(name, content, _mimetype)] = mail.attachments
    assert name.endswith(".ics")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event["DTSTART"].dt == datetime(2026, 12, 2, 8, 0, tzinfo=AMSTERDAM)
    [message] = Message.objects.filter(person=huurder, subject__startswith="Herinnering")
    assert message.subject == mail.subject
    planned.refresh_from_db()
    assert planned.reminder_sent_at is not None


def test_running_the_job_twice_sends_one_reminder(
    planned, huurder, mailoutbox, django_capture_on_commit_callbacks
):
    """ "… thuis te blijven": one reminder, not one per run of the job."""
    assert send_reminders(django_capture_on_commit_callbacks, TUESDAY) == 1
    assert send_reminders(django_capture_on_commit_callbacks, TUESDAY) == 0
    assert len(mailoutbox) == 1
    assert Message.objects.filter(person=huurder, subject__startswith="Herinnering").count() == 1


def test_no_reminder_on_other_days(planned, mailoutbox, django_capture_on_commit_callbacks):
    """ "… thuis te blijven": the day before, not two days before nor on the day itself."""
    assert send_reminders(django_capture_on_commit_callbacks, date(2026, 11, 30)) == 0
    assert send_reminders(django_capture_on_commit_callbacks, WEDNESDAY) == 0
    assert mailoutbox == []


def test_a_cancelled_appointment_gets_no_reminder(
    planned, huurder, mailoutbox, django_capture_on_commit_callbacks
):
    """ "U kunt totdat onze planning de datum definitief maakt het reparatieverzoek annuleren":
    then nobody comes."""
    services.repair_cancel(repair=planned, by=huurder, now=NOW)
    assert send_reminders(django_capture_on_commit_callbacks, TUESDAY) == 0
    assert mailoutbox == []
    assert not Message.objects.filter(subject__startswith="Herinnering").exists()


def test_a_fixed_appointment_gets_a_reminder(
    planned, medewerker, mailoutbox, django_capture_on_commit_callbacks
):
    """ "… totdat onze planning de datum definitief maakt": a fixed date is all the more a date to be home."""
    services.repair_fix(repair=planned, staff=medewerker, now=NOW)
    assert send_reminders(django_capture_on_commit_callbacks, TUESDAY) == 1
    assert len(reminders(mailoutbox)) == 1


def test_a_moved_appointment_gets_a_new_reminder(
    planned, huurder, mailoutbox, django_capture_on_commit_callbacks
):
    """ "Wij vragen u om deze twee uur vrij te houden": the two hours the appointment has now."""
    assert send_reminders(django_capture_on_commit_callbacks, TUESDAY) == 1
    services.repair_rebook(repair=planned, day=FRIDAY, start_hour=10, by=huurder, now=NOW)

    assert send_reminders(django_capture_on_commit_callbacks, THURSDAY) == 1

    first, second = reminders(mailoutbox)
    [event] = Calendar.from_ical(second.attachments[0][1]).walk("VEVENT")
    assert event["DTSTART"].dt == datetime(2026, 12, 4, 10, 0, tzinfo=AMSTERDAM)


def test_an_appointment_moved_while_the_job_runs_still_gets_its_reminder(
    planned, huurder, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """ "Wij vragen u om deze twee uur vrij te houden": the tenant moves Wednesday's appointment to Friday
    after the job has listed Wednesday's appointments but before it claims this one."""

    class MovedMeanwhile:
        on_commit = staticmethod(transaction.on_commit)
        moved = False

        def atomic(self, *args, **kwargs):
            if not self.moved:
                self.moved = True
                services.repair_rebook(repair=planned, day=FRIDAY, start_hour=10, by=huurder, now=NOW)
            return transaction.atomic(*args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(services, "transaction", MovedMeanwhile())
        assert send_reminders(django_capture_on_commit_callbacks, TUESDAY) == 0
    assert RepairRequest.objects.get(pk=planned.pk).slot.date == FRIDAY

    assert send_reminders(django_capture_on_commit_callbacks, THURSDAY) == 1
    assert len(reminders(mailoutbox)) == 1


def test_an_anonymous_reporter_gets_the_reminder_by_mail_only(
    home, repair_catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    """ "Hiervoor hoeft u niet eerst in te loggen": no account, so the e-mail is the reminder."""
    make_repair(home, repair_catalogue, now=NOW)
    assert send_reminders(django_capture_on_commit_callbacks, TUESDAY) == 1
    [mail] = mailoutbox
    assert mail.to == ["melder@example.nl"]
    assert not Message.objects.exists()


def test_the_daily_job_reminds_for_tomorrow(
    planned, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    """The scheduled task takes today's date in Amsterdam."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    with django_capture_on_commit_callbacks(execute=True):
        assert repair_reminders.delay().get() == 1
    assert len(reminders(mailoutbox)) == 1


def test_the_email_of_a_deleted_repair_is_not_sent(planned, mailoutbox):
    """A repair deleted before its e-mail job ran: nothing to tell, and no error to retry."""
    pk = planned.pk
    planned.delete()
    repair_email(pk, "confirmed")
    repair_email(pk, "reminder")
    assert mailoutbox == []


def test_the_appointment_file_goes_with_appointments_only(planned, mailoutbox):
    """ "Zodra u het verzoek heeft ingediend …": the confirmation carries the appointment, a completed
    repair has none."""
    repair_email(planned.pk, "confirmed")
    repair_email(planned.pk, "completed")
    confirmed, completed = mailoutbox
    assert [a[0] for a in confirmed.attachments] == [f"afspraak-{planned.number}.ics"]
    assert completed.attachments == []
    assert "uitgevoerd" in completed.subject
