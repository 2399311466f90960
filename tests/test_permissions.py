"""The permission matrix: nobody but tenant A sees or changes tenant A's data.

Every portal URL is requested as anonymous, tenant B (same complex), and
staff of the other corporation. Pages that list "my" things must not show
any of A's data; pages about one of A's objects must answer 404 (not 403:
another person's case simply does not exist for you); POSTs must change
nothing. `test_every_portal_url_is_in_the_matrix` fails when a new URL is
added without a row here.
"""

import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from portal.models import Case, Message

#: URL prefixes that are not portal pages of ours (they have their own tests).
NOT_IN_MATRIX = ("beheer/", "accounts/", "i18n/", "activeren/")


@dataclass
class Row:
    name: str  # the URL name, e.g. "portal:case_detail"
    path: str  # with {case} / {message} placeholders for tenant A's objects
    method: str = "get"
    data: dict = field(default_factory=dict)
    #: "list": a page about "my" things; "object": about one of A's objects; "public": anyone may see it
    kind: str = "list"
    #: What tenant A gets on a GET: 200, or a redirect for a flow step that needs an earlier step,
    #: or 404 for a staff page.
    a_status: int = 200


ROWS = [
    Row("home", "/", kind="public"),
    Row("ik_huur", "/ik-huur/", kind="public"),
    Row("ik_zoek", "/ik-zoek/", kind="public"),
    Row("over_ons", "/over-ons/", kind="public"),
    Row("portal:dashboard", "/mijn/"),
    Row("portal:personal_data", "/mijn/gegevens/"),
    Row(
        "portal:personal_data",
        "/mijn/gegevens/",
        "post",
        {"phone_private": "06 55555555", "email": "aanvaller@example.nl"},
    ),
    Row("portal:data_change", "/mijn/gegevens/wijzigen/"),
    Row("portal:data_change", "/mijn/gegevens/wijzigen/", "post", {"surname": "Overgenomen"}),
    # The link to a new address: the signed link is the proof, so anyone holding one may use it;
    # A's change signed for another purpose (a forged link) shows and changes nothing.
    Row("portal:email_confirm", "/mijn/gegevens/e-mail/{email_token}/", kind="public", a_status=400),
    Row("portal:email_confirm", "/mijn/gegevens/e-mail/{email_token}/", "post", kind="public"),
    Row("portal:case_list", "/mijn/aanvragen/"),
    Row("portal:case_detail", "/mijn/aanvragen/{case}/", kind="object"),
    Row(
        "portal:case_message",
        "/mijn/aanvragen/{case}/bericht/",
        "post",
        {"body": "Ingebroken"},
        kind="object",
    ),
    Row("portal:case_feedback", "/mijn/aanvragen/{case}/mening/", "post", {"rating": "1"}, kind="object"),
    Row("portal:case_withdraw", "/mijn/aanvragen/{case}/intrekken/", "post", kind="object"),
    Row("portal:inbox", "/mijn/berichten/"),
    Row("portal:message_detail", "/mijn/berichten/{message}/", kind="object"),
    Row("portal:login_details", "/mijn/inloggegevens/"),
    Row("contracts:my_home", "/mijn/woning/"),
    Row("payments:my_invoices", "/mijn/betalen/"),
    Row("payments:my_invoices", "/mijn/betalen/", "post", {"items": "{item}"}),
    Row("payments:payment_return", "/mijn/betalen/{payment}/", kind="object"),
    Row("payments:pay_term", "/mijn/betalen/termijn/{term}/", "post", kind="object"),
    # The provider calls the webhook: anyone may, and it only asks the provider what happened.
    Row("payments_public:webhook", "/betalen/webhook/", "post", {"id": "{provider_id}"}, kind="public"),
    Row("payments_public:demo_checkout", "/betalen/demo/{provider_id}/", kind="object"),
    Row(
        "payments_public:demo_checkout",
        "/betalen/demo/{provider_id}/",
        "post",
        {"bank": "ING", "action": "pay"},
        kind="object",
    ),
    # The arrears call queue: staff of A's corporation only.
    Row("callqueue:queue", "/medewerker/belrij/", a_status=404),
    Row("callqueue:queue", "/medewerker/belrij/?talen=alle", a_status=404),
    Row("callqueue:overview", "/medewerker/belrij/overzicht/", a_status=404),
    Row("callqueue:languages", "/medewerker/belrij/talen/", "post", {"spoken_languages": "tr"}),
    Row("callqueue:call", "/medewerker/belrij/{call}/", kind="object", a_status=404),
    Row("callqueue:claim", "/medewerker/belrij/{call}/claimen/", "post", kind="object"),
    Row("callqueue:release", "/medewerker/belrij/{call}/vrijgeven/", "post", kind="object"),
    Row(
        "callqueue:record",
        "/medewerker/belrij/{call}/uitkomst/",
        "post",
        {"outcome": "reached", "reason": "Vergeten", "follow_up": "none", "note": "…"},
        kind="object",
    ),
    Row(
        "callqueue:escalate",
        "/medewerker/achterstand/{arrears_case}/escalatie/",
        "post",
        {"esc-kind": "reminder", "esc-on": "2026-11-20", "esc-note": "Brief"},
        kind="object",
    ),
    # Woningaanbod: public, and nothing of A shows.
    Row("listings:list", "/woningaanbod/", kind="public"),
    Row("listings:accountability", "/woningaanbod/verantwoording/", kind="public"),
    Row("listings:detail", "/woningaanbod/{listing}/", kind="public"),
    Row("listings:photo", "/woningaanbod/{listing}/foto/{listing_photo}/", kind="public"),
    Row("listings:floor_plan", "/woningaanbod/{listing}/plattegrond/", kind="public"),
    # A as a seeker (a tenant who wants to move): registration, documents, reactions, offers.
    Row("seeker:signup", "/woningzoekend/inschrijven/", kind="public"),
    Row(
        "seeker:signup", "/woningzoekend/inschrijven/", "post", {"email": "huurder@example.nl"}, kind="public"
    ),
    Row("seeker:signup_sent", "/woningzoekend/inschrijven/verstuurd/", kind="public"),
    # The link from the sign-up mail (for a new address): anyone holding it may sign up with it;
    # someone logged in is sent to the sign-up for their own account.
    Row("seeker:signup_account", "/woningzoekend/inschrijven/{signup_token}/", kind="public", a_status=302),
    Row("seeker:signup_account", "/woningzoekend/inschrijven/{signup_token}/", "post", kind="public"),
    Row("seeker:mine", "/woningzoekend/mijn/"),
    Row("seeker:edit", "/woningzoekend/mijn/gegevens/"),
    Row("seeker:documents", "/woningzoekend/mijn/documenten/"),
    Row("seeker:document", "/woningzoekend/mijn/documenten/{document}/", kind="object"),
    Row(
        "seeker:document_delete",
        "/woningzoekend/mijn/documenten/{document}/verwijderen/",
        "post",
        kind="object",
    ),
    Row("seeker:pay", "/woningzoekend/mijn/{registration}/betalen/", "post", kind="object"),
    Row("seeker:renew", "/woningzoekend/mijn/{registration}/verlengen/", "post", kind="object"),
    Row("seeker:deregister", "/woningzoekend/mijn/{registration}/uitschrijven/", kind="object"),
    Row("seeker:deregister", "/woningzoekend/mijn/{registration}/uitschrijven/", "post", kind="object"),
    Row(
        "seeker:co_invite",
        "/woningzoekend/mijn/{registration}/medeaanvrager/",
        "post",
        {"email": "buur@example.nl"},
        kind="object",
    ),
    Row(
        "seeker:co_accept",
        "/woningzoekend/mijn/{registration}/medeaanvrager/accepteren/",
        "post",
        kind="object",
    ),
    Row(
        "seeker:co_decline",
        "/woningzoekend/mijn/{registration}/medeaanvrager/weigeren/",
        "post",
        kind="object",
    ),
    Row(
        "seeker:co_withdraw",
        "/woningzoekend/mijn/{registration}/medeaanvrager/intrekken/",
        "post",
        kind="object",
    ),
    Row("seeker:split", "/woningzoekend/mijn/{registration}/splitsen/", "post", kind="object"),
    Row("seeker:reaction_pay", "/woningzoekend/mijn/reacties/{reaction}/betalen/", "post", kind="object"),
    Row("seeker:reactions", "/woningzoekend/mijn/reacties/"),
    Row("seeker:withdraw", "/woningzoekend/mijn/reacties/{reaction}/intrekken/", "post", kind="object"),
    Row("seeker:react", "/woningzoekend/reageren/{listing}/"),
    Row("offers:detail", "/woningzoekend/aanbod/{offer}/", kind="object"),
    Row("offers:detail", "/woningzoekend/aanbod/{offer}/", "post", {"answer": "accept"}, kind="object"),
    # Allocation by staff of the listing's corporation only.
    Row("allocation_staff:listings", "/medewerker/toewijzing/", a_status=404),
    Row("allocation_staff:listing", "/medewerker/toewijzing/{listing}/", kind="object", a_status=404),
    Row(
        "allocation_staff:close",
        "/medewerker/toewijzing/{listing}/sluiten/",
        "post",
        {"early": "1"},
        kind="object",
    ),
    Row(
        "allocation_staff:offer",
        "/medewerker/toewijzing/{listing}/aanbieden/",
        "post",
        {"kind": "final"},
        kind="object",
    ),
    Row(
        "allocation_staff:talk",
        "/medewerker/toewijzing/{listing}/gesprek/{reaction}/",
        "post",
        {"note": "…", "outcome": "no-offer"},
        kind="object",
    ),
    Row(
        "allocation_staff:answer",
        "/medewerker/toewijzing/{listing}/antwoord/{offer}/",
        "post",
        {"answer": "refuse", "reason": "…"},
        kind="object",
    ),
    Row("arrangements:start", "/mijn/betalingsregeling/"),
    Row(
        "arrangements:start",
        "/mijn/betalingsregeling/",
        "post",
        {
            "had_arrangement_last_year": "nee",
            "reason": "Overgenomen",
            "total_amount": "125,31",
            "periods": "12",
        },
    ),
    Row("repairs:my_repairs", "/mijn/reparaties/"),
    Row("repairs:detail", "/mijn/reparaties/{repair}/", kind="object"),
    Row("repairs:cancel", "/mijn/reparaties/{repair}/annuleren/", "post", kind="object"),
    Row("repairs:rebook", "/mijn/reparaties/{repair}/verzetten/", kind="object"),
    Row(
        "repairs:rebook",
        "/mijn/reparaties/{repair}/verzetten/",
        "post",
        {"block": "{free_block}"},
        kind="object",
    ),
    Row("repairs:photo", "/mijn/reparaties/{repair}/foto/{photo}/", kind="object"),
    # The report flow. Anyone may report a repair; nothing of A's home or repairs may show.
    Row("report:start", "/reparatie/", kind="public", a_status=302),
    Row("report:start", "/reparatie/", "post", {"postcode": "7601 AB", "house_number": "12"}, kind="public"),
    Row("report:kind", "/reparatie/soort/", kind="public", a_status=302),
    Row("report:questions", "/reparatie/vragen/", kind="public", a_status=302),
    Row("report:details", "/reparatie/toelichting/", kind="public", a_status=302),
    Row("report:appointment", "/reparatie/afspraak/", kind="public", a_status=302),
    Row("report:check", "/reparatie/versturen/", kind="public", a_status=302),
    Row("report:check", "/reparatie/versturen/", "post", kind="public"),
    Row("report:done", "/reparatie/ontvangen/", kind="public", a_status=302),
    Row("report:photo", "/reparatie/foto/{photo}/", kind="public", a_status=404),
    Row("my_report:start", "/mijn/reparaties/nieuw/"),
    Row("my_report:kind", "/mijn/reparaties/nieuw/soort/", a_status=302),
    Row("my_report:questions", "/mijn/reparaties/nieuw/vragen/", a_status=302),
    Row("my_report:details", "/mijn/reparaties/nieuw/toelichting/", a_status=302),
    Row("my_report:appointment", "/mijn/reparaties/nieuw/afspraak/", a_status=302),
    Row("my_report:check", "/mijn/reparaties/nieuw/versturen/", a_status=302),
    Row("my_report:done", "/mijn/reparaties/nieuw/ontvangen/", a_status=302),
    Row("my_report:photo", "/mijn/reparaties/nieuw/foto/{photo}/", kind="object", a_status=404),
    # Staff planning: staff of A's corporation only.
    Row("planning:day", "/medewerker/planning/?datum={repair_day}", a_status=404),
    Row("planning:repair", "/medewerker/reparaties/{repair}/", kind="object", a_status=404),
    Row(
        "planning:rebook",
        "/medewerker/reparaties/{repair}/verzetten/",
        "post",
        {"block": "{free_block}"},
        kind="object",
    ),
    Row("planning:photo", "/medewerker/reparaties/{repair}/foto/{photo}/", kind="object", a_status=404),
    Row("planning:action", "/medewerker/reparaties/{repair}/actie/fix/", "post", kind="object"),
    Row("planning:action", "/medewerker/reparaties/{repair}/actie/complete/", "post", kind="object"),
    Row("planning:action", "/medewerker/reparaties/{repair}/actie/no-show/", "post", kind="object"),
]

