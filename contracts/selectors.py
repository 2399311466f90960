"""Reads for Mijn woning."""

from django.db.models import Prefetch

from contracts.models import Contract, ServiceCharge, ServiceContract


def contracts_for_tenant(user):
    """The tenant's contracts with everything Mijn woning shows, in a fixed number of queries."""
    return (
        Contract.objects.filter(tenants=user)
        .select_related("unit", "unit__complex", "unit__valuation", "corporation")
        .prefetch_related(
            Prefetch("service_charges", queryset=ServiceCharge.objects.order_by("id")),
            Prefetch("service_contracts", queryset=ServiceContract.objects.order_by("name")),
            "unit__spaces",
            "unit__complex__common_areas",
            "tenants",
        )
        .order_by("unit__kind", "start_date")
    )
