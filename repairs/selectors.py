"""Reads for the repair pages. Each returns a fixed number of queries."""

from datetime import date

from django.db.models import Q
from django.http import Http404

from contracts.models import Contract
from portal.selectors import tenant_corporation  # noqa: F401  (the repair pages use it too)
from repairs.models import RepairRequest, Slot, Trade

RELATED = ("slot", "slot__trade", "kind", "problem", "corporation", "unit", "complex", "common_area")


def _tenant_scope(user) -> Q:
    """The repairs a tenant sees: those they reported, and those of a home they rent,
    reported (by anyone) while their contract ran. A neighbour's report about the
    lift is not theirs to see."""
    scope = Q(reporter=user)
    for unit_id, start, end in Contract.objects.filter(tenants=user).values_list(
        "unit_id", "start_date", "end_date"
    ):
        condition = Q(unit_id=unit_id, created_at__date__gte=start)
        if end:
            condition &= Q(created_at__date__lte=end)
        scope |= condition
    return scope


def repairs_for_tenant(user) -> list[RepairRequest]:
    return list(
        RepairRequest.objects.filter(_tenant_scope(user))
        .select_related(*RELATED)
        .order_by("-slot__date", "-slot__start_hour", "-id")
    )


def repair_for_tenant(user, number: str) -> RepairRequest:
    """The tenant's own repair, or 404: another person's repair does not exist for them."""
    repair = (
        RepairRequest.objects.filter(_tenant_scope(user), number=number)
        .select_related(*RELATED)
        .prefetch_related("photos")
        .first()
    )
    if repair is None:
        raise Http404
    return repair


def repair_just_reported(number: str) -> RepairRequest | None:
    return RepairRequest.objects.filter(number=number).select_related(*RELATED).first()


# --- staff -----------------------------------------------------------------------


def staff_scope(user) -> Q:
    """Staff see their own corporation's repairs; a superuser sees all."""
    if user.is_superuser:
        return Q()
    if not user.corporation_id:
        return Q(pk__in=[])
    return Q(corporation_id=user.corporation_id)


def trades_for_staff(user) -> list[Trade]:
    trades = Trade.objects.select_related("corporation").order_by("corporation__name", "name")
    if not user.is_superuser:
        trades = trades.filter(corporation_id=user.corporation_id or -1)
    return list(trades)


def day_planning(user, day: date, trade: Trade | None = None) -> list[RepairRequest]:
    """All repairs of one day for the staff member's corporation, by trade and block."""
    repairs = RepairRequest.objects.filter(staff_scope(user), slot__date=day)
    if trade is not None:
        repairs = repairs.filter(slot__trade=trade)
    return list(repairs.select_related(*RELATED).order_by("slot__trade__name", "slot__start_hour", "number"))


def day_slots(user, day: date) -> list[Slot]:
    slots = Slot.objects.filter(date=day)
    if not user.is_superuser:
        slots = slots.filter(trade__corporation_id=user.corporation_id or -1)
    return list(slots.select_related("trade"))


def repair_for_staff(user, number: str) -> RepairRequest:
    repair = (
        RepairRequest.objects.filter(staff_scope(user), number=number)
        .select_related(*RELATED, "reporter", "no_show_item")
        .prefetch_related("photos")
        .first()
    )
    if repair is None:
        raise Http404
    return repair
