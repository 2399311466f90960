"""The repair pages through the test client, as the real roles: an anonymous
reporter, huurder (tenant A), buur (tenant B) and staff of both corporations."""

import io
import re
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import make_repair
from payments.models import OpenItem
from portal.models import Message
from repairs import rules, services
from repairs.models import RepairPhoto, RepairRequest, RepairState, Slot


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg(name="lekkage.jpg", size=(64, 48), exif=None):
    out = io.BytesIO()
    image = Image.new("RGB", size, (180, 40, 40))
    if exif is not None:
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name="foto.png"):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def body(response) -> str:
    return response.content.decode()


def first_block(response) -> str:
    return re.search(r'name="block" value="([^"]+)"', body(response)).group(1)


def walk_to_details(client, catalogue, base="/reparatie/", address=True, location="woonkamer"):
    """Address (public flow only), kind and questions; returns the problem chosen."""
    if address:
        response = client.post(base, {"postcode": "7601ab", "house_number": "12"})
        assert response.status_code == 302 and response["Location"] == f"{base}soort/"
    heating = catalogue["heating"]
    assert client.post(f"{base}soort/", {"kind": heating.pk}).status_code == 302
    problem = heating.problems.get(order=2)
    response = client.post(f"{base}vragen/", {"location": location, "problem": problem.pk})
    assert response.status_code == 302 and response["Location"] == f"{base}toelichting/"
    return problem


DETAILS = {
    "follow_up_answer": "F28",
    "description": "De ketel piept en geeft storing.",
    "contact_name": "Jan Melder",
    "contact_phone": "06 1234 5678",
    "contact_email": "jan@example.nl",
}


# --- the public flow ------------------------------------------------------------------


def test_anonymous_visitor_reports_a_repair_with_a_photo_and_books_a_block(
    anoniem, huurder, repair_catalogue, django_capture_on_commit_callbacks, mailoutbox
):
    walk_to_details(anoniem, repair_catalogue)
    response = anoniem.post("/reparatie/toelichting/", {**DETAILS, "photos": [jpeg()]})
    assert response.status_code == 302 and response["Location"] == "/reparatie/afspraak/"

    page = anoniem.get("/reparatie/afspraak/")
    text = body(page)
    assert "Blijf twee uur thuis" in text and "€ 20" in text
    block = first_block(page)
    assert anoniem.post("/reparatie/afspraak/", {"block": block}).status_code == 302
    check = body(anoniem.get("/reparatie/versturen/"))
    assert "lekkage.jpg" in check and "Jan Melder" in check
    day, hour = services.parse_block(block)
    assert f"{hour:02d}:00 – {hour + 2:02d}:00" in check
    with django_capture_on_commit_callbacks(execute=True):
        response = anoniem.post("/reparatie/versturen/")
    assert response["Location"] == "/reparatie/ontvangen/"

    repair = RepairRequest.objects.get()
    assert repair.reporter is None and repair.unit.house_number == 12 and repair.photos.count() == 1
    assert repair.slot_value == block and repair.slot.booked == 1
    done = body(anoniem.get("/reparatie/ontvangen/"))
    assert repair.number in done and "Blijf die twee uur thuis" in done
    mail = mailoutbox[-1]
    assert mail.to == ["jan@example.nl"] and repair.number in mail.subject
    assert mail.attachments[0][0].endswith(".ics") and "BEGIN:VEVENT" in str(mail.attachments[0][1])
    # The draft is gone: the flow starts again from the address.
    assert anoniem.get("/reparatie/soort/")["Location"] == "/reparatie/"


def test_anonymous_lookup_shows_nothing_of_the_home_its_tenants_or_its_repairs(
    anoniem, huurder, huurder_repair
):
    response = anoniem.post("/reparatie/", {"postcode": "7601 AB", "house_number": "12"}, follow=True)
    text = body(response)
    assert "Kies uw reparatie" in text
    for secret in ("Lindelaan", "Sanne", "Vries", huurder_repair.number, "Almelo"):
        assert secret not in text


