"""The real mollie-api-python client against a local stand-in for the Mollie API.

Creating a payment, the webhook (replayed, out of order, unknown ids), the
return page without a webhook, part of the invoices, and an outage.
"""

from decimal import Decimal

import pytest

from conftest import send_key
from payments import ledger
from payments.models import OpenItem, Payment, PaymentStatus
from payments.providers import (
    DemoProvider,
    MollieProvider,
    ProviderUnavailable,
    UnknownPayment,
    get_provider,
)
from portal.selectors import open_balance
from tests.mollie_standin import MollieStandIn

SITE = "https://mijn.woonkracht.example"
KEY = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM"


@pytest.fixture
def mollie(settings):
    with MollieStandIn(api_key=KEY) as standin:
        settings.MOLLIE_API_KEY = KEY
        settings.MOLLIE_API_ENDPOINT = standin.url
        settings.SITE_URL = SITE
        yield standin


def ids(tenant, *references):
    items = OpenItem.objects.filter(tenant=tenant)
    if references:
        items = items.filter(reference__in=references)
    return [str(pk) for pk in items.values_list("pk", flat=True)]


def pay(client, tenant, *references) -> Payment:
    response = client.post("/mijn/betalen/", {"items": ids(tenant, *references)})
    assert response.status_code == 302, response.text[:3000]
    payment = Payment.objects.latest("pk")
    assert response["Location"] == payment.checkout_url
    return payment


def webhook(client, provider_id):
    return client.post("/betalen/webhook/", {"id": provider_id})


def test_the_provider_follows_the_settings(settings):
    settings.MOLLIE_API_KEY = ""
    assert isinstance(get_provider(), DemoProvider)
    settings.MOLLIE_API_KEY = "test_abcdefghijklmnopqrstuvwxyz0123"
    settings.MOLLIE_API_ENDPOINT = "http://127.0.0.1:9"
    provider = get_provider()
    assert isinstance(provider, MollieProvider)
    assert provider.client.api_endpoint == "http://127.0.0.1:9"
    assert isinstance(get_provider("demo"), DemoProvider)


def test_creating_a_payment_gives_a_checkout_url(mollie, huurder_client, huurder):
    page = huurder_client.get("/mijn/betalen/")
    # The pay form's redirect goes to Mollie's checkout: the page's form-action allows it.
    assert (
        mollie.url in page["Content-Security-Policy"]
        and "https://www.mollie.com" in page["Content-Security-Policy"]
    )

    payment = pay(huurder_client, huurder)
    assert payment.provider == "mollie" and payment.provider_id.startswith("tr_")
    assert payment.checkout_url.startswith(f"{mollie.url}/checkout/")
    [call] = mollie.calls("POST")
    assert call["json"] == {
        "amount": {"currency": "EUR", "value": "125.31"},
        "description": "Betaling facturen F-1, F-2",
        "method": "ideal",
        "redirectUrl": f"{SITE}/mijn/betalen/{payment.pk}/",
        "webhookUrl": f"{SITE}/betalen/webhook/",
        "metadata": {"payment": payment.pk},
    }
    assert call["headers"]["Authorization"] == f"Bearer {KEY}"
    assert call["headers"].get("Idempotency-Key")
    assert mollie.payments[payment.provider_id]["metadata"] == {"payment": payment.pk}


