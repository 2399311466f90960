"""The arrears approach of seed 004 (P4–P6): rules, the morning job, calls, escalation, the staff pages.

Rule tests quote the seed sentence they follow. Service tests use fixed dates
(Wednesday 2 December 2026: huurder's F-1 of 1 November and F-2 of 28
November are both late); page tests add an item that is late whatever the
date the suite runs on.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from conftest import make_person, make_staff
from payments import arrears
from payments.arrears import (
    call_due,
    caller_languages,
    days_late,
    eviction_missing,
    family_with_children,
    hidden_languages,
    is_late,
    outcome_problems,
    queue_order,
    second_chance_missing,
    speaks,
    team_languages,
    trend_dates,
)
from payments.models import (
    ArrearsFile,
    CallOutcome,
    CallState,
    CallTask,
    EscalationKind,
    EscalationStep,
    FollowUp,
    OpenItem,
)
from portal.cases import CaseKind, CaseState
from portal.errors import DomainError
from portal.models import Case, CaseEvent, Message
from portal.templatetags.portal import euro

WEDNESDAY = date(2026, 12, 2)
THURSDAY = date(2026, 12, 3)
FRIDAY = date(2026, 12, 4)
MONDAY = date(2026, 12, 7)


def at(day: date, hour: int = 10) -> datetime:
    """That day at 10:00 in Dutch time: when a call is made."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


# =============================================================================
# Rules
# =============================================================================


def test_an_item_is_late_from_the_first_day_after_its_due_date():
    """ "De eerste dag na het verstrijken van de betaaltermijn wordt er direct actie ondernomen." """
    assert not is_late(date(2026, 12, 1), date(2026, 12, 1))
    assert is_late(date(2026, 12, 1), date(2026, 12, 2))
    assert not is_late(date(2026, 12, 1), date(2026, 11, 30))
    assert days_late(date(2026, 12, 1), date(2026, 12, 2)) == 1
    assert days_late(date(2026, 12, 1), date(2026, 11, 30)) == 0


@dataclass
class Row:
    name: str
    days_late: int
    amount: Decimal


def test_the_queue_starts_with_the_most_days_late_then_the_largest_amount():
    """ "Door vroegtijdig problemen te constateren is er meer tijd voor het goed oplossen ervan":
    who is longest late comes first; of two as late, the larger arrears."""
    rows = [
        Row("a", 3, Decimal("900.00")),
        Row("b", 30, Decimal("10.00")),
        Row("c", 3, Decimal("950.00")),
        Row("d", 30, Decimal("10.00")),
    ]
    assert [r.name for r in queue_order(rows)] == ["b", "d", "c", "a"]


def test_callers_take_the_tenants_whose_language_they_speak():
    """ "Er zitten mensen in het team die ook de taal van de huurder spreken, zoals Turks en Marokkaans." """
    team = team_languages([["nl", "tr"], ["nl", "ary", "ber"], ["nl"]])
    assert speaks(["nl", "tr"], "tr", team)
    assert speaks(["nl", "ary", "ber"], "ary", team)
    assert not speaks(["nl"], "tr", team)
    # Dutch-speaking staff take Dutch tenants.
    assert speaks(["nl"], "nl", team)
    assert not speaks(["tr"], "nl", team)


def test_a_tenant_whose_language_nobody_speaks_is_shown_to_everyone():
    """ "… spreken, zoals Turks en Marokkaans": a Polish tenant, when nobody in the team speaks Polish,
    is in every caller's queue, so nobody is forgotten."""
    team = team_languages([["nl", "tr"], ["nl"]])
    assert speaks(["nl"], "pl", team)
    assert speaks(["nl", "tr"], "pl", team)
    assert not speaks(["nl"], "pl")  # without the team: plain matching
    assert hidden_languages(["nl"], team) == {"tr"}
    assert hidden_languages(["nl", "tr"], team) == set()


def test_a_caller_without_languages_calls_in_dutch():
    """ "Normaal persoonlijk contact via de telefoon": everyone in the team calls in Dutch unless
    they say otherwise."""
    assert caller_languages([]) == {"nl"}
    assert caller_languages(None) == {"nl"}
    assert speaks([], "nl")
    assert team_languages([[], ["tr"]]) == {"nl", "tr"}


def test_an_eviction_needs_the_children_and_the_shelter_desk():
    """ "De woningcorporatie is milder bij het uitzetten van gezinnen met kinderen. Wanneer dat toch
    onvermijdelijk is gaat het altijd samen in overleg en coördinatie met het centraal meldpunt opvang." """
    assert eviction_missing(False, "") == ["children", "shelter_contact"]
    assert eviction_missing(True, "  ") == ["shelter_contact"]
    assert eviction_missing(False, "J. Smit, CMO Almelo") == ["children"]
    assert eviction_missing(True, "J. Smit, CMO Almelo") == []


def test_a_family_with_children_gets_extra_care():
    """ "De woningcorporatie is milder bij het uitzetten van gezinnen met kinderen." """
    assert family_with_children(2)
    assert not family_with_children(0)
    assert not family_with_children(None)


