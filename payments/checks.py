"""Production checks of payments (see portal.checks): the bank a live portal uses."""

from django.conf import settings
from django.core import checks

from portal.checks import PRODUCTION, unfit


@checks.register(PRODUCTION, checks.Tags.security, deploy=True)
def check_payment_provider(app_configs, **kwargs):
    key = settings.MOLLIE_API_KEY
    if not key:
        return [
            unfit(
                "payments",
                1,
                "MOLLIE_API_KEY is not set: payments go to the demo bank, where a tenant marks "
                "invoices paid and no money moves.",
                "Set MOLLIE_API_KEY to the live key (live_…) from the Mollie dashboard.",
            )
        ]
    if key.startswith("test_"):
        return [
            unfit(
                "payments",
                2,
                "MOLLIE_API_KEY is a test key: Mollie's test checkout lets a tenant mark invoices "
                "paid and no money moves.",
                "Set MOLLIE_API_KEY to the live key (live_…) from the Mollie dashboard.",
            )
        ]
    if not key.startswith("live_"):
        # Not a finding ALLOW_DEMO may pass: with such a key no payment can start at all.
        return [
            checks.Error(
                "MOLLIE_API_KEY is not a Mollie API key: every payment would fail.",
                hint="Mollie API keys start with live_ (or test_).",
                id="payments.E003",
            )
        ]
    return []
