"""Lookups the portal registers on Django's fields (in PortalConfig.ready)."""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`in` on an integer column leaves out the numbers the column cannot hold.

    Django already lets such a number match nothing for exact, gt, gte, lt and lte
    (IntegerFieldOverflow), but not for `in`: there SQLite raises OverflowError on a number
    past 64 bits, so a form that looks up a list of ids (the open items to pay, the
    regions to register in, the admin's list-edit rows and autocomplete) answered 500 to
    one such number, and PostgreSQL compares the column as numeric (no index). Leaving
    them out gives what they would match: nothing.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [value for value in self.rhs if not _out_of_range(value, low, high)]
        return super().process_rhs(compiler, connection)


def _out_of_range(value, low, high) -> bool:
    if not isinstance(value, int):
        return False
    return (low is not None and value < low) or (high is not None and value > high)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
