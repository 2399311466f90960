"""URLs (filled in by the payments work)."""

app_name = "payments_public"

urlpatterns: list = []
