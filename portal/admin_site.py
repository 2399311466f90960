"""The admin site at /beheer/: every list answers only the questions its page asks.

Django lets a list's query string filter on any field of the model
(`?password__startswith=pbkdf2`), and the number of rows that come back
answers a question about a value the page never shows. `PortalAdminSite`
gives every admin class registered on it, ours and other apps' alike,
`ListedLookupsOnly`: a list filters through its own filters (list_filter,
date_hierarchy) and the `limit_choices_to` lookups Django's raw-id popup
sends, and refuses anything else with 400, as Django refuses a lookup it
does not allow. No one has to remember to add it to a new admin class.

Search fields, orderings and filters are code, not input: the system check
`hidden_field_errors` refuses, at start-up, any that reach a field no admin
page shows (a password, a token, a stored file, a BSN or IBAN).

Every e-mail field of every admin form is the portal's own (`PortalFormFields`).

The site also has no "view on site" redirect (`/beheer/r/<type>/<id>/`): it
sent anyone with access to the admin on to the object's own page, whatever
its corporation, with the object's number in the address.
"""

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import url_params_from_lookup_dict
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP

from portal.forms import EmailAddressField

#: Parts of a field name that say it holds a secret or an identifier the admin never shows.
HIDDEN_NAME_PARTS = frozenset({"password", "token", "secret", "bsn", "iban"})


def is_hidden(field) -> bool:
    """A field no admin list may filter, search or order on.

    A stored file's name is the storage path (for a repair photo, its token);
    a document is shown as the name it was uploaded with, never the file.
    """
    if isinstance(field, models.FileField):
        return True
    return bool(HIDDEN_NAME_PARTS & set(field.name.lower().split("_")))


def popup_lookup(model, lookup: str, value: str) -> bool:
    """A lookup Django's raw-id popup sends for a ForeignKey's limit_choices_to (as its lookup_allowed)."""
    for limit in model._meta.related_fkey_lookups:
        if callable(limit):
            limit = limit()
        if (lookup, value) in url_params_from_lookup_dict(limit).items():
            return True
    return False


class ListedLookupsChangeList(ChangeList):
    def get_filters(self, request):
        asked = self.get_filters_params()
        try:
            result = super().get_filters(request)
        except OverflowError as exc:
            # The date hierarchy turns ?<field>__year=… into datetimes: a year past what a
            # C long holds, or a month after December 9999, overflows where Django only
            # expects a ValueError. Answered like any other bad parameter (?e=1).
            raise IncorrectLookupParameters(exc) from exc
        # Each filter (and the date hierarchy) has taken its own parameters
        # out; what remains of the query string was not offered by the page.
        remaining = result[2]
        for lookup, values in asked.items():
            if lookup in remaining and not all(popup_lookup(self.model, lookup, v) for v in values):
                raise DisallowedModelAdminLookup(f"Filtering by {lookup} not allowed")
        return result


class ListedLookupsOnly:
    """For every ModelAdmin on the portal's site (PortalAdminSite adds it)."""

    def get_changelist(self, request, **kwargs):
        return ListedLookupsChangeList

    # The site serves no "view on site" redirect to link to; a callable
    # view_on_site gives an address of its own and keeps working.
    def get_view_on_site_url(self, obj=None):
        return None if self.view_on_site is True else super().get_view_on_site_url(obj)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            if inline.view_on_site is True:
                inline.view_on_site = False
        return inlines

    def check(self, **kwargs):
        return [*super().check(**kwargs), *hidden_field_errors(self)]


def _field_at(model, path: str):
    """The last field a lookup path (`tenant__password__startswith`) reaches, or None."""
    field = None
    for part in path.split(LOOKUP_SEP):
        if model is None:
            break
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break  # a lookup or transform: the field before it is the one compared
        model = field.related_model
    return field


def _list_paths(model_admin):
    """(option, path) for every field the list may filter, search or order on."""
    for name in model_admin.search_fields:
        yield "search_fields", name.lstrip("^=@")
    for name in model_admin.ordering or ():
        if isinstance(name, str):
            yield "ordering", name.lstrip("-")
    for entry in model_admin.list_filter:
        path = entry[0] if isinstance(entry, (list, tuple)) else entry
        if isinstance(path, str):
            yield "list_filter", path
    if model_admin.date_hierarchy:
        yield "date_hierarchy", model_admin.date_hierarchy
    for column in model_admin.list_display:
        yield "list_display", _column_ordering(model_admin, column)


def _column_ordering(model_admin, column) -> str | None:
    """What a click on the column's header sorts by (as ChangeList.get_ordering_field)."""
    if isinstance(column, str) and (LOOKUP_SEP in column or _field_at(model_admin.model, column)):
        return column
    if callable(column):
        attr = column
    elif hasattr(model_admin, column):
        attr = getattr(model_admin, column)
    else:
        attr = getattr(model_admin.model, column, None)
    if isinstance(attr, property):
        attr = attr.fget
    order = getattr(attr, "admin_order_field", None)
    return order.lstrip("-") if isinstance(order, str) else None


def hidden_field_errors(model_admin) -> list[checks.Error]:
    errors = []
    for option, path in _list_paths(model_admin):
        field = _field_at(model_admin.model, path) if path else None
        if field is not None and is_hidden(field):
            errors.append(
                checks.Error(
                    f"{option} reaches {path!r}, which no admin page shows: "
                    "a list must not filter, search or order on it.",
                    obj=type(model_admin),
                    id="portal.E101",
                )
            )
    return errors


class PortalFormFields:
    """An e-mail field in the admin takes what the portal's forms take
    (portal.forms.EmailAddressField): at most 254 characters, a domain the mail can
    write, and Dutch messages."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.EmailField):
            kwargs.setdefault("form_class", EmailAddressField)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PortalAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        mixins = tuple(
            mixin for mixin in (ListedLookupsOnly, PortalFormFields) if not issubclass(admin_class, mixin)
        )
        if mixins:
            # Other apps' admin classes (auth's groups, allauth's addresses) too.
            admin_class = type(
                admin_class.__name__,
                (*mixins, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        return [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