def test_a_second_chance_carries_its_conditions():
    """ "Dit gebeurt wel onder strikte voorwaarden en verplichtingen waaronder samenwerking met de
    schuldsanering." """
    assert second_chance_missing("") == ["conditions"]
    assert second_chance_missing("  \n") == ["conditions"]
    assert second_chance_missing("Schuldsanering, woonbegeleiding en een budgettrainer") == []


def test_after_a_talk_the_reason_and_what_comes_next_are_recorded():
    """ "Het uitvinden wat wel de reden is ligt bij dit eigen team", and then "betalingsregeling,
    stadsbank, budgetadviesgesprek"."""
    today = WEDNESDAY
    assert outcome_problems(CallOutcome.NOT_REACHED, "", "", None, today) == {}
    assert set(outcome_problems(CallOutcome.REACHED, "", "", None, today)) == {"reason", "follow_up"}
    assert outcome_problems(CallOutcome.REACHED, "Ziek geweest", FollowUp.STADSBANK, None, today) == {}
    assert set(outcome_problems(CallOutcome.REACHED, "Vergeten", FollowUp.PROMISE, None, today)) == {
        "promised_on"
    }
    assert "promised_on" in outcome_problems(
        CallOutcome.REACHED, "Vergeten", FollowUp.PROMISE, date(2026, 12, 1), today
    )
    assert outcome_problems(CallOutcome.REACHED, "Vergeten", FollowUp.PROMISE, THURSDAY, today) == {}
    assert set(outcome_problems("", "", "", None, today)) == {"outcome"}


def test_when_the_team_calls_again():
    """ "Niet betaald = actie": a broken promise is a new first day; an arrangement or a referral
    carries the case until a new term is missed."""
    last = {"last_outcome": CallOutcome.REACHED, "last_called_on": date(2026, 11, 2), "newest_late_due": None}
    assert call_due(
        WEDNESDAY,
        last_outcome=None,
        last_follow_up=None,
        last_called_on=None,
        promised_on=None,
        newest_late_due=date(2026, 12, 1),
    )
    promise = {**last, "last_follow_up": FollowUp.PROMISE}
    assert not call_due(date(2026, 11, 20), **promise, promised_on=date(2026, 11, 20))
    assert call_due(date(2026, 11, 21), **promise, promised_on=date(2026, 11, 20))
    for track in (
        FollowUp.ARRANGEMENT,
        FollowUp.STADSBANK,
        FollowUp.BUDGET_ADVICE,
        FollowUp.DEBT_COUNSELLING,
    ):
        assert not call_due(WEDNESDAY, **{**last, "last_follow_up": track}, promised_on=None)
        # A new term missed after the talk: call again.
        assert call_due(
            WEDNESDAY,
            **{**last, "last_follow_up": track, "newest_late_due": date(2026, 12, 1)},
            promised_on=None,
        )
    # "Ik betaal vandaag" without a follow-up: five working days later, if still unpaid.
    quiet = {**last, "last_follow_up": FollowUp.NONE, "last_called_on": date(2026, 11, 30)}
    assert not call_due(date(2026, 12, 4), **quiet, promised_on=None)
    assert call_due(date(2026, 12, 7), **quiet, promised_on=None)
    # Not reached (or closed without a talk): call.
    assert call_due(
        WEDNESDAY, **{**last, "last_outcome": CallOutcome.NOT_REACHED}, last_follow_up="", promised_on=None
    )


def test_the_trend_is_measured_at_the_end_of_each_week_and_today():
    days = trend_dates(WEDNESDAY)
    assert len(days) == 8
    assert days[-1] == WEDNESDAY
    assert days[-2] == date(2026, 11, 29)  # the Sunday before
    assert all(d.weekday() == 6 for d in days[:-1])
    assert days[0] == date(2026, 10, 18)


# =============================================================================
# The morning job
# =============================================================================


def late_tenant(corporation, email, language="nl", amount="500.00", due=date(2026, 11, 1), **fields):
    person = make_person(email, corporation, preferred_language=language, **fields)
    OpenItem.objects.create(
        corporation=corporation,
        tenant=person,
        reference=f"L-{email}",
        description="Huur november",
        amount=Decimal(amount),
        due_date=due,
    )
    return person


def pay_everything(tenant):
    OpenItem.objects.filter(tenant=tenant).update(amount_paid=F("amount"), paid_at=timezone.now())


