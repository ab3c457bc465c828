"""Every write of mentoring and counselling (see docs/CONVENTIONS.md)."""

from .adjust import match_add_manual, match_adjust, match_remove
from .counselling import (
    booking_cancel,
    booking_create,
    booking_notes_save,
    counselling_reminders_send,
    slot_cancel,
    slot_publish,
)
from .matching import (
    match_run_create,
    survey_submit,
    term_create,
)
from .mentors import (
    MentorInput,
    mentor_activate,
    mentor_apply,
    mentor_document_add,
    mentor_leave,
    mentor_screen,
    mentor_set_capacity,
)
from .pairs import (
    end_match,
    match_add_second_session,
    match_run_publish,
    match_set_meeting,
    match_taster_decide,
)
from .sessions import (
    mentor_hours,
    mentor_hours_export,
    message_send,
    problem_report,
    session_confirm,
    session_rate,
    session_report_file,
    sessions_check_missed,
)

__all__ = [
    "MentorInput",
    "booking_cancel",
    "booking_create",
    "booking_notes_save",
    "counselling_reminders_send",
    "end_match",
    "match_add_manual",
    "match_add_second_session",
    "match_adjust",
    "match_remove",
    "match_run_create",
    "match_run_publish",
    "match_set_meeting",
    "match_taster_decide",
    "mentor_activate",
    "mentor_apply",
    "mentor_document_add",
    "mentor_hours",
    "mentor_hours_export",
    "mentor_leave",
    "mentor_screen",
    "mentor_set_capacity",
    "message_send",
    "problem_report",
    "session_confirm",
    "session_rate",
    "session_report_file",
    "sessions_check_missed",
    "slot_cancel",
    "slot_publish",
    "survey_submit",
    "term_create",
]
