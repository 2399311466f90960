"""One form, one thing: however often and however fast a form is sent, it makes what it makes once.

A double click, an impatient second tap, a reload that sends the POST again,
the browser's back button and "send" once more, or five requests at the same
moment from one session: each is the same form sent again. The second send
must not book a second repair, open a second case or start a second payment;
it answers with the confirmation of the first (the same repair number, the
same case, the same bank page), never with an error page and never with a 500.

How it works
------------
Every send has a key. `send(key, create)` claims the key by inserting a
`portal.models.Sent` row with a unique hash of it, and runs `create()` in the
same transaction; the row then points at what `create()` returned. So:

- the first send inserts the row, creates, commits both together;
- a send of the same key while the first is still busy blocks on the unique
  index (PostgreSQL makes a concurrent insert of the same key wait for the
  first transaction), gets an IntegrityError once the first has committed,
  and returns the first one's result: inside a savepoint, so the request goes
  on normally;
- a later send finds the row at once and returns the same result;
- when `create()` refuses (a DomainError: the block is full, the bank is down)
  its transaction rolls back together with the claim, so the same form can
  be corrected and sent again.

Two kinds of key:

- `natural_key(scope, value)`: the thing has an identity of its own that the
  server keeps, such as the token of a repair report's draft (in the session).
  Whoever sends that draft, it gives one repair.
- `posted_key(request, scope, *about)`: a one-time key the page put in the
  form. `{% send_key %}` (from `{% load portal %}`) inside the `<form>`
  renders a hidden field with a fresh random key each time the page is shown,
  so a double click or a resend of the same page carries the same key, and a
  freshly loaded page is a new form. The key is bound to the browser session
  that sent it (a per-session secret goes into the hash), so a key copied from
  someone else's page never reaches their result, and one client's keys can
  never block another's sends.

A form sent without the hidden field (a page from before the field
existed, a script) is still processed: its key is then what the form says
(its fields and files, per browser session), so the very same form sent
again still gives the one thing, and a form that says something else is
another send, as a freshly loaded page would be. Leaving the key out thus
gives a client nothing a fresh page would not; and the rules of the thing
itself hold whatever the key (one open data change request, one reaction per
listing, one registration per region, a block's capacity). A key longer than
`MAX_KEY` characters is cut; a foreign key (another session's, or made up)
is only ever compared within the sending session, so at worst it is a new
form.

How to use it for a new send (a termination, a complaint, …)
-------------------------------------------------------------
1. In the form's template: `{% load portal %}` and `{% send_key %}` inside
   the `<form method="post">`.
2. In the view: `key = once.posted_key(request, "contracts.termination", contract.pk)`
   (the scope names the form; add what the form is about when one page has
   several such forms) and pass it to the service.
3. In the service: run the whole write, checks included, through
   `once.send(key, lambda: _termination_create(...))`; return what it returns.
   The checks must sit inside `create`: a resend must get the first result,
   not a refusal because the first one now exists ("you already asked").
   Pass `reuse=` when an earlier result may have gone stale (a payment the
   tenant cancelled at the bank: the same form then starts a new one).
4. The view shows the confirmation of what the service returned, whether it
   was made now or by an earlier send of the same form. Where the view checks
   something before the service that a resend would fail (the account the
   first send made now exists, an open request now blocks a new one), it asks
   `once.earlier(key)` first and shows that confirmation instead.
5. A send that makes a second thing after the first (the fee payment after a
   sign-up) gives that one `key.derive("pay")`; the service that composes
   both (`allocation.signup.seeker_signup`) passes the keys on.
6. Test it: the form sent twice gives one thing and the same answer; and on
   PostgreSQL, the form sent five times at once (tests/test_send_once_concurrency.py).

Where the thing has a natural rule of its own, keep its database constraint
too (one reaction per listing, one registration per region, a block's
capacity): it holds for every caller, key or no key, and `send` only makes a
resend answer with the first result instead of a refusal.

How long a claim is kept
------------------------
A posted key lives in a page of one browser session and is bound to that
session's secret; a natural key (a draft's token) lives in the session too.
Once the session has expired (`SESSION_COOKIE_AGE`, two weeks) nobody can send
that form again with that key, so `forget` (daily, Celery beat) removes the
claims older than that.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.models import Sent

#: The name of the hidden form field that carries the one-time key.
FIELD = "send_key"
#: Longer keys are cut: a key is random text of 22 characters.
MAX_KEY = 100
#: Where the session keeps its secret, which binds posted keys to the browser that sent them.
SESSION_KEY = "send_secret"


@dataclass(frozen=True)
class SendKey:
    """What a send claims: a hash, never the key itself."""

    scope: str
    digest: str

    def derive(self, *parts) -> "SendKey":
        """A key for a second thing the same send makes (the payment after a sign-up, say)."""
        return SendKey(self.scope, _hash(self.digest, *parts))


def _hash(*parts) -> str:
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


def natural_key(scope: str, value: str) -> SendKey | None:
    """The key of a thing with an identity the server keeps (a draft's token); None without one."""
    return SendKey(scope, _hash("natural", scope, value)) if value else None


def session_secret(request) -> str:
    """The browser session's own secret, kept in the session (it survives logging in).

    It is a hash of the session's first key, so every request of one browser
    finds the same value: requests that arrive together, and also one that
    still carries the session cookie a login has just replaced (two sends of a
    sign-up that crossed), whose old session is gone by then.
    """
    value = request.session.get(SESSION_KEY)
    if not value:
        cookie = request.session.session_key or request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not cookie:
            request.session.save()  # a new visitor: the session and its key, now
            cookie = request.session.session_key
        value = _hash("secret", cookie)
        request.session[SESSION_KEY] = value
    return value


def session_secret_at_login(sender, request, user, **kwargs) -> None:
    """Give the session its secret when someone logs in (`user_logged_in`), so that the
    pages after it do not write the session just for that (their queries stay the same)."""
    if request is not None and hasattr(request, "session"):
        session_secret(request)


def new_key() -> str:
    return secrets.token_urlsafe(16)


def posted_key(request, scope: str, *about) -> SendKey:
    """The key of the form this POST sends: its hidden field, or what it says without one."""
    value = request.POST.get(FIELD, "")[:MAX_KEY] or _content(request)
    return SendKey(scope, _hash("posted", session_secret(request), scope, *about, value))


def _content(request) -> str:
    """A form sent without its key: its fields and files stand in for the key."""
    fields = sorted(
        (name, request.POST.getlist(name))
        for name in request.POST
        if name not in (FIELD, "csrfmiddlewaretoken")
    )
    files = sorted((name, f.name, f.size) for name in request.FILES for f in request.FILES.getlist(name))
    return "content:" + _hash(repr(fields), repr(files))


def send[Thing](
    key: SendKey | None, create: Callable[[], Thing], *, reuse: Callable[[Thing], bool] | None = None
) -> Thing:
    """Run `create()` once per key and return its result; a repeat returns the first result.

    `create` returns a saved model instance (what the form made). `reuse`
    says whether an earlier result still answers this send; when it does not
    (or the earlier result was deleted), `create()` runs again and the key
    points at the new result. Without a key `create()` just runs.
    """
    if key is None:
        return create()
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = Sent.objects.create(digest=key.digest, scope=key.scope[:80])
        except IntegrityError:
            # Sent before (or just now, by a request that has committed while this
            # one waited on the unique index): answer with what that send made.
            claim = Sent.objects.select_for_update().get(digest=key.digest)
            earlier = _result(claim)
            if earlier is not None and (reuse is None or reuse(earlier)):
                return earlier
        made = create()
        claim.content_type = ContentType.objects.get_for_model(made)
        claim.object_id = made.pk
        claim.save(update_fields=["content_type", "object_id"])
    return made


def earlier(key: SendKey | None):
    """What an earlier send of this form made, or None; a read, no claim.

    For a view whose own checks come before the service and would refuse a
    resend (an account that now exists, a request that is now open): it
    shows the first send's confirmation instead.
    """
    claim = Sent.objects.filter(digest=key.digest).first() if key is not None else None
    return _result(claim) if claim is not None else None


def _result(claim: Sent):
    if claim.content_type_id is None:
        return None
    model = claim.content_type.model_class()
    return model._default_manager.filter(pk=claim.object_id).first() if model else None


def forget(*, now: datetime | None = None) -> int:
    """Remove the claims of sends older than a session lives; returns how many.

    Run it as often as you like: a second run finds nothing older to remove.
    """
    now = now or timezone.now()
    deleted, _by_model = Sent.objects.filter(
        created_at__lt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ).delete()
    return deleted
