"""Seeker pages under /woningzoekend/: signing up, Mijn inschrijving, reacting, Mijn reacties.

Every page after sign-up works on the logged-in seeker's own data only:
another seeker's registration, document or reaction is a 404.
"""

import logging

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allocation import reacting, registrations
from allocation import signup as signup_flow
from allocation.forms_seeker import CoApplicantForm, DocumentForm, SeekerForm, SignupEmailForm, SignupForm
from allocation.models import Listing, ListingState, RegistrationState
from payments.providers import ProviderError
from payments.views import to_bank
from portal import once
from portal.errors import MESSAGES, DomainError
from portal.upload_fields import file_response

log = logging.getLogger(__name__)

#: The session remembers where the sign-up link went, for the "look in your mail" page.
SIGNUP_SENT_TO = "seeker_signup_sent_to"

BANK_DOWN = signup_flow.BANK_DOWN


def _pay(request, seeker, number, key=None):
    """Send the seeker to the bank for the registration's open fee; back to Mijn inschrijving if not."""
    try:
        payment = registrations.fee_payment_start(seeker=seeker, number=number, key=key)
    except DomainError as exc:
        messages.error(request, exc.message)
    except ProviderError:
        log.exception("registration fee payment could not be started")
        messages.error(request, BANK_DOWN)
    else:
        return to_bank(payment)
    return redirect("seeker:mine")


def signup(request):
    """Inschrijven (A2, A3). Without an account: the address first, a link goes to it
    (the same answer for every address); logged in: the whole form at once.

    The sign-up form sent again (a double click, a reload, requests at the same moment)
    signs up once and answers each time with what its first send made: the bank page of
    the fee, or Mijn inschrijving.
    """
    user = request.user if request.user.is_authenticated else None
    if user is not None and user.is_staff:
        # Staff do not sign up as seekers; a tenant who wants to move (a doorstromer) does.
        raise Http404
    if user is None:
        return _signup_start(request)
    form = SignupForm(request.POST or None, with_account=False)
    if request.method == "POST" and form.is_valid():
        return _signup_finish(request, form, _signup_key(request), seeker=user)
    return render(request, "allocation/seeker/signup.html", {"form": form})


def _signup_start(request):
    form = SignupEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Each request mails the address: limited per visitor and per address.
        if not ratelimit.consume(request, action="seeker_signup", key=email):
            form.add_error("email", MESSAGES["too_many"])
        else:
            signup_flow.signup_link_request(email=email)
            request.session[SIGNUP_SENT_TO] = email
            return redirect("seeker:signup_sent")
    return render(request, "allocation/seeker/signup_start.html", {"form": form})


def signup_sent(request):
    """After the first step: look in your mail (the same page for every address)."""
    return render(
        request,
        "allocation/seeker/signup_sent.html",
        {"email": request.session.get(SIGNUP_SENT_TO, ""), "hours": _hours(signup_flow.LINK_MAX_AGE)},
    )


def signup_account(request, token):
    """The link from the mail: the sign-up form with the account, for the address it was sent to.

    The form sent again finds the account its first send made (and is logged in by
    then, or not yet when the sends crossed): it answers as the first send did.
    """
    key = _signup_key(request)
    if request.user.is_authenticated:
        return _signed_up_before(request, key) or redirect("seeker:signup")
    email = signup_flow.email_for_token(token)
    if email is None:
        return render(request, "allocation/seeker/signup_link.html", {"problem": "invalid"}, status=400)
    if signup_flow.account_exists(email):
        # Only the owner of the mailbox holds this link: telling them is no leak.
        return _signed_up_before(request, key) or render(
            request, "allocation/seeker/signup_link.html", {"problem": "exists"}
        )
    form = SignupForm(request.POST or None, with_account=True)
    if request.method == "POST" and form.is_valid():
        return _signup_finish(request, form, key, email=email)
    return render(request, "allocation/seeker/signup.html", {"form": form, "email": email})


def _signup_key(request):
    return once.posted_key(request, "allocation.signup") if request.method == "POST" else None


def _signed_up_before(request, key):
    """The answer of this form's first send, when it made the account this request now finds."""
    seeker = request.user if request.user.is_authenticated else None
    first = signup_flow.signup_earlier(key=key, seeker=seeker)
    return _signed_up(request, first) if first is not None else None


