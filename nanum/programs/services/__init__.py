"""Every write of programmes and lab visits, by topic; this package re-exports the public
services. Keyword-only, typed, one transaction, an audit row for every change."""

from .access import (
    ApplicantList,
    ApplicantRow,
    AttendanceSheet,
    ExportFile,
    programme_applicants_open,
    programme_export_open,
    session_attendance_open,
)
from .applications import (
    application_apply,
    application_confirm,
    application_nominate,
    application_set_priority,
    application_withdraw,
    child_add,
)
from .draw import (
    declarations_purge,
    draw_notify,
    draws_due,
    offer_expire,
    offers_expire_due,
    programme_draw,
    waitlist_promote,
)
from .labs import lab_book, lab_booking_cancel, lab_slot_create
from .messaging import programme_message_send
from .programmes import (
    ProgrammeInput,
    programme_create,
    programme_set_status,
    programme_update,
    session_add,
)
from .running import (
    attendance_mark,
    certificates_issue,
    checkin,
    checkin_token,
    checkin_url,
    survey_submit,
)

__all__ = [
    "ApplicantList",
    "ApplicantRow",
    "AttendanceSheet",
    "ExportFile",
    "ProgrammeInput",
    "application_apply",
    "application_confirm",
    "application_nominate",
    "application_set_priority",
    "application_withdraw",
    "attendance_mark",
    "certificates_issue",
    "checkin",
    "checkin_token",
    "checkin_url",
    "child_add",
    "declarations_purge",
    "draw_notify",
    "draws_due",
    "lab_book",
    "lab_booking_cancel",
    "lab_slot_create",
    "offer_expire",
    "offers_expire_due",
    "programme_applicants_open",
    "programme_create",
    "programme_draw",
    "programme_export_open",
    "programme_message_send",
    "programme_set_status",
    "programme_update",
    "session_add",
    "session_attendance_open",
    "survey_submit",
    "waitlist_promote",
]
