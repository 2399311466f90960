"""A broker outage in the middle, with a real worker: the mails wait, and once Redis is back
every one of them is sent, none twice.

The test runs a redis-server of its own on a free port, so that it can really stop the
broker under a running worker (killed, as a crash or an out-of-memory kill would) and start
it again on the same port, with nothing kept: what Redis held is gone. PostgreSQL, because
the worker (a separate `celery -A portal worker`, see test_celery_worker.py) and this test
share the database. Skips without them, as the other worker test does; under CI a missing
service fails (`needs_postgres`, `redis_url`, and the redis-server binary).
"""

import shutil
import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.utils import timezone

from conftest import make_repair, settings_for, skip_or_fail
from portal import outbox, services
from portal.models import OutboxJob
from tests.test_celery_worker import WORKER_TIMEOUT, database_url_for_worker, read_mails, start_worker, stop


class RedisServer:
    """A redis-server on one port that can be killed and started again there, keeping nothing."""

    def __init__(self, binary: str, log: Path):
        self.binary = binary
        self.log = log
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        command = [
            self.binary,
            *("--port", str(self.port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--daemonize", "no"),
        ]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        try:
            while True:
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"redis-server did not start:\n{self.log.read_text()}") from None
                    time.sleep(0.05)
        finally:
            client.close()

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(redis_url, tmp_path):
    """A Redis of this test's own (the suite's Redis at REDIS_URL stays untouched)."""
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("needs the redis-server binary (apt-get install redis-server)")
    server = RedisServer(binary, tmp_path / "redis.log")
    server.start()
    yield server
    server.kill()


def wait_for(log: Path, worker, done: int, ran: int) -> str:
    """The worker's log once it has finished `done` tasks, `ran` of which ran their job."""
    deadline = time.monotonic() + WORKER_TIMEOUT
    text = log.read_text()
    while (text.count("succeeded"), text.count(": True")) < (done, ran):
        if worker.poll() is not None or time.monotonic() > deadline:
            break
        time.sleep(0.2)
        text = log.read_text()
    return text


def later(**delta):
    return timezone.now() + timedelta(**delta)


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_delays_the_mails_and_loses_none(
    needs_postgres,
    own_redis,
    celery_settings,
    tmp_path,
    huurder,
    buur,
    repair_catalogue,
):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log = tmp_path / "worker.log"
    celery_settings(settings_for(REDIS_URL=own_redis.url))
    worker = start_worker(
        redis_url=own_redis.url,
        database_url=database_url_for_worker(tmp_path),
        mail_dir=mail_dir,
        queue="celery",  # the only worker on this Redis
        log=log,
    )
    try:
        # All is well: a mail goes out through the worker.
        services.message_send(person=huurder, subject="Voor", body="Voor de storing.")
        text = wait_for(log, worker, done=1, ran=1)
        assert text.count(": True") == 1, text

        # Redis dies under the running worker; the portal goes on.
        own_redis.kill()
        services.message_send(person=huurder, subject="Eén", body="Eerste bericht.")
        services.message_send(person=buur, subject="Twee", body="Tweede bericht.")
        home = huurder.contracts.get(number="HC-1").unit
        repair = make_repair(home, repair_catalogue, reporter=huurder)
        waiting = OutboxJob.objects.exclude(state=OutboxJob.State.DONE).order_by("pk")
        assert [job.state for job in waiting] == [OutboxJob.State.PENDING] * 3
        assert "Connection refused" in waiting[0].last_error

        # Redis is back on the same port, empty; the worker finds it again by itself. The relay
        # (beat every minute) hands every waiting job over; once more besides, as a relay that
        # died after sending would: the worker still runs each job once.
        own_redis.start()
        assert outbox.relay(now=later(minutes=5)) == 3
        for job in waiting:
            outbox.run_task.apply_async(args=[job.pk])
        text = wait_for(log, worker, done=7, ran=4)
        # Each job ran once (True); handed over the second time, it found itself done (False).
        assert (text.count("succeeded"), text.count(": True"), text.count(": False")) == (7, 4, 3), text
    finally:
        stop(worker)

    mails = sorted((mail["To"], mail["Subject"]) for mail in read_mails(mail_dir))
    assert mails == sorted(
        [
            ("huurder@example.nl", "Voor"),
            ("huurder@example.nl", "Eén"),
            ("buur@example.nl", "Twee"),
            ("huurder@example.nl", f"Uw reparatieverzoek {repair.number} is ontvangen"),
        ]
    )
    assert set(OutboxJob.objects.values_list("state", flat=True)) == {OutboxJob.State.DONE}
