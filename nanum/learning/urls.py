from __future__ import annotations

from django.urls import path

from .views import lessons, officer, provider, public, student

app_name = "learning"

urlpatterns = [
    path("", public.towns, name="towns"),
    path("t/<slug:slug>/", public.town, name="town"),
    path("t/<slug:slug>/theme.css", public.town_theme, name="town_theme"),
    path("t/<slug:slug>/logo", public.town_logo, name="town_logo"),
    path("apply/", student.apply, name="apply"),
    path("apply/<slug:slug>/", student.apply_town, name="apply_town"),
    path("me/children/", student.children, name="children"),
    path("me/", student.student_home, name="student_home"),
    path("me/applications/<int:pk>/", student.my_application, name="my_application"),
    path("me/seat/", student.choose_provider, name="choose_provider"),
    path("me/seat/<int:seat_id>/go", student.handoff, name="handoff"),
    path("me/goal/", student.goal, name="goal"),
    path("me/plan/", student.plan, name="plan"),
    path("me/data.zip", student.my_data, name="my_data"),
    path("lessons/", lessons.lessons, name="lessons"),
    path("lessons/<int:pk>/", lessons.lesson, name="lesson"),
    path("officer/", officer.review_queue, name="review_queue"),
    path("officer/applications/<int:pk>/", officer.review, name="review"),
    path("officer/documents/<int:pk>/", officer.document, name="document"),
    path("officer/stats/", officer.stats, name="officer_stats"),
    path("officer/export.<str:fmt>", officer.export, name="export"),
    path("officer/rewards/", officer.reward_list, name="rewards"),
    path("provider/", provider.provider_home, name="provider_home"),
]
