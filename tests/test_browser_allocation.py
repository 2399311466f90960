"""Choice-based allocation in a real browser, with the demo bank (no Mollie key).

zoeker@example.nl asks for the sign-up link, follows it from the mail, signs up
in Zuidwest and pays the € 17,50 fee on the demo bank page, uploads an ID and an
income statement (and is told to hide the BSN), reacts to a published listing;
a staff member of Waardwonen closes the reaction period early and sends the
final allocation to the first candidate, who accepts on the offer page; zoeker
then sees where they ended under Mijn reacties and the allocated home with its
deciding value on the accountability page.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from allocation.models import (
    Document,
    ListingState,
    Offer,
    OfferKind,
    Reaction,
    ReactionState,
    Registration,
    RegistrationState,
)
from allocation.tests.test_reacting import listing, region_001, region_002, registration, seeker
from conftest import PASSWORD, make_staff
from tests.conftest import log_in

pytestmark = pytest.mark.browser

#: A valid, minimal one-page PDF (header, catalog, pages, page, xref, trailer).
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n166\n%%EOF\n"
)


def pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": MINIMAL_PDF}


@pytest.fixture
def allocation_data(woonkracht, waardwonen, settings, tmp_path):
    """Two regions; in Zuidwest (Waardwonen) a published home with one earlier reaction
    of a seeker registered since 2024: by registration time our new seeker ends second."""
    settings.MEDIA_ROOT = tmp_path
    settings.MOLLIE_API_KEY = ""
    region_001(woonkracht)
    zw = region_002(waardwonen)
    home = listing(zw, waardwonen, 7, title="Benedenwoning Lindelaan", base_rent=Decimal("640.00"))
    rival = seeker("ander@example.nl", birth=date(1985, 3, 1))
    rival_registration = registration(rival, zw, registered_on=date(2024, 1, 1))
    Reaction.objects.create(
        listing=home,
        registration=rival_registration,
        seeker=rival,
        reacted_at=timezone.now() - timedelta(minutes=30),
    )
    staff = make_staff("toewijzer@example.nl", waardwonen)
    return {"region": zw, "listing": home, "rival": rival, "staff": staff}


def test_a_seeker_signs_up_reacts_and_sees_where_they_ended(site, page, browser, allocation_data):
    home = allocation_data["listing"]

    # Ask for the sign-up link, follow it from the mail, sign up in Zuidwest with an account,
    # and pay the fee on the demo bank page.
    page.goto(f"{site}/woningzoekend/inschrijven/")
    page.get_by_label("E-mailadres").fill("zoeker@example.nl")
    page.get_by_role("button", name="Stuur mij de link").click()
    page.wait_for_url(re.compile(r"/inschrijven/verstuurd/$"))
    assert "Kijk in uw e-mail" in page.locator("main").inner_text()
    link = re.search(r"http://\S+/(woningzoekend/inschrijven/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(f"{site}/{link}")
    page.get_by_label("Zuidwest").check()
    page.get_by_label("Kies een wachtwoord").fill("welkom-zoeker")
    page.get_by_label("Voornaam").fill("Zora")
    page.get_by_label("Achternaam").fill("Zoeker")
    page.get_by_label("Uw geboortedatum").fill("1992-06-15")
    page.get_by_label("Telefoonnummer").fill("06 13572468")
    page.get_by_label("Inkomen van uw huishouden per jaar (bruto, in euro)").fill("32000")
    page.get_by_label("Uw adres (straat en huisnummer)").fill("Kerkstraat 4")
    page.get_by_label("Woonplaats").fill("Rotterdam")
    page.get_by_label("Op dit adres sinds").fill("2016-09-01")
    page.get_by_label("In de regio sinds").fill("2016-09-01")
    page.get_by_role("button", name="Inschrijven en betalen").click()

    page.wait_for_url(re.compile(r"/betalen/demo/demo_[0-9a-f]+/$"))
    assert "€\xa017,50" in page.locator("main").inner_text()
    page.get_by_label("Uw bank").select_option(label="ING")
    page.get_by_role("button", name="Betalen", exact=True).click()
    page.wait_for_url(re.compile(r"/mijn/betalen/\d+/$"))
    assert "Uw betaling is gelukt" in page.locator("main").inner_text()
    mine = Registration.objects.get(seeker__email="zoeker@example.nl")
    assert mine.state == RegistrationState.ACTIVE and mine.region == allocation_data["region"]

    page.goto(f"{site}/woningzoekend/mijn/")
    main = page.locator("main").inner_text()
    assert mine.number in main and "Ingeschreven" in main
    assert "Identiteitsbewijs" in main  # still missing before reacting

    # Upload the ID and the income statement; the page reminds to hide the BSN.
    for kind, name in (("Identiteitsbewijs", "paspoort.pdf"), ("Inkomensverklaring (IBRI)", "ibri.pdf")):
        page.goto(f"{site}/woningzoekend/mijn/documenten/")
        assert "Maak uw BSN onleesbaar" in page.locator("main").inner_text()
        page.get_by_label("Wat voor document is het?").select_option(label=kind)
        page.get_by_label("Bestand").set_input_files(pdf(name))
        page.get_by_role("button", name="Toevoegen").click()
        page.wait_for_url(f"{site}/woningzoekend/mijn/")
        assert "Uw document is toegevoegd." in page.locator(".flash-list").inner_text()
    assert sorted(Document.objects.filter(registration=mine).values_list("kind", flat=True)) == [
        "id",
        "income",
    ]
    assert "Voeg deze documenten toe" not in page.locator("main").inner_text()

    # React from the listing page.
    page.goto(f"{site}/woningaanbod/{home.number}/")
    page.get_by_role("link", name=re.compile("Reageer|Reageren")).first.click()
    page.wait_for_url(f"{site}/woningzoekend/reageren/{home.number}/")
    page.get_by_role("button", name="Ja, ik reageer").click()
    page.wait_for_url(f"{site}/woningzoekend/mijn/reacties/")
    assert "U heeft gereageerd op Benedenwoning Lindelaan." in page.locator(".flash-list").inner_text()
    assert "Nog niet bekend" in page.locator("main").inner_text()

    # Staff of Waardwonen close the period early and send the final allocation.
    staff = browser.new_context().new_page()
    staff.goto(f"{site}/beheer/login/?next=/medewerker/toewijzing/{home.number}/")
    staff.locator("#id_username").fill("toewijzer@example.nl")
    staff.locator("#id_password").fill(PASSWORD)
    staff.locator("input[type=submit], button[type=submit]").first.click()
    staff.wait_for_url(f"{site}/medewerker/toewijzing/{home.number}/")
    staff.get_by_role("button", name="Reactietermijn nu sluiten").click()
    assert "De reactietermijn is gesloten" in staff.locator(".flash-list").inner_text()
    ranked = staff.locator("table").first.locator("tbody tr")
    assert "Ander" in ranked.nth(0).inner_text() and "Zoeker" in ranked.nth(1).inner_text()
    staff.get_by_role("button", name="Definitieve toewijzing").click()
    assert "Verstuurd: Definitieve toewijzing." in staff.locator(".flash-list").inner_text()

    ours = Reaction.objects.get(listing=home, seeker__email="zoeker@example.nl")
    theirs = Reaction.objects.get(listing=home, seeker=allocation_data["rival"])
    assert (theirs.position, ours.position) == (1, 2)
    deciding = theirs.deciding_value
    assert deciding.startswith("Inschrijfduur")

    # The first candidate accepts on their offer page.
    offer = Offer.objects.get(reaction=theirs, kind=OfferKind.FINAL)
    rival = browser.new_context().new_page()
    log_in(rival, site, "ander@example.nl")
    rival.goto(f"{site}/woningzoekend/aanbod/{offer.pk}/")
    rival.get_by_label("Ik accepteer de woning").check()
    rival.get_by_role("button", name="Antwoord versturen").click()
    assert "Dank u wel, uw antwoord is ontvangen." in rival.locator(".flash-list").inner_text()
    assert "U heeft deze aanbieding geaccepteerd." in rival.locator("main").inner_text()
    home.refresh_from_db()
    ours.refresh_from_db()
    assert home.state == ListingState.ALLOCATED and ours.state == ReactionState.NOT_CHOSEN

    # Our seeker sees where they ended, and the published allocation.
    page.goto(f"{site}/woningzoekend/mijn/reacties/")
    row = page.get_by_role("listitem").filter(has_text="Benedenwoning Lindelaan").inner_text()
    assert "Niet gekozen" in row and "Plaats 2" in row and deciding in row
    page.goto(f"{site}/woningaanbod/verantwoording/")
    row = page.get_by_role("row", name=re.compile("Lindelaan 107"))
    assert "Almelo" in row.inner_text()
    reactions, deciding_cell = row.locator("td").nth(0), row.locator("td").nth(1)
    assert reactions.inner_text() == "2" and deciding_cell.inner_text().strip() == deciding
