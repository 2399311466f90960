"""Repair services: reporting, blocks, cancelling, rebooking, planning and no-shows (R1–R6).

Every call gets an explicit `now`: Tuesday 1 December 2026, 10:00 in Amsterdam,
so the first bookable block is Wednesday 2 December 08:00.
"""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar
from PIL import Image

from conftest import make_contract, make_person, make_repair, make_repair_catalogue, make_unit
from contracts.models import Unit
from payments.models import OpenItem
from portal.errors import DomainError
from portal.models import Message
from portal.selectors import open_balance
from repairs import rules, services
from repairs.models import RepairKind, RepairPhoto, RepairProblem, RepairRequest, RepairState, Slot
from repairs.rules import AMSTERDAM

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)
WEDNESDAY = date(2026, 12, 2)
THURSDAY = date(2026, 12, 3)
WOONKRACHT_PHONE = "0546 54 64 64"


@pytest.fixture
def home(huurder):
    return next(u for u in services.tenant_units(huurder) if u.kind == "home")


@pytest.fixture
def planned(home, huurder, repair_catalogue):
    """huurder's repair, reported by her at NOW, in the first free block: Wednesday 08:00."""
    return make_repair(home, repair_catalogue, reporter=huurder, now=NOW)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def report(unit, catalogue, **changes) -> services.Report:
    heating = catalogue["heating"]
    fields = {
        "unit": unit,
        "kind": heating,
        "location": "keuken",
        "problem": heating.problems.get(order=2),
        "follow_up_answer": "F28",
        "description": "De ketel staat op storing.",
        "contact_name": "Mevrouw Melder",
        "contact_phone": "06 11112222",
        "contact_email": "melder@example.nl",
        "day": WEDNESDAY,
        "start_hour": 8,
        "reporter": None,
    }
    return services.Report(**(fields | changes))


