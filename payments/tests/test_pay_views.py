"""Factuur & betaling through the test client, with the demo provider (no Mollie key)."""

import re
from datetime import date
from decimal import Decimal

import pytest

from payments.models import OpenItem, Payment, PaymentStatus
from portal.selectors import open_balance

NBSP_EURO = "€\xa0"


@pytest.fixture(autouse=True)
def _demo(settings):
    settings.MOLLIE_API_KEY = ""
    settings.MOLLIE_API_ENDPOINT = ""


def item_ids(tenant, *references):
    items = OpenItem.objects.filter(tenant=tenant)
    if references:
        items = items.filter(reference__in=references)
    return [str(pk) for pk in items.values_list("pk", flat=True)]


def start(client, ids):
    response = client.post("/mijn/betalen/", {"items": ids})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_the_page_shows_the_open_invoices_with_their_details_all_chosen(huurder_client, huurder):
    response = huurder_client.get("/mijn/betalen/")
    text = response.text
    for expected in (
        "F-1",
        "Afrekening servicekosten",
        "Huur parkeerplaats",
        "Lindelaan 12",  # the address of the contract
        "1 november 2026",
        f"{NBSP_EURO}87,56",
        f"{NBSP_EURO}37,75",
        f"{NBSP_EURO}125,31",
        "Betalen met iDEAL",
        "Het kan even duren voordat uw betaling bij ons binnen is",
    ):
        assert expected in text, expected
    assert (
        len(re.findall(r'<input type="checkbox" name="items" value="\d+" id="id_items_\d" checked>', text))
        == 2
    )


def test_huurder_pays_both_invoices_with_the_demo_bank(huurder_client, huurder):
    checkout = start(huurder_client, item_ids(huurder))
    assert checkout.startswith("/betalen/demo/demo_")
    payment = Payment.objects.get()
    assert payment.amount == Decimal("125.31") and payment.provider == "demo"

    bank = huurder_client.get(checkout)
    assert bank.status_code == 200
    assert f"{NBSP_EURO}125,31" in bank.text and "ING" in bank.text and "Rabobank" in bank.text
    back = huurder_client.post(checkout, {"bank": "ing", "action": "pay"})
    assert back["Location"] == f"/mijn/betalen/{payment.pk}/"

    page = huurder_client.get(back["Location"]).text
    assert "Uw betaling is gelukt" in page
    assert "Het kan even duren voordat uw betaling bij ons binnen is" in page
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.applied_at is not None
    assert open_balance(huurder) == 0

    dashboard = huurder_client.get("/mijn/").text
    assert "Openstaand saldo" not in dashboard and "125,31" not in dashboard
    invoices = huurder_client.get("/mijn/betalen/").text
    assert "U heeft op dit moment geen openstaande facturen." in invoices
    assert "Betaalde facturen" in invoices and "Uw betalingen" in invoices
    # The bank page is done with: it sends the tenant back to the return page.
    assert huurder_client.get(checkout)["Location"] == f"/mijn/betalen/{payment.pk}/"


def test_paying_one_invoice_leaves_the_other_open(huurder_client, huurder):
    checkout = start(huurder_client, item_ids(huurder, "F-2"))
    huurder_client.post(checkout, {"bank": "rabobank", "action": "pay"})
    huurder_client.get(f"/mijn/betalen/{Payment.objects.get().pk}/")
    assert open_balance(huurder) == Decimal("87.56")
    assert "87,56" in huurder_client.get("/mijn/").text


def test_the_bank_wants_a_bank_and_cancelling_pays_nothing(huurder_client, huurder):
    checkout = start(huurder_client, item_ids(huurder))
    refused = huurder_client.post(checkout, {"bank": "", "action": "pay"})
    assert refused.status_code == 200
    assert "Kies uw bank om te betalen." in refused.text and "error-summary" in refused.text
    assert Payment.objects.get().status == PaymentStatus.OPEN

    back = huurder_client.post(checkout, {"action": "cancel"})
    page = huurder_client.get(back["Location"]).text
    assert "U heeft de betaling geannuleerd" in page and "Opnieuw betalen" in page
    assert open_balance(huurder) == Decimal("125.31")


