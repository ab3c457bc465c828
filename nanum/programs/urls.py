from django.urls import path

from .views import labs, organiser, participant, public, residential

app_name = "programs"

urlpatterns = [
    path("", public.programme_list, name="list"),
    path("calendar.ics", public.calendar_feed, name="calendar"),
    path("<int:pk>/", public.programme_detail, name="detail"),
    path("<int:pk>/calendar.ics", public.programme_calendar, name="programme_calendar"),
    path("<int:pk>/nominate/", participant.nominate, name="nominate"),
    path("children/", participant.children, name="children"),
    path("mine/", participant.my_applications, name="mine"),
    path(
        "applications/<int:pk>/",
        participant.application_action,
        name="application_action",
    ),
    path("applications/<int:pk>/survey/", participant.survey, name="survey"),
    path(
        "applications/<int:pk>/certificate.pdf",
        participant.certificate_pdf,
        name="certificate",
    ),
    path("applications/<int:pk>/stay/", residential.my_stay, name="my_stay"),
    path("stays/", residential.stays, name="stays"),
    path("verify/", public.verify, name="verify"),
    path("checkin/<str:token>/", participant.checkin, name="checkin"),
    path("labs/", labs.lab_list, name="labs"),
    path("labs/<int:slot_pk>/book/", labs.lab_book, name="lab_book"),
    path(
        "labs/bookings/<int:booking_pk>/cancel/",
        labs.lab_cancel,
        name="lab_cancel",
    ),
    path("organiser/", organiser.dashboard, name="organiser"),
    path("organiser/new/", organiser.programme_edit, name="organiser_new"),
    path("organiser/labs/", labs.organiser_labs, name="organiser_labs"),
    path(
        "organiser/<int:pk>/",
        organiser.programme_manage,
        name="organiser_programme",
    ),
    path(
        "organiser/<int:pk>/export/",
        organiser.programme_export,
        name="organiser_export",
    ),
    path(
        "organiser/<int:pk>/message/",
        organiser.programme_message,
        name="organiser_message",
    ),
    path(
        "organiser/<int:pk>/stay/",
        residential.organiser_stay,
        name="organiser_stay",
    ),
    path(
        "organiser/<int:pk>/edit/",
        organiser.programme_edit,
        name="organiser_edit",
    ),
    path(
        "organiser/<int:pk>/sessions/<int:session_pk>/attendance/",
        organiser.session_attendance,
        name="session_attendance",
    ),
    path(
        "organiser/<int:pk>/sessions/<int:session_pk>/qr.svg",
        organiser.session_qr,
        name="session_qr",
    ),
]
