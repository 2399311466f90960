"""The foundation in a real browser.

Huurder logs in, sees her open balance, changes her phone number, asks for a
surname change and sees the case with its expected date; a staff member of
her corporation handles the case in the admin; the tenant sees the message.
"""

import re

import pytest
from django.utils import translation

from portal.models import Case
from portal.templatetags.portal import long_date
from tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_a_tenant_request_goes_round_trip_through_staff(site, page, browser, huurder, medewerker):
    log_in(page, site, "huurder@example.nl")
    assert "€\xa0125,31" in page.locator(".notice--balance").inner_text()

    page.get_by_role("link", name="Ik wil persoonlijke gegevens wijzigen").click()
    page.get_by_label("Telefoon privé").fill("06-24681357")
    page.get_by_role("button", name="Wijzig").click()
    assert "Uw contactgegevens zijn gewijzigd." in page.locator(".flash-list").inner_text()
    assert page.get_by_label("Telefoon privé").input_value() == "06 24681357"

    page.goto(f"{site}/mijn/")
    page.get_by_role("link", name="Ik wil overige gegevens wijzigen").click()
    page.get_by_label("Nieuwe achternaam").fill("Jansen")
    page.get_by_label("Toelichting").fill("Ik ben getrouwd.")
    page.get_by_role("button", name="Verstuur mijn aanvraag").click()
    page.wait_for_url(re.compile(r"/mijn/aanvragen/Z\d{4}-\d{6}/$"))
    case = Case.objects.get(tenant=huurder)
    with translation.override("nl"):
        promised = long_date(case.expected_on)
    assert (
        f"We verwachten dat deze zaak op {promised} afgerond zal zijn." in page.locator("main").inner_text()
    )

    staff = browser.new_context().new_page()
    staff.goto(f"{site}/beheer/login/?next=/beheer/portal/case/{case.pk}/change/")
    staff.locator("#id_username").fill("medewerker@example.nl")
    staff.locator("#id_password").fill("correct-horse-battery")
    staff.locator("input[type=submit], button[type=submit]").first.click()
    staff.wait_for_url(re.compile(rf"/beheer/portal/case/{case.pk}/change/"))
    staff.locator("#id_transition").select_option(label="Afhandelen (toekennen)")
    staff.locator("#id_note").fill("Uw achternaam is aangepast.")
    staff.locator("input[name=_save], button[name=_save]").first.click()
    staff.wait_for_url(re.compile(r"/beheer/portal/case/$"))

    page.goto(f"{site}/mijn/")
    page.get_by_role("link", name=re.compile(rf"Uw aanvraag {case.number}: afgehandeld")).click()
    assert "Uw achternaam is aangepast." in page.locator("main").inner_text()
    page.goto(f"{site}/mijn/gegevens/")
    assert "Jansen" in page.locator("main").inner_text()
