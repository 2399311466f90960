"""Start the portal on a fresh machine: migrate, load demo data, serve.

    uv run python manage.py demo                 # http://127.0.0.1:8000
    uv run python manage.py demo --addr 0.0.0.0:8080
    uv run python manage.py demo --no-serve      # only migrate and load

Loading is idempotent: running the command twice gives the same data.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

ROLE_LABELS = {
    "tenant": "huurder",
    "staff": "medewerker",
    "superuser": "beheerder",
    "seeker": "woningzoekende",
}


def load_demo_data() -> list[tuple[str, str, str]]:
    """Run every app's demo.load() in INSTALLED_APPS order; returns the logins."""
    logins = []
    with transaction.atomic():
        for app_config in apps.get_app_configs():
            try:
                module = import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
                continue
            result = module.load()
            if result:
                logins.extend(result)
    return logins


class Command(BaseCommand):
    help = "Migrate, load the demo data and serve the portal."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="HOST:PORT to serve on")
        parser.add_argument("--no-serve", action="store_true", help="only migrate and load the data")

    def handle(self, *args, addr, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        logins = load_demo_data()
        host = addr if ":" in addr else f"127.0.0.1:{addr}"
        # Links in e-mails must point where the browser can reach the demo.
        settings.SITE_URL = f"http://{host.replace('0.0.0.0', '127.0.0.1')}"  # noqa: S104
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in with:"))
        for role, email, password in logins:
            self.stdout.write(f"  {ROLE_LABELS.get(role, role):<15} {email:<28} {password}")
        self.stdout.write(f"Portal: {settings.SITE_URL}/   Beheer: {settings.SITE_URL}/beheer/")
        if not no_serve:
            call_command("runserver", host, use_reloader=False)
