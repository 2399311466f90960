"""Seeker pages under /woningzoekend/: signing up, Mijn inschrijving, reacting, Mijn reacties."""

from django.urls import path

from allocation import views_seeker as views

app_name = "seeker"

urlpatterns = [
    path("inschrijven/", views.signup, name="signup"),
    path("inschrijven/verstuurd/", views.signup_sent, name="signup_sent"),
    path("inschrijven/<str:token>/", views.signup_account, name="signup_account"),
    path("mijn/", views.mine, name="mine"),
    path("mijn/gegevens/", views.edit, name="edit"),
    path("mijn/documenten/", views.documents, name="documents"),
    path("mijn/documenten/<int:pk>/", views.document_file, name="document"),
    path("mijn/documenten/<int:pk>/verwijderen/", views.document_delete, name="document_delete"),
    path("mijn/<str:number>/betalen/", views.pay, name="pay"),
    path("mijn/<str:number>/verlengen/", views.renew, name="renew"),
    path("mijn/<str:number>/uitschrijven/", views.deregister, name="deregister"),
    path("mijn/<str:number>/medeaanvrager/", views.co_invite, name="co_invite"),
    path("mijn/<str:number>/medeaanvrager/accepteren/", views.co_accept, name="co_accept"),
    path("mijn/<str:number>/medeaanvrager/weigeren/", views.co_decline, name="co_decline"),
    path("mijn/<str:number>/medeaanvrager/intrekken/", views.co_withdraw, name="co_withdraw"),
    path("mijn/<str:number>/splitsen/", views.split, name="split"),
    path("mijn/reacties/", views.reactions, name="reactions"),
    path("mijn/reacties/<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("mijn/reacties/<int:pk>/betalen/", views.reaction_pay, name="reaction_pay"),
    path("reageren/<str:number>/", views.react, name="react"),
]
