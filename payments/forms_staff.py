"""Forms of the call queue's staff pages. Input checks only: the rules live in payments.arrears."""

from django import forms
from django.utils.translation import gettext_lazy as _

from payments.models import CallOutcome, EscalationKind, FollowUp
from portal.models import Language


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DATE_ERRORS = {"invalid": _("Vul een datum in, zoals 3-12-2026.")}


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hoe ging het gesprek?"),
        choices=CallOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of u de huurder heeft gesproken.")},
    )
    reason = forms.CharField(
        label=_("Waarom is de huur niet betaald?"),
        required=False,
        max_length=2000,
        help_text=_("Alleen als u de huurder heeft gesproken."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up = forms.ChoiceField(
        label=_("Wat gebeurt er nu?"),
        choices=FollowUp.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Alleen als u de huurder heeft gesproken."),
    )
    promised_on = forms.DateField(
        label=_("Betaalt op"),
        required=False,
        help_text=_("Alleen als de huurder belooft op een datum te betalen."),
        widget=DateInput(),
        error_messages=DATE_ERRORS,
    )
    note = forms.CharField(
        label=_("Notitie (niet verplicht)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EscalationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Stap"),
        choices=[("", _("Kies een stap")), *EscalationKind.choices],
        error_messages={"required": _("Kies een stap.")},
    )
    on = forms.DateField(
        label=_("Datum"),
        widget=DateInput(),
        error_messages={"required": _("Vul de datum van de stap in."), **DATE_ERRORS},
    )
    note = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    children = forms.IntegerField(
        label=_("Aantal kinderen in het huishouden"),
        required=False,
        min_value=0,
        max_value=20,
        help_text=_("Verplicht bij een ontruiming. Vul 0 in als er geen kinderen zijn."),
        error_messages={
            "invalid": _("Vul een aantal in, zoals 0 of 2."),
            "min_value": _("Vul een aantal in, zoals 0 of 2."),
            "max_value": _("Vul een aantal in, zoals 0 of 2."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    household_notes = forms.CharField(
        label=_("Samenstelling van het huishouden"),
        required=False,
        max_length=2000,
        help_text=_("Bijvoorbeeld: moeder met twee kinderen van 4 en 9 jaar."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    shelter_contact = forms.CharField(
        label=_("Contact bij het centraal meldpunt opvang"),
        required=False,
        max_length=200,
        help_text=_("Verplicht bij een ontruiming: met wie is het afgestemd?"),
    )
    conditions = forms.CharField(
        label=_("Voorwaarden tweede kans"),
        required=False,
        max_length=4000,
        help_text=_(
            "Verplicht bij een tweede kans, bijvoorbeeld schuldsanering, woonbegeleiding, een budgettrainer."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, arrears=None, **kwargs):
        super().__init__(*args, **kwargs)
        if arrears is not None and not self.is_bound:
            self.initial.update(
                {
                    "children": arrears.children_in_household,
                    "household_notes": arrears.household_notes,
                    "shelter_contact": arrears.shelter_contact,
                    "conditions": arrears.second_chance_conditions,
                }
            )


class LanguagesForm(forms.Form):
    spoken_languages = forms.MultipleChoiceField(
        label=_("Ik bel in"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kiest u niets, dan belt u in het Nederlands."),
    )
