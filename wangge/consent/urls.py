from django.urls import path

from wangge.consent import views

app_name = "consent"
urlpatterns = [
    path("terms/", views.document, {"kind": "terms"}, name="terms"),
    path("privacy/", views.document, {"kind": "privacy"}, name="privacy"),
    path("<str:kind>/v<int:version>/", views.document_version, name="version"),
    path("agree/", views.agree, name="agree"),
    path("mine/", views.mine, name="mine"),
    path("withdraw/", views.withdraw, name="withdraw"),
]
