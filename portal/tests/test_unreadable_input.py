"""A NUL byte or bytes that are not UTF-8 anywhere in a request get a plain 400 page.

PostgreSQL refuses a NUL in any text, so before this every lookup of such a value was a
500 (/mijn/aanvragen/Z2026%00/, /woningaanbod/HW%00/, the webhook's id, admin filters).
tests/test_input_sweep.py sends them everywhere; these tests say what the answer is.
"""

import logging

import pytest

SORRY = "tekens die wij niet kunnen lezen"


def refused(response) -> bool:
    return response.status_code == 400 and SORRY in response.content.decode()


@pytest.mark.parametrize("path", ["/mijn/aanvragen/Z2026%00/", "/woningaanbod/HW%00/", "/mijn/%FF%FE/"])
def test_a_path_with_a_nul_or_bytes_that_are_not_utf8_is_refused(path, huurder_client):
    assert refused(huurder_client.get(path))


def test_a_static_path_with_a_nul_is_refused(client):
    assert refused(client.get("/static/css/site.css%00"))


@pytest.mark.parametrize("query", [{"q": "\x00"}, {"q": b"\xff\xfe"}, {"\x00": "x"}])
def test_a_query_with_a_nul_or_bytes_that_are_not_utf8_is_refused(query, client):
    assert refused(client.get("/woningaanbod/", query))


def test_a_form_with_a_nul_is_refused(client):
    assert refused(client.post("/betalen/webhook/", {"id": "tr_\x00abc"}))


def test_a_urlencoded_form_with_bytes_that_are_not_utf8_is_refused(client):
    body = b"id=tr_%FF%FEabc"
    assert refused(client.post("/betalen/webhook/", body, "application/x-www-form-urlencoded"))


def test_a_urlencoded_form_with_a_nul_is_refused(client):
    body = b"id=tr_%00abc"
    assert refused(client.post("/betalen/webhook/", body, "application/x-www-form-urlencoded"))


def test_a_session_cookie_with_a_nul_is_refused(huurder_client):
    huurder_client.cookies["sessionid"] = "\x00" + "a" * 31
    assert refused(huurder_client.get("/mijn/"))


def test_ordinary_dutch_text_passes(huurder_client):
    assert huurder_client.get("/woningaanbod/", {"plaats": "Zoë’s “Één” straße"}).status_code == 200
    body = "body=Ge%C3%AFrriteerd+%E2%82%AC+5"
    response = huurder_client.post("/mijn/gegevens/wijzigen/", body, "application/x-www-form-urlencoded")
    assert response.status_code == 200


def test_a_replacement_character_typed_in_a_multipart_form_passes(huurder_client):
    """A person may paste U+FFFD; in a multipart form Django also puts it where bytes
    were not UTF-8. It is text like any other and reaches the view."""
    response = huurder_client.post("/mijn/gegevens/wijzigen/", {"surname": "Jansen \ufffd"})
    assert response.status_code != 400


def test_a_refusal_is_logged_as_suspicious(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.security.UnreadableInput"):
        client.get("/mijn/aanvragen/Z2026%00/")
    assert [r.name for r in caplog.records] == ["django.security.UnreadableInput"]


def test_the_page_repeats_nothing_of_the_request(client):
    response = client.get("/mijn/", {"q": "<script>\x00"})
    assert "script" not in response.content.decode()


def test_the_page_speaks_the_visitors_language(client):
    client.cookies["django_language"] = "en"
    response = client.get("/mijn/aanvragen/Z2026%00/")
    assert response.status_code == 400 and response["Content-Language"] == "en"


def test_the_refusal_page_carries_the_headers_every_page_has(client):
    """The 400 comes from a middleware; the header middleware sit outside it, so it is framed and
    scripted by nothing, like every other page."""
    response = client.get("/woningaanbod/HW%00/")
    assert refused(response)
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
