"""Writes for people, cases and messages.

Views, admin actions, tasks and tests call these functions; none of them
sets a case's state any other way.
"""

from dataclasses import dataclass
from datetime import date
from uuid import uuid4

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from portal import once, outbox, rules, selectors
from portal.cases import (
    OPEN_STATES,
    Actor,
    CaseKind,
    CaseState,
    Transition,
    can_transition,
    kind_spec,
    step_for_state,
    transition_for,
)
from portal.errors import error
from portal.models import (
    Case,
    CaseEvent,
    CaseFeedback,
    Corporation,
    DataChangeRequest,
    EmailChange,
    Message,
    User,
)
from portal.workdays import add_working_days


def today() -> date:
    return timezone.localdate()


# --- messages -----------------------------------------------------------------


def message_send(
    *,
    person: User,
    subject: str,
    body: str,
    case: Case | None = None,
    author: User | None = None,
    email: bool = True,
) -> Message:
    """Put a message in the tenant's Mijn berichten and e-mail them about it.

    `email=False` when the caller sends its own e-mail with the same text.
    """
    from portal.tasks import message_email

    with transaction.atomic():
        message = Message(person=person, case=case, author=author, subject=subject, body=body, to_staff=False)
        message.full_clean()
        message.save()
        if email:
            outbox.enqueue(
                message_email,
                message.pk,
                corporation_id=case.corporation_id if case else person.corporation_id,
                summary=f"{subject} → {person.email}",
            )
    return message


def message_from_tenant(*, case: Case, tenant: User, body: str, key: once.SendKey | None = None) -> Message:
    """A tenant writes to the corporation on one of their cases.

    A case waiting for the tenant goes back to the corporation. The form sent
    again (its `key`, see `portal.once`) returns the message it sent first.
    """
    return once.send(key, lambda: _message_from_tenant(case, tenant, body))


def _message_from_tenant(case: Case, tenant: User, body: str) -> Message:
    with transaction.atomic():
        message = Message(
            person=tenant,
            case=case,
            author=tenant,
            to_staff=True,
            subject=_("Reactie op zaak %(number)s") % {"number": case.number},
            body=body,
            read_at=None,
        )
        message.full_clean()
        message.save()
        CaseEvent.objects.create(case=case, actor=tenant, action="message", note=body)
        if case.state == CaseState.WAITING:
            case_transition(case=case, name="resume", actor=tenant, role=Actor.TENANT)
    return message


def message_mark_read(*, message: Message) -> None:
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
        message.read_at = timezone.now()


# --- cases --------------------------------------------------------------------


def _next_case_number(case: Case) -> str:
    # The year as the tenant sees it: a case opened at 00:30 on 1 January is of the new year.
    return f"Z{timezone.localtime(case.created_at):%Y}-{case.pk:06d}"


def case_open(
    *, tenant: User, corporation: Corporation, kind: str, note: str = "", actor: User | None = None
) -> Case:
    """Open a case for a tenant: step 1, with the promised completion date.

    A kind the tenant does not follow (an arrears file) is opened without a
    message to them; `actor` is who opened it (the tenant, or None for a job).
    """
    spec = kind_spec(kind)
    now = timezone.now()
    case = Case(
        tenant=tenant,
        corporation=corporation,
        kind=kind,
        state=CaseState.SUBMITTED,
        step=1,
        expected_on=add_working_days(timezone.localdate(now), spec.working_days),
        created_at=now,
        # A placeholder that the row's own id replaces below: the number must
        # be unique and readable, and the id is both.
        number=f"~{uuid4().hex[:18]}",
    )
    case.full_clean(exclude=["number"])
    case.save()
    case.number = _next_case_number(case)
    case.save(update_fields=["number"])
    opener = tenant if actor is None and spec.tenant_visible else actor
    CaseEvent.objects.create(case=case, actor=opener, action="open", to_state=case.state, note=note)
    if spec.tenant_visible:
        message_send(
            person=tenant,
            case=case,
            subject=_("We hebben uw aanvraag ontvangen: %(kind)s") % {"kind": spec.label},
            body=render_to_string("portal/email/case_opened.txt", {"case": case, "spec": spec}),
        )
    return case


def case_transition(*, case: Case, name: str, actor: User | None, role: str, note: str = "") -> Case:
    """Move a case on by the named transition, or raise a DomainError.

    The row is locked so two staff members cannot move one case at the same
    time; the source state is checked after the lock.
    """
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        transition = case_transition_check(case=locked, name=name, role=role, note=note)
        source = locked.state
        spec = kind_spec(locked.kind)
        if transition.target == CaseState.COMPLETED and spec.on_complete:
            import_string(spec.on_complete)(locked, actor)
        locked.state = transition.target
        locked.step = step_for_state(locked.state)
        if locked.state in (CaseState.CLOSED, CaseState.WITHDRAWN):
            locked.closed_at = timezone.now()
        if role == Actor.STAFF and locked.assigned_to_id is None:
            locked.assigned_to = actor
        locked.save(update_fields=["state", "step", "closed_at", "assigned_to", "updated_at"])
        CaseEvent.objects.create(
            case=locked, actor=actor, action=name, from_state=source, to_state=locked.state, note=note
        )
        if locked.state == CaseState.IN_PROGRESS and name == "reopen":
            locked.closed_at = None
            locked.save(update_fields=["closed_at"])
        if role != Actor.TENANT and spec.tenant_visible:
            _tell_tenant(locked, note)
    case.refresh_from_db()
    return case


