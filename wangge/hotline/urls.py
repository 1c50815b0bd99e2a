from django.urls import path

from wangge.hotline import views

app_name = "hotline"
urlpatterns = [
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:delivery_id>/retry/", views.delivery_retry, name="delivery-retry"),
    path("desk/", views.desk, name="desk"),
    path("desk/place.json", views.desk_place, name="desk-place"),
]
