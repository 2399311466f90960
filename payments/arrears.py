"""The arrears approach (seed 004, Beter Wonen): call from the first day, then follow up.

"De eerste dag na het verstrijken van de betaaltermijn wordt er direct actie
ondernomen." Every morning `arrears_queue_build` gives each tenant with an
item unpaid past its due date an arrears case (a `Case` of kind ARREARS with
its `ArrearsFile`) and one call in the customer-service queue. Staff claim a
call, call the tenant (in their own language where the team can: "mensen die
ook de taal van de huurder spreken, zoals Turks en Marokkaans"), and record
the outcome and the follow-up. Escalation steps (reminder, the municipality's
early-signalling report, summons, court, eviction, second chance) are
recorded on the file with their dates.

The first half of this module holds the seed's rules as pure functions over
plain values; the second half the services (writes) and the reads the staff
pages share. Views, the Celery task and tests call them alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payments.models import (
    Arrangement,
    ArrearsFile,
    CallOutcome,
    CallState,
    CallTask,
    EscalationKind,
    EscalationStep,
    FollowUp,
    OpenItem,
)
from portal import once
from portal.cases import OPEN_STATES, Actor, CaseKind, CaseState, can_transition
from portal.errors import DomainError
from portal.models import Case, CaseEvent, Corporation, Language, User
from portal.services import case_open, case_transition
from portal.workdays import add_working_days, working_days_between

MONEY = DecimalField(max_digits=12, decimal_places=2)
ZERO = Decimal("0.00")

# =============================================================================
# Rules: pure functions over plain values (each test quotes the seed).
# =============================================================================

#: A staff member who has not listed any language calls in Dutch.
DEFAULT_LANGUAGES = frozenset({Language.DUTCH.value})

#: After a talk without a follow-up ("ik betaal vandaag"), how many working
#: days the tenant gets before the team calls again if it is still unpaid.
QUIET_WORKING_DAYS = 5

#: How many weeks the team overview's arrears trend shows.
TREND_WEEKS = 8


def is_late(due_date: date, today: date) -> bool:
    """ "De eerste dag na het verstrijken van de betaaltermijn wordt er direct actie ondernomen."

    An item is late from the first day after its due date; on the due date
    itself it is still on time.
    """
    return today > due_date


def days_late(due_date: date, today: date) -> int:
    """How many days an item is past its due date (0 while it is on time)."""
    return max(0, (today - due_date).days)


def queue_order(calls: Iterable) -> list:
    """The order of the call queue: most days late first, then the largest amount.

    `calls` are objects with `days_late` (int) and `amount` (Decimal). Calls
    that tie keep the order they came in (oldest call first).
    """
    return sorted(calls, key=lambda call: (-call.days_late, -call.amount))


def caller_languages(spoken: Iterable[str] | None) -> frozenset[str]:
    """The languages a caller calls in; no languages listed means Dutch."""
    languages = frozenset(code for code in (spoken or ()) if code)
    return languages or DEFAULT_LANGUAGES


def team_languages(spoken_per_caller: Iterable[Iterable[str] | None]) -> frozenset[str]:
    """Every language somebody in the team calls in."""
    languages: frozenset[str] = frozenset()
    for spoken in spoken_per_caller:
        languages |= caller_languages(spoken)
    return languages


def speaks(
    staff_languages: Iterable[str] | None, tenant_language: str, team: Iterable[str] | None = None
) -> bool:
    """Whether a call belongs in this caller's "mijn talen" queue.

    Seed 004: "er zitten mensen in het team die ook de taal van de huurder
    spreken, zoals Turks en Marokkaans". A caller takes the tenants whose
    preferred language they speak (Dutch-speaking staff take Dutch tenants).
    A tenant whose language nobody in the team speaks (`team`: every
    language the team calls in) is shown to everyone, so nobody is
    forgotten; they are called in Dutch or English.
    """
    tenant_language = tenant_language or Language.DUTCH.value
    if tenant_language in caller_languages(staff_languages):
        return True
    return team is not None and tenant_language not in frozenset(team)


def hidden_languages(staff_languages: Iterable[str] | None, team: Iterable[str]) -> frozenset[str]:
    """The tenant languages that `speaks` leaves out of this caller's queue:
    those a colleague speaks and this caller does not (the same rule, as a set
    the database can filter on)."""
    return frozenset(team) - caller_languages(staff_languages)


def family_with_children(children: int | None) -> bool:
    """ "De woningcorporatie is milder bij het uitzetten van gezinnen met kinderen." """
    return bool(children)


def eviction_missing(children_known: bool, shelter_contact: str) -> list[str]:
    """What must be recorded before an eviction: the names of the missing parts (empty: nothing).

    Seed 004: "De woningcorporatie is milder bij het uitzetten van gezinnen
    met kinderen. Wanneer dat toch onvermijdelijk is gaat het altijd samen in
    overleg en coördinatie met het centraal meldpunt opvang." So the
    household's composition must be known ("children": how many children;
    0 is an answer), and who at the shelter desk it was coordinated with
    ("shelter_contact").
    """
    missing = []
    if not children_known:
        missing.append("children")
    if not (shelter_contact or "").strip():
        missing.append("shelter_contact")
    return missing


def second_chance_missing(conditions: str) -> list[str]:
    """A second-chance contract carries its conditions: ["conditions"] when there are none.

    Seed 004: "In sommige situaties wordt een 2e kans gegeven. Dit gebeurt
    wel onder strikte voorwaarden en verplichtingen waaronder samenwerking
    met de schuldsanering. … Dat kan zelfs zover gaan als het hebben van
    woonbegeleiding en een budgettrainer."
    """
    return [] if (conditions or "").strip() else ["conditions"]


#: What staff read when `eviction_missing` or `second_chance_missing` names a part.
MISSING_MESSAGES = {
    "children": gettext_lazy("Vul in hoeveel kinderen er in het huishouden zijn (0 als er geen zijn)."),
    "shelter_contact": gettext_lazy(
        "Vul in met wie bij het centraal meldpunt opvang de ontruiming is afgestemd."
    ),
    "conditions": gettext_lazy(
        "Vul de voorwaarden van de tweede kans in, zoals schuldsanering, woonbegeleiding of een "
        "budgettrainer. Ze komen ook in het nieuwe huurcontract."
    ),
}


def outcome_problems(
    outcome: str, reason: str, follow_up: str, promised_on: date | None, today: date
) -> dict[str, str]:
    """What is wrong with a call's outcome, per form field (empty when it can be saved).

    Seed 004: "Het uitvinden wat wel de reden is ligt bij dit eigen team" –
    after a talk the reason is recorded, and what comes next: a promise to
    pay on a date, or "betalingsregeling, stadsbank, budgetadviesgesprek"
    (or debt counselling).
    """
    problems: dict[str, str] = {}
    if outcome not in CallOutcome.values:
        problems["outcome"] = _("Kies of u de huurder heeft gesproken.")
        return problems
    if outcome == CallOutcome.NOT_REACHED:
        return problems
    if not (reason or "").strip():
        problems["reason"] = _("Schrijf op waarom de huur niet is betaald.")
    if follow_up not in FollowUp.values:
        problems["follow_up"] = _("Kies wat er nu gebeurt.")
    elif follow_up == FollowUp.PROMISE:
        if promised_on is None:
            problems["promised_on"] = _("Vul in op welke datum de huurder betaalt.")
        elif promised_on < today:
            problems["promised_on"] = _(
                "De datum ligt in het verleden. Vul een datum van vandaag of later in."
            )
    return problems


def covered_by_arrangement(invoiced_on: date, requested_on: date, term_missed: bool) -> bool:
    """Whether a late item is left out of the queue because a payment arrangement covers it.

    Seed 004 names the "betalingsregeling" as a solution: a tenant who keeps
    to it is not behind on the debt it covers (the items invoiced by the day
    they asked for it). A missed term ends that: then every late item counts
    again. An item invoiced later (next month's rent) is not covered.
    """
    return not term_missed and invoiced_on <= requested_on


def call_due(
    today: date,
    *,
    last_outcome: str | None,
    last_follow_up: str | None,
    last_called_on: date | None,
    promised_on: date | None,
    newest_late_due: date | None,
    newest_missed_term: date | None = None,
) -> bool:
    """Whether a tenant in arrears, with no call waiting, gets a new call today.

    - Never called: yes, "de eerste dag na het verstrijken van de betaaltermijn".
    - A term that became late after the last call (its due date is on or after
      the day of that call), or a term of a payment arrangement missed since
      that day: yes, every missed term is a new first day.
    - Last call not reached (or closed without a talk): yes.
    - A promise to pay on a date: the first day after that date ("niet
      betaald = actie"), not before.
    - A talk without a follow-up: after `QUIET_WORKING_DAYS` working days.
    - A payment arrangement, the stadsbank, budget advice or debt
      counselling: no; that track carries the case until a new term is missed.
    """
    if last_called_on is None:
        return True
    if newest_late_due is not None and newest_late_due >= last_called_on:
        return True
    if newest_missed_term is not None and newest_missed_term >= last_called_on:
        return True
    if last_outcome != CallOutcome.REACHED:
        return True
    if last_follow_up == FollowUp.PROMISE:
        return promised_on is None or is_late(promised_on, today)
    if last_follow_up in ("", None, FollowUp.NONE):
        return working_days_between(last_called_on, today) >= QUIET_WORKING_DAYS
    return False


def trend_dates(today: date, weeks: int = TREND_WEEKS) -> list[date]:
    """The days the arrears trend is measured on: the last day (Sunday) of each
    of the `weeks - 1` weeks before this one, and today."""
    last_sunday = today - timedelta(days=today.weekday() + 1)
    return [last_sunday - timedelta(weeks=k) for k in range(weeks - 2, -1, -1)] + [today]


# =============================================================================
# Errors
# =============================================================================


class CallError(DomainError):
    """A refusal that belongs to form fields: `fields` maps a field name to its message."""

    def __init__(self, fields: dict[str, str]):
        super().__init__(" ".join(str(m) for m in fields.values()))
        self.fields = fields


# =============================================================================
# Who sees what
# =============================================================================


def staff_scope(user, lookup: str = "corporation") -> Q:
    """Staff see their own corporation's calls and files; a superuser sees all."""
    if user.is_superuser:
        return Q()
    if not user.is_staff or not user.corporation_id:
        return Q(pk__in=[])
    return Q(**{f"{lookup}_id": user.corporation_id})


def _may_handle(staff: User, corporation_id: int) -> bool:
    return bool(staff.is_active and staff.is_staff) and (
        staff.is_superuser or staff.corporation_id == corporation_id
    )


def _check_staff(staff: User, corporation_id: int) -> None:
    if not _may_handle(staff, corporation_id):
        raise DomainError(gettext_lazy("Dit gesprek hoort bij een andere corporatie."))


# =============================================================================
# The morning job
# =============================================================================


def _late_items(today: date):
    return OpenItem.objects.filter(paid_at__isnull=True, due_date__lt=today)


def _open_amount():
    return ExpressionWrapper(F("amount") - F("amount_paid"), output_field=MONEY)


def _complete_role() -> str:
    # The job completes a file whose arrears are paid. The case engine may
    # only let staff complete a case; the job then does it on the team's
    # behalf, with no person as actor (the event shows no name).
    return Actor.SYSTEM if can_transition(CaseState.IN_PROGRESS, "complete", Actor.SYSTEM) else Actor.STAFF


def arrears_queue_build(today: date | None = None) -> int:
    """The morning job: one open arrears case and one call per tenant in arrears.

    For every corporation and every tenant with an unsettled item whose due
    date has passed: the tenant's arrears case is opened (or a completed or
    closed one reopened), and a call is put in today's queue when `call_due`
    says so and none is waiting. Files whose arrears are all paid are
    completed and their waiting calls closed. Returns the number of new calls.

    A tenant who keeps to an approved payment arrangement is not behind on
    the debt it covers (`covered_by_arrangement`); a missed term (recorded by
    the arrangements' job at 06:00) puts them back in the queue.

    Idempotent: a second run the same day finds the case and the waiting call
    and creates nothing. Two runs at once are serialised per tenant by a row
    lock on the tenant, and the database allows one waiting call per file.
    """
    today = today or timezone.localdate()
    rows = (
        _late_items(today)
        .values("corporation_id", "tenant_id")
        .annotate(total=Sum(_open_amount()), newest=Max("due_date"))
        .order_by("corporation_id", "tenant_id")
    )
    corporations = {c.pk: c for c in Corporation.objects.all()}
    running = _running_arrangements()
    created = 0
    for row in rows:
        key = (row["tenant_id"], row["corporation_id"])
        total, newest = row["total"] or ZERO, row["newest"]
        arrangement = running.get(key)
        if arrangement is not None and arrangement.missed_on is None:
            total, newest = _late_beyond_arrangement(key, arrangement.requested_on, today)
            if newest is None:
                continue
        created += _ensure_case_and_call(
            corporation=corporations[row["corporation_id"]],
            tenant_id=row["tenant_id"],
            total=total,
            newest_late_due=newest,
            newest_missed_term=arrangement.missed_on if arrangement else None,
            today=today,
        )
    _complete_settled(today)
    return created


@dataclass(frozen=True)
class RunningArrangement:
    requested_on: date
    #: The day the last unpaid term was found missed; None while the tenant keeps to it.
    missed_on: date | None


def _running_arrangements() -> dict[tuple[int, int], RunningArrangement]:
    """Approved arrangements with terms still to pay, per (tenant, corporation). One query."""
    arrangements = (
        Arrangement.objects.filter(approved_at__isnull=False, instalments__paid_at__isnull=True)
        .values("case__tenant_id", "case__corporation_id")
        .annotate(
            requested=Min("case__created_at"),
            missed=Max("instalments__missed_at"),
        )
        .order_by()
    )
    return {
        (row["case__tenant_id"], row["case__corporation_id"]): RunningArrangement(
            requested_on=timezone.localdate(row["requested"]),
            missed_on=timezone.localdate(row["missed"]) if row["missed"] else None,
        )
        for row in arrangements
    }


def _late_beyond_arrangement(key: tuple[int, int], requested_on: date, today: date):
    """(total, newest due date) of the late items a kept arrangement does not cover."""
    tenant_id, corporation_id = key
    items = [
        item
        for item in _late_items(today).filter(tenant_id=tenant_id, corporation_id=corporation_id)
        if not covered_by_arrangement(
            timezone.localdate(item.created_at) if item.created_at else item.due_date, requested_on, False
        )
    ]
    if not items:
        return ZERO, None
    return sum((item.open_amount for item in items), ZERO), max(item.due_date for item in items)


def _money(amount: Decimal) -> str:
    from portal.templatetags.portal import euro

    return euro(amount)


def _ensure_case_and_call(
    *,
    corporation: Corporation,
    tenant_id: int,
    total: Decimal,
    newest_late_due: date,
    newest_missed_term: date | None,
    today: date,
) -> int:
    with transaction.atomic():
        # Two runs at once wait for each other here, per tenant.
        tenant = User.objects.select_for_update().get(pk=tenant_id)
        note = _("Achterstand van %(amount)s.") % {"amount": _money(total)}
        case = (
            Case.objects.filter(tenant=tenant, corporation=corporation, kind=CaseKind.ARREARS)
            .exclude(state=CaseState.WITHDRAWN)
            .order_by("-created_at", "-pk")
            .first()
        )
        if case is None:
            case = case_open(tenant=tenant, corporation=corporation, kind=CaseKind.ARREARS, note=note)
            arrears = ArrearsFile.objects.create(case=case, opened_amount=total)
        else:
            arrears, _created = ArrearsFile.objects.get_or_create(
                case=case, defaults={"opened_amount": total}
            )
            if case.state not in OPEN_STATES:
                case_transition(case=case, name="reopen", actor=None, role=Actor.SYSTEM, note=note)
                arrears.opened_amount = total
                arrears.save(update_fields=["opened_amount"])
        if CallTask.objects.filter(arrears=arrears).exclude(state=CallState.DONE).exists():
            return 0
        last = (
            CallTask.objects.filter(arrears=arrears, state=CallState.DONE)
            .order_by("-finished_at", "-pk")
            .first()
        )
        due = call_due(
            today,
            last_outcome=last.outcome if last else None,
            last_follow_up=last.follow_up if last else None,
            last_called_on=timezone.localdate(last.finished_at) if last and last.finished_at else None,
            promised_on=last.promised_on if last else None,
            newest_late_due=newest_late_due,
            newest_missed_term=newest_missed_term,
        )
        if not due:
            return 0
        try:
            with transaction.atomic():
                CallTask.objects.create(
                    corporation=corporation, arrears=arrears, tenant=tenant, queue_date=today
                )
        except IntegrityError:
            # A waiting call appeared meanwhile (the one-waiting-call constraint).
            return 0
        return 1


def _complete_settled(today: date) -> None:
    """Files whose tenant has nothing late any more: close the waiting calls, complete the case.

    A call that a colleague is making right now is left alone; the file is
    completed the next morning.
    """
    still_late = _late_items(today).filter(tenant=OuterRef("tenant"), corporation=OuterRef("corporation"))
    settled = Case.objects.filter(
        kind=CaseKind.ARREARS, state__in=(CaseState.SUBMITTED, CaseState.IN_PROGRESS)
    ).exclude(Exists(still_late))
    role = _complete_role()
    for case in settled:
        with transaction.atomic():
            User.objects.select_for_update().get(pk=case.tenant_id)
            if _late_items(today).filter(tenant=case.tenant_id, corporation=case.corporation_id).exists():
                continue
            if CallTask.objects.filter(arrears__case=case, state=CallState.CLAIMED).exists():
                continue
            CallTask.objects.filter(arrears__case=case, state=CallState.OPEN).update(
                state=CallState.DONE,
                finished_at=timezone.now(),
                note=_("Niet meer nodig: de achterstand is betaald."),
            )
            case_transition(
                case=case,
                name="complete",
                actor=None,
                role=role,
                note=_("De achterstand is betaald."),
            )


# =============================================================================
# Calls: claim, release, record
# =============================================================================


def call_claim(call: CallTask, staff: User) -> CallTask:
    """Take a call from the queue. One conditional UPDATE: of two staff who
    press "Claimen" at the same moment, exactly one gets it."""
    _check_staff(staff, call.corporation_id)
    won = CallTask.objects.filter(pk=call.pk, state=CallState.OPEN).update(
        state=CallState.CLAIMED, claimed_by=staff, claimed_at=timezone.now()
    )
    call.refresh_from_db()
    if won or (call.state == CallState.CLAIMED and call.claimed_by_id == staff.pk):
        return call
    if call.state == CallState.CLAIMED:
        name = call.claimed_by.full_name if call.claimed_by else _("een collega")
        raise DomainError(
            _("%(name)s belt deze huurder al. Kies een ander gesprek uit de belrij.") % {"name": name}
        )
    raise DomainError(_("Dit gesprek is al afgerond. Kies een ander gesprek uit de belrij."))


def call_release(call: CallTask, staff: User) -> CallTask:
    """Put a claimed call back in the queue (the caller cannot make it now).

    Any colleague of the same corporation may release it, so a call is never
    stuck with someone who went home.
    """
    _check_staff(staff, call.corporation_id)
    released = CallTask.objects.filter(pk=call.pk, state=CallState.CLAIMED).update(
        state=CallState.OPEN, claimed_by=None, claimed_at=None
    )
    call.refresh_from_db()
    if not released and call.state == CallState.DONE:
        raise DomainError(_("Dit gesprek is al afgerond."))
    return call


FOLLOW_UP_NOTES = {
    FollowUp.ARRANGEMENT: gettext_lazy(
        "De huurder kan de betalingsregeling zelf online aanvragen: in Mijn overzicht, bij Direct regelen."
    ),
    FollowUp.STADSBANK: gettext_lazy("Doorverwezen naar de stadsbank (gemeentelijke kredietbank)."),
    FollowUp.BUDGET_ADVICE: gettext_lazy("Een budgetadviesgesprek wordt gepland."),
    FollowUp.DEBT_COUNSELLING: gettext_lazy("Doorverwezen naar de schuldhulpverlening."),
}


def _call_note(call: CallTask, next_day: date) -> str:
    """The line on the case's history for a recorded call."""
    if call.outcome == CallOutcome.NOT_REACHED:
        text = _("Gebeld: niet bereikt. Het gesprek staat op %(day)s weer in de belrij.") % {
            "day": formats.date_format(next_day, "l j F Y")
        }
    else:
        follow_up = FollowUp(call.follow_up)
        text = _("Gebeld: gesproken. Reden: %(reason)s Vervolg: %(follow_up)s.") % {
            "reason": call.reason.strip().rstrip(".") + ".",
            "follow_up": follow_up.label,
        }
        if follow_up == FollowUp.PROMISE:
            text += " " + _("Belooft te betalen op %(day)s.") % {
                "day": formats.date_format(call.promised_on, "l j F Y")
            }
        elif follow_up in FOLLOW_UP_NOTES:
            text += " " + str(FOLLOW_UP_NOTES[follow_up])
    if call.note.strip():
        text += " " + _("Notitie: %(note)s") % {"note": call.note.strip()}
    return text


def call_record(
    call: CallTask,
    staff: User,
    outcome: str,
    reason: str = "",
    follow_up: str = "",
    promised_on: date | None = None,
    note: str = "",
    now: datetime | None = None,
) -> CallTask:
    """Record how a claimed call went.

    Not reached: the call is done and a new one waits in the queue of the
    next working day. Reached: the call is done with the reason and the
    follow-up, which goes on the case's history (a promise with its date; for
    an arrangement, that the tenant can request it online). The first
    recorded call takes the case in hand. `now` is the moment of the call
    (default: now).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    _check_staff(staff, call.corporation_id)
    problems = outcome_problems(outcome, reason, follow_up, promised_on, today)
    if problems:
        raise CallError(problems)
    with transaction.atomic():
        locked = CallTask.objects.select_for_update().get(pk=call.pk)
        if locked.state == CallState.DONE:
            raise DomainError(_("Dit gesprek is al afgerond."))
        if locked.state != CallState.CLAIMED or locked.claimed_by_id != staff.pk:
            raise DomainError(_("Claim het gesprek eerst. Dan weten collega's dat u belt."))
        reached = outcome == CallOutcome.REACHED
        locked.outcome = outcome
        locked.reason = reason.strip() if reached else ""
        locked.follow_up = follow_up if reached else ""
        locked.promised_on = promised_on if reached and follow_up == FollowUp.PROMISE else None
        locked.note = note.strip()
        locked.state = CallState.DONE
        locked.finished_at = now
        locked.save()
        case = Case.objects.get(arrears__pk=locked.arrears_id)
        next_day = add_working_days(today, 1)
        if not reached and case.is_open:
            CallTask.objects.create(
                corporation_id=locked.corporation_id,
                arrears_id=locked.arrears_id,
                tenant_id=locked.tenant_id,
                queue_date=next_day,
            )
        if case.state == CaseState.SUBMITTED:
            case_transition(case=case, name="start", actor=staff, role=Actor.STAFF)
        CaseEvent.objects.create(case=case, actor=staff, action="call", note=_call_note(locked, next_day))
    call.refresh_from_db()
    return call


# =============================================================================
# Escalation
# =============================================================================


def escalation_record(
    arrears: ArrearsFile,
    kind: str,
    on: date,
    note: str,
    staff: User,
    children: int | None = None,
    household_notes: str = "",
    shelter_contact: str = "",
    conditions: str = "",
    *,
    key: once.SendKey | None = None,
) -> EscalationStep:
    """Record an escalation step and its date on an arrears file.

    Household details given with any step are kept on the file. An eviction
    needs the household's composition (children) and the shelter-desk
    contact; a second chance needs its conditions (`eviction_missing`,
    `second_chance_missing`): what was recorded before counts. The form sent
    again (its `key`, see `portal.once`) records the step once and returns it.
    """
    details = (children, household_notes, shelter_contact, conditions)
    return once.send(key, lambda: _escalation_record(arrears, kind, on, note, staff, *details))


def _escalation_record(
    arrears, kind, on, note, staff, children, household_notes, shelter_contact, conditions
) -> EscalationStep:
    if kind not in EscalationKind.values:
        raise CallError({"kind": _("Kies een stap.")})
    with transaction.atomic():
        file = ArrearsFile.objects.select_for_update().select_related("case").get(pk=arrears.pk)
        _check_staff(staff, file.case.corporation_id)
        changed = []
        if children is not None:
            file.children_in_household = children
            changed.append("children_in_household")
        for name, value in (
            ("household_notes", household_notes),
            ("shelter_contact", shelter_contact),
            ("second_chance_conditions", conditions),
        ):
            if (value or "").strip():
                setattr(file, name, value.strip())
                changed.append(name)
        missing: list[str] = []
        if kind == EscalationKind.EVICTION:
            missing = eviction_missing(file.children_in_household is not None, file.shelter_contact)
        elif kind == EscalationKind.SECOND_CHANCE:
            missing = second_chance_missing(file.second_chance_conditions)
        problems = {name: str(MISSING_MESSAGES[name]) for name in missing}
        if problems:
            raise CallError(problems)
        if changed:
            file.save(update_fields=changed)
        step = EscalationStep.objects.create(
            arrears=file, kind=kind, on=on, note=note.strip(), recorded_by=staff
        )
        text = _("%(step)s op %(day)s.") % {
            "step": EscalationKind(kind).label,
            "day": formats.date_format(on, "j F Y"),
        }
        if note.strip():
            text += " " + note.strip()
        if kind == EscalationKind.SECOND_CHANCE:
            text += " " + _("Voorwaarden: %(conditions)s") % {"conditions": file.second_chance_conditions}
        CaseEvent.objects.create(case=file.case, actor=staff, action="escalation", note=text)
    return step


# =============================================================================
# Reads for the staff pages
# =============================================================================


def _late_subquery(today: date, aggregate):
    return Subquery(
        _late_items(today)
        .filter(tenant=OuterRef("tenant"), corporation=OuterRef("corporation"))
        .order_by()
        .values("tenant")
        .annotate(value=aggregate)
        .values("value")[:1]
    )


def staff_languages_of_team(staff: User) -> frozenset[str]:
    """Every language the staff member's team calls in (one query)."""
    callers = User.objects.filter(is_staff=True, is_active=True, is_superuser=False)
    if not staff.is_superuser:
        callers = callers.filter(corporation_id=staff.corporation_id)
    return team_languages(callers.values_list("spoken_languages", flat=True))


@dataclass
class QueueRow:
    call: CallTask
    days_late: int
    amount: Decimal
    previous_calls: int
    last_outcome: str

    @property
    def last_outcome_label(self) -> str:
        return CallOutcome(self.last_outcome).label if self.last_outcome else ""


@dataclass
class Queue:
    rows: list[QueueRow]
    mine_only: bool
    languages: frozenset[str]
    later: int = 0
    hidden: int = 0
    mine: list[QueueRow] = field(default_factory=list)


def call_queue(staff: User, today: date, *, mine_only: bool = True) -> Queue:
    """Today's queue for a staff member: waiting and claimed calls of tenants
    who are still late, in `queue_order`. With `mine_only`, tenants in a
    language a colleague speaks and this caller does not are left out.

    Four queries, whatever the size of the queue.
    """
    calls = (
        CallTask.objects.filter(staff_scope(staff), queue_date__lte=today)
        .exclude(state=CallState.DONE)
        .annotate(
            oldest_due=_late_subquery(today, Min("due_date")),
            late_amount=_late_subquery(today, Sum(_open_amount())),
            previous_calls=Subquery(
                CallTask.objects.filter(arrears=OuterRef("arrears"), state=CallState.DONE)
                .exclude(outcome="")
                .order_by()
                .values("arrears")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            last_outcome=Subquery(
                CallTask.objects.filter(arrears=OuterRef("arrears"), state=CallState.DONE)
                .exclude(outcome="")
                .order_by("-finished_at", "-pk")
                .values("outcome")[:1]
            ),
        )
        .filter(oldest_due__isnull=False)
        .select_related("tenant", "claimed_by", "arrears__case", "corporation")
        .order_by("queue_date", "pk")
    )
    mine = caller_languages(staff.spoken_languages)
    hidden = frozenset()
    if mine_only:
        hidden = hidden_languages(staff.spoken_languages, staff_languages_of_team(staff))
    rows = []
    hidden_count = 0
    for call in calls:
        if call.tenant.preferred_language in hidden and not (
            call.state == CallState.CLAIMED and call.claimed_by_id == staff.pk
        ):
            hidden_count += 1
            continue
        rows.append(
            QueueRow(
                call=call,
                days_late=days_late(call.oldest_due, today),
                amount=(call.late_amount or ZERO).quantize(Decimal("0.01")),
                previous_calls=call.previous_calls or 0,
                last_outcome=call.last_outcome or "",
            )
        )
    later = (
        CallTask.objects.filter(staff_scope(staff), queue_date__gt=today)
        .exclude(state=CallState.DONE)
        .count()
    )
    ordered = queue_order(rows)
    return Queue(
        rows=ordered,
        mine_only=mine_only,
        languages=mine,
        later=later,
        hidden=hidden_count,
        mine=[r for r in ordered if r.call.state == CallState.CLAIMED and r.call.claimed_by_id == staff.pk],
    )


def call_for_staff(staff: User, pk: int) -> CallTask | None:
    return (
        CallTask.objects.filter(staff_scope(staff), pk=pk)
        .select_related("tenant", "claimed_by", "arrears__case", "corporation")
        .first()
    )


def arrears_for_staff(staff: User, number: str) -> ArrearsFile | None:
    return (
        ArrearsFile.objects.filter(staff_scope(staff, "case__corporation"), case__number=number)
        .select_related("case__tenant", "case__corporation")
        .first()
    )


def latest_call(arrears: ArrearsFile) -> CallTask | None:
    """The call a file's page shows: the waiting one, or else the last one."""
    return (
        CallTask.objects.filter(arrears=arrears)
        .select_related("tenant", "claimed_by", "arrears__case", "corporation")
        .order_by(DbCase(When(state=CallState.DONE, then=Value(1)), default=Value(0)), "-queue_date", "-pk")
        .first()
    )


@dataclass
class CallPage:
    call: CallTask
    items: list
    late_total: Decimal
    oldest_due: date | None
    days_late: int
    addresses: list[str]
    events: list
    steps: list
    calls: list


def call_page(call: CallTask, today: date) -> CallPage:
    """What the call page shows: contact, open items, case history, steps and earlier calls.

    Five queries, whatever the history's length.
    """
    from contracts.models import Contract

    case = call.arrears.case
    items = list(
        OpenItem.objects.filter(
            tenant=call.tenant_id, corporation=call.corporation_id, paid_at__isnull=True
        ).order_by("due_date", "id")
    )
    late = [item for item in items if is_late(item.due_date, today)]
    for item in items:
        item.days_late = days_late(item.due_date, today)
        item.late = is_late(item.due_date, today)
    oldest = min((item.due_date for item in late), default=None)
    contracts = (
        Contract.objects.filter(tenants=call.tenant_id, corporation=call.corporation_id)
        .select_related("unit")
        .order_by("start_date")
    )
    addresses = []
    for contract in contracts:
        line = f"{contract.unit.address_line}, {contract.unit.postcode} {contract.unit.city}"
        if line not in addresses:
            addresses.append(line)
    return CallPage(
        call=call,
        items=items,
        late_total=sum((item.open_amount for item in late), ZERO),
        oldest_due=oldest,
        days_late=days_late(oldest, today) if oldest else 0,
        addresses=addresses,
        events=list(CaseEvent.objects.filter(case=case).select_related("actor").order_by("created_at", "id")),
        steps=list(EscalationStep.objects.filter(arrears=call.arrears_id).select_related("recorded_by")),
        calls=list(
            CallTask.objects.filter(arrears=call.arrears_id)
            .select_related("claimed_by")
            .order_by("-queue_date", "-pk")
        ),
    )


# =============================================================================
# The team overview
# =============================================================================


@dataclass
class Overview:
    today: date
    waiting: int
    claimed: int
    later: int
    made_today: int
    made_week: int
    reached_week: int
    arrears_total: Decimal
    tenants_late: int
    trend: list[tuple[date, Decimal]]
    per_caller: list[dict]

    @property
    def open_calls(self) -> int:
        return self.waiting + self.claimed

    @property
    def share_reached(self) -> int | None:
        """Of this week's calls, the percentage in which the tenant was reached."""
        if not self.made_week:
            return None
        return round(100 * self.reached_week / self.made_week)

    @property
    def trend_change(self) -> Decimal:
        """The change since the end of last week (positive: the arrears grew)."""
        if len(self.trend) < 2:
            return ZERO
        return self.trend[-1][1] - self.trend[-2][1]

    @property
    def trend_max(self) -> Decimal:
        return max((value for _day, value in self.trend), default=ZERO)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def team_overview(corporation: Corporation | None, today: date) -> Overview:
    """Open calls, calls made today and this week, the share reached, the
    arrears total and its trend; `corporation` None is every corporation.

    The arrears total is the sum of the open amounts (amount − paid) of the
    unsettled items past their due date. The trend gives that total on each
    of `trend_dates`: an item counts on day d when d is after its due date
    and it was not yet settled at the end of d (`paid_at` empty or later).
    An item settled since counts with its whole amount; an item still open
    counts with what is open today (a part payment is taken as made before
    d: the ledger keeps the date an item is settled, not of each part).

    Three queries.
    """
    week_start = today - timedelta(days=today.weekday())
    scope = Q() if corporation is None else Q(corporation=corporation)
    calls = CallTask.objects.filter(scope)
    made = Q(state=CallState.DONE) & ~Q(outcome="")
    counts = calls.aggregate(
        waiting=Count("pk", filter=Q(state=CallState.OPEN, queue_date__lte=today)),
        claimed=Count("pk", filter=Q(state=CallState.CLAIMED)),
        later=Count("pk", filter=Q(state=CallState.OPEN, queue_date__gt=today)),
        made_today=Count("pk", filter=made & Q(finished_at__gte=_start_of(today))),
        made_week=Count("pk", filter=made & Q(finished_at__gte=_start_of(week_start))),
        reached_week=Count(
            "pk",
            filter=made & Q(finished_at__gte=_start_of(week_start), outcome=CallOutcome.REACHED),
        ),
    )
    days = trend_dates(today)
    open_now = ExpressionWrapper(F("amount") - F("amount_paid"), output_field=MONEY)
    aggregates = {
        "tenants_late": Count("tenant", distinct=True, filter=Q(paid_at__isnull=True, due_date__lt=today)),
    }
    for index, day in enumerate(days):
        end_of_day = _start_of(day + timedelta(days=1))
        aggregates[f"t{index}"] = Coalesce(
            Sum(
                DbCase(
                    When(Q(due_date__lt=day, paid_at__isnull=True), then=open_now),
                    When(Q(due_date__lt=day, paid_at__gte=end_of_day), then=F("amount")),
                    default=Value(ZERO),
                    output_field=MONEY,
                )
            ),
            Value(ZERO),
            output_field=MONEY,
        )
    totals = OpenItem.objects.filter(scope).aggregate(**aggregates)
    trend = [(day, Decimal(totals[f"t{i}"]).quantize(Decimal("0.01"))) for i, day in enumerate(days)]
    per_caller = list(
        calls.filter(made & Q(finished_at__gte=_start_of(week_start)), claimed_by__isnull=False)
        .values(
            "claimed_by__first_name",
            "claimed_by__initials",
            "claimed_by__surname_prefix",
            "claimed_by__surname",
        )
        .annotate(made=Count("pk"), reached=Count("pk", filter=Q(outcome=CallOutcome.REACHED)))
        .order_by("-made", "claimed_by__surname")
    )
    for row in per_caller:
        first = row["claimed_by__first_name"] or row["claimed_by__initials"]
        row["name"] = " ".join(
            p for p in (first, row["claimed_by__surname_prefix"], row["claimed_by__surname"]) if p
        )
    return Overview(
        today=today,
        waiting=counts["waiting"],
        claimed=counts["claimed"],
        later=counts["later"],
        made_today=counts["made_today"],
        made_week=counts["made_week"],
        reached_week=counts["reached_week"],
        arrears_total=trend[-1][1],
        tenants_late=totals["tenants_late"],
        trend=trend,
        per_caller=per_caller,
    )


def language_label(code: str) -> str:
    try:
        return Language(code).label
    except ValueError:
        return code
