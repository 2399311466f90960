from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from contracts.selectors import contracts_for_tenant


@login_required
def my_home(request):
    """Mijn woning: homes, valuation, contracts, rent and service contracts of the tenant's own contracts."""
    today = timezone.localdate()
    contracts = list(contracts_for_tenant(request.user))
    return render(
        request,
        "contracts/my_home.html",
        {
            "current": [c for c in contracts if c.is_current(today)],
            "ended": [c for c in contracts if not c.is_current(today)],
        },
    )
