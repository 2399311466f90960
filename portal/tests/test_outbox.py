"""The outbox: a job exists exactly when its change does, waits out a broker or mail server
that does not answer, and runs once however often it is handed over."""

import io
import sys
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from conftest import client_for, settings_for
from portal import outbox, services
from portal.models import OutboxJob

State = OutboxJob.State


def later(**delta):
    return timezone.now() + timedelta(**delta)


@pytest.fixture
def broker_down(closed_port, celery_settings):
    """Redis (the Celery broker) at a port where nothing listens; jobs are not run in-process."""
    celery_settings(settings_for(REDIS_URL=f"redis://127.0.0.1:{closed_port}/0"))
    return celery_settings


@pytest.fixture
def mail_server_down(closed_port, settings):
    settings.MAILERS = settings_for(EMAIL_URL=f"smtp://127.0.0.1:{closed_port}").MAILERS


def tell(person, subject="Uw aanvraag is ontvangen"):
    """A message to a tenant, committed: its e-mail is an outbox job."""
    return services.message_send(person=person, subject=subject, body="Wij nemen contact met u op.")


def subjects():
    return sorted(message.subject for message in mail.outbox)


# --- recorded with the change ---------------------------------------------------------


def test_a_job_exists_only_if_its_change_is_saved(huurder, mailoutbox, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        tell(huurder)
        raise RuntimeError("the page failed after writing")
    assert not OutboxJob.objects.exists() and mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        tell(huurder)
    job = OutboxJob.objects.get()
    assert (job.name, job.state, job.tries) == ("portal.tasks.message_email", State.DONE, 1)
    assert job.corporation == huurder.corporation and "huurder@example.nl" in job.summary
    assert [m.to for m in mailoutbox] == [["huurder@example.nl"]]


def test_only_a_registered_job_can_be_queued(db):
    def not_a_job(pk):
        return pk

    with pytest.raises(ValueError, match="not an outbox job"):
        outbox.enqueue(not_a_job, 1)


# --- once --------------------------------------------------------------------------------


def test_a_job_handed_over_twice_runs_once(huurder, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        tell(huurder)
    assert outbox.relay() == 1
    job = OutboxJob.objects.get()
    # The same message delivered again (a relay that died after sending, a broker redelivery).
    outbox.run_task.apply_async(args=[job.pk])
    assert outbox.run(job.pk) is False
    assert len(mailoutbox) == 1
    assert OutboxJob.objects.get().state == State.DONE


#: What the relay handed over again while `long_mail` ran (id, tries), held back until the test sends it.
handed_again: list = []


@outbox.job
def long_mail(to: str) -> None:
    """A mail whose sending takes longer than RUNNING_AFTER: meanwhile the relay takes the worker
    for dead and hands the job over once more (kept back in `handed_again` for the test)."""
    if not handed_again:
        outbox.relay(now=later(minutes=31))
    mail.send_mail("Lang onderweg", "Tekst", None, [to])


def test_a_job_handed_over_again_while_it_runs_runs_once(db, mailoutbox, monkeypatch):
    monkeypatch.setattr(outbox, "_hand_over", lambda jobs: handed_again.extend(jobs) or len(jobs))
    handed_again.clear()
    job = outbox.enqueue(long_mail, "huurder@example.nl")
    OutboxJob.objects.filter(pk=job.pk).update(state=State.PUBLISHED, tries=1)

    assert outbox.run(job.pk) is True
    assert handed_again == [(job.pk, 2)]
    assert OutboxJob.objects.get().state == State.DONE
    # The second message arrives: the job is done, it does not run again.
    assert outbox.run(job.pk) is False
    assert [m.subject for m in mailoutbox] == ["Lang onderweg"]


def test_a_job_whose_worker_died_halfway_is_run_again_after_a_while(
    huurder, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    import portal.tasks

    with django_capture_on_commit_callbacks(execute=False):
        tell(huurder)
    job = OutboxJob.objects.get()
    OutboxJob.objects.filter(pk=job.pk).update(state=State.PUBLISHED, tries=1)
    with monkeypatch.context() as killed:
        killed.setattr(portal.tasks, "mail_send", lambda *args: sys.exit("the worker was stopped"))
        with pytest.raises(SystemExit):
            outbox.run(job.pk)
    assert OutboxJob.objects.get().state == State.RUNNING  # as the dead worker left it

    assert outbox.relay(now=later(minutes=29)) == 0 and mailoutbox == []
    assert outbox.relay(now=later(minutes=31)) == 1
    assert [m.to for m in mailoutbox] == [["huurder@example.nl"]]
    assert OutboxJob.objects.get().state == State.DONE


def test_a_lost_hand_over_is_repeated_after_a_while(huurder, mailoutbox, django_capture_on_commit_callbacks):
    """Handed to a broker that lost it (or to a worker that died): the relay hands it over again."""
    with django_capture_on_commit_callbacks(execute=False):
        tell(huurder)
    OutboxJob.objects.update(state=State.PUBLISHED, tries=1, due_at=later(minutes=10))

    assert outbox.relay() == 0 and mailoutbox == []
    assert outbox.relay(now=later(minutes=11)) == 1
    assert len(mailoutbox) == 1
    assert outbox.relay(now=later(days=1)) == 0
    assert OutboxJob.objects.get().tries == 2


# --- broker down -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_jobs_wait_and_go_once_it_is_back(huurder, buur, broker_down, mailoutbox):
    for person, subject in [(huurder, "Eén"), (buur, "Twee"), (huurder, "Drie")]:
        tell(person, subject)  # each in its own transaction, as pages do

    assert mailoutbox == []
    jobs = OutboxJob.objects.order_by("pk")
    assert [job.state for job in jobs] == [State.PENDING] * 3
    # The first found the broker down; the others were left to the relay at once.
    assert "Connection refused" in jobs[0].last_error and jobs[0].tries == 1
    assert [job.tries for job in jobs[1:]] == [0, 0]
    assert outbox.relay() == 0  # still down: each waits again, none is lost
    assert list(OutboxJob.objects.values_list("state", flat=True)) == [State.PENDING] * 3

    broker_down(settings_for(REDIS_URL=""))  # back (in-process, as without Redis)
    assert outbox.relay(now=later(minutes=5)) == 3
    assert subjects() == ["Drie", "Eén", "Twee"]
    assert outbox.relay(now=later(days=1)) == 0
    for job in OutboxJob.objects.all():
        outbox.run_task.apply_async(args=[job.pk])  # handed over once more: nothing runs twice
    assert subjects() == ["Drie", "Eén", "Twee"]
    assert set(OutboxJob.objects.values_list("state", flat=True)) == {State.DONE}


# --- mail server down ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_the_mail_server_down_the_page_answers_and_the_mail_waits(
    medewerker_client, data_change_case, mail_server_down, settings
):
    from portal.tests.test_admin import save_case

    response = save_case(medewerker_client, data_change_case, transition="complete", note="Aangepast.")
    assert response.status_code == 302

    job = OutboxJob.objects.filter(summary__contains="afgehandeld").get()
    assert job.state == State.PENDING and job.tries == 1
    assert "ConnectionRefusedError" in job.last_error
    assert later(seconds=25) < job.due_at < later(seconds=35)

    settings.MAILERS = settings_for(EMAIL_URL="locmem://").MAILERS
    assert outbox.relay() == 0  # not due yet: it backs off
    assert outbox.relay(now=later(minutes=1)) >= 1
    assert [m.to for m in mail.outbox if "afgehandeld" in m.subject] == [["huurder@example.nl"]]
    assert outbox.relay(now=later(days=1)) == 0
    assert [m.to for m in mail.outbox if "afgehandeld" in m.subject] == [["huurder@example.nl"]]


@pytest.mark.django_db(transaction=True)
def test_the_demo_loads_with_the_mail_server_down(mail_server_down, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    assert "Demo data loaded" in out.getvalue()
    waiting = OutboxJob.objects.filter(state=State.PENDING)
    assert waiting.exists() and not OutboxJob.objects.exclude(state=State.PENDING).exists()
    assert all("ConnectionRefusedError" in job.last_error for job in waiting)


def test_a_failing_job_backs_off_up_to_an_hour():
    assert [outbox.backoff(tries).total_seconds() for tries in range(1, 10)] == [
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]
    assert outbox.backoff(10_000) == timedelta(hours=1)


def test_a_job_that_keeps_failing_keeps_its_last_error(
    huurder, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(huurder)
    for minutes in (1, 2, 4):
        outbox.relay(now=later(minutes=minutes))
    job = OutboxJob.objects.get()
    assert job.state == State.PENDING and job.tries == 4 and "ConnectionRefusedError" in job.last_error


# --- allauth's own mails --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_waits_for_the_mail_server(anoniem, huurder, mail_server_down, settings):
    response = anoniem.post("/accounts/password/reset/", {"email": "huurder@example.nl"})
    assert response.status_code == 302

    job = OutboxJob.objects.get()
    assert job.name == "portal.outbox.send_email" and job.state == State.PENDING
    assert job.corporation == huurder.corporation
    assert job.summary == "Nieuw wachtwoord kiezen → huurder@example.nl"

    settings.MAILERS = settings_for(EMAIL_URL="locmem://").MAILERS
    outbox.relay(now=later(minutes=1))
    [sent] = mail.outbox
    assert sent.to == ["huurder@example.nl"] and "/accounts/password/reset/key/" in sent.body


def test_a_rendered_mail_keeps_its_parts(db, mailoutbox, django_capture_on_commit_callbacks):
    message = mail.EmailMultiAlternatives(
        "Onderwerp",
        "Tekst",
        "portaal@example.nl",
        ["a@example.nl"],
        cc=["b@example.nl"],
        reply_to=["c@example.nl"],
    )
    message.attach_alternative("<p>Tekst</p>", "text/html")
    message.attach("afspraak.ics", "BEGIN:VCALENDAR\r\n", "text/calendar")
    message.attach("bijlage.pdf", b"%PDF-1.4\xff", "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        outbox.email_later(message)
    [sent] = mailoutbox
    assert (sent.subject, sent.body, sent.from_email, sent.to, sent.cc, sent.reply_to) == (
        "Onderwerp",
        "Tekst",
        "portaal@example.nl",
        ["a@example.nl"],
        ["b@example.nl"],
        ["c@example.nl"],
    )
    assert sent.alternatives[0][:2] == ("<p>Tekst</p>", "text/html")
    assert [a[:2] for a in sent.attachments] == [
        ("afspraak.ics", "BEGIN:VCALENDAR\r\n"),
        ("bijlage.pdf", b"%PDF-1.4\xff"),
    ]


# --- housekeeping ----------------------------------------------------------------------------------


def test_a_done_job_keeps_its_summary_but_not_the_link_it_sent(
    anoniem, huurder, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        anoniem.post("/accounts/password/reset/", {"email": "huurder@example.nl"})
    [sent] = mailoutbox
    assert "/accounts/password/reset/key/" in sent.body
    job = OutboxJob.objects.get()
    assert (job.state, job.args) == (State.DONE, [])
    assert job.summary == "Nieuw wachtwoord kiezen → huurder@example.nl"


def test_done_jobs_are_removed_after_a_week(huurder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell(huurder)
    outbox.relay(now=later(days=6))
    assert OutboxJob.objects.exists()
    outbox.relay(now=later(days=8))
    assert not OutboxJob.objects.exists()


def test_the_cron_command_relays(huurder, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        tell(huurder)
    out = io.StringIO()
    call_command("outbox_relay", stdout=out)
    assert "1 job(s) handed over." in out.getvalue() and len(mailoutbox) == 1


# --- what staff see ----------------------------------------------------------------------------------


@pytest.fixture
def waiting(huurder, collega, mail_server_down, django_capture_on_commit_callbacks):
    """A message mail for huurder (Woonkracht), one for collega (Waardwonen) and a mail of nobody's
    corporation, all refused by the mail server."""
    with django_capture_on_commit_callbacks(execute=True):
        tell(huurder, "Voor Woonkracht")
        tell(collega, "Voor Waardwonen")
        outbox.email_later(
            mail.EmailMessage("Geheime link", "https://example.nl/geheim-token/", None, ["los@example.nl"])
        )
    return OutboxJob.objects.all()


def test_staff_see_what_waits_for_their_corporation_and_why(waiting, medewerker_client):
    page = medewerker_client.get("/beheer/portal/outboxjob/").text
    assert "Voor Woonkracht" in page and "ConnectionRefusedError" in page
    assert "Voor Waardwonen" not in page and "Geheime link" not in page
    other = waiting.get(summary__startswith="Voor Waardwonen")
    assert medewerker_client.get(f"/beheer/portal/outboxjob/{other.pk}/change/").status_code == 302


def test_a_superuser_sees_every_waiting_job_but_never_its_contents(waiting, beheer):
    client = client_for(beheer)
    page = client.get("/beheer/portal/outboxjob/").text
    assert all(subject in page for subject in ("Voor Woonkracht", "Voor Waardwonen", "Geheime link"))
    secret = waiting.get(summary__startswith="Geheime link")
    detail = client.get(f"/beheer/portal/outboxjob/{secret.pk}/change/").text
    assert "ConnectionRefusedError" in detail and "geheim-token" not in detail


def test_nobody_edits_the_outbox_in_the_admin(waiting, beheer):
    client = client_for(beheer)
    job = waiting.first()
    assert client.get("/beheer/portal/outboxjob/add/").status_code == 403
    assert client.post(f"/beheer/portal/outboxjob/{job.pk}/delete/", {"post": "yes"}).status_code == 403
    assert OutboxJob.objects.filter(pk=job.pk).exists()


# --- two relays at once --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_relay_skips_the_jobs_another_relay_holds(needs_postgres, huurder, buur, broker_down, mailoutbox):
    """SELECT … FOR UPDATE SKIP LOCKED: a second relay neither waits for nor takes the first one's rows."""
    import threading

    from django.db import connections

    tell(huurder, "Eén")
    tell(buur, "Twee")
    broker_down(settings_for(REDIS_URL=""))
    held, release, done = threading.Event(), threading.Event(), threading.Event()
    first = OutboxJob.objects.order_by("pk").first()

    def other_relay():
        with transaction.atomic():
            OutboxJob.objects.select_for_update().get(pk=first.pk)
            held.set()
            release.wait(10)
        connections.close_all()
        done.set()

    threading.Thread(target=other_relay).start()
    assert held.wait(10)
    try:
        assert outbox.relay(now=later(minutes=5)) == 1
        assert subjects() == ["Twee"]
    finally:
        release.set()
        done.wait(10)
    assert outbox.relay(now=later(minutes=5)) == 1
    assert subjects() == ["Eén", "Twee"]
