"""The demo bank stands in for Mollie only where it is allowed.

`settings.DEMO_BANK_ALLOWED` is on with DEBUG (a laptop, `manage.py demo`, the
tests) or with ALLOW_DEMO=1; elsewhere a portal without MOLLIE_API_KEY has no
bank at all: the demo bank's page does not exist, and paying online says so
in Dutch without storing anything.
"""

from decimal import Decimal

import pytest

from payments.models import OpenItem, Payment, PaymentLine, PaymentStatus
from payments.providers import DemoProvider, MollieProvider, PaymentsOff, UnknownPayment, get_provider
from portal.selectors import open_balance

NOT_NOW = "Online betalen is op dit moment niet mogelijk"


@pytest.fixture(autouse=True)
def _no_key(settings):
    settings.MOLLIE_API_KEY = ""
    settings.MOLLIE_API_ENDPOINT = ""


def item_ids(tenant):
    return [str(pk) for pk in OpenItem.objects.filter(tenant=tenant).values_list("pk", flat=True)]


def test_without_a_key_the_demo_bank_takes_payments_only_where_it_is_allowed(settings):
    assert isinstance(get_provider(), DemoProvider)
    settings.DEMO_BANK_ALLOWED = False
    with pytest.raises(PaymentsOff):
        get_provider()
    # A demo payment made while it was allowed is not asked about (nor booked) any more.
    with pytest.raises(UnknownPayment):
        get_provider("demo")
    settings.MOLLIE_API_KEY = "live_abcdefghijklmnopqrstuvwxyz0123"
    assert isinstance(get_provider(), MollieProvider)


def test_the_demo_bank_page_is_not_found_where_the_demo_bank_is_not_allowed(
    huurder_client, huurder, anoniem, settings
):
    checkout = huurder_client.post("/mijn/betalen/", {"items": item_ids(huurder)})["Location"]
    assert checkout.startswith("/betalen/demo/demo_")
    payment = Payment.objects.get()

    settings.DEMO_BANK_ALLOWED = False
    assert huurder_client.get(checkout).status_code == 404
    assert huurder_client.post(checkout, {"bank": "ing", "action": "pay"}).status_code == 404
    assert anoniem.post("/betalen/webhook/", {"id": payment.provider_id}).status_code == 200
    assert huurder_client.get(f"/mijn/betalen/{payment.pk}/").status_code == 200

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.OPEN and payment.applied_at is None
    assert open_balance(huurder) == Decimal("125.31")


def test_paying_where_no_bank_is_allowed_says_so_in_dutch_and_stores_nothing(
    huurder_client, huurder, settings
):
    settings.DEMO_BANK_ALLOWED = False
    response = huurder_client.post("/mijn/betalen/", {"items": item_ids(huurder)})
    assert response.status_code == 200
    assert NOT_NOW in response.text
    # The tenant's choice stays ticked for when it works again.
    assert response.text.count('name="items"') == 2 and response.text.count("checked") == 2
    assert not Payment.objects.exists() and not PaymentLine.objects.exists()
    assert open_balance(huurder) == Decimal("125.31")


def test_a_term_of_an_arrangement_where_no_bank_is_allowed_says_so_and_stores_nothing(
    huurder_client, huurder, medewerker, settings
):
    from payments.arrangements import arrangement_request
    from payments.models import Arrangement
    from portal import services
    from portal.cases import Actor

    case = arrangement_request(
        tenant=huurder,
        had_arrangement_last_year=False,
        reason="Ik was ziek.",
        total_amount=Decimal("125.31"),
        periods=12,
    )
    services.case_transition(case=case, name="complete", actor=medewerker, role=Actor.STAFF)
    term = Arrangement.objects.get(case=case).instalments.get(number=1)

    settings.DEMO_BANK_ALLOWED = False
    response = huurder_client.post(f"/mijn/betalen/termijn/{term.pk}/", follow=True)
    assert response.status_code == 200
    assert NOT_NOW in response.text
    assert not Payment.objects.exists()
