"""Pages of the Mijn portal: dashboard, personal data, cases, messages, activation."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import once, selectors, services
from portal.cases import FEEDBACK_STATES, Actor, can_transition
from portal.errors import MESSAGES, DomainError, error
from portal.forms import ActivationForm, CaseMessageForm, ContactDetailsForm, DataChangeForm, FeedbackForm
from portal.rules import DATA_CHANGE_FIELDS


def home(request):
    return render(request, "portal/home.html")


def section_page(request, template):
    return render(request, template)


def not_found(request, *args, **kwargs):
    """For library pages the portal does not offer (see portal/urls.py)."""
    raise Http404


@login_required
def dashboard(request):
    user = request.user
    return render(
        request,
        "portal/dashboard.html",
        {
            "balance": selectors.open_balance(user),
            "cases": selectors.active_cases(user)[:10],
            "inbox": selectors.inbox(user)[:5],
            "inbox_counts": selectors.inbox_counts(user),
        },
    )


@login_required
def personal_data(request):
    """Mijn gegevens: see everything; phones change at once, a new address once confirmed."""
    user = request.user
    fields = ("phone_private", "phone_work", "phone_mobile", "email")
    form = ContactDetailsForm(
        request.POST or None, initial={name: getattr(user, name) for name in fields}, user=user
    )
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # The same page sent again asks once; another address typed on it is another request.
        key = once.posted_key(request, "portal.email_change", email)
        # Each new address gets a mail: limited, so the form sends no one a flood.
        earlier = once.earlier(key)
        resend = earlier is not None and selectors.email_change_valid(earlier)
        if (
            email != user.email.lower()
            and not resend
            and not ratelimit.consume(request, action="email_change")
        ):
            form.add_error("email", MESSAGES["too_many"])
        else:
            result = services.contact_details_update(
                user=user, key=key, **{name: form.cleaned_data[name] for name in fields}
            )
            if result.changed:
                messages.success(request, _("Uw contactgegevens zijn gewijzigd."))
            if result.email_change:
                messages.info(
                    request,
                    _(
                        "Wij hebben een e-mail gestuurd naar %(email)s. Klik op de link in die e-mail. "
                        "Pas dan wordt dit uw nieuwe e-mailadres."
                    )
                    % {"email": result.email_change.email},
                )
            if not result.changed and not result.email_change:
                messages.info(request, _("Er was niets gewijzigd."))
            return redirect("portal:personal_data")
    return render(
        request,
        "portal/personal_data.html",
        {"form": form, "pending": selectors.email_change_pending(user)},
    )


def email_confirm(request, token):
    """The link from the mail to a new address: GET asks, POST makes it the login.

    The signed link is the proof, so it works without logging in (the mail is
    often read on another device). A GET changes nothing: mail scanners open links.
    """
    try:
        change = services.email_change_for_token(token)
    except DomainError as exc:
        return render(request, "portal/email_confirm.html", {"problem": exc.message}, status=400)
    if request.user.is_authenticated and request.user.pk != change.user_id:
        # Someone else is logged in in this browser: "U logt voortaan in met …" would speak
        # of their account, and confirming would change another person's login.
        problem = _(
            "Deze link hoort bij een ander account dan waarmee u nu bent ingelogd. "
            "Log uit en open de link opnieuw."
        )
        return render(request, "portal/email_confirm.html", {"problem": problem}, status=403)
    if request.method == "POST":
        try:
            user = services.email_change_confirm(token=token)
        except DomainError as exc:
            return render(request, "portal/email_confirm.html", {"problem": exc.message}, status=400)
        done = _("Uw e-mailadres is gewijzigd. U logt voortaan in met %(email)s.")
        messages.success(request, done % {"email": user.email})
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("portal:personal_data")
        return redirect("account_login")
    return render(request, "portal/email_confirm.html", {"change": change})


@login_required
def data_change(request):
    """Request a change of other data; staff make it within two working days."""
    user = request.user
    form = DataChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        corporation = selectors.tenant_corporation(user)
        try:
            if corporation is None:
                raise error("not_a_tenant")
            submitted = {name: form.cleaned_data[name] for name in DATA_CHANGE_FIELDS}
            case = services.data_change_request(
                tenant=user,
                corporation=corporation,
                submitted=submitted,
                explanation=form.cleaned_data["explanation"],
                key=once.posted_key(request, "portal.data_change"),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Uw aanvraag is verstuurd. U ziet hier hoe het ermee staat."))
            return redirect(case)
    return render(request, "portal/data_change.html", {"form": form})


@login_required
def case_list(request):
    return render(request, "portal/case_list.html", {"cases": selectors.cases_for(request.user)})


@login_required
def case_detail(request, number):
    case = selectors.case_for_tenant(request.user, number)
    return _render_case(request, case)


def _render_case(request, case, message_form=None, feedback_form=None):
    return render(
        request,
        "portal/case_detail.html",
        {
            "case": case,
            "events": selectors.case_timeline(case),
            "thread": selectors.case_messages(case),
            "message_form": message_form or CaseMessageForm(),
            "feedback_form": feedback_form or FeedbackForm(),
            "asks_feedback": case.state in FEEDBACK_STATES,
            "can_withdraw": can_transition(case.state, "withdraw", Actor.TENANT),
        },
    )


@login_required
@require_POST
def case_message(request, number):
    case = selectors.case_for_tenant(request.user, number)
    form = CaseMessageForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, message_form=form)
    services.message_from_tenant(
        case=case,
        tenant=request.user,
        body=form.cleaned_data["body"],
        key=once.posted_key(request, "portal.case_message", case.pk),
    )
    messages.success(request, _("Uw bericht is verstuurd."))
    return redirect(case)


@login_required
@require_POST
def case_feedback(request, number):
    case = selectors.case_for_tenant(request.user, number)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.case_feedback_give(
                case=case,
                tenant=request.user,
                key=once.posted_key(request, "portal.case_feedback", case.pk),
                **form.cleaned_data,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Bedankt voor uw mening."))
        return redirect(case)
    return _render_case(request, case, feedback_form=form)


@login_required
@require_POST
def case_withdraw(request, number):
    case = selectors.case_for_tenant(request.user, number)
    try:
        services.case_transition(case=case, name="withdraw", actor=request.user, role=Actor.TENANT)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Uw aanvraag is ingetrokken."))
    return redirect(case)


@login_required
def inbox(request):
    return render(request, "portal/inbox.html", {"inbox": selectors.inbox(request.user)})


@login_required
def message_detail(request, pk):
    message = selectors.message_for_tenant(request.user, pk)
    services.message_mark_read(message=message)
    return render(request, "portal/message_detail.html", {"message": message})


@login_required
def login_details(request):
    """Direct regelen → Ik wil mijn inloggegevens wijzigen."""
    return render(request, "portal/login_details.html")


def activate(request, uidb64, token):
    """An invited tenant opens the link from the e-mail and chooses a password."""
    user_model = get_user_model()
    try:
        user = user_model.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, user_model.DoesNotExist):
        user = None
    if user is None or not services.activation_tokens.check_token(user, token):
        return render(request, "portal/activate_invalid.html", status=400)
    form = ActivationForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.tenant_activate(user=user, password=form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welkom! Uw account is klaar voor gebruik."))
        return redirect("portal:dashboard")
    return render(request, "portal/activate.html", {"form": form, "person": user})