#: The URLs outside the matrix, with real arguments: the accounts pages (allauth's and our
#: activation link) and the language switch have their own tests; they are listed here so
#: that this file names every URL of the URL conf (the admin's come from its registry) and
#: the input sweep (test_input_sweep.py) reaches them too.
OUTSIDE_MATRIX = [
    Row("activate", "/activeren/{activation_uid}/{activation_token}/", kind="public"),
    Row(
        "activate",
        "/activeren/{activation_uid}/{activation_token}/",
        "post",
        {"new_password1": "een-lang-nieuw-wachtwoord", "new_password2": "een-lang-nieuw-wachtwoord"},
        kind="public",
    ),
    Row("account_login", "/accounts/login/", kind="public"),
    Row("account_login", "/accounts/login/", "post", {"login": "huurder@example.nl", "password": "fout"}),
    Row("account_logout", "/accounts/logout/", "post"),
    Row("account_inactive", "/accounts/inactive/", kind="public"),
    Row("account_signup", "/accounts/signup/", kind="public"),
    Row("account_reauthenticate", "/accounts/reauthenticate/"),
    Row("account_email", "/accounts/email/"),
    Row("account_email_verification_sent", "/accounts/confirm-email/", kind="public"),
    Row("account_confirm_email", "/accounts/confirm-email/{confirm_key}/", kind="public"),
    Row("account_change_password", "/accounts/password/change/"),
    Row("account_set_password", "/accounts/password/set/"),
    Row("account_reset_password", "/accounts/password/reset/", kind="public"),
    Row("account_reset_password", "/accounts/password/reset/", "post", {"email": "huurder@example.nl"}),
    Row("account_reset_password_done", "/accounts/password/reset/done/", kind="public"),
    Row(
        "account_reset_password_from_key",
        "/accounts/password/reset/key/{reset_uid}-{reset_key}/",
        kind="public",
    ),
    Row("account_reset_password_from_key_done", "/accounts/password/reset/key/done/", kind="public"),
    Row("account_confirm_login_code", "/accounts/login/code/confirm/", kind="public"),
    Row("set_language", "/i18n/setlang/", "post", {"language": "en", "next": "/mijn/"}, kind="public"),
]

