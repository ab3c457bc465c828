from django.urls import path

from . import views

app_name = "learner_model"

urlpatterns = [
    path("", views.recommendations, name="recommendations"),
    path("panel/", views.panel, name="panel"),
    path("go/<int:event_id>/", views.follow, name="follow"),
    path("students/", views.my_students, name="my_students"),
    path("students/<int:student_id>/mastery/", views.mastery, name="mastery"),
]