def test_an_open_payment_shows_on_the_invoice_page_and_on_its_return_page(huurder_client, huurder):
    checkout = start(huurder_client, item_ids(huurder))
    payment = Payment.objects.get()
    assert "Een betaling is nog niet klaar" in huurder_client.get("/mijn/betalen/").text
    page = huurder_client.get(f"/mijn/betalen/{payment.pk}/").text
    assert "Uw betaling is nog niet afgerond" in page and checkout in page


def test_choosing_nothing_or_another_tenants_invoice_is_refused(huurder_client, huurder, buur, woonkracht):
    theirs = OpenItem.objects.create(
        corporation=woonkracht,
        tenant=buur,
        reference="B-1",
        description="Huur buurman",
        amount=Decimal("10.00"),
        due_date=date(2026, 12, 1),
    )
    nothing = huurder_client.post("/mijn/betalen/", {})
    assert nothing.status_code == 200 and "Kies ten minste één factuur om te betalen." in nothing.text
    assert 'href="#id_items_0"' in nothing.text  # the error summary leads to the first box

    mixed = huurder_client.post("/mijn/betalen/", {"items": [*item_ids(huurder), str(theirs.pk)]})
    assert mixed.status_code == 200
    assert "kunt u niet (meer) betalen" in mixed.text and "Huur buurman" not in mixed.text
    garbage = huurder_client.post("/mijn/betalen/", {"items": ["x"]})
    assert garbage.status_code == 200 and "kunt u niet (meer) betalen" in garbage.text
    assert not Payment.objects.exists()


def test_buur_cannot_see_or_pay_huurders_invoices_or_payment(huurder_client, huurder, buur_client):
    checkout = start(huurder_client, item_ids(huurder))
    payment = Payment.objects.get()

    mine = buur_client.get("/mijn/betalen/").text
    assert "U heeft op dit moment geen openstaande facturen." in mine and "F-1" not in mine
    assert buur_client.get(f"/mijn/betalen/{payment.pk}/").status_code == 404
    assert buur_client.get(checkout).status_code == 404
    assert buur_client.post(checkout, {"bank": "ing", "action": "pay"}).status_code == 404
    refused = buur_client.post("/mijn/betalen/", {"items": item_ids(huurder)})
    assert refused.status_code == 200 and "F-1" not in refused.text
    assert Payment.objects.count() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.OPEN


def test_staff_of_the_corporation_cannot_pay_on_the_demo_bank(huurder_client, huurder, medewerker_client):
    checkout = start(huurder_client, item_ids(huurder))
    assert medewerker_client.post(checkout, {"bank": "ing", "action": "pay"}).status_code == 404


