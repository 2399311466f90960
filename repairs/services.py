"""Writes for repairs: reporting, booking blocks, cancelling, planning, reminders.

Views, staff pages, tasks and tests call these functions. A block's
`booked` counter only changes here, through one conditional UPDATE that the
database's check constraint backs up: two people can never both take the
last place of a block.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import uuid4

from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import CommonArea, Contract, Unit
from payments.models import OpenItem
from portal import once, outbox
from portal.errors import DomainError
from portal.models import User
from portal.services import message_send
from portal.uploads import display_name
from portal.validators import normalize_postcode
from repairs import rules
from repairs.models import RepairKind, RepairPhoto, RepairProblem, RepairRequest, RepairState, Slot, Trade
from repairs.photos import clean_photo

MESSAGES = {
    "address_unknown": gettext_lazy(
        "Wij vinden geen woning van ons op dit adres. "
        "Controleer de postcode, het huisnummer en de toevoeging. "
        "Huurt u van een andere verhuurder? Meld de reparatie dan daar."
    ),
    "postcode_invalid": gettext_lazy("Vul een geldige postcode in, zoals 1234 AB."),
    "kind_unknown": gettext_lazy("Kies een soort reparatie uit de lijst."),
    "kind_urgent": gettext_lazy("Deze reparatie kunt u niet online inplannen. Bel ons spoednummer."),
    "location_unknown": gettext_lazy("Kies waar het probleem is."),
    "problem_unknown": gettext_lazy("Kies wat er aan de hand is."),
    "follow_up_required": gettext_lazy("Beantwoord de vraag: %(question)s"),
    "follow_up_choice": gettext_lazy("Kies een van de antwoorden op de vraag: %(question)s"),
    "slot_unavailable": gettext_lazy(
        "Dit tijdvak kunt u niet kiezen. Kies een tijdvak uit de lijst of de kalender."
    ),
    "slot_full": gettext_lazy(
        "Dit tijdvak is net vol geraakt: iemand anders was u voor. "
        "Kies een ander tijdvak. Uw gegevens zijn bewaard."
    ),
    "too_many_photos": gettext_lazy("U kunt hoogstens %(count)s foto's toevoegen."),
    "tenant_may_not_change": gettext_lazy(
        "Deze afspraak staat vast en kunt u niet meer online wijzigen. Bel ons klantencentrum: %(phone)s."
    ),
    "staff_not_now": gettext_lazy("Dit kan niet bij een reparatie met de status “%(state)s”."),
    "no_show_too_early": gettext_lazy("U kunt “niet thuis” pas kiezen als het tijdvak is begonnen."),
    "no_show_nobody": gettext_lazy(
        "Er is geen huurder aan wie wij de voorrijkosten kunnen berekenen. Neem contact op met de melder."
    ),
}


def repair_error(key: str, **kwargs) -> DomainError:
    message = MESSAGES[key]
    return DomainError(str(message) % kwargs if kwargs else message, code=key)


# --- addresses and homes ------------------------------------------------------


def address_lookup(*, postcode: str, house_number: int, addition: str = "") -> Unit:
    """The home at this address, for an anonymous report (R1).

    Any home of a corporation in this portal is found and the report goes to
    that corporation. Nothing but the unit itself is read, and the caller
    shows nothing of it: an unknown address and a near miss get one message.
    """
    try:
        postcode = normalize_postcode(postcode)
    except Exception:
        raise repair_error("postcode_invalid") from None
    candidates = [
        rules.Address(id=u.pk, letter=u.house_letter, addition=u.house_number_addition)
        for u in Unit.objects.filter(postcode=postcode, house_number=house_number).only(
            "pk", "house_letter", "house_number_addition"
        )
    ]
    unit_id = rules.match_address(candidates, addition)
    if unit_id is None:
        raise repair_error("address_unknown")
    return Unit.objects.select_related("corporation", "complex").get(pk=unit_id)


def tenant_units(user: User, *, on: date | None = None) -> list[Unit]:
    """The units a tenant rents now: the places they may report a repair for."""
    on = on or timezone.localdate()
    contracts = (
        Contract.objects.filter(tenants=user, start_date__lte=on)
        .exclude(end_date__lt=on)
        .select_related("unit", "unit__corporation", "unit__complex")
        .order_by("unit__kind", "start_date")
    )
    return [c.unit for c in contracts]


def current_tenants(unit: Unit, *, on: date | None = None) -> list[User]:
    on = on or timezone.localdate()
    contract = (
        Contract.objects.filter(unit=unit, start_date__lte=on)
        .exclude(end_date__lt=on)
        .prefetch_related("tenants")
        .order_by("-start_date")
        .first()
    )
    return list(contract.tenants.all()) if contract else []


# --- kinds and questions -----------------------------------------------------


def kinds_for(corporation) -> list[RepairKind]:
    return list(
        RepairKind.objects.filter(corporation=corporation, active=True)
        .prefetch_related("problems")
        .order_by("order", "name")
    )


def kinds_search(corporation, query: str) -> list[RepairKind]:
    result = []
    for kind in kinds_for(corporation):
        haystack = " ".join([kind.name, kind.keywords, *(p.label for p in kind.problems.all())])
        if rules.search_matches(query, haystack):
            result.append(kind)
    return result


def complex_area_codes(unit: Unit) -> set[str]:
    if unit.complex_id is None:
        return set()
    return set(CommonArea.objects.filter(complex_id=unit.complex_id).values_list("kind", flat=True))


# --- blocks -------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A bookable block as the appointment page shows it."""

    day: date
    start_hour: int
    free: int

    @property
    def end_hour(self) -> int:
        return self.start_hour + rules.BLOCK_HOURS

    @property
    def value(self) -> str:
        return f"{self.day:%Y-%m-%d}T{self.start_hour:02d}"

    @property
    def label(self) -> str:
        return f"{self.start_hour:02d}:00 – {self.end_hour:02d}:00"


