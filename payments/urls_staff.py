"""Staff pages of the arrears approach, under /medewerker/: the call queue and the team overview."""

from django.urls import path

from payments import views_staff

app_name = "callqueue"

urlpatterns = [
    path("belrij/", views_staff.queue, name="queue"),
    path("belrij/talen/", views_staff.languages, name="languages"),
    path("belrij/overzicht/", views_staff.overview, name="overview"),
    path("belrij/<int:pk>/", views_staff.call_detail, name="call"),
    path("belrij/<int:pk>/claimen/", views_staff.claim, name="claim"),
    path("belrij/<int:pk>/vrijgeven/", views_staff.release, name="release"),
    path("belrij/<int:pk>/uitkomst/", views_staff.record, name="record"),
    path("achterstand/<str:number>/escalatie/", views_staff.escalate, name="escalate"),
]
