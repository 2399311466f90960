from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [path("woning/", views.my_home, name="my_home")]
