"""The demo repair catalogues and huurder@example.nl's repairs, loaded twice."""

import pytest
from django.db.models import Sum
from django.utils import timezone

from portal.management.commands.demo import load_demo_data
from portal.models import Corporation, Message, User
from portal.workdays import add_working_days
from repairs import rules
from repairs.models import RepairKind, RepairProblem, RepairRequest, RepairState, Slot, Trade

FEATURED = ["CV/Verwarming", "Gas", "Glas", "Ongedierte", "Riool", "Schoonmaak", "Spoed"]


def counts() -> dict:
    return {
        "trades": Trade.objects.count(),
        "kinds": RepairKind.objects.count(),
        "problems": RepairProblem.objects.count(),
        "slots": Slot.objects.count(),
        "booked": Slot.objects.aggregate(total=Sum("booked"))["total"],
        "repairs": RepairRequest.objects.count(),
        "messages": Message.objects.count(),
    }


@pytest.fixture
def demo(db):
    load_demo_data()
    first = counts()
    load_demo_data()
    return first


def test_loading_twice_gives_the_same_data(demo):
    assert counts() == demo
    assert demo["repairs"] == 3 and demo["booked"] == 3


def test_both_corporations_have_the_featured_kinds_in_order(demo):
    for slug in ("woonkracht", "waardwonen"):
        featured = RepairKind.objects.filter(corporation__slug=slug, featured=True).order_by("order")
        assert [kind.name for kind in featured] == FEATURED


def test_gas_and_spoed_are_urgent_with_a_text_and_no_trade(demo):
    urgent = RepairKind.objects.filter(urgent=True)
    assert sorted({kind.name for kind in urgent}) == ["Gas", "Spoed"]
    assert urgent.count() == 2 * 2
    assert all(kind.trade is None and "spoednummer" in kind.urgent_text for kind in urgent)
    gas = urgent.filter(slug="gas").first()
    assert "schakelaars" in gas.urgent_text and "naar buiten" in gas.urgent_text


def test_both_corporations_have_a_24_hour_number_besides_the_customer_service(demo):
    woonkracht = Corporation.objects.get(slug="woonkracht")
    assert (woonkracht.phone, woonkracht.emergency_phone) == ("0546 54 64 64", "0546 54 64 00")
    assert Corporation.objects.get(slug="waardwonen").emergency_phone


def test_every_kind_is_valid_and_every_bookable_kind_has_questions(demo):
    others = RepairKind.objects.filter(corporation__slug="woonkracht", featured=False)
    assert {"Deur en slot", "Elektra", "Lift", "Toilet", "Dak en goot"} <= {k.name for k in others}
    for kind in RepairKind.objects.select_related("trade"):
        kind.full_clean()
        if kind.urgent:
            continue
        assert kind.trade.corporation_id == kind.corporation_id
        assert kind.locations and set(kind.locations) <= set(rules.LOCATIONS)
        assert 2 <= kind.problems.count() <= 5, kind
    for trade in Trade.objects.all():
        assert 2 <= trade.block_capacity <= 3
    lift = RepairKind.objects.get(corporation__slug="woonkracht", slug="lift")
    assert lift.locations == ["lift"]


def test_the_heating_questionnaire_asks_what_the_issue_says(demo):
    heating = RepairKind.objects.get(corporation__slug="woonkracht", slug="cv-verwarming")
    radiator = heating.problems.get(label="Radiator wordt niet warm")
    assert radiator.choices == ["Eén radiator", "Meer radiatoren", "Alle radiatoren"]
    boiler = heating.problems.get(label="Ketel geeft storing")
    assert boiler.follow_up_required and boiler.choices == [] and "F28" in boiler.follow_up
    assert heating.problems.filter(label="Geen warm water").exists()
    assert "geiser" in heating.keywords


def test_the_tenant_has_a_planned_a_fixed_and_a_completed_repair(demo):
    huurder = User.objects.get(email="huurder@example.nl")
    repairs = {r.state: r for r in RepairRequest.objects.filter(reporter=huurder).select_related("slot")}
    assert sorted(repairs) == sorted([RepairState.PLANNED, RepairState.FIXED, RepairState.COMPLETED])
    today = timezone.localdate()

    planned = repairs[RepairState.PLANNED]
    assert planned.slot.date >= add_working_days(today, 3)
    assert rules.tenant_may_change(planned.state, planned.slot.starts_at, timezone.now())

    fixed = repairs[RepairState.FIXED]
    assert fixed.fixed_at is not None and fixed.kind != planned.kind

    completed = repairs[RepairState.COMPLETED]
    assert completed.slot.date < today and completed.closed_at is not None
    assert completed.number.startswith(f"R{completed.created_at:%Y}-")
    assert {r.unit.street for r in repairs.values()} == {"Lindelaan"}
    assert all(r.corporation.slug == "woonkracht" for r in repairs.values())


def test_a_cancelled_demo_repair_is_reported_again_on_the_next_load(demo):
    from repairs.services import repair_cancel

    huurder = User.objects.get(email="huurder@example.nl")
    planned = RepairRequest.objects.get(reporter=huurder, state=RepairState.PLANNED)
    repair_cancel(repair=planned, by=huurder)
    load_demo_data()
    states = sorted(RepairRequest.objects.filter(reporter=huurder).values_list("state", flat=True))
    assert states == sorted(["cancelled", "planned", "fixed", "completed"])
    load_demo_data()
    assert RepairRequest.objects.filter(reporter=huurder).count() == 4
