"""Repair pages: the report flow (public and in Mijn portaal) and Mijn reparaties.

The report is a flow of short steps. What the reporter fills in lives in the
session (the draft) until it is sent, so going back, a failed check or a
block that has just filled up never loses anything; photos are checked and
stored when they are uploaded and hang on the draft until then.

Both flows run the same views: `flow` is "public" (/reparatie/, anonymous,
starting with postcode and house number) or "mijn" (/mijn/reparaties/nieuw/,
for the tenant's own homes). An anonymous reporter is never shown anything
about the home, its tenants or its repairs: only what they typed themselves.
"""

import calendar
from datetime import date, timedelta
from uuid import uuid4

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contracts.models import Unit
from portal import once
from portal.client_ip import client_ip
from portal.errors import DomainError
from portal.upload_fields import file_response
from repairs import rules, selectors, services
from repairs.forms import AddressForm, BlockForm, DetailsForm, QuestionsForm, UnitChoiceForm
from repairs.models import RepairKind, RepairProblem

#: How many addresses one visitor may look up per hour (stops guessing which addresses we rent out).
LOOKUPS_PER_HOUR = 30
#: A photo belongs to one person (or their corporation's staff): no shared cache may keep it.
PHOTO_CACHE = "private, max-age=3600"

STEPS = [
    ("start", _("Adres")),
    ("kind", _("Soort")),
    ("questions", _("Vragen")),
    ("details", _("Toelichting")),
    ("appointment", _("Afspraak")),
    ("check", _("Versturen")),
]
NAMESPACES = {"public": "report", "mijn": "my_report"}


# --- the draft ------------------------------------------------------------------


class Draft:
    """The report being filled in, kept in the session per flow."""

    def __init__(self, request, flow):
        self.request = request
        self.flow = flow
        self.key = f"repair_draft_{flow}"
        self.data = dict(request.session.get(self.key) or {})

    def get(self, name, default=None):
        return self.data.get(name, default)

    def update(self, **values):
        self.data.update(values)
        self.request.session[self.key] = self.data

    def drop(self, *names):
        for name in names:
            self.data.pop(name, None)
        self.request.session[self.key] = self.data

    def clear(self):
        self.request.session.pop(self.key, None)
        self.data = {}

    @property
    def token(self) -> str:
        """The key the draft's photos are stored under."""
        if not self.data.get("token"):
            self.update(token=uuid4().hex)
        return self.data["token"]

    def unit(self):
        unit_id = self.get("unit")
        if unit_id is None:
            return None
        unit = Unit.objects.select_related("corporation", "complex").filter(pk=unit_id).first()
        if unit is None:
            return None
        # A tenant's draft may only point at a home they rent now.
        if self.flow == "mijn" and unit.pk not in {u.pk for u in services.tenant_units(self.request.user)}:
            return None
        return unit

    def kind(self, unit):
        kind_id = self.get("kind")
        if unit is None or kind_id is None:
            return None
        return (
            RepairKind.objects.select_related("trade")
            .filter(pk=kind_id, corporation_id=unit.corporation_id, active=True, urgent=False)
            .first()
        )

    def problem(self, kind):
        problem_id = self.get("problem")
        if kind is None or problem_id is None:
            return None
        return RepairProblem.objects.filter(pk=problem_id, kind=kind).first()


def _url(flow, step):
    return reverse(f"{NAMESPACES[flow]}:{step}")


def _context(request, flow, step, **extra):
    done = [name for name, _label in STEPS]
    index = done.index(step)
    steps = [
        {
            "name": name,
            "label": label,
            "number": i + 1,
            "state": "done" if i < index else "current" if i == index else "todo",
        }
        for i, (name, label) in enumerate(STEPS)
    ]
    back = _url(flow, STEPS[index - 1][0]) if index else None
    if flow == "mijn" and index == 1 and len(services.tenant_units(request.user)) <= 1:
        back = reverse("repairs:my_repairs")
    return {"flow": flow, "step": step, "steps": steps, "back_url": back, **extra}


def _gate(request, flow):
    """Check the logged-in part of the flow; returns a response to send instead, or None."""
    if flow == "mijn" and not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    return None


