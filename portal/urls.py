from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from portal import views
from repairs import urls_report

admin.site.site_header = format_lazy("{} · {}", settings.SITE_NAME, _("beheer"))
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = _("Werkbak")

urlpatterns = [
    path("", views.home, name="home"),
    path("ik-huur/", views.section_page, {"template": "portal/ik_huur.html"}, name="ik_huur"),
    path("ik-zoek/", views.section_page, {"template": "portal/ik_zoek.html"}, name="ik_zoek"),
    path("over-ons/", views.section_page, {"template": "portal/over_ons.html"}, name="over_ons"),
    path("activeren/<str:uidb64>/<str:token>/", views.activate, name="activate"),
    path("reparatie/", include(urls_report.public)),
    path("mijn/reparaties/nieuw/", include(urls_report.mijn)),
    path("mijn/", include("portal.urls_mijn")),
    path("mijn/", include("contracts.urls")),
    path("mijn/", include("payments.urls")),
    path("mijn/", include("repairs.urls")),
    path("medewerker/", include("repairs.urls_staff")),
    path("medewerker/", include("payments.urls_staff")),
    path("mijn/", include("payments.urls_arrangement")),
    path("betalen/", include("payments.urls_public")),
    path("woningaanbod/", include("allocation.urls_listings")),
    path("woningzoekend/", include("allocation.urls_seeker")),
    path("woningzoekend/aanbod/", include("allocation.urls_offers")),
    path("medewerker/", include("allocation.urls_staff")),
    # allauth's pages the portal does not offer; these come first, so they win.
    # Its address book let anyone logged in add any address to their account and
    # have it confirmed: addresses change on Mijn gegevens only, with a link to the
    # new one. Re-authentication served only the address book; login codes are off.
    path("accounts/email/", RedirectView.as_view(pattern_name="portal:personal_data")),
    path("accounts/confirm-email/", views.not_found),
    path("accounts/confirm-email/<path:key>", views.not_found),
    path("accounts/reauthenticate/", views.not_found),
    path("accounts/login/code/confirm/", views.not_found),
    # Tenants are invited; the one sign-up is the seekers'.
    path("accounts/signup/", RedirectView.as_view(pattern_name="seeker:signup")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]
