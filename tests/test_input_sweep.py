"""No input makes the portal answer 500: not a NUL byte, not an over-long value, not bytes
that are not UTF-8, in any path parameter, query parameter or form field of any URL, nor a
strange file (a name with a NUL byte or a right-to-left override, an empty file) in any file
input, for any persona.

PostgreSQL refuses a NUL in a text value (psycopg raises ValueError), an integer past
bigint and a string past a column's length, where SQLite stores them without a word: the
sweep means most on PostgreSQL (CI's PostgreSQL pass), and runs on SQLite too.

Nothing is listed here by hand. The URLs come from the permission matrix
(tests/test_permissions.py: ROWS and OUTSIDE_MATRIX, with real arguments for tenant A's
objects) and from the admin's registry; the fields from each row's data and from the forms
that the persona actually gets on those pages. A new URL, a new admin or a new form field
is swept without anyone remembering to.

Every request runs in a savepoint that is rolled back, and the client's cookies and the
cache are put back afterwards: each request meets the data, the session and the rate
limits of the first, so a POST that succeeds does not change what the next one sees.

A sweep that sends little proves little: each persona's number of requests, and of requests
with a bad file, must reach a floor (`FLOORS`), so that a discovery that stops finding URLs,
forms, fields or file inputs fails instead of passing with nothing sent.
"""

import copy
import string
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils.http import urlencode

from conftest import client_for
from portal.tests.files import jpeg_bytes
from tests import test_permissions as matrix
from tests.test_permissions import OUTSIDE_MATRIX, ROWS, Row

NUL = "\x00"
NOT_UTF8 = b"\xff\xfe"
#: Past bigint, past every max_length of ours, and still a number to Python (which refuses
#: to parse more than 4300 digits).
OVERLONG = "9" * 1000

PERSONAS = ("anoniem", "huurder", "buur", "medewerker", "collega", "beheer", "zoeker")

#: The matrix's fixtures: tenant A's objects and the accounts pages' keys.
a_objects = matrix.a_objects
account_objects = matrix.account_objects


#: The kinds of bad value: what is added to a real value (which stays in front, so that
#: what reads the input gets as far as it can with it), and how a form sends it (None: as
#: its page says). Bytes that are not UTF-8 go as multipart too: the middleware cannot see
#: them there (Django has made them U+FFFD), so the view must bear them. Only a POST has
#: the last one.
BAD_VALUES = [
    ("NUL", lambda value: value + NUL, None),
    ("over-long", lambda value: value + OVERLONG, None),
    ("not UTF-8", lambda value: value.encode() + NOT_UTF8, False),
    ("not UTF-8 in multipart", lambda value: value.encode() + NOT_UTF8, True),
]
#: The same in a path, which the test client percent-decodes into bytes as a web server does.
BAD_IN_PATH = [("NUL", "%00"), ("over-long", OVERLONG), ("not UTF-8", "%FF%FE")]
#: What goes into a file input (as multipart, with the form's other fields as they are): a
#: real photo under a name with a NUL byte and one with a right-to-left override, and an
#: empty file.
BAD_FILES = [
    ("file named with a NUL", lambda: SimpleUploadedFile("foto\x00.jpg", jpeg_bytes(), "image/jpeg")),
    ("file named with U+202E", lambda: SimpleUploadedFile("\u202egpj.exe", jpeg_bytes(), "image/jpeg")),
    ("empty file", lambda: SimpleUploadedFile("leeg.pdf", b"", "application/pdf")),
]

#: Requests each persona's sweep sends at the least, in all and with a bad file: today's
#: numbers less a margin, so that new URLs and fields only add to them. Fewer means the
#: discovery lost URLs, forms, fields or file inputs (or the persona could not log in); lower
#: a floor only when pages were removed on purpose.
FLOORS = {
    "portal": {
        "anoniem": (500, 0),
        "huurder": (660, 3),
        "buur": (520, 3),
        "medewerker": (440, 3),
        "collega": (410, 3),
        "beheer": (440, 3),
        "zoeker": (640, 3),
    },
    # Without staff rights the admin is its login page; staff get its lists and forms.
    "admin": {
        "anoniem": (950, 0),
        "huurder": (950, 0),
        "buur": (950, 0),
        "medewerker": (1150, 6),
        "collega": (1080, 3),
        "beheer": (1290, 6),
        "zoeker": (950, 0),
    },
}


# --- what to send --------------------------------------------------------------


