from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext_lazy as _

from portal import devices, outbox
from portal.client_ip import client_ip
from portal.models import User
from portal.validators import validate_mail_domain


class AccountAdapter(DefaultAccountAdapter):
    """Tenants do not sign up: staff invite them and they set a password.

    The messages a tenant sees at login are our own, in the formal, plain
    Dutch of the rest of the portal.
    """

    error_messages = DefaultAccountAdapter.error_messages | {
        "account_inactive": _("Dit account is niet actief. Bel ons klantencentrum."),
        "email_password_mismatch": _(
            "Het e-mailadres of het wachtwoord klopt niet. Probeer het opnieuw, "
            "of vraag een nieuw wachtwoord aan."
        ),
        "enter_current_password": _("Uw huidige wachtwoord klopt niet. Probeer het opnieuw."),
        "incorrect_password": _("Dit wachtwoord klopt niet."),
        "invalid_password_reset": _("Deze link werkt niet meer. Vraag een nieuwe link aan."),
        "too_many_login_attempts": _(
            "U heeft te vaak een verkeerd wachtwoord ingevuld. Probeer het later opnieuw, "
            "of kies een nieuw wachtwoord met de link ‘Wachtwoord vergeten?’."
        ),
        "unknown_email": _("Wij kennen dit e-mailadres niet. Bel ons klantencentrum."),
    }

    def is_open_for_signup(self, request):
        return False

    def clean_email(self, email):
        """allauth's forms (password reset, a new address) send mail to what is typed here."""
        validate_mail_domain(email)
        return super().clean_email(email)

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The "key" of ACCOUNT_RATE_LIMITS["login_failed"]: the client address and the
        login together, not the login alone.

        Keyed on the login alone, the failures of everyone who tries an account are
        counted together, so five wrong passwords from anywhere keep the owner out
        (a lock-out anyone can cause). Keyed on address and login, a guesser is stopped
        for that account from their own address only; the "ip" rate still stops one
        address trying many accounts, and the account's own ceiling (`pre_authenticate`)
        stops many addresses trying one account. allauth uses this one key both to count
        failures and to clear them after a successful password reset, so a reset from the
        blocked address frees it.
        """
        return f"{client_ip(request)}|{self._account_key(request, **credentials)}"

    def _account_key(self, request, **credentials):
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _login(self, credentials) -> str:
        return credentials.get("email", credentials.get("username", ""))

    def pre_authenticate(self, request, **credentials):
        """Count this attempt, and refuse it when a limit is reached (see portal.devices).

        Like allauth's own counts, each is taken now and given back when the password
        was right (`_rollback_login_failed_rl_usage`), so only failures count:
        - per address, and per address and account (allauth's "login_failed");
        - a browser that logged in to this account before: per browser
          ("login_failed_device"); the owner's browser never meets the account's ceiling;
        - any other browser: per account ("login_failed_account"), and refused,
          the right password or not, once the account has had too many.
        """
        super().pre_authenticate(request, **credentials)
        self._portal_rl_usage = []
        device = devices.known_device(request, self._login(credentials))
        if device is not None:
            usage = ratelimit.consume(
                request, app="allauth.account", action="login_failed_device", key=device
            )
            if usage:
                self._portal_rl_usage.append(usage)
                return
            # This browser guessed too often itself (its cookie may be stolen): any other browser.
        usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed_account",
            key=self._account_key(request, **credentials),
        )
        if not usage:
            raise self.validation_error("too_many_login_attempts")
        self._portal_rl_usage.append(usage)

    def _rollback_login_failed_rl_usage(self):
        super()._rollback_login_failed_rl_usage()
        for usage in getattr(self, "_portal_rl_usage", []):
            usage.rollback()

    def clear_login_failures(self, request, email: str) -> None:
        """After a password reset (portal.apps connects it): the account's failures are
        forgotten, so the owner can log in from any browser again, and those of the
        address the reset came from."""
        self._delete_login_attempts_cached_email(request, email=email)
        ratelimit.clear(
            request,
            app="allauth.account",
            action="login_failed_account",
            key=self._account_key(request, email=email),
        )

    def post_login(self, request, user, **kwargs):
        """A login with the password (or a reset link): this browser is the owner's from now on."""
        response = super().post_login(request, user, **kwargs)
        devices.remember(request, response, user.email)
        return response

    def send_mail(self, template_prefix, email, context):
        """Render allauth's mail (a reset link, "your password was changed") now and send it
        from the outbox, like every other mail: a mail server or Redis that does not answer
        delays it, and the page answers as usual."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context},
        )
        owner = User.objects.filter(email__iexact=email).values_list("corporation_id", flat=True).first()
        outbox.email_later(message, corporation_id=owner)


def login_failures_clear(sender, request, user, **kwargs) -> None:
    """allauth's `password_reset` signal: whoever chose a new password through the
    mailed link holds the account, so its failures are forgotten."""
    get_adapter(request).clear_login_failures(request, user.email)
