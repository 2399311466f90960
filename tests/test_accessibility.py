"""WCAG 2.2 AA checks in a real browser: axe-core on every portal page,
a 320 px wide phone screen without sideways scrolling, and the keyboard.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from portal.models import Message
from tests.conftest import log_in

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}

PUBLIC = ["/", "/ik-huur/", "/ik-zoek/", "/over-ons/", "/accounts/login/", "/accounts/password/reset/"]
MIJN = [
    "/mijn/",
    "/mijn/gegevens/",
    "/mijn/gegevens/wijzigen/",
    "/mijn/gegevens/e-mail/{email_token}/",
    "/mijn/gegevens/e-mail/verlopen/",
    "/mijn/aanvragen/",
    "/mijn/aanvragen/{case}/",
    "/mijn/berichten/",
    "/mijn/berichten/{message}/",
    "/mijn/woning/",
    "/mijn/betalen/",
    "/mijn/betalingsregeling/",
    "/mijn/reparaties/",
    "/mijn/inloggegevens/",
    "/accounts/password/change/",
]


def violations(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def fits_the_screen(page) -> bool:
    """Nothing scrolls sideways: not the page, and no table within its box."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth && "
        "[...document.querySelectorAll('.table-scroll')].every(e => e.scrollWidth <= e.clientWidth)"
    )


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    yield context.new_page()
    context.close()


@pytest.fixture
def objects(huurder, data_change_case):
    from portal.services import email_change_request, email_change_token

    message = Message.objects.create(person=huurder, subject="Onderhoud lift", body="Op maandag.")
    # A new address waiting for its link: Mijn gegevens says so, the link asks to confirm.
    change = email_change_request(user=huurder, email="sanne@example.nl")
    return {"case": data_change_case.number, "message": message.pk, "email_token": email_change_token(change)}


def test_public_pages_pass_axe_and_fit_a_phone(site, phone):
    problems = {}
    for path in PUBLIC:
        phone.goto(site + path)
        found = violations(phone) + ([] if fits_the_screen(phone) else ["scrolls sideways at 320 px"])
        if found:
            problems[path] = found
    assert problems == {}


def test_mijn_pages_pass_axe_and_fit_a_phone(site, phone, objects):
    log_in(phone, site, "huurder@example.nl")
    problems = {}
    for path in MIJN:
        phone.goto(site + path.format(**objects))
        found = violations(phone) + ([] if fits_the_screen(phone) else ["scrolls sideways at 320 px"])
        if found:
            problems[path] = found
    assert problems == {}


def test_a_form_with_errors_passes_axe_and_focuses_the_summary(site, page, huurder):
    log_in(page, site, "huurder@example.nl")
    page.goto(f"{site}/mijn/gegevens/")
    page.get_by_label("Telefoon privé").fill("12")
    page.get_by_role("button", name="Wijzig").click()
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert violations(page) == []


def test_the_first_tab_reaches_the_skip_link(site, page, db):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_a_tenant_can_log_in_and_reach_a_tile_by_keyboard_alone(site, page, huurder):
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("E-mail").focus()
    page.keyboard.type("huurder@example.nl")
    page.keyboard.press("Tab")
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/mijn/")
    for _ in range(60):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.activeElement.textContent.trim()")
            == "Ik wil gegevens van mijn woning inzien"
        ):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/mijn/woning/")


# --- repairs ---------------------------------------------------------------------


def check(page, problems, label):
    found = violations(page) + ([] if fits_the_screen(page) else ["scrolls sideways at 320 px"])
    if found:
        problems[label] = found