def parse_block(value: str) -> tuple[date, int]:
    """'2026-11-26T08' → (date(2026, 11, 26), 8); anything else raises DomainError."""
    try:
        day_text, hour_text = (value or "").split("T")
        return date.fromisoformat(day_text), int(hour_text)
    except ValueError:
        raise repair_error("slot_unavailable") from None


def blocks_between(trade: Trade, start: date, end: date, *, now: datetime | None = None) -> list[Block]:
    """Every bookable block of `trade` from `start` to `end`, with its free places (one query)."""
    now = now or timezone.now()
    start = max(start, rules.first_bookable_day(now))
    end = min(end, rules.last_bookable_day(now))
    days = rules.bookable_days(start, end)
    if not days:
        return []
    taken = {
        (slot.date, slot.start_hour): slot
        for slot in Slot.objects.filter(trade=trade, date__gte=days[0], date__lte=days[-1])
    }
    blocks = []
    for day in days:
        for start_hour, _end in rules.BLOCKS:
            slot = taken.get((day, start_hour))
            free = slot.free if slot else trade.block_capacity
            blocks.append(Block(day, start_hour, free))
    return blocks


def first_free_blocks(
    trade: Trade, *, count: int = rules.FIRST_FREE_COUNT, now: datetime | None = None
) -> list[Block]:
    """ "U krijgt een blok in beeld met de eerstvolgende mogelijkheden." """
    now = now or timezone.now()
    start = rules.first_bookable_day(now)
    found: list[Block] = []
    while len(found) < count and start <= rules.last_bookable_day(now):
        end = start + timedelta(days=13)
        found += [b for b in blocks_between(trade, start, end, now=now) if b.free > 0]
        start = end + timedelta(days=1)
    return found[:count]


