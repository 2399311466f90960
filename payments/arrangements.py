"""Payment arrangements (betalingsregeling, P3): the rules of seed 000 and the services.

Seed 000, "Hoe tref ik een betalingsregeling?": a tenant who cannot pay on
time asks for an arrangement under "Direct regelen"; "Zodra u deze heeft
verzonden beoordelen onze medewerkers de aanvraag"; and "u kunt
bijvoorbeeld alleen een regeling treffen wanneer u minimaal een jaar bij ons
huurt". The form asks whether the tenant had an arrangement in the past
year, why, for what total and in how many periods, and shows the amount per
month.

Choices where the seed is silent (each has a test):

- *Per month* is computed, never typed: the tenant gives the total and the
  number of months and sees total / months rounded to the cent. Three
  numbers that must agree would only give the tenant a way to get it wrong.
- *At most 12 months*, and *at least € 10 a month* (unless the whole debt is
  paid in one term): a longer or smaller arrangement is a matter for debt
  counselling or a phone call, not for an online form. The minimum also
  keeps every term above zero.
- *Equal terms in cents*: every term is the rounded amount per month; the
  last term takes the rounding difference, so the terms add up to exactly
  the total.
- *The first term* falls on the first day of a month, at least seven days
  after the approval; then every month on the first, beside the rent.
- *Paid*: the arrangement is about the debt the tenant had when they sent
  the request (the open items invoiced by then). Term k counts as paid once
  what is still open of those items is at most the total minus terms 1..k.
  Payments on newer invoices (next month's rent) do not count: the tenant
  pays those as usual, on top of the terms. The daily job
  (`instalments_check`) records it on the terms.
- *Missed*: a term not fully paid five days after its due date (bank
  transfers take a few days). A missed term sends the tenant a message and
  reopens (or opens) the tenant's arrears case, once per term.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from payments.models import Arrangement, ArrearsFile, Instalment, OpenItem
from portal import once
from portal.cases import OPEN_STATES, Actor, CaseKind, CaseState
from portal.errors import DomainError
from portal.models import Case, CaseEvent, Corporation, User

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

#: "alleen … wanneer u minimaal een jaar bij ons huurt".
MIN_TENANCY = relativedelta(years=1)
#: The longest arrangement the online form offers, in months.
MAX_PERIODS = 12
#: The smallest monthly term (a debt below it is paid in one term).
MIN_TERM = Decimal("10.00")
#: The first term is at least this many days after the approval.
FIRST_DUE_LEAD_DAYS = 7
#: A term counts as missed this many days after its due date.
GRACE_DAYS = 5

MESSAGES = {
    "no_contract": gettext_lazy(
        "Er is geen huurcontract aan uw account gekoppeld. "
        "Daarom kunt u hier geen betalingsregeling aanvragen."
    ),
    "open_case": gettext_lazy(
        "U heeft al een aanvraag voor een betalingsregeling. Wacht tot die klaar is, "
        "of stuur een bericht bij die aanvraag."
    ),
    "under_a_year": gettext_lazy(
        "U huurt nog geen jaar bij ons. Daarom kunt u nog geen betalingsregeling aanvragen."
    ),
    "no_balance": gettext_lazy("U heeft op dit moment geen openstaand saldo. Er is niets om te regelen."),
    "amount_not_positive": gettext_lazy("Vul een bedrag in dat hoger is dan € 0,00."),
    "amount_above_balance": gettext_lazy(
        "Dit is meer dan uw openstaande saldo. Vul een bedrag in van hoogstens {balance}."
    ),
    "periods_range": gettext_lazy("Kies 1 tot en met {max} maanden."),
    "term_too_small": gettext_lazy(
        "Per maand betaalt u minstens {min}. Kies minder maanden, dan wordt het bedrag per maand hoger."
    ),
}


def message(key: str, **values) -> str:
    """The Dutch text of a rule's refusal, with euro amounts written the Dutch way."""
    from portal.templatetags.portal import euro

    values = {name: euro(value) if isinstance(value, Decimal) else value for name, value in values.items()}
    return str(MESSAGES[key]).format(**values)


