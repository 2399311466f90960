"""Staff pages for repair planning, under /medewerker/."""

from django.urls import path

from repairs import views_staff

app_name = "planning"

urlpatterns = [
    path("planning/", views_staff.planning, name="day"),
    path("reparaties/<str:number>/", views_staff.staff_repair, name="repair"),
    path("reparaties/<str:number>/verzetten/", views_staff.staff_rebook, name="rebook"),
    path("reparaties/<str:number>/foto/<str:token>/", views_staff.staff_photo, name="photo"),
    path("reparaties/<str:number>/actie/<slug:action>/", views_staff.staff_action, name="action"),
]
