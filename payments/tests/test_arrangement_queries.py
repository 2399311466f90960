"""The arrangement pages issue a fixed number of SQL queries, whatever the amount of data."""

from datetime import date, timedelta
from decimal import Decimal

from payments.arrangements import arrangement_request
from payments.models import Arrangement, Instalment, OpenItem
from portal import services
from portal.cases import Actor, CaseKind
from portal.models import CaseEvent, Message
from tests.test_query_counts import give_lots


def approved_case(tenant, staff):
    case = arrangement_request(
        tenant=tenant,
        had_arrangement_last_year=True,
        reason="Ziek",
        total_amount=Decimal("120.00"),
        periods=2,
    )
    services.case_transition(case=case, name="complete", actor=staff, role=Actor.STAFF)
    return case


def test_the_case_page_needs_the_same_queries_for_many_terms_and_a_long_history(
    huurder, medewerker, huurder_client, django_assert_max_num_queries
):
    case = approved_case(huurder, medewerker)
    with django_assert_max_num_queries(25) as few:
        assert huurder_client.get(case.get_absolute_url()).status_code == 200
    arrangement = Arrangement.objects.get(case=case)
    Instalment.objects.bulk_create(
        Instalment(
            arrangement=arrangement, number=n, due_date=date(2027, 1, 1) + timedelta(days=31 * n), amount=1
        )
        for n in range(3, 40)
    )
    for i in range(30):
        CaseEvent.objects.create(case=case, actor=huurder, action="message", note=str(i))
        Message.objects.create(
            person=huurder, case=case, author=huurder, subject=str(i), body="…", to_staff=True
        )
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = huurder_client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert response.text.count("<br>Open</td>") == 39
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_case_without_an_arrangement_asks_nothing_more(data_change_case, huurder_client):
    """The arrangement comes with the case (select_related): other kinds pay no query for it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as counted:
        assert huurder_client.get(data_change_case.get_absolute_url()).status_code == 200
    sql = [q["sql"].replace('"', "").replace("`", "") for q in counted.captured_queries]
    assert any("LEFT OUTER JOIN payments_arrangement" in q for q in sql)
    assert not any("FROM payments_arrangement" in q or "FROM payments_instalment" in q for q in sql)


def test_the_start_page_needs_the_same_queries_for_much_data(
    huurder, woonkracht, complex_, huurder_client, django_assert_max_num_queries
):
    give_lots(huurder, woonkracht, complex_, 2)
    with django_assert_max_num_queries(25) as few:
        assert huurder_client.get("/mijn/betalingsregeling/").status_code == 200
    give_lots(huurder, woonkracht, complex_, 30, start=2)
    OpenItem.objects.filter(tenant=huurder).update(amount=Decimal("5.00"))
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        assert huurder_client.get("/mijn/betalingsregeling/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_staff_case_page_needs_the_same_queries_for_many_terms(
    huurder, medewerker, medewerker_client, django_assert_max_num_queries
):
    case = approved_case(huurder, medewerker)
    url = f"/beheer/portal/case/{case.pk}/change/"
    with django_assert_max_num_queries(60) as few:
        assert medewerker_client.get(url).status_code == 200
    arrangement = Arrangement.objects.get(case=case)
    Instalment.objects.bulk_create(
        Instalment(
            arrangement=arrangement, number=n, due_date=date(2027, 1, 1) + timedelta(days=31 * n), amount=1
        )
        for n in range(3, 40)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert medewerker_client.get(url).status_code == 200


def test_the_arrangement_admin_needs_the_same_queries_for_many_arrangements(
    huurder, medewerker, medewerker_client, woonkracht, django_assert_max_num_queries
):
    from conftest import make_person

    approved_case(huurder, medewerker)
    with django_assert_max_num_queries(40) as few:
        assert medewerker_client.get("/beheer/payments/arrangement/").status_code == 200
    for n in range(10):
        tenant = make_person(f"t{n}@example.nl", woonkracht)
        case = services.case_open(tenant=tenant, corporation=woonkracht, kind=CaseKind.PAYMENT_ARRANGEMENT)
        Arrangement.objects.create(
            case=case,
            had_arrangement_last_year=False,
            reason="…",
            total_amount=Decimal("50.00"),
            periods=1,
            per_month=Decimal("50.00"),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert medewerker_client.get("/beheer/payments/arrangement/").status_code == 200