def _require(draft, flow, *, kind=False, questions=False, details=False, block=False):
    """Load what earlier steps chose; a missing piece sends the reporter back to that step."""
    unit = draft.unit()
    if unit is None:
        return None, redirect(_url(flow, "start"))
    loaded = {"unit": unit}
    if kind or questions or details or block:
        loaded["kind"] = draft.kind(unit)
        if loaded["kind"] is None:
            return None, redirect(_url(flow, "kind"))
    if details or block:
        loaded["problem"] = draft.problem(loaded["kind"])
        if loaded["problem"] is None or not draft.get("location"):
            return None, redirect(_url(flow, "questions"))
    if block:
        if not draft.get("details_done"):
            return None, redirect(_url(flow, "details"))
        if not draft.get("block"):
            return None, redirect(_url(flow, "appointment"))
    return loaded, None


# --- step 1: the address ----------------------------------------------------------


def report_start(request, flow):
    if response := _gate(request, flow):
        return response
    draft = Draft(request, flow)
    if flow == "public" and request.user.is_authenticated and services.tenant_units(request.user):
        return redirect(_url("mijn", "start"))
    if flow == "mijn":
        return _start_mijn(request, draft)
    form = AddressForm(request.POST or None, initial=draft.get("address") or None)
    if request.method == "POST" and form.is_valid():
        if _too_many_lookups(request):
            form.add_error(
                None, _("U heeft te vaak een adres gezocht. Probeer het over een uur opnieuw of bel ons.")
            )
        else:
            address = form.cleaned_data
            try:
                unit = services.address_lookup(
                    postcode=address["postcode"],
                    house_number=address["house_number"],
                    addition=address["addition"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if draft.get("unit") != unit.pk:
                    draft.clear()
                draft.update(unit=unit.pk, address=address)
                return redirect(_url(flow, "kind"))
    return render(request, "repairs/report_start.html", _context(request, flow, "start", form=form))


def _too_many_lookups(request) -> bool:
    # The visitor's own address, also behind the proxy (TRUSTED_PROXY_COUNT), as the login limits count it.
    key = f"repair-lookups:{client_ip(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > LOOKUPS_PER_HOUR


def _start_mijn(request, draft):
    units = services.tenant_units(request.user)
    if not units:
        return render(
            request, "repairs/no_home.html", {"corporation": selectors.tenant_corporation(request.user)}
        )
    if len(units) == 1:
        if draft.get("unit") != units[0].pk:
            draft.clear()
            draft.update(unit=units[0].pk)
        return redirect(_url("mijn", "kind"))
    default = draft.get("unit") or next((u.pk for u in units if u.kind == "home"), units[0].pk)
    form = UnitChoiceForm(request.POST or None, units=units, initial={"unit": default})
    if request.method == "POST" and form.is_valid():
        if draft.get("unit") != form.cleaned_data["unit"]:
            draft.clear()
        draft.update(unit=form.cleaned_data["unit"])
        return redirect(_url("mijn", "kind"))
    return render(request, "repairs/report_start.html", _context(request, "mijn", "start", form=form))


# --- step 2: the kind ---------------------------------------------------------------


def report_kind(request, flow):
    if response := _gate(request, flow):
        return response
    draft = Draft(request, flow)
    loaded, response = _require(draft, flow)
    if response:
        return response
    unit = loaded["unit"]
    kinds = services.kinds_for(unit.corporation)
    if request.method == "POST":
        chosen = next((k for k in kinds if str(k.pk) == request.POST.get("kind")), None)
        if chosen is None:
            messages.error(request, _("Kies een soort reparatie uit de lijst."))
            return redirect(_url(flow, "kind"))
        if chosen.urgent:
            return render(
                request,
                "repairs/urgent.html",
                _context(request, flow, "kind", kind=chosen, corporation=unit.corporation),
            )
        if draft.get("kind") != chosen.pk:
            draft.drop("location", "problem", "follow_up_answer", "block", "details_done")
        draft.update(kind=chosen.pk)
        return redirect(_url(flow, "questions"))
    query = request.GET.get("q", "").strip()[:80]
    show_all = request.GET.get("alle") == "1"
    results = services.kinds_search(unit.corporation, query) if query else None
    return render(
        request,
        "repairs/report_kind.html",
        _context(
            request,
            flow,
            "kind",
            featured=[k for k in kinds if k.featured],
            others=[k for k in kinds if not k.featured],
            show_all=show_all,
            query=query,
            results=results,
            chosen=draft.get("kind"),
        ),
    )


# --- step 3: the questionnaire ----------------------------------------------------------


def report_questions(request, flow):
    if response := _gate(request, flow):
        return response
    draft = Draft(request, flow)
    loaded, response = _require(draft, flow, kind=True)
    if response:
        return response
    unit, kind = loaded["unit"], loaded["kind"]
    locations = rules.offered_locations(kind.locations, services.complex_area_codes(unit))
    problems = list(kind.problems.all())
    initial = {"location": draft.get("location"), "problem": draft.get("problem")}
    form = QuestionsForm(request.POST or None, initial=initial, locations=locations, problems=problems)
    if request.method == "POST" and form.is_valid():
        if draft.get("problem") != form.cleaned_data["problem"]:
            draft.drop("follow_up_answer")
        draft.update(location=form.cleaned_data["location"], problem=form.cleaned_data["problem"])
        return redirect(_url(flow, "details"))
    return render(
        request, "repairs/report_questions.html", _context(request, flow, "questions", form=form, kind=kind)
    )


# --- step 4: description, photos, contact -------------------------------------------------


def report_details(request, flow):
    if response := _gate(request, flow):
        return response
    draft = Draft(request, flow)
    loaded, response = _require(draft, flow, details=True)
    if response:
        return response
    kind, problem = loaded["kind"], loaded["problem"]
    photos = services.draft_photos(draft.get("token", ""))
    initial = draft.get("details") or {}
    if not initial and request.user.is_authenticated and flow == "mijn":
        user = request.user
        initial = {
            "contact_name": user.full_name,
            "contact_phone": user.phone_mobile or user.phone_private,
            "contact_email": user.email,
        }
    if request.method != "POST":
        form = DetailsForm(initial=initial, problem=problem, photos=photos)
        return _render_details(request, flow, form, kind, problem, photos)

    # Keep what was typed, whatever happens next.
    kept = {
        name: request.POST.get(name, "").strip()[:2000]
        for name in ("follow_up_answer", "description", "contact_name", "contact_phone", "contact_email")
    }
    draft.update(details=kept)
    for token in request.POST.getlist("remove_photos"):
        services.photo_remove(draft=draft.token, token=token)
    photo_errors = []
    for upload in request.FILES.getlist("photos"):
        try:
            services.photo_add(draft=draft.token, upload=upload)
        except DomainError as exc:
            photo_errors.append(exc.message)
    photos = services.draft_photos(draft.token)
    data = request.POST.copy()
    data.setlist("remove_photos", [])
    form = DetailsForm(data, problem=problem, photos=photos)
    valid = form.is_valid()
    for message in photo_errors:
        form.add_error("photos", message)
    if valid and not photo_errors:
        clean = form.cleaned_data
        draft.update(
            details={name: clean.get(name, "") for name in kept},
            follow_up_answer=clean.get("follow_up_answer", ""),
            details_done=True,
        )
        return redirect(_url(flow, "appointment"))
    draft.drop("details_done")
    return _render_details(request, flow, form, kind, problem, photos)


def _render_details(request, flow, form, kind, problem, photos):
    return render(
        request,
        "repairs/report_details.html",
        _context(request, flow, "details", form=form, kind=kind, problem=problem, photos=photos),
    )


# --- step 5: the appointment -------------------------------------------------------------


def _calendar(trade, request, *, now=None):
    """The first free blocks, a month calendar, and the blocks of the chosen day."""
    now = now or timezone.now()
    first_day = rules.first_bookable_day(now)
    last_day = rules.last_bookable_day(now)
    try:
        month = date.fromisoformat(request.GET.get("maand", "") + "-01")
    except ValueError:
        month = first_day.replace(day=1)
    month = min(max(month, first_day.replace(day=1)), last_day.replace(day=1))
    month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    blocks = services.blocks_between(trade, month, month_end, now=now)
    free_days = {}
    for block in blocks:
        if block.free > 0:
            free_days.setdefault(block.day, []).append(block)
    try:
        day = date.fromisoformat(request.GET.get("dag", ""))
    except ValueError:
        day = None
    day_blocks = []
    if day is not None:
        day_blocks = (
            free_days.get(day)
            if month <= day <= month_end
            else [b for b in services.blocks_between(trade, day, day, now=now) if b.free > 0]
        ) or []
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append([(d, d.month == month.month, bool(free_days.get(d))) for d in week])
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month_end + timedelta(days=1)).replace(day=1)
    return {
        "first_free": services.first_free_blocks(trade, now=now),
        "month": month,
        "weeks": weeks,
        "previous_month": previous if previous >= first_day.replace(day=1) else None,
        "next_month": following if following <= last_day else None,
        "day": day,
        "day_blocks": day_blocks,
    }


def report_appointment(request, flow):
    if response := _gate(request, flow):
        return response
    draft = Draft(request, flow)
    loaded, response = _require(draft, flow, details=True)
    if response:
        return response
    if not draft.get("details_done"):
        return redirect(_url(flow, "details"))
    kind = loaded["kind"]
    form = BlockForm(request.POST or None, initial={"block": draft.get("block")})
    if request.method == "POST" and form.is_valid():
        try:
            day, hour = services.parse_block(form.cleaned_data["block"])
            services.block_check(kind.trade, day, hour)
        except DomainError as exc:
            form.add_error("block", exc.message)
        else:
            draft.update(block=form.cleaned_data["block"])
            return redirect(_url(flow, "check"))
    return render(
        request,
        "repairs/report_appointment.html",
        _context(
            request,
            flow,
            "appointment",
            form=form,
            kind=kind,
            chosen=draft.get("block"),
            corporation=loaded["unit"].corporation,
            **_calendar(kind.trade, request),
        ),
    )


# --- step 6: check and send ----------------------------------------------------------------


def report_check(request, flow):
    if response := _gate(request, flow):
        return response
    draft = Draft(request, flow)
    if request.method == "POST" and (response := _sent_before(request, flow, draft)):
        return response
    loaded, response = _require(draft, flow, block=True)
    if response:
        return response
    unit, kind, problem = loaded["unit"], loaded["kind"], loaded["problem"]
    details = draft.get("details") or {}
    try:
        day, hour = services.parse_block(draft.get("block"))
    except DomainError:
        return redirect(_url(flow, "appointment"))
    if request.method == "POST":
        report = services.Report(
            unit=unit,
            kind=kind,
            location=draft.get("location"),
            problem=problem,
            follow_up_answer=draft.get("follow_up_answer", ""),
            description=details.get("description", ""),
            contact_name=details.get("contact_name", ""),
            contact_phone=details.get("contact_phone", ""),
            contact_email=details.get("contact_email", ""),
            day=day,
            start_hour=hour,
            reporter=request.user if flow == "mijn" else None,
            draft=draft.token,
        )
        try:
            repair = services.repair_report(report)
        except DomainError as exc:
            messages.error(request, exc.message)
            if exc.code in ("slot_full", "slot_unavailable"):
                draft.drop("block")
                return redirect(_url(flow, "appointment"))
            return redirect(_url(flow, "questions"))
        draft.clear()
        request.session[f"repair_done_{flow}"] = repair.number
        request.session[f"repair_sent_{flow}"] = report.draft
        return redirect(_url(flow, "done"))
    appointment = services.Block(day, hour, 0)
    return render(
        request,
        "repairs/report_check.html",
        _context(
            request,
            flow,
            "check",
            kind=kind,
            problem=problem,
            location=rules.LOCATIONS.get(draft.get("location"), ""),
            common_area=rules.is_common_area(draft.get("location", "")),
            details=details,
            follow_up_answer=draft.get("follow_up_answer", ""),
            photos=services.draft_photos(draft.token),
            draft_token=draft.token,
            appointment=appointment,
            address=draft.get("address"),
            unit=unit if flow == "mijn" else None,
        ),
    )


def _sent_before(request, flow, draft):
    """The check page carries its draft's token: a page of a draft already sent shows that
    repair's confirmation again (so does a send without the token once the draft is gone);
    a page of a draft changed since is not sent unseen."""
    posted = request.POST.get(once.FIELD)
    sent = request.session.get(f"repair_sent_{flow}")
    if sent and (posted == sent or (not posted and not draft.data)):
        return redirect(_url(flow, "done"))
    if not posted or posted == draft.get("token"):
        return None
    if draft.get("token"):
        messages.info(request, _("Uw melding is gewijzigd. Kijk of alles klopt en verstuur hem dan."))
    return redirect(_url(flow, "check"))


def report_done(request, flow):
    """The confirmation with the reference number, for the person who just sent it."""
    if response := _gate(request, flow):
        return response
    number = request.session.get(f"repair_done_{flow}")
    if not number:
        return redirect(_url(flow, "start"))
    repair = selectors.repair_just_reported(number)
    if repair is None:
        raise Http404
    return render(
        request,
        "repairs/report_done.html",
        {"flow": flow, "repair": repair, "show_address": flow == "mijn"},
    )


# --- Mijn reparaties ---------------------------------------------------------------------


@login_required
def my_repairs(request):
    """Mijn reparaties: open, planned and completed requests with their appointment (R5)."""
    repairs = selectors.repairs_for_tenant(request.user)
    # The next appointment first; the finished ones newest first.
    active = sorted((r for r in repairs if r.is_active), key=lambda r: (r.slot.date, r.slot.start_hour, r.pk))
    done = [r for r in repairs if not r.is_active]
    return render(
        request,
        "repairs/my_repairs.html",
        {
            "active": active,
            "done": done,
            "corporation": selectors.tenant_corporation(request.user),
            "has_home": bool(services.tenant_units(request.user)),
        },
    )


@login_required
def repair_detail(request, number):
    repair = selectors.repair_for_tenant(request.user, number)
    return render(
        request,
        "repairs/repair_detail.html",
        {
            "repair": repair,
            "may_change": rules.tenant_may_change(repair.state, repair.slot.starts_at, timezone.now()),
        },
    )


@login_required
@require_POST
def repair_cancel(request, number):
    repair = selectors.repair_for_tenant(request.user, number)
    try:
        services.repair_cancel(repair=repair, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Uw reparatieverzoek %(number)s is geannuleerd.") % {"number": repair.number}
        )
    return redirect("repairs:detail", number=repair.number)


@login_required
def repair_rebook(request, number):
    """Pick another block while planning has not fixed the date."""
    repair = selectors.repair_for_tenant(request.user, number)
    if not rules.tenant_may_change(repair.state, repair.slot.starts_at, timezone.now()):
        messages.error(
            request,
            services.repair_error("tenant_may_not_change", phone=repair.corporation.phone).message,
        )
        return redirect("repairs:detail", number=repair.number)
    form = BlockForm(request.POST or None, initial={"block": repair.slot and repair.slot_value})
    if request.method == "POST" and form.is_valid():
        try:
            day, hour = services.parse_block(form.cleaned_data["block"])
            services.repair_rebook(repair=repair, day=day, start_hour=hour, by=request.user)
        except DomainError as exc:
            form.add_error("block", exc.message)
        else:
            messages.success(request, _("Uw afspraak is verzet. U krijgt een bevestiging per e-mail."))
            return redirect("repairs:detail", number=repair.number)
    return render(
        request,
        "repairs/repair_rebook.html",
        {
            "repair": repair,
            "form": form,
            "chosen": repair.slot_value,
            **_calendar(repair.kind.trade, request),
        },
    )


@login_required
def repair_photo(request, number, token):
    repair = selectors.repair_for_tenant(request.user, number)
    photo = get_object_or_404(repair.photos, token=token)
    return file_response(photo.image, download_name=f"foto-{repair.number}", cache_control=PHOTO_CACHE)


def draft_photo(request, flow, token):
    """A photo the reporter has just added to the draft (theirs only: it is found through their session)."""
    if response := _gate(request, flow):
        return response
    draft = Draft(request, flow)
    photo = next((p for p in services.draft_photos(draft.get("token", "")) if p.token == token), None)
    if photo is None:
        raise Http404
    return file_response(photo.image, download_name="foto", cache_control=PHOTO_CACHE)