#: Strings that only appear on a page that shows tenant A's data.
A_SECRETS = (
    "huurder@example.nl",
    "Sanne",
    "HC-1",
    "125,31",
    "87,56",
    "Geheim onderwerp",
    "Lekt al weken",
    "Lindelaan 12",
    "Geheimdorp",
)


def a_as_seeker(huurder, woonkracht) -> dict:
    """Huurder also looks for another home: a registration, documents, a reaction and an offer."""
    from datetime import date, timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from allocation.models import ListingPhoto, Offer, Reaction
    from allocation.tests.test_reacting import listing, region_002, registration
    from portal.tests.files import jpeg_bytes, pdf_bytes

    huurder.birth_date = date(1985, 3, 4)
    huurder.save(update_fields=["birth_date"])
    region = region_002(woonkracht)
    reg = registration(huurder, region, search_profile={"places": ["Geheimdorp"]})
    home = listing(region, woonkracht, 50)
    photo = ListingPhoto(listing=home, alt="Voorkant")
    photo.image.save("voorkant.jpg", ContentFile(jpeg_bytes()), save=False)
    photo.save()
    home.floor_plan.save("plattegrond.pdf", ContentFile(pdf_bytes()))
    reaction = Reaction.objects.create(
        listing=home, registration=reg, seeker=huurder, reacted_at=timezone.now(), state="offered"
    )
    offer = Offer.objects.create(
        reaction=reaction,
        kind="provisional",
        sent_at=timezone.now(),
        deadline=timezone.now() + timedelta(hours=24),
    )
    return {
        "listing": home.number,
        "listing_photo": photo.pk,
        "registration": reg.number,
        "document": reg.documents.first().pk,
        "reaction": reaction.pk,
        "offer": offer.pk,
    }


