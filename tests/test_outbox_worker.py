"""A broker outage in the middle, with a real worker: the mails wait, and once Redis is back
every one of them is sent, none twice.

PostgreSQL and Redis: the worker (a separate `celery -A portal worker`, see
test_celery_worker.py) and this test share the database, so the worker's
claim of a job is seen here. Skips without them; under CI a missing service
fails (`needs_postgres`, `redis_url`).
"""

import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_repair, settings_for
from portal import outbox, services
from portal.celery import app as celery_app
from portal.models import OutboxJob
from tests.test_celery_worker import (
    WORKER_TIMEOUT,
    database_url_for_worker,
    forget_queue,
    read_mails,
    start_worker,
    stop,
)


@pytest.fixture
def own_queue(redis_url):
    """The outbox's tasks go to this test's own queue: no other worker on the same Redis takes them."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    routes = celery_app.conf.task_routes
    route({"portal.outbox.run": {"queue": queue}})
    yield queue
    route(routes)
    forget_queue(redis_url, queue)


def route(routes):
    celery_app.conf.task_routes = routes
    # The app keeps its routes, and a router made from them, from the first task it sent.
    celery_app.amqp.flush_routes()
    del celery_app.amqp.router


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_delays_the_mails_and_loses_none(
    needs_postgres,
    redis_url,
    own_queue,
    closed_port,
    celery_settings,
    tmp_path,
    huurder,
    buur,
    repair_catalogue,  # noqa: F811
):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log = tmp_path / "worker.log"
    worker = start_worker(
        redis_url=redis_url,
        database_url=database_url_for_worker(tmp_path),
        mail_dir=mail_dir,
        queue=own_queue,
        log=log,
    )
    try:
        # Redis stops answering; the portal goes on.
        celery_settings(settings_for(REDIS_URL=f"redis://127.0.0.1:{closed_port}/0"))
        services.message_send(person=huurder, subject="Eén", body="Eerste bericht.")
        services.message_send(person=buur, subject="Twee", body="Tweede bericht.")
        home = huurder.contracts.get(number="HC-1").unit
        repair = make_repair(home, repair_catalogue, reporter=huurder)
        jobs = list(OutboxJob.objects.order_by("pk"))
        assert len(jobs) == 3 and {job.state for job in jobs} == {OutboxJob.State.PENDING}

        # Redis is back: the relay (beat every minute) hands every job over. Once more besides, as
        # a relay that died after sending would: the worker still runs each job once.
        celery_settings(settings_for(REDIS_URL=redis_url))
        assert outbox.relay(now=timezone.now() + timedelta(minutes=5)) == 3
        for job in jobs:
            outbox.run_task.apply_async(args=[job.pk])
        deadline = time.monotonic() + WORKER_TIMEOUT
        while (
            log.read_text().count("succeeded") < 6 and worker.poll() is None and time.monotonic() < deadline
        ):
            time.sleep(0.2)
        text = log.read_text()
        # Each job ran once (True); handed over the second time, it found itself done (False).
        assert (text.count("succeeded"), text.count(": True"), text.count(": False")) == (6, 3, 3), text
    finally:
        stop(worker)

    mails = sorted((mail["To"], mail["Subject"]) for mail in read_mails(mail_dir))
    assert mails == sorted(
        [
            ("huurder@example.nl", "Eén"),
            ("buur@example.nl", "Twee"),
            ("huurder@example.nl", f"Uw reparatieverzoek {repair.number} is ontvangen"),
        ]
    )
    assert set(OutboxJob.objects.values_list("state", flat=True)) == {OutboxJob.State.DONE}