def test_the_demo_bank_does_not_exist_with_a_mollie_key(huurder_client, huurder, settings):
    checkout = start(huurder_client, item_ids(huurder))
    settings.MOLLIE_API_KEY = "test_abcdefghijklmnopqrstuvwxyz0123"
    assert huurder_client.get(checkout).status_code == 404
    assert huurder_client.get("/betalen/demo/demo_nope/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(anoniem, huurder_client, huurder):
    """The demo bank page needs the tenant's own session as well as its unguessable id."""
    checkout = start(huurder_client, item_ids(huurder))
    payment = Payment.objects.get()
    for path in ("/mijn/betalen/", f"/mijn/betalen/{payment.pk}/", checkout):
        assert anoniem.get(path)["Location"].startswith("/accounts/login/")
    assert anoniem.post(checkout, {"bank": "ing", "action": "pay"})["Location"].startswith("/accounts/login/")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.OPEN
    assert huurder_client.get("/betalen/demo/demo_0123456789abcdef0123456789abcdef/").status_code == 404


def test_the_webhook_never_fails_on_a_stranger(anoniem, huurder_client, huurder):
    assert anoniem.post("/betalen/webhook/", {"id": "tr_unknown"}).status_code == 200
    assert anoniem.post("/betalen/webhook/", {}).status_code == 400
    assert anoniem.get("/betalen/webhook/").status_code == 405
    checkout = start(huurder_client, item_ids(huurder))
    payment = Payment.objects.get()
    # A webhook is only a nudge: the status comes from the provider, not from the request.
    assert anoniem.post("/betalen/webhook/", {"id": payment.provider_id, "status": "paid"}).status_code == 200
    assert open_balance(huurder) == Decimal("125.31")
    huurder_client.post(checkout, {"bank": "ing", "action": "pay"})
    assert anoniem.post("/betalen/webhook/", {"id": payment.provider_id}).status_code == 200
    assert open_balance(huurder) == 0


def test_when_the_bank_is_down_the_tenant_is_told_and_nothing_is_stored(huurder_client, huurder, monkeypatch):
    from payments import providers

    def down(self, data):
        raise providers.ProviderUnavailable("timeout")

    monkeypatch.setattr(providers.DemoProvider, "create", down)
    response = huurder_client.post("/mijn/betalen/", {"items": item_ids(huurder)})
    assert response.status_code == 200
    assert "De betaalpagina van de bank is nu niet bereikbaar" in response.text
    assert not Payment.objects.exists()


# --- staff ------------------------------------------------------------------------------


def test_staff_look_up_payments_of_their_own_corporation_only(
    huurder_client, huurder, medewerker_client, collega_client
):
    checkout = start(huurder_client, item_ids(huurder))
    huurder_client.post(checkout, {"bank": "ing", "action": "pay"})
    payment = Payment.objects.get()
    huurder_client.get(f"/mijn/betalen/{payment.pk}/")

    listing = medewerker_client.get("/beheer/payments/payment/", {"status__exact": "paid"})
    assert listing.status_code == 200 and payment.provider_id in listing.text
    found = medewerker_client.get("/beheer/payments/payment/", {"q": payment.provider_id[:12]})
    assert payment.provider_id in found.text
    by_tenant = medewerker_client.get("/beheer/payments/payment/", {"q": "huurder@example.nl"})
    assert payment.provider_id in by_tenant.text
    detail = medewerker_client.get(f"/beheer/payments/payment/{payment.pk}/change/")
    assert detail.status_code == 200 and "F-1" in detail.text and "125,31" in detail.text
    assert medewerker_client.get("/beheer/payments/payment/add/").status_code == 403
    assert medewerker_client.post(f"/beheer/payments/payment/{payment.pk}/delete/").status_code == 403
    assert medewerker_client.post(f"/beheer/payments/payment/{payment.pk}/change/", {}).status_code == 403

    assert payment.provider_id not in collega_client.get("/beheer/payments/payment/").text
    assert collega_client.get(f"/beheer/payments/payment/{payment.pk}/change/").status_code == 302


# --- demo data --------------------------------------------------------------------------


def test_the_demo_tenant_owes_125_31_has_paid_rent_and_loading_again_resets_her_tries(db, settings):
    from conftest import client_for
    from portal.management.commands.demo import load_demo_data
    from portal.models import User

    def state():
        return (
            list(OpenItem.objects.order_by("reference").values_list("reference", "amount_paid", "paid_at")),
            list(Payment.objects.order_by("provider_id").values_list("provider_id", "status", "amount")),
        )

    load_demo_data()
    first = state()
    huurder = User.objects.get(email="huurder@example.nl")
    assert open_balance(huurder) == Decimal("125.31")
    paid_rent = OpenItem.objects.filter(tenant=huurder, kind="rent", period__isnull=False)
    assert paid_rent.count() == 6 and all(item.paid_at for item in paid_rent)
    assert Payment.objects.filter(tenant=huurder, status="paid").count() == 3

    client = client_for(huurder)
    page = client.get("/mijn/betalen/").text
    assert "Betaalde facturen" in page and paid_rent.latest("period").description in page
    checkout = start(client, item_ids(huurder, "DEMO-2026-0001", "DEMO-2026-0002"))
    client.post(checkout, {"bank": "asn", "action": "pay"})
    client.get(f"/mijn/betalen/{Payment.objects.latest('pk').pk}/")
    assert open_balance(huurder) == 0

    load_demo_data()
    assert state() == first
    assert open_balance(huurder) == Decimal("125.31")
