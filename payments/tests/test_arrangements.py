"""Payment arrangements (P3, seed 000 "Betalingsregeling afsluiten"): rules, pages, staff, the daily job."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import client_for, make_contract, make_person, make_unit
from payments import arrangements
from payments.arrangement_tasks import instalments_check as instalments_check_task
from payments.arrangements import (
    arrangement_request,
    check_amount,
    check_periods,
    first_due_date,
    instalments_check,
    may_request,
    may_request_from,
    paid_per_term,
    per_month,
    schedule,
    term_missed,
)
from payments.forms import ArrangementForm, parse_euro
from payments.models import Arrangement, ArrearsFile, Instalment, OpenItem
from portal import services
from portal.cases import Actor, CaseKind, CaseState
from portal.models import Case, CaseEvent, Message

START = "/mijn/betalingsregeling/"
D = Decimal

# --- the rules ------------------------------------------------------------------


def test_only_tenants_renting_at_least_a_year_may_ask():
    """Seed 000: "Zo kunt u bijvoorbeeld alleen een regeling treffen wanneer u minimaal
    een jaar bij ons huurt." """
    today = date(2026, 11, 25)
    assert may_request([date(2019, 3, 1)], today)
    assert not may_request([date(2026, 3, 1)], today)


def test_exactly_one_year_is_long_enough():
    """ "minimaal een jaar": the first anniversary itself counts, the day before does not."""
    assert may_request([date(2025, 11, 25)], date(2026, 11, 25))
    assert not may_request([date(2025, 11, 26)], date(2026, 11, 25))


def test_a_contract_of_29_february_has_its_year_on_28_february():
    """relativedelta: one year after 29 February 2024 is 28 February 2025 (no 29th that year)."""
    start = [date(2024, 2, 29)]
    assert may_request_from(start, date(2024, 6, 1)) == date(2025, 2, 28)
    assert not may_request(start, date(2025, 2, 27))
    assert may_request(start, date(2025, 2, 28))
    assert may_request_from(start, date(2024, 6, 1)) + timedelta(days=1) == date(2025, 3, 1)


def test_the_earliest_running_contract_counts():
    """A parking space rented since May next to a home rented since 2019: the tenant rents since 2019."""
    assert may_request([date(2026, 5, 1), date(2019, 3, 1)], date(2026, 11, 25))


def test_without_a_running_contract_nobody_may_ask():
    assert not may_request([], date(2026, 11, 25))
    # A contract that starts in the future is no tenancy yet.
    assert not may_request([date(2027, 1, 1)], date(2026, 11, 25))


def test_the_amount_is_more_than_nothing():
    """Issue 4: "Voor welk totaalbedrag wilt u een regeling?" – an amount above zero."""
    assert check_amount(D("0.00"), D("125.31")) == "amount_not_positive"
    assert check_amount(D("-5.00"), D("125.31")) == "amount_not_positive"
    assert check_amount(D("0.01"), D("125.31")) is None


def test_the_amount_is_at_most_the_open_balance():
    """Issue 4: "at most the open balance"."""
    assert check_amount(D("125.31"), D("125.31")) is None
    assert check_amount(D("125.32"), D("125.31")) == "amount_above_balance"


def test_per_month_is_the_total_over_the_months_rounded_to_the_cent():
    """Seed 000 asks the total and the periods and shows "Per ..": computed, never typed."""
    assert per_month(D("125.31"), 12) == D("10.44")
    assert per_month(D("100.00"), 3) == D("33.33")
    assert per_month(D("0.05"), 2) == D("0.03")  # half a cent rounds up


def test_the_terms_are_equal_and_the_last_takes_the_rounding_difference():
    terms = schedule(D("125.31"), 12, date(2027, 1, 1))
    assert [amount for _, _, amount in terms] == [D("10.44")] * 11 + [D("10.47")]
    assert sum(amount for _, _, amount in terms) == D("125.31")
    assert schedule(D("100.00"), 3, date(2027, 1, 1)) == [
        (1, date(2027, 1, 1), D("33.33")),
        (2, date(2027, 2, 1), D("33.33")),
        (3, date(2027, 3, 1), D("33.34")),
    ]


