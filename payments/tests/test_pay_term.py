"""Paying one term of a payment arrangement online (P3 with P2)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from payments.arrangements import arrangement_request
from payments.ledger import payment_start
from payments.models import Arrangement, Instalment, OpenItem, Payment
from portal import services
from portal.cases import Actor
from portal.errors import DomainError
from portal.selectors import open_balance


@pytest.fixture(autouse=True)
def _demo(settings):
    settings.MOLLIE_API_KEY = ""
    settings.MOLLIE_API_ENDPOINT = ""


@pytest.fixture
def approved(huurder, medewerker):
    """Huurder's arrangement of € 125,31 in 12 terms (11 × € 10,44 and € 10,47), approved."""
    case = arrangement_request(
        tenant=huurder,
        had_arrangement_last_year=False,
        reason="Ik was ziek.",
        total_amount=Decimal("125.31"),
        periods=12,
    )
    services.case_transition(case=case, name="complete", actor=medewerker, role=Actor.STAFF)
    return Arrangement.objects.get(case=case)


def test_a_term_is_paid_online_and_the_schedule_shows_it_at_once(
    huurder_client, huurder, approved, django_capture_on_commit_callbacks
):
    page = huurder_client.get("/mijn/betalen/").text
    assert "Betaal termijn 1 met iDEAL" in page
    term = approved.instalments.get(number=1)

    checkout = huurder_client.post(f"/mijn/betalen/termijn/{term.pk}/")["Location"]
    payment = Payment.objects.get()
    assert payment.amount == term.amount == Decimal("10.44")
    back = huurder_client.post(checkout, {"bank": "ing", "action": "pay"})
    with django_capture_on_commit_callbacks(execute=True):
        huurder_client.get(back["Location"])

    term.refresh_from_db()
    assert term.paid_at is not None and term.amount_paid == Decimal("10.44")
    # The oldest invoice is paid down by the term and stays open for the rest.
    oldest = OpenItem.objects.get(reference="F-1")
    assert oldest.amount_paid == Decimal("10.44") and oldest.paid_at is None
    assert open_balance(huurder) == Decimal("114.87")
    assert "Betaal termijn 2 met iDEAL" in huurder_client.get("/mijn/betalen/").text


def test_another_tenant_cannot_pay_or_see_huurders_term(buur_client, approved):
    term = approved.instalments.get(number=1)
    assert buur_client.post(f"/mijn/betalen/termijn/{term.pk}/").status_code == 404
    assert not Payment.objects.exists()


def test_a_paid_term_cannot_be_paid_again(huurder_client, approved):
    term = approved.instalments.get(number=1)
    Instalment.objects.filter(pk=term.pk).update(paid_at=timezone.now())
    assert huurder_client.post(f"/mijn/betalen/termijn/{term.pk}/").status_code == 404


def test_a_chosen_amount_goes_to_the_oldest_invoice_first(huurder):
    items = list(OpenItem.objects.filter(tenant=huurder).order_by("due_date"))
    from payments.providers import DemoProvider

    payment = payment_start(tenant=huurder, items=items, amount=Decimal("90.00"), provider=DemoProvider())
    lines = list(payment.lines.order_by("id").values_list("item__reference", "amount"))
    assert lines == [("F-1", Decimal("87.56")), ("F-2", Decimal("2.44"))]


@pytest.mark.parametrize("amount", ["0.00", "125.32"])
def test_a_chosen_amount_is_more_than_nothing_and_at_most_what_is_open(huurder, amount):
    from payments.providers import DemoProvider

    with pytest.raises(DomainError):
        payment_start(
            tenant=huurder,
            items=OpenItem.objects.filter(tenant=huurder),
            amount=Decimal(amount),
            provider=DemoProvider(),
        )
    assert not Payment.objects.exists()