def case_transition_check(*, case: Case, name: str, role: str, note: str = "") -> Transition:
    """Raise the DomainError `case_transition` would raise, without writing.

    Forms call it to show a refusal next to the fields; `case_transition`
    calls it again once the row is locked.
    """
    transition = transition_for(name)
    if transition is None or not can_transition(case.state, name, role):
        raise error("transition_not_allowed", state=case.get_state_display())
    if transition.note_required and not note.strip():
        raise error("note_required")
    return transition


def _tell_tenant(case: Case, note: str) -> None:
    """The message a tenant gets when staff move their case on."""
    message_send(
        person=case.tenant,
        case=case,
        subject=_("Uw aanvraag %(number)s: %(state)s")
        % {"number": case.number, "state": case.get_state_display().lower()},
        body=render_to_string("portal/email/case_changed.txt", {"case": case, "note": note}),
    )


def case_message_from_staff(*, case: Case, staff: User, body: str) -> Message:
    with transaction.atomic():
        CaseEvent.objects.create(case=case, actor=staff, action="message", note=body)
        return message_send(
            person=case.tenant,
            case=case,
            author=staff,
            subject=_("Bericht over uw aanvraag %(number)s") % {"number": case.number},
            body=body,
        )


def case_feedback_give(
    *, case: Case, tenant: User, rating: int, comment: str = "", key: once.SendKey | None = None
) -> CaseFeedback:
    """The last step: the tenant says what they thought, and the case closes.

    The form sent again (its `key`, see `portal.once`) returns the opinion it gave first.
    """
    return once.send(key, lambda: _feedback_give(case, tenant, rating, comment))


def _feedback_give(case: Case, tenant: User, rating: int, comment: str) -> CaseFeedback:
    if case.state not in (CaseState.COMPLETED, CaseState.REJECTED):
        raise error("feedback_not_now")
    with transaction.atomic():
        feedback = CaseFeedback(case=case, rating=rating, comment=comment)
        feedback.full_clean()
        feedback.save()
        case_transition(case=case, name="close", actor=tenant, role=Actor.TENANT, note=comment)
    return feedback


# --- personal data ------------------------------------------------------------


@dataclass(frozen=True)
class ContactChange:
    """What `contact_details_update` did: phone fields changed at once, and the
    address change waiting for its link (None when the address stayed the same)."""

    changed: list[str]
    email_change: EmailChange | None


def contact_details_update(
    *,
    user: User,
    phone_private: str,
    phone_work: str,
    phone_mobile: str,
    email: str,
    actor: User | None = None,
    key: once.SendKey | None = None,
) -> ContactChange:
    """Change the phone numbers at once; a new e-mail address waits for its link.

    The e-mail address is also the login name, so it changes only once the person
    shows that the new address is theirs (`email_change_request`), also when a
    staff member (`actor`) typed it in the admin. `key`: see `email_change_request`.
    """
    values = {"phone_private": phone_private, "phone_work": phone_work, "phone_mobile": phone_mobile}
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    with transaction.atomic():
        if changed:
            for name in changed:
                setattr(user, name, values[name])
            user.full_clean()
            user.save(update_fields=changed)
        email_change = None
        if User.objects.normalize_email(email).lower() != user.email.lower():
            email_change = email_change_request(user=user, email=email, actor=actor, key=key)
    return ContactChange(changed=changed, email_change=email_change)


EMAIL_LINK_SALT = "portal.email_change"


def email_change_request(
    *, user: User, email: str, actor: User | None = None, key: once.SendKey | None = None
) -> EmailChange:
    """Ask to log in with `email` from now on: a link goes to that address.

    The answer is the same whether or not the address belongs to someone else,
    so Mijn gegevens cannot be used to find out who has an account; the mail
    job (`portal.tasks.email_change_email`) tells the owner of a taken address
    that it cannot be used instead of sending a link.

    The form sent again (its `key`, see `portal.once`) returns the request its first
    send made, while that one's link still works: only the latest request's link
    works, so a second request would have made the first mail's link useless.
    """
    return once.send(
        key, lambda: _email_change_create(user, email, actor), reuse=selectors.email_change_valid
    )


def _email_change_create(user: User, email: str, actor: User | None) -> EmailChange:
    from portal.tasks import email_change_email

    change = EmailChange(
        user=user,
        email=User.objects.normalize_email(email).lower(),
        old_email=user.email,
        requested_by=actor if actor is not None and actor.pk != user.pk else None,
    )
    change.full_clean()
    with transaction.atomic():
        change.save()
        outbox.enqueue(
            email_change_email,
            change.pk,
            corporation_id=user.corporation_id,
            summary=_("Bevestig uw nieuwe e-mailadres") + f" → {change.email}",
        )
    return change


