"""Paying open invoices in a real browser, with the demo bank (no Mollie key).

huurder@example.nl sees her open balance of € 125,31 on the dashboard, pays
both invoices with iDEAL on the demo bank page, is told it worked and that
bank processing takes time, and the dashboard no longer shows a balance.
Every page of the way passes axe and fits a 320 px wide phone.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from payments.models import Payment, PaymentStatus
from portal.selectors import open_balance
from tests.conftest import log_in

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(autouse=True)
def _demo_provider(settings):
    settings.MOLLIE_API_KEY = ""


def problems_on(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    found = [f"{v['id']}: {v['help']}" for v in results.response["violations"]]
    if not page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth && "
        "[...document.querySelectorAll('.table-scroll')].every(e => e.scrollWidth <= e.clientWidth)"
    ):
        found.append("scrolls sideways at 320 px")
    return found


def test_huurder_pays_her_open_balance_with_ideal(site, page, huurder):
    log_in(page, site, "huurder@example.nl")
    notice = page.locator(".notice--balance")
    assert "€\xa0125,31" in notice.inner_text()
    notice.get_by_role("link", name="Bekijk en betaal").click()
    page.wait_for_url(f"{site}/mijn/betalen/")
    assert page.get_by_label("Afrekening servicekosten").is_checked()
    assert page.get_by_label("Huur parkeerplaats").is_checked()
    page.get_by_role("button", name="Betalen met iDEAL").click()

    page.wait_for_url(re.compile(r"/betalen/demo/demo_[0-9a-f]+/$"))
    assert "€\xa0125,31" in page.locator("main").inner_text()
    page.get_by_label("Uw bank").select_option(label="ING")
    page.get_by_role("button", name="Betalen", exact=True).click()

    payment = Payment.objects.get()
    page.wait_for_url(f"{site}/mijn/betalen/{payment.pk}/")
    main = page.locator("main").inner_text()
    assert "Uw betaling is gelukt" in main
    assert "Het kan even duren voordat uw betaling bij ons binnen is" in main
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and open_balance(huurder) == 0

    page.goto(f"{site}/mijn/")
    assert page.locator(".notice--balance").count() == 0
    assert "125,31" not in page.locator("main").inner_text()


def test_the_payment_pages_pass_axe_and_fit_a_phone(site, browser, huurder):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    phone = context.new_page()
    problems = {}
    log_in(phone, site, "huurder@example.nl")
    phone.goto(f"{site}/mijn/betalen/")
    problems["betalen"] = problems_on(phone)

    phone.get_by_label("Afrekening servicekosten").uncheck()
    phone.get_by_label("Huur parkeerplaats").uncheck()
    phone.get_by_role("button", name="Betalen met iDEAL").click()
    phone.wait_for_selector(".error-summary")
    assert phone.evaluate("document.activeElement.classList.contains('error-summary')")
    problems["betalen, niets gekozen"] = problems_on(phone)

    phone.get_by_label("Huur parkeerplaats").check()
    phone.get_by_role("button", name="Betalen met iDEAL").click()
    phone.wait_for_url(re.compile(r"/betalen/demo/"))
    problems["bank"] = problems_on(phone)
    phone.get_by_role("button", name="Betalen", exact=True).click()
    phone.wait_for_selector(".error-summary")
    problems["bank, geen bank gekozen"] = problems_on(phone)
    phone.get_by_role("button", name="Annuleren").click()
    phone.wait_for_url(re.compile(r"/mijn/betalen/\d+/$"))
    assert "U heeft de betaling geannuleerd" in phone.locator("main").inner_text()
    problems["geannuleerd"] = problems_on(phone)

    phone.get_by_role("link", name="Opnieuw betalen").click()
    phone.get_by_role("button", name="Betalen met iDEAL").click()
    phone.wait_for_url(re.compile(r"/betalen/demo/"))
    phone.get_by_label("Uw bank").select_option(label="Rabobank")
    phone.get_by_role("button", name="Betalen", exact=True).click()
    phone.wait_for_url(re.compile(r"/mijn/betalen/\d+/$"))
    problems["gelukt"] = problems_on(phone)
    phone.goto(f"{site}/mijn/betalen/")
    assert "Betaalde facturen" in phone.locator("main").inner_text()
    problems["betalen, met geschiedenis"] = problems_on(phone)
    context.close()
    assert {page: found for page, found in problems.items() if found} == {}
