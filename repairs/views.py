from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal.selectors import tenant_corporation


@login_required
def my_repairs(request):
    """Mijn reparaties: how to report a repair to the tenant's corporation."""
    return render(request, "repairs/my_repairs.html", {"corporation": tenant_corporation(request.user)})
