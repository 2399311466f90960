"""Staff see and change only their own corporation's rows in the admin.

Every admin class (and inline) mixes in `CorporationScopedMixin`. Superusers
see everything; a staff member sees the rows whose corporation is
`request.user.corporation`, and nothing at all without a corporation. The
mixin covers the list, the change/delete/history URLs (the admin looks the
object up through `get_queryset`, so another corporation's row "does not
exist"), the choices of foreign keys and many-to-many fields (including
autocomplete, which asks the target's admin, with widgets that bear a value that is
not an id), and the `corporation` field itself: hidden and fixed to the staff member's
own corporation. The choices of a list's related filters (a region, a trade, a complex)
come through the same scopes; a filter on corporation is left out for staff, who have one.

`SCOPES` says how each model reaches its corporation. A model registered in
the admin without an entry raises ImproperlyConfigured rather than showing
every corporation's rows.
"""

from collections.abc import Callable
from functools import cache

from django import forms
from django.contrib.admin.filters import RelatedFieldListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from portal.admin_widgets import CheckedAutocompleteSelect, CheckedAutocompleteSelectMultiple
from portal.models import Corporation

#: corporation id -> the condition on a model's rows.
Scope = Callable[[int], Q]


def _path(lookup: str) -> Scope:
    return lambda corporation: Q(**{lookup: corporation})


def _message_scope(corporation_id: int) -> Q:
    # A message on a case belongs to the case's corporation (a tenant may rent
    # from two); a loose message belongs to the person's corporation.
    return Q(case__corporation=corporation_id) | Q(case__isnull=True, person__corporation=corporation_id)


#: "app_label.model" -> function(corporation id) -> Q over the rows of that model.
SCOPES: dict[str, Scope] = {
    "portal.corporation": _path("pk"),
    "portal.user": _path("corporation"),
    "portal.case": _path("corporation"),
    "portal.caseevent": _path("case__corporation"),
    "portal.casefeedback": _path("case__corporation"),
    "portal.datachangerequest": _path("case__corporation"),
    "portal.message": _message_scope,
    "contracts.complex": _path("corporation"),
    "contracts.commonarea": _path("complex__corporation"),
    "contracts.unit": _path("corporation"),
    "contracts.space": _path("unit__corporation"),
    "contracts.valuation": _path("unit__corporation"),
    "contracts.contract": _path("corporation"),
    "contracts.servicecharge": _path("contract__corporation"),
    "contracts.servicecontract": _path("contract__corporation"),
    "payments.openitem": _path("corporation"),
}


def register_scope(model_label: str, lookup: str | Scope) -> None:
    """Let another app say how its model reaches a corporation."""
    SCOPES[model_label.lower()] = _path(lookup) if isinstance(lookup, str) else lookup


def is_global(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def scope_queryset(queryset, user, *, strict: bool = True):
    """Rows of `queryset` that `user` may see in the admin.

    With `strict`, a model without a scope is an error; otherwise (choices
    of a foreign key to, say, a permission) it is left as it is.
    """
    if is_global(user):
        return queryset
    scope = SCOPES.get(queryset.model._meta.label_lower)
    if scope is None:
        if strict:
            raise ImproperlyConfigured(
                f"{queryset.model._meta.label} has no corporation scope: "
                "add it to portal.admin_scoping.SCOPES"
            )
        return queryset
    corporation_id = getattr(user, "corporation_id", None)
    if corporation_id is None:
        return queryset.none()
    return queryset.filter(scope(corporation_id))


class ScopedChoices:
    """For RelatedFieldListFilter and its subclasses: offer only the rows the user may see."""

    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        if is_global(request.user) or not choices:
            return choices
        # The value a choice filters on (`region__id__exact=<value>`).
        target = field.target_field
        rows = target.model._default_manager.filter(**{f"{target.attname}__in": [v for v, _ in choices]})
        # Strict: a filter lists every row of its model, so one without a scope is an error.
        visible = set(scope_queryset(rows, request.user).values_list(target.attname, flat=True))
        return [(value, label) for value, label in choices if value in visible]


@cache
def _scoped_filter(filter_class: type) -> type:
    return type(f"Scoped{filter_class.__name__}", (ScopedChoices, filter_class), {})


def _staff_list_filter(model, entry):
    """`entry` of a list_filter as staff get it: related choices scoped, None for a corporation."""
    path, filter_class = entry if isinstance(entry, (list, tuple)) else (entry, None)
    if not isinstance(path, str):
        return entry  # a SimpleListFilter: its lookups are its own
    field = get_fields_from_path(model, path)[-1]
    if not field.is_relation:
        return entry
    if field.related_model is Corporation:
        return None
    # What Django's FieldListFilter.create picks for a relation.
    filter_class = filter_class or RelatedFieldListFilter
    if not issubclass(filter_class, RelatedFieldListFilter):
        return entry
    return (path, _scoped_filter(filter_class))


class CorporationScopedMixin:
    """For ModelAdmin and InlineModelAdmin alike."""

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def has_add_permission(self, request, *args, **kwargs):
        if not is_global(request.user) and request.user.corporation_id is None:
            return False
        return super().has_add_permission(request, *args, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "corporation" and not is_global(request.user):
            return self._own_corporation_field(db_field, request, **kwargs)
        kwargs.setdefault("queryset", self._scoped_choices(db_field, request))
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", self._scoped_choices(db_field, request))
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                CheckedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scoped_choices(self, db_field, request):
        queryset = self.get_field_queryset(None, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        return scope_queryset(queryset, request.user, strict=False)

    def _own_corporation_field(self, db_field, request, **kwargs):
        """Staff never choose a corporation: theirs is filled in and cannot be changed."""
        corporation_id = request.user.corporation_id
        return forms.ModelChoiceField(
            queryset=db_field.remote_field.model._default_manager.filter(pk=corporation_id),
            initial=corporation_id,
            disabled=True,
            required=not db_field.blank,
            widget=forms.HiddenInput,
            label=db_field.verbose_name,
        )

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if is_global(request.user):
            return filters
        staff_filters = (_staff_list_filter(self.model, entry) for entry in filters)
        return [entry for entry in staff_filters if entry is not None]
