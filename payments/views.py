from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from payments.selectors import open_items_for
from portal.selectors import open_balance


@login_required
def my_invoices(request):
    """Factuur & betaling: the open items and their details."""
    return render(
        request,
        "payments/my_invoices.html",
        {"items": open_items_for(request.user), "balance": open_balance(request.user)},
    )