def test_unknown_address_and_a_wrong_addition_get_the_same_message_and_keep_the_input(anoniem, huurder):
    unknown = body(anoniem.post("/reparatie/", {"postcode": "9999 ZZ", "house_number": "1"}))
    wrong = body(anoniem.post("/reparatie/", {"postcode": "7601 AB", "house_number": "12", "addition": "Z"}))
    for text in (unknown, wrong):
        assert "Wij vinden geen woning van ons op dit adres" in text
    assert 'value="9999 ZZ"' in unknown
    assert 'value="Z"' in wrong


def test_address_lookups_are_limited_per_visitor(anoniem, huurder, monkeypatch):
    from repairs import views

    monkeypatch.setattr(views, "LOOKUPS_PER_HOUR", 2)
    for _ in range(2):
        anoniem.post("/reparatie/", {"postcode": "9999 ZZ", "house_number": "1"})
    response = anoniem.post("/reparatie/", {"postcode": "7601 AB", "house_number": "12"})
    assert response.status_code == 200 and "te vaak" in body(response)


def test_behind_a_proxy_each_visitor_has_their_own_address_lookups(huurder, monkeypatch, settings):
    from django.test import Client

    from repairs import views

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(views, "LOOKUPS_PER_HOUR", 2)
    proxy = {"REMOTE_ADDR": "172.16.0.1"}
    guesser = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.4")
    for _ in range(3):
        guesser.post("/reparatie/", {"postcode": "9999 ZZ", "house_number": "1"})
    assert "te vaak" in body(guesser.post("/reparatie/", {"postcode": "9999 ZZ", "house_number": "1"}))

    # Another visitor through the same proxy is not held back by the first one's lookups.
    reporter = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    response = reporter.post("/reparatie/", {"postcode": "7601 AB", "house_number": "12"})
    assert response.status_code == 302 and response["Location"] == "/reparatie/soort/"


def test_urgent_kind_shows_the_24_hour_number_and_books_nothing(anoniem, huurder, repair_catalogue):
    anoniem.post("/reparatie/", {"postcode": "7601 AB", "house_number": "12"})
    response = anoniem.post("/reparatie/soort/", {"kind": repair_catalogue["gas"].pk})
    text = body(response)
    assert "0546 54 64 00" in text and "dag en nacht" in text
    assert anoniem.get("/reparatie/vragen/")["Location"] == "/reparatie/soort/"
    assert not RepairRequest.objects.exists()


def test_search_finds_the_kind_by_another_word(anoniem, huurder, repair_catalogue):
    anoniem.post("/reparatie/", {"postcode": "7601 AB", "house_number": "12"})
    text = body(anoniem.get("/reparatie/soort/", {"q": "radiator"}))
    assert "1 reparatie gevonden" in text and "CV/Verwarming" in text


def test_questionnaire_offers_only_the_common_areas_the_complex_has(anoniem, huurder, repair_catalogue):
    """The kind lists lift, portiek and galerij; the complex has a lift and a portiek only."""
    anoniem.post("/reparatie/", {"postcode": "7601 AB", "house_number": "12"})
    anoniem.post("/reparatie/soort/", {"kind": repair_catalogue["heating"].pk})
    text = body(anoniem.get("/reparatie/vragen/"))
    assert 'value="lift"' in text and 'value="portiek"' in text and 'value="galerij"' not in text
    assert "Gemeenschappelijke ruimte" in text