def refusal(key: str, **values) -> DomainError:
    return DomainError(message(key, **values))


# --- the rules: plain values in, plain values out -------------------------------


def rented_since(contract_starts: list[date], today: date) -> date | None:
    """The start of the earliest running contract; None without one."""
    started = [start for start in contract_starts if start <= today]
    return min(started) if started else None


def may_request_from(contract_starts: list[date], today: date) -> date | None:
    """The first day the tenant has rented for a year (28 February for a 29 February start)."""
    since = rented_since(contract_starts, today)
    return since + MIN_TENANCY if since else None


def may_request(contract_starts: list[date], today: date) -> bool:
    """Only tenants who have rented from the corporation for at least one year.

    `contract_starts` are the start dates of the tenant's running contracts
    with the corporation: the earliest counts.
    """
    first_day = may_request_from(contract_starts, today)
    return first_day is not None and first_day <= today


def check_amount(total: Decimal, open_balance: Decimal) -> str | None:
    """More than zero and at most the open balance; the refusal's key, or None."""
    if total <= ZERO:
        return "amount_not_positive"
    if total > open_balance:
        return "amount_above_balance"
    return None


def per_month(total: Decimal, periods: int) -> Decimal:
    """What the tenant pays a month: total / periods, rounded to the cent."""
    return (total / periods).quantize(CENT, rounding=ROUND_HALF_UP)


def check_periods(total: Decimal, periods: int) -> str | None:
    """1 to MAX_PERIODS months, and at least MIN_TERM a month unless it is one term."""
    if not 1 <= periods <= MAX_PERIODS:
        return "periods_range"
    if periods > 1 and per_month(total, periods) < MIN_TERM:
        return "term_too_small"
    return None


def schedule(total: Decimal, periods: int, first_due: date) -> list[tuple[int, date, Decimal]]:
    """The terms: (number, due date, amount), monthly from `first_due`.

    Every term is `per_month`; the last one takes the rounding difference,
    so the amounts add up to exactly `total`.
    """
    regular = per_month(total, periods)
    last = total - regular * (periods - 1)
    return [
        (number, first_due + relativedelta(months=number - 1), regular if number < periods else last)
        for number in range(1, periods + 1)
    ]


def first_due_date(approved_on: date) -> date:
    """The first of a month, at least FIRST_DUE_LEAD_DAYS after the approval."""
    first = approved_on.replace(day=1) + relativedelta(months=1)
    if (first - approved_on).days < FIRST_DUE_LEAD_DAYS:
        first += relativedelta(months=1)
    return first


def paid_towards(total: Decimal, still_open: Decimal) -> Decimal:
    """How much of the arrangement is paid, when `still_open` of the old debt is left."""
    return min(total, max(ZERO, total - still_open))


def paid_per_term(amounts: list[Decimal], paid: Decimal) -> list[Decimal]:
    """Spread what is paid over the terms in order: the first term fills up first."""
    result = []
    for amount in amounts:
        part = min(amount, max(ZERO, paid))
        result.append(part)
        paid -= part
    return result


def term_missed(due_date: date, today: date) -> bool:
    """A term not fully paid is missed once GRACE_DAYS have passed after its due date."""
    return today > due_date + timedelta(days=GRACE_DAYS)


# --- reads ----------------------------------------------------------------------


def balance_for(tenant: User, corporation: Corporation) -> Decimal:
    """What the tenant still owes this corporation (their open items there)."""
    total = OpenItem.objects.filter(tenant=tenant, corporation=corporation, paid_at__isnull=True).aggregate(
        total=Sum(F("amount") - F("amount_paid"))
    )["total"]
    return total or ZERO


