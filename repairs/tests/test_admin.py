"""Repair catalogues, blocks and requests in the admin, as staff see them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from conftest import client_for, make_repair_catalogue
from portal.permissions import STAFF_GROUP
from repairs.models import RepairKind, RepairPhoto, RepairRequest, RepairState, Slot, Trade

KINDS = "/beheer/repairs/repairkind/"
TRADES = "/beheer/repairs/trade/"
SLOTS = "/beheer/repairs/slot/"
REPAIRS = "/beheer/repairs/repairrequest/"


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


#: The (read-only) photos inline's management form, as the browser posts it.
PHOTOS = {"photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0"}


def listed(response) -> list:
    return list(response.context["cl"].result_list)


@pytest.fixture
def other_catalogue(waardwonen):
    return make_repair_catalogue(waardwonen)


def kind_data(trade, **overrides) -> dict:
    data = {
        "name": "Lekkage",
        "slug": "lekkage",
        "pictogram": "water",
        "order": "30",
        "active": "on",
        "trade": trade.pk,
        "duration_minutes": "45",
        "keywords": "lek druppel",
        "locations": ["lift", "keuken"],
        "urgent_text": "",
        "problems-TOTAL_FORMS": "1",
        "problems-INITIAL_FORMS": "0",
        "problems-0-order": "1",
        "problems-0-label": "Kraan lekt",
        "problems-0-follow_up": "Welke kraan?",
        "problems-0-follow_up_choices": "Keukenkraan\nBadkamerkraan",
        "problems-0-follow_up_required": "on",
        "_save": "Opslaan",
    }
    return data | overrides


# --- scoping ----------------------------------------------------------------------


def test_staff_list_only_their_own_kinds_trades_and_slots(
    medewerker_client, collega_client, repair_catalogue, other_catalogue, huurder_repair
):
    assert set(listed(medewerker_client.get(KINDS))) == {repair_catalogue["heating"], repair_catalogue["gas"]}
    assert listed(medewerker_client.get(TRADES)) == [repair_catalogue["trade"]]
    assert listed(medewerker_client.get(SLOTS)) == [huurder_repair.slot]
    assert set(listed(collega_client.get(KINDS))) == {other_catalogue["heating"], other_catalogue["gas"]}
    assert listed(collega_client.get(TRADES)) == [other_catalogue["trade"]]
    assert listed(collega_client.get(SLOTS)) == []


def test_staff_cannot_open_another_corporations_rows(collega_client, repair_catalogue, huurder_repair):
    for obj in (repair_catalogue["heating"], repair_catalogue["trade"], huurder_repair.slot, huurder_repair):
        response = collega_client.get(change_url(obj))
        assert response.status_code in (302, 404), obj
    response = collega_client.post(change_url(huurder_repair), {"staff_note": "Van een ander", **PHOTOS})
    assert response.status_code in (302, 404)
    huurder_repair.refresh_from_db()
    assert huurder_repair.staff_note == ""


def test_staff_list_only_their_own_repairs(medewerker_client, collega_client, huurder_repair):
    assert listed(medewerker_client.get(REPAIRS)) == [huurder_repair]
    assert listed(collega_client.get(REPAIRS)) == []


def test_the_kind_form_offers_only_their_own_trades(medewerker_client, repair_catalogue, other_catalogue):
    form = medewerker_client.get(f"{KINDS}add/").context["adminform"].form
    assert list(form.fields["trade"].queryset) == [repair_catalogue["trade"]]
    assert "corporation" not in form.fields or form.fields["corporation"].disabled


def test_staff_cannot_give_a_kind_another_corporations_trade(
    medewerker_client, woonkracht, repair_catalogue, other_catalogue
):
    response = medewerker_client.post(f"{KINDS}add/", kind_data(other_catalogue["trade"]))
    assert response.status_code == 200
    assert "trade" in response.context["adminform"].form.errors
    assert not RepairKind.objects.filter(slug="lekkage").exists()


# --- kinds, locations and questions -------------------------------------------------


def test_the_kind_form_saves_locations_and_problems(medewerker_client, woonkracht, repair_catalogue):
    response = medewerker_client.post(f"{KINDS}add/", kind_data(repair_catalogue["trade"]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    kind = RepairKind.objects.get(slug="lekkage")
    assert kind.corporation == woonkracht
    # Rooms first, then common areas, whatever order the boxes came in.
    assert kind.locations == ["keuken", "lift"]
    problem = kind.problems.get()
    assert (problem.label, problem.choices, problem.follow_up_required) == (
        "Kraan lekt",
        ["Keukenkraan", "Badkamerkraan"],
        True,
    )


def test_the_kind_form_shows_rooms_and_common_areas_as_checkboxes(medewerker_client, repair_catalogue):
    response = medewerker_client.get(change_url(repair_catalogue["heating"]))
    text = response.text
    assert "In de woning" in text and "Gemeenschappelijke ruimten" in text
    assert 'type="checkbox" name="locations" value="fietsenberging"' in text
    form = response.context["adminform"].form
    assert form.initial["locations"] == repair_catalogue["heating"].locations


def test_the_kind_form_refuses_an_unknown_location(medewerker_client, repair_catalogue):
    response = medewerker_client.post(
        f"{KINDS}add/", kind_data(repair_catalogue["trade"], locations=["keuken", "zwembad"])
    )
    assert response.status_code == 200
    assert "locations" in response.context["adminform"].form.errors


def test_staff_change_and_add_problems_in_the_inline(medewerker_client, repair_catalogue):
    heating = repair_catalogue["heating"]
    first, second = heating.problems.order_by("order")
    data = kind_data(
        repair_catalogue["trade"],
        name=heating.name,
        slug=heating.slug,
        pictogram=heating.pictogram,
        featured="on",
        order="1",
        locations=["woonkamer"],
        **{
            "problems-TOTAL_FORMS": "3",
            "problems-INITIAL_FORMS": "2",
            "problems-0-id": first.pk,
            "problems-0-kind": heating.pk,
            "problems-0-order": "1",
            "problems-0-label": "Radiator blijft koud",
            "problems-0-follow_up": first.follow_up,
            "problems-0-follow_up_choices": first.follow_up_choices,
            "problems-0-follow_up_required": "on",
            "problems-1-id": second.pk,
            "problems-1-kind": heating.pk,
            "problems-1-order": "2",
            "problems-1-label": second.label,
            "problems-1-follow_up": second.follow_up,
            "problems-1-follow_up_choices": "",
            "problems-1-DELETE": "on",
            "problems-2-kind": heating.pk,
            "problems-2-order": "3",
            "problems-2-label": "Geen warm water",
            "problems-2-follow_up": "",
            "problems-2-follow_up_choices": "",
        },
    )
    response = medewerker_client.post(change_url(heating), data)
    assert response.status_code == 302
    assert list(heating.problems.order_by("order").values_list("label", flat=True)) == [
        "Radiator blijft koud",
        "Geen warm water",
    ]
    heating.refresh_from_db()
    assert heating.locations == ["woonkamer"]


# --- blocks -----------------------------------------------------------------------


def test_staff_change_the_places_of_a_block_but_never_booked(medewerker_client, huurder_repair):
    slot = huurder_repair.slot
    response = medewerker_client.get(change_url(slot))
    assert "booked" not in response.context["adminform"].form.fields
    response = medewerker_client.post(change_url(slot), {"capacity": "5", "booked": "0", "_save": "Opslaan"})
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked) == (5, 1)


def test_staff_cannot_give_a_block_fewer_places_than_are_booked(medewerker_client, huurder_repair):
    slot = huurder_repair.slot
    response = medewerker_client.post(change_url(slot), {"capacity": "0", "_save": "Opslaan"})
    assert response.status_code == 200
    assert "Er is al 1 plaats geboekt. Vul minstens 1 in." in response.text
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked) == (2, 1)


def test_staff_change_places_in_the_list(medewerker_client, huurder_repair):
    slot = huurder_repair.slot
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": slot.pk,
        "form-0-capacity": "1",
        "form-0-booked": "0",
        "_save": "Opslaan",
    }
    assert medewerker_client.post(SLOTS, data).status_code == 302
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked) == (1, 1)
    data["form-0-capacity"] = "0"
    response = medewerker_client.post(SLOTS, data)
    assert response.status_code == 200
    slot.refresh_from_db()
    assert slot.capacity == 1


def test_saving_a_block_keeps_a_booking_made_meanwhile(medewerker_client, huurder_repair):
    """A tenant books while the form is open: the save writes the places only."""
    slot = huurder_repair.slot
    medewerker_client.get(change_url(slot))
    Slot.objects.filter(pk=slot.pk).update(booked=2)
    response = medewerker_client.post(change_url(slot), {"capacity": "3", "_save": "Opslaan"})
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked) == (3, 2)


def test_staff_cannot_delete_blocks(medewerker_client, huurder_repair):
    assert medewerker_client.get(f"{change_url(huurder_repair.slot)}delete/").status_code == 403


def test_staff_close_a_block_nobody_booked_yet_for_their_own_trade_only(
    medewerker_client, repair_catalogue, waardwonen
):
    """A sick mechanic: staff add the block with fewer places before anyone books it."""
    from datetime import timedelta

    from django.utils import timezone

    from conftest import make_repair_catalogue
    from repairs.rules import first_bookable_day

    day = first_bookable_day(timezone.now()) + timedelta(days=7)
    other_trade = make_repair_catalogue(waardwonen)["trade"]
    data = {"date": day.isoformat(), "start_hour": "8", "capacity": "0", "booked": "0"}
    refused = medewerker_client.post(f"{SLOTS}add/", {**data, "trade": other_trade.pk})
    assert refused.status_code == 200 and not Slot.objects.exists()
    response = medewerker_client.post(f"{SLOTS}add/", {**data, "trade": repair_catalogue["trade"].pk})
    assert response.status_code == 302
    slot = Slot.objects.get()
    assert (slot.capacity, slot.booked) == (0, 0)
    from repairs.services import blocks_between

    block = [b for b in blocks_between(repair_catalogue["trade"], day, day) if b.start_hour == 8][0]
    assert block.free == 0


# --- requests ---------------------------------------------------------------------


def test_a_repair_is_read_only_but_for_the_planning_note(medewerker_client, huurder_repair):
    response = medewerker_client.get(change_url(huurder_repair))
    assert list(response.context["adminform"].form.fields) == ["staff_note"]
    assert f'href="/medewerker/reparaties/{huurder_repair.number}/"' in response.text
    response = medewerker_client.post(
        change_url(huurder_repair),
        {
            "staff_note": "Sleutel bij de buren",
            "state": "completed",
            "contact_phone": "06 0",
            "_save": "Opslaan",
            **PHOTOS,
        },
    )
    assert response.status_code == 302
    huurder_repair.refresh_from_db()
    assert huurder_repair.staff_note == "Sleutel bij de buren"
    assert (huurder_repair.state, huurder_repair.contact_phone) == (RepairState.PLANNED, "06 11112222")


def test_staff_see_the_photos_of_a_repair_but_not_another_corporations(
    medewerker_client, collega_client, huurder_repair
):
    from django.utils import timezone

    RepairPhoto.objects.create(
        request=huurder_repair,
        token="t1",
        image="repairs/t1.jpg",
        original_name="ketel-display.jpg",
        width=1200,
        height=900,
        uploaded_at=timezone.now(),
    )
    assert "ketel-display.jpg" in medewerker_client.get(change_url(huurder_repair)).text
    assert "ketel-display.jpg" not in collega_client.get(change_url(huurder_repair)).text


def test_saving_the_note_keeps_a_state_change_made_meanwhile(medewerker_client, huurder_repair):
    medewerker_client.get(change_url(huurder_repair))
    RepairRequest.objects.filter(pk=huurder_repair.pk).update(state=RepairState.FIXED)
    medewerker_client.post(
        change_url(huurder_repair), {"staff_note": "Bel vooraf", "_save": "Opslaan", **PHOTOS}
    )
    huurder_repair.refresh_from_db()
    assert (huurder_repair.state, huurder_repair.staff_note) == (RepairState.FIXED, "Bel vooraf")


def test_repairs_cannot_be_added_or_deleted(medewerker_client, huurder_repair, beheer):
    for client in (medewerker_client, client_for(beheer)):
        assert client.get(f"{REPAIRS}add/").status_code == 403
        assert client.get(f"{change_url(huurder_repair)}delete/").status_code == 403


def test_the_repair_list_links_to_planning_and_filters(medewerker_client, huurder_repair):
    response = medewerker_client.get(REPAIRS)
    assert f'href="/medewerker/reparaties/{huurder_repair.number}/"' in response.text
    assert listed(medewerker_client.get(REPAIRS, {"state__exact": "planned"})) == [huurder_repair]
    assert listed(medewerker_client.get(REPAIRS, {"state__exact": "completed"})) == []
    assert listed(medewerker_client.get(REPAIRS, {"dag": "komend"})) == [huurder_repair]
    assert listed(medewerker_client.get(REPAIRS, {"dag": "voorbij"})) == []
    kind = huurder_repair.kind
    assert listed(medewerker_client.get(REPAIRS, {"kind__id__exact": kind.pk})) == [huurder_repair]
    trade = huurder_repair.slot.trade
    assert listed(medewerker_client.get(REPAIRS, {"slot__trade__id__exact": trade.pk})) == [huurder_repair]


@pytest.mark.parametrize("term", ["number", "contact_name", "contact_email"])
def test_staff_find_a_repair_by_number_or_contact(medewerker_client, huurder_repair, term):
    query = getattr(huurder_repair, term)
    assert listed(medewerker_client.get(REPAIRS, {"q": query})) == [huurder_repair]


def test_the_filters_do_not_name_another_corporations_trades(medewerker_client, huurder_repair, waardwonen):
    Trade.objects.create(corporation=waardwonen, name="Waardse glaszetters")
    for url in (KINDS, SLOTS, REPAIRS):
        assert "Waardse glaszetters" not in medewerker_client.get(url).text


# --- permissions and every page ---------------------------------------------------


def test_the_staff_group_may_keep_the_catalogue_but_not_book(db):
    codenames = set(
        Group.objects.get(name=STAFF_GROUP)
        .permissions.filter(content_type__app_label="repairs")
        .values_list("codename", flat=True)
    )
    for model in ("trade", "repairkind", "repairproblem"):
        assert {f"{action}_{model}" for action in ("view", "add", "change", "delete")} <= codenames
    assert {"view_slot", "add_slot", "change_slot", "view_repairrequest", "change_repairrequest"} <= codenames
    assert not {"delete_slot", "add_repairrequest", "delete_repairrequest"} & codenames


@pytest.mark.parametrize("who", ["medewerker", "beheer"])
def test_every_repairs_admin_page_renders(repair_catalogue, huurder_repair, who, request):
    from django.contrib import admin

    client = client_for(request.getfixturevalue(who))
    for model in admin.site._registry:
        if model._meta.app_label != "repairs":
            continue
        base = f"/beheer/repairs/{model._meta.model_name}/"
        assert client.get(base).status_code == 200, base
        for obj in model._default_manager.all():
            assert client.get(change_url(obj)).status_code == 200, change_url(obj)
        assert client.get(f"{base}add/").status_code in (200, 403), base
