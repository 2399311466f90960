"""Repairs in a real browser.

An anonymous visitor reports a repair for 7601 AB 12 with a photo and books a
block; huurder logs in, finds it under Mijn reparaties and cancels it; a staff
member fixes another of her repairs, after which she can no longer cancel it.
"""

import io
import re

import pytest
from PIL import Image

from repairs.models import RepairRequest, RepairState
from tests.conftest import log_in

pytestmark = pytest.mark.browser


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def test_report_cancel_and_fix_a_repair(
    site, page, browser, huurder, huurder_repair, medewerker, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    # An anonymous visitor reports a repair.
    page.goto(f"{site}/reparatie/")
    page.get_by_label("Postcode").fill("7601 AB")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("button", name="CV/Verwarming").click()
    page.get_by_label("Woonkamer").check()
    page.get_by_label("Ketel geeft storing").check()
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Welke foutcode staat op het display van de ketel?").fill("F28")
    page.get_by_label("Vertel wat er aan de hand is").fill("De ketel slaat steeds af.")
    page.get_by_label("Foto's (niet verplicht)").set_input_files(
        {"name": "ketel.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    )
    page.get_by_label("Uw naam").fill("Piet de Vries")
    page.get_by_label("Uw telefoonnummer").fill("06 24681357")
    page.get_by_label("Uw e-mailadres").fill("piet@example.nl")
    page.get_by_role("button", name="Volgende").click()
    assert "voorrijkosten" in page.locator("main").inner_text()
    page.locator(".block-list input[type=radio]").first.check()
    page.get_by_role("button", name="Volgende").click()
    assert "ketel.jpg" in page.locator("main").inner_text()
    page.get_by_role("button", name="Verstuur reparatieverzoek").click()
    page.wait_for_url(f"{site}/reparatie/ontvangen/")
    number = re.search(r"R\d{4}-\d{6}", page.locator("main").inner_text()).group(0)
    anonymous = RepairRequest.objects.get(number=number)
    assert anonymous.reporter is None and anonymous.photos.count() == 1

    # Huurder sees it under Mijn reparaties and cancels it.
    tenant = browser.new_context().new_page()
    log_in(tenant, site, "huurder@example.nl")
    tenant.goto(f"{site}/mijn/reparaties/")
    tenant.get_by_role("link", name=re.compile("Ketel geeft storing")).first.wait_for()
    tenant.goto(f"{site}/mijn/reparaties/{number}/")
    tenant.get_by_role("button", name="Reparatieverzoek annuleren").click()
    assert f"Uw reparatieverzoek {number} is geannuleerd." in tenant.locator(".flash-list").inner_text()
    anonymous.refresh_from_db()
    assert anonymous.state == RepairState.CANCELLED

    # Staff fix her other repair; she can no longer cancel it.
    staff = browser.new_context().new_page()
    staff.goto(f"{site}/beheer/login/?next=/medewerker/planning/?datum={huurder_repair.slot.date:%Y-%m-%d}")
    staff.locator("#id_username").fill("medewerker@example.nl")
    staff.locator("#id_password").fill("correct-horse-battery")
    staff.locator("input[type=submit], button[type=submit]").first.click()
    staff.wait_for_url(re.compile(r"/medewerker/planning/"))
    staff.get_by_role("button", name=f"Definitief maken {huurder_repair.number}").click()
    assert "definitief ingepland" in staff.locator(".flash-list").inner_text()

    tenant.goto(f"{site}/mijn/reparaties/{huurder_repair.number}/")
    main = tenant.locator("main").inner_text()
    assert "Uw afspraak staat vast" in main and "0546 54 64 64" in main
    assert tenant.get_by_role("button", name="Reparatieverzoek annuleren").count() == 0
