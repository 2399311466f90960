"""URLs (filled in by the allocation work)."""

app_name = "allocation_staff"

urlpatterns: list = []
