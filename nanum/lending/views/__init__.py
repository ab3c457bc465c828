"""Thin HTML views: parse with a form, call a service or selector, render."""

from .staff import (
    asset_detail,
    assets,
    board,
    catalogue_export,
    catalogue_import,
    checkin,
    checkout,
    import_job,
    labels_pdf,
    rounds,
    staff_action,
)
from .teacher import (
    calendar_feed_action,
    ical_feed,
    model_file,
    my_reservations,
    reservation_action,
    reservation_detail,
    reserve,
    search,
)

__all__ = [
    "asset_detail",
    "assets",
    "board",
    "calendar_feed_action",
    "catalogue_export",
    "catalogue_import",
    "checkin",
    "checkout",
    "ical_feed",
    "import_job",
    "labels_pdf",
    "model_file",
    "my_reservations",
    "reservation_action",
    "reservation_detail",
    "reserve",
    "rounds",
    "search",
    "staff_action",
]