def test_every_step_of_the_repair_report_passes_axe_and_fits_a_phone(
    site, phone, huurder, repair_catalogue, settings, tmp_path
):
    """The public flow step by step, on a phone, including a step with errors and the calendar."""
    settings.MEDIA_ROOT = tmp_path
    problems = {}
    phone.goto(f"{site}/reparatie/")
    check(phone, problems, "adres")
    phone.get_by_label("Postcode").fill("7601 AB")
    phone.get_by_label("Huisnummer").fill("12")
    phone.get_by_role("button", name="Volgende").click()
    phone.wait_for_url(f"{site}/reparatie/soort/")
    check(phone, problems, "soort")
    phone.goto(f"{site}/reparatie/soort/?alle=1&q=radiator")
    check(phone, problems, "soort, zoeken en andere")
    phone.get_by_role("button", name="Gas").first.click()
    check(phone, problems, "spoed")
    phone.goto(f"{site}/reparatie/soort/")
    phone.get_by_role("button", name="CV/Verwarming").click()
    check(phone, problems, "vragen")
    phone.get_by_label("Woonkamer").check()
    phone.get_by_label("Ketel geeft storing").check()
    phone.get_by_role("button", name="Volgende").click()
    check(phone, problems, "toelichting")
    phone.get_by_role("button", name="Volgende").click()
    phone.wait_for_selector(".error-summary")
    check(phone, problems, "toelichting met fouten")
    phone.get_by_label("Welke foutcode staat op het display van de ketel?").fill("F28")
    phone.get_by_label("Uw naam").fill("Piet")
    phone.get_by_label("Uw telefoonnummer").fill("06 12345678")
    phone.get_by_label("Uw e-mailadres").fill("piet@example.nl")
    phone.get_by_role("button", name="Volgende").click()
    phone.wait_for_url(f"{site}/reparatie/afspraak/")
    phone.locator(".calendar-box summary").click()
    check(phone, problems, "afspraak met kalender")
    phone.locator(".calendar a[href*='dag=']").first.click()
    check(phone, problems, "afspraak, dag gekozen")
    phone.locator(".block-list input[type=radio]").first.check()
    phone.get_by_role("button", name="Volgende").click()
    check(phone, problems, "versturen")
    phone.get_by_role("button", name="Verstuur reparatieverzoek").click()
    phone.wait_for_url(f"{site}/reparatie/ontvangen/")
    check(phone, problems, "ontvangen")
    assert problems == {}


def test_mijn_reparaties_and_the_staff_planning_pass_axe_and_fit_a_phone(
    site, phone, browser, huurder_repair, medewerker
):
    problems = {}
    log_in(phone, site, "huurder@example.nl")
    for path in [
        "/mijn/reparaties/",
        f"/mijn/reparaties/{huurder_repair.number}/",
        f"/mijn/reparaties/{huurder_repair.number}/verzetten/",
        "/mijn/reparaties/nieuw/",
    ]:
        phone.goto(site + path)
        check(phone, problems, path)

    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    staff = context.new_page()
    log_in_staff = (
        f"{site}/beheer/login/?next=/medewerker/planning/?datum={huurder_repair.slot.date:%Y-%m-%d}"
    )
    staff.goto(log_in_staff)
    staff.locator("#id_username").fill("medewerker@example.nl")
    staff.locator("#id_password").fill("correct-horse-battery")
    staff.locator("input[type=submit], button[type=submit]").first.click()
    staff.wait_for_url("**/medewerker/planning/**")
    # The planning is a wide table: it may scroll inside its own box, but the page may not.
    found = violations(staff) + (
        []
        if staff.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        else ["page scrolls"]
    )
    if found:
        problems["planning"] = found
    staff.goto(f"{site}/medewerker/reparaties/{huurder_repair.number}/")
    check(staff, problems, "reparatie (medewerker)")
    context.close()
    assert problems == {}


def test_a_repair_can_be_reported_by_keyboard_alone(site, page, huurder, repair_catalogue):
    page.goto(f"{site}/reparatie/")
    page.get_by_label("Postcode").focus()
    page.keyboard.type("7601 AB")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/reparatie/soort/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "CV/Verwarming":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/reparatie/vragen/")
    page.get_by_label("Woonkamer").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first problem
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/reparatie/toelichting/")