def test_common_area_repair_belongs_to_the_complex(
    anoniem, huurder, repair_catalogue, django_capture_on_commit_callbacks
):
    walk_to_details(anoniem, repair_catalogue, location="lift")
    anoniem.post("/reparatie/toelichting/", DETAILS)
    anoniem.post("/reparatie/afspraak/", {"block": first_block(anoniem.get("/reparatie/afspraak/"))})
    with django_capture_on_commit_callbacks(execute=True):
        anoniem.post("/reparatie/versturen/")
    repair = RepairRequest.objects.get()
    assert repair.unit is None and repair.common_area.kind == "lift"
    assert repair.complex == huurder.contracts.first().unit.complex


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (png, "PNG"),
        (lambda: SimpleUploadedFile("factuur.jpg", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n"), "PDF"),
        (lambda: SimpleUploadedFile("kapot.jpg", jpeg(size=(400, 300)).read()[:600]), "beschadigd"),
        (lambda: SimpleUploadedFile("groot.jpg", jpeg(size=(300, 300)).read()), "te veel pixels"),
    ],
    ids=["png", "pdf-renamed-jpg", "truncated-jpeg", "too-many-pixels"],
)
def test_a_refused_photo_keeps_the_form_and_the_photos_already_added(
    anoniem, huurder, repair_catalogue, monkeypatch, upload, message
):
    monkeypatch.setattr(rules, "MAX_PHOTO_PIXELS", 200 * 200)
    walk_to_details(anoniem, repair_catalogue)
    # A good photo first, with a field missing: the photo is kept, the rest too.
    response = anoniem.post("/reparatie/toelichting/", {**DETAILS, "contact_email": "", "photos": [jpeg()]})
    assert response.status_code == 200 and "Vul uw e-mailadres in" in body(response)
    assert "lekkage.jpg" in body(response)

    response = anoniem.post("/reparatie/toelichting/", {**DETAILS, "photos": [upload()]})
    text = body(response)
    assert response.status_code == 200
    assert message in text and "error-summary" in text
    assert "De ketel piept en geeft storing." in text and 'value="Jan Melder"' in text
    assert "lekkage.jpg" in text
    assert RepairPhoto.objects.filter(request__isnull=True).count() == 1


def test_a_photo_can_be_removed_before_sending(anoniem, huurder, repair_catalogue):
    walk_to_details(anoniem, repair_catalogue)
    anoniem.post("/reparatie/toelichting/", {**DETAILS, "photos": [jpeg()]})
    photo = RepairPhoto.objects.get()
    assert anoniem.get(f"/reparatie/foto/{photo.token}/").status_code == 200
    response = anoniem.post("/reparatie/toelichting/", {**DETAILS, "remove_photos": [photo.token]})
    assert response.status_code == 302
    assert not RepairPhoto.objects.exists()


def test_when_the_block_fills_up_before_sending_the_reporter_picks_another_and_keeps_the_rest(
    anoniem, huurder, buur, repair_catalogue
):
    walk_to_details(anoniem, repair_catalogue)
    anoniem.post("/reparatie/toelichting/", {**DETAILS, "photos": [jpeg()]})
    block = first_block(anoniem.get("/reparatie/afspraak/"))
    anoniem.post("/reparatie/afspraak/", {"block": block})
    day, hour = services.parse_block(block)
    Slot.objects.filter(trade=repair_catalogue["trade"], date=day, start_hour=hour).delete()
    Slot.objects.create(trade=repair_catalogue["trade"], date=day, start_hour=hour, capacity=1, booked=1)

    response = anoniem.post("/reparatie/versturen/", follow=True)
    assert response.redirect_chain[-1][0] == "/reparatie/afspraak/"
    assert "net vol geraakt" in body(response)
    assert not RepairRequest.objects.exists()
    # Everything else is still there.
    details = body(anoniem.get("/reparatie/toelichting/"))
    assert "De ketel piept en geeft storing." in details and "lekkage.jpg" in details


# --- the Mijn flow --------------------------------------------------------------------------