def test_the_job_run_twice_gives_one_case_and_one_call(
    huurder, woonkracht, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert arrears.arrears_queue_build(today=WEDNESDAY) == 1
        assert arrears.arrears_queue_build(today=WEDNESDAY) == 0
        assert arrears.arrears_queue_build(today=THURSDAY) == 0
    case = Case.objects.get(kind=CaseKind.ARREARS)
    assert case.tenant == huurder and case.corporation == woonkracht and case.state == CaseState.SUBMITTED
    assert case.arrears.opened_amount == Decimal("125.31")
    call = CallTask.objects.get()
    assert (call.tenant, call.queue_date, call.state) == (huurder, WEDNESDAY, CallState.OPEN)
    # The tenant is called, not written to: no message, nothing in Mijn aanvragen.
    assert not Message.objects.filter(person=huurder).exists()


def test_an_item_on_its_due_date_is_not_late_yet(huurder):
    assert arrears.arrears_queue_build(today=date(2026, 11, 1)) == 0
    assert not Case.objects.filter(kind=CaseKind.ARREARS).exists()
    assert arrears.arrears_queue_build(today=date(2026, 11, 2)) == 1
    assert CallTask.objects.get().queue_date == date(2026, 11, 2)


def test_each_corporation_gets_its_own_calls(huurder, woonkracht, waardwonen):
    other = late_tenant(waardwonen, "elders@example.nl")
    assert arrears.arrears_queue_build(today=WEDNESDAY) == 2
    assert CallTask.objects.get(tenant=other).corporation == waardwonen
    assert CallTask.objects.get(tenant=huurder).corporation == woonkracht


def test_paid_arrears_complete_the_case_and_a_new_arrears_reopens_it(huurder, woonkracht):
    arrears.arrears_queue_build(today=WEDNESDAY)
    case = Case.objects.get(kind=CaseKind.ARREARS)
    pay_everything(huurder)

    assert arrears.arrears_queue_build(today=THURSDAY) == 0
    case.refresh_from_db()
    assert case.state == CaseState.COMPLETED
    call = CallTask.objects.get()
    assert call.state == CallState.DONE and call.outcome == ""

    OpenItem.objects.create(
        corporation=woonkracht,
        tenant=huurder,
        reference="F-3",
        description="Huur januari",
        amount=Decimal("612.40"),
        due_date=date(2027, 1, 1),
    )
    assert arrears.arrears_queue_build(today=date(2027, 1, 4)) == 1
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    assert Case.objects.filter(kind=CaseKind.ARREARS).count() == 1
    assert case.arrears.opened_amount == Decimal("612.40")
    assert list(case.events.values_list("action", flat=True)) == ["open", "complete", "reopen"]
    assert CallTask.objects.filter(state=CallState.OPEN, queue_date=date(2027, 1, 4)).count() == 1


def test_covered_by_an_arrangement_while_the_tenant_keeps_to_it():
    """ "Betalingsregeling": the debt an arrangement covers is not arrears while the terms are paid."""
    asked = date(2026, 11, 10)
    assert arrears.covered_by_arrangement(date(2026, 11, 1), asked, term_missed=False)
    assert not arrears.covered_by_arrangement(date(2026, 11, 1), asked, term_missed=True)
    assert not arrears.covered_by_arrangement(date(2026, 12, 1), asked, term_missed=False)


def arrangement_for(tenant, corporation, total="125.31"):
    from payments.models import Arrangement, Instalment
    from portal.services import case_open

    case = case_open(tenant=tenant, corporation=corporation, kind=CaseKind.PAYMENT_ARRANGEMENT)
    arrangement = Arrangement.objects.create(
        case=case,
        had_arrangement_last_year=False,
        reason="Minder uren",
        total_amount=Decimal(total),
        periods=2,
        per_month=Decimal(total) / 2,
        first_due_date=date(2027, 1, 1),
        approved_at=timezone.now(),
    )
    for number, due in ((1, date(2027, 1, 1)), (2, date(2027, 2, 1))):
        Instalment.objects.create(
            arrangement=arrangement, number=number, due_date=due, amount=Decimal("62.66")
        )
    return arrangement


def test_a_tenant_keeping_to_an_arrangement_is_not_called_until_a_new_term_is_missed(huurder, woonkracht):
    arrangement = arrangement_for(huurder, woonkracht)
    assert arrears.arrears_queue_build(today=WEDNESDAY) == 0
    assert not Case.objects.filter(kind=CaseKind.ARREARS).exists()

    # Next month's rent, invoiced after the request, is not covered.
    OpenItem.objects.create(
        corporation=woonkracht,
        tenant=huurder,
        reference="F-3",
        description="Huur december",
        amount=Decimal("612.40"),
        due_date=date(2026, 12, 31),
    )
    OpenItem.objects.filter(reference="F-3").update(created_at=timezone.now() + timedelta(days=30))
    assert arrears.arrears_queue_build(today=date(2027, 1, 4)) == 1
    file = ArrearsFile.objects.get()
    assert file.opened_amount == Decimal("612.40")
    call = CallTask.objects.get()
    caller = make_staff("beller@example.nl", woonkracht)
    arrears.call_claim(call, caller)
    arrears.call_record(
        call,
        caller,
        CallOutcome.REACHED,
        reason="Vergeten",
        follow_up=FollowUp.ARRANGEMENT,
        now=at(date(2027, 1, 4)),
    )
    assert arrears.arrears_queue_build(today=date(2027, 1, 5)) == 0

    # A missed term of the arrangement: called again.
    arrangement.instalments.filter(number=1).update(missed_at=at(date(2027, 1, 7)))
    assert arrears.arrears_queue_build(today=date(2027, 1, 7)) == 1


def test_a_call_being_made_keeps_the_case_open_when_the_tenant_pays(huurder, medewerker):
    arrears.arrears_queue_build(today=WEDNESDAY)
    arrears.call_claim(CallTask.objects.get(), medewerker)
    pay_everything(huurder)
    arrears.arrears_queue_build(today=THURSDAY)
    assert Case.objects.get(kind=CaseKind.ARREARS).state == CaseState.SUBMITTED
    assert CallTask.objects.get().state == CallState.CLAIMED


def test_the_celery_task_builds_the_queue(huurder):
    from payments.tasks import arrears_queue_build

    arrears_queue_build.delay()
    # Whatever today is, F-1 of 1 November 2026 is late from 2 November on.
    if timezone.localdate() > date(2026, 11, 1):
        assert CallTask.objects.filter(tenant=huurder).count() == 1


# =============================================================================
# Calls
# =============================================================================


@pytest.fixture
def call(huurder):
    arrears.arrears_queue_build(today=WEDNESDAY)
    return CallTask.objects.get(tenant=huurder)


def test_claim_takes_the_call_and_a_colleague_gets_a_clear_refusal(call, medewerker, woonkracht):
    arrears.call_claim(call, medewerker)
    assert call.state == CallState.CLAIMED and call.claimed_by == medewerker
    # Claiming again is harmless.
    arrears.call_claim(call, medewerker)
    other = make_staff("tweede@example.nl", woonkracht)
    other.first_name, other.surname = "Ayşe", "Yılmaz"
    with pytest.raises(DomainError, match="belt deze huurder al"):
        arrears.call_claim(CallTask.objects.get(pk=call.pk), other)
    medewerker.refresh_from_db()
    assert CallTask.objects.get(pk=call.pk).claimed_by == medewerker


def test_staff_of_another_corporation_cannot_claim_or_record(call, collega):
    with pytest.raises(DomainError, match="andere corporatie"):
        arrears.call_claim(call, collega)
    with pytest.raises(DomainError):
        arrears.call_record(call, collega, CallOutcome.NOT_REACHED)
    assert CallTask.objects.get(pk=call.pk).state == CallState.OPEN


def test_release_puts_the_call_back(call, medewerker):
    arrears.call_claim(call, medewerker)
    arrears.call_release(call, medewerker)
    assert call.state == CallState.OPEN and call.claimed_by is None


def test_recording_needs_the_call_to_be_claimed(call, medewerker):
    with pytest.raises(DomainError, match="Claim het gesprek eerst"):
        arrears.call_record(call, medewerker, CallOutcome.NOT_REACHED, now=at(WEDNESDAY))


def test_not_reached_puts_the_tenant_in_the_next_working_days_queue(huurder, medewerker):
    arrears.arrears_queue_build(today=FRIDAY)
    call = CallTask.objects.get()
    arrears.call_claim(call, medewerker)
    arrears.call_record(call, medewerker, CallOutcome.NOT_REACHED, note="Voicemail", now=at(FRIDAY))

    assert call.state == CallState.DONE and call.outcome == CallOutcome.NOT_REACHED
    again = CallTask.objects.exclude(pk=call.pk).get()
    assert again.queue_date == MONDAY and again.state == CallState.OPEN
    # Not in today's queue, in Monday's.
    assert arrears.call_queue(medewerker, FRIDAY).rows == []
    assert [r.call for r in arrears.call_queue(medewerker, MONDAY).rows] == [again]
    assert arrears.call_queue(medewerker, MONDAY).rows[0].previous_calls == 1
    # The job on Monday adds nothing.
    assert arrears.arrears_queue_build(today=MONDAY) == 0
    case = Case.objects.get(kind=CaseKind.ARREARS)
    assert case.state == CaseState.IN_PROGRESS and case.assigned_to == medewerker
    assert "niet bereikt" in case.events.get(action="call").note


def test_a_promise_to_pay_is_recorded_and_checked_the_day_after(call, medewerker):
    arrears.call_claim(call, medewerker)
    arrears.call_record(
        call,
        medewerker,
        CallOutcome.REACHED,
        reason="Salaris kwam later",
        follow_up=FollowUp.PROMISE,
        promised_on=date(2026, 12, 10),
        now=at(WEDNESDAY),
    )
    assert call.promised_on == date(2026, 12, 10) and call.follow_up == FollowUp.PROMISE
    event = CaseEvent.objects.get(action="call")
    assert "Salaris kwam later" in event.note and "10 december 2026" in event.note
    assert event.actor == medewerker
    assert arrears.arrears_queue_build(today=date(2026, 12, 10)) == 0
    assert arrears.arrears_queue_build(today=date(2026, 12, 11)) == 1


@pytest.mark.parametrize(
    "follow_up, words",
    [
        (FollowUp.ARRANGEMENT, "online aanvragen"),
        (FollowUp.STADSBANK, "stadsbank"),
        (FollowUp.BUDGET_ADVICE, "Budgetadviesgesprek"),
        (FollowUp.DEBT_COUNSELLING, "schuldhulpverlening"),
    ],
)
def test_each_follow_up_goes_on_the_case(call, medewerker, follow_up, words):
    """ "… betalingsregeling, stadsbank, budgetadviesgesprek" """
    arrears.call_claim(call, medewerker)
    arrears.call_record(
        call, medewerker, CallOutcome.REACHED, reason="Baan kwijt", follow_up=follow_up, now=at(WEDNESDAY)
    )
    assert words.lower() in CaseEvent.objects.get(action="call").note.lower()
    # That track carries the case: no new call the next day.
    assert arrears.arrears_queue_build(today=THURSDAY) == 0


def test_a_talk_needs_a_reason_and_a_follow_up(call, medewerker):
    arrears.call_claim(call, medewerker)
    with pytest.raises(arrears.CallError) as refused:
        arrears.call_record(call, medewerker, CallOutcome.REACHED, now=at(WEDNESDAY))
    assert set(refused.value.fields) == {"reason", "follow_up"}
    assert CallTask.objects.get(pk=call.pk).state == CallState.CLAIMED


# =============================================================================
# Escalation
# =============================================================================


def test_an_eviction_is_refused_without_the_children_and_the_shelter_desk(call, medewerker):
    file = call.arrears
    with pytest.raises(arrears.CallError) as refused:
        arrears.escalation_record(file, EscalationKind.EVICTION, date(2027, 3, 1), "", medewerker)
    assert set(refused.value.fields) == {"children", "shelter_contact"}
    with pytest.raises(arrears.CallError) as refused:
        arrears.escalation_record(file, EscalationKind.EVICTION, date(2027, 3, 1), "", medewerker, children=2)
    assert set(refused.value.fields) == {"shelter_contact"}
    assert not EscalationStep.objects.exists()

    step = arrears.escalation_record(
        file,
        EscalationKind.EVICTION,
        date(2027, 3, 1),
        "Na vonnis kantonrechter",
        medewerker,
        children=2,
        household_notes="Moeder met twee kinderen",
        shelter_contact="J. Smit, centraal meldpunt opvang Almelo",
    )
    file.refresh_from_db()
    assert file.children_in_household == 2 and file.shelter_contact.startswith("J. Smit")
    assert step.recorded_by == medewerker and step.on == date(2027, 3, 1)
    assert "Ontruiming" in CaseEvent.objects.get(action="escalation").note


def test_what_was_recorded_earlier_counts_for_an_eviction(call, medewerker):
    file = call.arrears
    arrears.escalation_record(
        file,
        EscalationKind.SUMMONS,
        date(2027, 1, 10),
        "",
        medewerker,
        children=0,
        shelter_contact="CMO, P. de Boer",
    )
    arrears.escalation_record(file, EscalationKind.EVICTION, date(2027, 3, 1), "", medewerker)
    assert list(file.steps.values_list("kind", flat=True)) == [
        EscalationKind.SUMMONS,
        EscalationKind.EVICTION,
    ]


def test_a_second_chance_needs_its_conditions(call, medewerker):
    file = call.arrears
    with pytest.raises(arrears.CallError) as refused:
        arrears.escalation_record(file, EscalationKind.SECOND_CHANCE, date(2027, 4, 1), "", medewerker)
    assert set(refused.value.fields) == {"conditions"}
    arrears.escalation_record(
        file,
        EscalationKind.SECOND_CHANCE,
        date(2027, 4, 1),
        "",
        medewerker,
        conditions="Schuldsanering, woonbegeleiding en een budgettrainer; opgenomen in het nieuwe contract",
    )
    file.refresh_from_db()
    assert "budgettrainer" in file.second_chance_conditions
    assert "budgettrainer" in CaseEvent.objects.get(action="escalation").note


def test_all_escalation_steps_are_recorded_with_their_dates(call, medewerker):
    file = call.arrears
    for n, kind in enumerate(
        [EscalationKind.REMINDER, EscalationKind.EARLY_SIGNAL, EscalationKind.SUMMONS, EscalationKind.COURT]
    ):
        arrears.escalation_record(file, kind, date(2026, 12, 10 + n), "", medewerker)
    assert list(file.steps.values_list("on", flat=True)) == [date(2026, 12, 10 + n) for n in range(4)]


def test_staff_of_another_corporation_cannot_record_a_step(call, collega):
    with pytest.raises(DomainError):
        arrears.escalation_record(call.arrears, EscalationKind.REMINDER, WEDNESDAY, "", collega)
    assert not EscalationStep.objects.exists()


# =============================================================================
# The team overview
# =============================================================================


def test_the_team_overview_counts_calls_and_the_arrears(huurder, woonkracht, waardwonen, medewerker):
    second = late_tenant(woonkracht, "tweede@example.nl", amount="300.00", due=date(2026, 11, 20))
    late_tenant(waardwonen, "elders@example.nl", amount="999.00")
    arrears.arrears_queue_build(today=WEDNESDAY)
    first_call = CallTask.objects.get(tenant=huurder)
    arrears.call_claim(first_call, medewerker)
    arrears.call_record(first_call, medewerker, CallOutcome.NOT_REACHED, now=at(WEDNESDAY))
    second_call = CallTask.objects.get(tenant=second)
    arrears.call_claim(second_call, medewerker)
    arrears.call_record(
        second_call,
        medewerker,
        CallOutcome.REACHED,
        reason="Vergeten",
        follow_up=FollowUp.PROMISE,
        promised_on=FRIDAY,
        now=at(WEDNESDAY),
    )
    # A part payment on F-1, and F-2 paid in full on Monday 30 November.
    OpenItem.objects.filter(reference="F-1").update(amount_paid=Decimal("20.00"))
    OpenItem.objects.filter(reference="F-2").update(
        amount_paid=Decimal("37.75"),
        paid_at=timezone.make_aware(datetime(2026, 11, 30, 12, 0)),
    )

    overview = arrears.team_overview(woonkracht, WEDNESDAY)
    assert (overview.made_today, overview.made_week, overview.reached_week) == (2, 2, 1)

    # huurder's next call is for Thursday; the second tenant's for after the promise.
    assert overview.open_calls == 0 and overview.later == 1
    # Today: F-1 still open (87,56 − 20) and the second tenant's 300.
    assert overview.arrears_total == Decimal("367.56")
    assert overview.tenants_late == 2
    trend = dict(overview.trend)
    # Sunday 29 November: F-1 (open now: 67,56), F-2 (due 28 Nov, paid 30 Nov: 37,75) and 300.
    assert trend[date(2026, 11, 29)] == Decimal("405.31")
    # Sunday 22 November: only F-1 and the 300 of 20 November were late.
    assert trend[date(2026, 11, 22)] == Decimal("367.56")
    # Sunday 1 November: F-1 is due that day, not late yet.
    assert trend[date(2026, 11, 1)] == Decimal("0.00")
    assert overview.trend_change == Decimal("-37.75")


def test_the_overview_share_reached_this_week(huurder, woonkracht, medewerker):
    second = late_tenant(woonkracht, "tweede@example.nl")
    today = timezone.localdate()
    arrears.arrears_queue_build(today=today)
    for tenant, outcome in ((huurder, CallOutcome.NOT_REACHED), (second, CallOutcome.REACHED)):
        call = CallTask.objects.get(tenant=tenant, state=CallState.OPEN)
        arrears.call_claim(call, medewerker)
        arrears.call_record(
            call, medewerker, outcome, reason="Ziek", follow_up=FollowUp.STADSBANK, now=at(today)
        )
    overview = arrears.team_overview(woonkracht, today)
    assert (overview.made_today, overview.made_week, overview.reached_week) == (2, 2, 1)
    assert overview.share_reached == 50
    assert overview.per_caller[0]["made"] == 2 and overview.per_caller[0]["name"] == medewerker.full_name


# =============================================================================
# The staff pages
# =============================================================================


@pytest.fixture
def late_call(huurder, woonkracht):
    """huurder's call in today's queue, whatever today is."""
    OpenItem.objects.create(
        corporation=woonkracht,
        tenant=huurder,
        reference="F-9",
        description="Huur woning",
        amount=Decimal("612.40"),
        due_date=timezone.localdate() - timedelta(days=12),
    )
    arrears.arrears_queue_build()
    return CallTask.objects.get(tenant=huurder, state=CallState.OPEN)


def test_medewerker_sees_woonkrachts_calls(late_call, medewerker_client):
    response = medewerker_client.get("/medewerker/belrij/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sanne de Vries" in page and "06 12345678" in page and "Nederlands" in page
    late = OpenItem.objects.filter(tenant=late_call.tenant, due_date__lt=timezone.localdate())
    assert euro(sum(item.open_amount for item in late)) in page
    assert "Claimen" in page


def test_collegas_queue_lists_none_of_woonkrachts_tenants(late_call, collega_client, waardwonen):
    other = late_tenant(waardwonen, "elders@example.nl", due=timezone.localdate() - timedelta(days=3))
    arrears.arrears_queue_build()
    page = collega_client.get("/medewerker/belrij/?talen=alle").content.decode()
    assert other.full_name in page
    assert "Sanne" not in page and "612,40" not in page and "huurder@example.nl" not in page
    overview = collega_client.get("/medewerker/belrij/overzicht/").content.decode()
    assert "612,40" not in overview


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/medewerker/belrij/{pk}/"),
        ("post", "/medewerker/belrij/{pk}/claimen/"),
        ("post", "/medewerker/belrij/{pk}/vrijgeven/"),
        ("post", "/medewerker/belrij/{pk}/uitkomst/"),
        ("post", "/medewerker/achterstand/{number}/escalatie/"),
    ],
)
def test_another_corporation_and_tenants_get_404_on_a_call(
    late_call, collega_client, huurder_client, buur_client, method, path
):
    url = path.format(pk=late_call.pk, number=late_call.arrears.case.number)
    data = {"outcome": "not_reached", "esc-kind": "reminder", "esc-on": "2026-12-01"}
    for client in (collega_client, huurder_client, buur_client):
        assert getattr(client, method)(url, data).status_code == 404
    late_call.refresh_from_db()
    assert late_call.state == CallState.OPEN and not EscalationStep.objects.exists()