def _signup_finish(request, form, key, *, seeker=None, email=None):
    data = form.cleaned_data
    account = None
    if seeker is None:
        account = signup_flow.NewAccount(
            email=email,
            password=data["password"],
            first_name=data["first_name"],
            surname_prefix=data.get("surname_prefix", ""),
            surname=data["surname"],
        )
    name = form.name() if account else (seeker.get_full_name() or seeker.email)
    try:
        signed_up = signup_flow.seeker_signup(
            seeker=seeker,
            account=account,
            birth_date=data["birth_date"],
            phone=data.get("phone", ""),
            regions=data["regions"],
            data=form.seeker_data(name),
            key=key,
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(request, "allocation/seeker/signup.html", {"form": form, "email": email})
    return _signed_up(request, signed_up)


def _signed_up(request, signed_up: signup_flow.SignedUp):
    """The sign-up's confirmation (logged in as the new seeker): the fee's bank page, or Mijn inschrijving.

    Logging in on a repeat is safe: the key is bound to this browser session (`portal.once`).
    """
    if not request.user.is_authenticated:
        login(request, signed_up.seeker, backend="django.contrib.auth.backends.ModelBackend")
    if signed_up.registration.state != RegistrationState.PENDING:
        messages.success(request, _("U bent ingeschreven. Upload nu uw documenten."))
        return redirect("seeker:mine")
    messages.info(
        request,
        _("Uw gegevens zijn opgeslagen. Betaal nu het inschrijfgeld, dan bent u ingeschreven."),
    )
    if signed_up.payment is None:
        messages.error(request, signed_up.problem)
        return redirect("seeker:mine")
    return to_bank(signed_up.payment)


def _hours(age) -> int:
    return int(age.total_seconds() // 3600)


@login_required
def mine(request):
    """Mijn inschrijving: per region the number, state, dates, counted time and correct reactions."""
    seeker = request.user
    rows = []
    today = timezone.localdate()
    for registration in registrations.registrations_for(seeker):
        rows.append(
            {
                "registration": registration,
                "counted": registrations.duration_text(registrations.counted_time(registration, on=today)),
                "since": registrations.counted_since(registration),
                "fee_item": registrations.fee_item_for(registration),
                "missing": registrations.missing_documents(registration),
            }
        )
    return render(
        request,
        "allocation/seeker/mine.html",
        {
            "rows": rows,
            "documents": list(registrations.documents_for(seeker)),
            "document_form": DocumentForm(),
            "joint": list(registrations.co_registrations_for(seeker)),
            "invitations": list(registrations.invitations_for(seeker)),
        },
    )


@login_required
def edit(request):
    """Change personal data, household, income, address and search profile."""
    seeker = request.user
    current = list(registrations.current_registrations(seeker))
    if not current:
        return redirect("seeker:signup")
    form = SeekerForm(request.POST or None, initial=SeekerForm.initial_from(current[0], seeker))
    if request.method == "POST" and form.is_valid():
        try:
            seeker.birth_date = form.cleaned_data["birth_date"]
            if form.cleaned_data.get("phone"):
                seeker.phone_mobile = form.cleaned_data["phone"]
            seeker.save(update_fields=["birth_date", "phone_mobile"])
            registrations.registration_update(
                seeker=seeker, data=form.seeker_data(seeker.get_full_name() or seeker.email)
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Uw gegevens zijn opgeslagen."))
            return redirect("seeker:mine")
    return render(request, "allocation/seeker/edit.html", {"form": form})


@login_required
def documents(request):
    """Upload a document (checked by content); the form shows again with the reason when refused."""
    seeker = request.user
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registrations.document_add(
                seeker=seeker,
                kind=data["kind"],
                upload=data["file"],
                key=once.posted_key(request, "allocation.document"),
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("Uw document is toegevoegd."))
            return redirect("seeker:mine")
    return render(
        request,
        "allocation/seeker/documents.html",
        {"form": form, "documents": list(registrations.documents_for(seeker))},
    )


@login_required
def document_file(request, pk):
    document = registrations.document_for(request.user, pk)
    # The seeker's own file name may carry anything (a right-to-left override, a path): the download
    # is named by the portal, after the kind of document and the registration.
    name = f"{slugify(document.get_kind_display())}-{document.registration.number}"
    return file_response(document.file, download_name=name, cache_control="private, no-store")


@login_required
@require_POST
def document_delete(request, pk):
    registrations.document_delete(seeker=request.user, pk=pk)
    messages.success(request, _("Het document is verwijderd."))
    return redirect("seeker:mine")


@login_required
@require_POST
def pay(request, number):
    return _pay(request, request.user, number, once.posted_key(request, "allocation.fee_pay", number))


@login_required
@require_POST
def renew(request, number):
    key = once.posted_key(request, "allocation.renew", number)
    try:
        item = registrations.renewal_request(seeker=request.user, number=number, key=key)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("seeker:mine")
    if item is None:
        messages.success(request, _("Uw inschrijving is met een jaar verlengd."))
        return redirect("seeker:mine")
    return _pay(request, request.user, number, key.derive("pay"))


@login_required
def deregister(request, number):
    registration = registrations.registration_for(request.user, number)
    if request.method == "POST":
        try:
            registrations.deregister(seeker=request.user, number=number)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("U bent uitgeschreven."))
        return redirect("seeker:mine")
    return render(request, "allocation/seeker/deregister.html", {"registration": registration})


@login_required
@require_POST
def co_invite(request, number):
    """Invite a co-applicant (A4) by the e-mail address of their account.

    The answer is the same whoever the address belongs to; invitations are limited
    per inviter and per visitor all the same. The form sent again answers as its first
    send did (portal.once), without counting against the limit again.
    """
    form = CoApplicantForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(form.errors["email"][0])
        email = form.cleaned_data["email"]
        key = once.posted_key(request, "allocation.co_invite", number, email)
        # A resend that will make nothing new does not count; one that invites anew does.
        resend = registrations.co_invite_stands(once.earlier(key))
        if not resend and not ratelimit.consume(request, action="co_applicant_invite"):
            raise DomainError(MESSAGES["too_many"])
        registrations.co_applicant_invite(seeker=request.user, number=number, email=email, key=key)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Staat uw partner met dit e-mailadres in deze regio ingeschreven, dan krijgt die het "
                "verzoek. Uw partner accepteert het op zijn of haar eigen Mijn inschrijving."
            ),
        )
    return redirect("seeker:mine")


