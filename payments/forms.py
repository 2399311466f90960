"""Forms of the payments pages. Input checks only; the rules live in payments.arrangements."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from payments import arrangements

_EURO_CLEAN = re.compile(r"[€\s\u00a0]|eur(o)?", re.IGNORECASE)


def parse_euro(text: str) -> Decimal | None:
    """ "125,31", "€ 1.234,56", "1234.56" → Decimal; None when it is no amount in euros and cents.

    A comma is the decimal sign (Dutch); then dots group thousands. Without
    a comma, a dot followed by exactly three digits groups thousands
    ("1.234"), any other dot is a decimal point ("12.5").
    """
    value = _EURO_CLEAN.sub("", text or "").rstrip(",-").rstrip(".")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
        value = value.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", value):
        return None
    try:
        return Decimal(value).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def euro_input(amount: Decimal) -> str:
    """How an amount stands in the field: 125,31 (no euro sign, no grouping)."""
    return f"{amount:.2f}".replace(".", ",")


class ArrangementForm(forms.Form):
    """Seed 000, "Betalingsregeling afsluiten": the four questions; per month is computed."""

    had_arrangement_last_year = forms.TypedChoiceField(
        label=_("Heeft u het afgelopen jaar al een betalingsregeling gehad?"),
        choices=[("ja", _("Ja")), ("nee", _("Nee"))],
        coerce=lambda value: value == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ja of nee.")},
    )
    reason = forms.CharField(
        label=_("Waarom wilt u een betalingsregeling?"),
        help_text=_("Bijvoorbeeld: ik verdien minder, of ik had onverwachte kosten."),
        max_length=2000,
        error_messages={"required": _("Schrijf waarom u een betalingsregeling wilt.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    total_amount = forms.CharField(
        label=_("Voor welk totaalbedrag wilt u een regeling?"),
        max_length=20,
        error_messages={"required": _("Vul het totaalbedrag in.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}),
    )
    periods = forms.TypedChoiceField(
        label=_("In hoeveel maanden wilt u het afbetalen?"),
        choices=[],  # in __init__, in the tenant's language
        coerce=int,
        error_messages={
            "required": _("Kies in hoeveel maanden u wilt afbetalen."),
            "invalid_choice": format_lazy(
                arrangements.MESSAGES["periods_range"], max=arrangements.MAX_PERIODS
            ),
        },
    )

    def __init__(self, *args, balance: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.balance = balance
        from portal.templatetags.portal import euro

        self.fields["periods"].choices = [("", _("Kies het aantal maanden"))] + [
            (n, ngettext("%(count)d maand", "%(count)d maanden", n) % {"count": n})
            for n in range(1, arrangements.MAX_PERIODS + 1)
        ]
        self.fields["total_amount"].initial = euro_input(balance)
        self.fields["total_amount"].help_text = _(
            "In euro's, zoals 125,31. Hoogstens uw openstaande saldo: %(balance)s."
        ) % {"balance": euro(balance)}
        self.fields["periods"].help_text = _(
            "Elke maand betaalt u hetzelfde bedrag, minstens %(min)s. "
            "De laatste maand kan een paar cent anders zijn."
        ) % {"min": euro(arrangements.MIN_TERM)}

    def clean_total_amount(self):
        amount = parse_euro(self.cleaned_data["total_amount"])
        if amount is None:
            raise forms.ValidationError(_("Vul een bedrag in euro's en centen in, zoals 125,31."))
        problem = arrangements.check_amount(amount, self.balance)
        if problem:
            raise forms.ValidationError(arrangements.message(problem, balance=self.balance))
        return amount

    def clean(self):
        cleaned = super().clean()
        total, periods = cleaned.get("total_amount"), cleaned.get("periods")
        if total is not None and periods:
            problem = arrangements.check_periods(total, periods)
            if problem:
                self.add_error(
                    "periods",
                    arrangements.message(problem, max=arrangements.MAX_PERIODS, min=arrangements.MIN_TERM),
                )
            else:
                cleaned["per_month"] = arrangements.per_month(total, periods)
        return cleaned

    @property
    def per_month(self) -> Decimal | None:
        """The amount per month to show, once the total and months are valid."""
        if self.is_bound:
            return self.cleaned_data.get("per_month") if hasattr(self, "cleaned_data") else None
        return None
