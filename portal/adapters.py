from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _

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
