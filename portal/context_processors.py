from django.conf import settings


def site(request):
    """The section colour follows the URL: tenants purple, seekers orange, the rest blue."""
    path = request.path
    if path.startswith(("/mijn/", "/ik-huur/", "/reparatie/", "/accounts/", "/activeren/")):
        section = "huur"
    elif path.startswith(("/ik-zoek/", "/woningaanbod/", "/woningzoekend/")):
        section = "zoek"
    else:
        section = "over"
    return {"SITE_NAME": settings.SITE_NAME, "section": section}
