"""The case state machine: which transitions are allowed, for whom."""

from datetime import date

import pytest

from portal.cases import (
    TRANSITIONS,
    Actor,
    CaseState,
    allowed_transitions,
    can_transition,
    is_overdue,
    step_for_state,
)

S = CaseState


@pytest.mark.parametrize(
    ("state", "name", "actor"),
    [
        (S.SUBMITTED, "start", Actor.STAFF),
        (S.SUBMITTED, "complete", Actor.STAFF),
        (S.IN_PROGRESS, "complete", Actor.STAFF),
        (S.IN_PROGRESS, "ask", Actor.STAFF),
        (S.WAITING, "resume", Actor.TENANT),
        (S.WAITING, "reject", Actor.STAFF),
        (S.SUBMITTED, "withdraw", Actor.TENANT),
        (S.COMPLETED, "close", Actor.TENANT),
        (S.REJECTED, "close", Actor.STAFF),
    ],
)
def test_it_allows_the_transitions_of_the_engine(state, name, actor):
    assert can_transition(state, name, actor)


@pytest.mark.parametrize(
    ("state", "name", "actor"),
    [
        (S.SUBMITTED, "start", Actor.TENANT),  # a tenant cannot handle their own case
        (S.SUBMITTED, "complete", Actor.TENANT),
        (S.IN_PROGRESS, "withdraw", Actor.TENANT),  # staff are already working on it
        (S.COMPLETED, "start", Actor.STAFF),  # a finished case does not reopen
        (S.CLOSED, "close", Actor.STAFF),
        (S.WITHDRAWN, "start", Actor.STAFF),
        (S.WAITING, "complete", Actor.STAFF),  # first hear the tenant
        (S.SUBMITTED, "no-such-step", Actor.STAFF),
    ],
)
def test_it_refuses_other_transitions(state, name, actor):
    assert not can_transition(state, name, actor)


def test_it_lists_only_the_steps_staff_may_take_now():
    names = {t.name for t in allowed_transitions(S.SUBMITTED, Actor.STAFF)}
    assert names == {"start", "ask", "complete", "reject"}


def test_a_rejection_and_a_question_need_a_note():
    assert TRANSITIONS["reject"].note_required
    assert TRANSITIONS["ask"].note_required
    assert not TRANSITIONS["complete"].note_required


def test_it_numbers_the_steps_request_handling_opinion():
    """Seed 000: "1 Uw verzoek, 2 Uw wijziging, 3 Uw mening"."""
    assert step_for_state(S.SUBMITTED) == 1
    assert step_for_state(S.IN_PROGRESS) == 2
    assert step_for_state(S.WAITING) == 2
    assert step_for_state(S.COMPLETED) == 3


def test_an_open_case_past_its_date_is_overdue():
    assert is_overdue(S.IN_PROGRESS, date(2026, 11, 20), today=date(2026, 11, 23))
    assert not is_overdue(S.IN_PROGRESS, date(2026, 11, 23), today=date(2026, 11, 23))
    assert not is_overdue(S.COMPLETED, date(2026, 11, 20), today=date(2026, 11, 23))
