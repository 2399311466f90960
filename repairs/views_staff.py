"""Staff pages for repair planning (R6): the day's planning per trade, and one repair.

Only staff see these pages, and only their own corporation's repairs (a
superuser sees all). Another corporation's repair simply does not exist here.
"""

from datetime import date, timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import DomainError
from portal.upload_fields import file_response
from portal.workdays import is_working_day
from repairs import rules, selectors, services
from repairs.forms import BlockForm, NoteForm
from repairs.views import PHOTO_CACHE, _calendar


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        # Like another corporation's repair, the staff pages do not exist for a tenant.
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _next_working_day(day: date, step: int) -> date:
    day += timedelta(days=step)
    while not is_working_day(day):
        day += timedelta(days=step)
    return day


@staff_required
def planning(request):
    """The day's planning: per trade, per block, the repairs and their state."""
    try:
        day = date.fromisoformat(request.GET.get("datum", ""))
    except ValueError:
        day = timezone.localdate()
    trades = selectors.trades_for_staff(request.user)
    trade = None
    if request.GET.get("vakgebied"):
        trade = next((t for t in trades if str(t.pk) == request.GET["vakgebied"]), None)
    repairs = selectors.day_planning(request.user, day, trade)
    slots = {(s.trade_id, s.start_hour): s for s in selectors.day_slots(request.user, day)}
    shown = [trade] if trade else trades
    now = timezone.now()
    table = []
    for t in shown:
        blocks = []
        for start, end in rules.BLOCKS:
            slot = slots.get((t.pk, start))
            in_block = [r for r in repairs if r.slot.trade_id == t.pk and r.slot.start_hour == start]
            blocks.append(
                {
                    "label": f"{start:02d}:00 – {end:02d}:00",
                    "capacity": slot.capacity if slot else t.block_capacity,
                    "booked": slot.booked if slot else 0,
                    "repairs": [
                        {
                            "repair": r,
                            "may_fix": rules.staff_may_fix(r.state),
                            "may_complete": rules.staff_may_complete(r.state),
                            "may_no_show": rules.staff_may_mark_no_show(r.state, r.slot.starts_at, now),
                        }
                        for r in in_block
                    ],
                }
            )
        table.append({"trade": t, "blocks": blocks, "count": sum(len(b["repairs"]) for b in blocks)})
    return render(
        request,
        "repairs/staff/planning.html",
        {
            "day": day,
            "working_day": is_working_day(day),
            "previous_day": _next_working_day(day, -1),
            "next_day": _next_working_day(day, 1),
            "today": timezone.localdate(),
            "trades": trades,
            "trade": trade,
            "table": table,
            # Of this day's appointments, how many planning has not fixed yet.
            "unfixed": sum(1 for r in repairs if rules.staff_may_fix(r.state)),
        },
    )


@staff_required
def staff_repair(request, number):
    repair = selectors.repair_for_staff(request.user, number)
    return _render_staff_repair(request, repair)


def _render_staff_repair(request, repair, block_form=None):
    now = timezone.now()
    return render(
        request,
        "repairs/staff/repair.html",
        {
            "repair": repair,
            "may_fix": rules.staff_may_fix(repair.state),
            "may_complete": rules.staff_may_complete(repair.state),
            "may_no_show": rules.staff_may_mark_no_show(repair.state, repair.slot.starts_at, now),
            "may_reschedule": rules.staff_may_reschedule(repair.state),
            "block_form": block_form or BlockForm(initial={"block": repair.slot_value}),
            "chosen": repair.slot_value,
            "planning_url": reverse("planning:day") + f"?datum={repair.slot.date:%Y-%m-%d}",
            **(_calendar(repair.slot.trade, request) if rules.staff_may_reschedule(repair.state) else {}),
        },
    )


ACTIONS = {
    "fix": (services.repair_fix, _("Reparatie %(number)s is definitief ingepland.")),
    "complete": (services.repair_complete, _("Reparatie %(number)s is uitgevoerd.")),
    "no-show": (
        services.repair_no_show,
        _("Reparatie %(number)s: niet thuis. € 20 voorrijkosten zijn in rekening gebracht."),
    ),
}


@staff_required
@require_POST
def staff_action(request, number, action):
    repair = selectors.repair_for_staff(request.user, number)
    service, done = ACTIONS.get(action, (None, None))
    if service is None:
        return redirect("planning:repair", number=repair.number)
    kwargs = {"repair": repair, "staff": request.user}
    if action == "complete":
        form = NoteForm(request.POST)
        if form.is_valid():
            kwargs["note"] = form.cleaned_data["note"]
    try:
        service(**kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(done) % {"number": repair.number})
    back = request.POST.get("next", "")
    if back.startswith("/medewerker/"):
        return redirect(back)
    return redirect("planning:repair", number=repair.number)


@staff_required
@require_POST
def staff_rebook(request, number):
    repair = selectors.repair_for_staff(request.user, number)
    form = BlockForm(request.POST)
    if form.is_valid():
        try:
            day, hour = services.parse_block(form.cleaned_data["block"])
            services.repair_rebook(repair=repair, day=day, start_hour=hour, by=request.user, staff=True)
        except DomainError as exc:
            form.add_error("block", exc.message)
        else:
            messages.success(
                request,
                _("Reparatie %(number)s is verzet. De melder krijgt bericht.") % {"number": repair.number},
            )
            return redirect("planning:repair", number=repair.number)
    return _render_staff_repair(request, repair, block_form=form)


@staff_required
def staff_photo(request, number, token):
    repair = selectors.repair_for_staff(request.user, number)
    photo = get_object_or_404(repair.photos, token=token)
    return file_response(photo.image, download_name=f"foto-{repair.number}", cache_control=PHOTO_CACHE)
