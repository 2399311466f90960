"""Forms of the Mijn portal. Input checks only; the rules live in services."""

from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from portal.models import CivilStatus
from portal.validators import EMAIL_MAX_LENGTH, normalize_phone, validate_email_length, validate_mail_domain


class FormRenderer(TemplatesSetting):
    """Every form gets an error summary on top and marks required fields."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"


class EmailAddressField(forms.EmailField):
    """Every e-mail address the portal asks for (Mijn gegevens, sign-up, a co-applicant,
    a repair's contact, the login and password reset, the admin): one it can store and
    send mail to, with plain Dutch messages, in lower case as the portal keeps them.

    At most 254 characters, which every column holds (Django's field alone takes 320),
    and a domain the mail can write (`validate_mail_domain`).
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("E-mailadres"))
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        kwargs["error_messages"] = {
            "required": _("Vul uw e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."),
            **kwargs.get("error_messages", {}),
        }
        kwargs["max_length"] = EMAIL_MAX_LENGTH  # also the input's maxlength
        super().__init__(**kwargs)
        self.validators.append(validate_mail_domain)

    def run_validators(self, value):
        # Too long says it all: the format checks would only add a vaguer message.
        if value not in self.empty_values:
            validate_email_length(value)
        super().run_validators(value)

    def clean(self, value):
        return super().clean(value).lower()


def _phone(value: str) -> str:
    return normalize_phone(value) if value else ""


class ContactDetailsForm(forms.Form):
    phone_private = forms.CharField(
        label=_("Telefoon privé"),
        max_length=30,
        error_messages={"required": _("Vul uw telefoonnummer in.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    phone_work = forms.CharField(
        label=_("Telefoon werk"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    phone_mobile = forms.CharField(
        label=_("Telefoon mobiel"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = EmailAddressField(
        help_text=_(
            "Met dit e-mailadres logt u ook in. Een nieuw e-mailadres geldt pas als u op de link "
            "klikt die wij naar dat adres sturen."
        ),
    )
    current_password = forms.CharField(
        label=_("Uw huidige wachtwoord"),
        required=False,
        strip=False,
        help_text=_("Alleen nodig als u uw e-mailadres wijzigt."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_phone_private(self):
        return _phone(self.cleaned_data["phone_private"])

    def clean(self):
        """A new login address needs the current password (OWASP ASVS 3.7.1): someone
        who took over a session must not move the login to a mailbox of their own.

        The password is checked as a login checks it (allauth's `reauthenticate`), so
        wrong passwords here count against the same limits as at the login page."""
        cleaned = super().clean()
        email = cleaned.get("email")
        if not email or email == self.user.email.lower():
            return cleaned
        password = cleaned.get("current_password")
        if not password:
            self.add_error(
                "current_password",
                _("Vul uw huidige wachtwoord in. Dat is nodig om uw e-mailadres te wijzigen."),
            )
            return cleaned
        try:
            right = get_adapter().reauthenticate(self.user, password)
        except forms.ValidationError as exc:  # too many wrong passwords
            self.add_error("current_password", exc)
            return cleaned
        if not right:
            self.add_error(
                "current_password",
                _("Dit wachtwoord klopt niet. Vul het wachtwoord in waarmee u inlogt."),
            )
        return cleaned

    def clean_phone_work(self):
        return _phone(self.cleaned_data["phone_work"])

    def clean_phone_mobile(self):
        return _phone(self.cleaned_data["phone_mobile"])


class DataChangeForm(forms.Form):
    """Other personal data: staff check and change it (seed 000)."""

    initials = forms.CharField(
        label=_("Nieuwe voorletters"), max_length=20, required=False, help_text=_("Bijvoorbeeld J.P.")
    )
    first_name = forms.CharField(label=_("Nieuwe roepnaam"), max_length=60, required=False)
    surname_prefix = forms.CharField(
        label=_("Nieuw tussenvoegsel"), max_length=20, required=False, help_text=_("Bijvoorbeeld van der.")
    )
    surname = forms.CharField(label=_("Nieuwe achternaam"), max_length=80, required=False)
    civil_status = forms.ChoiceField(
        label=_("Nieuwe burgerlijke staat"),
        choices=[("", _("Niet wijzigen"))] + list(CivilStatus.choices),
        required=False,
    )
    explanation = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        help_text=_("Bijvoorbeeld: ik ben getrouwd op 12 mei. U kunt een kopie van een akte later sturen."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CaseMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Uw bericht"),
        max_length=4000,
        error_messages={"required": _("Schrijf een bericht.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Hoe tevreden bent u over de afhandeling?"),
        choices=[
            (5, _("Heel tevreden")),
            (4, _("Tevreden")),
            (3, _("Neutraal")),
            (2, _("Ontevreden")),
            (1, _("Heel ontevreden")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe tevreden u bent.")},
    )
    comment = forms.CharField(
        label=_("Wilt u nog iets zeggen?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActivationForm(SetPasswordForm):
    """The invited tenant chooses a password."""


class LoginForm(AllauthLoginForm):
    """allauth's login form, without the reset link inside the password's help
    text (the page has its own, after the button, so Tab goes from e-mail to
    password) and without placeholders that repeat the labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        self.fields["login"] = EmailAddressField(label=login.label, widget=login.widget)
        self.fields["password"].help_text = ""
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = _("Ingelogd blijven op dit apparaat")


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's form, with the portal's e-mail field."""

    email = EmailAddressField()