def test_tenant_reports_for_their_home_with_contact_data_filled_in(
    huurder_client, huurder, repair_catalogue, django_capture_on_commit_callbacks, mailoutbox
):
    page = body(huurder_client.get("/mijn/reparaties/nieuw/"))
    assert "Lindelaan 12" in page and "Parkeerplaats" in page  # a home and a parking space
    home = next(u for u in services.tenant_units(huurder) if u.kind == "home")
    assert huurder_client.post("/mijn/reparaties/nieuw/", {"unit": home.pk}).status_code == 302
    walk_to_details(huurder_client, repair_catalogue, base="/mijn/reparaties/nieuw/", address=False)
    details = body(huurder_client.get("/mijn/reparaties/nieuw/toelichting/"))
    assert 'value="huurder@example.nl"' in details and "Sanne de Vries" in details
    huurder_client.post(
        "/mijn/reparaties/nieuw/toelichting/",
        {**DETAILS, "contact_name": "Sanne de Vries", "contact_email": "huurder@example.nl"},
    )
    page = huurder_client.get("/mijn/reparaties/nieuw/afspraak/")
    huurder_client.post("/mijn/reparaties/nieuw/afspraak/", {"block": first_block(page)})
    with django_capture_on_commit_callbacks(execute=True):
        response = huurder_client.post("/mijn/reparaties/nieuw/versturen/")
    repair = RepairRequest.objects.get()
    assert repair.reporter == huurder and repair.unit == home
    done = body(huurder_client.get(response["Location"]))
    assert repair.number in done and "Mijn reparaties" in done
    assert Message.objects.filter(person=huurder, subject__contains=repair.number).exists()
    # One e-mail with the appointment, not a second one about the message.
    assert [m.to for m in mailoutbox] == [["huurder@example.nl"]]


def test_a_tenant_cannot_point_the_draft_at_someone_elses_home(huurder_client, buur, repair_catalogue):
    buur_home = buur.contracts.first().unit
    response = huurder_client.post("/mijn/reparaties/nieuw/", {"unit": buur_home.pk})
    assert response.status_code == 200 and "Kies een van uw eigen adressen" in body(response)
    assert huurder_client.get("/mijn/reparaties/nieuw/soort/")["Location"] == "/mijn/reparaties/nieuw/"


# --- Mijn reparaties -------------------------------------------------------------------------


def test_mijn_reparaties_lists_planned_and_completed_repairs(huurder_client, huurder_repair, huurder):
    done = make_repair(huurder_repair.unit, {"heating": huurder_repair.kind}, reporter=huurder)
    RepairRequest.objects.filter(pk=done.pk).update(state=RepairState.COMPLETED)
    text = body(huurder_client.get("/mijn/reparaties/"))
    planned_part, completed_part = text.split("Afgehandelde reparaties")
    assert huurder_repair.number in planned_part and done.number in completed_part
    assert "Ingepland" in planned_part and "Uitgevoerd" in completed_part


def test_tenant_cancels_while_planning_has_not_fixed_the_date(
    huurder_client, huurder_repair, django_capture_on_commit_callbacks, mailoutbox
):
    page = body(huurder_client.get(f"/mijn/reparaties/{huurder_repair.number}/"))
    assert "Reparatieverzoek annuleren" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = huurder_client.post(f"/mijn/reparaties/{huurder_repair.number}/annuleren/", follow=True)
    assert "is geannuleerd" in body(response)
    huurder_repair.refresh_from_db()
    huurder_repair.slot.refresh_from_db()
    assert huurder_repair.state == RepairState.CANCELLED and huurder_repair.slot.booked == 0
    assert "geannuleerd" in mailoutbox[-1].subject


def test_once_fixed_the_page_gives_the_phone_number_and_refuses_cancel_and_rebook(
    huurder_client, huurder_repair, medewerker
):
    services.repair_fix(repair=huurder_repair, staff=medewerker)
    page = body(huurder_client.get(f"/mijn/reparaties/{huurder_repair.number}/"))
    assert "Uw afspraak staat vast" in page and "0546 54 64 64" in page
    assert "Reparatieverzoek annuleren" not in page
    response = huurder_client.post(f"/mijn/reparaties/{huurder_repair.number}/annuleren/", follow=True)
    assert "0546 54 64 64" in body(response)
    assert huurder_client.get(f"/mijn/reparaties/{huurder_repair.number}/verzetten/").status_code == 302
    huurder_repair.refresh_from_db()
    assert huurder_repair.state == RepairState.FIXED


def test_tenant_picks_another_block(huurder_client, huurder_repair):
    page = huurder_client.get(f"/mijn/reparaties/{huurder_repair.number}/verzetten/")
    other = [
        v for v in re.findall(r'name="block" value="([^"]+)"', body(page)) if v != huurder_repair.slot_value
    ][0]
    response = huurder_client.post(f"/mijn/reparaties/{huurder_repair.number}/verzetten/", {"block": other})
    assert response.status_code == 302
    huurder_repair.refresh_from_db()
    assert huurder_repair.slot_value == other


