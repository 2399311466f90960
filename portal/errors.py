"""Domain errors carry a message a tenant or staff member can read."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A request the rules do not allow; `message` is shown to the user as is.

    `code` names the refusal, so a caller can react to its kind without
    reading the (translated) text.
    """

    def __init__(self, message, code: str = ""):
        super().__init__(str(message))
        self.message = message
        self.code = code


MESSAGES = {
    "transition_not_allowed": _("Deze stap is nu niet mogelijk: de aanvraag heeft de status “{state}”."),
    "note_required": _("Schrijf een toelichting voor de huurder."),
    "open_data_change": _(
        "U heeft al een aanvraag voor het wijzigen van uw gegevens. "
        "Wacht tot die klaar is, of stuur een bericht bij die aanvraag."
    ),
    "no_changes": _("U heeft niets gewijzigd. Vul in wat er anders moet."),
    "email_link_invalid": _(
        "Deze link werkt niet meer: hij is verlopen, al gebruikt of vervangen door een nieuwere. "
        "Vul uw nieuwe e-mailadres opnieuw in bij Mijn gegevens."
    ),
    "email_taken_now": _(
        "Dit e-mailadres hoort inmiddels bij een ander account. Uw e-mailadres is niet gewijzigd. "
        "Kies bij Mijn gegevens een ander e-mailadres."
    ),
    "too_many": _("U heeft dit te vaak geprobeerd. Probeer het over een uur opnieuw."),
    "feedback_not_now": _("U kunt uw mening geven als de aanvraag is afgehandeld."),
    "not_a_tenant": _("Er is geen huurcontract aan uw account gekoppeld. Bel ons klantencentrum."),
}


def error(key: str, **kwargs) -> DomainError:
    message = MESSAGES[key]
    return DomainError(message.format(**kwargs) if kwargs else message)