def jpeg_upload(name="foto.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "green").save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def slot(day=WEDNESDAY, hour=8) -> Slot:
    return Slot.objects.get(date=day, start_hour=hour)


def ics_of(mail) -> Calendar:
    [(name, content, mimetype)] = mail.attachments
    assert name.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def nothing_saved():
    assert not RepairRequest.objects.exists()
    assert not Slot.objects.filter(booked__gt=0).exists()


def at(day, hour, minute=0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


# --- anonymous reports: finding the home ------------------------------------------


def test_the_address_finds_the_home(huurder, home):
    """ "Hiervoor hoeft u niet eerst in te loggen, dit kan ook op basis van postcode en huisnummer." """
    assert services.address_lookup(postcode="7601 AB", house_number=12) == home
    assert services.address_lookup(postcode="7601ab", house_number=12, addition="") == home


def test_the_addition_finds_the_parking_space_at_the_same_number(huurder, home):
    """ "… op basis van postcode en huisnummer": 12-P12 is the parking space, 12 the home."""
    parking = Unit.objects.get(house_number=12, house_number_addition="P12")
    assert services.address_lookup(postcode="7601 AB", house_number=12, addition="P12") == parking
    assert services.address_lookup(postcode="7601 AB", house_number=12, addition="p 12") == parking


@pytest.mark.parametrize(("house_number", "addition"), [(12, "A"), (12, "P13"), (13, ""), (99, "")])
def test_an_unknown_address_or_addition_finds_nothing(huurder, house_number, addition):
    """ "… op basis van postcode en huisnummer": the home must exist; a near miss is told nothing more."""
    with pytest.raises(DomainError, match="Wij vinden geen woning") as refused:
        services.address_lookup(postcode="7601 AB", house_number=house_number, addition=addition)
    with pytest.raises(DomainError) as unknown_postcode:
        services.address_lookup(postcode="9999 ZZ", house_number=1)
    assert str(refused.value) == str(unknown_postcode.value)


@pytest.mark.parametrize("postcode", ["", "7601", "76O1 AB", "1234 SA"])
def test_a_bad_postcode_is_refused(huurder, postcode):
    """ "… op basis van postcode en huisnummer": a postcode like 1234 AB."""
    with pytest.raises(DomainError, match="geldige postcode"):
        services.address_lookup(postcode=postcode, house_number=12)


def test_a_home_of_another_corporation_goes_to_that_corporation(huurder, waardwonen, repair_catalogue):
    """ "Hiervoor hoeft u niet eerst in te loggen": the home decides which corporation gets the report."""
    other_home = make_unit(waardwonen, None, 5, postcode="3311 AB")
    tenant = make_person("waard@example.nl", waardwonen, surname="Jansen")
    make_contract(waardwonen, other_home, [tenant], "WW-1")
    waard_catalogue = make_repair_catalogue(waardwonen)

    found = services.address_lookup(postcode="3311 AB", house_number=5)

    assert found == other_home and found.corporation == waardwonen
    assert {k.corporation_id for k in services.kinds_for(found.corporation)} == {waardwonen.pk}
    with pytest.raises(DomainError, match="Kies een soort reparatie"):
        services.repair_report(report(found, repair_catalogue), now=NOW)  # Woonkracht's kind
    repair = services.repair_report(report(found, waard_catalogue), now=NOW)
    assert repair.corporation == waardwonen
    assert repair.slot.trade == waard_catalogue["trade"]


def test_the_lookup_returns_only_the_unit(huurder, home):
    """ "U kunt deze niet inzien op basis van postcode en huisnummer, aangezien het gaat om vertrouwelijke
    informatie": nothing of the tenants or their repairs comes along."""
    found = services.address_lookup(postcode="7601 AB", house_number=12)
    assert type(found) is Unit
    assert not getattr(found, "_prefetched_objects_cache", None)
    assert set(found._state.fields_cache) <= {"corporation", "complex"}


def test_tenant_units_are_the_rented_home_and_parking_space(huurder, buur):
    """ "Onder de button 'Mijn reparaties', kunt u reparatieverzoeken indienen": for what the tenant rents."""
    units = services.tenant_units(huurder)
    assert [(u.kind, u.house_number, u.house_number_addition) for u in units] == [
        ("home", 12, ""),
        ("parking", 12, "P12"),
    ]


# --- kinds and the search box -----------------------------------------------------


def test_search_finds_kinds_by_name_keyword_and_problem(repair_catalogue, waardwonen):
    """ "Gebruik de zoekfunctie wanneer u een reparatieverzoek wilt indienen." """
    make_repair_catalogue(waardwonen)
    woonkracht = repair_catalogue["heating"].corporation
    assert services.kinds_search(woonkracht, "verwarming") == [repair_catalogue["heating"]]
    assert services.kinds_search(woonkracht, "GASLEK") == [repair_catalogue["gas"]]
    assert services.kinds_search(woonkracht, "storing") == [repair_catalogue["heating"]]
    assert services.kinds_search(woonkracht, "riool") == []


def test_inactive_kinds_are_not_offered(repair_catalogue):
    """ "U begint met het kiezen van het soort reparatie dat u wilt aanvragen": only the kinds in use."""
    repair_catalogue["gas"].active = False
    repair_catalogue["gas"].save()
    assert services.kinds_for(repair_catalogue["heating"].corporation) == [repair_catalogue["heating"]]


# --- blocks -----------------------------------------------------------------------


def test_the_first_free_blocks_start_tomorrow(repair_catalogue):
    """ "U krijgt een blok in beeld met de eerstvolgende mogelijkheden om de reparatie uit te voeren." """
    blocks = services.first_free_blocks(repair_catalogue["trade"], now=NOW)
    assert [(b.day, b.start_hour) for b in blocks] == [
        (WEDNESDAY, 8),
        (WEDNESDAY, 10),
        (WEDNESDAY, 12),
        (WEDNESDAY, 14),
        (THURSDAY, 8),
        (THURSDAY, 10),
    ]
    assert len(blocks) == rules.FIRST_FREE_COUNT
    assert all(b.free == 2 for b in blocks)
    assert blocks[0].value == "2026-12-02T08" and blocks[0].label == "08:00 – 10:00"


def test_a_full_block_is_not_among_the_first_free_blocks(repair_catalogue):
    """ "U krijgt een blok in beeld met de eerstvolgende mogelijkheden": a full block is no possibility."""
    Slot.objects.create(trade=repair_catalogue["trade"], date=WEDNESDAY, start_hour=8, capacity=2, booked=2)
    blocks = services.first_free_blocks(repair_catalogue["trade"], now=NOW)
    assert (blocks[0].day, blocks[0].start_hour) == (WEDNESDAY, 10)


def test_the_first_free_blocks_skip_christmas(repair_catalogue):
    """ "… de eerstvolgende mogelijkheden": on Christmas Eve that is Monday 28 December."""
    blocks = services.first_free_blocks(repair_catalogue["trade"], now=at(date(2026, 12, 24), 10))
    assert (blocks[0].day, blocks[0].start_hour) == (date(2026, 12, 28), 8)


def test_the_calendar_shows_the_free_places(planned, repair_catalogue):
    """ "Staat de door u gewenste tijd en datum er niet tussen? Klik dan op het kalendericoontje." """
    blocks = services.blocks_between(repair_catalogue["trade"], NOW.date(), THURSDAY, now=NOW)
    free = {(b.day, b.start_hour): b.free for b in blocks}
    assert free[(WEDNESDAY, 8)] == 1
    assert free[(WEDNESDAY, 10)] == 2
    assert (NOW.date(), 14) not in free  # not today


def test_parse_block_refuses_nonsense():
    """ "… tijdsblokken van twee uur": a block is a day and an hour."""
    assert services.parse_block("2026-12-02T08") == (WEDNESDAY, 8)
    for value in ("", "2026-12-02", "gisteren", "2026-13-02T08", "2026-12-02Tacht"):
        with pytest.raises(DomainError, match="tijdvak"):
            services.parse_block(value)


# --- reporting ----------------------------------------------------------------------


def test_a_tenant_reports_a_repair(
    huurder, home, repair_catalogue, media, mailoutbox, django_capture_on_commit_callbacks
):
    """ "Zodra u alle gegevens heeft ingevuld, kunt u de afspraak met een medewerker plannen." """
    services.photo_add(draft="d1", upload=jpeg_upload("ketel.jpg"))
    services.photo_add(draft="d1", upload=jpeg_upload("display.jpg"))
    filled_in = report(home, repair_catalogue, reporter=huurder, contact_email=huurder.email, draft="d1")

    with django_capture_on_commit_callbacks(execute=True):
        repair = services.repair_report(filled_in, now=NOW)

    repair.refresh_from_db()
    assert repair.number == f"R2026-{repair.pk:06d}"
    assert (repair.state, repair.unit, repair.common_area, repair.reporter) == (
        RepairState.PLANNED,
        home,
        None,
        huurder,
    )
    assert repair.created_at == NOW
    assert (repair.slot.date, repair.slot.start_hour, repair.slot.booked, repair.slot.capacity) == (
        WEDNESDAY,
        8,
        1,
        2,
    )
    assert sorted(p.original_name for p in repair.photos.all()) == ["display.jpg", "ketel.jpg"]
    assert services.draft_photos("d1") == []
    # Mijn berichten, without a second e-mail: the confirmation goes to the same address.
    [message] = Message.objects.filter(person=huurder)
    assert repair.number in message.subject
    [mail] = mailoutbox
    assert mail.to == [huurder.email]
    assert repair.number in mail.subject
    assert "Blijf deze twee uur thuis" in mail.body and "€ 20" in mail.body


def test_the_confirmation_carries_the_appointment_for_the_calendar(
    home, repair_catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    """ "U kunt bij het plannen altijd kiezen uit tijdsblokken van twee uur": 08:00–10:00 Amsterdam time."""
    with django_capture_on_commit_callbacks(execute=True):
        repair = services.repair_report(report(home, repair_catalogue), now=NOW)

    [mail] = mailoutbox
    assert mail.to == ["melder@example.nl"]
    calendar = ics_of(mail)
    [event] = calendar.walk("VEVENT")
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert start == datetime(2026, 12, 2, 8, 0, tzinfo=AMSTERDAM)
    assert str(start.tzinfo) == "Europe/Amsterdam"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert end - start == timedelta(hours=2)
    assert repair.number in str(event["SUMMARY"])
    assert str(event["UID"]).startswith(repair.number)
    assert str(calendar["METHOD"]) == "PUBLISH"
    # RFC 5545: every TZID used needs its VTIMEZONE, or Outlook cannot read the time.
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_an_anonymous_report_gets_mail_but_no_message(
    home, repair_catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    """ "Hiervoor hoeft u niet eerst in te loggen": no account, so no Mijn berichten."""
    with django_capture_on_commit_callbacks(execute=True):
        repair = services.repair_report(report(home, repair_catalogue), now=NOW)
    assert repair.reporter is None
    assert not Message.objects.exists()
    [mail] = mailoutbox
    assert mail.to == ["melder@example.nl"] and repair.number in mail.body


def test_two_reports_get_their_own_numbers(home, repair_catalogue):
    first = services.repair_report(report(home, repair_catalogue), now=NOW)
    second = services.repair_report(report(home, repair_catalogue), now=NOW)
    assert first.number != second.number
    assert slot().booked == 2


def test_a_kind_of_another_corporation_is_refused(home, waardwonen, repair_catalogue):
    """ "U begint met het kiezen van het soort reparatie": from the catalogue of the home's corporation."""
    other = make_repair_catalogue(waardwonen)
    with pytest.raises(DomainError, match="Kies een soort reparatie"):
        services.repair_report(report(home, other), now=NOW)
    nothing_saved()


def test_an_urgent_kind_cannot_be_booked(home, repair_catalogue):
    """Gas and Spoed go by phone: "Deze reparatie kunt u niet online inplannen. Bel ons spoednummer." """
    with pytest.raises(DomainError, match="spoednummer"):
        services.repair_report(report(home, repair_catalogue, kind=repair_catalogue["gas"]), now=NOW)
    nothing_saved()


@pytest.mark.parametrize("location", ["zolder", "maan", ""])
def test_a_location_the_kind_does_not_offer_is_refused(home, repair_catalogue, location):
    """ "… waarin u aangeeft in welke ruimte het probleem zich bevindt": one of the rooms offered."""
    with pytest.raises(DomainError, match="Kies waar het probleem is"):
        services.repair_report(report(home, repair_catalogue, location=location), now=NOW)
    nothing_saved()


def test_a_common_area_the_complex_does_not_have_is_refused(home, repair_catalogue):
    """ "… gemeenschappelijke ruimten, zoals de lift of het portiek": Lindehof has no gallery."""
    with pytest.raises(DomainError, match="Kies waar het probleem is"):
        services.repair_report(report(home, repair_catalogue, location="galerij"), now=NOW)
    nothing_saved()


def test_a_home_outside_a_complex_has_no_common_areas(woonkracht, repair_catalogue):
    """ "… gemeenschappelijke ruimten, zoals de lift of het portiek": only where there is a complex."""
    house = make_unit(woonkracht, None, 30)
    with pytest.raises(DomainError, match="Kies waar het probleem is"):
        services.repair_report(report(house, repair_catalogue, location="lift"), now=NOW)
    assert services.repair_report(report(house, repair_catalogue), now=NOW).unit == house


def test_a_problem_of_another_kind_is_refused(home, repair_catalogue):
    """ "… en wat het probleem precies is": one of the problems of the chosen kind."""
    glass = RepairKind.objects.create(
        corporation=home.corporation,
        name="Glas",
        slug="glas",
        trade=repair_catalogue["trade"],
        locations=["keuken"],
    )
    cracked = RepairProblem.objects.create(kind=glass, label="Ruit gebarsten")
    with pytest.raises(DomainError, match="Kies wat er aan de hand is"):
        services.repair_report(report(home, repair_catalogue, problem=cracked), now=NOW)
    with pytest.raises(DomainError, match="Kies wat er aan de hand is"):
        services.repair_report(report(home, repair_catalogue, problem=None), now=NOW)
    nothing_saved()


def test_a_required_follow_up_question_must_be_answered(home, repair_catalogue):
    """ "U doorloopt een aantal vragen … wat het probleem precies is": the error code is asked for."""
    with pytest.raises(DomainError, match="Beantwoord de vraag: Welke foutcode"):
        services.repair_report(report(home, repair_catalogue, follow_up_answer=""), now=NOW)
    nothing_saved()


def test_a_follow_up_with_choices_takes_one_of_them(home, repair_catalogue):
    """ "U doorloopt een aantal vragen": 'Hoeveel radiatoren worden niet warm?' has three answers."""
    radiator = repair_catalogue["heating"].problems.get(order=1)
    with pytest.raises(DomainError, match="Kies een van de antwoorden"):
        services.repair_report(
            report(home, repair_catalogue, problem=radiator, follow_up_answer="Vier radiatoren"), now=NOW
        )
    nothing_saved()
    repair = services.repair_report(
        report(home, repair_catalogue, problem=radiator, follow_up_answer="Meer radiatoren"), now=NOW
    )
    assert repair.follow_up_answer == "Meer radiatoren"


@pytest.mark.parametrize(
    ("day", "hour"),
    [
        (date(2026, 12, 1), 14),
        (date(2026, 12, 5), 8),
        (date(2026, 12, 25), 8),
        (WEDNESDAY, 9),
        (date(2027, 3, 1), 8),
    ],
)
def test_a_block_that_cannot_be_booked_is_refused(home, repair_catalogue, day, hour):
    """ "U kunt bij het plannen altijd kiezen uit tijdsblokken van twee uur": not today, at the weekend,
    on Christmas Day, at 9:00 or beyond the calendar."""
    with pytest.raises(DomainError, match="Dit tijdvak kunt u niet kiezen"):
        services.repair_report(report(home, repair_catalogue, day=day, start_hour=hour), now=NOW)
    assert not RepairRequest.objects.exists()
    assert not Slot.objects.exists()


def test_a_common_area_repair_belongs_to_the_complex(home, complex_, huurder, repair_catalogue):
    """ "U kunt ook reparaties aanvragen voor gemeenschappelijke ruimten, zoals de lift of het portiek." """
    repair = services.repair_report(
        report(home, repair_catalogue, location="lift", reporter=huurder), now=NOW
    )
    repair.refresh_from_db()
    assert repair.unit is None
    assert repair.complex == complex_
    assert repair.common_area.kind == "lift" and repair.common_area.complex == complex_
    assert repair.corporation == complex_.corporation
    assert repair.address.startswith("Lift")

    porch = services.repair_report(report(home, repair_catalogue, location="portiek"), now=NOW)
    assert (porch.unit, porch.common_area.kind) == (None, "portiek")


def test_a_full_block_is_refused_and_nothing_is_saved(
    home, huurder, repair_catalogue, media, mailoutbox, django_capture_on_commit_callbacks
):
    """ "Mocht u geen beschikbare tijden kunnen vinden …": someone else took the last place first."""
    Slot.objects.create(trade=repair_catalogue["trade"], date=WEDNESDAY, start_hour=8, capacity=1, booked=1)
    photo = services.photo_add(draft="d1", upload=jpeg_upload())

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError, match="vol"):
        services.repair_report(report(home, repair_catalogue, reporter=huurder, draft="d1"), now=NOW)

    assert not RepairRequest.objects.exists()
    assert slot().booked == 1
    assert services.draft_photos("d1") == [photo]  # the draft stays for another block
    assert not Message.objects.exists()
    assert mailoutbox == []


def test_a_block_takes_no_more_reports_than_its_places(home, repair_catalogue):
    """ "Mocht u geen beschikbare tijden kunnen vinden …": two places, two repairs."""
    services.repair_report(report(home, repair_catalogue), now=NOW)
    services.repair_report(report(home, repair_catalogue), now=NOW)
    with pytest.raises(DomainError, match="vol"):
        services.repair_report(report(home, repair_catalogue), now=NOW)
    assert RepairRequest.objects.count() == slot().booked == 2


# --- cancelling and rebooking by the tenant ------------------------------------------------


def test_the_tenant_cancels_a_planned_repair(
    planned, huurder, mailoutbox, django_capture_on_commit_callbacks
):
    """ "U kunt totdat onze planning de datum definitief maakt het reparatieverzoek annuleren." """
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.repair_cancel(repair=planned, by=huurder, now=NOW)

    cancelled.refresh_from_db()
    assert (cancelled.state, cancelled.closed_at) == (RepairState.CANCELLED, NOW)
    assert slot().booked == 0
    [mail] = mailoutbox
    assert "geannuleerd" in mail.subject
    calendar = ics_of(mail)
    assert str(calendar["METHOD"]) == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]).startswith(planned.number)


def test_a_fixed_repair_cannot_be_cancelled_online(planned, huurder, medewerker):
    """ "Mocht uw reparatieverzoek niet meer te annuleren zijn, dan is deze al bij ons gepland.
    Neemt u dan contact op met ons klantencentrum." """
    services.repair_fix(repair=planned, staff=medewerker, now=NOW)
    with pytest.raises(DomainError, match="klantencentrum") as refused:
        services.repair_cancel(repair=planned, by=huurder, now=NOW)
    assert WOONKRACHT_PHONE in str(refused.value)
    planned.refresh_from_db()
    assert planned.state == RepairState.FIXED
    assert slot().booked == 1


def test_a_repair_cannot_be_cancelled_once_its_block_has_begun(planned, huurder):
    """ "Mocht uw reparatieverzoek niet meer te annuleren zijn … Neemt u dan contact op met ons
    klantencentrum." """
    with pytest.raises(DomainError, match=WOONKRACHT_PHONE):
        services.repair_cancel(repair=planned, by=huurder, now=at(WEDNESDAY, 8))
    assert services.repair_cancel(repair=planned, by=huurder, now=at(WEDNESDAY, 7, 59)).state == "cancelled"


def test_a_cancelled_repair_cannot_be_cancelled_again(planned, huurder):
    """ "… het reparatieverzoek annuleren": once; the place is not given back twice."""
    services.repair_cancel(repair=planned, by=huurder, now=NOW)
    services.repair_report(report(planned.unit, {"heating": planned.kind}), now=NOW)  # takes the place again
    with pytest.raises(DomainError):
        services.repair_cancel(repair=planned, by=huurder, now=NOW)
    assert slot().booked == 1


def test_the_tenant_moves_the_appointment(planned, huurder, mailoutbox, django_capture_on_commit_callbacks):
    """ "Staat de door u gewenste tijd en datum er niet tussen? Klik dan op het kalendericoontje",
    also after sending, as long as planning has not fixed the date."""
    RepairRequest.objects.filter(pk=planned.pk).update(reminder_sent_at=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        moved = services.repair_rebook(repair=planned, day=THURSDAY, start_hour=10, by=huurder, now=NOW)

    moved.refresh_from_db()
    assert (moved.slot.date, moved.slot.start_hour) == (THURSDAY, 10)
    assert slot(WEDNESDAY, 8).booked == 0
    assert slot(THURSDAY, 10).booked == 1
    assert moved.reminder_sent_at is None
    [mail] = mailoutbox
    assert "verzet" in mail.subject
    [event] = ics_of(mail).walk("VEVENT")
    assert event["DTSTART"].dt == datetime(2026, 12, 3, 10, 0, tzinfo=AMSTERDAM)


def test_the_tenant_cannot_move_a_fixed_appointment(planned, huurder, medewerker):
    """ "Mocht uw reparatieverzoek niet meer te annuleren zijn … Neemt u dan contact op met ons
    klantencentrum." """
    services.repair_fix(repair=planned, staff=medewerker, now=NOW)
    with pytest.raises(DomainError, match=WOONKRACHT_PHONE):
        services.repair_rebook(repair=planned, day=THURSDAY, start_hour=10, by=huurder, now=NOW)
    assert slot(WEDNESDAY, 8).booked == 1
    assert not Slot.objects.filter(date=THURSDAY).exists()


def test_staff_move_a_fixed_appointment(planned, medewerker):
    """ "Onze medewerkers helpen u graag verder": customer service moves a fixed date."""
    services.repair_fix(repair=planned, staff=medewerker, now=NOW)
    moved = services.repair_rebook(
        repair=planned, day=THURSDAY, start_hour=14, by=medewerker, staff=True, now=NOW
    )
    assert (moved.state, moved.slot.date, moved.slot.start_hour) == (RepairState.FIXED, THURSDAY, 14)
    assert (slot(WEDNESDAY, 8).booked, slot(THURSDAY, 14).booked) == (0, 1)


def test_staff_cannot_move_a_finished_repair(planned, medewerker):
    services.repair_complete(repair=planned, staff=medewerker, now=NOW)
    with pytest.raises(DomainError, match="Uitgevoerd"):
        services.repair_rebook(
            repair=planned, day=THURSDAY, start_hour=14, by=medewerker, staff=True, now=NOW
        )


def test_moving_into_a_full_block_changes_nothing(planned, huurder, repair_catalogue):
    """ "Mocht u geen beschikbare tijden kunnen vinden …": the old appointment stays."""
    Slot.objects.create(trade=repair_catalogue["trade"], date=THURSDAY, start_hour=8, capacity=2, booked=2)
    with pytest.raises(DomainError, match="vol"):
        services.repair_rebook(repair=planned, day=THURSDAY, start_hour=8, by=huurder, now=NOW)
    planned.refresh_from_db()
    assert (planned.slot.date, planned.slot.start_hour) == (WEDNESDAY, 8)
    assert (slot(WEDNESDAY, 8).booked, slot(THURSDAY, 8).booked) == (1, 2)


def test_moving_to_a_weekend_is_refused(planned, huurder):
    with pytest.raises(DomainError, match="Dit tijdvak kunt u niet kiezen"):
        services.repair_rebook(repair=planned, day=date(2026, 12, 5), start_hour=8, by=huurder, now=NOW)
    assert slot().booked == 1


def test_moving_to_the_same_block_keeps_the_place(planned, huurder):
    """Choosing the block one already has, even when it is full, changes nothing."""
    Slot.objects.filter(pk=planned.slot_id).update(capacity=1)
    services.repair_rebook(repair=planned, day=WEDNESDAY, start_hour=8, by=huurder, now=NOW)
    assert slot().booked == 1


# --- planning by staff ----------------------------------------------------------------


def test_planning_fixes_the_date(
    planned, huurder, medewerker, mailoutbox, django_capture_on_commit_callbacks
):
    """ "… totdat onze planning de datum definitief maakt" """
    with django_capture_on_commit_callbacks(execute=True):
        fixed = services.repair_fix(repair=planned, staff=medewerker, now=NOW)
    fixed.refresh_from_db()
    assert (fixed.state, fixed.fixed_at) == (RepairState.FIXED, NOW)
    assert "staat vast" in mailoutbox[0].subject
    assert Message.objects.filter(person=huurder, subject__contains="staat vast").count() == 1
    with pytest.raises(DomainError, match="Afspraak definitief"):
        services.repair_fix(repair=planned, staff=medewerker, now=NOW)


def test_staff_complete_a_repair(planned, medewerker):
    """R6: staff complete repairs; a completed repair is in the tenant's history."""
    done = services.repair_complete(
        repair=planned, staff=medewerker, note="Ketel ontlucht", now=at(WEDNESDAY, 9)
    )
    done.refresh_from_db()
    assert (done.state, done.closed_at, done.staff_note) == (
        RepairState.COMPLETED,
        at(WEDNESDAY, 9),
        "Ketel ontlucht",
    )
    assert not done.is_active
    with pytest.raises(DomainError, match="Uitgevoerd"):
        services.repair_complete(repair=planned, staff=medewerker, now=NOW)


def test_a_cancelled_repair_cannot_be_completed_or_fixed(planned, huurder, medewerker):
    services.repair_cancel(repair=planned, by=huurder, now=NOW)
    with pytest.raises(DomainError, match="Geannuleerd"):
        services.repair_complete(repair=planned, staff=medewerker, now=NOW)
    with pytest.raises(DomainError, match="Geannuleerd"):
        services.repair_fix(repair=planned, staff=medewerker, now=NOW)


# --- no-shows ---------------------------------------------------------------------------


def test_no_show_cannot_be_marked_before_the_block_begins(planned, medewerker):
    """ "… als de vakman komt voorrijden en u bent niet thuis …": he cannot have come yet."""
    with pytest.raises(DomainError, match="tijdvak is begonnen"):
        services.repair_no_show(repair=planned, staff=medewerker, now=at(WEDNESDAY, 7, 59))
    planned.refresh_from_db()
    assert planned.state == RepairState.PLANNED
    assert not OpenItem.objects.filter(reference__startswith="VRK").exists()


def test_a_no_show_charges_the_tenant_twenty_euros(
    planned, huurder, medewerker, mailoutbox, django_capture_on_commit_callbacks
):
    """ "… als de vakman komt voorrijden en u bent niet thuis, zijn wij genoodzaakt om voorrijdkosten
    van twintig euro in rekening te brengen." """
    before = open_balance(huurder)
    with django_capture_on_commit_callbacks(execute=True):
        missed = services.repair_no_show(repair=planned, staff=medewerker, now=at(WEDNESDAY, 10, 30))

    missed.refresh_from_db()
    item = missed.no_show_item
    assert (missed.state, missed.closed_at) == (RepairState.NO_SHOW, at(WEDNESDAY, 10, 30))
    assert item.amount == Decimal("20.00") and isinstance(item.amount, Decimal)
    assert (item.tenant, item.corporation, item.contract.number) == (huurder, huurder.corporation, "HC-1")
    assert item.reference == f"VRK-{planned.number}"
    assert "02-12-2026" in item.description
    assert item.due_date == WEDNESDAY + timedelta(days=14)
    assert open_balance(huurder) == before + Decimal("20.00") == Decimal("145.31")
    [message] = Message.objects.filter(person=huurder, subject__contains="niet thuis")
    assert "€ 20" in message.body
    assert any("niet thuis" in mail.subject for mail in mailoutbox)


def test_a_fixed_appointment_missed_is_charged_too(planned, huurder, medewerker):
    services.repair_fix(repair=planned, staff=medewerker, now=NOW)
    services.repair_no_show(repair=planned, staff=medewerker, now=at(WEDNESDAY, 8))
    assert open_balance(huurder) == Decimal("145.31")


def test_a_no_show_is_charged_once(planned, huurder, medewerker):
    services.repair_no_show(repair=planned, staff=medewerker, now=at(WEDNESDAY, 10))
    with pytest.raises(DomainError, match="Niet thuis"):
        services.repair_no_show(repair=planned, staff=medewerker, now=at(WEDNESDAY, 11))
    assert OpenItem.objects.filter(reference__startswith="VRK").count() == 1


def test_an_anonymous_report_on_a_home_is_charged_to_its_tenant(home, huurder, medewerker, repair_catalogue):
    """ "… voorrijdkosten van twintig euro": for the home the mechanic came to, whoever reported it."""
    repair = services.repair_report(report(home, repair_catalogue), now=NOW)
    services.repair_no_show(repair=repair, staff=medewerker, now=at(WEDNESDAY, 10))
    item = OpenItem.objects.get(reference=f"VRK-{repair.number}")
    assert item.tenant == huurder
    assert Message.objects.filter(person=huurder, subject__contains="niet thuis").exists()


def test_a_neighbour_reporting_for_a_home_does_not_pay_for_it(
    home, huurder, buur, medewerker, repair_catalogue
):
    """ "… als de vakman komt voorrijden en u bent niet thuis": the one not at home is the home's tenant."""
    repair = services.repair_report(report(home, repair_catalogue, reporter=buur), now=NOW)
    services.repair_no_show(repair=repair, staff=medewerker, now=at(WEDNESDAY, 10))
    assert OpenItem.objects.get(reference=f"VRK-{repair.number}").tenant == huurder


def test_an_anonymous_common_area_no_show_is_refused(home, medewerker, repair_catalogue):
    """ "… voorrijdkosten … in rekening te brengen": there must be a tenant to send it to."""
    repair = services.repair_report(report(home, repair_catalogue, location="lift"), now=NOW)
    with pytest.raises(DomainError, match="geen huurder"):
        services.repair_no_show(repair=repair, staff=medewerker, now=at(WEDNESDAY, 10))
    repair.refresh_from_db()
    assert repair.state == RepairState.PLANNED
    assert not OpenItem.objects.filter(reference__startswith="VRK").exists()


def test_a_common_area_no_show_is_charged_to_the_tenant_who_reported_it(
    home, buur, medewerker, repair_catalogue
):
    """ "… voorrijdkosten … in rekening te brengen": for the lift, the neighbour who asked for it."""
    repair = services.repair_report(
        report(home, repair_catalogue, location="portiek", reporter=buur), now=NOW
    )
    services.repair_no_show(repair=repair, staff=medewerker, now=at(WEDNESDAY, 10))
    item = OpenItem.objects.get(reference=f"VRK-{repair.number}")
    assert (item.tenant, item.contract) == (buur, None)
    assert open_balance(buur) == Decimal("20.00")


# --- drafts -----------------------------------------------------------------------------


def test_photos_of_reports_never_sent_are_cleaned_up(home, repair_catalogue, media):
    """Photos stay on a draft for two days; a sent report keeps its photos."""
    abandoned = [services.photo_add(draft="weg", upload=jpeg_upload()) for _ in range(2)]
    fresh = services.photo_add(draft="nieuw", upload=jpeg_upload())
    sent = services.photo_add(draft="verstuurd", upload=jpeg_upload())
    services.repair_report(report(home, repair_catalogue, draft="verstuurd"), now=NOW)
    three_days_ago = timezone.now() - timedelta(days=3)
    RepairPhoto.objects.exclude(pk=fresh.pk).update(uploaded_at=three_days_ago)
    paths = {p.pk: Path(p.image.path) for p in [*abandoned, fresh, sent]}

    assert services.drafts_clean() == 2

    assert set(RepairPhoto.objects.values_list("pk", flat=True)) == {fresh.pk, sent.pk}
    assert not any(paths[p.pk].exists() for p in abandoned)
    assert paths[fresh.pk].exists() and paths[sent.pk].exists()


def test_block_check_tells_a_full_block_from_one_that_cannot_be_booked(repair_catalogue):
    from repairs.models import Slot
    from repairs.rules import first_bookable_day

    trade = repair_catalogue["trade"]
    day = first_bookable_day(timezone.now())
    services.block_check(trade, day, 8)  # free: no error
    Slot.objects.create(trade=trade, date=day, start_hour=8, capacity=1, booked=1)
    with pytest.raises(DomainError) as full:
        services.block_check(trade, day, 8)
    assert full.value.code == "slot_full"
    with pytest.raises(DomainError) as closed:
        services.block_check(trade, day, 9)  # not a block hour
    assert closed.value.code == "slot_unavailable"
