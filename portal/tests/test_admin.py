"""The staff side in the admin: scoping, the case work queue, people and invitations."""

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlparse

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, client_for, make_person, make_staff, make_unit
from contracts.models import Contract
from payments.models import OpenItem
from portal import services
from portal.cases import Actor, CaseKind, CaseState
from portal.models import Case, CaseEvent, Message, User
from portal.permissions import STAFF_GROUP

CASES = "/beheer/portal/case/"
PEOPLE = "/beheer/portal/user/"


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def form_data(response) -> dict:
    """What the browser would post back from an admin change or add page, unchanged."""
    data = {}

    def add(form):
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def save_case(client, case, **fields):
    url = change_url(case)
    data = form_data(client.get(url)) | fields | {"_save": "Opslaan"}
    return client.post(url, data)


@pytest.fixture
def buur_case(buur, woonkracht):
    return services.data_change_request(
        tenant=buur, corporation=woonkracht, submitted={"civil_status": "married"}, explanation=""
    )


@pytest.fixture
def a_objects(huurder, data_change_case):
    contract = Contract.objects.get(number="HC-1")
    return {"unit": contract.unit, "contract": contract, "user": huurder, "case": data_change_case}


# --- who gets in ----------------------------------------------------------------


def test_it_keeps_tenants_out_of_the_admin(huurder_client):
    response = huurder_client.get(CASES)
    assert response.status_code == 302
    assert response["Location"].startswith("/beheer/login/")


def test_it_shows_staff_their_corporations_case_in_the_queue(medewerker_client, data_change_case):
    assert data_change_case.number in medewerker_client.get(CASES).text


def test_it_hides_the_case_from_the_other_corporations_queue(collega_client, data_change_case):
    response = collega_client.get(CASES)
    assert response.status_code == 200
    assert data_change_case.number not in response.text


def test_it_shows_nothing_to_staff_without_a_corporation(data_change_case, woonkracht):
    loose = client_for(make_staff("los@example.nl", None))
    assert data_change_case.number not in loose.get(CASES).text


@pytest.mark.parametrize("kind", ["unit", "contract", "user", "case"])
def test_it_opens_its_own_corporations_objects(medewerker_client, a_objects, kind):
    assert medewerker_client.get(change_url(a_objects[kind])).status_code == 200


@pytest.mark.parametrize("kind", ["unit", "contract", "user", "case"])
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_it_does_not_open_another_corporations_object_by_url(collega_client, a_objects, kind, view):
    url = change_url(a_objects[kind]).replace("/change/", f"/{view}/")
    response = collega_client.get(url)
    assert response.status_code in (302, 403, 404)
    assert "huurder@example.nl" not in response.text and "Sanne" not in response.text


CHANGES = {
    "unit": {"street": "Overgenomen", "postcode": "7601 AB", "house_number": "12", "kind": "home"},
    "contract": {"number": "OVER-1", "base_rent": "1.00", "start_date": "2019-03-01"},
    "user": {"email": "aanvaller@example.nl", "surname": "Overgenomen"},
    "case": {"transition": "complete", "note": "Overgenomen"},
}


