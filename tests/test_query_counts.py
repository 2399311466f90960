"""Pages issue a fixed number of SQL queries, whatever the amount of data."""

from datetime import date
from decimal import Decimal

import pytest

from conftest import make_contract, make_unit
from contracts.models import ServiceCharge, ServiceContract, Space
from payments.models import OpenItem
from portal.cases import CaseKind
from portal.models import CaseEvent, Message
from portal.services import case_open


def give_lots(tenant, corporation, complex_, n, start=0):
    """n more homes with contracts, spaces, charges; n cases with events and messages."""
    for i in range(start, start + n):
        unit = make_unit(corporation, complex_, 100 + i)
        Space.objects.create(unit=unit, kind="woonkamer", area=Decimal("25.0"), heated=True)
        Space.objects.create(unit=unit, kind="slaapkamer", area=Decimal("12.0"), heated=True)
        contract = make_contract(corporation, unit, [tenant], f"X-{i}", start=date(2020, 1, 1))
        ServiceCharge.objects.create(contract=contract, description="Schoonmaak", amount=Decimal("10.00"))
        ServiceContract.objects.create(
            contract=contract, name="Glasfonds", monthly_fee=Decimal("1.45"), start_date=date(2020, 1, 1)
        )
        OpenItem.objects.create(
            corporation=corporation,
            tenant=tenant,
            contract=contract,
            reference=f"Q-{i}",
            description="Huur",
            amount=Decimal("1.00"),
            due_date=date(2026, 12, 1),
        )
        case = case_open(tenant=tenant, corporation=corporation, kind=CaseKind.DATA_CHANGE)
        CaseEvent.objects.create(case=case, action="message", note="…")
        Message.objects.create(person=tenant, case=case, subject=f"Bericht {i}", body="…")


@pytest.mark.parametrize(
    "path", ["/mijn/", "/mijn/woning/", "/mijn/aanvragen/", "/mijn/berichten/", "/mijn/betalen/"]
)
def test_the_page_needs_the_same_queries_for_much_data(
    path, huurder, woonkracht, complex_, huurder_client, django_assert_max_num_queries
):
    give_lots(huurder, woonkracht, complex_, 2)
    with django_assert_max_num_queries(25) as few:
        assert huurder_client.get(path).status_code == 200
    give_lots(huurder, woonkracht, complex_, 30, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = huurder_client.get(path)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_case_page_needs_the_same_queries_for_a_long_history(
    huurder, woonkracht, huurder_client, django_assert_max_num_queries
):
    case = case_open(tenant=huurder, corporation=woonkracht, kind=CaseKind.DATA_CHANGE)
    with django_assert_max_num_queries(25) as few:
        huurder_client.get(case.get_absolute_url())
    for i in range(40):
        CaseEvent.objects.create(case=case, actor=huurder, action="message", note=str(i))
        Message.objects.create(
            person=huurder, case=case, author=huurder, subject=str(i), body="…", to_staff=True
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert huurder_client.get(case.get_absolute_url()).status_code == 200


def give_repairs(tenant, catalogue, n):
    """n repairs of the tenant's home, all on the first free day (a trade with room for them)."""
    from conftest import make_repair
    from repairs.services import first_free_blocks, tenant_units

    trade = catalogue["trade"]
    trade.block_capacity = 200
    trade.save()
    home = next(u for u in tenant_units(tenant) if u.kind == "home")
    block = first_free_blocks(trade)[0]
    return [
        make_repair(home, catalogue, reporter=tenant, when=(block.day, block.start_hour)) for _ in range(n)
    ]


@pytest.mark.parametrize("which", ["list", "detail", "planning", "rebook"])
def test_repair_pages_need_the_same_queries_for_many_repairs(
    which, huurder, repair_catalogue, huurder_client, medewerker_client, django_assert_max_num_queries
):
    first = give_repairs(huurder, repair_catalogue, 2)[0]
    client = medewerker_client if which == "planning" else huurder_client
    path = {
        "list": "/mijn/reparaties/",
        "detail": f"/mijn/reparaties/{first.number}/",
        "planning": f"/medewerker/planning/?datum={first.slot.date:%Y-%m-%d}",
        "rebook": f"/mijn/reparaties/{first.number}/verzetten/",
    }[which]
    with django_assert_max_num_queries(25) as few:
        assert client.get(path).status_code == 200
    give_repairs(huurder, repair_catalogue, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(path).status_code == 200
