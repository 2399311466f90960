"""A real round trip: the test enqueues through Redis, a Celery worker sends the mail.

The rest of the suite runs tasks eagerly in-process; this test starts
`celery -A portal worker --pool=solo` as a separate process against REDIS_URL,
so serialisation, routing, the worker's own Django set-up and its database
connection are exercised for real.

When it runs, skips or fails:
- REDIS_URL unset: skip, also under CI. CI runs the suite twice, once on
  Postgres + Redis and once on the defaults (SQLite, eager Celery); this test
  belongs to the first pass, and in the second there is deliberately no Redis.
- REDIS_URL set but Redis does not answer: `skip_or_fail`, so under CI a
  broken Redis is a failure and never a silent skip.

The worker must see the message the test wrote, so the test commits it
(`transactional_db`) and points the worker at the test database: on Postgres
the test database by name, on SQLite (an in-memory test database) a file copy
made with SQLite's backup API.
"""

import email
import email.policy
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from conftest import make_person
from portal import outbox
from portal.celery import app as celery_app
from portal.models import Message, OutboxJob
from portal.settings import mailer_from_url
from portal.tasks import message_email

ROOT = Path(__file__).resolve().parent.parent
WORKER_TIMEOUT = 60  # seconds; a cold worker imports Django, pandas (for the WWS) and Celery


def test_it_reads_a_file_email_url():
    assert mailer_from_url("file:///srv/mail") == {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": "/srv/mail"},
    }


def database_url_for_worker(tmp_path: Path) -> str:
    """A DATABASE_URL that reaches the data this test has committed."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        copy = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return f"sqlite:///{copy}"
    if connection.vendor == "postgresql":
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        auth = f"{user}{password}@" if user else ""
        return f"postgres://{auth}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    pytest.skip(f"no worker database for {connection.vendor}")


def start_worker(*, redis_url: str, database_url: str, mail_dir: Path, queue: str, log: Path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"file://{mail_dir}",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        # Its own queue, so another worker on the same Redis cannot take the job.
        f"--queues={queue}",
        f"--hostname=test-{queue}@%h",
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()  # warm shutdown
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)


def forget_queue(redis_url: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    client.close()


def read_mails(mail_dir: Path) -> list:
    """Every message the file backend wrote: one file per connection, each message followed by dashes."""
    mails = []
    for mail_file in sorted(mail_dir.iterdir()):
        for raw in mail_file.read_bytes().split(b"-" * 79):
            if raw.strip():
                mails.append(email.message_from_bytes(raw.lstrip(), policy=email.policy.default))
    return mails


@pytest.mark.django_db(transaction=True)
def test_it_sends_a_message_email_through_a_real_worker(redis_url, tmp_path):
    tenant = make_person("huurder@example.nl", first_name="Sanne", surname="Vries")
    message = Message.objects.create(
        person=tenant, subject="Uw reparatieverzoek is ingepland", body="Maandag tussen 8 en 12 uur."
    )
    # The outbox job for its e-mail, as the relay leaves it for a worker (on SQLite the worker
    # reads a copy of the database, made below, so it must already say so there). Not through
    # `outbox.enqueue`: outside a transaction its hand-over would run the job here and now.
    job = OutboxJob.objects.create(
        name=message_email.job_name, args=[message.pk], state=OutboxJob.State.PUBLISHED, tries=1
    )
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"

    assert redis_url == settings.CELERY_BROKER_URL
    worker = start_worker(
        redis_url=redis_url,
        database_url=database_url_for_worker(tmp_path),
        mail_dir=mail_dir,
        queue=queue,
        log=log,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False  # conftest makes every task eager
    try:
        task_id = outbox.run_task.apply_async(args=[job.pk], queue=queue).id
        done = f"Task portal.outbox.run[{task_id}] succeeded"
        deadline = time.monotonic() + WORKER_TIMEOUT
        while done not in log.read_text() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert done in log.read_text(), f"no result after {WORKER_TIMEOUT} s; worker log:\n{log.read_text()}"
    finally:
        celery_app.conf.task_always_eager = eager
        stop(worker)
        forget_queue(redis_url, queue)

    [mail] = read_mails(mail_dir)
    assert mail["To"] == "huurder@example.nl"
    assert mail["Subject"] == "Uw reparatieverzoek is ingepland"
    assert "Maandag tussen 8 en 12 uur." in mail.get_body().get_content()