def email_change_token(change: EmailChange) -> str:
    return signing.dumps(change.pk, salt=EMAIL_LINK_SALT)


def email_change_for_token(token: str) -> EmailChange:
    """The request a link is for, or a DomainError when the link is forged, old or used."""
    try:
        pk = signing.loads(token, salt=EMAIL_LINK_SALT, max_age=EmailChange.LINK_MAX_AGE)
    except signing.BadSignature:
        raise error("email_link_invalid") from None
    change = EmailChange.objects.select_related("user").filter(pk=pk).first()
    if change is None or not selectors.email_change_valid(change):
        raise error("email_link_invalid")
    return change


def email_change_confirm(*, token: str) -> User:
    """The person clicked the link: the new address becomes their login.

    allauth's address book follows (one row, the login address), and the old
    address is told, so a stolen session cannot quietly take the account over.
    An address someone else got in the meantime is refused and nothing changes.
    """
    from portal.tasks import email_changed_notice

    with transaction.atomic():
        change = email_change_for_token(token)
        user = User.objects.select_for_update().get(pk=change.user_id)
        change = EmailChange.objects.select_for_update().select_related("user").get(pk=change.pk)
        if not selectors.email_change_valid(change):
            raise error("email_link_invalid")
        if User.objects.filter(email__iexact=change.email).exclude(pk=user.pk).exists():
            raise error("email_taken_now")
        old_email, user.email = user.email, change.email
        user.full_clean(validate_unique=False)
        try:
            # Two people confirming the same address at once: the unique index decides.
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError:
            raise error("email_taken_now") from None
        EmailAddress.objects.filter(user=user).delete()
        EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        change.confirmed_at = timezone.now()
        change.save(update_fields=["confirmed_at"])
        outbox.enqueue(
            email_changed_notice,
            user.pk,
            old_email,
            corporation_id=user.corporation_id,
            summary=_("Uw e-mailadres is gewijzigd") + f" → {old_email}",
        )
    return user


def data_change_request(
    *,
    tenant: User,
    corporation: Corporation,
    submitted: dict,
    explanation: str,
    key: once.SendKey | None = None,
) -> Case:
    """Ask staff to change data the tenant cannot change themselves.

    The form sent again (its `key`, see `portal.once`) returns the case its
    first send opened, instead of refusing a second open request.
    """
    return once.send(key, lambda: _data_change_open(tenant, corporation, submitted, explanation))


def _data_change_open(tenant: User, corporation: Corporation, submitted: dict, explanation: str) -> Case:
    current = {name: getattr(tenant, name) for name in rules.DATA_CHANGE_FIELDS}
    changes = rules.requested_changes(current, submitted)
    if not changes:
        raise error("no_changes")
    with transaction.atomic():
        # Lock the person so two submits at once cannot both open a request.
        User.objects.select_for_update().get(pk=tenant.pk)
        open_requests = Case.objects.filter(
            tenant=tenant, kind=CaseKind.DATA_CHANGE, state__in=OPEN_STATES
        ).count()
        if not rules.may_request_data_change(open_requests):
            raise error("open_data_change")
        case = case_open(tenant=tenant, corporation=corporation, kind=CaseKind.DATA_CHANGE, note=explanation)
        detail = DataChangeRequest(case=case, explanation=explanation, previous=current, **changes)
        detail.full_clean()
        detail.save()
    return case


def data_change_apply(case: Case, actor: User | None) -> None:
    """Carry out an approved data change (called when staff complete the case)."""
    detail = DataChangeRequest.objects.select_for_update().get(case=case)
    if detail.applied_at:
        return
    tenant = User.objects.select_for_update().get(pk=case.tenant_id)
    changes = detail.requested()
    for name, value in changes.items():
        setattr(tenant, name, value)
    tenant.save(update_fields=list(changes))
    detail.applied_at = timezone.now()
    detail.save(update_fields=["applied_at"])


# --- invitations --------------------------------------------------------------


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Activation links for invited tenants.

    The token depends on the password hash, so it stops working once the
    tenant has chosen a password, and it expires after PASSWORD_RESET_TIMEOUT.
    """

    key_salt = "portal.services.ActivationTokenGenerator"


activation_tokens = ActivationTokenGenerator()


def activation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("activate", args=[uid, activation_tokens.make_token(user)])


def tenant_invite(*, user: User, invited_by: User | None = None) -> bool:
    """Send a tenant the link that lets them choose a password.

    Returns False (and sends nothing) when the person already has a password.
    """
    from portal.tasks import invitation_email

    with transaction.atomic():
        if user.has_usable_password():
            # An active account needs no invitation; a reset link is the way back.
            return False
        user.invited_at = timezone.now()
        user.save(update_fields=["invited_at"])
        subject = _("Uw account voor %(site)s") % {"site": settings.SITE_NAME}
        outbox.enqueue(
            invitation_email, user.pk, corporation_id=user.corporation_id, summary=f"{subject} → {user.email}"
        )
    return True


def tenant_activate(*, user: User, password: str) -> None:
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
