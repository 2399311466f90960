"""One form, one thing (portal.once): the mechanism, and the Mijn portal's sends through it."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from conftest import send_key
from portal import once, services
from portal.cases import Actor
from portal.errors import DomainError
from portal.models import Case, CaseFeedback, Corporation, Message, Sent

pytestmark = pytest.mark.django_db


class Maker:
    """create() for the tests: a new corporation each call, or a refusal."""

    def __init__(self):
        self.calls = 0

    def __call__(self, refuse=False):
        self.calls += 1
        if refuse:
            raise DomainError("Nee.")
        return Corporation.objects.create(
            name=f"Corporatie {self.calls}", slug=f"c{self.calls}", phone="0", email="c@example.nl"
        )


def posted(data=None, session=None, files=None):
    request = RequestFactory().post("/formulier/", data or {})
    request.session = session if session is not None else SessionStore()
    if files:
        request.FILES.update(files)
    return request


# --- the mechanism -----------------------------------------------------------------------


def test_a_key_makes_its_thing_once_and_every_repeat_gets_that_thing():
    make, key = Maker(), once.natural_key("test.form", "concept-1")

    results = [once.send(key, make) for _ in range(3)]

    assert make.calls == 1 and len({r.pk for r in results}) == 1
    assert Sent.objects.get().object_id == results[0].pk


def test_without_a_key_each_send_makes_its_own():
    make = Maker()
    assert once.send(None, make) != once.send(None, make)
    assert once.natural_key("test.form", "") is None


def test_a_refused_send_leaves_its_key_free_for_the_corrected_form():
    make, key = Maker(), once.natural_key("test.form", "concept-1")
    with pytest.raises(DomainError):
        once.send(key, lambda: make(refuse=True))
    assert not Sent.objects.exists()

    assert once.send(key, make) == once.send(key, make)
    assert make.calls == 2


def test_an_earlier_result_that_no_longer_answers_is_replaced():
    make, key = Maker(), once.natural_key("test.form", "concept-1")
    first = once.send(key, make)

    second = once.send(key, make, reuse=lambda thing: False)
    third = once.send(key, make, reuse=lambda thing: True)

    assert first != second == third and make.calls == 2
    first.delete()
    second.delete()
    assert once.send(key, make).pk not in (first.pk, second.pk)


def test_earlier_finds_what_a_send_made_without_claiming_anything():
    key = once.natural_key("test.form", "concept-1")
    assert once.earlier(key) is None and once.earlier(None) is None
    made = once.send(key, Maker())
    assert once.earlier(key) == made


def test_the_same_key_from_another_session_is_another_form():
    """A key copied from someone else's page never reaches their result."""
    mine = once.posted_key(posted({"send_key": "abc"}), "test.form")
    same_session = SessionStore()
    first = once.posted_key(posted({"send_key": "abc"}, same_session), "test.form")
    again = once.posted_key(posted({"send_key": "abc"}, same_session), "test.form")

    assert first == again and mine != first
    assert once.posted_key(posted({"send_key": "abc"}, same_session), "test.form", 7) != first
    assert once.posted_key(posted({"send_key": "abc"}, same_session), "other.form") != first


def test_a_form_sent_without_its_key_is_keyed_by_what_it_says():
    session = SessionStore()
    same = [
        once.posted_key(posted({"surname": "Jansen", "csrfmiddlewaretoken": token}, session), "test.form")
        for token in ("one", "two")
    ]
    other = once.posted_key(posted({"surname": "Pietersen"}, session), "test.form")

    assert same[0] == same[1] != other


def test_a_long_or_strange_key_is_hashed_never_stored():
    request = posted({"send_key": "\x00" + "x" * 10_000})
    key = once.posted_key(request, "test.form")
    once.send(key, Maker())
    assert Sent.objects.get().digest == key.digest and len(key.digest) == 64
    assert once.posted_key(posted({"send_key": "\x00" + "x" * 99}, request.session), "test.form") == key


