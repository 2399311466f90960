"""URLs (filled in by the allocation work)."""

app_name = "seeker"

urlpatterns: list = []
