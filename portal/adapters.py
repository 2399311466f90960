from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import gettext_lazy as _

from portal import outbox
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
            "U heeft te vaak een verkeerd wachtwoord ingevuld. Probeer het later opnieuw."
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
        address trying many accounts. allauth uses this one key both to count failures
        and to clear them after a successful password reset, so a reset from the
        blocked address frees it. `get_ip` is allauth's own: it honours
        ALLAUTH_TRUSTED_PROXY_COUNT and counts an IPv6 /64 as one address.
        """
        return f"{get_ip(request)}|{super()._get_login_attempts_cache_key(request, **credentials)}"

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