def block_check(trade: Trade, day: date, start_hour: int, *, now: datetime | None = None) -> None:
    """Raise DomainError unless the block can be booked and has a free place now.

    A check for the appointment step; the booking itself (`slot_take`) is what
    holds under concurrency.
    """
    if not any(b.start_hour == start_hour and b.free > 0 for b in blocks_between(trade, day, day, now=now)):
        if not rules.may_book(day, start_hour, now or timezone.now()):
            raise repair_error("slot_unavailable")
        raise repair_error("slot_full")


def slot_take(*, trade: Trade, day: date, start_hour: int, now: datetime | None = None) -> Slot:
    """Take one place in a block, or raise DomainError when it is full or not bookable.

    Must run inside a transaction. The UPDATE only succeeds while a place is
    free; a concurrent booker waits for the row lock and then finds it full.
    """
    now = now or timezone.now()
    if not rules.may_book(day, start_hour, now):
        raise repair_error("slot_unavailable")
    slot = Slot.objects.filter(trade=trade, date=day, start_hour=start_hour).first()
    if slot is None:
        try:
            with transaction.atomic():
                slot = Slot.objects.create(
                    trade=trade, date=day, start_hour=start_hour, capacity=trade.block_capacity
                )
        except IntegrityError:
            # Someone created the same block a moment ago: use theirs.
            slot = Slot.objects.get(trade=trade, date=day, start_hour=start_hour)
    try:
        with transaction.atomic():
            taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    except IntegrityError:
        taken = 0
    if not taken:
        raise repair_error("slot_full")
    slot.refresh_from_db()
    return slot


def slot_release(slot: Slot) -> None:
    Slot.objects.filter(pk=slot.pk, booked__gt=0).update(booked=F("booked") - 1)


# --- photos ---------------------------------------------------------------------


def photo_add(*, draft: str, upload) -> RepairPhoto:
    """Check a photo and keep it on the draft report until the report is sent."""
    if RepairPhoto.objects.filter(draft=draft, request__isnull=True).count() >= rules.MAX_PHOTOS:
        raise repair_error("too_many_photos", count=rules.MAX_PHOTOS)
    # The name is only shown (to the reporter and staff), never used to store or serve the file.
    name = display_name(getattr(upload, "name", ""), default="foto.jpg")
    clean = clean_photo(upload, name)
    photo = RepairPhoto(
        draft=draft,
        token=uuid4().hex,
        original_name=name,
        width=clean.width,
        height=clean.height,
        uploaded_at=timezone.now(),
    )
    photo.image.save(name, clean, save=False)
    photo.save()
    return photo


def draft_photos(draft: str) -> list[RepairPhoto]:
    if not draft:
        return []
    return list(RepairPhoto.objects.filter(draft=draft, request__isnull=True))


def photo_remove(*, draft: str, token: str) -> None:
    for photo in RepairPhoto.objects.filter(draft=draft, request__isnull=True, token=token):
        photo.image.delete(save=False)
        photo.delete()


def drafts_clean(*, older_than: timedelta = timedelta(days=2)) -> int:
    """Remove photos of reports that were never sent."""
    old = RepairPhoto.objects.filter(request__isnull=True, uploaded_at__lt=timezone.now() - older_than)
    count = 0
    for photo in old:
        photo.image.delete(save=False)
        photo.delete()
        count += 1
    return count


# --- reporting ----------------------------------------------------------------


@dataclass
class Report:
    """What a reporter filled in, step by step; the views keep it in the session."""

    unit: Unit
    kind: RepairKind
    location: str
    problem: RepairProblem
    follow_up_answer: str
    description: str
    contact_name: str
    contact_phone: str
    contact_email: str
    day: date
    start_hour: int
    reporter: User | None = None
    draft: str = ""


def report_check_kind(*, unit: Unit, kind: RepairKind) -> None:
    if kind.corporation_id != unit.corporation_id or not kind.active:
        raise repair_error("kind_unknown")
    if kind.urgent:
        raise repair_error("kind_urgent")


