"""The admin's autocomplete widgets, made to bear a value that is not an id.

Django's AutocompleteSelect shows the chosen option again when a form comes back with
an error, by looking the sent values up as they are: `id__in={"abc"}` raises ValueError,
so a change form sent back with a field that is not a number answered 500 instead of
"select a valid choice". These look up only the values the key field can read.
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _ReadableValues:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [v for v in value if _readable(key, v)], attr)


def _readable(key, value) -> bool:
    try:
        key.to_python(value)
    except ValidationError:
        return False
    return True


class CheckedAutocompleteSelect(_ReadableValues, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(_ReadableValues, AutocompleteSelectMultiple):
    pass