@pytest.mark.parametrize("kind", CHANGES)
def test_it_does_not_save_another_corporations_object_by_post(collega_client, a_objects, kind):
    obj = a_objects[kind]
    before = {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    collega_client.post(change_url(obj), CHANGES[kind] | {"_save": "Opslaan"})
    obj.refresh_from_db()
    assert {f.name: getattr(obj, f.attname) for f in obj._meta.concrete_fields} == before


# --- the case page --------------------------------------------------------------


def test_it_offers_only_the_steps_staff_may_take_now(medewerker_client, data_change_case):
    form = medewerker_client.get(change_url(data_change_case)).context["adminform"].form
    assert [name for name, _ in form.fields["transition"].choices] == [
        "",
        "start",
        "ask",
        "complete",
        "reject",
    ]


def test_it_shows_the_requested_change_next_to_the_old_value(medewerker_client, data_change_case):
    text = medewerker_client.get(change_url(data_change_case)).text
    assert "<td>Vries</td><td><strong>Jansen</strong></td>" in text


def test_it_moves_the_case_through_the_engine(medewerker_client, data_change_case, medewerker, huurder):
    response = save_case(
        medewerker_client, data_change_case, transition="complete", note="Uw achternaam is aangepast."
    )
    assert response.status_code == 302
    data_change_case.refresh_from_db()
    assert data_change_case.state == CaseState.COMPLETED
    event = CaseEvent.objects.get(case=data_change_case, action="complete")
    assert (event.actor, event.note) == (medewerker, "Uw achternaam is aangepast.")
    assert huurder.messages.filter(case=data_change_case, subject__contains="afgehandeld").exists()
    huurder.refresh_from_db()
    assert huurder.surname == "Jansen"


def test_it_shows_the_engines_refusal_as_a_form_error(medewerker_client, data_change_case, medewerker):
    services.case_transition(case=data_change_case, name="complete", actor=medewerker, role=Actor.STAFF)
    response = save_case(medewerker_client, data_change_case, transition="start")
    assert response.status_code == 200
    assert "Deze stap is nu niet mogelijk: de aanvraag heeft de status “Afgehandeld”." in response.text
    assert not CaseEvent.objects.filter(case=data_change_case, action="start").exists()


def test_it_asks_for_a_note_when_rejecting(medewerker_client, data_change_case):
    response = save_case(medewerker_client, data_change_case, transition="reject", note=" ")
    assert "Schrijf een toelichting voor de huurder." in response.text
    data_change_case.refresh_from_db()
    assert data_change_case.state == CaseState.SUBMITTED


def test_it_never_takes_the_state_from_the_form(medewerker_client, data_change_case):
    save_case(medewerker_client, data_change_case, state="closed", step="3")
    data_change_case.refresh_from_db()
    assert (data_change_case.state, data_change_case.step) == (CaseState.SUBMITTED, 1)


def test_it_sends_a_message_without_moving_the_case(medewerker_client, data_change_case, medewerker):
    save_case(medewerker_client, data_change_case, message="Wilt u de huwelijksakte sturen?")
    message = Message.objects.get(case=data_change_case, author=medewerker)
    assert message.body == "Wilt u de huwelijksakte sturen?"
    data_change_case.refresh_from_db()
    assert data_change_case.state == CaseState.SUBMITTED


def test_it_shows_the_history_and_the_thread(medewerker_client, data_change_case, huurder):
    services.message_from_tenant(case=data_change_case, tenant=huurder, body="Hier is de akte.")
    text = medewerker_client.get(change_url(data_change_case)).text
    assert "Aanvraag ontvangen" in text
    assert "Hier is de akte." in text


# --- the queue ------------------------------------------------------------------


def test_it_filters_overdue_cases(medewerker_client, data_change_case, buur_case):
    Case.objects.filter(pk=data_change_case.pk).update(expected_on=date(2020, 1, 6))
    late = medewerker_client.get(CASES, {"termijn": "te_laat"}).text
    on_time = medewerker_client.get(CASES, {"termijn": "op_tijd"}).text
    assert data_change_case.number in late and buur_case.number not in late
    assert buur_case.number in on_time and data_change_case.number not in on_time


def test_it_marks_overdue_cases_in_the_list(medewerker_client, data_change_case):
    Case.objects.filter(pk=data_change_case.pk).update(expected_on=date(2020, 1, 6))
    assert "te laat" in medewerker_client.get(CASES).text


def test_it_lists_the_oldest_promise_first(medewerker_client, data_change_case, buur_case):
    Case.objects.filter(pk=buur_case.pk).update(expected_on=date(2020, 1, 6))
    text = medewerker_client.get(CASES).text
    assert text.index(buur_case.number) < text.index(data_change_case.number)


def test_it_finds_a_case_by_the_tenants_surname(medewerker_client, data_change_case, buur_case):
    text = medewerker_client.get(CASES, {"q": "Bakker"}).text
    assert buur_case.number in text and data_change_case.number not in text


def test_it_takes_cases_in_bulk_and_reports_refusals(
    medewerker_client, data_change_case, buur_case, medewerker
):
    services.case_transition(case=buur_case, name="complete", actor=medewerker, role=Actor.STAFF)
    response = medewerker_client.post(
        CASES, {"action": "start_cases", "_selected_action": [data_change_case.pk, buur_case.pk]}, follow=True
    )
    data_change_case.refresh_from_db()
    assert data_change_case.state == CaseState.IN_PROGRESS
    assert "1 zaak heeft nu de status “In behandeling”." in response.text
    assert f"Niet gelukt bij {buur_case.number}: Deze stap is nu niet mogelijk" in response.text


def test_it_completes_cases_in_bulk(medewerker_client, data_change_case, buur_case):
    medewerker_client.post(
        CASES, {"action": "complete_cases", "_selected_action": [data_change_case.pk, buur_case.pk]}
    )
    assert set(Case.objects.values_list("state", flat=True)) == {CaseState.COMPLETED}


def test_the_queue_takes_a_fixed_number_of_queries(
    medewerker_client, huurder, woonkracht, medewerker, django_assert_max_num_queries
):
    Case.objects.bulk_create(
        Case(
            number=f"Z2026-{n:06d}",
            corporation=woonkracht,
            tenant=make_person(f"t{n}@example.nl", woonkracht),
            kind=CaseKind.DATA_CHANGE,
            expected_on=date(2026, 1, 1) + timedelta(days=n),
            assigned_to=medewerker,
        )
        for n in range(40)
    )
    # Session, user, two permission lookups, two counts, the page of cases.
    with django_assert_max_num_queries(7):
        response = medewerker_client.get(CASES)
    assert len(response.context["cl"].result_list) == 40


# --- people and invitations ---------------------------------------------------


def test_it_adds_a_person_without_a_password(medewerker_client, woonkracht, waardwonen):
    response = medewerker_client.post(
        f"{PEOPLE}add/",
        {"email": "Nieuw@Example.nl", "surname": "Smit", "corporation": waardwonen.pk, "_save": "Opslaan"},
    )
    assert response.status_code == 302
    person = User.objects.get(email="nieuw@example.nl")
    assert person.corporation == woonkracht
    assert not person.has_usable_password()


def test_staff_cannot_make_anyone_a_superuser(medewerker_client, buur):
    group = Group.objects.get(name=STAFF_GROUP)
    url = change_url(buur)
    data = form_data(medewerker_client.get(url))
    medewerker_client.post(url, data | {"is_superuser": "on", "is_staff": "on", "groups": [group.pk]})
    buur.refresh_from_db()
    assert (buur.is_superuser, buur.is_staff, buur.groups.count()) == (False, False, 0)


def test_staff_cannot_add_a_superuser(medewerker_client):
    medewerker_client.post(
        f"{PEOPLE}add/", {"email": "baas@example.nl", "is_superuser": "on", "is_staff": "on", "_save": "x"}
    )
    assert User.objects.filter(email="baas@example.nl", is_superuser=False, is_staff=False).exists()


def test_staff_cannot_change_a_colleagues_account(medewerker_client, woonkracht):
    colleague = make_staff("ander@example.nl", woonkracht)
    medewerker_client.post(change_url(colleague), {"email": "aanvaller@example.nl", "_save": "Opslaan"})
    colleague.refresh_from_db()
    assert colleague.email == "ander@example.nl"


def test_staff_never_see_a_superuser(medewerker_client, woonkracht):
    boss = User.objects.create_superuser(email="baas@example.nl", password=PASSWORD, corporation=woonkracht)
    assert medewerker_client.get(change_url(boss)).status_code == 302
    assert "baas@example.nl" not in medewerker_client.get(PEOPLE).text


def listed(response) -> set[str]:
    return {person.email for person in response.context["cl"].result_list}


def test_staff_cannot_filter_people_on_their_password_hash(medewerker_client, huurder):
    # A password-hash prefix that matches and one that does not: the list must not tell them apart.
    prefix = huurder.password[:4]
    for guess in (prefix, "zzzz"):
        response = medewerker_client.get(PEOPLE, {"email": huurder.email, "password__startswith": guess})
        assert response.status_code == 400
        assert "huurder@example.nl" not in response.text


def test_the_lists_own_filters_still_filter(medewerker_client, huurder, buur):
    User.objects.filter(pk=buur.pk).update(is_active=False)
    assert listed(medewerker_client.get(PEOPLE, {"is_active__exact": "0"})) == {"buur@example.nl"}


def test_a_raw_id_popup_may_filter_by_the_fields_limit_choices_to(monkeypatch, beheer, huurder, medewerker):
    # What Django's raw-id popup sends: the lookups of a ForeignKey's limit_choices_to.
    monkeypatch.setattr(User._meta, "related_fkey_lookups", [{"is_staff": True}])
    client = client_for(beheer)
    response = client.get(PEOPLE, {"is_staff": "1", "_to_field": "id", "_popup": "1"})
    assert response.status_code == 200
    assert listed(response) == {"medewerker@example.nl", "beheer@example.nl"}
    assert client.get(PEOPLE, {"is_staff": "0", "_to_field": "id", "_popup": "1"}).status_code == 400


def test_staff_see_only_their_corporations_people_who_are_not_staff(
    medewerker_client, woonkracht, huurder, buur, stranger, collega
):
    make_staff("ander@example.nl", woonkracht)
    User.objects.create_superuser(email="baas@example.nl", password=PASSWORD, corporation=woonkracht)
    assert listed(medewerker_client.get(PEOPLE)) == {"huurder@example.nl", "buur@example.nl"}


def test_staff_cannot_open_a_colleagues_account(medewerker_client, woonkracht):
    colleague = make_staff("ander@example.nl", woonkracht)
    # The admin's "does not exist" redirect, as for another corporation's person.
    assert medewerker_client.get(change_url(colleague)).status_code == 302


def test_a_superuser_sees_everyone(beheer, medewerker, collega, huurder, stranger):
    assert listed(client_for(beheer).get(PEOPLE)) == {
        "beheer@example.nl",
        "medewerker@example.nl",
        "collega@example.nl",
        "huurder@example.nl",
        "vreemde@example.nl",
    }


def test_a_superuser_sees_every_corporation(beheer, data_change_case, collega):
    text = client_for(beheer).get(CASES).text
    assert data_change_case.number in text


def test_a_new_email_typed_by_staff_also_waits_for_its_link(
    medewerker_client, medewerker, buur, mailoutbox, django_capture_on_commit_callbacks
):
    from portal.models import EmailChange

    url = change_url(buur)
    data = form_data(medewerker_client.get(url)) | {"email": "kees@example.nl", "_save": "Opslaan"}
    with django_capture_on_commit_callbacks(execute=True):
        response = medewerker_client.post(url, data, follow=True)
    buur.refresh_from_db()
    assert buur.email == "buur@example.nl"
    assert "Het e-mailadres wijzigt pas als de persoon op die link klikt" in response.text
    assert mailoutbox[-1].to == ["kees@example.nl"]
    assert EmailChange.objects.get(user=buur).requested_by == medewerker


@pytest.fixture
def new_tenant(woonkracht):
    return User.objects.create_user(email="nieuw@example.nl", corporation=woonkracht, surname="Smit")


def invite(client, *people):
    return client.post(
        PEOPLE, {"action": "send_invitation", "_selected_action": [p.pk for p in people]}, follow=True
    )


def activation_path(mail) -> str:
    return urlparse(re.search(r"https?://\S+/activeren/\S+/", mail.body).group(0)).path


def test_it_invites_a_person_who_then_chooses_a_password(
    medewerker_client, new_tenant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(medewerker_client, new_tenant)
    assert "1 uitnodiging verstuurd." in response.text
    assert [mail.to for mail in mailoutbox] == [["nieuw@example.nl"]]
    tenant = Client()
    new = "Blauwe-fiets-op-zolder"
    response = tenant.post(activation_path(mailoutbox[0]), {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert tenant.get("/mijn/").status_code == 200
    assert Client().login(email="nieuw@example.nl", password=new)


def test_it_skips_people_who_already_have_a_password(
    medewerker_client, huurder, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(medewerker_client, huurder)
    assert "1 persoon heeft al een wachtwoord en kreeg geen uitnodiging." in response.text
    assert mailoutbox == []


@pytest.fixture
def invitation(medewerker_client, new_tenant, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(medewerker_client, new_tenant)
    return activation_path(mailoutbox[0])


def test_a_used_link_no_longer_works(invitation):
    new = "Blauwe-fiets-op-zolder"
    Client().post(invitation, {"new_password1": new, "new_password2": new})
    response = Client().get(invitation)
    assert "Deze link werkt niet meer" in response.text


def test_an_expired_link_no_longer_works(invitation, monkeypatch):
    later = datetime.now() + timedelta(days=8)
    monkeypatch.setattr(services.activation_tokens, "_now", lambda: later)
    assert "Deze link werkt niet meer" in Client().get(invitation).text


def test_a_garbled_link_does_not_work(invitation):
    response = Client().get(invitation[:-4] + "xyz/")
    assert response.status_code == 400
    assert "Deze link werkt niet meer" in response.text


# --- contracts and open items -------------------------------------------------


@pytest.fixture
def stranger(waardwonen):
    return make_person("vreemde@example.nl", waardwonen, surname="Vreemd")


def contract_post(unit, tenants, number="HC-9", **extra):
    data = {
        "number": number,
        "unit": unit.pk,
        "tenants": [t.pk for t in tenants],
        "start_date": "2026-01-01",
        "base_rent": "650.00",
        "_save": "Opslaan",
    }
    for prefix in ("service_charges", "service_contracts"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data | extra


def test_it_refuses_another_corporations_tenant_on_a_contract(
    medewerker_client, woonkracht, complex_, stranger
):
    unit = make_unit(woonkracht, complex_, 20)
    response = medewerker_client.post("/beheer/contracts/contract/add/", contract_post(unit, [stranger]))
    assert "tenants" in response.context["adminform"].form.errors
    assert not Contract.objects.filter(number="HC-9").exists()


def test_it_adds_a_contract_for_its_own_corporation(
    medewerker_client, woonkracht, waardwonen, complex_, buur
):
    unit = make_unit(woonkracht, complex_, 20)
    data = contract_post(unit, [buur], corporation=waardwonen.pk)
    assert medewerker_client.post("/beheer/contracts/contract/add/", data).status_code == 302
    assert Contract.objects.get(number="HC-9").corporation == woonkracht


def test_the_tenant_search_offers_only_its_own_people(medewerker_client, huurder, stranger):
    response = medewerker_client.get(
        "/beheer/autocomplete/",
        {"app_label": "contracts", "model_name": "contract", "field_name": "tenants", "term": "example"},
    )
    ids = {int(row["id"]) for row in response.json()["results"]}
    assert huurder.pk in ids and stranger.pk not in ids


def test_it_filters_paid_and_unpaid_items(medewerker_client, huurder):
    OpenItem.objects.filter(reference="F-1").update(paid_at=datetime(2026, 11, 2, 12, 0, tzinfo=UTC))
    unpaid = medewerker_client.get("/beheer/payments/openitem/", {"betaald": "nee"}).text
    assert "F-2" in unpaid and "F-1" not in unpaid


def test_it_hides_open_items_from_the_other_corporation(collega_client, huurder):
    assert "F-1" not in collega_client.get("/beheer/payments/openitem/").text


# --- every page renders ---------------------------------------------------------


@pytest.fixture
def everything(huurder, buur, data_change_case, medewerker, beheer):
    from contracts.models import Valuation

    unit = Contract.objects.get(number="HC-1").unit
    Valuation.objects.create(
        unit=unit, points=153, max_rent="1001.50", rubrics=[{"name": "Oppervlakte", "points": "62"}]
    )
    services.case_transition(case=data_change_case, name="start", actor=medewerker, role=Actor.STAFF)


@pytest.mark.parametrize("who", ["medewerker", "beheer"])
def test_every_admin_page_renders(everything, who, request):
    from django.contrib import admin

    client = client_for(request.getfixturevalue(who))
    for model in admin.site._registry:
        if model._meta.app_label not in ("portal", "contracts", "payments"):
            continue
        base = f"/beheer/{model._meta.app_label}/{model._meta.model_name}/"
        listing = client.get(base)
        assert listing.status_code in (200, 403), base
        if listing.status_code == 403:
            continue
        for obj in model._default_manager.all():
            assert client.get(change_url(obj)).status_code in (200, 302), change_url(obj)
        assert client.get(f"{base}add/").status_code in (200, 403), base
