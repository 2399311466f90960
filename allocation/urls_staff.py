"""Staff pages of allocation, under /medewerker/."""

from django.urls import path

from allocation import views_staff

app_name = "allocation_staff"

urlpatterns = [
    path("toewijzing/", views_staff.listings, name="listings"),
    path("toewijzing/<str:number>/", views_staff.listing, name="listing"),
    path("toewijzing/<str:number>/sluiten/", views_staff.listing_close, name="close"),
    path("toewijzing/<str:number>/aanbieden/", views_staff.listing_offer, name="offer"),
    path("toewijzing/<str:number>/gesprek/<int:reaction_pk>/", views_staff.listing_talk, name="talk"),
    path("toewijzing/<str:number>/antwoord/<int:offer_pk>/", views_staff.listing_answer, name="answer"),
]
