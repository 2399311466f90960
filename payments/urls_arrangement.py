"""URLs (filled in by the payments work)."""

app_name = "arrangements"

urlpatterns: list = []
