from django.urls import path

from wangge.ledgers import survey_views, views

app_name = "ledgers"
urlpatterns = [
    path("", views.home, name="home"),
    path("hazards/", views.inspections, name="inspections"),
    path("hazards/new/", views.inspection_new, name="inspection-new"),
    path("hazards/<int:inspection_id>/", views.inspection_detail, name="inspection"),
    path("hazards/results/<int:result_id>/report/", views.result_report, name="result-report"),
    path("hazards/results/<int:result_id>/rectify/", views.result_rectify, name="result-rectify"),
    path("facilities/", views.facilities, name="facilities"),
    path("facilities/<int:facility_id>/status/", views.facility_status, name="facility-status"),
    path("organisations/", views.organisations, name="organisations"),
    path("topics/", views.topics, name="topics"),
    path("topics/<int:topic_id>/", views.topic_detail, name="topic"),
    path("topics/<int:topic_id>/decide/", views.topic_decide, name="topic-decide"),
    path("yishi/", views.yishi, name="yishi"),
    path("yishi/<int:topic_id>/", views.yishi_topic, name="yishi-topic"),
    path("yishi/<int:topic_id>/vote/", views.yishi_vote, name="yishi-vote"),
    path("yishi/<int:topic_id>/comment/", views.yishi_comment, name="yishi-comment"),
    path("surveys/", survey_views.survey_list, name="surveys"),
    path("surveys/<int:survey_id>/", survey_views.survey_detail, name="survey"),
    path("surveys/<int:survey_id>/close/", survey_views.survey_close, name="survey-close"),
    path("surveys/<int:survey_id>/door/", survey_views.survey_door, name="survey-door"),
    path("surveys/<int:survey_id>/results.xlsx", survey_views.survey_export, name="survey-export"),
    path("diaocha/", survey_views.resident_surveys, name="diaocha"),
    path("diaocha/<int:survey_id>/", survey_views.resident_survey, name="diaocha-survey"),
]