@pytest.mark.parametrize(
    "path", ["/medewerker/belrij/", "/medewerker/belrij/overzicht/", "/medewerker/belrij/{pk}/"]
)
def test_tenants_get_404_and_anonymous_visitors_the_login(late_call, huurder_client, anoniem, path):
    url = path.format(pk=late_call.pk)
    assert huurder_client.get(url).status_code == 404
    response = anoniem.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_tenant_never_sees_the_arrears_file_or_the_call_notes(late_call, medewerker, huurder_client):
    arrears.call_claim(late_call, medewerker)
    arrears.call_record(
        late_call, medewerker, CallOutcome.REACHED, reason="Gokschulden", follow_up=FollowUp.NONE
    )
    number = late_call.arrears.case.number
    assert huurder_client.get(f"/mijn/aanvragen/{number}/").status_code == 404
    assert number not in huurder_client.get("/mijn/aanvragen/").content.decode()
    assert "Gokschulden" not in huurder_client.get("/mijn/").content.decode()


def test_the_language_filter(late_call, woonkracht, medewerker, medewerker_client):
    turkish = late_tenant(
        woonkracht,
        "turks@example.nl",
        language="tr",
        first_name="Mehmet",
        surname="Kaya",
        due=timezone.localdate() - timedelta(days=5),
    )
    polish = late_tenant(
        woonkracht,
        "pools@example.nl",
        language="pl",
        first_name="Agnieszka",
        surname="Nowak",
        due=timezone.localdate() - timedelta(days=5),
    )
    arrears.arrears_queue_build()
    turkish_colleague = make_staff("ayse@example.nl", woonkracht)
    turkish_colleague.spoken_languages = ["nl", "tr"]
    turkish_colleague.save()

    # medewerker speaks only Dutch: the Turkish tenant is for Ayşe; nobody speaks Polish.
    page = medewerker_client.get("/medewerker/belrij/").content.decode()
    assert "Sanne de Vries" in page and polish.full_name in page and turkish.full_name not in page
    page = medewerker_client.get("/medewerker/belrij/?talen=alle").content.decode()
    assert turkish.full_name in page

    response = medewerker_client.post("/medewerker/belrij/talen/", {"spoken_languages": ["tr", "nl"]})
    assert response.status_code == 302
    medewerker.refresh_from_db()
    assert medewerker.spoken_languages == ["nl", "tr"]
    page = medewerker_client.get("/medewerker/belrij/").content.decode()
    assert turkish.full_name in page and "Mijn talen (Nederlands, Turks)" in page