@pytest.fixture
def a_objects(huurder, woonkracht, huurder_repair, settings, tmp_path):
    from datetime import timedelta
    from decimal import Decimal
    from io import BytesIO

    from django.core import signing
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from PIL import Image

    from allocation.signup import signup_token
    from payments.arrears import arrears_queue_build
    from payments.ledger import payment_start
    from payments.models import CallTask, OpenItem
    from payments.providers import DemoProvider
    from portal.services import data_change_request, email_change_request
    from repairs import services as repair_services

    case = data_change_request(
        tenant=huurder, corporation=woonkracht, submitted={"surname": "Jansen"}, explanation="Geheim"
    )
    message = Message.objects.create(person=huurder, subject="Geheim onderwerp", body="Alleen voor A")
    huurder_repair.description = "Lekt al weken"
    huurder_repair.save()
    settings.MEDIA_ROOT = tmp_path
    settings.MOLLIE_API_KEY = ""
    items = OpenItem.objects.filter(tenant=huurder).order_by("pk")
    payment = payment_start(tenant=huurder, items=list(items), provider=DemoProvider())
    # An invoice ten days late, whatever the date: huurder is in the call queue.
    OpenItem.objects.create(
        corporation=woonkracht,
        tenant=huurder,
        reference="F-LAAT",
        description="Huur",
        amount=Decimal("612.40"),
        due_date=timezone.localdate() - timedelta(days=10),
    )
    arrears_queue_build()
    call = CallTask.objects.get(tenant=huurder)
    # An approved payment arrangement with its terms.
    from payments.arrangements import arrangement_request
    from payments.models import Arrangement
    from portal.cases import Actor
    from portal.services import case_transition

    arrangement_case = arrangement_request(
        tenant=huurder,
        had_arrangement_last_year=False,
        reason="Ziek",
        total_amount=Decimal("125.31"),
        periods=12,
    )
    case_transition(case=arrangement_case, name="complete", actor=None, role=Actor.SYSTEM)
    term = Arrangement.objects.get(case=arrangement_case).instalments.get(number=1)
    seeker = a_as_seeker(huurder, woonkracht)
    email_change = email_change_request(user=huurder, email="huurder-nieuw@example.nl")
    jpeg = BytesIO()
    Image.new("RGB", (40, 30), "red").save(jpeg, "JPEG")
    photo = repair_services.photo_add(
        draft="a-draft", upload=SimpleUploadedFile("kraan.jpg", jpeg.getvalue())
    )
    photo.request = huurder_repair
    photo.draft = ""
    photo.save()
    free = [
        b
        for b in repair_services.first_free_blocks(huurder_repair.kind.trade, count=8)
        if b.value != huurder_repair.slot_value
    ][0]
    return {
        "case": case.number,
        "message": message.pk,
        "repair": huurder_repair.number,
        "photo": photo.token,
        "free_block": free.value,
        "repair_day": huurder_repair.slot.date.isoformat(),
        "item": items[0].pk,
        "payment": payment.pk,
        "provider_id": payment.provider_id,
        "term": term.pk,
        **seeker,
        "call": call.pk,
        "arrears_case": call.arrears.case.number,
        "email_token": signing.dumps(email_change.pk),
        "signup_token": signup_token("nieuw-zoeker@example.nl"),
    }


