"""Reads that pages share. Each returns a fixed number of queries."""

from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from portal.cases import FINAL_STATES, TENANT_KINDS
from portal.models import Case, EmailChange, Message, User


def open_balance(user: User) -> Decimal:
    from payments.models import OpenItem

    total = OpenItem.objects.filter(tenant=user, paid_at__isnull=True).aggregate(
        total=Sum(F("amount") - F("amount_paid"))
    )["total"]
    return total or Decimal("0.00")


def active_cases(user: User):
    """Mijn aanvragen: the tenant's cases that are not finished."""
    return (
        Case.objects.filter(tenant=user, kind__in=TENANT_KINDS)
        .exclude(state__in=FINAL_STATES)
        .order_by("-created_at")
    )


def cases_for(user: User):
    return Case.objects.filter(tenant=user, kind__in=TENANT_KINDS).order_by("-created_at")


def case_for_tenant(user: User, number: str) -> Case:
    """The tenant's own case, or 404: another person's case does not exist for them."""
    return get_object_or_404(
        Case.objects.select_related("corporation", "feedback", "data_change", "arrangement"),
        tenant=user,
        number=number,
        kind__in=TENANT_KINDS,
    )


def case_timeline(case: Case):
    return case.events.select_related("actor").order_by("created_at", "id")


def case_messages(case: Case):
    return case.messages.select_related("author").order_by("created_at", "id")


def inbox(user: User):
    """Mijn berichten: what the corporation sent to this tenant."""
    return Message.objects.filter(person=user, to_staff=False).select_related("case")


def inbox_counts(user: User) -> dict:
    return Message.objects.filter(person=user, to_staff=False).aggregate(
        total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True))
    )


def message_for_tenant(user: User, pk: int) -> Message:
    return get_object_or_404(Message.objects.select_related("case"), person=user, to_staff=False, pk=pk)


def tenant_corporation(user: User):
    """The corporation a tenant's requests go to: their own, else their home's landlord."""
    if user.corporation_id:
        return user.corporation
    contract = user.contracts.select_related("corporation").order_by("-start_date").first()
    return contract.corporation if contract else None


def _email_change_open(change: EmailChange, now) -> bool:
    return (
        change.confirmed_at is None
        and change.requested_at > now - EmailChange.LINK_MAX_AGE
        and change.user.email == change.old_email
    )


def email_change_valid(change: EmailChange, *, now=None) -> bool:
    """A link works once, for a day, and only while it is the person's latest request
    and their address is still the one it was asked from."""
    latest = EmailChange.objects.filter(user_id=change.user_id).values_list("pk", flat=True).first()
    return latest == change.pk and _email_change_open(change, now or timezone.now())


def email_change_pending(user: User) -> EmailChange | None:
    """The new address waiting for its link, if any (Mijn gegevens says so)."""
    change = EmailChange.objects.filter(user=user).first()
    if change is None:
        return None
    change.user = user
    return change if _email_change_open(change, timezone.now()) else None
