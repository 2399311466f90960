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
    "/mijn/aanvragen/",
    "/mijn/aanvragen/{case}/",
    "/mijn/berichten/",
    "/mijn/berichten/{message}/",
    "/mijn/woning/",
    "/mijn/betalen/",
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
    message = Message.objects.create(person=huurder, subject="Onderhoud lift", body="Op maandag.")
    return {"case": data_change_case.number, "message": message.pk}


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
