"""Payment providers: Mollie, or a built-in demo that stands in for it.

`get_provider()` gives the Mollie provider when `settings.MOLLIE_API_KEY` is
set, else the demo provider where it is allowed (`settings.DEMO_BANK_ALLOWED`:
DEBUG on, or ALLOW_DEMO), else none: `PaymentsOff`. Both have one interface:

- `create(data) -> (provider_id, checkout_url)`, where `data` is what the
  Mollie API takes (amount, description, method, redirectUrl, webhookUrl,
  metadata);
- `fetch(provider_id) -> status`, the status string as the provider knows it
  ("open", "pending", "paid", "failed", "canceled", "expired").

A provider never changes our ledger: `payments.ledger` asks it for the
status and books what it says. Errors are the three below, so that callers
(the webhook above all) can answer sensibly instead of with a 500.
"""

import logging
import secrets
from urllib.parse import urlparse

from django.conf import settings
from django.urls import reverse

from payments.models import Payment, PaymentStatus

log = logging.getLogger(__name__)


class ProviderError(Exception):
    """The provider refused a request (a bad key, a refused amount, …)."""


class UnknownPayment(ProviderError):
    """The provider does not know this payment id."""


class ProviderUnavailable(ProviderError):
    """The provider could not be reached or had a failure of its own: try again later."""


class PaymentsOff(ProviderError):
    """No provider takes payments here: no Mollie key, and the demo bank is not allowed.

    The demo bank marks invoices paid without any money moving, so a live
    portal that lacks its key must not fall back on it.
    """


class MollieProvider:
    """iDEAL through Mollie, with the official client (mollie-api-python)."""

    name = "mollie"

    def __init__(self, api_key: str, api_endpoint: str = ""):
        from mollie.api.client import Client
        from mollie.api.error import RequestSetupError

        self.client = Client()
        try:
            self.client.set_api_key(api_key)
        except RequestSetupError as exc:
            raise ProviderError("MOLLIE_API_KEY is not a Mollie API key (test_… or live_…)") from exc
        if api_endpoint:
            self.client.set_api_endpoint(api_endpoint)

    def create(self, data: dict) -> tuple[str, str]:
        from mollie.api.error import ResponseError

        try:
            payment = self.client.payments.create(data)
        except ResponseError as exc:
            raise self._response_error(exc) from exc
        except Exception as exc:  # RequestError, ResponseHandlingError: no usable answer
            raise ProviderUnavailable(str(exc)) from exc
        if not payment.id or not payment.checkout_url:
            raise ProviderUnavailable("Mollie gave no payment id or checkout URL")
        return payment.id, payment.checkout_url

    def fetch(self, provider_id: str) -> str:
        from mollie.api.error import IdentifierError, NotFoundError, ResponseError

        try:
            payment = self.client.payments.get(provider_id)
        except (IdentifierError, NotFoundError) as exc:
            raise UnknownPayment(provider_id) from exc
        except ResponseError as exc:
            raise self._response_error(exc) from exc
        except Exception as exc:
            raise ProviderUnavailable(str(exc)) from exc
        if payment.id != provider_id or not payment.status:
            raise ProviderUnavailable(f"Mollie answered for {payment.id!r} without a status")
        return payment.status

    @staticmethod
    def _response_error(exc) -> ProviderError:
        status = getattr(exc, "status", None) or 0
        if status == 404:
            return UnknownPayment(str(exc))
        if status >= 500 or status == 429:
            return ProviderUnavailable(str(exc))
        return ProviderError(str(exc))


class DemoProvider:
    """Stands in for Mollie without any network: the payment lives in our own database.

    The Payment row itself is the provider's record: its `status` is what the
    "bank" says, set by the local checkout page (`payments_public:demo_checkout`)
    through `complete()`. `payments.ledger.payment_sync` then reads it back
    like it reads Mollie, and books it.
    """

    name = "demo"

    def create(self, data: dict) -> tuple[str, str]:
        provider_id = f"demo_{secrets.token_hex(16)}"
        # A path, not a full URL: the demo works on whatever host and port the portal runs.
        return provider_id, reverse("payments_public:demo_checkout", args=[provider_id])

    def fetch(self, provider_id: str) -> str:
        status = (
            Payment.objects.filter(provider=self.name, provider_id=provider_id)
            .values_list("status", flat=True)
            .first()
        )
        if status is None:
            raise UnknownPayment(provider_id)
        return status

    def complete(self, provider_id: str, status: str) -> bool:
        """The tenant paid or cancelled on the demo bank page. Only an open payment changes."""
        if status not in (PaymentStatus.PAID, PaymentStatus.CANCELED, PaymentStatus.FAILED):
            raise ValueError(status)
        changed = Payment.objects.filter(
            provider=self.name, provider_id=provider_id, status=PaymentStatus.OPEN
        ).update(status=status)
        return bool(changed)


def demo_bank_available() -> bool:
    """The demo bank takes new payments (and its checkout page exists)."""
    return settings.DEMO_BANK_ALLOWED and not settings.MOLLIE_API_KEY


def get_provider(name: str | None = None):
    """The provider for new payments, or the one that made an existing payment (`name`).

    PaymentsOff when there is none for new payments; UnknownPayment for a demo
    payment where the demo bank is not allowed (any more): what it says is not
    asked, so never booked.
    """
    if name == DemoProvider.name or (name is None and not settings.MOLLIE_API_KEY):
        if settings.DEMO_BANK_ALLOWED:
            return DemoProvider()
        if name is None:
            raise PaymentsOff("no MOLLIE_API_KEY, and the demo bank is not allowed (DEBUG, ALLOW_DEMO)")
        raise UnknownPayment("the demo bank is not allowed here")
    if not settings.MOLLIE_API_KEY:
        raise ProviderError(f"payments of {name!r} need MOLLIE_API_KEY")
    return MollieProvider(settings.MOLLIE_API_KEY, settings.MOLLIE_API_ENDPOINT)


def checkout_origins() -> list[str]:
    """Where the provider's checkout page lives: the pay form's POST answers with a
    redirect there, which the browser follows only when the page's form-action allows it.
    Nothing extra for the demo provider, whose page is ours."""
    if not settings.MOLLIE_API_KEY:
        return []
    origins = ["https://www.mollie.com", "https://*.mollie.com"]
    endpoint = urlparse(settings.MOLLIE_API_ENDPOINT or "")
    if endpoint.scheme and endpoint.netloc and not endpoint.netloc.endswith("mollie.com"):
        origins.append(f"{endpoint.scheme}://{endpoint.netloc}")
    return origins
