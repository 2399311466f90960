"""URLs of the Mijn portal under /mijn/."""

from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("gegevens/", views.personal_data, name="personal_data"),
    path("gegevens/wijzigen/", views.data_change, name="data_change"),
    path("gegevens/e-mail/<str:token>/", views.email_confirm, name="email_confirm"),
    path("aanvragen/", views.case_list, name="case_list"),
    path("aanvragen/<str:number>/", views.case_detail, name="case_detail"),
    path("aanvragen/<str:number>/bericht/", views.case_message, name="case_message"),
    path("aanvragen/<str:number>/mening/", views.case_feedback, name="case_feedback"),
    path("aanvragen/<str:number>/intrekken/", views.case_withdraw, name="case_withdraw"),
    path("berichten/", views.inbox, name="inbox"),
    path("berichten/<int:pk>/", views.message_detail, name="message_detail"),
    path("inloggegevens/", views.login_details, name="login_details"),
]