def test_the_session_keeps_its_secret_when_someone_logs_in(huurder):
    request = posted()
    request.user = AnonymousUser()
    secret = once.session_secret(request)

    login(request, huurder, backend="django.contrib.auth.backends.ModelBackend")

    assert request.session[once.SESSION_KEY] == secret


def test_a_request_with_the_cookie_of_a_session_just_replaced_finds_the_same_secret():
    """Two sends that crossed: the first logged in (a new session), the second still
    carries the old cookie, whose session is gone."""
    first = posted()
    secret = once.session_secret(first)
    old_key = first.session.session_key
    first.session.save()
    first.session.cycle_key()

    second = posted(session=SessionStore(session_key=old_key))
    second.COOKIES[settings.SESSION_COOKIE_NAME] = old_key

    assert once.session_secret(second) == secret
    assert once.session_secret(posted()) != secret


def test_sends_are_forgotten_once_the_session_they_came_from_has_expired():
    made = Maker()
    old, recent = once.natural_key("test.form", "oud"), once.natural_key("test.form", "nieuw")
    once.send(old, made)
    lifetime = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Sent.objects.filter(digest=old.digest).update(created_at=timezone.now() - lifetime - timedelta(minutes=1))
    once.send(recent, made)

    assert once.forget() == 1
    assert once.forget() == 0  # run again: nothing more
    assert list(Sent.objects.values_list("digest", flat=True)) == [recent.digest]
    assert once.earlier(recent) is not None
    assert once.forget(now=timezone.now() + lifetime + timedelta(minutes=1)) == 1
    assert not Sent.objects.exists()


def test_forgetting_sends_is_a_daily_job(db):
    from portal.tasks import sends_forget

    once.send(once.natural_key("test.form", "oud"), Maker())
    Sent.objects.update(created_at=timezone.now() - timedelta(days=15))
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert sends_forget.name in schedule
    assert sends_forget.delay().get() == 1 and not Sent.objects.exists()


# --- the Mijn portal's sends --------------------------------------------------------------

CHANGE = "/mijn/gegevens/wijzigen/"


def test_the_data_change_form_sent_twice_opens_one_case(huurder_client):
    data = {"surname": "Jansen", "explanation": "Getrouwd", **send_key(huurder_client.get(CHANGE))}

    first = huurder_client.post(CHANGE, data)
    again = huurder_client.post(CHANGE, data)

    case = Case.objects.get()
    assert first["Location"] == again["Location"] == case.get_absolute_url()


def test_another_data_change_form_while_one_is_open_is_still_refused(huurder_client):
    huurder_client.post(CHANGE, {"surname": "Jansen", **send_key(huurder_client.get(CHANGE))})

    other = huurder_client.post(CHANGE, {"surname": "Jansen", **send_key(huurder_client.get(CHANGE))})

    assert other.status_code == 200 and "U heeft al een aanvraag" in other.text
    assert Case.objects.count() == 1


def test_a_message_on_a_case_sent_twice_is_sent_once(huurder_client, data_change_case):
    url = data_change_case.get_absolute_url()
    data = {"body": "Hier is de akte.", **send_key(huurder_client.get(url))}

    answers = [huurder_client.post(f"{url}bericht/", data)["Location"] for _ in range(2)]

    assert answers == [url] * 2
    assert Message.objects.filter(to_staff=True, body="Hier is de akte.").count() == 1


def test_an_opinion_sent_twice_is_given_once_and_thanked_twice(huurder_client, data_change_case, medewerker):
    services.case_transition(case=data_change_case, name="complete", actor=medewerker, role=Actor.STAFF)
    url = data_change_case.get_absolute_url()
    data = {"rating": "4", "comment": "Snel.", **send_key(huurder_client.get(url))}

    pages = [huurder_client.post(f"{url}mening/", data, follow=True).text for _ in range(2)]

    assert all("Bedankt voor uw mening" in page for page in pages)
    assert CaseFeedback.objects.get().rating == 4
