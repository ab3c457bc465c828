from __future__ import annotations

from django.urls import path

from .views import (
    guardian,
    jump,
    lessons,
    officer,
    provider,
    public,
    student,
    town_admin,
    town_providers,
)

app_name = "learning"

urlpatterns = [
    path("", public.towns, name="towns"),
    path("t/<slug:slug>/", public.town, name="town"),
    path("t/<slug:slug>/theme.css", public.town_theme, name="town_theme"),
    path("t/<slug:slug>/logo", public.town_logo, name="town_logo"),
    path("apply/", student.apply, name="apply"),
    path("apply/<slug:slug>/", student.apply_town, name="apply_town"),
    path("me/children/", student.children, name="children"),
    path("me/children/<int:child_id>/", guardian.child, name="guardian_child"),
    path(
        "me/children/<int:child_id>/seat/",
        guardian.child_seat,
        name="guardian_child_seat",
    ),
    path(
        "me/children/<int:child_id>/seat/<int:seat_id>/go",
        guardian.child_handoff,
        name="guardian_child_handoff",
    ),
    path(
        "me/children/<int:child_id>/sign-in/",
        guardian.child_password,
        name="guardian_child_password",
    ),
    path(
        "me/children/<int:child_id>/code/",
        guardian.child_code,
        name="guardian_child_code",
    ),
    path("child-sign-in/", guardian.code_sign_in, name="child_code_sign_in"),
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
    path("provider/lectures/", provider.provider_lectures, name="provider_lectures"),
    path("officer/towns/", town_admin.town_list, name="town_list"),
    path("officer/towns/new/", town_admin.town_new, name="town_new"),
    path("officer/towns/<slug:slug>/", town_admin.town_edit, name="town_edit"),
    path("officer/towns/<slug:slug>/rules", town_admin.town_rules, name="town_rules"),
    path("officer/towns/<slug:slug>/page", town_admin.town_page_save, name="town_page"),
    path("officer/towns/<slug:slug>/seats", town_admin.town_seats, name="town_seats"),
    path(
        "officer/towns/<slug:slug>/providers/",
        town_providers.town_providers,
        name="town_providers",
    ),
    path(
        "officer/towns/<slug:slug>/providers/<int:pk>/",
        town_providers.town_provider_edit,
        name="town_provider_edit",
    ),
    path(
        "officer/towns/<slug:slug>/providers/<int:pk>/staff/",
        town_providers.town_provider_staff_add,
        name="town_provider_staff_add",
    ),
    path(
        "officer/towns/<slug:slug>/providers/<int:pk>/secret/",
        town_providers.town_provider_secret,
        name="town_provider_secret",
    ),
    path(
        "officer/towns/<slug:slug>/providers/<int:pk>/staff/<int:user_id>/<str:act>/",
        town_providers.town_provider_staff_manage,
        name="town_provider_staff_manage",
    ),
    path(
        "officer/towns/<slug:slug>/notices",
        town_admin.town_notice_add,
        name="town_notice_add",
    ),
    path(
        "officer/towns/<slug:slug>/notices/<int:pk>/delete",
        town_admin.town_notice_delete,
        name="town_notice_delete",
    ),
    path("jump/", jump.jump_home, name="jump"),
    path("jump/<int:pk>/apply", jump.jump_apply, name="jump_apply"),
    path("jump/consent/<int:pk>", jump.jump_consent, name="jump_consent"),
    path("officer/jump/", jump.jump_programmes, name="jump_programmes"),
    path("officer/jump/<int:pk>/", jump.jump_programme, name="jump_programme"),
]
