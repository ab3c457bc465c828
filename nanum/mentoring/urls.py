from django.urls import path

from . import views, views_counselling, views_staff

app_name = "mentoring"

urlpatterns = [
    path("", views.home, name="home"),
    path("apply/", views.mentor_apply, name="apply"),
    path("apply/<int:profile_id>/documents/", views.mentor_documents, name="documents"),
    path("survey/<int:term_id>/", views.survey, name="survey"),
    path("pairs/<int:match_id>/", views.pair, name="pair"),
    path("pairs/<int:match_id>/messages/", views.message_send, name="message_send"),
    path("pairs/<int:match_id>/taster/", views.taster_decide, name="taster_decide"),
    path(
        "pairs/<int:match_id>/second-session/",
        views.second_session,
        name="second_session",
    ),
    path(
        "sessions/<int:session_id>/confirm/",
        views.session_confirm,
        name="session_confirm",
    ),
    path(
        "sessions/<int:session_id>/report/", views.session_report, name="session_report"
    ),
    path("sessions/<int:session_id>/rate/", views.session_rate, name="session_rate"),
    path("pairs/<int:match_id>/meeting/", views.meeting, name="meeting"),
    path("problem/", views.problem, name="problem"),
    path("staff/", views_staff.staff_home, name="staff"),
    path(
        "staff/mentors/<int:profile_id>/", views_staff.staff_mentor, name="staff_mentor"
    ),
    path("staff/terms/new/", views_staff.staff_term_new, name="staff_term_new"),
    path("staff/terms/<int:term_id>/", views_staff.staff_term, name="staff_term"),
    path("staff/runs/<int:run_id>/", views_staff.staff_run, name="staff_run"),
    path(
        "staff/runs/<int:run_id>/students/<int:survey_id>/",
        views_staff.staff_choose,
        name="staff_choose",
    ),
    path(
        "staff/runs/<int:run_id>/action/",
        views_staff.staff_run_action,
        name="staff_run_action",
    ),
    path("staff/hours/", views_staff.staff_hours, name="staff_hours"),
    path("counselling/", views_counselling.counselling, name="counselling"),
    path("counselling/slots/<int:slot_id>/book/", views_counselling.book, name="book"),
    path(
        "counselling/slots/<int:slot_id>/cancel/",
        views_counselling.slot_cancel,
        name="slot_cancel",
    ),
    path(
        "counselling/bookings/<int:booking_id>/",
        views_counselling.booking,
        name="booking",
    ),
    path(
        "counselling/bookings/<int:booking_id>/cancel/",
        views_counselling.booking_cancel,
        name="booking_cancel",
    ),
]