def report_check_questions(
    *, unit: Unit, kind: RepairKind, location: str, problem: RepairProblem | None, answer: str
) -> None:
    """The questionnaire's answers fit the kind and the home."""
    if location not in rules.offered_locations(kind.locations, complex_area_codes(unit)):
        raise repair_error("location_unknown")
    if problem is None or problem.kind_id != kind.pk:
        raise repair_error("problem_unknown")
    if problem.follow_up:
        if problem.follow_up_required and not answer:
            raise repair_error("follow_up_required", question=problem.follow_up)
        if answer and problem.choices and answer not in problem.choices:
            raise repair_error("follow_up_choice", question=problem.follow_up)


def _number(repair: RepairRequest) -> str:
    # The year as the reporter sees it: a report at 00:30 on 1 January is of the new year.
    return f"R{timezone.localtime(repair.created_at):%Y}-{repair.pk:06d}"


def repair_report(report: Report, *, now: datetime | None = None) -> RepairRequest:
    """Send a repair report: check it, take the block, store it, confirm it by e-mail.

    Raises DomainError (with nothing saved) when a check fails or the block
    has just filled up; the reporter's draft and photos stay as they were.
    One draft makes one repair: sent again, even at the same moment, it
    returns the repair of its first send and books nothing more (`portal.once`,
    keyed by the draft's token).
    """
    now = now or timezone.now()
    return once.send(once.natural_key("repairs.report", report.draft), lambda: _report(report, now))


def _report(report: Report, now: datetime) -> RepairRequest:
    unit, kind = report.unit, report.kind
    report_check_kind(unit=unit, kind=kind)
    report_check_questions(
        unit=unit, kind=kind, location=report.location, problem=report.problem, answer=report.follow_up_answer
    )
    common = rules.is_common_area(report.location)
    with transaction.atomic():
        slot = slot_take(trade=kind.trade, day=report.day, start_hour=report.start_hour, now=now)
        repair = RepairRequest(
            number=f"~{uuid4().hex[:18]}",
            corporation_id=unit.corporation_id,
            unit=None if common else unit,
            complex_id=unit.complex_id,
            common_area=(
                CommonArea.objects.filter(complex_id=unit.complex_id, kind=report.location).first()
                if common
                else None
            ),
            kind=kind,
            location=report.location,
            problem=report.problem,
            follow_up_answer=report.follow_up_answer,
            description=report.description,
            reporter=report.reporter,
            contact_name=report.contact_name,
            contact_phone=report.contact_phone,
            contact_email=report.contact_email,
            slot=slot,
            state=RepairState.PLANNED,
            created_at=now,
        )
        repair.save()
        repair.number = _number(repair)
        repair.save(update_fields=["number"])
        if report.draft:
            RepairPhoto.objects.filter(draft=report.draft, request__isnull=True).update(
                request=repair, draft=""
            )
        _notify(repair, "confirmed")
    return repair


# --- changes by the tenant -----------------------------------------------------


def _refuse_tenant_change(repair: RepairRequest, now: datetime) -> None:
    if not rules.tenant_may_change(repair.state, repair.slot.starts_at, now):
        raise repair_error("tenant_may_not_change", phone=repair.corporation.phone)


def repair_cancel(*, repair: RepairRequest, by: User, now: datetime | None = None) -> RepairRequest:
    """The tenant cancels while planning has not fixed the date (R5)."""
    now = now or timezone.now()
    with transaction.atomic():
        repair = (
            RepairRequest.objects.select_for_update(of=("self",))
            .select_related("slot", "corporation")
            .get(pk=repair.pk)
        )
        _refuse_tenant_change(repair, now)
        _close(repair, RepairState.CANCELLED, now)
        slot_release(repair.slot)
        _notify(repair, "cancelled")
    return repair


