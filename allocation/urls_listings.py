"""Public housing offer at /woningaanbod/: listings, one listing, its photos, the accountability."""

from django.urls import path

from allocation import views_listings as views

app_name = "listings"

urlpatterns = [
    path("", views.listing_list, name="list"),
    path("verantwoording/", views.accountability, name="accountability"),
    path("<str:number>/", views.listing_detail, name="detail"),
    path("<str:number>/foto/<int:photo_id>/", views.listing_photo, name="photo"),
    path("<str:number>/plattegrond/", views.listing_floor_plan, name="floor_plan"),
]
