from django.urls import path

from wangge.kitchen import views

app_name = "kitchen"
urlpatterns = [
    path("", views.home, name="home"),
    path("enrolments/", views.enrolments, name="enrolments"),
    path("enrolments/<int:enrolment_id>/end/", views.enrolment_end, name="enrolment-end"),
    path("enrol/<int:person_id>/", views.enrol, name="enrol"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
    path("figures/", views.figures, name="figures"),
    path("rounds/", views.rounds, name="rounds"),
    path("deliveries/<int:delivery_id>/", views.record, name="record"),
]