def repair_rebook(
    *,
    repair: RepairRequest,
    day: date,
    start_hour: int,
    by: User,
    staff: bool = False,
    now: datetime | None = None,
) -> RepairRequest:
    """Move the appointment to another block: the tenant while it is not fixed, staff until it is done."""
    now = now or timezone.now()
    with transaction.atomic():
        repair = (
            RepairRequest.objects.select_for_update(of=("self",))
            .select_related("slot", "kind__trade", "corporation")
            .get(pk=repair.pk)
        )
        if staff:
            if not rules.staff_may_reschedule(repair.state):
                raise repair_error("staff_not_now", state=repair.get_state_display())
        else:
            _refuse_tenant_change(repair, now)
        old = repair.slot
        if (old.date, old.start_hour) == (day, start_hour):
            return repair
        # Touch the two blocks in the order of their time, whichever way the
        # appointment moves: two tenants swapping blocks cannot deadlock. A
        # failed take rolls the release back with the rest of the transaction.
        if (old.date, old.start_hour) < (day, start_hour):
            slot_release(old)
            new = slot_take(trade=old.trade, day=day, start_hour=start_hour, now=now)
        else:
            new = slot_take(trade=old.trade, day=day, start_hour=start_hour, now=now)
            slot_release(old)
        repair.slot = new
        repair.reminder_sent_at = None
        repair.save(update_fields=["slot", "reminder_sent_at"])
        _notify(repair, "rescheduled")
    return repair


# --- planning by staff --------------------------------------------------------


def _close(repair: RepairRequest, state: str, now: datetime) -> None:
    repair.state = state
    repair.closed_at = now
    repair.save(update_fields=["state", "closed_at"])


def _locked(repair: RepairRequest) -> RepairRequest:
    return (
        RepairRequest.objects.select_for_update(of=("self",))
        .select_related("slot", "corporation", "unit", "kind")
        .get(pk=repair.pk)
    )


def repair_fix(*, repair: RepairRequest, staff: User, now: datetime | None = None) -> RepairRequest:
    """Planning makes the date definitive; from now on only customer service changes it."""
    now = now or timezone.now()
    with transaction.atomic():
        repair = _locked(repair)
        if not rules.staff_may_fix(repair.state):
            raise repair_error("staff_not_now", state=repair.get_state_display())
        repair.state = RepairState.FIXED
        repair.fixed_at = now
        repair.save(update_fields=["state", "fixed_at"])
        _notify(repair, "fixed")
    return repair


def repair_complete(
    *, repair: RepairRequest, staff: User, note: str = "", now: datetime | None = None
) -> RepairRequest:
    now = now or timezone.now()
    with transaction.atomic():
        repair = _locked(repair)
        if not rules.staff_may_complete(repair.state):
            raise repair_error("staff_not_now", state=repair.get_state_display())
        if note:
            repair.staff_note = note
            repair.save(update_fields=["staff_note"])
        _close(repair, RepairState.COMPLETED, now)
        _notify(repair, "completed")
    return repair


def who_pays(repair: RepairRequest) -> User | None:
    """The tenant the € 20 call-out fee goes to: the home's tenant, else the tenant who reported it."""
    if repair.unit_id:
        tenants = current_tenants(repair.unit, on=repair.slot.date)
        if repair.reporter_id and any(t.pk == repair.reporter_id for t in tenants):
            return repair.reporter
        if tenants:
            return tenants[0]
    if repair.reporter_id and not repair.reporter.is_staff:
        return repair.reporter
    return None


def repair_no_show(*, repair: RepairRequest, staff: User, now: datetime | None = None) -> RepairRequest:
    """Nobody was home: the repair ends and the tenant is charged € 20 (R6)."""
    now = now or timezone.now()
    with transaction.atomic():
        repair = _locked(repair)
        if repair.state not in (RepairState.PLANNED, RepairState.FIXED):
            raise repair_error("staff_not_now", state=repair.get_state_display())
        if not rules.staff_may_mark_no_show(repair.state, repair.slot.starts_at, now):
            raise repair_error("no_show_too_early")
        payer = who_pays(repair)
        if payer is None:
            raise repair_error("no_show_nobody")
        contract = None
        if repair.unit_id:
            contract = (
                Contract.objects.filter(unit_id=repair.unit_id, tenants=payer).order_by("-start_date").first()
            )
        item = OpenItem.objects.create(
            corporation=repair.corporation,
            tenant=payer,
            contract=contract,
            reference=f"VRK-{repair.number}",
            description=_("Voorrijkosten: niet thuis bij de reparatie-afspraak van %(day)s")
            % {"day": repair.slot.date.strftime("%d-%m-%Y")},
            amount=rules.NO_SHOW_FEE,
            due_date=timezone.localdate(now) + timedelta(days=14),
        )
        repair.no_show_item = item
        repair.save(update_fields=["no_show_item"])
        _close(repair, RepairState.NO_SHOW, now)
        _notify(repair, "no_show", payer=payer)
    return repair


