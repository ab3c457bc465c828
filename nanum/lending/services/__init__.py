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
from .research import (
    research_request_cancel,
    research_request_create,
    research_request_forward,
    research_request_hand_over,
    research_request_refuse,
)
from .research_conditions import (
    research_conditions_reset,
    research_conditions_set,
)
from .research_owner import (
    research_owner_decide,
    research_owner_email_send,
    research_transfer_propose,
)
from .research_slots import research_slot_cancel, research_slot_create
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
from .zeus_client import ZeusClient, ZeusError
from .zeus_sync import zeus_list_import, zeus_sync_all, zeus_sync_run

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
    "ZeusClient",
    "ZeusError",
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
    "class_request_cancel",
    "class_request_change",
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
    "research_conditions_reset",
    "research_conditions_set",
    "research_owner_decide",
    "research_owner_email_send",
    "research_request_cancel",
    "research_request_create",
    "research_request_forward",
    "research_request_hand_over",
    "research_request_refuse",
    "research_slot_cancel",
    "research_slot_create",
    "research_transfer_propose",
    "reservation_accept_offer",
    "reservation_approve",
    "reservation_cancel",
    "reservation_change",
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
    "zeus_list_import",
    "zeus_sync_all",
    "zeus_sync_run",
]