@pytest.fixture
def account_objects(huurder, woonkracht):
    """Real arguments for the accounts pages: huurder's password-reset key and e-mail
    confirmation key (allauth's page for it stands in the URL conf, behind the portal's
    404), and the activation link of a tenant who was invited."""
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from conftest import make_person
    from portal.services import activation_tokens

    address = EmailAddress.objects.create(user=huurder, email=huurder.email, primary=True, verified=False)
    invited = make_person("uitgenodigd@example.nl", woonkracht)
    invited.set_unusable_password()
    invited.save()
    return {
        "reset_uid": user_pk_to_url_str(huurder),
        "reset_key": default_token_generator.make_token(huurder),
        "confirm_key": EmailConfirmationHMAC(address).key,
        "activation_uid": urlsafe_base64_encode(force_bytes(invited.pk)),
        "activation_token": activation_tokens.make_token(invited),
    }


def snapshot(huurder):
    """Everything about A that a POST could change."""
    from allocation.models import Block, Document, Listing, Offer, Reaction, Registration
    from payments.models import CallTask, EscalationStep, Instalment, OpenItem, Payment
    from repairs.models import RepairRequest, Slot

    huurder.refresh_from_db()
    case = Case.objects.get(tenant=huurder, kind="data_change")
    return (
        list(
            RepairRequest.objects.values_list("number", "state", "slot_id", "reminder_sent_at").order_by("pk")
        ),
        list(Slot.objects.values_list("pk", "booked").order_by("pk")),
        list(
            OpenItem.objects.filter(tenant=huurder).values_list("pk", "amount_paid", "paid_at").order_by("pk")
        ),
        list(Payment.objects.values_list("pk", "tenant_id", "status", "applied_at").order_by("pk")),
        list(CallTask.objects.values_list("pk", "state", "claimed_by", "outcome").order_by("pk")),
        list(Instalment.objects.values_list("pk", "amount_paid", "paid_at").order_by("pk")),
        list(
            Registration.objects.values_list(
                "pk", "state", "ended_on", "renew_by", "co_applicant", "search_profile"
            ).order_by("pk")
        ),
        list(Reaction.objects.values_list("pk", "state", "position").order_by("pk")),
        list(Offer.objects.values_list("pk", "answered_at", "accepted", "expired_at").order_by("pk")),
        list(Listing.objects.values_list("pk", "state").order_by("pk")),
        Document.objects.count(),
        Block.objects.count(),
        EscalationStep.objects.count(),
        huurder.email,
        huurder.phone_private,
        huurder.surname,
        case.state,
        case.messages.count(),
        Case.objects.filter(tenant=huurder).count(),
    )


