"""Mijn portaal: asking for a payment arrangement (betalingsregeling), under /mijn/.

The request, once sent, is a case: the tenant follows it (and, once
approved, its terms) on the case page /mijn/aanvragen/<number>/.
"""

from django.urls import path

from payments import views_arrangement

app_name = "arrangements"

urlpatterns = [path("betalingsregeling/", views_arrangement.start, name="start")]
