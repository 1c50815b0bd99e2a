from django.urls import path

from wangge.wechat import views

app_name = "wechat"

urlpatterns = [
    path("enter/", views.enter, name="enter"),
    path("oauth/", views.mp_oauth, name="mp-oauth"),
    path("wecom/", views.wecom_oauth, name="wecom-oauth"),
]
