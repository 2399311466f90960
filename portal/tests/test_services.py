"""The case engine and personal-data services."""

from datetime import UTC, datetime

import pytest
from allauth.account.models import EmailAddress

from portal import services
from portal.cases import Actor, CaseState
from portal.errors import DomainError
from portal.models import Case, CaseEvent, Message


@pytest.fixture
def thursday_before_easter(monkeypatch):
    """Thursday 2 April 2026, 10:00 in Amsterdam."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2026, 4, 2, 8, 0, tzinfo=UTC))


def test_it_opens_a_case_with_the_promised_date(huurder, woonkracht, thursday_before_easter):
    """Two working days from the Thursday before Easter: Wednesday 8 April."""
    case = services.data_change_request(
        tenant=huurder, corporation=woonkracht, submitted={"surname": "Jansen"}, explanation=""
    )
    assert (case.state, case.step, str(case.expected_on)) == (CaseState.SUBMITTED, 1, "2026-04-08")


def test_it_numbers_cases_by_year_and_id(data_change_case):
    assert data_change_case.number == f"Z{data_change_case.created_at:%Y}-{data_change_case.pk:06d}"


def test_it_tells_the_tenant_the_request_came_in(
    huurder, woonkracht, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = services.data_change_request(
            tenant=huurder, corporation=woonkracht, submitted={"surname": "Jansen"}, explanation=""
        )
    assert Message.objects.filter(person=huurder, case=case, to_staff=False).count() == 1
    assert mailoutbox[0].to == ["huurder@example.nl"]
    assert case.number in mailoutbox[0].body


def test_it_refuses_a_second_open_change_request(data_change_case, huurder, woonkracht):
    with pytest.raises(DomainError, match="al een aanvraag"):
        services.data_change_request(
            tenant=huurder, corporation=woonkracht, submitted={"civil_status": "married"}, explanation=""
        )


def test_it_refuses_a_request_that_changes_nothing(huurder, woonkracht):
    with pytest.raises(DomainError, match="niets gewijzigd"):
        services.data_change_request(
            tenant=huurder, corporation=woonkracht, submitted={"surname": "Vries"}, explanation=""
        )


def test_completing_a_data_change_applies_it(data_change_case, medewerker, huurder):
    services.case_transition(case=data_change_case, name="complete", actor=medewerker, role=Actor.STAFF)
    huurder.refresh_from_db()
    assert huurder.surname == "Jansen"
    assert data_change_case.data_change.previous["surname"] == "Vries"


def test_a_rejected_data_change_changes_nothing(data_change_case, medewerker, huurder):
    services.case_transition(
        case=data_change_case, name="reject", actor=medewerker, role=Actor.STAFF, note="Stuur eerst de akte."
    )
    huurder.refresh_from_db()
    assert huurder.surname == "Vries"


def test_a_transition_writes_an_event_and_tells_the_tenant(data_change_case, medewerker, huurder):
    services.case_transition(case=data_change_case, name="start", actor=medewerker, role=Actor.STAFF)
    event = CaseEvent.objects.get(case=data_change_case, action="start")
    assert (event.actor, event.from_state, event.to_state) == (medewerker, "submitted", "in_progress")
    assert huurder.messages.filter(case=data_change_case, subject__contains="in behandeling").exists()


def test_staff_taking_a_case_become_its_handler(data_change_case, medewerker):
    case = services.case_transition(case=data_change_case, name="start", actor=medewerker, role=Actor.STAFF)
    assert case.assigned_to == medewerker


def test_it_refuses_a_transition_from_the_wrong_state(data_change_case, medewerker):
    services.case_transition(case=data_change_case, name="complete", actor=medewerker, role=Actor.STAFF)
    with pytest.raises(DomainError, match="niet mogelijk"):
        services.case_transition(case=data_change_case, name="start", actor=medewerker, role=Actor.STAFF)
    assert Case.objects.get(pk=data_change_case.pk).state == CaseState.COMPLETED


def test_it_refuses_a_tenant_handling_their_own_case(data_change_case, huurder):
    with pytest.raises(DomainError):
        services.case_transition(case=data_change_case, name="complete", actor=huurder, role=Actor.TENANT)


def test_a_rejection_needs_a_note(data_change_case, medewerker):
    with pytest.raises(DomainError, match="toelichting"):
        services.case_transition(case=data_change_case, name="reject", actor=medewerker, role=Actor.STAFF)


def test_a_tenant_reply_sends_a_waiting_case_back_to_staff(data_change_case, medewerker, huurder):
    services.case_transition(
        case=data_change_case, name="ask", actor=medewerker, role=Actor.STAFF, note="Wanneer trouwde u?"
    )
    services.message_from_tenant(case=data_change_case, tenant=huurder, body="Op 12 mei.")
    data_change_case.refresh_from_db()
    assert data_change_case.state == CaseState.IN_PROGRESS
    assert data_change_case.messages.filter(to_staff=True, body="Op 12 mei.").exists()


def test_feedback_closes_the_case(data_change_case, medewerker, huurder):
    services.case_transition(case=data_change_case, name="complete", actor=medewerker, role=Actor.STAFF)
    services.case_feedback_give(case=data_change_case, tenant=huurder, rating=4, comment="Snel geregeld")
    data_change_case.refresh_from_db()
    assert (data_change_case.state, data_change_case.feedback.rating) == (CaseState.CLOSED, 4)
    assert data_change_case.closed_at is not None


def test_feedback_waits_until_the_case_is_handled(data_change_case, huurder):
    with pytest.raises(DomainError, match="afgehandeld"):
        services.case_feedback_give(case=data_change_case, tenant=huurder, rating=4)


def test_a_tenant_can_withdraw_a_request_not_yet_taken(data_change_case, huurder):
    case = services.case_transition(case=data_change_case, name="withdraw", actor=huurder, role=Actor.TENANT)
    assert case.state == CaseState.WITHDRAWN


def test_phone_numbers_change_at_once(huurder):
    result = services.contact_details_update(
        user=huurder, phone_private="06 99887766", phone_work="", phone_mobile="", email="huurder@example.nl"
    )
    huurder.refresh_from_db()
    assert (result.changed, result.email_change) == (["phone_private"], None)
    assert huurder.phone_private == "06 99887766"


def test_a_new_email_waits_for_its_link(huurder, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.contact_details_update(
            user=huurder,
            phone_private="06 12345678",
            phone_work="",
            phone_mobile="",
            email="Nieuw@Example.nl",
        )
    huurder.refresh_from_db()
    assert (huurder.email, result.email_change.email) == ("huurder@example.nl", "nieuw@example.nl")
    assert mailoutbox[0].to == ["nieuw@example.nl"]
    user = services.email_change_confirm(token=services.email_change_token(result.email_change))
    assert user.email == "nieuw@example.nl"
    assert EmailAddress.objects.get(user=huurder).email == "nieuw@example.nl"
