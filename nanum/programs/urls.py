from django.urls import path

from . import views, views_labs, views_organiser

app_name = "programs"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/calendar.ics", views.programme_calendar, name="programme_calendar"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("children/", views.children, name="children"),
    path("mine/", views.my_applications, name="mine"),
    path("applications/<int:pk>/", views.application_action, name="application_action"),
    path("applications/<int:pk>/survey/", views.survey, name="survey"),
    path(
        "applications/<int:pk>/certificate.pdf",
        views.certificate_pdf,
        name="certificate",
    ),
    path("verify/", views.verify, name="verify"),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
    path("labs/", views_labs.lab_list, name="labs"),
    path("labs/<int:slot_pk>/book/", views_labs.lab_book, name="lab_book"),
    path(
        "labs/bookings/<int:booking_pk>/cancel/",
        views_labs.lab_cancel,
        name="lab_cancel",
    ),
    path("organiser/", views_organiser.dashboard, name="organiser"),
    path("organiser/new/", views_organiser.programme_edit, name="organiser_new"),
    path("organiser/labs/", views_labs.organiser_labs, name="organiser_labs"),
    path(
        "organiser/<int:pk>/",
        views_organiser.programme_manage,
        name="organiser_programme",
    ),
    path(
        "organiser/<int:pk>/edit/",
        views_organiser.programme_edit,
        name="organiser_edit",
    ),
    path(
        "organiser/<int:pk>/sessions/<int:session_pk>/attendance/",
        views_organiser.session_attendance,
        name="session_attendance",
    ),
    path(
        "organiser/<int:pk>/sessions/<int:session_pk>/qr.svg",
        views_organiser.session_qr,
        name="session_qr",
    ),
]
