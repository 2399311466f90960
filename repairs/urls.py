from django.urls import path

from repairs import views

app_name = "repairs"

urlpatterns = [path("reparaties/", views.my_repairs, name="my_repairs")]
