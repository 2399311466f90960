"""allauth's address book holds the login address only.

Until now allauth's own address page let a logged-in person add any address to
their account (and have a confirmation mail sent to it). Those rows are removed:
an account's only address is its login address (User.email), as Mijn gegevens
and the invitation keep it.
"""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Lower


def addresses_follow_user_email(apps, schema_editor):
    EmailAddress = apps.get_model("account", "EmailAddress")
    rows = EmailAddress.objects.annotate(login=Lower(F("user__email")), own=Lower(F("email")))
    rows.exclude(own=F("login")).delete()
    EmailAddress.objects.filter(primary=False).update(primary=True)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_user_languages"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(addresses_follow_user_email, migrations.RunPython.noop)]