def test_queue_order_on_the_page(late_call, huurder, woonkracht, medewerker_client):
    today = timezone.localdate()
    sanne_since = OpenItem.objects.filter(tenant=huurder, due_date__lt=today).order_by("due_date")[0].due_date
    late_tenant(
        woonkracht,
        "eerst@example.nl",
        first_name="Eerst",
        surname="Langst",
        amount="10.00",
        due=sanne_since - timedelta(days=1),
    )
    # As many days late as Sanne, with more to pay.
    late_tenant(
        woonkracht,
        "groot@example.nl",
        first_name="Groot",
        surname="Bedrag",
        amount="5000.00",
        due=sanne_since,
    )
    late_tenant(
        woonkracht,
        "kort@example.nl",
        first_name="Kort",
        surname="Laat",
        amount="9000.00",
        due=today - timedelta(days=1),
    )
    arrears.arrears_queue_build()
    page = medewerker_client.get("/medewerker/belrij/").content.decode()
    names = ["Eerst Langst", "Groot Bedrag", "Sanne de Vries", "Kort Laat"]
    assert sorted(names, key=page.index) == names


def test_claim_and_record_through_the_pages(late_call, medewerker_client, medewerker):
    response = medewerker_client.post(f"/medewerker/belrij/{late_call.pk}/claimen/")
    assert response.status_code == 302 and response["Location"] == f"/medewerker/belrij/{late_call.pk}/"
    page = medewerker_client.get(response["Location"]).content.decode()
    assert "Uitkomst opslaan" in page and "F-9" in page

    response = medewerker_client.post(
        f"/medewerker/belrij/{late_call.pk}/uitkomst/", {"outcome": "reached", "follow_up": "promise"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Schrijf op waarom de huur niet is betaald." in page
    assert "Vul in op welke datum de huurder betaalt." in page

    promised = timezone.localdate() + timedelta(days=7)
    response = medewerker_client.post(
        f"/medewerker/belrij/{late_call.pk}/uitkomst/",
        {
            "outcome": "reached",
            "reason": "Vergeten",
            "follow_up": "promise",
            "promised_on": promised.isoformat(),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "is opgeslagen" in page and "Afgerond" in page and "Vergeten" in page
    late_call.refresh_from_db()
    assert late_call.state == CallState.DONE and late_call.promised_on == promised


def test_a_colleagues_claim_shows_on_the_pages(late_call, woonkracht, medewerker_client):
    other = make_staff("tweede@example.nl", woonkracht)
    arrears.call_claim(late_call, other)
    page = medewerker_client.get("/medewerker/belrij/").content.decode()
    assert f"{other.full_name} belt" in page
    response = medewerker_client.post(f"/medewerker/belrij/{late_call.pk}/claimen/", follow=True)
    assert "belt deze huurder al" in response.content.decode()
    response = medewerker_client.post(
        f"/medewerker/belrij/{late_call.pk}/uitkomst/", {"outcome": "not_reached"}, follow=True
    )
    assert "Claim het gesprek eerst" in response.content.decode()


def test_the_escalation_form_refuses_an_eviction_without_the_household(late_call, medewerker_client):
    url = f"/medewerker/achterstand/{late_call.arrears.case.number}/escalatie/"
    response = medewerker_client.post(url, {"esc-kind": "eviction", "esc-on": "2027-03-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "hoeveel kinderen" in page and "centraal meldpunt opvang de ontruiming" in page
    response = medewerker_client.post(
        url,
        {
            "esc-kind": "eviction",
            "esc-on": "2027-03-01",
            "esc-children": "1",
            "esc-shelter_contact": "CMO Almelo, J. Smit",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "is vastgelegd" in page and "Gezin met kinderen" in page
    assert EscalationStep.objects.get().kind == EscalationKind.EVICTION


def test_the_overview_page(late_call, medewerker_client):
    page = medewerker_client.get("/medewerker/belrij/overzicht/").content.decode()
    assert "Open gesprekken" in page and "Totaal te laat" in page


def test_the_admin_start_page_links_to_the_queue(medewerker_client):
    assert "/medewerker/belrij/" in medewerker_client.get("/beheer/").content.decode()


def test_staff_set_a_tenants_call_language_in_the_admin(huurder, medewerker_client):
    page = medewerker_client.get(f"/beheer/portal/user/{huurder.pk}/change/").content.decode()
    assert 'name="preferred_language"' in page and "Marokkaans-Arabisch" in page


def test_arrears_admin_pages_open(late_call, beheer):
    from conftest import client_for

    client = client_for(beheer)
    file = ArrearsFile.objects.get()
    for url in (
        "/beheer/payments/arrearsfile/",
        f"/beheer/payments/arrearsfile/{file.pk}/change/",
        "/beheer/payments/calltask/",
        f"/beheer/payments/calltask/{late_call.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url


# =============================================================================
# A fixed number of queries
# =============================================================================


def many_late(corporation, n, start=0):
    today = timezone.localdate()
    for i in range(start, start + n):
        late_tenant(
            corporation,
            f"laat{i}@example.nl",
            language=["nl", "tr", "ary", "pl"][i % 4],
            amount=f"{100 + i}.00",
            due=today - timedelta(days=3 + i),
        )
    arrears.arrears_queue_build()


def test_the_queue_page_needs_the_same_queries_for_many_calls(
    medewerker, woonkracht, medewerker_client, django_assert_max_num_queries
):
    many_late(woonkracht, 2)
    with django_assert_max_num_queries(20) as few:
        assert medewerker_client.get("/medewerker/belrij/?talen=alle").status_code == 200
    many_late(woonkracht, 40, start=2)
    for call in CallTask.objects.all()[:10]:
        arrears.call_claim(call, medewerker)
        arrears.call_record(call, medewerker, CallOutcome.NOT_REACHED)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = medewerker_client.get("/medewerker/belrij/?talen=alle")
    assert response.status_code == 200 and response.content.decode().count("Claimen") >= 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_call_page_needs_the_same_queries_for_a_long_history(
    late_call, medewerker, medewerker_client, django_assert_max_num_queries
):
    url = f"/medewerker/belrij/{late_call.pk}/"
    with django_assert_max_num_queries(25) as few:
        assert medewerker_client.get(url).status_code == 200
    for n in range(15):
        call = CallTask.objects.get(arrears=late_call.arrears, state=CallState.OPEN)
        arrears.call_claim(call, medewerker)
        arrears.call_record(call, medewerker, CallOutcome.NOT_REACHED)
        arrears.escalation_record(
            late_call.arrears, EscalationKind.REMINDER, date(2026, 12, 1 + n), "", medewerker
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert medewerker_client.get(url).status_code == 200


def test_the_overview_needs_the_same_queries_for_much_data(
    woonkracht, medewerker, medewerker_client, django_assert_max_num_queries
):
    many_late(woonkracht, 2)
    with django_assert_max_num_queries(20) as few:
        assert medewerker_client.get("/medewerker/belrij/overzicht/").status_code == 200
    many_late(woonkracht, 20, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert medewerker_client.get("/medewerker/belrij/overzicht/").status_code == 200


# =============================================================================
# Demo
# =============================================================================


def test_the_demo_loads_twice_with_the_same_queue(db):
    from payments import demo_arrears
    from portal.management.commands.demo import load_demo_data
    from portal.models import User

    load_demo_data()
    demo_arrears.load()
    counts = (Case.objects.count(), CallTask.objects.count(), OpenItem.objects.count())
    load_demo_data()
    demo_arrears.load()
    assert (Case.objects.count(), CallTask.objects.count(), OpenItem.objects.count()) == counts

    medewerker = User.objects.get(email="medewerker@example.nl")
    assert medewerker.spoken_languages == ["nl", "tr"]
    queue = arrears.call_queue(medewerker, timezone.localdate())
    languages = {row.call.tenant.preferred_language for row in queue.rows}
    assert {"tr", "ary", "nl"} <= languages
    assert all(row.call.corporation.slug == "woonkracht" for row in queue.rows)
    collega = User.objects.get(email="collega@example.nl")
    assert [
        row.call.tenant.preferred_language for row in arrears.call_queue(collega, timezone.localdate()).rows
    ] == ["pl"]
