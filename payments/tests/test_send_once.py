"""A pay form or an arrangement request sent twice starts one payment and opens one case (portal.once):
the repeat answers with the first one's bank page, or its return page once it is paid."""

from decimal import Decimal

import pytest

from conftest import send_key
from payments.models import EscalationStep, Payment, PaymentStatus
from payments.tests.test_arrangements import START, form_post
from payments.tests.test_arrears import late_call  # noqa: F401 (fixture)
from payments.tests.test_pay_term import approved  # noqa: F401 (fixture)
from payments.tests.test_pay_views import item_ids
from portal.models import Case, CaseEvent


@pytest.fixture(autouse=True)
def _demo(settings):
    settings.MOLLIE_API_KEY = ""
    settings.MOLLIE_API_ENDPOINT = ""


def pay_twice(client, data):
    first = client.post("/mijn/betalen/", data)
    again = client.post("/mijn/betalen/", data)
    assert first.status_code == again.status_code == 302
    return first["Location"], again["Location"]


def test_the_pay_form_sent_twice_starts_one_payment_at_the_bank(huurder_client, huurder):
    data = {"items": item_ids(huurder), **send_key(huurder_client.get("/mijn/betalen/"))}

    first, again = pay_twice(huurder_client, data)

    payment = Payment.objects.get()
    assert first == again == payment.checkout_url
    assert payment.amount == Decimal("125.31")


def test_the_pay_form_sent_again_after_paying_shows_what_became_of_the_payment(huurder_client, huurder):
    data = {"items": item_ids(huurder), **send_key(huurder_client.get("/mijn/betalen/"))}
    checkout = huurder_client.post("/mijn/betalen/", data)["Location"]
    huurder_client.post(checkout, {"bank": "ing", "action": "pay"})
    payment = Payment.objects.get()
    huurder_client.get(f"/mijn/betalen/{payment.pk}/")  # the return page books it

    again = huurder_client.post("/mijn/betalen/", data)

    assert again["Location"] == f"/mijn/betalen/{payment.pk}/"
    assert Payment.objects.count() == 1
    assert "Uw betaling is gelukt" in huurder_client.get(again["Location"]).text


def test_the_pay_form_sent_again_after_cancelling_at_the_bank_starts_a_new_payment(huurder_client, huurder):
    data = {"items": item_ids(huurder), **send_key(huurder_client.get("/mijn/betalen/"))}
    huurder_client.post(huurder_client.post("/mijn/betalen/", data)["Location"], {"action": "cancel"})

    again = huurder_client.post("/mijn/betalen/", data)

    new = Payment.objects.get(status=PaymentStatus.OPEN)
    assert again["Location"] == new.checkout_url
    assert Payment.objects.count() == 2


def test_other_invoices_ticked_on_the_same_page_are_another_payment(huurder_client, huurder):
    key = send_key(huurder_client.get("/mijn/betalen/"))
    both = huurder_client.post("/mijn/betalen/", {"items": item_ids(huurder), **key})["Location"]
    one = huurder_client.post("/mijn/betalen/", {"items": item_ids(huurder, "F-1"), **key})["Location"]

    assert both != one
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [Decimal("87.56"), Decimal("125.31")]


def test_the_pay_form_sent_twice_without_its_key_still_starts_one_payment(huurder_client, huurder):
    first, again = pay_twice(huurder_client, {"items": item_ids(huurder)})

    assert first == again == Payment.objects.get().checkout_url


def test_a_terms_pay_button_pressed_twice_starts_one_payment(huurder_client, approved):  # noqa: F811
    page = huurder_client.get("/mijn/betalen/")
    term = approved.instalments.get(number=1)
    url = f"/mijn/betalen/termijn/{term.pk}/"
    key = send_key(page)

    answers = [huurder_client.post(url, key)["Location"] for _ in range(2)]

    assert answers == [Payment.objects.get().checkout_url] * 2


def test_the_arrangement_request_sent_twice_opens_one_case(huurder_client):
    data = form_post(**send_key(huurder_client.get(START)))

    first = huurder_client.post(START, data)
    again = huurder_client.post(START, data, follow=True)

    case = Case.objects.get(kind="payment_arrangement")
    assert first["Location"] == again.redirect_chain[0][0] == case.get_absolute_url()
    assert "Uw aanvraag is verstuurd" in again.text


def test_another_arrangement_request_while_one_is_open_is_still_refused(huurder_client):
    """Another form (another key) is another request: one open request at a time still holds."""
    huurder_client.post(START, form_post(**send_key(huurder_client.get(START))))

    other = huurder_client.post(START, form_post(send_key="een-ander-formulier"))

    assert other.status_code == 200
    assert "U heeft al een aanvraag voor een betalingsregeling" in other.text
    assert Case.objects.filter(kind="payment_arrangement").count() == 1


def test_an_escalation_step_sent_twice_is_recorded_once(late_call, medewerker_client):  # noqa: F811
    page = medewerker_client.get(f"/medewerker/belrij/{late_call.pk}/")
    url = f"/medewerker/achterstand/{late_call.arrears.case.number}/escalatie/"
    data = {"esc-kind": "reminder", "esc-on": "2027-03-01", "esc-note": "Brief verstuurd", **send_key(page)}

    answers = [medewerker_client.post(url, data, follow=True) for _ in range(2)]

    assert [a.redirect_chain for a in answers] == [[(f"/medewerker/belrij/{late_call.pk}/", 302)]] * 2
    assert all("is vastgelegd bij dossier" in a.content.decode() for a in answers)
    assert EscalationStep.objects.count() == 1
    assert CaseEvent.objects.filter(action="escalation").count() == 1


def test_another_escalation_step_on_a_fresh_form_is_recorded_too(late_call, medewerker_client):  # noqa: F811
    url = f"/medewerker/achterstand/{late_call.arrears.case.number}/escalatie/"
    for kind in ("reminder", "early_signal"):
        key = send_key(medewerker_client.get(f"/medewerker/belrij/{late_call.pk}/"))
        medewerker_client.post(url, {"esc-kind": kind, "esc-on": "2027-03-01", **key})
    assert sorted(EscalationStep.objects.values_list("kind", flat=True)) == ["early_signal", "reminder"]
