from django.urls import path

from .views import counselling, guardian, mentor, participant, staff, student

app_name = "mentoring"

urlpatterns = [
    path("", participant.home, name="home"),
    path("apply/", mentor.mentor_apply, name="apply"),
    path(
        "apply/<int:profile_id>/documents/", mentor.mentor_documents, name="documents"
    ),
    path("documents/<int:document_id>/", mentor.document_file, name="document_file"),
    path("survey/<int:term_id>/", student.survey, name="survey"),
    path("pairs/<int:match_id>/", participant.pair, name="pair"),
    path(
        "pairs/<int:match_id>/messages/", participant.message_send, name="message_send"
    ),
    path(
        "pairs/<int:match_id>/taster/", participant.taster_decide, name="taster_decide"
    ),
    path(
        "pairs/<int:match_id>/second-session/",
        mentor.second_session,
        name="second_session",
    ),
    path(
        "sessions/<int:session_id>/confirm/",
        participant.session_confirm,
        name="session_confirm",
    ),
    path(
        "sessions/<int:session_id>/report/",
        mentor.session_report,
        name="session_report",
    ),
    path("sessions/<int:session_id>/rate/", student.session_rate, name="session_rate"),
    path("pairs/<int:match_id>/meeting/", mentor.meeting, name="meeting"),
    path("problem/", participant.problem, name="problem"),
    path("guardian/children/<int:child_id>/", guardian.child, name="guardian_child"),
    path("staff/", staff.staff_home, name="staff"),
    path("staff/mentors/<int:profile_id>/", staff.staff_mentor, name="staff_mentor"),
    path("staff/terms/new/", staff.staff_term_new, name="staff_term_new"),
    path("staff/terms/<int:term_id>/", staff.staff_term, name="staff_term"),
    path("staff/runs/<int:run_id>/", staff.staff_run, name="staff_run"),
    path(
        "staff/runs/<int:run_id>/students/<int:survey_id>/",
        staff.staff_choose,
        name="staff_choose",
    ),
    path(
        "staff/runs/<int:run_id>/action/",
        staff.staff_run_action,
        name="staff_run_action",
    ),
    path("staff/hours/", staff.staff_hours, name="staff_hours"),
    path("counselling/", counselling.counselling, name="counselling"),
    path("counselling/slots/<int:slot_id>/book/", counselling.book, name="book"),
    path(
        "counselling/slots/<int:slot_id>/cancel/",
        counselling.slot_cancel,
        name="slot_cancel",
    ),
    path(
        "counselling/bookings/<int:booking_id>/",
        counselling.booking,
        name="booking",
    ),
    path(
        "counselling/bookings/<int:booking_id>/cancel/",
        counselling.booking_cancel,
        name="booking_cancel",
    ),
]
