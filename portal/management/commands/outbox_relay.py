"""Hand the outbox's due jobs to Celery once, for cron (Celery beat does it every minute).

    uv run python manage.py outbox_relay

Without REDIS_URL (jobs run in-process) nothing else retries a job that waits
for the mail server: run this from cron, every minute or so.
"""

from django.core.management.base import BaseCommand

from portal import outbox


class Command(BaseCommand):
    help = "Hand the outbox's due jobs (e-mails, reminders) to Celery."

    def handle(self, *args, **options):
        handed = outbox.relay()
        self.stdout.write(f"{handed} job(s) handed over.")
