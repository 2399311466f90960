"""The seeker's offers, under /woningzoekend/aanbod/."""

from django.urls import path

from allocation import views_staff

app_name = "offers"

urlpatterns = [
    path("<int:pk>/", views_staff.seeker_offer, name="detail"),
]
