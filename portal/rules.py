"""Rules for personal data, from seed 000 ("Hoe wijzig ik mijn gegevens?").

Pure functions over plain values so a test can state each sentence.
"""

from datetime import date

from portal.workdays import add_working_days

#: "In dit scherm past u uw contactgegevens zoals e-mail en telefoonnummer aan."
#: These change at once ("Dit wordt direct verwerkt").
CONTACT_FIELDS = ("phone_private", "phone_work", "phone_mobile", "email")
#: "Velden gemarkeerd met een * zijn verplicht": Telefoon privé * and E-mailadres *.
REQUIRED_CONTACT_FIELDS = ("phone_private", "email")
#: "bijvoorbeeld uw burgerlijke stand of achternaam": staff make these changes.
DATA_CHANGE_FIELDS = ("initials", "first_name", "surname_prefix", "surname", "civil_status")
#: "Dit betekent dat er een verwerkingstijd is van maximaal twee werkdagen."
DATA_CHANGE_WORKING_DAYS = 2


def changes_directly(field: str) -> bool:
    """Contact data is changed by the tenant at once; other data needs staff."""
    return field in CONTACT_FIELDS


def missing_required_contact(values: dict) -> list[str]:
    """The required contact fields that are empty in `values`."""
    return [name for name in REQUIRED_CONTACT_FIELDS if not (values.get(name) or "").strip()]


def requested_changes(current: dict, submitted: dict) -> dict:
    """The other data fields the tenant really asks to change.

    Empty fields mean "keep as it is"; a value equal to the current one is no
    change. Contact fields are never part of a change request.
    """
    changes = {}
    for name in DATA_CHANGE_FIELDS:
        new = (submitted.get(name) or "").strip()
        if new and new != (current.get(name) or "").strip():
            changes[name] = new
    return changes


def data_change_due(submitted_on: date) -> date:
    """The date staff must have processed a data change request."""
    return add_working_days(submitted_on, DATA_CHANGE_WORKING_DAYS)


def may_request_data_change(open_requests: int) -> bool:
    """One open change request at a time, so two requests cannot contradict
    each other; the tenant can add to the open one by sending a message."""
    return open_requests == 0