def contract_starts(tenant: User, corporation: Corporation, today: date) -> list[date]:
    """Start dates of the tenant's contracts with the corporation that run today."""
    from contracts.models import Contract

    return list(
        Contract.objects.filter(tenants=tenant, corporation=corporation, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values_list("start_date", flat=True)
    )


def open_request(tenant: User) -> Case | None:
    """The tenant's arrangement request that staff have not decided on yet."""
    return (
        Case.objects.filter(tenant=tenant, kind=CaseKind.PAYMENT_ARRANGEMENT, state__in=OPEN_STATES)
        .order_by("-created_at")
        .first()
    )


def running_arrangement(tenant: User, corporation: Corporation | None = None) -> Arrangement | None:
    """The tenant's approved arrangement with terms still to pay, if any.

    The arrears queue may use it: a tenant who keeps to the arrangement is
    not behind (a missed term reopens the arrears case anyway).
    """
    arrangements = Arrangement.objects.filter(
        case__tenant=tenant, approved_at__isnull=False, instalments__paid_at__isnull=True
    )
    if corporation is not None:
        arrangements = arrangements.filter(case__corporation=corporation)
    return arrangements.select_related("case").order_by("-approved_at").first()


@dataclass(frozen=True)
class Eligibility:
    """May this tenant ask for an arrangement now, and if not, why not."""

    corporation: Corporation | None
    reason: str | None = None
    balance: Decimal = ZERO
    may_from: date | None = None
    open_case: Case | None = None
    #: An approved arrangement that still runs: a new request is weighed with it.
    running: Arrangement | None = None

    @property
    def allowed(self) -> bool:
        return self.reason is None

    @property
    def message(self) -> str:
        return message(self.reason) if self.reason else ""


def eligibility(tenant: User, today: date | None = None) -> Eligibility:
    from portal.selectors import tenant_corporation

    today = today or timezone.localdate()
    corporation = tenant_corporation(tenant)
    if corporation is None:
        return Eligibility(None, "no_contract")
    pending = open_request(tenant)
    if pending is not None:
        return Eligibility(corporation, "open_case", open_case=pending)
    starts = contract_starts(tenant, corporation, today)
    if not starts:
        return Eligibility(corporation, "no_contract")
    if not may_request(starts, today):
        return Eligibility(corporation, "under_a_year", may_from=may_request_from(starts, today))
    balance = balance_for(tenant, corporation)
    if balance <= ZERO:
        return Eligibility(corporation, "no_balance", balance=balance)
    return Eligibility(corporation, balance=balance, running=running_arrangement(tenant, corporation))


# --- writes ---------------------------------------------------------------------


def arrangement_request(
    *,
    tenant: User,
    had_arrangement_last_year: bool,
    reason: str,
    total_amount: Decimal,
    periods: int,
    today: date | None = None,
    key: once.SendKey | None = None,
) -> Case:
    """The tenant sends the form: a case for staff plus its Arrangement, together or not at all.

    Every rule is checked again with the tenant's row locked, so two submits
    at once open one request; the same form sent again (its `key`, see
    `portal.once`) returns the case its first send opened.
    """
    today = today or timezone.localdate()
    asked = (tenant, had_arrangement_last_year, reason, total_amount, periods, today)
    return once.send(key, lambda: _arrangement_open(*asked))


def _arrangement_open(tenant, had_arrangement_last_year, reason, total_amount, periods, today) -> Case:
    from portal.services import case_open

    with transaction.atomic():
        User.objects.select_for_update().get(pk=tenant.pk)
        state = eligibility(tenant, today)
        if not state.allowed:
            raise refusal(state.reason)
        problem = check_amount(total_amount, state.balance)
        if problem:
            raise refusal(problem, balance=state.balance)
        problem = check_periods(total_amount, periods)
        if problem:
            raise refusal(problem, max=MAX_PERIODS, min=MIN_TERM)
        case = case_open(
            tenant=tenant, corporation=state.corporation, kind=CaseKind.PAYMENT_ARRANGEMENT, note=reason
        )
        arrangement = Arrangement(
            case=case,
            had_arrangement_last_year=had_arrangement_last_year,
            reason=reason,
            total_amount=total_amount,
            periods=periods,
            per_month=per_month(total_amount, periods),
        )
        arrangement.full_clean()
        arrangement.save()
    return case


def arrangement_approve_on_complete(case: Case, actor: User | None) -> None:
    """Staff approve ("Afhandelen (toekennen)"): the terms are made, once.

    Called by `portal.services.case_transition` inside its transaction.
    """
    arrangement = Arrangement.objects.select_for_update().filter(case=case).first()
    if arrangement is None or arrangement.approved_at is not None:
        return
    now = timezone.now()
    first = first_due_date(timezone.localdate(now))
    Instalment.objects.bulk_create(
        Instalment(arrangement=arrangement, number=number, due_date=due, amount=amount)
        for number, due, amount in schedule(arrangement.total_amount, arrangement.periods, first)
    )
    arrangement.first_due_date = first
    arrangement.approved_at = now
    arrangement.save(update_fields=["first_due_date", "approved_at"])


def covered_open(arrangement: Arrangement) -> Decimal:
    """What is still open of the debt the arrangement is about: the items invoiced by the request."""
    case = arrangement.case
    total = (
        OpenItem.objects.filter(
            tenant_id=case.tenant_id, corporation_id=case.corporation_id, paid_at__isnull=True
        )
        .filter(Q(created_at__lte=case.created_at) | Q(created_at__isnull=True))
        .aggregate(total=Sum(F("amount") - F("amount_paid")))["total"]
    )
    return total or ZERO


def arrangement_follow(arrangement_id: int, today: date | None = None) -> list[Instalment]:
    """Bring one arrangement's terms up to date; returns the terms missed just now.

    Running it again changes nothing: amounts are recomputed to the same
    values and a term is marked missed (and acted on) only once.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        arrangement = (
            Arrangement.objects.select_for_update()
            .select_related("case__tenant", "case__corporation")
            .get(pk=arrangement_id)
        )
        if arrangement.approved_at is None:
            return []
        terms = list(arrangement.instalments.order_by("number"))
        paid = paid_per_term(
            [term.amount for term in terms], paid_towards(arrangement.total_amount, covered_open(arrangement))
        )
        missed = []
        for term, amount_paid in zip(terms, paid, strict=True):
            changed = []
            if term.amount_paid != amount_paid:
                term.amount_paid = amount_paid
                changed.append("amount_paid")
            fully_paid = amount_paid >= term.amount
            if fully_paid != (term.paid_at is not None):
                term.paid_at = now if fully_paid else None
                changed.append("paid_at")
            if not fully_paid and term.missed_at is None and term_missed(term.due_date, today):
                term.missed_at = now
                changed.append("missed_at")
                missed.append(term)
            if changed:
                term.save(update_fields=changed)
        if missed:
            _tell_missed(arrangement, missed)
            numbers = ", ".join(str(term.number) for term in missed)
            arrears_reopen(
                tenant=arrangement.case.tenant,
                corporation=arrangement.case.corporation,
                note=_("Termijn %(numbers)s van betalingsregeling %(case)s is niet op tijd betaald.")
                % {"numbers": numbers, "case": arrangement.case.number},
            )
    return missed


def _tell_missed(arrangement: Arrangement, missed: list[Instalment]) -> None:
    from portal.services import message_send
    from portal.templatetags.portal import euro

    case = arrangement.case
    lines = [
        _("Termijn %(number)s: %(amount)s, te betalen uiterlijk %(date)s. Nog te betalen: %(rest)s.")
        % {
            "number": term.number,
            "amount": euro(term.amount),
            "date": date_format(term.due_date, "j F Y"),
            "rest": euro(term.amount - term.amount_paid),
        }
        for term in missed
    ]
    body = "\n\n".join(
        [
            _("Beste huurder,"),
            _("U heeft een betalingsregeling met ons. Deze termijn hebben wij niet (helemaal) ontvangen:"),
            "\n".join(lines),
            _(
                "Betaal het bedrag zo snel mogelijk. Lukt dat niet? Bel ons dan: %(phone)s. "
                "Wij nemen ook zelf contact met u op."
            )
            % {"phone": case.corporation.phone},
            _("Uw betalingsregeling ziet u in Mijn aanvragen, bij zaak %(number)s.")
            % {"number": case.number},
        ]
    )
    message_send(
        person=case.tenant,
        case=case,
        subject=_("Uw betalingsregeling: een termijn is niet betaald"),
        body=body,
    )


def arrears_reopen(*, tenant: User, corporation: Corporation, note: str) -> Case:
    """A missed term puts the tenant's arrears case (back) on the corporation's desk.

    A finished case is reopened; without one a new case and its file are
    opened; an open case only gets the note in its history.
    """
    from portal.services import case_open, case_transition

    with transaction.atomic():
        User.objects.select_for_update().get(pk=tenant.pk)
        case = (
            Case.objects.filter(tenant=tenant, corporation=corporation, kind=CaseKind.ARREARS)
            .exclude(state=CaseState.WITHDRAWN)
            .order_by("-created_at", "-id")
            .first()
        )
        if case is None:
            case = case_open(
                tenant=tenant, corporation=corporation, kind=CaseKind.ARREARS, note=note, actor=None
            )
        elif case.state in OPEN_STATES:
            CaseEvent.objects.create(case=case, actor=None, action="message", note=note)
        else:
            case = case_transition(case=case, name="reopen", actor=None, role=Actor.SYSTEM, note=note)
        ArrearsFile.objects.get_or_create(
            case=case, defaults={"opened_amount": balance_for(tenant, corporation)}
        )
    return case


def instalments_check(today: date | None = None) -> int:
    """Daily: follow every approved arrangement with terms to pay; returns how many terms were missed."""
    today = today or timezone.localdate()
    pending = (
        Arrangement.objects.filter(approved_at__isnull=False, instalments__paid_at__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    return sum(len(arrangement_follow(pk, today)) for pk in list(pending))


def next_term(tenant: User) -> Instalment | None:
    """The first term of the tenant's approved arrangement that is not paid yet."""
    return (
        Instalment.objects.filter(
            arrangement__case__tenant=tenant, arrangement__approved_at__isnull=False, paid_at__isnull=True
        )
        .select_related("arrangement__case")
        .order_by("due_date", "number")
        .first()
    )


def term_payment_start(*, tenant: User, instalment_id: int, provider=None, key: once.SendKey | None = None):
    """Pay one term online: what is left of it goes to the debt the arrangement is about.

    Only the tenant's own, approved, unpaid term; anything else does not exist
    for them (LookupError lets the view answer 404). The button pressed again
    (its `key`, see `portal.once`) gives the payment it started first, paid or
    not, unless that one failed at the bank.
    """
    from payments.ledger import payment_reusable

    return once.send(key, lambda: _term_payment(tenant, instalment_id, provider), reuse=payment_reusable)


def _term_payment(tenant: User, instalment_id: int, provider):
    from payments.ledger import payment_start

    term = (
        Instalment.objects.filter(
            pk=instalment_id,
            arrangement__case__tenant=tenant,
            arrangement__approved_at__isnull=False,
            paid_at__isnull=True,
        )
        .select_related("arrangement__case")
        .first()
    )
    if term is None:
        raise LookupError(instalment_id)
    case = term.arrangement.case
    items = list(
        OpenItem.objects.filter(tenant=tenant, corporation_id=case.corporation_id, paid_at__isnull=True)
        .filter(Q(created_at__lte=case.created_at) | Q(created_at__isnull=True))
        .order_by("due_date", "id")
    )
    left = term.amount - term.amount_paid
    covered = sum((item.open_amount for item in items), ZERO)
    return payment_start(
        tenant=tenant,
        items=items,
        provider=provider,
        amount=min(left, covered),
        description=str(_("Termijn %(number)s van betalingsregeling %(case)s"))
        % {"number": term.number, "case": case.number},
    )
