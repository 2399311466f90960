"""Mijn portal pages as the tenant sees them."""

from portal.models import Case, Message


def test_it_sends_anonymous_visitors_to_the_login_page(anoniem):
    response = anoniem.get("/mijn/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/mijn/")


def test_it_welcomes_the_tenant_by_name(huurder_client):
    assert "Welkom, Sanne de Vries" in huurder_client.get("/mijn/").text


def test_it_shows_the_open_balance(huurder_client):
    text = huurder_client.get("/mijn/").text
    assert "U heeft een openstaand saldo van €\xa0125,31." in text


def test_it_shows_no_balance_notice_when_all_is_paid(buur_client):
    assert "openstaand saldo" not in buur_client.get("/mijn/").text


def test_it_shows_the_tiles(huurder_client):
    text = huurder_client.get("/mijn/").text
    for tile in ("Mijn gegevens", "Factuur & betaling", "Mijn reparaties", "Mijn woning", "Direct regelen"):
        assert f"> {tile}</h3>" in text


def test_it_lists_open_requests_with_state_and_date(huurder_client, data_change_case):
    text = huurder_client.get("/mijn/").text
    assert data_change_case.number in text
    assert "Ontvangen" in text
    assert "verwacht klaar op" in text


def test_it_lists_the_newest_messages(huurder_client, huurder):
    Message.objects.create(person=huurder, subject="Onderhoud aan de lift", body="Op maandag.")
    assert "Onderhoud aan de lift" in huurder_client.get("/mijn/").text


def test_it_logs_in_with_email_and_password(anoniem, huurder):
    response = anoniem.post(
        "/accounts/login/", {"login": "huurder@example.nl", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert anoniem.get("/mijn/").status_code == 200


def test_a_wrong_password_gets_a_dutch_message(anoniem, huurder):
    response = anoniem.post("/accounts/login/", {"login": "huurder@example.nl", "password": "fout"})
    assert "Het e-mailadres of het wachtwoord klopt niet." in response.text


def test_there_is_no_public_sign_up(anoniem, db):
    from portal.models import User

    anoniem.post(
        "/accounts/signup/",
        {"email": "nieuw@example.nl", "password1": "x-long-pass-1", "password2": "x-long-pass-1"},
    )
    assert not User.objects.filter(email="nieuw@example.nl").exists()


def test_forgot_password_sends_a_reset_link(anoniem, huurder, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        anoniem.post("/accounts/password/reset/", {"email": "huurder@example.nl"})
    assert mailoutbox[0].to == ["huurder@example.nl"]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_it_changes_contact_data(huurder_client, huurder):
    response = huurder_client.post(
        "/mijn/gegevens/",
        {
            "phone_private": "0546-123456",
            "phone_work": "",
            "phone_mobile": "+31 6 11122233",
            "email": huurder.email,
        },
    )
    huurder.refresh_from_db()
    assert response.status_code == 302
    assert (huurder.phone_private, huurder.phone_mobile) == ("0546 123 456", "06 11122233")


def test_a_bad_phone_number_is_refused_and_the_input_kept(huurder_client, huurder):
    response = huurder_client.post(
        "/mijn/gegevens/",
        {"phone_private": "12345", "phone_work": "", "phone_mobile": "06 11122233", "email": ""},
    )
    assert "Vul een geldig telefoonnummer in" in response.text
    assert "Vul uw e-mailadres in." in response.text
    assert 'value="06 11122233"' in response.text
    assert "Er is iets niet goed ingevuld" in response.text
    huurder.refresh_from_db()
    assert huurder.phone_mobile == ""


def test_other_data_becomes_a_case_with_its_expected_date(huurder_client, huurder):
    response = huurder_client.post(
        "/mijn/gegevens/wijzigen/", {"surname": "Jansen", "explanation": "Getrouwd"}
    )
    case = Case.objects.get(tenant=huurder)
    assert response["Location"] == f"/mijn/aanvragen/{case.number}/"
    text = huurder_client.get(response["Location"]).text
    assert "We verwachten dat deze zaak op" in text
    assert "Jansen" in text
    huurder.refresh_from_db()
    assert huurder.surname == "Vries"


def test_an_empty_change_request_is_refused_and_the_input_kept(huurder_client):
    response = huurder_client.post("/mijn/gegevens/wijzigen/", {"surname": "", "explanation": "Mijn uitleg"})
    assert "U heeft niets gewijzigd" in response.text
    assert "Mijn uitleg" in response.text
    assert not Case.objects.exists()


def test_the_tenant_can_write_on_a_case(huurder_client, data_change_case):
    huurder_client.post(f"/mijn/aanvragen/{data_change_case.number}/bericht/", {"body": "De akte volgt."})
    assert data_change_case.messages.filter(to_staff=True, body="De akte volgt.").exists()


def test_an_empty_message_is_refused(huurder_client, data_change_case):
    response = huurder_client.post(f"/mijn/aanvragen/{data_change_case.number}/bericht/", {"body": ""})
    assert "Schrijf een bericht." in response.text


def test_the_tenant_gives_feedback_as_last_step(huurder_client, data_change_case, medewerker):
    from portal.cases import Actor
    from portal.services import case_transition

    case_transition(case=data_change_case, name="complete", actor=medewerker, role=Actor.STAFF)
    assert "Uw mening" in huurder_client.get(data_change_case.get_absolute_url()).text
    huurder_client.post(
        f"/mijn/aanvragen/{data_change_case.number}/mening/", {"rating": "5", "comment": "Top"}
    )
    data_change_case.refresh_from_db()
    assert data_change_case.state == "closed"


def test_the_tenant_can_withdraw_a_fresh_request(huurder_client, data_change_case):
    huurder_client.post(f"/mijn/aanvragen/{data_change_case.number}/intrekken/")
    data_change_case.refresh_from_db()
    assert data_change_case.state == "withdrawn"


def test_opening_a_message_marks_it_read(huurder_client, huurder):
    message = Message.objects.create(person=huurder, subject="Nieuw", body="Tekst")
    huurder_client.get(f"/mijn/berichten/{message.pk}/")
    message.refresh_from_db()
    assert message.read_at is not None


def test_the_invoice_page_lists_open_items(huurder_client):
    text = huurder_client.get("/mijn/betalen/").text
    assert "Afrekening servicekosten" in text
    assert "€\xa087,56" in text


def test_the_invoice_page_says_when_nothing_is_open(buur_client):
    assert "U heeft op dit moment geen openstaande facturen." in buur_client.get("/mijn/betalen/").text


def test_my_home_shows_contract_and_rent_composition(huurder_client, huurder):
    from decimal import Decimal

    from contracts.models import Contract, ServiceCharge

    contract = Contract.objects.get(number="HC-1")
    ServiceCharge.objects.create(
        contract=contract, description="Schoonmaak trappenhuis", amount=Decimal("14.25")
    )
    text = huurder_client.get("/mijn/woning/").text
    assert "HC-1" in text and "PC-1" in text
    assert "Schoonmaak trappenhuis" in text
    assert "€\xa0626,65" in text  # 612,40 kale huur + 14,25 servicekosten


def test_the_home_page_has_three_doors(anoniem):
    text = anoniem.get("/").text
    assert "door--huur" in text and "door--zoek" in text and "door--over" in text


def test_the_browser_language_does_not_switch_the_portal_to_english(anoniem, db):
    response = anoniem.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert "Ik huur" in response.text


def test_the_language_switch_does(anoniem, db):
    anoniem.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert anoniem.get("/")["Content-Language"] == "en"