@pytest.fixture(params=["anoniem", "buur", "collega"])
def outsider(request, a_objects, buur, collega):
    from conftest import client_for

    if request.param == "anoniem":
        from django.test import Client

        return request.param, Client()
    return request.param, client_for({"buur": buur, "collega": collega}[request.param])


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method}-{r.path}")
def test_outsiders_never_see_or_change_tenant_as_data(row, outsider, a_objects, huurder):
    who, client = outsider
    before = snapshot(huurder)
    data = {key: value.format(**a_objects) for key, value in row.data.items()}
    response = getattr(client, row.method)(row.path.format(**a_objects), data)
    after = snapshot(huurder)

    assert after == before, f"{who} changed tenant A's data through {row.method.upper()} {row.path}"
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    for secret in A_SECRETS:
        assert secret not in body, f"{who} saw {secret!r} on {row.path}"
    if who == "anoniem" and row.kind != "public":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif row.kind == "object":
        assert response.status_code == 404


@pytest.mark.parametrize("row", [r for r in ROWS if r.method == "get"], ids=lambda r: r.path)
def test_tenant_a_does_see_their_own_pages(row, a_objects, huurder_client):
    response = huurder_client.get(row.path.format(**a_objects))
    assert response.status_code == row.a_status


def _names(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _names(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}"


def test_every_portal_url_is_in_the_matrix():
    covered = {row.name for row in ROWS}
    missing = sorted(
        name
        for route, name in _names(get_resolver())
        if not route.startswith(NOT_IN_MATRIX) and name not in covered
    )
    assert missing == [], f"add these URLs to the permission matrix: {missing}"


def _shape(path: str) -> str:
    """A route or a row's path with each parameter as '*': 'accounts/confirm-email/*'."""
    path = re.sub(r"\{[^}]*\}|<[^>]*>|\(\?P<[^>]+>[^)]*\)", "*", path.split("?")[0])
    return path.replace("^", "").replace("$", "").strip("/")


def test_every_url_outside_the_admin_is_listed_here():
    """By name, or for a URL without one (a page that stands in for one of allauth's) by
    its shape."""
    rows = ROWS + OUTSIDE_MATRIX
    names, shapes = {row.name for row in rows}, {_shape(row.path) for row in rows}
    missing = sorted(
        route
        for route, name in _names(get_resolver())
        if not route.startswith("beheer/")
        and (name not in names if not name.endswith("None") else _shape(route) not in shapes)
    )
    assert missing == [], f"add these URLs to ROWS or OUTSIDE_MATRIX: {missing}"


def test_the_accounts_arguments_are_real(account_objects, client):
    """The sweep meets the pages behind a valid link, not only the "link expired" page."""
    args = account_objects
    assert client.get("/activeren/{activation_uid}/{activation_token}/".format(**args)).status_code == 200
    reset = client.get("/accounts/password/reset/key/{reset_uid}-{reset_key}/".format(**args))
    assert reset["Location"].endswith("-set-password/")
