"""Mijn reparaties, under /mijn/."""

from django.urls import path

from repairs import views

app_name = "repairs"

urlpatterns = [
    path("reparaties/", views.my_repairs, name="my_repairs"),
    path("reparaties/<str:number>/", views.repair_detail, name="detail"),
    path("reparaties/<str:number>/annuleren/", views.repair_cancel, name="cancel"),
    path("reparaties/<str:number>/verzetten/", views.repair_rebook, name="rebook"),
    path("reparaties/<str:number>/foto/<str:token>/", views.repair_photo, name="photo"),
]
