"""The personal-data rules of seed 000, one sentence per test."""

from datetime import date

from portal import rules


def test_it_changes_contact_data_at_once():
    """Seed 000: "U kunt zelf een wijziging doorgeven. Dit wordt direct verwerkt." """
    assert all(rules.changes_directly(f) for f in ("phone_private", "phone_work", "phone_mobile", "email"))


def test_it_sends_other_data_to_staff():
    """Seed 000: "Wilt u andere gegevens aanpassen? Dien dan hier een verzoek in.
    Wij passen de gegevens dan voor u aan."
    """
    assert not rules.changes_directly("surname")
    assert not rules.changes_directly("civil_status")


def test_it_requires_private_phone_and_email():
    """ "Velden gemarkeerd met een * zijn verplicht": Telefoon privé * and E-mailadres *."""
    missing = rules.missing_required_contact({"phone_private": " ", "phone_work": "", "email": "a@b.nl"})
    assert missing == ["phone_private"]


def test_work_and_mobile_phone_are_optional():
    """Telefoon werk and Telefoon mobiel carry no * in the seed."""
    assert rules.missing_required_contact({"phone_private": "06 12345678", "email": "a@b.nl"}) == []


def test_it_processes_a_change_request_within_two_working_days():
    """ "Dit betekent dat er een verwerkingstijd is van maximaal twee werkdagen."
    Submitted on Friday 20 November 2026: due Tuesday 24 November."""
    assert rules.data_change_due(date(2026, 11, 20)) == date(2026, 11, 24)


def test_it_asks_only_for_what_really_changes():
    """ "bijvoorbeeld uw burgerlijke stand of achternaam": empty means keep,
    the same value is no change."""
    current = {"surname": "Vries", "civil_status": "unmarried", "initials": "S."}
    submitted = {"surname": "Jansen", "civil_status": "unmarried", "initials": ""}
    assert rules.requested_changes(current, submitted) == {"surname": "Jansen"}


def test_contact_fields_are_never_part_of_a_change_request():
    assert rules.requested_changes({}, {"email": "new@example.nl", "phone_private": "06 1"}) == {}


def test_one_open_change_request_at_a_time():
    assert rules.may_request_data_change(open_requests=0)
    assert not rules.may_request_data_change(open_requests=1)
