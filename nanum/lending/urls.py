from django.urls import path

from . import views

app_name = "lending"

urlpatterns = [
    path("", views.search, name="search"),
    path("reserve/", views.reserve, name="reserve"),
    path("class-request/", views.class_request, name="class_request"),
    path(
        "class-request/<uuid:group>/",
        views.class_request_detail,
        name="class_request_detail",
    ),
    path("models/<int:pk>/<str:kind>", views.model_file, name="model_file"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<int:pk>/", views.model_calendar, name="model_calendar"),
    path("my/", views.my_reservations, name="my_reservations"),
    path("reservations/<int:pk>/", views.reservation_detail, name="reservation"),
    path(
        "reservations/<int:pk>/<str:action>/",
        views.reservation_action,
        name="reservation_action",
    ),
    path("my/feed/<str:action>/", views.calendar_feed_action, name="feed_action"),
    path("feed/<str:token>.ics", views.ical_feed, name="ical"),
    path("staff/", views.board, name="board"),
    path("staff/reservations/<int:pk>/checkout/", views.checkout, name="checkout"),
    path("staff/reservations/<int:pk>/checkin/", views.checkin, name="checkin"),
    path(
        "staff/reservations/<int:pk>/<str:action>/",
        views.staff_action,
        name="staff_action",
    ),
    path("staff/rounds/", views.rounds, name="rounds"),
    path("staff/find/", views.staff_search, name="staff_search"),
    path("staff/approvals/", views.approvals, name="approvals"),
    path("staff/lists/", views.day_list, name="day_list"),
    path("staff/tag/", views.tag_lookup, name="tag_lookup"),
    path("staff/tag/<path:tag>/", views.unit, name="unit"),
    path("staff/assets/", views.assets, name="assets"),
    path("staff/assets/<int:pk>/", views.asset_detail, name="asset"),
    path("staff/labels.pdf", views.labels_pdf, name="labels"),
    path("staff/import/", views.catalogue_import, name="import"),
    path("staff/import/<int:pk>/", views.import_job, name="import_job"),
    path("staff/export/<str:kind>.<str:fmt>", views.catalogue_export, name="export"),
    # research equipment from ZEUS (views/research.py)
    path("research/<int:pk>/", views.research_item, name="research_item"),
    path(
        "research/<int:pk>/transfer/", views.research_transfer, name="research_transfer"
    ),
    path(
        "research/<int:pk>/conditions/",
        views.research_conditions,
        name="research_conditions",
    ),
    path(
        "research/<int:pk>/conditions/reset/",
        views.research_conditions_reset,
        name="research_conditions_reset",
    ),
    path(
        "research/<int:pk>/slots/",
        views.research_slot_create,
        name="research_slot_create",
    ),
    path(
        "research/<int:pk>/slots/<int:slot_pk>/cancel/",
        views.research_slot_cancel,
        name="research_slot_cancel",
    ),
    path("research/my/", views.research_my, name="research_my"),
    path("research/review/", views.research_review, name="research_review"),
    path("research/syncs/", views.research_syncs, name="research_syncs"),
    path(
        "research/requests/<int:pk>/",
        views.research_request_detail,
        name="research_request",
    ),
    path(
        "research/requests/<int:pk>/<str:action>/",
        views.research_request_action,
        name="research_request_action",
    ),
    path("research/owner/<str:token>/", views.research_owner, name="research_owner"),
]
