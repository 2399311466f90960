"""URLs (filled in by the allocation work)."""

app_name = "listings"

urlpatterns: list = []
