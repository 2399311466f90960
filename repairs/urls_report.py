"""The repair report flow: at /reparatie/ for everyone, at /mijn/reparaties/nieuw/ for tenants."""

from django.urls import path

from repairs import views


def flow_patterns(flow: str) -> list:
    kwargs = {"flow": flow}
    return [
        path("", views.report_start, kwargs, name="start"),
        path("soort/", views.report_kind, kwargs, name="kind"),
        path("vragen/", views.report_questions, kwargs, name="questions"),
        path("toelichting/", views.report_details, kwargs, name="details"),
        path("afspraak/", views.report_appointment, kwargs, name="appointment"),
        path("versturen/", views.report_check, kwargs, name="check"),
        path("ontvangen/", views.report_done, kwargs, name="done"),
        path("foto/<str:token>/", views.draft_photo, kwargs, name="photo"),
    ]


public = (flow_patterns("public"), "report")
mijn = (flow_patterns("mijn"), "my_report")
