"""One report, one repair: the last step sent again (a double click, a reload, the back button)
answers with the first repair's confirmation and books nothing more (portal.once)."""

import pytest

from conftest import send_key
from portal.models import Message
from repairs import services
from repairs.models import RepairRequest, Slot
from repairs.tests.test_views import DETAILS, first_block, walk_to_details

MIJN = "/mijn/reparaties/nieuw/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def ready_to_send(client, catalogue, base="/reparatie/", address=True):
    """Every step up to the check page; returns that page."""
    walk_to_details(client, catalogue, base=base, address=address)
    client.post(f"{base}toelichting/", DETAILS)
    client.post(f"{base}afspraak/", {"block": first_block(client.get(f"{base}afspraak/"))})
    return client.get(f"{base}versturen/")


@pytest.fixture
def tenant_ready(huurder, huurder_client, repair_catalogue):
    home = next(u for u in services.tenant_units(huurder) if u.kind == "home")
    huurder_client.post(MIJN, {"unit": home.pk})
    return ready_to_send(huurder_client, repair_catalogue, base=MIJN, address=False)


def test_the_tenants_report_sent_twice_makes_one_repair_and_shows_its_number_twice(
    huurder, huurder_client, tenant_ready
):
    key = send_key(tenant_ready)
    first = huurder_client.post(f"{MIJN}versturen/", key)
    again = huurder_client.post(f"{MIJN}versturen/", key)

    assert first["Location"] == again["Location"] == f"{MIJN}ontvangen/"
    repair = RepairRequest.objects.get()
    assert repair.slot.booked == 1 == Slot.objects.get().booked
    assert repair.number in huurder_client.get(again["Location"]).text
    assert Message.objects.filter(person=huurder, subject__contains=repair.number).count() == 1


def test_the_anonymous_report_sent_twice_makes_one_repair_and_one_mail(
    anoniem, huurder, repair_catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    key = send_key(ready_to_send(anoniem, repair_catalogue))
    with django_capture_on_commit_callbacks(execute=True):
        answers = [anoniem.post("/reparatie/versturen/", key)["Location"] for _ in range(2)]

    assert answers == ["/reparatie/ontvangen/"] * 2
    repair = RepairRequest.objects.get()
    assert repair.number in anoniem.get("/reparatie/ontvangen/").text
    assert [mail.subject for mail in mailoutbox].count(
        f"Uw reparatieverzoek {repair.number} is ontvangen"
    ) == 1


def test_a_report_sent_again_without_its_key_shows_the_same_confirmation(anoniem, huurder, repair_catalogue):
    ready_to_send(anoniem, repair_catalogue)
    answers = [anoniem.post("/reparatie/versturen/")["Location"] for _ in range(2)]

    assert answers == ["/reparatie/ontvangen/"] * 2
    assert RepairRequest.objects.count() == 1


def test_the_service_books_one_draft_once(huurder, repair_catalogue):
    """Whoever calls it: the same draft token gives the same repair, and one place in the block."""
    home = next(u for u in services.tenant_units(huurder) if u.kind == "home")
    kind = repair_catalogue["heating"]
    block = services.first_free_blocks(kind.trade)[0]
    report = services.Report(
        unit=home,
        kind=kind,
        location="keuken",
        problem=kind.problems.get(order=2),
        follow_up_answer="F28",
        description="",
        contact_name="Sanne de Vries",
        contact_phone="06 12345678",
        contact_email="huurder@example.nl",
        day=block.day,
        start_hour=block.start_hour,
        reporter=huurder,
        draft="a1b2c3",
    )

    assert services.repair_report(report) == services.repair_report(report)
    assert RepairRequest.objects.count() == 1 and Slot.objects.get().booked == 1


def test_the_check_page_of_a_draft_changed_since_is_not_sent(huurder, huurder_client, tenant_ready):
    """Another home chosen in another tab starts a new draft: the old page sends nothing."""
    parking = next(u for u in services.tenant_units(huurder) if u.kind == "parking")
    huurder_client.post(MIJN, {"unit": parking.pk})

    response = huurder_client.post(f"{MIJN}versturen/", send_key(tenant_ready), follow=True)

    assert not RepairRequest.objects.exists()
    assert response.redirect_chain[0][0] == f"{MIJN}versturen/"


def test_a_new_report_after_sending_is_a_new_repair(huurder, huurder_client, repair_catalogue, tenant_ready):
    huurder_client.post(f"{MIJN}versturen/", send_key(tenant_ready))
    home = next(u for u in services.tenant_units(huurder) if u.kind == "home")
    huurder_client.post(MIJN, {"unit": home.pk})
    second = ready_to_send(huurder_client, repair_catalogue, base=MIJN, address=False)

    assert send_key(second) != send_key(tenant_ready)
    assert huurder_client.post(f"{MIJN}versturen/", send_key(second))["Location"] == f"{MIJN}ontvangen/"
    assert RepairRequest.objects.count() == 2
