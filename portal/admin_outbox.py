"""What waits in the outbox, and why: a read-only list for staff.

A staff member sees the jobs of their own corporation (a tenant who says "I
got no e-mail" can be answered: it waits, the mail server refused it at
10:02, it is tried again at 10:34); a job that belongs to no corporation (a
password reset of someone without one) only superusers see. The list shows
what a job is about and how it fares, never its arguments: those may hold a
password-reset link.
"""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from portal.admin_scoping import CorporationScopedMixin, register_scope
from portal.models import OutboxJob

register_scope("portal.outboxjob", "corporation")


@admin.register(OutboxJob)
class OutboxJobAdmin(CorporationScopedMixin, admin.ModelAdmin):
    list_display = ("created_at", "summary", "state", "tries", "due_at", "error")
    list_filter = ("state",)
    ordering = ("-created_at", "-id")
    fields = readonly_fields = (
        "summary",
        "corporation",
        "state",
        "tries",
        "created_at",
        "due_at",
        "done_at",
        "last_error",
    )
    list_select_related = ("corporation",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("laatste fout"))
    def error(self, obj):
        return Truncator(obj.last_error).chars(120)
