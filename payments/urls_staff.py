"""URLs (filled in by the payments work)."""

app_name = "callqueue"

urlpatterns: list = []