# --- reminders ------------------------------------------------------------------


def reminders_send(*, today: date | None = None) -> int:
    """E-mail (and Mijn berichten) a reminder for each appointment tomorrow, once.

    The row is claimed by a conditional UPDATE, so running the job twice, or
    two workers at once, sends one reminder.
    """
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    sent = 0
    standing = [RepairState.PLANNED, RepairState.FIXED]
    candidates = RepairRequest.objects.filter(
        slot__date=tomorrow, state__in=standing, reminder_sent_at__isnull=True
    ).values_list("pk", "slot_id")
    for pk, slot_id in list(candidates):
        with transaction.atomic():
            # Claim it only while it is still due: an appointment moved or cancelled
            # since the list was made must not be marked as reminded. (No join here,
            # so the database re-checks all of it against a concurrent change.)
            claimed = RepairRequest.objects.filter(
                pk=pk, slot_id=slot_id, state__in=standing, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=timezone.now())
            if not claimed:
                continue
            repair = RepairRequest.objects.select_related(
                "slot", "corporation", "kind", "unit", "reporter"
            ).get(pk=pk)
            if not rules.reminder_due(repair.slot.date, today, repair.state):
                continue
            _notify(repair, "reminder")
            sent += 1
    return sent


# --- telling people -------------------------------------------------------------

SUBJECTS = {
    "confirmed": gettext_lazy("Uw reparatieverzoek %(number)s is ontvangen"),
    "rescheduled": gettext_lazy("Uw reparatie-afspraak %(number)s is verzet"),
    "cancelled": gettext_lazy("Uw reparatieverzoek %(number)s is geannuleerd"),
    "fixed": gettext_lazy("Uw reparatie-afspraak %(number)s staat vast"),
    "completed": gettext_lazy("Uw reparatie %(number)s is uitgevoerd"),
    "no_show": gettext_lazy("U was niet thuis bij reparatie-afspraak %(number)s"),
    "reminder": gettext_lazy("Herinnering: morgen komt de vakman voor reparatie %(number)s"),
}
#: The events that carry an appointment file (.ics) in the e-mail.
WITH_ICS = {"confirmed", "rescheduled", "fixed", "cancelled", "reminder"}


def _notify(repair: RepairRequest, event: str, payer: User | None = None) -> None:
    """Tell the reporter: an e-mail (with the appointment file) to the contact address,
    and for a logged-in reporter the same text in Mijn berichten.

    A tenant charged for a no-show who did not report the repair gets it in
    Mijn berichten and by e-mail as well.
    """
    from repairs.tasks import repair_email

    subject = str(SUBJECTS[event]) % {"number": repair.number}
    body = render_to_string("repairs/email/repair.txt", {"repair": repair, "event": event})
    accounts = [a for a in (repair.reporter, payer) if a is not None and not a.is_staff]
    seen = set()
    for account in accounts:
        if account.pk in seen:
            continue
        seen.add(account.pk)
        # The e-mail below already goes to the contact address.
        message_send(
            person=account,
            subject=subject,
            body=body,
            email=account.email.lower() != repair.contact_email.lower(),
        )
    summary = f"{subject} → {repair.contact_email}"
    outbox.enqueue(repair_email, repair.pk, event, corporation_id=repair.corporation_id, summary=summary)
