from django.urls import path

from wangge.points import views

app_name = "points"
urlpatterns = [
    path("", views.home, name="home"),
    path("history/", views.history, name="history"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/redeem/", views.redeem, name="redeem"),
    path("vouchers/", views.vouchers, name="vouchers"),
    path("vouchers/<str:code>/", views.voucher_detail, name="voucher"),
    path("vouchers/<str:code>/cancel/", views.voucher_cancel, name="voucher-cancel"),
    path("counter/", views.counter, name="counter"),
    path("counter/scan/", views.counter_scan, name="scan"),
]
