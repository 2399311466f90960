"""WCAG 2.2 AA in a real browser for the seeker and staff pages of allocation:
axe-core, and a 320 px phone screen on which the page never scrolls sideways
(a wide table may scroll inside its `.table-scroll` box)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from allocation import offers
from allocation.models import OfferKind, Reaction
from allocation.signup import signup_token
from allocation.tests.test_reacting import listing, region_001, region_002, registration, seeker
from conftest import PASSWORD, make_staff
from tests.conftest import (  # noqa: F401 (fixtures: the system chromium, the live server)
    browser_context_args,
    browser_type_launch_args,
    log_in,
    needs_browser,
    site,
)
from tests.test_accessibility import violations

pytestmark = pytest.mark.browser


def page_fits(page) -> bool:
    """The page itself does not scroll sideways; tables may, inside their `.table-scroll` box."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth && "
        "[...document.querySelectorAll('table')].every(t => t.closest('.table-scroll') "
        "|| t.getBoundingClientRect().right <= window.innerWidth)"
    )


def problems_on(page) -> list[str]:
    return violations(page) + ([] if page_fits(page) else ["scrolls sideways at 320 px"])


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    yield context.new_page()
    context.close()


@pytest.fixture
def data(woonkracht, waardwonen, settings, tmp_path):
    """zoeker in Zuidwest with documents; one open listing they reacted to, one they may react
    to, and one closed listing with a provisional offer to them (and a rival behind them)."""
    settings.MEDIA_ROOT = tmp_path
    settings.MOLLIE_API_KEY = ""
    region_001(woonkracht)
    zw = region_002(waardwonen)
    staff = make_staff("toewijzer@example.nl", waardwonen)
    zoeker = seeker()
    mine = registration(zoeker, zw, registered_on=timezone.localdate() - timedelta(days=900))
    rival = seeker("ander@example.nl")
    theirs = registration(rival, zw, registered_on=timezone.localdate() - timedelta(days=100))
    open_home = listing(zw, waardwonen, 1, title="Galerijflat met een heel lang woningtype en adres")
    to_react = listing(zw, waardwonen, 2, title="Eengezinswoning", base_rent=Decimal("610.00"))
    closed = listing(zw, waardwonen, 3, title="Portiekwoning")
    for home, reg in ((open_home, mine), (closed, mine), (closed, theirs)):
        Reaction.objects.create(
            listing=home, registration=reg, seeker=reg.seeker, reacted_at=timezone.now() - timedelta(hours=2)
        )
    offers.reaction_period_close(closed, staff, early=True)
    offer = offers.offer_send(closed, staff, OfferKind.PROVISIONAL)
    assert offer.reaction.seeker == zoeker
    return {"open": open_home, "to_react": to_react, "closed": closed, "offer": offer}


def test_sign_up_empty_and_with_errors(site, phone, data):  # noqa: F811
    problems = {}
    phone.goto(f"{site}/woningzoekend/inschrijven/")
    problems["inschrijven, e-mailadres"] = problems_on(phone)
    phone.get_by_label("E-mailadres").fill("nieuw@example.nl")
    phone.get_by_role("button", name="Stuur mij de link").click()
    phone.wait_for_url(re.compile(r"/verstuurd/$"))
    problems["inschrijven, link verstuurd"] = problems_on(phone)
    phone.goto(f"{site}/woningzoekend/inschrijven/{signup_token('nieuw@example.nl')}/")
    problems["inschrijven"] = problems_on(phone)
    phone.get_by_label("Kies een wachtwoord").fill("kort")
    phone.get_by_label("Uw geboortedatum").fill("2090-01-01")
    phone.get_by_role("button", name="Inschrijven en betalen").click()
    phone.wait_for_selector(".error-summary")
    assert phone.evaluate("document.activeElement.classList.contains('error-summary')")
    problems["inschrijven, met fouten"] = problems_on(phone)
    assert {label: found for label, found in problems.items() if found} == {}


def test_the_seeker_pages_pass_axe_and_fit_a_phone(site, phone, data):  # noqa: F811
    log_in(phone, site, "zoeker@example.nl")
    pages = {
        "Mijn inschrijving": "/woningzoekend/mijn/",
        "documenten": "/woningzoekend/mijn/documenten/",
        "gegevens wijzigen": "/woningzoekend/mijn/gegevens/",
        "reageren": f"/woningzoekend/reageren/{data['to_react'].number}/",
        "reageren, kan niet (al gereageerd)": f"/woningzoekend/reageren/{data['open'].number}/",
        "Mijn reacties": "/woningzoekend/mijn/reacties/",
        "aanbieding": f"/woningzoekend/aanbod/{data['offer'].pk}/",
    }
    problems = {}
    for label, path in pages.items():
        response = phone.goto(site + path)
        assert response.status == 200, path
        problems[label] = problems_on(phone)

    # The documents page after a refused upload, and the offer page after an incomplete answer.
    phone.goto(f"{site}/woningzoekend/mijn/documenten/")
    phone.get_by_label("Bestand").set_input_files(
        {"name": "scan.txt", "mimeType": "text/plain", "buffer": b"geen pdf"}
    )
    phone.get_by_role("button", name="Toevoegen").click()
    phone.wait_for_load_state()
    assert "kunnen wij niet lezen" in phone.locator("main").inner_text()
    problems["documenten, geweigerd"] = problems_on(phone)

    phone.goto(f"{site}/woningzoekend/aanbod/{data['offer'].pk}/")
    phone.get_by_role("button", name="Antwoord versturen").click()
    phone.wait_for_selector("#answer-error")
    problems["aanbieding, zonder antwoord"] = problems_on(phone)
    assert {label: found for label, found in problems.items() if found} == {}


def test_the_staff_pages_pass_axe_and_fit_a_phone(site, phone, data):  # noqa: F811
    phone.goto(f"{site}/beheer/login/?next=/medewerker/toewijzing/")
    phone.locator("#id_username").fill("toewijzer@example.nl")
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("input[type=submit], button[type=submit]").first.click()
    phone.wait_for_url(re.compile(r"/medewerker/toewijzing/$"))
    problems = {"toewijzing": problems_on(phone)}
    for home in ("open", "closed"):
        phone.goto(f"{site}/medewerker/toewijzing/{data[home].number}/")
        assert data[home].number in phone.locator("h1").inner_text()
        problems[f"toewijzing {home}"] = problems_on(phone)
    assert {label: found for label, found in problems.items() if found} == {}
