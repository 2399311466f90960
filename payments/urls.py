from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("betalen/", views.my_invoices, name="my_invoices"),
    path("betalen/<int:pk>/", views.payment_return, name="payment_return"),
    path("betalen/termijn/<int:pk>/", views.pay_term, name="pay_term"),
]
