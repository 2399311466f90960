"""The permission matrix: nobody but tenant A sees or changes tenant A's data.

Every portal URL is requested as anonymous, tenant B (same complex), and
staff of the other corporation. Pages that list "my" things must not show
any of A's data; pages about one of A's objects must answer 404 (not 403:
another person's case simply does not exist for you); POSTs must change
nothing. `test_every_portal_url_is_in_the_matrix` fails when a new URL is
added without a row here.
"""

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
    Row("repairs:my_repairs", "/mijn/reparaties/"),
]

#: Strings that only appear on a page that shows tenant A's data.
A_SECRETS = ("huurder@example.nl", "Sanne", "HC-1", "125,31", "87,56", "Geheim onderwerp")


@pytest.fixture
def a_objects(huurder, woonkracht):
    from portal.services import data_change_request

    case = data_change_request(
        tenant=huurder, corporation=woonkracht, submitted={"surname": "Jansen"}, explanation="Geheim"
    )
    message = Message.objects.create(person=huurder, subject="Geheim onderwerp", body="Alleen voor A")
    return {"case": case.number, "message": message.pk}


def snapshot(huurder):
    """Everything about A that a POST could change."""
    huurder.refresh_from_db()
    case = Case.objects.get(tenant=huurder)
    return (
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
    response = getattr(client, row.method)(row.path.format(**a_objects), row.data)
    after = snapshot(huurder)

    assert after == before, f"{who} changed tenant A's data through {row.method.upper()} {row.path}"
    body = response.content.decode()
    for secret in A_SECRETS:
        assert secret not in body, f"{who} saw {secret!r} on {row.path}"
    if who == "anoniem" and row.kind != "public":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif row.kind == "object":
        assert response.status_code == 404


@pytest.mark.parametrize("row", [r for r in ROWS if r.method == "get"], ids=lambda r: r.path)
def test_tenant_a_does_see_their_own_pages(row, a_objects, huurder_client):
    response = huurder_client.get(row.path.format(**a_objects))
    assert response.status_code == 200


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