def test_an_anonymous_report_for_the_home_shows_up_for_its_tenant_who_can_cancel_it(
    huurder_client, huurder, repair_catalogue
):
    home = next(u for u in services.tenant_units(huurder) if u.kind == "home")
    repair = make_repair(home, repair_catalogue)  # reported without logging in
    assert repair.number in body(huurder_client.get("/mijn/reparaties/"))
    huurder_client.post(f"/mijn/reparaties/{repair.number}/annuleren/")
    repair.refresh_from_db()
    assert repair.state == RepairState.CANCELLED


def test_a_neighbours_common_area_report_and_the_previous_tenants_repairs_stay_hidden(
    huurder_client, huurder, buur, repair_catalogue
):
    buur_home = buur.contracts.first().unit
    lift = make_repair(buur_home, repair_catalogue, reporter=buur, location="lift")
    home = next(u for u in services.tenant_units(huurder) if u.kind == "home")
    old = make_repair(home, repair_catalogue)
    RepairRequest.objects.filter(pk=old.pk).update(
        created_at=datetime(2018, 5, 1, 10, tzinfo=rules.AMSTERDAM)
    )
    text = body(huurder_client.get("/mijn/reparaties/"))
    assert lift.number not in text and old.number not in text
    assert huurder_client.get(f"/mijn/reparaties/{old.number}/").status_code == 404


