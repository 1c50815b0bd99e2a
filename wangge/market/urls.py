from django.urls import path

from wangge.market import views

app_name = "market"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("new/", views.post, name="post"),
    path("<int:listing_id>/", views.detail, name="detail"),
    path("<int:listing_id>/<str:fn>/", views.act, name="act"),
]
