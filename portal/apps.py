from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portaal")

    def ready(self):
        from allauth.account.signals import password_reset
        from django.contrib.auth.signals import user_logged_in

        # Imported for the system checks they register: the production checks, and the one that
        # refuses a file field without the upload content check.
        from portal import checks, lookups, upload_fields  # noqa: F401
        from portal.adapters import login_failures_clear
        from portal.once import session_secret_at_login
        from portal.permissions import sync_staff_group

        lookups.register()

        # Once per migrate run: the last app to migrate sends the signal last,
        # but the handler is idempotent, so running it per app is harmless.
        post_migrate.connect(sync_staff_group, sender=self, dispatch_uid="portal.sync_staff_group")
        user_logged_in.connect(session_secret_at_login, dispatch_uid="portal.once.session_secret")
        password_reset.connect(login_failures_clear, dispatch_uid="portal.adapters.login_failures_clear")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin on the portal's own site (portal.admin_site.PortalAdminSite)."""

    default = False  # PortalConfig stays the portal app's configuration
    default_site = "portal.admin_site.PortalAdminSite"
