"""Forms of the repair report. Input checks only; the rules live in services and rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import EmailAddressField
from portal.validators import normalize_phone, normalize_postcode
from repairs import rules


class AddressForm(forms.Form):
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        error_messages={"required": _("Vul de postcode in.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "placeholder": "1234 AB"}),
    )
    house_number = forms.IntegerField(
        label=_("Huisnummer"),
        min_value=1,
        max_value=99999,
        error_messages={
            "required": _("Vul het huisnummer in."),
            "invalid": _("Vul het huisnummer in met alleen cijfers, zoals 12."),
            "min_value": _("Vul het huisnummer in met alleen cijfers, zoals 12."),
            "max_value": _("Vul het huisnummer in met alleen cijfers, zoals 12."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    addition = forms.CharField(
        label=_("Toevoeging"),
        max_length=10,
        required=False,
        help_text=_("Bijvoorbeeld A of 2. Laat leeg als u geen toevoeging heeft."),
    )

    def clean_postcode(self):
        return normalize_postcode(self.cleaned_data["postcode"])


class UnitChoiceForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=_("Voor welk adres is de reparatie?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies het adres."),
            "invalid_choice": _("Kies een van uw eigen adressen."),
        },
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [
            (u.pk, f"{u.get_kind_display()}: {u.address_line}, {u.city}") for u in units
        ]


class QuestionsForm(forms.Form):
    location = forms.ChoiceField(
        label=_("Waar is het probleem?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies waar het probleem is.")},
    )
    problem = forms.TypedChoiceField(
        label=_("Wat is er aan de hand?"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wat er aan de hand is.")},
    )

    def __init__(self, *args, locations=(), problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        rooms = [(c, rules.LOCATIONS[c]) for c in locations if not rules.is_common_area(c)]
        areas = [(c, rules.LOCATIONS[c]) for c in locations if rules.is_common_area(c)]
        choices = []
        if rooms:
            choices.append((_("In uw woning"), rooms))
        if areas:
            choices.append((_("Gemeenschappelijke ruimte"), areas))
        self.fields["location"].choices = choices
        self.fields["problem"].choices = [(p.pk, p.label) for p in problems]


class PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DetailsForm(forms.Form):
    """The follow-up answer, the description, photos and how we reach the reporter."""

    follow_up_answer = forms.CharField(max_length=200, required=False)
    description = forms.CharField(
        label=_("Vertel wat er aan de hand is"),
        max_length=2000,
        required=False,
        help_text=_("Bijvoorbeeld: sinds wanneer, hoe vaak, en wat u al heeft geprobeerd."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = forms.FileField(
        label=_("Foto's (niet verplicht)"),
        required=False,
        help_text=_("Alleen foto's in JPG-formaat, hoogstens %(count)s. Een PDF of ander bestand kan niet.")
        % {"count": rules.MAX_PHOTOS},
        widget=PhotoInput(attrs={"accept": "image/jpeg"}),
    )
    remove_photos = forms.MultipleChoiceField(
        label=_("Foto's die u al heeft toegevoegd"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vink een foto aan om hem te verwijderen."),
    )
    contact_name = forms.CharField(
        label=_("Uw naam"),
        max_length=120,
        error_messages={"required": _("Vul uw naam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_phone = forms.CharField(
        label=_("Uw telefoonnummer"),
        max_length=30,
        help_text=_("Wij bellen u als de vakman eerder of later komt."),
        error_messages={"required": _("Vul uw telefoonnummer in.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_email = EmailAddressField(
        label=_("Uw e-mailadres"), help_text=_("U krijgt de bevestiging en de afspraak per e-mail.")
    )

    field_order = ["follow_up_answer", "description", "photos", "remove_photos"]

    def __init__(self, *args, problem=None, photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.problem = problem
        field = self.fields["follow_up_answer"]
        if problem is None or not problem.follow_up:
            del self.fields["follow_up_answer"]
        else:
            field.label = problem.follow_up
            field.required = problem.follow_up_required
            field.error_messages["required"] = _("Beantwoord de vraag: %(question)s") % {
                "question": problem.follow_up
            }
            if problem.choices:
                self.fields["follow_up_answer"] = forms.ChoiceField(
                    label=problem.follow_up,
                    required=problem.follow_up_required,
                    choices=[(c, c) for c in problem.choices],
                    widget=forms.RadioSelect,
                    error_messages={"required": field.error_messages["required"]},
                )
        if photos:
            self.fields["remove_photos"].choices = [
                (p.token, _("Verwijder %(name)s") % {"name": p.original_name}) for p in photos
            ]
        else:
            del self.fields["remove_photos"]
        self.order_fields(["follow_up_answer", "description", "photos", "remove_photos"])

    def clean_contact_phone(self):
        return normalize_phone(self.cleaned_data["contact_phone"])


class BlockForm(forms.Form):
    block = forms.CharField(
        label=_("Kies een tijdvak"),
        error_messages={"required": _("Kies een dag en een tijdvak.")},
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Notitie"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