def test_tenant_sees_the_photo_of_their_repair_and_buur_does_not(huurder_client, buur_client, huurder_repair):
    photo = services.photo_add(draft="d", upload=jpeg())
    RepairPhoto.objects.filter(pk=photo.pk).update(request=huurder_repair, draft="")
    response = huurder_client.get(f"/mijn/reparaties/{huurder_repair.number}/foto/{photo.token}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert buur_client.get(f"/mijn/reparaties/{huurder_repair.number}/foto/{photo.token}/").status_code == 404


def assert_served_as_photo(response, download_name):
    """A photo is shown as the JPEG it was checked to be, under the portal's name, with nothing to run."""
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'inline; filename="{download_name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


def test_a_repair_photo_is_served_as_a_jpeg_to_the_tenant_and_to_staff(
    huurder_client, medewerker_client, huurder_repair
):
    photo = services.photo_add(draft="d", upload=jpeg("\u202egpj.exe"))
    RepairPhoto.objects.filter(pk=photo.pk).update(request=huurder_repair, draft="")
    number = huurder_repair.number
    assert_served_as_photo(
        huurder_client.get(f"/mijn/reparaties/{number}/foto/{photo.token}/"), f"foto-{number}.jpg"
    )
    assert_served_as_photo(
        medewerker_client.get(f"/medewerker/reparaties/{number}/foto/{photo.token}/"), f"foto-{number}.jpg"
    )


def test_a_photo_named_with_a_right_to_left_override_is_shown_by_its_plain_name(
    anoniem, huurder, repair_catalogue
):
    """ "\u202egpj.exe" would read as "exe.jpg": the name shown drops the override, the file is a JPEG."""
    walk_to_details(anoniem, repair_catalogue)
    response = anoniem.post(
        "/reparatie/toelichting/", {**DETAILS, "contact_email": "", "photos": [jpeg("\u202egpj.exe")]}
    )
    photo = RepairPhoto.objects.get()
    assert photo.original_name == "gpj.exe" and photo.image.name == f"repairs/{photo.token}.jpg"
    assert "gpj.exe" in body(response) and "\u202e" not in body(response)
    assert_served_as_photo(anoniem.get(f"/reparatie/foto/{photo.token}/"), "foto.jpg")


# --- staff planning ---------------------------------------------------------------------------


def past_repair(repair):
    """Move a repair's appointment into the past (staff may then mark a no-show)."""
    yesterday = date.today() - timedelta(days=1)
    slot = Slot.objects.create(trade=repair.slot.trade, date=yesterday, start_hour=8, capacity=2, booked=1)
    RepairRequest.objects.filter(pk=repair.pk).update(slot=slot)
    repair.refresh_from_db()
    return repair


def test_staff_see_the_days_planning_of_their_own_corporation_only(
    medewerker_client, collega_client, huurder_repair
):
    url = f"/medewerker/planning/?datum={huurder_repair.slot.date:%Y-%m-%d}"
    page = body(medewerker_client.get(url))
    assert huurder_repair.number in page and "CV-monteurs" in page and "1/2" in page
    assert huurder_repair.number not in body(collega_client.get(url))


def test_staff_fix_then_complete_a_repair(medewerker_client, huurder_repair, huurder):
    number = huurder_repair.number
    medewerker_client.post(f"/medewerker/reparaties/{number}/actie/fix/")
    huurder_repair.refresh_from_db()
    assert huurder_repair.state == RepairState.FIXED and huurder_repair.fixed_at
    assert 'name="note"' in body(medewerker_client.get(f"/medewerker/reparaties/{number}/"))
    medewerker_client.post(f"/medewerker/reparaties/{number}/actie/complete/", {"note": "Ketel gereset"})
    huurder_repair.refresh_from_db()
    assert huurder_repair.state == RepairState.COMPLETED and huurder_repair.staff_note == "Ketel gereset"
    assert Message.objects.filter(person=huurder, subject__contains="uitgevoerd").exists()


def test_staff_mark_a_no_show_which_charges_20_euro_to_the_tenant(
    medewerker_client, huurder_client, huurder_repair, huurder
):
    before = OpenItem.objects.filter(tenant=huurder, paid_at__isnull=True).count()
    early = medewerker_client.post(
        f"/medewerker/reparaties/{huurder_repair.number}/actie/no-show/", follow=True
    )
    assert "pas kiezen als het tijdvak is begonnen" in body(early)
    past_repair(huurder_repair)
    medewerker_client.post(f"/medewerker/reparaties/{huurder_repair.number}/actie/no-show/")
    huurder_repair.refresh_from_db()
    assert huurder_repair.state == RepairState.NO_SHOW
    item = huurder_repair.no_show_item
    assert item.tenant == huurder and str(item.amount) == "20.00"
    assert OpenItem.objects.filter(tenant=huurder, paid_at__isnull=True).count() == before + 1
    # The dashboard balance now includes the fee: € 125,31 + € 20,00.
    assert "145,31" in body(huurder_client.get("/mijn/"))


def test_staff_reschedule_a_fixed_repair(medewerker_client, huurder_repair, medewerker):
    services.repair_fix(repair=huurder_repair, staff=medewerker)
    page = medewerker_client.get(f"/medewerker/reparaties/{huurder_repair.number}/")
    other = [
        v for v in re.findall(r'name="block" value="([^"]+)"', body(page)) if v != huurder_repair.slot_value
    ][0]
    response = medewerker_client.post(
        f"/medewerker/reparaties/{huurder_repair.number}/verzetten/", {"block": other}
    )
    assert response.status_code == 302
    huurder_repair.refresh_from_db()
    assert huurder_repair.slot_value == other and huurder_repair.state == RepairState.FIXED


def test_staff_of_the_other_corporation_cannot_act_on_the_repair(collega_client, huurder_repair):
    for action in ("fix", "complete", "no-show"):
        response = collega_client.post(f"/medewerker/reparaties/{huurder_repair.number}/actie/{action}/")
        assert response.status_code == 404
    huurder_repair.refresh_from_db()
    assert huurder_repair.state == RepairState.PLANNED


def test_a_contact_address_longer_than_any_mailbox_is_refused_in_dutch(anoniem, huurder, repair_catalogue):
    from conftest import TOO_LONG, TOO_LONG_EMAIL

    walk_to_details(anoniem, repair_catalogue)
    response = anoniem.post("/reparatie/toelichting/", {**DETAILS, "contact_email": TOO_LONG_EMAIL})
    assert response.status_code == 200 and TOO_LONG in body(response)
    assert 'value="Jan Melder"' in body(response)
