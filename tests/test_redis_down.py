"""With Redis down (REDIS_URL at a port where nothing listens) every page still answers.

The settings are built by the project's own settings module from that
environment (cache and Celery alike), as a deployment would get them; the
rest of the suite runs on the defaults.
"""

import pytest

from conftest import PASSWORD, settings_for
from portal.cases import CaseState
from portal.models import OutboxJob
from repairs.models import RepairRequest
from repairs.tests.test_views import DETAILS, first_block, walk_to_details


@pytest.fixture
def redis_down(closed_port, settings, celery_settings):
    url = f"redis://127.0.0.1:{closed_port}/0"
    project = settings_for(REDIS_URL=url)
    settings.CACHES = project.CACHES
    celery_settings(project)
    return url


def test_login_with_the_right_password_works(redis_down, anoniem, huurder):
    response = anoniem.post("/accounts/login/", {"login": huurder.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/mijn/"


def test_login_with_a_wrong_password_says_so(redis_down, anoniem, huurder):
    response = anoniem.post("/accounts/login/", {"login": huurder.email, "password": "fout"})
    assert response.status_code == 200 and "klopt niet" in response.text


def test_wrong_passwords_are_still_limited(redis_down, anoniem, huurder):
    """The rate limit falls back to the database: it still counts."""
    for _ in range(5):
        anoniem.post("/accounts/login/", {"login": huurder.email, "password": "fout"})
    response = anoniem.post("/accounts/login/", {"login": huurder.email, "password": PASSWORD})
    assert response.status_code == 200 and "te vaak" in response.text


def test_a_password_reset_is_sent_later(redis_down, anoniem, huurder):
    response = anoniem.post("/accounts/password/reset/", {"email": huurder.email})
    assert response.status_code == 302
    assert OutboxJob.objects.get().state == OutboxJob.State.PENDING


def test_the_address_lookup_works(redis_down, anoniem, huurder):
    response = anoniem.post("/reparatie/", {"postcode": "7601 AB", "house_number": "12"})
    assert response.status_code == 302 and response["Location"] == "/reparatie/soort/"


# Transactional: what runs after the commit runs inside the request, as in production.
@pytest.mark.django_db(transaction=True)
def test_a_repair_report_answers_once_saved(
    redis_down, anoniem, huurder, repair_catalogue, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    walk_to_details(anoniem, repair_catalogue)
    anoniem.post("/reparatie/toelichting/", DETAILS)
    anoniem.post("/reparatie/afspraak/", {"block": first_block(anoniem.get("/reparatie/afspraak/"))})
    response = anoniem.post("/reparatie/versturen/")
    assert response.status_code == 302 and response["Location"] == "/reparatie/ontvangen/"
    repair = RepairRequest.objects.get()
    # Its confirmation waits for the broker, with the reason.
    job = OutboxJob.objects.get(summary__contains=repair.number)
    assert job.state == OutboxJob.State.PENDING and "Connection refused" in job.last_error


@pytest.mark.django_db(transaction=True)
def test_a_staff_case_step_answers_once_committed(data_change_case, medewerker_client, redis_down):
    from portal.tests.test_admin import save_case

    response = save_case(medewerker_client, data_change_case, transition="complete", note="Aangepast.")
    assert response.status_code == 302
    data_change_case.refresh_from_db()
    assert data_change_case.state == CaseState.COMPLETED
    job = OutboxJob.objects.get(summary__contains="afgehandeld")
    assert job.state == OutboxJob.State.PENDING and "Connection refused" in job.last_error
