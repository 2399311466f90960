"""The outbox: work for later (e-mails, reminders), recorded with the change that causes it.

A job queued with `.delay()` after the commit was lost when Redis did not
answer, and its error reached a page whose change was already saved (a 500,
and a retry saved the change again). Here a job is a row (`OutboxJob`) written
in the caller's transaction, so it exists exactly when the change does; from
there it is handed to Celery, and an outage of the broker or the mail server
delays it and loses nothing.

One job's way:

- `enqueue()`, inside the caller's transaction: a row, "pending", due now.
- After the commit the job is handed to Celery at once (`_publish_committed`):
  marked "published" by a conditional UPDATE, then sent as `portal.outbox.run`
  with a short broker timeout and no retry loop. A broker that does not answer
  puts the job back to "pending", due later, with the error; a failure here is
  logged, never raised into the page. After such a failure the process leaves
  new jobs to the relay for `BROKER_RETRY_AFTER` seconds instead of waiting
  for the broker on every page.
- `relay()` (Celery beat every minute, `manage.py outbox_relay` for cron) does
  the same for every due row: pending ones whose back-off has passed, and
  published or running ones that never finished (a lost message, a worker
  that died). It claims them under `SELECT … FOR UPDATE SKIP LOCKED` where the
  database has it, so two relays do not take the same rows.
- `run()`, on the worker (or in-process when REDIS_URL is unset and Celery
  runs tasks eagerly), claims the job with a conditional UPDATE
  (published → running): a job handed over twice runs once. It succeeds
  ("done") or goes back to "pending" with its error and a back-off (30 s,
  doubling, at most an hour), and is tried again until it succeeds.

A job's function is registered with `@job`, takes JSON arguments (ids, texts)
and must not mind being run again after a crash halfway (the one case where
a job can run twice). A job's arguments may hold what only its addressee may
see (a rendered password-reset link), so they are cleared the moment it is
done; the row, with its summary, is kept for `KEEP_DONE`, then removed.
"""

import base64
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from importlib import import_module

from celery import shared_task
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connections, router, transaction
from django.utils import timezone

from portal.models import OutboxJob

log = logging.getLogger(__name__)

State = OutboxJob.State
#: States a job can be due in: waiting to be handed over, or handed over and not finished in time.
UNFINISHED = [State.PENDING, State.PUBLISHED, State.RUNNING]

FIRST_RETRY = 30  # seconds after the first failure; doubles with each try
LAST_RETRY = 3600  # at most an hour between tries
#: A job handed to Celery and not started within this time (a lost message, no worker) goes again.
UNCLAIMED_AFTER = timedelta(minutes=10)
#: A job started and not finished within this time (its worker died) goes again.
RUNNING_AFTER = timedelta(minutes=30)
KEEP_DONE = timedelta(days=7)
BROKER_TIMEOUT = 2  # seconds to reach the broker when handing jobs over
BROKER_RETRY_AFTER = 30  # seconds during which a process that found the broker down leaves jobs to the relay
BATCH = 500

#: name -> function, filled by @job when the module defining the function is imported.
JOBS: dict[str, Callable] = {}

#: Broker URL -> until when (time.monotonic) this process leaves new jobs to the relay.
_broker_down_until: dict[str, float] = {}


def job(function: Callable) -> Callable:
    """Make a module-level function an outbox job, known by its dotted name."""
    if "." in function.__qualname__:
        raise ValueError(f"an outbox job must be a module-level function, not {function.__qualname__}")
    name = f"{function.__module__}.{function.__qualname__}"
    JOBS[name] = function
    function.job_name = name
    return function


def enqueue(function: Callable, *args, corporation_id: int | None = None, summary: str = "") -> OutboxJob:
    """Record a job in the caller's transaction; it is handed to Celery once that commits.

    `summary` (what and to whom) and `corporation_id` (whose staff may see it)
    are for the admin list of what waits; the arguments are never shown.
    """
    name = getattr(function, "job_name", None)
    if name is None or JOBS.get(name) is not function:
        raise ValueError(f"{function!r} is not an outbox job: decorate it with @outbox.job")
    row = OutboxJob.objects.create(
        name=name, args=list(args), corporation_id=corporation_id, summary=summary[:300]
    )
    pk = row.pk
    transaction.on_commit(lambda: _publish_committed(pk), robust=True)
    return row


def backoff(tries: int) -> timedelta:
    """How long a job waits after its `tries`-th failed try: 30 s, 1 min, 2 min, … at most an hour."""
    return timedelta(seconds=min(FIRST_RETRY * 2 ** min(max(tries - 1, 0), 16), LAST_RETRY))


def republish_after(tries: int) -> timedelta:
    return max(UNCLAIMED_AFTER, backoff(tries))


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


# --- handing jobs to Celery ----------------------------------------------------


def _publish_committed(pk: int) -> None:
    """Right after the commit: hand this job over, unless the broker was just found down."""
    try:
        if time.monotonic() < _broker_down_until.get(_broker_url(), 0.0):
            return  # the relay hands it over once the broker answers
        now = timezone.now()
        claimed = OutboxJob.objects.filter(pk=pk, state=State.PENDING, tries=0).update(
            state=State.PUBLISHED, tries=1, due_at=now + republish_after(1)
        )
        if claimed:
            _hand_over([(pk, 1)])
    except Exception:
        log.exception("outbox job %s was not handed over after its commit; the relay will", pk)