@dataclass
class Target:
    """One URL and method with the fields a browser would send to it."""

    method: str
    path: str  # the real path, without the query string
    #: name -> the real values (empty: the field exists but has no value to send)
    fields: dict = field(default_factory=dict)
    multipart: bool = False
    query: str = ""  # a POST's query string, sent as it is
    #: the path template and its arguments, to spoil each path parameter in turn
    template: str = ""
    args: dict = field(default_factory=dict)
    #: a page to open first (in the same savepoint) when the form was found behind a
    #: redirect that put something in the session (a password-reset key)
    prelude: str = ""
    #: spoil all fields in one request per kind of bad value, not one field at a time
    together: bool = False
    #: the names of its file inputs
    files: list = field(default_factory=list)

    def base(self) -> dict:
        return {name: values for name, values in self.fields.items() if values}


class Forms(HTMLParser):
    """The forms of a page, each with what a browser would submit as it stands."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._form = self._select = self._textarea = self._option = None

    def handle_starttag(self, tag, attrs):
        a = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self._form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action", ""),
                "multipart": "multipart" in a.get("enctype", ""),
                "fields": {},
                "button": None,
                "radios": {},
                "files": [],
            }
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                form["button"] = form["button"] or (name, a.get("value", ""))
                form["fields"].setdefault(name, [])
            elif kind in ("checkbox", "radio"):
                values = form["fields"].setdefault(name, [])
                if "checked" in a:
                    values.append(a.get("value", "on"))
                elif kind == "radio":
                    form["radios"].setdefault(name, a.get("value", "on"))
            elif kind == "file":
                form["files"].append(name)
            elif kind not in ("button", "reset"):
                form["fields"].setdefault(name, []).append(a.get("value", ""))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            form["button"] = form["button"] or (name, a.get("value", ""))
            form["fields"].setdefault(name, [])
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "selected": []}
            form["fields"].setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"].setdefault(name, [])

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            values = self._form["fields"][self._textarea]
            values[:] = [(values[0] if values else "") + data]

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            option, self._option = self._option, None
            value = option["value"] if option["value"] is not None else option["text"].strip()
            select = self._select
            select["first"] = value if select["first"] is None else select["first"]
            if option["selected"]:
                select["selected"].append(value)
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            chosen = select["selected"] or ([select["first"]] if select["first"] is not None else [])
            self._form["fields"][select["name"]] = chosen
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            form, self._form = self._form, None
            for name, value in form["radios"].items():
                if not form["fields"][name]:
                    form["fields"][name] = [value]
            if form["button"]:
                name, value = form["button"]
                form["fields"][name] = [value]


def path_and_query(url: str) -> tuple[str, dict]:
    parts = urlsplit(url)
    query = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        query.setdefault(name, []).append(value)
    return parts.path, query


def placeholders(template: str) -> list:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def row_target(row: Row, args: dict) -> Target:
    path, query = path_and_query(row.path.format(**args))
    data = {name: [str(value).format(**args)] for name, value in row.data.items()}
    template = urlsplit(row.path).path
    if row.method == "get":
        return Target("get", path, query | data, template=template, args=args)
    return Target(
        row.method, path, data, query=urlsplit(row.path.format(**args)).query, template=template, args=args
    )


def form_targets(page: str, html: str, prelude: str) -> list:
    parser = Forms()
    parser.feed(html)
    targets = []
    for form in parser.forms:
        action = urljoin(page, form["action"])
        if urlsplit(action).netloc not in ("", "testserver"):
            continue  # a form that leaves the portal (none today) is not ours to sweep
        fields = {name: values for name, values in form["fields"].items() if name != "csrfmiddlewaretoken"}
        path, query = path_and_query(action)
        if form["method"] == "get":
            targets.append(Target("get", path, query | fields, prelude=prelude))
        else:
            query = urlsplit(action).query
            target = Target("post", path, fields, form["multipart"], query, prelude=prelude)
            target.files = form["files"]
            targets.append(target)
    return targets


def merge(targets: dict, new: Target):
    """One target per method and path, with the fields of every form that goes there;
    a row brings the path parameters, and its example values win over the page's."""
    old = targets.setdefault((new.method, new.path), new)
    if old is new:
        return
    if new.template:
        old.fields |= {
            name: values for name, values in new.fields.items() if values or name not in old.fields
        }
        old.template, old.args, old.query = new.template, new.args, new.query or old.query
    else:
        for name, values in new.fields.items():
            old.fields[name] = old.fields.get(name) or values
    old.multipart = old.multipart or new.multipart
    old.prelude = old.prelude or new.prelude
    old.files = list(dict.fromkeys(old.files + new.files))


