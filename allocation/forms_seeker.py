"""Forms of the seeker pages: signing up, Mijn inschrijving, documents.

One form per page, so the project's error summary lists every mistake and a
failed submit keeps everything. The household is a small fixed number of rows
(no JavaScript needed): the seeker and up to five others.
"""

import copy
from decimal import Decimal

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allocation.models import DocumentKind, Region
from allocation.registrations import MAX_HOUSEHOLD, Address, Member, SeekerData
from portal.forms import EmailAddressField

OTHERS = MAX_HOUSEHOLD - 1
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SignupEmailForm(forms.Form):
    """The first step for someone without an account: where to send the link."""

    email = EmailAddressField()


class CoApplicantForm(forms.Form):
    """The address of the partner a seeker invites as co-applicant."""

    email = EmailAddressField(
        label=_("E-mailadres van uw partner (medeaanvrager)"),
        # Not "your address": it is the partner's.
        error_messages={"required": _("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")},
    )


class AccountForm(forms.Form):
    """Only for someone not logged in: the account they log in with later. The
    address comes from the link they clicked, so it is not asked again."""

    password = forms.CharField(
        label=_("Kies een wachtwoord"),
        help_text=_("Minstens 10 tekens."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )
    first_name = forms.CharField(
        label=_("Voornaam"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    surname_prefix = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    surname = forms.CharField(
        label=_("Achternaam"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class SeekerForm(forms.Form):
    """Personal data, household, income, address and search profile."""

    birth_date = forms.DateField(label=_("Uw geboortedatum"), widget=DATE)
    phone = forms.CharField(label=_("Telefoonnummer"), max_length=30, required=False)
    household_income = forms.DecimalField(
        label=_("Inkomen van uw huishouden per jaar (bruto, in euro)"),
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Tel het inkomen van inwonende kinderen jonger dan 27 jaar niet mee."),
    )
    expecting = forms.BooleanField(label=_("Er komt een baby bij (zwanger)"), required=False)
    address = forms.CharField(label=_("Uw adres (straat en huisnummer)"), max_length=200)
    city = forms.CharField(label=_("Woonplaats"), max_length=80)
    address_since = forms.DateField(label=_("Op dit adres sinds"), widget=DATE)
    living_since = forms.DateField(
        label=_("In uw huidige woning sinds"),
        required=False,
        widget=DATE,
        help_text=_("Zoals in het bevolkingsregister staat."),
    )
    lived_in_region_since = forms.DateField(
        label=_("In de regio sinds"),
        required=False,
        widget=DATE,
        help_text=_("Leeg laten als u niet in de regio woont."),
    )
    economically_tied = forms.BooleanField(
        label=_("Ik werk in de regio (economisch gebonden)"), required=False
    )
    leaves_home_in_region = forms.BooleanField(
        label=_("Ik laat een zelfstandige woning in de regio leeg achter (doorstromer)"), required=False
    )
    places = forms.CharField(
        label=_("Plaatsen waar u wilt wonen"),
        required=False,
        max_length=300,
        help_text=_("Scheid plaatsen met een komma. Leeg: alle plaatsen."),
    )
    max_rent = forms.DecimalField(
        label=_("Hoogste huur per maand (in euro)"), required=False, min_value=Decimal("0"), decimal_places=2
    )
    min_rooms = forms.IntegerField(label=_("Minste aantal kamers"), required=False, min_value=1, max_value=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, OTHERS + 1):
            self.fields[f"member_{i}_name"] = forms.CharField(
                label=_("Naam huisgenoot %(n)s") % {"n": i}, max_length=120, required=False
            )
            self.fields[f"member_{i}_birth_date"] = forms.DateField(
                label=_("Geboortedatum huisgenoot %(n)s") % {"n": i}, required=False, widget=DATE
            )
            self.fields[f"member_{i}_relation"] = forms.CharField(
                label=_("Relatie huisgenoot %(n)s") % {"n": i},
                max_length=40,
                required=False,
                help_text=_("Bijvoorbeeld partner of kind."),
            )

    def member_rows(self):
        return [
            (i, self[f"member_{i}_name"], self[f"member_{i}_birth_date"], self[f"member_{i}_relation"])
            for i in range(1, OTHERS + 1)
        ]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in ("birth_date", "address_since", "living_since", "lived_in_region_since"):
            if data.get(name) and data[name] > today:
                self.add_error(name, _("Deze datum ligt in de toekomst."))
        for i in range(1, OTHERS + 1):
            name, born = data.get(f"member_{i}_name"), data.get(f"member_{i}_birth_date")
            if name and not born and f"member_{i}_birth_date" not in self.errors:
                self.add_error(f"member_{i}_birth_date", _("Vul de geboortedatum van deze huisgenoot in."))
            if born and not name:
                self.add_error(f"member_{i}_name", _("Vul de naam van deze huisgenoot in."))
            if born and born > today:
                self.add_error(f"member_{i}_birth_date", _("Deze datum ligt in de toekomst."))
        return data

    def seeker_data(self, seeker_name: str) -> SeekerData:
        data = self.cleaned_data
        members = [Member(seeker_name, data["birth_date"], "aanvrager")]
        for i in range(1, OTHERS + 1):
            if data.get(f"member_{i}_name"):
                members.append(
                    Member(
                        data[f"member_{i}_name"],
                        data[f"member_{i}_birth_date"],
                        data.get(f"member_{i}_relation", ""),
                    )
                )
        places = [p.strip() for p in (data.get("places") or "").split(",") if p.strip()]
        profile = {
            "places": places,
            "max_rent": str(data["max_rent"]) if data.get("max_rent") is not None else None,
            "min_rooms": data.get("min_rooms"),
        }
        return SeekerData(
            household_income=data["household_income"],
            expecting=data["expecting"],
            lived_in_region_since=data.get("lived_in_region_since"),
            economically_tied=data["economically_tied"],
            living_since=data.get("living_since"),
            leaves_home_in_region=data["leaves_home_in_region"],
            members=tuple(members),
            address=Address(data["address"], data["city"], data["address_since"]),
            search_profile=profile,
        )

    @classmethod
    def initial_from(cls, registration, seeker) -> dict:
        address = registration.addresses.filter(to_date__isnull=True).first()
        profile = registration.search_profile or {}
        initial = {
            "birth_date": seeker.birth_date,
            "phone": seeker.phone_mobile or seeker.phone_private,
            "household_income": registration.household_income,
            "expecting": registration.expecting,
            "lived_in_region_since": registration.lived_in_region_since,
            "economically_tied": registration.economically_tied,
            "living_since": registration.living_since,
            "leaves_home_in_region": registration.leaves_home_in_region,
            "places": ", ".join(profile.get("places") or []),
            "max_rent": profile.get("max_rent"),
            "min_rooms": profile.get("min_rooms"),
        }
        if address:
            initial |= {"address": address.address, "city": address.city, "address_since": address.from_date}
        others = [m for m in registration.household.all() if m.relation != "aanvrager"]
        for i, member in enumerate(others[:OTHERS], start=1):
            initial |= {
                f"member_{i}_name": member.name,
                f"member_{i}_birth_date": member.birth_date,
                f"member_{i}_relation": member.relation,
            }
        return initial


class RegionsForm(forms.Form):
    regions = forms.ModelMultipleChoiceField(
        label=_("In welke regio wilt u een woning zoeken?"),
        queryset=Region.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies ten minste één regio.")},
    )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Wat voor document is het?"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("Een PDF of een foto (JPG of PNG), hoogstens 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class SignupForm(SeekerForm):
    """The whole sign-up page in one form (one error summary): regions, the account
    (only when not logged in), and the seeker's data."""

    def __init__(self, *args, with_account: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_account = with_account
        fields = dict(RegionsForm.base_fields)
        if with_account:
            fields |= AccountForm.base_fields
        # Regions and account first, in the order the page shows them.
        self.fields = {**{k: copy.deepcopy(v) for k, v in fields.items()}, **self.fields}

    clean_password = AccountForm.clean_password

    def account_fields(self):
        return [self[name] for name in AccountForm.base_fields] if self.with_account else []

    def name(self) -> str:
        parts = [self.cleaned_data.get(k, "") for k in ("first_name", "surname_prefix", "surname")]
        return " ".join(p for p in parts if p)
