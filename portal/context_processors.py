from django.conf import settings


def site(request):
    """The section colour follows the URL: tenants purple, seekers orange, the rest blue."""
    path = request.path
    if path.startswith(("/mijn/", "/reparatie/", "/accounts/", "/activeren/")):
        section = "huur"
    elif path.startswith(("/woningaanbod/", "/woningzoekend/")):
        section = "zoek"
    else:
        section = "over"
    return {"SITE_NAME": settings.SITE_NAME, "section": section}
