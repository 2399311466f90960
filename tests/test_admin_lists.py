"""Every admin list, swept: what a query string may filter on, which choices a filter offers,
and that the admin has no "view on site" redirect.

The sweeps walk the admin's registry, so a new admin class, a new field or a new
filter is covered without anyone adding a line here.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch

from allocation.models import Document
from conftest import client_for
from portal.admin_scoping import scope_queryset
from portal.admin_site import PortalAdminSite
from portal.models import Case, User
from repairs.models import RepairPhoto


def changelist(model) -> str:
    return f"/beheer/{model._meta.app_label}/{model._meta.model_name}/"


def filter_paths(model_admin) -> set[str]:
    """The fields the list offers to filter on: its list_filter and date_hierarchy."""
    paths = {model_admin.date_hierarchy}
    for entry in model_admin.list_filter:
        if isinstance(entry, (list, tuple)):
            paths.add(entry[0])
        elif isinstance(entry, str):
            paths.add(entry)
    return paths


def unoffered_lookups():
    """(model, lookup, value) for each concrete field of each admin's model, as the list does not offer it.

    A filter field keeps its `__isnull` (the list's own filter sends it); a lookup no
    filter sends (`__startswith`) is swept on every field.
    """
    for model, model_admin in admin.site._registry.items():
        offered = filter_paths(model_admin)
        for field in model._meta.concrete_fields:
            yield model, f"{field.name}__startswith", "x"
            if field.name not in offered:
                yield model, f"{field.name}__isnull", "True"


def refused(response) -> bool:
    """Django answers a refused lookup with 400, or sends the list back with ?e=1; no rows either way."""
    if response.status_code in (400, 403):
        return True
    return response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.parametrize("who", ["medewerker", "beheer"])
def test_no_admin_list_filters_on_a_field_it_does_not_offer(who, request):
    client = client_for(request.getfixturevalue(who))
    allowed = [
        f"{changelist(model)}?{lookup}={value}"
        for model, lookup, value in unoffered_lookups()
        if not refused(client.get(changelist(model), {lookup: value}))
    ]
    assert allowed == []


def test_the_sweep_reaches_the_password_of_people():
    # The sweep is only worth something if it reaches the field the oracle used.
    assert (User, "password__startswith", "x") in set(unoffered_lookups())


# --- search and ordering ------------------------------------------------------------


def portal_errors(site) -> list[str]:
    return [error.id for error in site.check(None) if error.id.startswith("portal.")]


def test_no_admin_searches_or_orders_on_a_hidden_field():
    assert portal_errors(admin.site) == []


@pytest.mark.parametrize(
    ("model", "options"),
    [
        (User, {"search_fields": ("email", "password")}),
        (Case, {"search_fields": ("^tenant__password",)}),
        (User, {"ordering": ("-password",)}),
        (User, {"list_filter": ("password",)}),
        (Case, {"date_hierarchy": "tenant__password"}),
        (
            User,
            {
                "list_display": ("email", "hashed"),
                "hashed": admin.display(ordering="password")(lambda self, obj: ""),
            },
        ),
        (RepairPhoto, {"search_fields": ("token",)}),
        (Document, {"list_filter": ("file",)}),
    ],
)
def test_a_hidden_field_in_an_admin_list_fails_the_checks(model, options):
    site = PortalAdminSite(name="probe")
    site.register(model, type("ProbeAdmin", (admin.ModelAdmin,), options))
    assert portal_errors(site) == ["portal.E101"]


# --- filter choices ---------------------------------------------------------------------


@pytest.fixture
def demo(db):
    from portal.management.commands.demo import load_demo_data

    load_demo_data()


@pytest.mark.parametrize("email", ["collega@example.nl", "medewerker@example.nl"])
def test_every_related_filter_offers_only_what_the_staff_member_may_see(demo, email):
    staff = User.objects.get(email=email)
    client = client_for(staff)
    offered, foreign = 0, []
    for model in admin.site._registry:
        response = client.get(changelist(model))
        assert response.status_code in (200, 403), changelist(model)
        if response.status_code == 403:
            continue
        for spec in response.context["cl"].filter_specs:
            if not isinstance(spec, RelatedFieldListFilter):
                continue
            remote = spec.field.related_model
            visible = scope_queryset(remote._default_manager.all(), staff)
            for value, label in spec.lookup_choices:
                offered += 1
                if not visible.filter(pk=value).exists():
                    foreign.append(f"{model._meta.label}: {spec.title} = {label}")
    assert foreign == []
    assert offered  # the demo data gives the sweep something to look at


# --- view on site -------------------------------------------------------------------------


def test_no_admin_or_inline_links_to_view_on_site(rf, beheer):
    request = rf.get("/beheer/")
    request.user = beheer
    for model, model_admin in admin.site._registry.items():
        obj = model(pk=1)
        for options in (model_admin, *model_admin.get_inline_instances(request, obj)):
            try:
                url = options.get_view_on_site_url(options.model(pk=1))
            except NoReverseMatch:
                url = "a link to a missing page"
            assert url is None, f"{type(options).__name__} links to {url}"


@pytest.mark.parametrize("who", ["collega", "beheer"])
def test_the_view_on_site_redirect_is_gone(who, request, data_change_case, huurder_repair):
    client = client_for(request.getfixturevalue(who))
    for obj in (data_change_case, huurder_repair):
        content_type = ContentType.objects.get_for_model(obj)
        response = client.get(f"/beheer/r/{content_type.pk}/{obj.pk}/")
        assert response.status_code == 404
        assert obj.number not in response.get("Location", "")


def _date_hierarchy_lists():
    return [
        (model, model_admin.date_hierarchy)
        for model, model_admin in admin.site._registry.items()
        if model_admin.date_hierarchy
    ]


@pytest.mark.parametrize(
    "query",
    [
        "{d}__year=11111111111111111111",
        "{d}__year=2026&{d}__month=11111111111111111111",
        "{d}__year=2026&{d}__month=12&{d}__day=11111111111111111111",
        "{d}__year=9999&{d}__month=12",
        "{d}__year=9999&{d}__month=12&{d}__day=31",
    ],
)
def test_a_date_past_the_calendar_in_the_date_drill_down_is_a_bad_parameter(query, beheer):
    """The date hierarchy builds datetimes from the query string; a year past what a C long holds
    or a month after December 9999 overflowed into a 500 instead of Django's ?e=1."""
    client = client_for(beheer)
    lists = _date_hierarchy_lists()
    assert lists, "no admin list has a date hierarchy to try"
    for model, field in lists:
        opts = model._meta
        response = client.get(f"/beheer/{opts.app_label}/{opts.model_name}/?" + query.format(d=field))
        assert response.status_code == 302 and response["Location"].endswith("?e=1"), (
            f"{opts.label}: {response.status_code}"
        )
