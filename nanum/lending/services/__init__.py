"""Every write of the K-STEM Bank goes through these services."""

from .booking import NoUnitsFree, blocked_period
from .catalogue import (
    CLI_LIMITS,
    ImportStarted,
    catalogue_import,
    catalogue_import_job_run,
    catalogue_import_upload,
    read_table,
)
from .circulation import (
    CheckinItem,
    checkin,
    checkout,
    damage_report,
    maintenance_close,
    maintenance_open,
    overdue_remind,
    transfer_receive,
    transfer_send,
)
from .class_requests import (
    BasketItem,
    ClassRequest,
    ClassRequestShort,
    class_basket_create,
    class_request_cancel,
    class_request_change,
    class_request_create,
)
from .exports import export_file
from .feeds import calendar_feed_create, calendar_feed_revoke, calendar_feed_rotate
from .labels import label_sheet_pdf
from .reservations import (
    ReservationOpened,
    offers_expire,
    reservation_accept_offer,
    reservation_approve,
    reservation_cancel,
    reservation_change,
    reservation_create,
    reservation_open,
    reservation_reject,
    waitlist_offer_next,
)
from .rounds import draw_order, round_create, round_run
from .staff_bulk import BulkRow, reservations_approve_bulk
from .training import training_record

__all__ = [
    "CLI_LIMITS",
    "BasketItem",
    "BulkRow",
    "CheckinItem",
    "ClassRequest",
    "ClassRequestShort",
    "ImportStarted",
    "NoUnitsFree",
    "ReservationOpened",
    "blocked_period",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "calendar_feed_rotate",
    "catalogue_import",
    "catalogue_import_job_run",
    "catalogue_import_upload",
    "checkin",
    "checkout",
    "class_basket_create",
    "class_request_create",
    "damage_report",
    "draw_order",
    "export_file",
    "label_sheet_pdf",
    "maintenance_close",
    "maintenance_open",
    "offers_expire",
    "overdue_remind",
    "read_table",
    "reservation_accept_offer",
    "reservation_approve",
    "reservation_cancel",
    "reservation_change",
    "class_request_cancel",
    "class_request_change",
    "reservation_create",
    "reservation_open",
    "reservation_reject",
    "reservations_approve_bulk",
    "round_create",
    "round_run",
    "training_record",
    "transfer_receive",
    "transfer_send",
    "waitlist_offer_next",
]