# --- sending -------------------------------------------------------------------


@contextmanager
def no_trace(client: Client):
    """The savepoint is rolled back, the cookies (session, language) and the cache (rate
    limits) are put back."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            yield
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
        cache.clear()


def send(client: Client, target: Target, path: str, data: dict, multipart=None):
    with no_trace(client):
        if target.prelude:
            client.get(target.prelude, follow=True)
        if target.method == "get":
            response = client.get(path, data)
        elif target.multipart if multipart is None else multipart:
            response = client.post(path, data)
        else:
            body = urlencode(data, doseq=True)
            response = client.generic(target.method.upper(), path, body, "application/x-www-form-urlencoded")
        if response.streaming:
            b"".join(response.streaming_content)
    return response


def attempts(target: Target):
    """(what, path, data, multipart) for each path parameter, each file input and each field of
    `target`, spoiled one at a time (all fields at once when `target.together`)."""
    query = f"?{target.query}" if target.query else ""
    base = target.base()
    kinds = BAD_VALUES if target.method != "get" else BAD_VALUES[:-1]
    for name in placeholders(target.template):
        for label, bad in BAD_IN_PATH:
            path = target.template.format(**(target.args | {name: f"{target.args[name]}{bad}"}))
            yield f"{{{name}}} {label}", path + query, base, None
    if target.method == "post":
        # One file input at a time; an admin form's all at once, as its other fields are.
        groups = [target.files] if target.together and target.files else [[name] for name in target.files]
        for group in groups:
            for label, bad_file in BAD_FILES:
                data = base | {name: bad_file() for name in group}
                yield f"{', '.join(group)} {label}", target.path + query, data, True
    if target.together:
        for label, spoil, multipart in kinds if target.fields else []:
            data = {name: [spoil(values[0] if values else "")] for name, values in target.fields.items()}
            yield f"every field {label}", target.path + query, data, multipart
        return
    for name, values in target.fields.items():
        for label, spoil, multipart in kinds:
            yield (
                f"{name} {label}",
                target.path + query,
                base | {name: [spoil(values[0] if values else "")]},
                multipart,
            )


def sweep(client: Client, targets: list) -> tuple[list, Counter]:
    """Send every attempt of every target; what answers 500 or raises is a failure.

    Also returns how many requests went out: in all, and with a bad file."""
    failures, count = [], Counter()
    for target in targets:
        for what, path, data, multipart in attempts(target):
            count["requests"] += 1
            count["files"] += any(isinstance(value, SimpleUploadedFile) for value in data.values())
            try:
                response = send(client, target, path, data, multipart)
            except Exception as exc:  # noqa: BLE001 (every exception that escapes is a finding)
                failures.append(f"{target.method.upper()} {target.path} {what}: {type(exc).__name__}: {exc}")
                continue
            if response.status_code >= 500:
                failures.append(f"{target.method.upper()} {target.path} {what}: {response.status_code}")
    return failures, count


def discover(client: Client, rows: list, together=lambda path: False) -> list:
    """The rows as targets, plus every form on the pages they lead to (for this persona);
    the fields of a form that posts to a path where `together(path)` are spoiled all at once."""
    targets = {}
    pages = []
    for row, args in rows:
        merge(targets, row_target(row, args))
        pages.append(row.path.format(**args))
    for page in dict.fromkeys(pages):
        with no_trace(client):
            response = client.get(page, follow=True)
        if response.streaming or "html" not in response.get("Content-Type", ""):
            continue
        final = response.request["PATH_INFO"]
        if response.request.get("QUERY_STRING"):
            final += "?" + response.request["QUERY_STRING"]
        prelude = page if response.redirect_chain else ""
        for target in form_targets(final, response.content.decode(errors="replace"), prelude):
            target.together = together(target.path)
            merge(targets, target)
    return list(targets.values())


# --- who -----------------------------------------------------------------------


@pytest.fixture
def zoeker(a_objects, woonkracht):
    """A seeker registered in the region of tenant A's listing."""
    from allocation.models import Reaction
    from allocation.tests.test_reacting import registration, seeker

    person = seeker()
    registration(person, Reaction.objects.get(pk=a_objects["reaction"]).listing.region)
    return person


@dataclass
class Persona:
    name: str
    client: Client
    user: object


@pytest.fixture
def persona(request, a_objects):
    from django.contrib.auth.models import AnonymousUser

    if request.param == "anoniem":
        return Persona("anoniem", Client(), AnonymousUser())
    user = request.getfixturevalue(request.param)
    return Persona(request.param, client_for(user), user)


