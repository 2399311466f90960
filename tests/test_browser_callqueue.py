"""The call queue in a real browser.

medewerker@example.nl logs in, opens the call queue, claims huurder's call
and records "Gesproken" with a promise to pay on a date; the call page then
shows the call done. The queue, a call, a form with errors and the team
overview pass axe and do not scroll sideways on a 320 px phone screen.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from payments import arrears
from payments.models import CallOutcome, CallState, CallTask, FollowUp, OpenItem
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def late_call(huurder, woonkracht, medewerker):
    """huurder's call in today's queue, whatever today is; medewerker calls in Dutch and Turkish."""
    medewerker.spoken_languages = ["nl", "tr"]
    medewerker.save()
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


def staff_log_in(page, site, next_path):
    page.goto(f"{site}/beheer/login/?next={next_path}")
    page.locator("#id_username").fill("medewerker@example.nl")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit], button[type=submit]").first.click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def test_medewerker_claims_a_call_and_records_a_promise(site, page, late_call):
    staff_log_in(page, site, "/medewerker/belrij/")
    queue = page.locator("main").inner_text()
    assert "Sanne de Vries" in queue and "Mijn talen (Nederlands, Turks)" in queue

    page.get_by_role("button", name="Claimen Sanne de Vries").click()
    page.wait_for_url(f"{site}/medewerker/belrij/{late_call.pk}/")
    assert "U belt nu Sanne de Vries" in page.locator(".flash-list").inner_text()

    promised = timezone.localdate() + timedelta(days=7)
    page.get_by_label("Gesproken", exact=True).check()
    page.get_by_label("Waarom is de huur niet betaald?").fill("Het salaris kwam later dan anders.")
    page.get_by_label("Betaalt op een afgesproken datum").check()
    page.get_by_label("Betaalt op", exact=True).fill(promised.isoformat())
    page.get_by_role("button", name="Uitkomst opslaan").click()
    page.wait_for_url(f"{site}/medewerker/belrij/{late_call.pk}/")

    assert "is opgeslagen" in page.locator(".flash-list").inner_text()
    call_section = page.locator("section", has=page.get_by_role("heading", name="Het gesprek")).inner_text()
    assert "Gesproken" in call_section and "Betaalt op een afgesproken datum" in call_section
    assert page.locator(".state").first.inner_text() == "Afgerond"
    assert page.get_by_role("button", name="Uitkomst opslaan").count() == 0
    late_call.refresh_from_db()
    assert (late_call.state, late_call.outcome, late_call.follow_up, late_call.promised_on) == (
        CallState.DONE,
        CallOutcome.REACHED,
        FollowUp.PROMISE,
        promised,
    )

    # Back in the queue: nobody left to call.
    page.goto(f"{site}/medewerker/belrij/")
    assert "Sanne de Vries" not in page.locator("main").inner_text()


def test_the_call_queue_pages_pass_axe_and_fit_a_phone(site, browser, late_call):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    phone = context.new_page()
    problems = {}

    def check(label):
        # A wide table may scroll inside its own box; the page may not.
        found = violations(phone)
        if not phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            found.append("page scrolls sideways at 320 px")
        if found:
            problems[label] = found

    staff_log_in(phone, site, "/medewerker/belrij/")
    check("belrij")
    phone.get_by_role("button", name="Claimen Sanne de Vries").click()
    phone.wait_for_url(f"{site}/medewerker/belrij/{late_call.pk}/")
    check("gesprek, geclaimd")
    phone.get_by_label("Gesproken", exact=True).check()
    phone.get_by_role("button", name="Uitkomst opslaan").click()
    phone.wait_for_selector(".error-summary")
    check("gesprek, uitkomst met fouten")
    phone.locator("#id_esc-kind").select_option("eviction")
    phone.get_by_role("button", name="Stap vastleggen").click()
    phone.wait_for_selector(".error-summary")
    assert "centraal meldpunt opvang" in phone.locator(".error-summary").inner_text()
    check("gesprek, ontruiming zonder huishouden")
    phone.goto(f"{site}/medewerker/belrij/overzicht/")
    check("overzicht")
    context.close()
    assert problems == {}