@login_required
@require_POST
def co_accept(request, number):
    """Accept the invitation of registration `number` (another seeker's): 404 when not invited."""
    try:
        registrations.co_applicant_accept(seeker=request.user, number=number)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("U staat nu samen ingeschreven. De langste inschrijfduur telt."))
    return redirect("seeker:mine")


@login_required
@require_POST
def co_decline(request, number):
    """Decline the invitation of registration `number` (another seeker's): 404 when not invited."""
    registrations.co_applicant_decline(seeker=request.user, number=number)
    messages.success(request, _("U heeft het verzoek geweigerd."))
    return redirect("seeker:mine")


@login_required
@require_POST
def co_withdraw(request, number):
    """Withdraw the open co-applicant invitation of one's own registration `number`."""
    try:
        registrations.co_applicant_withdraw(seeker=request.user, number=number)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Het verzoek aan uw medeaanvrager is ingetrokken."))
    return redirect("seeker:mine")


@login_required
@require_POST
def split(request, number):
    """Split a joint registration (A4): the co-applicant gets their own, after paying the split fee."""
    key = once.posted_key(request, "allocation.split", number)
    try:
        new = registrations.split(seeker=request.user, number=number, key=key)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("seeker:mine")
    if new.seeker_id == request.user.pk and new.state == RegistrationState.PENDING:
        return _pay(request, request.user, new.number, key.derive("pay"))
    messages.success(request, _("De inschrijving is gesplitst."))
    return redirect("seeker:mine")


@login_required
def react(request, number):
    """GET: what reacting means and whether it can; POST: react."""
    listing = get_object_or_404(
        Listing.objects.select_related("region", "unit").exclude(state=ListingState.DRAFT), number=number
    )
    if request.method == "POST":
        try:
            reacting.react(
                request.user, listing, key=once.posted_key(request, "allocation.react", listing.pk)
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("U heeft gereageerd op %(title)s.") % {"title": listing.title})
            return redirect("seeker:reactions")
    reason = reacting.check(request.user, listing)
    unregistered = reacting.registration_to_react(request.user, listing) is None
    return render(
        request,
        "allocation/seeker/react.html",
        {
            "listing": listing,
            "reason": reason,
            "unregistered_fee": unregistered and listing.region.unregistered_fee,
        },
    )


@login_required
def reactions(request):
    """Mijn reacties: per reaction its state and, once allocated, where the seeker ended (A14)."""
    seeker = request.user
    rows = list(registrations.reactions_for(seeker))
    winners = registrations.winners_for([r.listing_id for r in rows])
    fees = reacting.unregistered_fee_items(seeker)
    for row in rows:
        row.fee_item = fees.get(reacting.unregistered_reference(row.listing, seeker.pk))
    return render(
        request,
        "allocation/seeker/reactions.html",
        {
            "rows": [(r, winners.get(r.listing_id)) for r in rows],
            "current": list(registrations.current_registrations(seeker)),
        },
    )


@login_required
@require_POST
def reaction_pay(request, pk):
    """Pay the administration costs of a home got without registration (A5) with iDEAL."""
    try:
        payment = reacting.unregistered_fee_payment_start(
            seeker=request.user, pk=pk, key=once.posted_key(request, "allocation.reaction_pay", pk)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    except ProviderError:
        log.exception("unregistered reaction fee payment could not be started")
        messages.error(request, BANK_DOWN)
    else:
        return to_bank(payment)
    return redirect("seeker:reactions")


@login_required
@require_POST
def withdraw(request, pk):
    try:
        reacting.reaction_withdraw(seeker=request.user, pk=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Uw reactie is ingetrokken."))
    return redirect("seeker:reactions")