def relay(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Hand every due job to Celery; returns how many were handed over.

    Due: pending jobs whose back-off has passed, and jobs handed over or
    started that never finished (see UNCLAIMED_AFTER, RUNNING_AFTER).
    """
    now = now or timezone.now()
    _forget_done(now)
    database = router.db_for_write(OutboxJob)
    with transaction.atomic(using=database):
        due = OutboxJob.objects.using(database).filter(state__in=UNFINISHED, due_at__lte=now)
        if connections[database].features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        claimed = []
        for pk, state, tries in due.order_by("due_at", "pk").values_list("pk", "state", "tries")[:limit]:
            # Conditional, for databases without row locks (SQLite): only if nobody changed it meanwhile.
            if (
                OutboxJob.objects.using(database)
                .filter(pk=pk, state=state, tries=tries)
                .update(state=State.PUBLISHED, tries=tries + 1, due_at=now + republish_after(tries + 1))
            ):
                claimed.append((pk, tries + 1))
    return _hand_over(claimed)


def _hand_over(jobs: list[tuple[int, int]]) -> int:
    """Send claimed jobs (id, tries) to Celery; what could not be sent waits again, with the error."""
    if not jobs:
        return 0
    app = run_task.app
    sent = 0
    try:
        if app.conf.task_always_eager:
            for pk, _tries in jobs:
                run_task.apply_async(args=[pk])  # runs here and now; run() keeps the job's own errors
                sent += 1
        else:
            with app.connection_for_write(connect_timeout=BROKER_TIMEOUT) as broker:
                # Fail fast on a broker that does not answer, instead of kombu's retry loop.
                broker.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT)
                for pk, _tries in jobs:
                    run_task.apply_async(args=[pk], connection=broker, retry=False)
                    sent += 1
    except Exception as exc:
        if not app.conf.task_always_eager:
            _broker_down_until[_broker_url()] = time.monotonic() + BROKER_RETRY_AFTER
        log.warning("outbox: %d job(s) not handed to Celery, they wait: %s", len(jobs) - sent, describe(exc))
        now = timezone.now()
        for pk, tries in jobs[sent:]:
            OutboxJob.objects.filter(pk=pk, state=State.PUBLISHED).update(
                state=State.PENDING, due_at=now + backoff(tries), last_error=describe(exc)
            )
    else:
        _broker_down_until.pop(_broker_url(), None)
    return sent


def _broker_url() -> str:
    conf = run_task.app.conf
    return "eager" if conf.task_always_eager else str(conf.broker_url)


def _forget_done(now) -> None:
    old = OutboxJob.objects.filter(state=State.DONE, done_at__lt=now - KEEP_DONE)
    ids = list(old.values_list("pk", flat=True)[:BATCH])
    if ids:
        OutboxJob.objects.filter(pk__in=ids).delete()


# --- running a job ---------------------------------------------------------------


def run(pk: int) -> bool:
    """Run one job once: returns False when it was already taken, or failed (it then waits)."""
    now = timezone.now()
    if not OutboxJob.objects.filter(pk=pk, state=State.PUBLISHED).update(
        state=State.RUNNING, due_at=now + RUNNING_AFTER
    ):
        log.info("outbox job %s was already taken; not run again", pk)
        return False
    row = OutboxJob.objects.get(pk=pk)
    try:
        function = _function(row.name)
        with transaction.atomic():
            function(*row.args)
            # Published too: handed over again meanwhile; that second message then finds it done.
            # The arguments go: a done job is never run again, and they may hold a secret link.
            OutboxJob.objects.filter(pk=pk, state__in=[State.RUNNING, State.PUBLISHED]).update(
                state=State.DONE, done_at=timezone.now(), last_error="", args=[]
            )
    except Exception as exc:
        wait = backoff(row.tries)
        log.warning("outbox job %s (%s) failed, try %d; again in %s: %s", pk, row.name, row.tries, wait, exc)
        OutboxJob.objects.filter(pk=pk, state=State.RUNNING).update(
            state=State.PENDING, due_at=timezone.now() + wait, last_error=describe(exc)
        )
        return False
    return True


def _function(name: str) -> Callable:
    if name not in JOBS:
        # A worker or relay that has not imported the job's module yet; @job registers it.
        import_module(name.rpartition(".")[0])
    return JOBS[name]


@shared_task(name="portal.outbox.run")
def run_task(pk: int) -> bool:
    return run(pk)


@shared_task(name="portal.outbox.relay")
def relay_task() -> int:
    return relay()


# --- e-mails rendered now, sent later --------------------------------------------


def email_later(message: EmailMessage, *, corporation_id: int | None = None) -> OutboxJob:
    """Send a rendered e-mail from the outbox (allauth's mails, say): the page does not wait for it."""
    data = {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        "attachments": [_attachment(attachment) for attachment in message.attachments],
    }
    summary = f"{message.subject} → {', '.join(message.to)}"
    return enqueue(send_email, data, corporation_id=corporation_id, summary=summary)


def _attachment(attachment) -> list:
    filename, content, mimetype = attachment
    if isinstance(content, bytes):
        return [filename, base64.b64encode(content).decode("ascii"), mimetype, True]
    if isinstance(content, str):
        return [filename, content, mimetype, False]
    raise ValueError(f"attachment {filename!r}: only text or bytes can wait in the outbox")


@job
def send_email(data: dict) -> None:
    message = EmailMultiAlternatives(
        data["subject"],
        data["body"],
        data["from_email"],
        data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype, encoded in data["attachments"]:
        message.attach(filename, base64.b64decode(content) if encoded else content, mimetype)
    message.send()
