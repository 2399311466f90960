"""Template filters for Dutch money and dates, and the one-time key of a form."""

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import get_language

from portal import once

register = template.Library()


@register.filter
def euro(value) -> str:
    """€ 1.234,56 in Dutch, €1,234.56 in English; never a float."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"))
    number = formats.number_format(abs(amount), 2, use_l10n=True, force_grouping=True)
    sign = "-" if amount < 0 else ""
    if (get_language() or "nl").startswith("nl"):
        return f"€\u00a0{sign}{number}"
    return f"{sign}€{number}"


@register.filter
def long_date(value) -> str:
    """'woensdag 31 januari 2026': how a promised date is written (seed 000)."""
    if not value:
        return ""
    return date_format(value, "l j F Y")


@register.simple_tag
def static_icon(name: str) -> str:
    """The URL of one of the portal's pictograms in static/icons/."""
    from django.templatetags.static import static

    return static(f"icons/{name}.svg")


@register.simple_tag(takes_context=True)
def send_key(context, value: str = "") -> str:
    """The hidden one-time key of a form (see `portal.once`): `{% send_key %}` inside the <form>.

    A fresh key each time the page is shown; a page shown again after a
    refused POST keeps the key it was sent with (nothing was made with it).
    `value` gives the key itself (a repair draft's token).
    """
    request = context.get("request")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get(once.FIELD, "")[: once.MAX_KEY]
    if request is not None:
        once.session_secret(request)  # the session must hold it before the form comes back
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, value or once.new_key())