@pytest.mark.parametrize(
    ("total", "periods"),
    [("125.31", 12), ("10.00", 1), ("999.99", 7), ("1234.56", 11), ("120.01", 12), ("33.34", 3)],
)
def test_the_terms_add_up_to_exactly_the_total(total, periods):
    terms = schedule(D(total), periods, date(2027, 1, 31))
    assert sum(amount for _, _, amount in terms) == D(total)
    assert [number for number, _, _ in terms] == list(range(1, periods + 1))
    assert all(amount > 0 for _, _, amount in terms)


def test_the_terms_fall_monthly_even_after_a_short_month():
    dates = [due for _, due, _ in schedule(D("300.00"), 3, date(2027, 1, 31))]
    assert dates == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]


def test_an_arrangement_runs_one_to_twelve_months():
    """Our choice: longer than a year is for debt counselling or a phone call, not the online form."""
    assert check_periods(D("125.31"), 0) == "periods_range"
    assert check_periods(D("500.00"), 13) == "periods_range"
    assert check_periods(D("500.00"), 12) is None
    assert check_periods(D("500.00"), 1) is None


def test_a_term_is_at_least_ten_euros_unless_it_is_the_only_one():
    assert check_periods(D("125.31"), 12) is None  # € 10,44
    assert check_periods(D("50.00"), 6) == "term_too_small"  # € 8,33
    assert check_periods(D("5.00"), 1) is None


def test_the_first_term_is_the_first_of_a_month_a_week_after_approval_or_later():
    assert first_due_date(date(2026, 11, 24)) == date(2026, 12, 1)
    assert first_due_date(date(2026, 11, 25)) == date(2027, 1, 1)
    assert first_due_date(date(2026, 12, 31)) == date(2027, 2, 1)
    assert first_due_date(date(2026, 11, 1)) == date(2026, 12, 1)


def test_a_term_is_missed_five_days_after_its_due_date():
    """Bank transfers take a few days: a grace of five days."""
    assert not term_missed(date(2027, 1, 1), date(2027, 1, 6))
    assert term_missed(date(2027, 1, 1), date(2027, 1, 7))


def test_what_is_paid_fills_the_terms_in_order():
    amounts = [D("10.44"), D("10.44"), D("10.47")]
    assert paid_per_term(amounts, D("15.00")) == [D("10.44"), D("4.56"), D("0.00")]
    assert paid_per_term(amounts, D("0.00")) == [D("0.00")] * 3
    assert paid_per_term(amounts, D("99.00")) == amounts


def test_what_is_paid_is_the_old_debt_that_is_gone():
    assert arrangements.paid_towards(D("125.31"), D("125.31")) == D("0.00")
    assert arrangements.paid_towards(D("125.31"), D("100.00")) == D("25.31")
    assert arrangements.paid_towards(D("100.00"), D("125.31")) == D("0.00")  # the rest first
    assert arrangements.paid_towards(D("125.31"), D("0.00")) == D("125.31")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("125,31", "125.31"),
        ("€ 125,31", "125.31"),
        ("1.234,56", "1234.56"),
        ("125.31", "125.31"),
        ("1.234", "1234.00"),
        ("100", "100.00"),
        ("100,-", "100.00"),
        (" 12,5 ", "12.50"),
    ],
)
def test_it_reads_amounts_the_dutch_way(text, amount):
    assert parse_euro(text) == D(amount)


@pytest.mark.parametrize("text", ["", "abc", "12,345", "1,2,3", "-5"])
def test_it_refuses_what_is_no_amount(text):
    assert parse_euro(text) is None