def test_on_a_laptop_mollie_gets_no_webhook_it_would_refuse(mollie, huurder, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    payment = ledger.payment_start(tenant=huurder, items=ids(huurder))
    assert "webhookUrl" not in mollie.calls("POST")[0]["json"]
    assert payment.checkout_url


def test_the_same_webhook_three_times_books_once(mollie, huurder_client, huurder, anoniem):
    payment = pay(huurder_client, huurder)
    mollie.set_status(payment.provider_id, "paid")
    for _ in range(3):
        assert webhook(anoniem, payment.provider_id).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.applied_at and payment.unapplied == 0
    assert [line.applied for line in payment.lines.order_by("id")] == [Decimal("87.56"), Decimal("37.75")]
    assert open_balance(huurder) == 0
    assert len(mollie.calls("GET")) == 1  # once booked, Mollie is not asked again
    # A later, contradicting status changes nothing.
    mollie.set_status(payment.provider_id, "canceled")
    ledger.payment_status_apply(payment.pk, "canceled")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and open_balance(huurder) == 0


def test_expired_then_paid_is_still_booked(mollie, huurder_client, huurder, anoniem):
    payment = pay(huurder_client, huurder)
    mollie.set_status(payment.provider_id, "expired")
    assert webhook(anoniem, payment.provider_id).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED and open_balance(huurder) == Decimal("125.31")
    assert "De tijd om te betalen is voorbij" in huurder_client.get(f"/mijn/betalen/{payment.pk}/").text

    mollie.set_status(payment.provider_id, "paid")
    assert webhook(anoniem, payment.provider_id).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and open_balance(huurder) == 0


def test_unknown_ids_get_a_calm_answer(mollie, huurder, anoniem):
    # Not ours: Mollie is not even asked.
    assert webhook(anoniem, "tr_NotOursAtAll").status_code == 200
    assert webhook(anoniem, "something-else").status_code == 200
    assert mollie.calls("GET") == []
    # Ours, but Mollie does not know it (another key, say): 200, nothing changes.
    item = OpenItem.objects.get(reference="F-1")
    payment = Payment.objects.create(
        corporation=item.corporation,
        tenant=huurder,
        provider="mollie",
        provider_id="tr_GoneAway1",
        amount=item.amount,
        description="Betaling factuur F-1",
    )
    payment.lines.create(item=item, amount=item.amount)
    assert webhook(anoniem, "tr_GoneAway1").status_code == 200
    assert len(mollie.calls("GET")) == 1
    with pytest.raises(UnknownPayment):
        get_provider().fetch("tr_GoneAway1")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.OPEN and open_balance(huurder) == Decimal("125.31")


def test_the_return_page_books_a_payment_without_any_webhook(mollie, huurder_client, huurder):
    payment = pay(huurder_client, huurder)
    page = huurder_client.get(f"/mijn/betalen/{payment.pk}/").text
    assert "Uw betaling is nog niet afgerond" in page and payment.checkout_url in page
    mollie.set_status(payment.provider_id, "pending")
    assert "Uw bank verwerkt de betaling nog" in huurder_client.get(f"/mijn/betalen/{payment.pk}/").text
    mollie.set_status(payment.provider_id, "paid")
    page = huurder_client.get(f"/mijn/betalen/{payment.pk}/").text
    assert "Uw betaling is gelukt" in page
    assert "Het kan even duren voordat uw betaling bij ons binnen is" in page
    assert open_balance(huurder) == 0


def test_part_of_the_invoices_and_part_of_an_invoice(mollie, huurder_client, huurder, anoniem):
    """Paying one invoice leaves the other open; a partly paid invoice is charged for the rest only."""
    f1 = OpenItem.objects.get(reference="F-1")
    f1.amount_paid = Decimal("50.00")
    f1.save()
    payment = pay(huurder_client, huurder, "F-1")
    assert mollie.calls("POST")[0]["json"]["amount"] == {"currency": "EUR", "value": "37.56"}
    mollie.set_status(payment.provider_id, "paid")
    webhook(anoniem, payment.provider_id)
    f1.refresh_from_db()
    assert f1.amount_paid == f1.amount and f1.paid_at is not None
    assert open_balance(huurder) == Decimal("37.75")
    assert "Huur parkeerplaats" in huurder_client.get("/mijn/betalen/").text


def test_an_invoice_paid_twice_keeps_the_second_as_credit(mollie, huurder_client, huurder, anoniem):
    first = pay(huurder_client, huurder, "F-2")
    second = pay(huurder_client, huurder)
    for payment in (second, first):
        mollie.set_status(payment.provider_id, "paid")
        webhook(anoniem, payment.provider_id)
    first.refresh_from_db()
    assert first.unapplied == Decimal("37.75")
    assert open_balance(huurder) == 0
    assert "tegoed" in huurder_client.get(f"/mijn/betalen/{first.pk}/").text


def test_an_outage_asks_mollie_to_try_again_and_the_tenant_is_told(mollie, huurder_client, huurder, anoniem):
    payment = pay(huurder_client, huurder)
    mollie.set_status(payment.provider_id, "paid")
    mollie.broken = True
    assert webhook(anoniem, payment.provider_id).status_code == 503
    page = huurder_client.get(f"/mijn/betalen/{payment.pk}/")
    assert page.status_code == 200 and "konden de status bij de bank nu niet opvragen" in page.text
    refused = huurder_client.post("/mijn/betalen/", {"items": ids(huurder, "F-1")})
    assert refused.status_code == 200 and "niet bereikbaar" in refused.text
    assert Payment.objects.count() == 1
    mollie.broken = False
    assert webhook(anoniem, payment.provider_id).status_code == 200
    assert open_balance(huurder) == 0


def test_no_network_at_all_is_an_outage_too(huurder, settings):
    settings.MOLLIE_API_KEY = "test_abcdefghijklmnopqrstuvwxyz0123"
    with MollieStandIn() as gone:
        settings.MOLLIE_API_ENDPOINT = gone.url
    with pytest.raises(ProviderUnavailable):
        get_provider().fetch("tr_Anything1")
    with pytest.raises(ProviderUnavailable):
        ledger.payment_start(tenant=huurder, items=ids(huurder))
    assert not Payment.objects.exists()


def test_a_wrong_or_malformed_key_is_a_provider_error_not_a_crash(
    mollie, huurder_client, huurder, anoniem, settings
):
    payment = pay(huurder_client, huurder)
    mollie.set_status(payment.provider_id, "paid")
    for key in ("test_SomebodyElsesKey1234567890", "not-a-key"):
        settings.MOLLIE_API_KEY = key
        assert webhook(anoniem, payment.provider_id).status_code == 502
        page = huurder_client.get("/mijn/betalen/")
        assert page.status_code == 200
        # A new pay form (the same one sent again would get the open payment back).
        refused = huurder_client.post("/mijn/betalen/", {"items": ids(huurder), **send_key(page)})
        assert refused.status_code == 200 and "niet bereikbaar" in refused.text
        assert huurder_client.get(f"/mijn/betalen/{payment.pk}/").status_code == 200
    assert open_balance(huurder) == Decimal("125.31") and Payment.objects.count() == 1
