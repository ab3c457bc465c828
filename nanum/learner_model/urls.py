from django.urls import path

from .views import student, teacher

app_name = "learner_model"

urlpatterns = [
    path("", student.recommendations, name="recommendations"),
    path("panel/", student.panel, name="panel"),
    path("go/<int:event_id>/", student.follow, name="follow"),
    path("students/", teacher.my_students, name="my_students"),
    path("students/<int:student_id>/mastery/", teacher.mastery, name="mastery"),
]