def test_the_form_keeps_the_three_numbers_in_agreement():
    form = ArrangementForm(
        {"had_arrangement_last_year": "nee", "reason": "Ziek", "total_amount": "125,31", "periods": "12"},
        balance=D("125.31"),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["per_month"] == D("10.44")
    assert form.cleaned_data["had_arrangement_last_year"] is False


# --- fixtures -------------------------------------------------------------------


def new_tenant(woonkracht, complex_, days=100):
    """A tenant whose only contract started `days` ago, owing € 80."""
    person = make_person("nieuw@example.nl", woonkracht, surname="Nieuw")
    start = timezone.localdate() - timedelta(days=days)
    make_contract(woonkracht, make_unit(woonkracht, complex_, 40), [person], "HC-9", start=start)
    OpenItem.objects.create(
        corporation=woonkracht,
        tenant=person,
        reference="F-9",
        description="Huur",
        amount=D("80.00"),
        due_date=timezone.localdate(),
    )
    return person


def ask(tenant, total="125.31", periods=12):
    return arrangement_request(
        tenant=tenant,
        had_arrangement_last_year=False,
        reason="Ik was ziek.",
        total_amount=D(total),
        periods=periods,
    )


@pytest.fixture
def request_case(huurder):
    return ask(huurder)


@pytest.fixture
def approved(request_case, medewerker):
    services.case_transition(case=request_case, name="complete", actor=medewerker, role=Actor.STAFF)
    return Arrangement.objects.get(case=request_case)


def form_post(**fields):
    return {
        "had_arrangement_last_year": "nee",
        "reason": "Mijn uren zijn verminderd.",
        "total_amount": "125,31",
        "periods": "12",
    } | fields


# --- the pages ------------------------------------------------------------------


def test_the_dashboard_links_to_the_request_under_direct_regelen(huurder_client):
    """Seed 000: "Onder het kopje 'Direct regelen' ziet u dan 'Betalingsregeling' staan." """
    text = huurder_client.get("/mijn/").text
    assert f'href="{START}"' in text
    assert "Ik wil een betalingsregeling aanvragen" in text


def test_a_tenant_since_2019_gets_the_form_with_her_balance(huurder_client):
    response = huurder_client.get(START)
    assert response.status_code == 200
    text = response.text
    assert "Heeft u het afgelopen jaar al een betalingsregeling gehad?" in text
    assert 'value="125,31"' in text
    for step in ("Aanvraag", "Uw betalingsregeling", "Uw mening"):
        assert step in text


def test_a_tenant_renting_less_than_a_year_is_told_why_and_whom_to_call(woonkracht, complex_):
    tenant = new_tenant(woonkracht, complex_)
    client = client_for(tenant)
    text = client.get(START).text
    assert "U huurt nog geen jaar bij ons" in text
    assert "0546 54 64 64" in text
    assert 'href="tel:0546546464"' in text
    assert "Verstuur mijn aanvraag" not in text
    response = client.post(START, form_post(total_amount="80,00", periods="1"))
    assert response.status_code == 200
    assert not Case.objects.filter(kind=CaseKind.PAYMENT_ARRANGEMENT).exists()


def test_a_tenant_without_an_open_balance_has_nothing_to_arrange(buur_client):
    text = buur_client.get(START).text
    assert "Er is niets om te regelen." in text
    assert "Verstuur mijn aanvraag" not in text


def test_a_person_without_a_contract_is_told_so(woonkracht):
    client = client_for(make_person("los@example.nl", woonkracht))
    assert "Er is geen huurcontract aan uw account gekoppeld" in client.get(START).text


def test_an_amount_above_the_balance_is_refused_and_the_form_kept(huurder_client):
    response = huurder_client.post(
        START, form_post(total_amount="200,00", reason="Ik was drie maanden ziek.")
    )
    assert response.status_code == 200
    text = response.text
    assert "Er is iets niet goed ingevuld" in text
    assert "Dit is meer dan uw openstaande saldo. Vul een bedrag in van hoogstens €\xa0125,31." in text
    assert "Ik was drie maanden ziek." in text
    assert 'value="200,00"' in text
    assert re.search(r'<input type="radio"[^>]*value="nee"[^>]*checked', text)
    assert not Case.objects.exists()


def test_missing_answers_are_listed_on_top(huurder_client):
    response = huurder_client.post(START, {"total_amount": "", "periods": ""})
    text = response.text
    for error in (
        "Kies ja of nee.",
        "Schrijf waarom u een betalingsregeling wilt.",
        "Vul het totaalbedrag in.",
        "Kies in hoeveel maanden u wilt afbetalen.",
    ):
        assert error in text
    assert 'href="#id_reason"' in text


def test_too_small_terms_are_refused_with_the_reason(huurder_client):
    response = huurder_client.post(START, form_post(total_amount="50,00", periods="6"))
    assert "Per maand betaalt u minstens €\xa010,00." in response.text
    assert not Case.objects.exists()


def test_bereken_shows_the_amount_per_month_and_sends_nothing(huurder_client):
    response = huurder_client.post(START, form_post(bereken="1"))
    assert response.status_code == 200
    assert "€\xa010,44" in response.text
    assert not Case.objects.exists()


def test_sending_the_form_opens_a_case_and_shows_it(huurder_client, huurder):
    response = huurder_client.post(START, form_post())
    case = Case.objects.get(kind=CaseKind.PAYMENT_ARRANGEMENT)
    assert response.status_code == 302
    assert response["Location"] == f"/mijn/aanvragen/{case.number}/"
    arrangement = case.arrangement
    assert (case.tenant, case.state, case.step) == (huurder, CaseState.SUBMITTED, 1)
    assert (arrangement.total_amount, arrangement.periods, arrangement.per_month) == (
        D("125.31"),
        12,
        D("10.44"),
    )
    assert arrangement.reason == "Mijn uren zijn verminderd."
    assert arrangement.approved_at is None
    text = huurder_client.get(response["Location"]).text
    assert "Betalingsregeling" in text
    assert "Mijn uren zijn verminderd." in text
    assert "€\xa010,44" in text
    assert "Termijnen" not in text
    assert huurder.messages.filter(case=case, subject__contains="ontvangen").exists()


def test_a_second_request_is_refused_while_the_first_is_open(huurder_client, request_case):
    text = huurder_client.get(START).text
    assert "U heeft al een aanvraag voor een betalingsregeling." in text
    assert f'href="/mijn/aanvragen/{request_case.number}/"' in text
    huurder_client.post(START, form_post())
    assert Case.objects.filter(kind=CaseKind.PAYMENT_ARRANGEMENT).count() == 1


def test_the_service_checks_every_rule_again(huurder, woonkracht, complex_):
    from portal.errors import DomainError

    with pytest.raises(DomainError, match="hoogstens"):
        ask(huurder, total="125.32")
    with pytest.raises(DomainError, match="minstens"):
        ask(huurder, total="50.00", periods=6)
    with pytest.raises(DomainError, match="nog geen jaar"):
        ask(new_tenant(woonkracht, complex_), total="80.00", periods=1)
    assert not Case.objects.exists()


def test_another_tenant_cannot_see_the_arrangement(buur_client, request_case):
    assert buur_client.get(request_case.get_absolute_url()).status_code == 404


def test_the_start_page_needs_a_login(anoniem):
    response = anoniem.get(START)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- staff ----------------------------------------------------------------------


def admin_save(client, case, **fields):
    from portal.tests.test_admin import save_case

    return save_case(client, case, **fields)


def test_staff_see_the_request_on_the_case(medewerker_client, request_case):
    text = medewerker_client.get(f"/beheer/portal/case/{request_case.pk}/change/").text
    assert "Ik was ziek." in text
    assert "€\xa0125,31" in text
    assert "€\xa010,44" in text
    assert "1 maart 2019 (een jaar of langer)" in text
    assert "Afhandelen (toekennen)" in text


def test_staff_approval_makes_the_terms_and_the_tenant_sees_them(
    medewerker_client, huurder_client, request_case, huurder
):
    response = admin_save(medewerker_client, request_case, transition="complete", note="Akkoord.")
    assert response.status_code == 302
    request_case.refresh_from_db()
    assert request_case.state == CaseState.COMPLETED
    arrangement = Arrangement.objects.get(case=request_case)
    first = first_due_date(timezone.localdate())
    assert arrangement.approved_at is not None
    assert arrangement.first_due_date == first
    terms = list(arrangement.instalments.order_by("number"))
    assert [(t.number, t.due_date, t.amount) for t in terms] == schedule(D("125.31"), 12, first)
    assert huurder.messages.filter(case=request_case, subject__contains="afgehandeld").exists()
    text = huurder_client.get(request_case.get_absolute_url()).text
    assert "Termijnen" in text
    assert text.count("<br>Open</td>") == 12
    assert "€\xa010,47" in text
    staff_text = medewerker_client.get(f"/beheer/portal/case/{request_case.pk}/change/").text
    assert "nog te betalen" in staff_text


def test_rejection_needs_a_note(medewerker_client, request_case, huurder_client):
    response = admin_save(medewerker_client, request_case, transition="reject", note=" ")
    assert "Schrijf een toelichting voor de huurder." in response.text
    request_case.refresh_from_db()
    assert request_case.state == CaseState.SUBMITTED
    admin_save(medewerker_client, request_case, transition="reject", note="Bel ons even.")
    request_case.refresh_from_db()
    assert request_case.state == CaseState.REJECTED
    assert not Instalment.objects.exists()
    assert "Bel ons even." in huurder_client.get(request_case.get_absolute_url()).text


def test_approving_again_after_a_reopen_makes_no_second_schedule(approved, medewerker):
    case = approved.case
    services.case_transition(case=case, name="reopen", actor=medewerker, role=Actor.STAFF)
    services.case_transition(case=case, name="complete", actor=medewerker, role=Actor.STAFF)
    assert approved.instalments.count() == 12


def test_staff_of_the_other_corporation_do_not_see_it(collega_client, medewerker_client, approved):
    url = f"/beheer/payments/arrangement/{approved.pk}/change/"
    assert medewerker_client.get(url).status_code == 200
    assert collega_client.get(url).status_code in (302, 404)
    assert approved.case.number not in collega_client.get("/beheer/payments/arrangement/").text


def test_the_arrangement_admin_is_read_only(medewerker_client, approved):
    text = medewerker_client.get(f"/beheer/payments/arrangement/{approved.pk}/change/").text
    assert "Ik was ziek." in text
    assert 'name="_save"' not in text
    assert medewerker_client.get("/beheer/payments/arrangement/add/").status_code == 403


# --- following the terms --------------------------------------------------------


def pay_old_debt(tenant, amount):
    """What the ledger does: apply a payment to the tenant's oldest items."""
    amount = D(amount)
    for item in OpenItem.objects.filter(tenant=tenant, paid_at__isnull=True).order_by("due_date", "id"):
        part = min(amount, item.amount - item.amount_paid)
        item.amount_paid += part
        if item.amount_paid == item.amount:
            item.paid_at = timezone.now()
        item.save()
        amount -= part


def test_a_payment_on_the_old_debt_pays_the_first_terms(approved, huurder):
    pay_old_debt(huurder, "15.00")
    first = approved.first_due_date
    assert instalments_check(first) == 0
    terms = list(approved.instalments.order_by("number"))
    assert (terms[0].amount_paid, terms[0].paid_at is not None) == (D("10.44"), True)
    assert (terms[1].amount_paid, terms[1].paid_at) == (D("4.56"), None)
    assert all(t.amount_paid == 0 for t in terms[2:])


def test_new_invoices_are_not_part_of_the_arrangement(approved, huurder, woonkracht):
    later = OpenItem.objects.create(
        corporation=woonkracht,
        tenant=huurder,
        reference="F-3",
        description="Huur januari",
        amount=D("612.40"),
        due_date=approved.first_due_date,
    )
    # Paying the new rent does not pay a term.
    later.amount_paid, later.paid_at = later.amount, timezone.now()
    later.save()
    instalments_check(approved.first_due_date)
    assert not approved.instalments.filter(paid_at__isnull=False).exists()


def test_an_unpaid_term_is_missed_after_the_grace_and_opens_an_arrears_case(approved, huurder):
    first = approved.first_due_date
    assert instalments_check(first + timedelta(days=5)) == 0
    assert instalments_check(first + timedelta(days=6)) == 1
    term = approved.instalments.get(number=1)
    assert term.missed_at is not None and term.paid_at is None
    arrears = Case.objects.get(tenant=huurder, kind=CaseKind.ARREARS)
    assert arrears.state == CaseState.SUBMITTED
    assert ArrearsFile.objects.get(case=arrears).opened_amount == D("125.31")
    message = huurder.messages.get(subject="Uw betalingsregeling: een termijn is niet betaald")
    assert message.case == approved.case
    assert "Termijn 1: €\xa010,44" in message.body
    assert "0546 54 64 64" in message.body


def test_running_the_job_twice_changes_nothing(approved, huurder):
    day = approved.first_due_date + timedelta(days=40)  # two terms missed
    assert instalments_check(day) == 2

    def snapshot():
        return (
            list(Instalment.objects.order_by("pk").values_list("amount_paid", "paid_at", "missed_at")),
            list(Case.objects.order_by("pk").values_list("state", "updated_at")),
            CaseEvent.objects.count(),
            Message.objects.count(),
            ArrearsFile.objects.count(),
        )

    before = snapshot()
    assert instalments_check(day) == 0
    assert snapshot() == before
    assert huurder.messages.filter(subject__contains="niet betaald").count() == 1


def test_a_missed_term_reopens_a_closed_arrears_case(approved, huurder, woonkracht, medewerker):
    arrears = services.case_open(tenant=huurder, corporation=woonkracht, kind=CaseKind.ARREARS, actor=None)
    ArrearsFile.objects.create(case=arrears, opened_amount=D("87.56"))
    services.case_transition(case=arrears, name="complete", actor=medewerker, role=Actor.STAFF)
    services.case_transition(case=arrears, name="close", actor=medewerker, role=Actor.STAFF)
    instalments_check(approved.first_due_date + timedelta(days=6))
    arrears.refresh_from_db()
    assert (arrears.state, arrears.closed_at) == (CaseState.IN_PROGRESS, None)
    event = arrears.events.get(action="reopen")
    assert event.actor is None
    assert approved.case.number in event.note
    assert Case.objects.filter(kind=CaseKind.ARREARS).count() == 1
    assert ArrearsFile.objects.get(case=arrears).opened_amount == D("87.56")


def test_a_missed_term_is_noted_on_an_open_arrears_case(approved, huurder, woonkracht):
    arrears = services.case_open(tenant=huurder, corporation=woonkracht, kind=CaseKind.ARREARS, actor=None)
    instalments_check(approved.first_due_date + timedelta(days=6))
    arrears.refresh_from_db()
    assert arrears.state == CaseState.SUBMITTED
    assert arrears.events.filter(action="message", note__contains="niet op tijd betaald").exists()
    assert Case.objects.filter(kind=CaseKind.ARREARS).count() == 1


def test_a_term_paid_late_shows_as_paid_late(approved, huurder, huurder_client):
    first = approved.first_due_date
    instalments_check(first + timedelta(days=6))
    pay_old_debt(huurder, "10.44")
    instalments_check(first + timedelta(days=7))
    term = approved.instalments.get(number=1)
    assert term.paid_at is not None and term.missed_at is not None
    assert "Betaald, te laat" in huurder_client.get(approved.case.get_absolute_url()).text


def test_a_fully_paid_arrangement_is_no_longer_followed(approved, huurder):
    pay_old_debt(huurder, "125.31")
    instalments_check(approved.first_due_date)
    assert not approved.instalments.filter(paid_at__isnull=True).exists()
    assert arrangements.running_arrangement(huurder) is None
    assert instalments_check(approved.first_due_date + timedelta(days=400)) == 0
    assert not Case.objects.filter(kind=CaseKind.ARREARS).exists()


def test_a_request_not_yet_approved_is_not_followed(request_case):
    assert instalments_check(date(2030, 1, 1)) == 0
    assert not Case.objects.filter(kind=CaseKind.ARREARS).exists()


def test_the_daily_task_runs_the_check(approved, huurder):
    assert instalments_check_task.delay().get() == 0
    assert arrangements.running_arrangement(huurder) == approved


def test_a_running_arrangement_is_mentioned_on_a_new_request(approved, huurder, huurder_client, woonkracht):
    OpenItem.objects.create(
        corporation=woonkracht,
        tenant=huurder,
        reference="F-4",
        description="Huur december",
        amount=D("612.40"),
        due_date=date(2026, 12, 1),
    )
    text = huurder_client.get(START).text
    assert f'U heeft al een betalingsregeling: <a href="/mijn/aanvragen/{approved.case.number}/">' in text
    assert "Verstuur mijn aanvraag" in text


@pytest.mark.parametrize("who", ["buur", "collega"])
def test_others_cannot_send_a_request_for_the_tenant(who, request, huurder, collega):
    client = client_for(request.getfixturevalue(who))
    response = client.post(START, form_post())
    assert response.status_code == 200
    assert "125,31" not in response.text
    assert not Case.objects.filter(kind=CaseKind.PAYMENT_ARRANGEMENT).exists()
