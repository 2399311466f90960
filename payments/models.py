"""Open items (openstaande posten): what a tenant still has to pay.

A minimal ledger for the dashboard's balance notice; invoices, payments and
arrangements build on it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import Corporation


class OpenItem(models.Model):
    corporation = models.ForeignKey(
        Corporation, verbose_name=_("corporatie"), on_delete=models.PROTECT, related_name="open_items"
    )
    tenant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("huurder"),
        on_delete=models.PROTECT,
        related_name="open_items",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("huurcontract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="open_items",
    )
    reference = models.CharField(_("factuurnummer"), max_length=30)
    description = models.CharField(_("omschrijving"), max_length=200)
    amount = models.DecimalField(_("bedrag"), max_digits=10, decimal_places=2)
    due_date = models.DateField(_("vervaldatum"))
    paid_at = models.DateTimeField(_("betaald op"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("openstaande post")
        verbose_name_plural = _("openstaande posten")
        constraints = [
            models.UniqueConstraint(fields=["corporation", "reference"], name="open_item_reference_unique")
        ]
        indexes = [models.Index(fields=["tenant", "paid_at"])]

    def __str__(self):
        return f"{self.reference} {self.description}"
