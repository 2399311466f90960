"""Payment URLs outside Mijn: the provider's webhook and the demo bank page."""

from django.urls import path

from payments import views

app_name = "payments_public"

urlpatterns = [
    path("webhook/", views.webhook, name="webhook"),
    path("demo/<str:provider_id>/", views.demo_checkout, name="demo_checkout"),
]
