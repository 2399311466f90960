"""The case engine's rules: states, transitions, steps and kinds.

Pure data and functions, no database. Every tenant request that staff handle
is a case (zaak). A case moves through one shared state machine; each kind
names its own steps (1 Aanvraag, 2 Beoordeling, 3 Uw mening) and how many
working days it may take. `portal.services.case_transition` is the only
code that changes a case's state, and it asks this module first.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseState(models.TextChoices):
    SUBMITTED = "submitted", _("Ontvangen")
    IN_PROGRESS = "in_progress", _("In behandeling")
    WAITING = "waiting", _("Wacht op uw reactie")
    COMPLETED = "completed", _("Afgehandeld")
    REJECTED = "rejected", _("Afgewezen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")
    CLOSED = "closed", _("Gesloten")


#: States in which the corporation still has work to do.
OPEN_STATES = frozenset({CaseState.SUBMITTED, CaseState.IN_PROGRESS, CaseState.WAITING})
#: States in which the tenant is asked for their opinion (the last step).
FEEDBACK_STATES = frozenset({CaseState.COMPLETED, CaseState.REJECTED})
#: States that end the case for good.
FINAL_STATES = frozenset({CaseState.WITHDRAWN, CaseState.CLOSED})


class Actor(models.TextChoices):
    TENANT = "tenant", _("Huurder")
    STAFF = "staff", _("Medewerker")
    SYSTEM = "system", _("Systeem")


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: CaseState
    actors: frozenset
    #: A note is needed: the tenant must be told why (a rejection, a question).
    note_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "start",
            pgettext_lazy("case action", "In behandeling nemen"),
            frozenset({CaseState.SUBMITTED}),
            CaseState.IN_PROGRESS,
            frozenset({Actor.STAFF}),
        ),
        Transition(
            "ask",
            pgettext_lazy("case action", "Informatie vragen aan de huurder"),
            frozenset({CaseState.SUBMITTED, CaseState.IN_PROGRESS}),
            CaseState.WAITING,
            frozenset({Actor.STAFF}),
            note_required=True,
        ),
        Transition(
            "resume",
            pgettext_lazy("case action", "Verder behandelen"),
            frozenset({CaseState.WAITING}),
            CaseState.IN_PROGRESS,
            frozenset({Actor.STAFF, Actor.TENANT, Actor.SYSTEM}),
        ),
        Transition(
            "complete",
            pgettext_lazy("case action", "Afhandelen (toekennen)"),
            frozenset({CaseState.SUBMITTED, CaseState.IN_PROGRESS}),
            CaseState.COMPLETED,
            # The system completes an arrears case once nothing is late any more.
            frozenset({Actor.STAFF, Actor.SYSTEM}),
        ),
        Transition(
            "reject",
            pgettext_lazy("case action", "Afwijzen"),
            frozenset({CaseState.SUBMITTED, CaseState.IN_PROGRESS, CaseState.WAITING}),
            CaseState.REJECTED,
            frozenset({Actor.STAFF}),
            note_required=True,
        ),
        Transition(
            "withdraw",
            pgettext_lazy("case action", "Intrekken"),
            frozenset({CaseState.SUBMITTED, CaseState.WAITING}),
            CaseState.WITHDRAWN,
            frozenset({Actor.TENANT}),
        ),
        Transition(
            "reopen",
            pgettext_lazy("case action", "Opnieuw openen"),
            frozenset({CaseState.COMPLETED, CaseState.REJECTED, CaseState.CLOSED}),
            CaseState.IN_PROGRESS,
            frozenset({Actor.STAFF, Actor.SYSTEM}),
        ),
        Transition(
            "close",
            pgettext_lazy("case action", "Sluiten"),
            frozenset({CaseState.COMPLETED, CaseState.REJECTED}),
            CaseState.CLOSED,
            frozenset({Actor.TENANT, Actor.STAFF, Actor.SYSTEM}),
        ),
    ]
}


#: How the tenant reads each line of a case's history.
EVENT_LABELS = {
    "open": _("Aanvraag ontvangen"),
    "start": _("Een medewerker behandelt uw aanvraag"),
    "ask": _("Wij hebben u om informatie gevraagd"),
    "resume": _("Uw aanvraag wordt weer behandeld"),
    "complete": _("Uw aanvraag is afgehandeld"),
    "reject": _("Uw aanvraag is afgewezen"),
    "withdraw": _("U heeft de aanvraag ingetrokken"),
    "close": _("De zaak is gesloten"),
    "reopen": _("De zaak is opnieuw geopend"),
    "call": _("Gebeld"),
    "escalation": _("Escalatiestap vastgelegd"),
    "message": _("Bericht"),
}


def transition_for(name: str) -> Transition | None:
    return TRANSITIONS.get(name)


def can_transition(state: str, name: str, actor: str) -> bool:
    """May `actor` apply transition `name` to a case in `state`?"""
    transition = TRANSITIONS.get(name)
    return transition is not None and state in transition.sources and actor in transition.actors


def allowed_transitions(state: str, actor: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources and actor in t.actors]


@dataclass(frozen=True)
class CaseKindSpec:
    """What differs per kind of case.

    `steps` are the numbered steps the tenant sees; the last one is always
    "Uw mening" (feedback). `working_days` is the promised handling time.
    `on_complete` names a function `(case, actor) -> None` that carries out
    the request when staff complete it (a data change is applied, say).
    """

    key: str
    label: str
    steps: tuple = field(default=())
    working_days: int = 5
    on_complete: str | None = None
    #: A case the tenant follows in Mijn aanvragen. An arrears case is the
    #: corporation's own file: the tenant is called, not shown a case page.
    tenant_visible: bool = True


class CaseKind(models.TextChoices):
    DATA_CHANGE = "data_change", _("Wijziging persoonsgegevens")
    PAYMENT_ARRANGEMENT = "payment_arrangement", _("Betalingsregeling")
    ARREARS = "arrears", _("Betalingsachterstand")


KIND_SPECS: dict[str, CaseKindSpec] = {
    CaseKind.DATA_CHANGE: CaseKindSpec(
        key=CaseKind.DATA_CHANGE,
        label=CaseKind.DATA_CHANGE.label,
        # Seed 000: "1 Uw verzoek, 2 Uw wijziging, 3 Uw mening".
        steps=(_("Uw verzoek"), _("Uw wijziging"), _("Uw mening")),
        # Seed 000: "een verwerkingstijd van maximaal twee werkdagen".
        working_days=2,
        on_complete="portal.services.data_change_apply",
    ),
    CaseKind.PAYMENT_ARRANGEMENT: CaseKindSpec(
        key=CaseKind.PAYMENT_ARRANGEMENT,
        label=CaseKind.PAYMENT_ARRANGEMENT.label,
        # Issue 4 / seed 000: "1 Aanvraag, 2 Uw betalingsregeling, 3 Uw mening".
        steps=(_("Aanvraag"), _("Uw betalingsregeling"), _("Uw mening")),
        # The seed gives no term; five working days is what staff can promise.
        working_days=5,
        on_complete="payments.arrangements.arrangement_approve_on_complete",
    ),
    CaseKind.ARREARS: CaseKindSpec(
        key=CaseKind.ARREARS,
        label=CaseKind.ARREARS.label,
        steps=(_("Achterstand"), _("Afspraak"), _("Opgelost")),
        # Seed 004: the team calls from the first day after the due date.
        working_days=1,
        tenant_visible=False,
    ),
}

#: The kinds a tenant sees in Mijn aanvragen.
TENANT_KINDS = tuple(key for key, spec in KIND_SPECS.items() if spec.tenant_visible)


def kind_spec(kind: str) -> CaseKindSpec:
    return KIND_SPECS[kind]


def step_for_state(state: str) -> int:
    """The step number (1-based) a case in `state` is at.

    1: the request is in; 2: the corporation works on it; 3: the tenant is
    asked for their opinion. A closed or withdrawn case stays on the last step.
    """
    if state == CaseState.SUBMITTED:
        return 1
    if state in (CaseState.IN_PROGRESS, CaseState.WAITING):
        return 2
    return 3


def is_overdue(state: str, expected_on: date | None, today: date) -> bool:
    return state in OPEN_STATES and expected_on is not None and expected_on < today