def check(persona: Persona, failures: list, count: Counter, area: str):
    sent = count["requests"]
    assert failures == [], f"{len(failures)} of {sent} requests failed:\n" + "\n".join(failures[:60])
    requests, files = FLOORS[area][persona.name]
    assert count["requests"] >= requests and count["files"] >= files, (
        f"the sweep sent only {count['requests']} requests ({count['files']} with a bad file) as "
        f"{persona.name}: at least {requests} ({files}) were expected"
    )
    # The sweep ran as the persona to the end: a logout among the requests was undone.
    expected = str(persona.user.pk) if persona.user.is_authenticated else None
    assert persona.client.session.get("_auth_user_id") == expected


# --- the portal ------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_no_portal_input_gives_a_server_error(persona, a_objects, account_objects):
    args = a_objects | account_objects
    targets = discover(persona.client, [(row, args) for row in ROWS + OUTSIDE_MATRIX])
    check(persona, *sweep(persona.client, targets), "portal")


# --- the admin -------------------------------------------------------------------


def admin_rows(user, superuser) -> list:
    """Every admin page with real arguments: the index, each app, and per registered model
    its list (search, ordering, page and every filter's parameters, as `user` and as a
    superuser see them), add, change, history and delete of a real object (one `user` may
    see, when there is one), the link to the site, and the autocomplete of each
    autocomplete field."""
    from django.contrib.admin.views.main import ALL_VAR, ERROR_FLAG, ORDER_VAR, PAGE_VAR, SEARCH_VAR
    from django.contrib.contenttypes.models import ContentType
    from django.test import RequestFactory

    rows = [
        (Row("admin:index", "/beheer/"), {}),
        (Row("admin:jsi18n", "/beheer/jsi18n/"), {}),
        (Row("admin:password_change", "/beheer/password_change/"), {}),
        (Row("admin:logout", "/beheer/logout/", "post"), {}),
    ]
    apps = {model._meta.app_label for model in admin.site._registry}
    rows += [(Row("admin:app_list", f"/beheer/{app}/"), {}) for app in sorted(apps)]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"/beheer/{opts.app_label}/{opts.model_name}/"
        params = {SEARCH_VAR: "", ORDER_VAR: "", PAGE_VAR: "", ALL_VAR: "", ERROR_FLAG: ""}
        obj = model._default_manager.order_by("pk").first()
        for who in (superuser, user):
            request = RequestFactory().get(base)
            request.user = who
            if not who.is_authenticated or not model_admin.has_view_or_change_permission(request):
                continue
            obj = model_admin.get_queryset(request).order_by("pk").first() or obj
            changelist = model_admin.get_changelist_instance(request)
            for spec in changelist.filter_specs:
                params |= dict.fromkeys(spec.expected_parameters(), "")
            if changelist.date_hierarchy:
                # A real date: with the other parts empty Django stops at the first int(""),
                # and a spoiled year or day would never reach the date it builds.
                for part, value in (("year", "2026"), ("month", "12"), ("day", "31")):
                    params[f"{changelist.date_hierarchy}__{part}"] = value
        rows.append((Row(f"admin:{opts.model_name}_changelist", base, data=params), {}))
        rows.append((Row(f"admin:{opts.model_name}_add", base + "add/"), {}))
        if obj is not None:
            args = {"object_id": obj.pk, "content_type": ContentType.objects.get_for_model(model).pk}
            for view in ("change/", "history/", "delete/"):
                rows.append((Row(f"admin:{opts.model_name}", base + "{object_id}/" + view), args))
            rows.append((Row("admin:view_on_site", "/beheer/r/{content_type}/{object_id}/"), args))
        for name in model_admin.autocomplete_fields:
            data = {
                "term": "a",
                "app_label": opts.app_label,
                "model_name": opts.model_name,
                "field_name": name,
            }
            rows.append((Row("admin:autocomplete", "/beheer/autocomplete/", data=data), {}))
    return rows


def is_admin_form(path: str) -> bool:
    """An add or change form has its fields spoiled all at once: Django's ModelForm cleans
    and renders each field on its own, and one request per field would take minutes."""
    return path.endswith(("/add/", "/change/"))


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_no_admin_input_gives_a_server_error(persona, a_objects, beheer):
    targets = discover(persona.client, admin_rows(persona.user, beheer), together=is_admin_form)
    check(persona, *sweep(persona.client, targets), "admin")
