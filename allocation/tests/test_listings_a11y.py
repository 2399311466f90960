"""WCAG 2.2 AA in a real browser for the housing offer: axe-core and a 320 px phone screen."""

import pytest

from allocation.tests.test_listings import allocate, make_listing
from tests.conftest import (  # noqa: F401 (fixtures: the system chromium, the live server)
    browser_context_args,
    browser_type_launch_args,
    needs_browser,
    site,
)
from tests.test_accessibility import fits_the_screen, violations

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="nl-NL")
    yield context.new_page()
    context.close()


@pytest.fixture
def offer(woonkracht):
    make_listing(woonkracht, "W-001", temporary=True, category="starter", min_age=55, energy_label="A")
    make_listing(woonkracht, "W-002", kind="garage", rooms=None, home_type="")
    allocate(make_listing(woonkracht, "W-003"), urgent=True)


@pytest.mark.parametrize(
    "path",
    ["/woningaanbod/", "/woningaanbod/?kamers=veel", "/woningaanbod/W-001/", "/woningaanbod/verantwoording/"],
)
def test_the_offer_passes_axe_and_fits_a_phone(site, phone, offer, path):  # noqa: F811
    phone.goto(site + path)
    found = violations(phone) + ([] if fits_the_screen(phone) else ["scrolls sideways at 320 px"])
    assert found == []


def test_the_filter_works_by_keyboard(site, phone, offer):  # noqa: F811
    phone.goto(site + "/woningaanbod/")
    phone.get_by_label("Soort").select_option("garage")
    phone.get_by_label("Soort").focus()
    phone.keyboard.press("Tab")  # to Regio
    phone.keyboard.press("Tab")  # to Zoeken
    phone.keyboard.press("Enter")
    phone.wait_for_url("**soort=garage**")
    assert phone.get_by_text("1 woning gevonden").is_visible()
